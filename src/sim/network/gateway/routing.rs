//! HTTPRoute matching as the Gateway API specifies it and Envoy Gateway translates it:
//! one Envoy virtual host per effective hostname (a listener's hostname intersected with
//! the route's), the most specific virtual host first (exact, then the longest wildcard,
//! then `*`), and inside it the routes in the spec's precedence order:
//!
//! 1. an `Exact` path match, then (an implementation-specific place) `RegularExpression`,
//!    then `PathPrefix` with the most characters;
//! 2. a method match;
//! 3. the most header matches;
//! 4. the most query-parameter matches;
//! 5. the oldest Route, then `{namespace}/{name}` alphabetically;
//! 6. the first rule, then the first match, in list order.
//!
//! Wildcard hostnames (`*.example.com`) match one *or more* labels, unlike an Ingress's.

use crate::sim::sort::SharedSort;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathMatch {
    Exact(String),
    Prefix(String),
    /// RE2 syntax in the real proxy; here only literal characters, `.`, `.*`, `^` and `$`.
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueMatch {
    Exact(String),
    Regex(String),
}

impl ValueMatch {
    fn matches(&self, value: &str) -> bool {
        match self {
            ValueMatch::Exact(v) => v == value,
            ValueMatch::Regex(r) => regex_full_match(r, value),
        }
    }

    pub fn shown(&self) -> String {
        match self {
            ValueMatch::Exact(v) => v.clone(),
            ValueMatch::Regex(r) => format!("~{r}"),
        }
    }
}

/// One `matches[]` entry (all of it must hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub path: PathMatch,
    pub method: Option<String>,
    pub headers: Vec<(String, ValueMatch)>,
    pub query: Vec<(String, ValueMatch)>,
}

/// What a request presents to the matcher.
pub struct Probe<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub method: &'a str,
    pub headers: &'a [(String, String)],
}

impl Match {
    pub fn matches(&self, p: &Probe) -> bool {
        let path_ok = match &self.path {
            PathMatch::Exact(v) => p.path == v,
            PathMatch::Prefix(v) => prefix_matches(v, p.path),
            PathMatch::Regex(r) => regex_full_match(r, p.path),
        };
        path_ok
            && self.method.as_deref().is_none_or(|m| m == p.method)
            && self.headers.iter().all(|(name, want)| {
                p.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .is_some_and(|(_, v)| want.matches(v))
            })
            && self.query.iter().all(|(name, want)| {
                p.query
                    .iter()
                    .find(|(k, _)| k == name)
                    .is_some_and(|(_, v)| want.matches(v))
            })
    }

    /// "path /api (PathPrefix), header env=canary".
    pub fn describe(&self) -> String {
        let mut parts = vec![match &self.path {
            PathMatch::Exact(v) => format!("path {v} (Exact)"),
            PathMatch::Prefix(v) => format!("path {v} (PathPrefix)"),
            PathMatch::Regex(v) => format!("path ~{v} (RegularExpression)"),
        }];
        if let Some(m) = &self.method {
            parts.push(format!("method {m}"));
        }
        for (k, v) in &self.headers {
            parts.push(format!("header {k}={}", v.shown()));
        }
        for (k, v) in &self.query {
            parts.push(format!("query {k}={}", v.shown()));
        }
        parts.join(", ")
    }
}

/// `PathPrefix` matches element-wise: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not
/// `/foobar`; a trailing `/` in the prefix is ignored.
pub fn prefix_matches(prefix: &str, path: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return true;
    }
    path == prefix || path.starts_with(&format!("{prefix}/"))
}

/// A small full-match regex: literals, `.`, `X*` / `X+` / `X?` after a literal or `.`,
/// and optional `^`/`$` anchors. Enough for the patterns the docs use (`/v[0-9]` is not).
pub fn regex_full_match(pattern: &str, text: &str) -> bool {
    let p = pattern.trim_start_matches('^').trim_end_matches('$');
    let p: Vec<char> = p.chars().collect();
    let t: Vec<char> = text.chars().collect();
    fn m(p: &[char], t: &[char]) -> bool {
        if p.is_empty() {
            return t.is_empty();
        }
        let (atom, rest) = if p[0] == '\\' && p.len() > 1 {
            (&p[..2], &p[2..])
        } else {
            (&p[..1], &p[1..])
        };
        let one = |c: char| {
            if atom.len() == 2 {
                c == atom[1]
            } else {
                atom[0] == '.' || atom[0] == c
            }
        };
        match rest.first() {
            Some('*') => m(&rest[1..], t) || (!t.is_empty() && one(t[0]) && m(p, &t[1..])),
            Some('+') => !t.is_empty() && one(t[0]) && (m(&rest[1..], &t[1..]) || m(p, &t[1..])),
            Some('?') => m(&rest[1..], t) || (!t.is_empty() && one(t[0]) && m(&rest[1..], &t[1..])),
            _ => !t.is_empty() && one(t[0]) && m(rest, &t[1..]),
        }
    }
    m(&p, &t)
}

