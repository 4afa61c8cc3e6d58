//! kubectl's flag syntax (spf13/pflag): `--name=value`, `--name value`, `-n value`,
//! `-nvalue`, `-oyaml`, grouped booleans (`-it`), `--` ending flags, and pflag's exact
//! errors for unknown or incomplete flags.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
}

pub const fn value(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        takes_value: true,
    }
}

pub const fn switch(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        takes_value: false,
    }
}

/// Flags every kubectl command accepts.
pub const GLOBAL: &[Flag] = &[
    value("namespace", Some('n')),
    value("context", None),
    value("cluster", None),
    value("user", None),
    value("kubeconfig", None),
    value("request-timeout", None),
    value("v", Some('v')),
    value("server", Some('s')),
    switch("help", Some('h')),
];

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub positional: Vec<String>,
    values: BTreeMap<String, Vec<String>>,
    /// Words after `--` (the command of `kubectl exec` / `run`).
    pub after_dashdash: Vec<String>,
    /// Whether `--` appeared at all.
    pub saw_dashdash: bool,
}

impl Parsed {
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// The last value given for a flag.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value of a repeatable flag (`--env A=1 --env B=2`).
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.values
            .get(long)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// A boolean switch: present without value, or `--flag=true|false`.
    pub fn bool(&self, long: &str) -> bool {
        matches!(self.get(long), Some("true"))
    }
}

fn usage(command: &str) -> String {
    format!("See 'kubectl {command} --help' for usage.")
}

/// Parses `args` against the command's flags plus the global ones.
pub fn parse(command: &str, args: &[String], flags: &[Flag]) -> Result<Parsed, String> {
    let find_long = |name: &str| flags.iter().chain(GLOBAL).find(|f| f.long == name).copied();
    let find_short = |c: char| {
        flags
            .iter()
            .chain(GLOBAL)
            .find(|f| f.short == Some(c))
            .copied()
    };
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if parsed.saw_dashdash {
            parsed.after_dashdash.push(arg.clone());
            continue;
        }
        if arg == "--" {
            parsed.saw_dashdash = true;
            continue;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let flag = find_long(name)
                .ok_or_else(|| format!("error: unknown flag: --{name}\n{}", usage(command)))?;
            let v = if flag.takes_value {
                match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(format!(
                            "error: flag needs an argument: --{name}\n{}",
                            usage(command)
                        ))
                    }
                }
            } else {
                inline.unwrap_or_else(|| "true".to_string())
            };
            parsed
                .values
                .entry(flag.long.to_string())
                .or_default()
                .push(v);
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') && !is_negative_number(arg) {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let flag = find_short(c).ok_or_else(|| {
                    format!(
                        "error: unknown shorthand flag: '{c}' in {arg}\n{}",
                        usage(command)
                    )
                })?;
                j += 1;
                if flag.takes_value {
                    let rest: String = chars[j..].iter().collect();
                    let v = if let Some(r) = rest.strip_prefix('=') {
                        r.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!(
                            "error: flag needs an argument: '{c}' in {arg}\n{}",
                            usage(command)
                        ));
                    };
                    parsed
                        .values
                        .entry(flag.long.to_string())
                        .or_default()
                        .push(v);
                    break;
                }
                parsed
                    .values
                    .entry(flag.long.to_string())
                    .or_default()
                    .push("true".into());
            }
            continue;
        }
        parsed.positional.push(arg.clone());
    }
    Ok(parsed)
}

fn is_negative_number(s: &str) -> bool {
    s[1..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    const GET: &[Flag] = &[
        value("output", Some('o')),
        switch("all-namespaces", Some('A')),
        switch("watch", Some('w')),
    ];

    #[test]
    fn pflag_forms() {
        let p = parse("get", &args("pods -n kube-system -oyaml -Aw"), GET).unwrap();
        assert_eq!(p.positional, vec!["pods"]);
        assert_eq!(p.get("namespace"), Some("kube-system"));
        assert_eq!(p.get("output"), Some("yaml"));
        assert!(p.bool("all-namespaces") && p.bool("watch"));
        let p = parse("get", &args("--output=json --namespace=x pods"), GET).unwrap();
        assert_eq!(
            (p.get("output"), p.get("namespace")),
            (Some("json"), Some("x"))
        );
        let p = parse("exec", &args("pod -- ls -l"), &[]).unwrap();
        assert_eq!(p.after_dashdash, vec!["ls", "-l"]);
    }

    #[test]
    fn pflag_errors() {
        assert_eq!(
            parse("get", &args("--bogus"), GET).unwrap_err(),
            "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse("get", &args("-z"), GET).unwrap_err(),
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse("get", &args("pods -n"), GET).unwrap_err(),
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage."
        );
    }
}
