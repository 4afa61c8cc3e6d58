//! What a container does once started, decided by its image and command: servers (nginx,
//! httpd, redis, …, and unknown images) keep running; busybox/alpine run their command
//! (`sleep N`, `echo …`, `false`, `sh -c "…"`, best effort) and exit.

use super::images::{self, ImageRef};
use super::probes::Outcome;
use crate::sim::network::apps::{self, Peer, Reply};
use crate::sim::network::request::{Request, Url};
use crate::sim::time::{rfc3339, Millis, SECOND};

/// How one run of a container goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    /// How long it runs before exiting on its own; `None` runs until stopped.
    pub runs_for: Option<Millis>,
    pub exit_code: i64,
    /// What it prints (stdout and stderr interleaved, as `kubectl logs` shows them).
    pub logs: Vec<String>,
    /// Whether PID 1 ignores SIGTERM (a shell or `sleep` without a handler): it then runs
    /// until SIGKILL at the end of the grace period.
    pub ignores_sigterm: bool,
    /// Files the command creates or removes: (path, created at, removed at), as offsets
    /// from the start (what exec probes like `cat /tmp/healthy` see).
    pub files: Vec<(String, Millis, Option<Millis>)>,
    /// Bytes of memory the process holds once it is going (0: too little to matter).
    pub memory: u64,
}

/// Images whose default process is a shell that exits at once without a terminal.
fn is_shell_image(short: &str) -> bool {
    matches!(
        short,
        "busybox" | "alpine" | "ubuntu" | "debian" | "python" | "node"
    )
}

/// Commands the simulated shell scripts understand; anything else on a server image is
/// that image's own long-running program.
fn is_shell_utility(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash"
            | "ash"
            | "sleep"
            | "echo"
            | "printf"
            | "true"
            | "false"
            | "exit"
            | "cat"
            | "date"
            | "env"
            | "ls"
            | "perl"
            | "python"
            | "python3"
            | "tail"
            | "wget"
            | "curl"
            | "nslookup"
            | "ping"
            | "touch"
            | "rm"
    )
}