/// Whether `host` is matched by the hostname `pattern` (`*.example.com` matches any
/// host with at least one more label in front of `example.com`).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => host.len() > suffix.len() && host.ends_with(suffix),
        None => pattern == host,
    }
}

/// The hostnames a route serves on a listener: the spec's intersection of the listener's
/// hostname with the route's hostnames (`*`: any host). Empty: no intersection.
pub fn effective_hostnames(listener: Option<&str>, route: &[String]) -> Vec<String> {
    match (listener, route.is_empty()) {
        (None, true) => vec!["*".into()],
        (None, false) => route.to_vec(),
        (Some(l), true) => vec![l.to_string()],
        (Some(l), false) => {
            let mut out = vec![];
            for h in route {
                if host_matches(l, h) || l == h {
                    out.push(h.clone());
                } else if host_matches(h, l) {
                    out.push(l.to_string());
                }
            }
            out.dedup();
            out
        }
    }
}

/// One match of one rule of one route, with what it leads to (indices into the table's
/// rules); the unit the precedence orders.
#[derive(Debug, Clone)]
pub struct Entry {
    pub hostname: String,
    /// `namespace/name` of the HTTPRoute.
    pub route: String,
    /// (creationTimestamp, namespace/name) for the tie-breaks.
    pub created: String,
    pub rule: usize,
    pub index: usize,
    pub matcher: Match,
}

fn path_rank(m: &Match) -> (u8, std::cmp::Reverse<usize>) {
    match &m.path {
        PathMatch::Exact(v) => (0, std::cmp::Reverse(v.len())),
        PathMatch::Regex(v) => (1, std::cmp::Reverse(v.len())),
        PathMatch::Prefix(v) => (2, std::cmp::Reverse(v.trim_end_matches('/').len())),
    }
}

/// The spec's precedence between two entries of one virtual host.
pub fn precedence(a: &Entry, b: &Entry) -> Ordering {
    path_rank(&a.matcher)
        .cmp(&path_rank(&b.matcher))
        .then(b.matcher.method.is_some().cmp(&a.matcher.method.is_some()))
        .then(b.matcher.headers.len().cmp(&a.matcher.headers.len()))
        .then(b.matcher.query.len().cmp(&a.matcher.query.len()))
        .then(a.created.cmp(&b.created))
        .then(a.route.cmp(&b.route))
        .then(a.rule.cmp(&b.rule))
        .then(a.index.cmp(&b.index))
}

/// The virtual host a request's host lands on: exact first, then the longest wildcard,
/// then `*`.
pub fn virtual_host<'a>(hostnames: impl Iterator<Item = &'a String>, host: &str) -> Option<String> {
    let mut best: Option<(u8, usize, String)> = None;
    for h in hostnames {
        let rank = if h == host {
            (0, 0)
        } else if h == "*" {
            (2, 0)
        } else if host_matches(h, host) {
            (1, usize::MAX - h.len())
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|b| (rank.0, rank.1) < (b.0, b.1)) {
            best = Some((rank.0, rank.1, h.clone()));
        }
    }
    best.map(|b| b.2)
}

/// Entries sorted per virtual host, and the first that matches a request.
pub fn select<'a>(entries: &'a [Entry], probe: &Probe) -> Option<&'a Entry> {
    let vhost = virtual_host(entries.iter().map(|e| &e.hostname), probe.host)?;
    let mut candidates: Vec<&Entry> = entries.iter().filter(|e| e.hostname == vhost).collect();
    candidates.sort_shared_by(|a, b| precedence(a, b));
    candidates.into_iter().find(|e| e.matcher.matches(probe))
}

