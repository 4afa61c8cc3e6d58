//! How an Ingress controller picks a backend for a request: pure functions over a small
//! routing table, no cluster in sight (k8s-behaviour.md §9; `networking/v1/types.go`;
//! ingress-nginx `internal/ingress/controller/controller.go` and its `nginx.tmpl`).
//!
//! The table is what ingress-nginx builds from every Ingress of its class, merged:
//! one **server** per host (a precise `a.com`, a wildcard `*.foo.com`, or `_`, the
//! catch-all for rules without a host and for hosts no server names), each with its
//! **locations** (path, pathType, backend). A request picks its server by the Host
//! header, then the best location inside that server only:
//!
//! - `Exact` matches the path exactly, case-sensitively.
//! - `Prefix` matches element by element on `/`: `/foo` matches `/foo`, `/foo/` and
//!   `/foo/bar`, never `/foobar`; a trailing slash in the rule is ignored.
//! - `ImplementationSpecific` is ingress-nginx's plain `location /foo` (its template's
//!   `buildLocation`): an nginx *string* prefix, so `/foo` does match `/foobar`.
//! - The longest matching path wins; on a tie Exact beats Prefix; then the oldest Ingress.
//! - Nothing matches: the server's fallback — the `spec.defaultBackend` of the Ingress
//!   that defined the host (9.22), for `_` the defaultBackend of an Ingress without rules
//!   (9.22c) — else the controller's own default backend, which answers 404 (9.21).

use crate::sim::sort::SharedSort;

/// `spec.rules[].http.paths[].pathType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathType {
    Exact,
    Prefix,
    ImplementationSpecific,
}

impl PathType {
    pub fn parse(s: &str) -> Option<PathType> {
        match s {
            "Exact" => Some(PathType::Exact),
            "Prefix" => Some(PathType::Prefix),
            "ImplementationSpecific" => Some(PathType::ImplementationSpecific),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            PathType::Exact => "Exact",
            PathType::Prefix => "Prefix",
            PathType::ImplementationSpecific => "ImplementationSpecific",
        }
    }
}

/// Where a matched request goes: a Service port in the Ingress's namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backend {
    pub namespace: String,
    pub service: String,
    /// `port.number` as text, or `port.name`.
    pub port: String,
}

impl Backend {
    /// `foo:80`, as ingress-nginx's logs and `kubectl describe` write it.
    pub fn shown(&self) -> String {
        format!("{}:{}", self.service, self.port)
    }
}

/// One path of one rule, with the Ingress it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub path_type: PathType,
    pub backend: Backend,
    /// `namespace/name` of the Ingress, and its age rank (smaller = older).
    pub ingress: String,
    pub rank: (String, u64),
}

/// One host's server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Server {
    pub locations: Vec<Location>,
    /// The defaultBackend of the (oldest) Ingress that defined this host, if any.
    pub fallback: Option<(Backend, String)>,
    /// The certificate for this host, when an Ingress serving it has a `spec.tls`.
    pub tls: Option<ServerTls>,
    /// Some Ingress of this host has `use-regex: "true"` or a `rewrite-target`: then every
    /// location of the host is a case-insensitive regex anchored at the start
    /// (`location ~* "^PATH"`, the template's `enforceRegexModifier`), whatever its
    /// pathType and whichever Ingress it came from.
    pub regex: bool,
}

/// What `createServers` chose as a host's certificate (ingress-nginx `controller.go`):
/// the `secretName` of the `spec.tls` entry that lists the host, from the first (oldest)
/// Ingress of the host that has a TLS section. A host of such an Ingress that no entry
/// lists (or an entry without `secretName`) gets the default certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerTls {
    /// `namespace/secretName`, or `None`: the default certificate.
    pub secret: Option<String>,
    /// The Ingress it came from.
    pub ingress: String,
}

/// `extractTLSSecretName`'s first loop: the `secretName` of the entry whose `hosts` lists
/// `host` (case-insensitively). Its second loop — a certificate whose SAN covers the host
/// though no entry lists it — needs the certificate parsed, which is not simulated.
pub fn tls_secret_for<'a>(tls: &'a [(Vec<String>, String)], host: &str) -> Option<&'a str> {
    tls.iter()
        .find(|(hosts, _)| hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
        .map(|(_, secret)| secret.as_str())
        .filter(|s| !s.is_empty())
}