pub fn behaviour(
    image: &ImageRef,
    command: &[String],
    args: &[String],
    started: Millis,
) -> Behaviour {
    let short = image.short_name();
    let argv: Vec<String> = command.iter().chain(args.iter()).cloned().collect();
    if argv.is_empty() || (command.is_empty() && !is_shell_image(short)) {
        if is_shell_image(short) {
            return Behaviour {
                runs_for: Some(100),
                exit_code: 0,
                logs: vec![],
                ignores_sigterm: true,
                files: vec![],
                memory: 0,
            };
        }
        return Behaviour {
            runs_for: None,
            exit_code: 0,
            logs: server_logs(image, started),
            ignores_sigterm: false,
            files: vec![],
            memory: 0,
        };
    }
    let program = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
    if program == "stress" {
        return stress(&argv[1..]);
    }
    // A server image started with its own binary (`/usr/local/bin/kube-proxy`,
    // `/bin/kindnetd`, `redis-server`) runs like its default process does.
    if !is_shell_image(short) && !is_shell_utility(&program) {
        return Behaviour {
            runs_for: None,
            exit_code: 0,
            logs: server_logs(image, started),
            ignores_sigterm: false,
            files: vec![],
            memory: 0,
        };
    }
    if matches!(program.as_str(), "sh" | "bash" | "ash") {
        if let Some(i) = argv.iter().position(|a| a == "-c") {
            let script = argv.get(i + 1).cloned().unwrap_or_default();
            return run_script(&script);
        }
        return Behaviour {
            runs_for: Some(100),
            exit_code: 0,
            logs: vec![],
            ignores_sigterm: true,
            files: vec![],
            memory: 0,
        };
    }
    run_script(&argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "))
}

/// `stress` (polinux/stress, the memory and CPU tasks' image): `--vm N` workers each
/// holding `--vm-bytes` (default 256M, suffixes b/k/m/g in powers of 1024), until
/// `--timeout` if any.
fn stress(args: &[String]) -> Behaviour {
    let value = |long: &str, short: &str| {
        args.windows(2)
            .find(|w| w[0] == long || w[0] == short)
            .map(|w| w[1].clone())
    };
    let count = |long: &str, short: &str| {
        value(long, short)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let (cpu, io, vm, hdd) = (
        count("--cpu", "-c"),
        count("--io", "-i"),
        count("--vm", "-m"),
        count("--hdd", "-d"),
    );
    let vm_bytes = value("--vm-bytes", "--vm-bytes")
        .and_then(|v| stress_bytes(&v))
        .unwrap_or(256 * 1024 * 1024);
    let timeout = value("--timeout", "-t").and_then(|t| crate::sim::time::parse_duration(&t));
    Behaviour {
        runs_for: timeout,
        exit_code: 0,
        logs: vec![format!(
            "stress: info: [1] dispatching hogs: {cpu} cpu, {io} io, {vm} vm, {hdd} hdd"
        )],
        ignores_sigterm: false,
        files: vec![],
        memory: vm * vm_bytes,
    }
}

/// stress's `atoll_b`: a number with an optional b, k, m or g suffix (powers of 1024).
fn stress_bytes(v: &str) -> Option<u64> {
    let (num, mult) = match v.chars().last()?.to_ascii_lowercase() {
        'b' => (&v[..v.len() - 1], 1),
        'k' => (&v[..v.len() - 1], 1024),
        'm' => (&v[..v.len() - 1], 1024 * 1024),
        'g' => (&v[..v.len() - 1], 1024 * 1024 * 1024),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

fn quote(a: &str) -> String {
    if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == ';' || c == '&') {
        format!("'{}'", a.replace('\'', ""))
    } else {
        a.to_string()
    }
}

/// A best-effort reading of a shell script: `echo`, `sleep`, `exit`, `true`/`false`,
/// `while true` / `sleep infinity` loops; everything else is taken to succeed quietly.
/// How long a shell takes to get going: its first commands have run by then.
const SCRIPT_START: Millis = 100;

fn run_script(script: &str) -> Behaviour {
    let mut time: Millis = SCRIPT_START;
    let mut logs = vec![];
    let mut files: Vec<(String, Millis, Option<Millis>)> = vec![];
    let forever = script.contains("while true")
        || script.contains("while :")
        || script.contains("while sleep")
        || script.contains("infinity")
        || script.contains("tail -f");
    for stmt in script.split(['\n', ';']).flat_map(|s| s.split("&&")) {
        let words = split_words(stmt.trim());
        let Some(first) = words.first() else { continue };
        match first.as_str() {
            "echo" => logs.push(words[1..].join(" ")),
            "printf" => logs.push(
                words[1..]
                    .first()
                    .cloned()
                    .unwrap_or_default()
                    .replace("\\n", ""),
            ),
            "sleep" => {
                let n = words
                    .get(1)
                    .and_then(|w| crate::sim::time::parse_duration(w))
                    .unwrap_or(0);
                if !forever {
                    time = time.saturating_add(n);
                }
            }
            "touch" => {
                for f in &words[1..] {
                    files.push((f.clone(), time, None));
                }
            }
            "rm" => {
                for f in words[1..].iter().filter(|w| !w.starts_with('-')) {
                    if let Some(e) = files
                        .iter_mut()
                        .rev()
                        .find(|(p, _, r)| p == f && r.is_none())
                    {
                        e.2 = Some(time);
                    }
                }
            }
            "date" => logs.push("Thu Jan  1 00:00:00 UTC 2026".to_string()),
            "exit" => {
                let code = words.get(1).and_then(|w| w.parse().ok()).unwrap_or(0);
                return Behaviour {
                    runs_for: Some(time),
                    exit_code: code,
                    logs,
                    ignores_sigterm: true,
                    files,
                    memory: 0,
                };
            }
            "false" => {
                return Behaviour {
                    runs_for: Some(time),
                    exit_code: 1,
                    logs,
                    ignores_sigterm: true,
                    files,
                    memory: 0,
                }
            }
            "while" | "do" | "done" | "true" | ":" | "" => {}
            other if other.contains('=') => {}
            other if !KNOWN.contains(&other) => {
                logs.push(format!("sh: {other}: not found"));
                return Behaviour {
                    runs_for: Some(time),
                    exit_code: 127,
                    logs,
                    ignores_sigterm: true,
                    files,
                    memory: 0,
                };
            }
            _ => {}
        }
    }
    if forever || script.trim_end().ends_with("infinity") {
        return Behaviour {
            runs_for: None,
            exit_code: 0,
            logs,
            ignores_sigterm: true,
            files,
            memory: 0,
        };
    }
    Behaviour {
        runs_for: Some(time),
        exit_code: 0,
        logs,
        ignores_sigterm: true,
        files,
        memory: 0,
    }
}

/// Commands busybox has that print nothing worth simulating.
const KNOWN: &[&str] = &[
    "cat", "ls", "touch", "mkdir", "rm", "cp", "mv", "env", "wget", "nslookup", "ping", "nc",
    "hostname", "id", "whoami", "tail", "head", "grep", "trap", "test", "[", "cd", "export", "set",
    "if", "then", "fi", "else", "for", "in", "done", "sh", "while", "do", "sync", "uname",
];

fn split_words(s: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut has = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                has = true;
            }
            (None, c) if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The nginx release an image tag holds (what `Server:` headers and logs name).
pub fn nginx_version(image: &ImageRef) -> &'static str {
    match image.tag_or_latest() {
        t if t.starts_with("1.14") => "1.14.2",
        t if t.starts_with("1.25") => "1.25.5",
        t if t.starts_with("1.26") => "1.26.3",
        t if t.starts_with("1.27") => "1.27.5",
        _ => "1.29.3",
    }
}

/// The start-up lines long-running images print.
fn server_logs(image: &ImageRef, started: Millis) -> Vec<String> {
    let ts = rfc3339(started);
    let (date, time) = (ts[..10].replace('-', "/"), &ts[11..19]);
    match image.short_name() {
        "nginx" => {
            let version = nginx_version(image);
            let mut v: Vec<String> = if version == "1.14.2" {
                vec![]
            } else {
                [
                    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                    "/docker-entrypoint.sh: Configuration complete; ready for start up",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect()
            };
            if version != "1.14.2" {
                for line in [
                    "using the \"epoll\" event method".to_string(),
                    format!("nginx/{version}"),
                    "built by gcc 12.2.0 (Debian 12.2.0-14) ".to_string(),
                    "OS: Linux 6.8.0-49-generic".to_string(),
                    "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                    "start worker processes".to_string(),
                    "start worker process 29".to_string(),
                    "start worker process 30".to_string(),
                ] {
                    v.push(format!("{date} {time} [notice] 1#1: {line}"));
                }
            }
            v
        }
        "redis" => vec![
            "1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo".to_string(),
            "1:C 01 Jan 2026 00:00:00.000 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started".to_string(),
            "1:C 01 Jan 2026 00:00:00.000 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf".to_string(),
            "1:M 01 Jan 2026 00:00:00.001 * monotonic clock: POSIX clock_gettime".to_string(),
            "1:M 01 Jan 2026 00:00:00.001 * Running mode=standalone, port=6379.".to_string(),
            "1:M 01 Jan 2026 00:00:00.001 * Server initialized".to_string(),
            "1:M 01 Jan 2026 00:00:00.001 * Ready to accept connections tcp".to_string(),
        ],
        "mongo" => vec![
            format!("{{\"t\":{{\"$date\":\"{}.000+00:00\"}},\"s\":\"I\",  \"c\":\"CONTROL\",  \"id\":23285,   \"ctx\":\"main\",\"msg\":\"Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols 'none'\"}}", &ts[..19]),
            format!("{{\"t\":{{\"$date\":\"{}.001+00:00\"}},\"s\":\"I\",  \"c\":\"NETWORK\",  \"id\":4648601, \"ctx\":\"main\",\"msg\":\"Implicit TCP FastOpen unavailable. If TCP FastOpen is required, set tcpFastOpenServer, tcpFastOpenClient, and tcpFastOpenQueueSize.\"}}", &ts[..19]),
            format!("{{\"t\":{{\"$date\":\"{}.002+00:00\"}},\"s\":\"I\",  \"c\":\"CONTROL\",  \"id\":4615611, \"ctx\":\"initandlisten\",\"msg\":\"MongoDB starting\",\"attr\":{{\"pid\":1,\"port\":27017,\"dbPath\":\"/data/db\",\"architecture\":\"64-bit\",\"host\":\"mongo\"}}}}", &ts[..19]),
            format!("{{\"t\":{{\"$date\":\"{}.900+00:00\"}},\"s\":\"I\",  \"c\":\"NETWORK\",  \"id\":23016,   \"ctx\":\"listener\",\"msg\":\"Waiting for connections\",\"attr\":{{\"port\":27017,\"ssl\":\"off\"}}}}", &ts[..19]),
        ],
        "httpd" => vec![
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.1.2. Set the 'ServerName' directive globally to suppress this message".to_string(),
            format!("[Thu Jan 01 {time}.000000 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations"),
            format!("[Thu Jan 01 {time}.000000 2026] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"),
        ],
        "postgres" => vec![
            "Error: Database is uninitialized and superuser password is not specified.".to_string(),
        ],
        _ => vec![],
    }
}

/// How long a running container takes to exit after SIGTERM (a server handles it at
/// once; a shell as PID 1 ignores it).
pub fn stop_time(b: &Behaviour, grace: Millis) -> Millis {
    if b.ignores_sigterm {
        grace
    } else {
        (SECOND / 5).min(grace)
    }
}

/// Ports the image's server listens on (`None`: unknown image, assume its declared ports).
pub fn listening_ports(image: &ImageRef) -> Option<&'static [i64]> {
    Some(match image.short_name() {
        "nginx" | "httpd" | "whoami" => &[80],
        "echoserver" => &[8080],
        "http-echo" => &[5678],
        "redis" => &[6379],
        "mongo" => &[27017],
        "postgres" => &[5432],
        "mysql" => &[3306, 33060],
        "coredns" => &[53, 8080, 8181, 9153],
        "busybox" | "alpine" | "ubuntu" | "debian" => &[],
        _ => return None,
    })
}

/// What a probe of this container run sees (see [`Outcome`]): exec probes that read a
/// file fail while the command has not created it or after it removed it; httpGet and
/// tcpSocket probes get what the pod's application answers (`network::apps`), so a path
/// nginx does not serve is a 404 and a port nothing listens on is refused.
pub fn probe_outcome(
    probe: &serde_json::Value,
    b: &Behaviour,
    pod: &serde_json::Value,
    spec: &serde_json::Value,
    ip: &str,
) -> Outcome {
    use serde_json::Value;
    if let Some(cmd) = probe.pointer("/exec/command").and_then(Value::as_array) {
        let argv: Vec<&str> = cmd.iter().filter_map(Value::as_str).collect();
        return exec_outcome(&argv, b);
    }
    let declared: Vec<(String, i64)> = spec
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                p.get("containerPort").and_then(Value::as_i64).unwrap_or(0),
            )
        })
        .collect();
    let port_of = |v: Option<&Value>| -> Option<i64> {
        match v? {
            Value::Number(n) => n.as_i64(),
            Value::String(name) => declared
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| *p)
                .or_else(|| name.parse().ok()),
            _ => None,
        }
    };
    let (port, http) = match (probe.get("httpGet"), probe.get("tcpSocket")) {
        (Some(http), _) => (port_of(http.get("port")), Some(http)),
        (None, Some(tcp)) => (port_of(tcp.get("port")), None),
        _ => return Outcome::passing(),
    };
    let Some(port) = port.and_then(|p| u16::try_from(p).ok()) else {
        return Outcome::passing();
    };
    // The pod as its application sees it: this run's containers up, at this IP.
    let mut running = pod.clone();
    let statuses: Vec<Value> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| crate::sim::json::json!({"name": c.get("name"), "state": {"running": {}}}))
        .collect();
    running["status"] = crate::sim::json::json!({"podIP": ip, "containerStatuses": statuses});
    let image_unknown = images::parse(crate::sim::object::str_at(spec, "/image"))
        .map(|r| listening_ports(&r).is_none())
        .unwrap_or(true);
    let listened = apps::listener(&running, port).is_some()
        // An image kubesim knows nothing about that declares no ports: give it the
        // benefit of the doubt rather than invent a failure.
        || (image_unknown && declared.is_empty());
    let refused = format!("dial tcp {ip}:{port}: connect: connection refused");
    let Some(http) = http else {
        return if listened {
            Outcome::passing()
        } else {
            Outcome::always_failing(refused)
        };
    };
    let path = http.get("path").and_then(Value::as_str).unwrap_or("/");
    let scheme = http
        .get("scheme")
        .and_then(Value::as_str)
        .unwrap_or("HTTP")
        .to_lowercase();
    let url = format!("{scheme}://{ip}:{port}{path}");
    if !listened {
        return Outcome::always_failing(format!("Get \"{url}\": {refused}"));
    }
    if scheme == "https" {
        return Outcome::always_failing(format!(
            "Get \"{url}\": http: server gave HTTP response to HTTPS client"
        ));
    }
    let request = Request::get(Url {
        scheme: "http".into(),
        host: ip.to_string(),
        port,
        path: path.to_string(),
    });
    let peer = Peer {
        ip: String::new(),
        port: 0,
        // prober/http: `kube-probe/<major>.<minor>`.
        user_agent: "kube-probe/1.34".into(),
    };
    match apps::answer(&running, port, &request, &peer, "") {
        Reply::Http(r) if (200..400).contains(&r.status) => Outcome::passing(),
        Reply::Http(r) => {
            Outcome::always_failing(format!("HTTP probe failed with statuscode: {}", r.status))
        }
        Reply::Refused => Outcome::always_failing(format!("Get \"{url}\": {refused}")),
        Reply::EmptyReply => Outcome::always_failing(format!("Get \"{url}\": EOF")),
    }
}