/// `?a=1&b=2` into pairs (no percent-decoding).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(route: &str, created: &str, rule: usize, m: Match) -> Entry {
        Entry {
            hostname: "*".into(),
            route: route.into(),
            created: created.into(),
            rule,
            index: 0,
            matcher: m,
        }
    }

    fn path(p: PathMatch) -> Match {
        Match {
            path: p,
            method: None,
            headers: vec![],
            query: vec![],
        }
    }

    fn probe<'a>(path: &'a str, headers: &'a [(String, String)]) -> Probe<'a> {
        Probe {
            host: "example.com",
            path,
            query: &[],
            method: "GET",
            headers,
        }
    }

    #[test]
    fn path_prefix_is_element_wise() {
        for (prefix, path, want) in [
            ("/foo", "/foo", true),
            ("/foo", "/foo/", true),
            ("/foo", "/foo/bar", true),
            ("/foo", "/foobar", false),
            ("/foo/", "/foo", true),
            ("/", "/anything", true),
            ("/foo/bar", "/foo", false),
        ] {
            assert_eq!(prefix_matches(prefix, path), want, "{prefix} vs {path}");
        }
    }

    #[test]
    fn wildcards_match_one_or_more_labels_but_not_the_bare_domain() {
        assert!(host_matches("*.example.com", "foo.example.com"));
        assert!(host_matches("*.example.com", "a.b.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert_eq!(
            virtual_host(
                [
                    "*".to_string(),
                    "*.example.com".into(),
                    "*.b.example.com".into(),
                    "a.b.example.com".into()
                ]
                .iter(),
                "x.b.example.com"
            ),
            Some("*.b.example.com".into())
        );
        assert_eq!(
            effective_hostnames(
                Some("*.example.com"),
                &["foo.example.com".into(), "other.org".into()]
            ),
            vec!["foo.example.com".to_string()]
        );
        assert_eq!(
            effective_hostnames(Some("a.example.com"), &["*.example.com".into()]),
            vec!["a.example.com".to_string()]
        );
    }

    #[test]
    fn precedence_follows_the_spec_order() {
        let header = |h: &str| Match {
            headers: vec![(h.into(), ValueMatch::Exact("canary".into()))],
            ..path(PathMatch::Prefix("/".into()))
        };
        let entries = vec![
            entry(
                "default/a",
                "2026-01-01T00:00:00Z",
                0,
                path(PathMatch::Prefix("/".into())),
            ),
            entry(
                "default/b",
                "2026-01-01T00:00:00Z",
                0,
                path(PathMatch::Prefix("/api".into())),
            ),
            entry(
                "default/c",
                "2026-01-01T00:00:00Z",
                0,
                path(PathMatch::Exact("/api/v1".into())),
            ),
            entry("default/d", "2026-01-01T00:00:00Z", 0, header("env")),
        ];
        let none: Vec<(String, String)> = vec![];
        let canary = vec![("Env".to_string(), "canary".to_string())];
        assert_eq!(
            select(&entries, &probe("/api/v1", &none)).unwrap().route,
            "default/c"
        );
        assert_eq!(
            select(&entries, &probe("/api/v2", &none)).unwrap().route,
            "default/b"
        );
        assert_eq!(
            select(&entries, &probe("/x", &none)).unwrap().route,
            "default/a"
        );
        assert_eq!(
            select(&entries, &probe("/x", &canary)).unwrap().route,
            "default/d"
        );
        // The longer prefix still wins over the header match.
        assert_eq!(
            select(&entries, &probe("/api/x", &canary)).unwrap().route,
            "default/b"
        );
        // Ties: the oldest route, then the name.
        let tie = vec![
            entry(
                "default/z",
                "2026-01-01T00:00:01Z",
                0,
                path(PathMatch::Prefix("/".into())),
            ),
            entry(
                "default/y",
                "2026-01-01T00:00:02Z",
                0,
                path(PathMatch::Prefix("/".into())),
            ),
            entry(
                "default/x",
                "2026-01-01T00:00:02Z",
                0,
                path(PathMatch::Prefix("/".into())),
            ),
        ];
        assert_eq!(select(&tie, &probe("/", &none)).unwrap().route, "default/z");
        assert_eq!(
            select(&tie[1..], &probe("/", &none)).unwrap().route,
            "default/x"
        );
    }

    #[test]
    fn small_regexes() {
        assert!(regex_full_match("/v.*", "/v2/x"));
        assert!(regex_full_match("^/api/v1$", "/api/v1"));
        assert!(!regex_full_match("/api/v1", "/api/v12"));
        assert!(regex_full_match("/a+b?", "/aaa"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arb_match() -> impl Strategy<Value = Match> {
        let seg = prop::sample::select(vec!["/", "/a", "/a/b", "/ab", "/b"]);
        (
            any::<bool>(),
            seg,
            prop::option::of(Just("GET".to_string())),
            0usize..3,
        )
            .prop_map(|(exact, p, method, headers)| Match {
                path: if exact {
                    PathMatch::Exact(p.into())
                } else {
                    PathMatch::Prefix(p.into())
                },
                method,
                headers: (0..headers)
                    .map(|i| (format!("h{i}"), ValueMatch::Exact("1".into())))
                    .collect(),
                query: vec![],
            })
    }

    proptest! {
        /// Whatever the routes, the chosen entry matches the request, and no entry the
        /// spec ranks before it would have matched.
        #[test]
        fn the_chosen_entry_matches_and_nothing_ranked_before_it_does(
            matches in prop::collection::vec(arb_match(), 1..8),
            path in prop::sample::select(vec!["/", "/a", "/a/", "/a/b", "/ab", "/b/c", "/c"]),
            headers in 0usize..3,
            post in any::<bool>(),
        ) {
            let entries: Vec<Entry> = matches.into_iter().enumerate().map(|(i, m)| Entry {
                hostname: "*".into(), route: format!("default/r{i}"), created: format!("t{}", i % 3),
                rule: 0, index: 0, matcher: m }).collect();
            let hs: Vec<(String, String)> = (0..headers).map(|i| (format!("H{i}"), "1".to_string())).collect();
            let probe = Probe { host: "x.example", path, query: &[], method: if post { "POST" } else { "GET" }, headers: &hs };
            match select(&entries, &probe) {
                Some(chosen) => {
                    prop_assert!(chosen.matcher.matches(&probe));
                    for e in &entries {
                        if precedence(e, chosen) == Ordering::Less {
                            prop_assert!(!e.matcher.matches(&probe), "{e:?} ranks before {chosen:?} and matches");
                        }
                    }
                }
                None => prop_assert!(entries.iter().all(|e| !e.matcher.matches(&probe))),
            }
        }
    }
}