/// How a request was routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A location matched (`regex`: as a regex location of a host in regex mode).
    Location {
        server: String,
        location: Location,
        regex: bool,
    },
    /// No location matched; the server's (or the catch-all's) defaultBackend serves it.
    DefaultBackend {
        server: String,
        backend: Backend,
        ingress: String,
    },
    /// Nothing matched and no defaultBackend applies: the controller answers 404.
    NotFound { server: String },
}

/// Whether `request` (a path without the query) matches `rule` of `path_type`.
pub fn path_matches(path_type: PathType, rule: &str, request: &str) -> bool {
    match path_type {
        PathType::Exact => rule == request,
        PathType::Prefix => {
            let rule = rule.trim_end_matches('/');
            if rule.is_empty() {
                return request.starts_with('/');
            }
            match request.strip_prefix(rule) {
                Some(rest) => rest.is_empty() || rest.starts_with('/'),
                None => false,
            }
        }
        PathType::ImplementationSpecific => request.starts_with(rule),
    }
}

/// How specific a match is: longer paths first, then Exact over Prefix over
/// ImplementationSpecific (a Prefix rule's trailing slash does not count).
fn specificity(location: &Location) -> (usize, u8) {
    let len = match location.path_type {
        PathType::Prefix => location.path.trim_end_matches('/').len(),
        _ => location.path.len(),
    };
    let kind = match location.path_type {
        PathType::Exact => 2,
        PathType::Prefix => 1,
        PathType::ImplementationSpecific => 0,
    };
    (len, kind)
}

/// Whether a rule's host (`a.com`, `*.foo.com`) names the request's host.
/// A wildcard stands for exactly one label (ingress-nginx writes it as the regex
/// `~^(?<subdomain>[\w-]+)\.foo\.com$`).
pub fn host_matches(rule_host: &str, host: &str) -> bool {
    match rule_host.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            }),
        None => rule_host == host,
    }
}

/// The Host header as nginx uses it to pick a server: lower case, without a port.
pub fn normalize_host(header: &str) -> String {
    let h = header.trim().to_ascii_lowercase();
    match h.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.contains(':') => {
            name.to_string()
        }
        _ => h,
    }
}

/// The catch-all server's name.
pub const CATCH_ALL: &str = "_";

/// The server for `host`: a precise name first, then a wildcard, else the catch-all.
/// `servers` is keyed by host; wildcards are tried from the most specific suffix.
pub fn server_for<'a>(
    servers: &'a std::collections::BTreeMap<String, Server>,
    host: &str,
) -> (&'a str, Option<&'a Server>) {
    if let Some((name, s)) = servers.get_key_value(host) {
        if !host.starts_with("*.") {
            return (name.as_str(), Some(s));
        }
    }
    // Exactly one label may stand for the `*`: look up `*.<rest>` for the host's parent.
    if let Some((_, parent)) = host.split_once('.') {
        let wildcard = format!("*.{parent}");
        if let Some((name, s)) = servers.get_key_value(&wildcard) {
            if host_matches(name, host) {
                return (name.as_str(), Some(s));
            }
        }
    }
    match servers.get_key_value(CATCH_ALL) {
        Some((name, s)) => (name.as_str(), Some(s)),
        None => (CATCH_ALL, None),
    }
}

/// Picks the location for `path` (query stripped) in `server`, or its fallback.
pub fn route_in(server_name: &str, server: Option<&Server>, path: &str) -> Route {
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let Some(server) = server else {
        return Route::NotFound {
            server: server_name.to_string(),
        };
    };
    if server.regex {
        if let Some(location) = regex_location(server, path) {
            return Route::Location {
                server: server_name.to_string(),
                location: location.clone(),
                regex: true,
            };
        }
        return fallback(server_name, server);
    }
    let best = server
        .locations
        .iter()
        .filter(|l| path_matches(l.path_type, &l.path, path))
        .max_by(|a, b| {
            specificity(a)
                .cmp(&specificity(b))
                // On a full tie the oldest Ingress wins: it sorts as "greater" here.
                .then_with(|| b.rank.cmp(&a.rank))
        });
    if let Some(location) = best {
        return Route::Location {
            server: server_name.to_string(),
            location: location.clone(),
            regex: false,
        };
    }
    fallback(server_name, server)
}

/// nginx's regex locations: tried in the order they are written — ingress-nginx sorts a
/// server's locations by path length, longest first (oldest Ingress first on a tie) —
/// and the first whose `^PATH` matches the start of the path, ignoring case, wins. A path
/// that is no valid regex matches nothing (nginx would refuse the whole configuration).
pub fn regex_location<'a>(server: &'a Server, path: &str) -> Option<&'a Location> {
    let mut ordered: Vec<&Location> = server.locations.iter().collect();
    ordered.sort_shared_by(|a, b| {
        b.path
            .len()
            .cmp(&a.path.len())
            .then_with(|| a.rank.cmp(&b.rank))
    });
    ordered.into_iter().find(|l| {
        crate::sim::regex::Regex::new(&format!("^{}", l.path), true, true)
            .is_ok_and(|re| re.find(path, &|_, start, _| start == 0).is_some())
    })
}