/// An exec probe: `cat FILE` and its kin (also under `sh -c`) fail while FILE is absent;
/// any other command is taken to succeed.
fn exec_outcome(argv: &[&str], b: &Behaviour) -> Outcome {
    let script: Vec<String> = match argv {
        [sh, "-c", script] if matches!(sh.rsplit('/').next(), Some("sh" | "bash")) => {
            split_words(script)
        }
        _ => argv.iter().map(|a| a.to_string()).collect(),
    };
    let words: Vec<&str> = script.iter().map(String::as_str).collect();
    let (program, file) = match words.as_slice() {
        [p @ ("cat" | "ls" | "stat"), f] => (*p, *f),
        ["test", "-e" | "-f", f] => ("test", *f),
        _ => return Outcome::passing(),
    };
    let message = match program {
        "cat" => format!("cat: can't open '{file}': No such file or directory"),
        "ls" => format!("ls: {file}: No such file or directory"),
        "stat" => format!("stat: can't stat '{file}': No such file or directory"),
        _ => String::new(),
    };
    // Absent before it is created and after it is removed.
    let mut failing = vec![];
    let mut absent_from = Some(0);
    for (_, created, removed) in b.files.iter().filter(|(p, _, _)| p == file) {
        if let Some(from) = absent_from.take() {
            // What the script creates before anything slow runs is there by the first probe.
            if *created > from.max(SCRIPT_START) {
                failing.push((from, Some(*created)));
            }
        }
        absent_from = *removed;
    }
    if let Some(from) = absent_from {
        failing.push((from, None));
    }
    Outcome { failing, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::images::parse;

    fn run(image: &str, cmd: &[&str], args: &[&str]) -> Behaviour {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        behaviour(&parse(image).expect("valid"), &s(cmd), &s(args), 0)
    }

    #[test]
    fn probe_outcomes() {
        let b = run(
            "busybox",
            &["sh", "-c"],
            &["touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        );
        let cat = crate::sim::json::json!({"exec": {"command": ["cat", "/tmp/healthy"]}});
        let pod =
            crate::sim::json::json!({"spec": {"containers": [{"name": "c", "image": "busybox"}]}});
        let spec = &pod["spec"]["containers"][0];
        let o = probe_outcome(&cat, &b, &pod, spec, "10.244.1.2");
        assert_eq!(o.failing, vec![(30_100, None)]);
        // Created after a while: failing until then (a slow start).
        let late = run(
            "busybox",
            &["sh", "-c"],
            &["sleep 20; touch /tmp/healthy; sleep 600"],
        );
        let sh_cat =
            crate::sim::json::json!({"exec": {"command": ["sh", "-c", "cat /tmp/healthy"]}});
        let o = probe_outcome(&sh_cat, &late, &pod, spec, "10.244.1.2");
        assert_eq!(o.failing, vec![(0, Some(20_100))]);

        let pod =
            crate::sim::json::json!({"spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let spec = &pod["spec"]["containers"][0];
        let b = run("nginx", &[], &[]);
        let table = [
            (crate::sim::json::json!({"httpGet": {"path": "/", "port": 80}}), None),
            (
                crate::sim::json::json!({"httpGet": {"path": "/healthz", "port": 80}}),
                Some("HTTP probe failed with statuscode: 404"),
            ),
            (
                crate::sim::json::json!({"httpGet": {"path": "/", "port": 8080}}),
                Some("Get \"http://10.244.1.2:8080/\": dial tcp 10.244.1.2:8080: connect: connection refused"),
            ),
            (crate::sim::json::json!({"tcpSocket": {"port": 80}}), None),
            (
                crate::sim::json::json!({"tcpSocket": {"port": 8080}}),
                Some("dial tcp 10.244.1.2:8080: connect: connection refused"),
            ),
        ];
        for (probe, want) in table {
            let o = probe_outcome(&probe, &b, &pod, spec, "10.244.1.2");
            match want {
                None => assert_eq!(o, Outcome::passing(), "{probe}"),
                Some(m) => assert_eq!(
                    (o.failing, o.message.as_str()),
                    (vec![(0, None)], m),
                    "{probe}"
                ),
            }
        }
    }

    #[test]
    fn behaviours() {
        assert_eq!(run("nginx", &[], &[]).runs_for, None);
        assert_eq!(run("busybox", &[], &[]).runs_for, Some(100));
        let b = run("busybox", &["sleep", "3600"], &[]);
        assert_eq!((b.runs_for, b.exit_code), (Some(3_600_100), 0));
        let b = run("busybox", &["sh", "-c"], &["echo hello; sleep 5; exit 3"]);
        assert_eq!(
            (b.runs_for, b.exit_code, b.logs.clone()),
            (Some(5_100), 3, vec!["hello".to_string()])
        );
        assert_eq!(run("busybox", &["false"], &[]).exit_code, 1);
        // The memory task's two pods: 150M and 250M held by one vm worker.
        let b = run(
            "polinux/stress",
            &["stress"],
            &["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"],
        );
        assert_eq!((b.runs_for, b.memory), (None, 150 * 1024 * 1024));
        let b = run(
            "polinux/stress",
            &["stress"],
            &["--vm", "2", "--vm-bytes", "250m", "--timeout", "60s"],
        );
        assert_eq!((b.runs_for, b.memory), (Some(60_000), 500 * 1024 * 1024));
        assert_eq!(
            run(
                "busybox",
                &["sh", "-c", "while true; do echo hi; sleep 1; done"],
                &[]
            )
            .runs_for,
            None
        );
    }
}