/// What answers when no location matched: the server's defaultBackend, else the 404.
fn fallback(server_name: &str, server: &Server) -> Route {
    match &server.fallback {
        Some((backend, ingress)) => Route::DefaultBackend {
            server: server_name.to_string(),
            backend: backend.clone(),
            ingress: ingress.clone(),
        },
        None => Route::NotFound {
            server: server_name.to_string(),
        },
    }
}

/// Routes a request: the server by Host, then the location by path.
pub fn route(
    servers: &std::collections::BTreeMap<String, Server>,
    host_header: &str,
    path: &str,
) -> Route {
    let host = normalize_host(host_header);
    let (name, server) = server_for(servers, &host);
    route_in(name, server, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use PathType::*;

    fn backend(svc: &str) -> Backend {
        Backend {
            namespace: "default".into(),
            service: svc.into(),
            port: "80".into(),
        }
    }

    fn loc(path: &str, t: PathType, svc: &str) -> Location {
        Location {
            path: path.into(),
            path_type: t,
            backend: backend(svc),
            ingress: "default/ing".into(),
            rank: ("2026-01-01T00:00:00Z".into(), 1),
        }
    }

    /// One server holding `paths`, each routed to a Service named after its path.
    fn served(paths: &[(&str, PathType)], request: &str) -> Option<(String, PathType)> {
        let server = Server {
            locations: paths.iter().map(|(p, t)| loc(p, *t, p)).collect(),
            fallback: None,
            tls: None,
            regex: false,
        };
        match route_in("_", Some(&server), request) {
            Route::Location { location, .. } => Some((location.path, location.path_type)),
            _ => None,
        }
    }

    /// k8s-behaviour.md §9 "Docs example table", rows 9.1–9.18, in order.
    #[test]
    fn the_docs_example_table() {
        let yes = |paths: &[(&str, PathType)], req: &str, want: &str| {
            assert_eq!(
                served(paths, req).map(|m| m.0),
                Some(want.to_string()),
                "{paths:?} {req}"
            );
        };
        let no = |paths: &[(&str, PathType)], req: &str| {
            assert_eq!(served(paths, req), None, "{paths:?} {req}");
        };
        // 9.1 Prefix / matches every path.
        for p in ["/", "/a", "/a/b/c", "/index.html"] {
            yes(&[("/", Prefix)], p, "/");
        }
        yes(&[("/foo", Exact)], "/foo", "/foo"); // 9.2
        no(&[("/foo", Exact)], "/bar"); // 9.3
        no(&[("/foo", Exact)], "/foo/"); // 9.4
        no(&[("/foo/", Exact)], "/foo"); // 9.5
        yes(&[("/foo", Prefix)], "/foo", "/foo"); // 9.6
        yes(&[("/foo", Prefix)], "/foo/", "/foo");
        yes(&[("/foo/", Prefix)], "/foo", "/foo/"); // 9.7
        yes(&[("/foo/", Prefix)], "/foo/", "/foo/");
        no(&[("/aaa/bb", Prefix)], "/aaa/bbb"); // 9.8
        yes(&[("/aaa/bbb", Prefix)], "/aaa/bbb", "/aaa/bbb"); // 9.9
        yes(&[("/aaa/bbb/", Prefix)], "/aaa/bbb", "/aaa/bbb/"); // 9.10
        yes(&[("/aaa/bbb", Prefix)], "/aaa/bbb/", "/aaa/bbb"); // 9.11
        yes(&[("/aaa/bbb", Prefix)], "/aaa/bbb/ccc", "/aaa/bbb"); // 9.12
        no(&[("/aaa/bbb", Prefix)], "/aaa/bbbxyz"); // 9.13
        yes(&[("/", Prefix), ("/aaa", Prefix)], "/aaa/ccc", "/aaa"); // 9.14
        let three = [("/", Prefix), ("/aaa", Prefix), ("/aaa/bbb", Prefix)];
        yes(&three, "/aaa/bbb", "/aaa/bbb"); // 9.15
        yes(&three, "/ccc", "/"); // 9.16
        no(&[("/aaa", Prefix)], "/ccc"); // 9.17
                                         // 9.18 Mixed: Exact wins the tie, whichever order the rules come in.
        assert_eq!(
            served(&[("/foo", Prefix), ("/foo", Exact)], "/foo"),
            Some(("/foo".into(), Exact))
        );
        assert_eq!(
            served(&[("/foo", Exact), ("/foo", Prefix)], "/foo"),
            Some(("/foo".into(), Exact))
        );
        // …and the Prefix rule still takes what Exact does not.
        assert_eq!(
            served(&[("/foo", Exact), ("/foo", Prefix)], "/foo/x"),
            Some(("/foo".into(), Prefix))
        );
    }

    #[test]
    fn paths_are_case_sensitive_and_queries_do_not_count() {
        assert_eq!(served(&[("/foo", Exact)], "/FOO"), None);
        assert_eq!(served(&[("/foo", Prefix)], "/Foo/bar"), None);
        assert_eq!(
            served(&[("/foo", Exact)], "/foo?x=1"),
            Some(("/foo".into(), Exact))
        );
    }

    #[test]
    fn implementation_specific_is_an_nginx_string_prefix() {
        assert!(path_matches(ImplementationSpecific, "/foo", "/foobar"));
        assert!(path_matches(ImplementationSpecific, "/foo", "/foo/x"));
        assert!(!path_matches(ImplementationSpecific, "/foo", "/fo"));
        // Longest wins among them too, and Prefix beats it on an equal length.
        assert_eq!(
            served(
                &[("/foo", ImplementationSpecific), ("/foo", Prefix)],
                "/foo/x"
            ),
            Some(("/foo".into(), Prefix))
        );
    }

    #[test]
    fn on_a_full_tie_the_oldest_ingress_wins() {
        let mut newer = loc("/foo", Prefix, "new");
        newer.rank = ("2026-01-01T00:00:09Z".into(), 9);
        newer.ingress = "default/b".into();
        let mut older = loc("/foo", Prefix, "old");
        older.rank = ("2026-01-01T00:00:01Z".into(), 1);
        older.ingress = "default/a".into();
        for locations in [
            vec![newer.clone(), older.clone()],
            vec![older.clone(), newer.clone()],
        ] {
            let server = Server {
                locations,
                fallback: None,
                tls: None,
                regex: false,
            };
            match route_in("_", Some(&server), "/foo") {
                Route::Location { location, .. } => assert_eq!(location.backend.service, "old"),
                other => panic!("{other:?}"),
            }
        }
    }

    /// 9.19 and 9.20.
    #[test]
    fn a_wildcard_host_stands_for_exactly_one_label() {
        assert!(host_matches("*.foo.com", "bar.foo.com"));
        assert!(!host_matches("*.foo.com", "baz.bar.foo.com"));
        assert!(!host_matches("*.foo.com", "foo.com"));
        assert!(!host_matches("*.foo.com", ".foo.com"));
        assert!(host_matches("foo.bar.com", "foo.bar.com"));
        assert!(!host_matches("foo.bar.com", "bar.com"));
    }

    fn table() -> BTreeMap<String, Server> {
        let mut servers = BTreeMap::new();
        servers.insert(
            "foo.bar.com".to_string(),
            Server {
                locations: vec![loc("/", Prefix, "foo")],
                fallback: None,
                tls: None,
                regex: false,
            },
        );
        servers.insert(
            "*.foo.com".to_string(),
            Server {
                locations: vec![loc("/", Prefix, "wild")],
                fallback: None,
                tls: None,
                regex: false,
            },
        );
        servers.insert(
            "a.com".to_string(),
            Server {
                locations: vec![loc("/app", Prefix, "app")],
                fallback: Some((backend("svc-x"), "default/a".into())),
                tls: None,
                regex: false,
            },
        );
        servers
    }

    fn service_of(route: &Route) -> Option<&str> {
        match route {
            Route::Location { location, .. } => Some(&location.backend.service),
            Route::DefaultBackend { backend, .. } => Some(&backend.service),
            Route::NotFound { .. } => None,
        }
    }

    #[test]
    fn hosts_pick_the_server_precise_then_wildcard_then_catch_all() {
        let servers = table();
        assert_eq!(
            service_of(&route(&servers, "foo.bar.com", "/x")),
            Some("foo")
        );
        assert_eq!(
            service_of(&route(&servers, "Foo.Bar.com:80", "/x")),
            Some("foo")
        );
        assert_eq!(
            service_of(&route(&servers, "bar.foo.com", "/")),
            Some("wild")
        ); // 9.19
        assert_eq!(service_of(&route(&servers, "baz.bar.foo.com", "/")), None); // 9.20
        assert_eq!(service_of(&route(&servers, "foo.com", "/")), None); // 9.20
    }

    /// 9.21: nothing matches and nothing is a default: the controller's 404.
    #[test]
    fn no_match_and_no_default_backend_is_the_controllers_404() {
        let servers = table();
        assert_eq!(
            route(&servers, "nobody.example", "/"),
            Route::NotFound { server: "_".into() }
        );
        assert_eq!(
            route(&BTreeMap::new(), "a.com", "/"),
            Route::NotFound { server: "_".into() }
        );
    }

    /// 9.22 and 9.22b: an Ingress's defaultBackend serves the unmatched paths of its own
    /// hosts, and only those.
    #[test]
    fn a_default_backend_serves_only_its_own_hosts() {
        let servers = table();
        assert_eq!(service_of(&route(&servers, "a.com", "/app/x")), Some("app"));
        assert_eq!(
            service_of(&route(&servers, "a.com", "/other")),
            Some("svc-x")
        );
        assert_eq!(service_of(&route(&servers, "b.com", "/other")), None);
    }

    /// 9.22c: an Ingress with only a defaultBackend becomes the catch-all.
    #[test]
    fn a_rule_less_default_backend_is_the_catch_all() {
        let mut servers = table();
        servers.insert(
            CATCH_ALL.to_string(),
            Server {
                locations: vec![loc("/nohost", Prefix, "nohost")],
                fallback: Some((backend("catch"), "default/c".into())),
                tls: None,
                regex: false,
            },
        );
        assert_eq!(service_of(&route(&servers, "b.com", "/x")), Some("catch"));
        assert_eq!(
            service_of(&route(&servers, "b.com", "/nohost/1")),
            Some("nohost")
        );
        // A host with its own server does not fall through to the catch-all's paths.
        assert_eq!(
            service_of(&route(&servers, "foo.bar.com", "/nohost")),
            Some("foo")
        );
        assert_eq!(
            service_of(&route(&servers, "a.com", "/nohost")),
            Some("svc-x")
        );
    }

    #[test]
    fn a_hosts_secret_is_the_tls_entry_that_lists_it() {
        let tls = vec![
            (
                vec!["a.com".to_string(), "B.com".to_string()],
                "ab-tls".to_string(),
            ),
            (vec!["c.com".to_string()], String::new()),
        ];
        assert_eq!(tls_secret_for(&tls, "a.com"), Some("ab-tls"));
        assert_eq!(tls_secret_for(&tls, "b.com"), Some("ab-tls"));
        // Listed without a secretName, or not listed at all: the default certificate.
        assert_eq!(tls_secret_for(&tls, "c.com"), None);
        assert_eq!(tls_secret_for(&tls, "d.com"), None);
    }

    /// ingress-nginx's "Ingress Path Matching" examples: with `use-regex` (or a
    /// rewrite-target) on any Ingress of a host, every path of that host is a
    /// case-insensitive regex anchored only at the start, the longest path tried first.
    #[test]
    fn regex_mode_matches_case_insensitive_start_anchored_longest_first() {
        let server = Server {
            locations: vec![
                loc("/foo/bar/bar", Prefix, "a"),
                loc("/foo/bar/[A-Z0-9]{3}", ImplementationSpecific, "b"),
                loc("/foo", Exact, "c"),
            ],
            regex: true,
            ..Server::default()
        };
        let routed = |path: &str| match route_in("test.com", Some(&server), path) {
            Route::Location {
                location, regex, ..
            } => {
                assert!(regex);
                Some(location.backend.service)
            }
            _ => None,
        };
        // The docs' warning: the regex path is longer, so it is tried first and takes
        // /foo/bar/bar too — the Prefix path never gets a request.
        assert_eq!(routed("/foo/bar/bar").as_deref(), Some("b"));
        assert_eq!(routed("/foo/bar/bar/x").as_deref(), Some("b"));
        assert_eq!(routed("/foo/bar/ABC").as_deref(), Some("b"));
        assert_eq!(routed("/FOO/BAR/abc").as_deref(), Some("b"));
        // An Exact path is a start-anchored regex too: /foobar matches "^/foo".
        assert_eq!(routed("/foobar").as_deref(), Some("c"));
        assert_eq!(routed("/other"), None);
        // Without regex mode the same Exact path takes /foo only.
        let plain = Server {
            regex: false,
            ..server.clone()
        };
        assert!(matches!(
            route_in("test.com", Some(&plain), "/foobar"),
            Route::NotFound { .. }
        ));
    }
}
