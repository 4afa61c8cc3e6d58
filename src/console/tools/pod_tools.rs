//! What runs inside a container for `kubectl exec`: which programs its image really
//! contains (busybox applets, Debian's coreutils, bind's dnsutils, netshoot's
//! everything, nothing at all in a scratch image like traefik/whoami), and the small
//! programs that only read the pod (`cat /etc/resolv.conf`, `hostname`, `env`, a
//! one-line `sh -c`). The network tools live in their own modules.

use crate::console::output::Output;
use crate::sim::kubelet::images::ImageRef;
use crate::sim::network::dns;
use crate::sim::network::request::Client;
use crate::sim::object;
use crate::sim::Cluster;
use serde_json::Value;

/// Which `nslookup` an image has: busybox's applet or bind's (dnsutils).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Busybox,
    Bind,
}

/// The programs an image holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolkit {
    /// What the image is, in words (`busybox`, `Debian`, `scratch`).
    pub base: &'static str,
    pub programs: Vec<&'static str>,
    /// Whose coreutils and nslookup: busybox applets or GNU/bind.
    pub flavor: Flavor,
}

impl Toolkit {
    pub fn has(&self, program: &str) -> bool {
        self.programs.contains(&program)
    }
}

/// Busybox's applets that a learner reaches for.
const BUSYBOX: &[&str] = &[
    "sh",
    "ash",
    "cat",
    "echo",
    "env",
    "printenv",
    "hostname",
    "nslookup",
    "wget",
    "ping",
    "ls",
    "date",
    "sleep",
    "true",
    "false",
    "id",
    "whoami",
    "uname",
    "ps",
    "nc",
    "traceroute",
    "ip",
    "ifconfig",
    "netstat",
    "vi",
    "top",
    "head",
    "tail",
    "grep",
];
/// A Debian or Ubuntu base: coreutils and a shell, no network tools.
const DEBIAN: &[&str] = &[
    "sh", "bash", "dash", "cat", "echo", "env", "printenv", "hostname", "ls", "date", "sleep",
    "true", "false", "id", "whoami", "uname", "head", "tail", "grep",
];
/// bind's dnsutils on top of a Debian base (jessie-dnsutils, tutum/dnsutils, …).
const DNSUTILS: &[&str] = &["dig", "host", "nslookup", "ping"];
/// nicolaka/netshoot: everything (on Alpine, with bind-tools and curl).
const NETSHOOT: &[&str] = &[
    "bash", "curl", "dig", "host", "nslookup", "nc", "tcpdump", "iperf3", "mtr",
];

/// The programs in `image` (by repository, then tag: `-alpine` variants are busybox).
pub fn toolkit(image: &ImageRef) -> Toolkit {
    let repo = image.repository();
    let short = image.short_name();
    let alpine = image.tag_or_latest().contains("alpine");
    let with = |base: &'static str, sets: &[&[&'static str]], flavor| Toolkit {
        base,
        programs: sets.iter().flat_map(|s| s.iter().copied()).collect(),
        flavor,
    };
    match short {
        "busybox" | "alpine" => with("busybox", &[BUSYBOX], Flavor::Busybox),
        "netshoot" => with("Alpine (netshoot)", &[BUSYBOX, NETSHOOT], Flavor::Bind),
        "curl" if repo.starts_with("docker.io/curlimages") => with(
            "Alpine (curlimages)",
            &[BUSYBOX, &["curl"]],
            Flavor::Busybox,
        ),
        // The docs' dnsutils pod (admin/dns/dnsutils.yaml) runs agnhost: Alpine with
        // bind-tools and curl.
        "agnhost" => with(
            "Alpine (agnhost)",
            &[BUSYBOX, &["bash", "curl", "dig", "host", "nslookup"]],
            Flavor::Bind,
        ),
        "jessie-dnsutils" | "dnsutils" => {
            with("Debian (dnsutils)", &[DEBIAN, DNSUTILS], Flavor::Bind)
        }
        "whoami"
        | "http-echo"
        | "coredns"
        | "pause"
        | "kube-apiserver"
        | "kube-controller-manager"
        | "kube-scheduler"
        | "kube-proxy"
        | "etcd"
        | "kindnetd" => with("scratch", &[], Flavor::Busybox),
        "nginx" if alpine => with("Alpine (nginx)", &[BUSYBOX, &["curl"]], Flavor::Busybox),
        "nginx" => with("Debian (nginx)", &[DEBIAN, &["curl"]], Flavor::Bind),
        "python" | "node" if !alpine => with("Debian", &[DEBIAN, &["curl"]], Flavor::Bind),
        _ if alpine => with("Alpine", &[BUSYBOX], Flavor::Busybox),
        _ => with("Debian", &[DEBIAN], Flavor::Bind),
    }
}

/// The pod and container a command runs in.
pub struct PodContext {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub object: Value,
    pub image: ImageRef,
    pub toolkit: Toolkit,
    /// The pod's resolver configuration (`/etc/resolv.conf`).
    pub resolv: dns::ResolvConf,
}

impl PodContext {
    pub fn client(&self) -> Client {
        Client::Pod {
            namespace: self.namespace.clone(),
            name: self.pod.clone(),
        }
    }

    /// `spec.hostname` if set, else the pod's name (what `hostname` prints).
    pub fn hostname(&self) -> String {
        match object::str_at(&self.object, "/spec/hostname") {
            "" => self.pod.clone(),
            h => h.to_string(),
        }
    }

    pub fn ip(&self) -> &str {
        object::str_at(&self.object, "/status/podIP")
    }
}

/// What a program in the container did: its output and exit code.
pub fn exited(mut out: Output, code: i32) -> Output {
    out.status = code;
    out
}

/// Runs `argv` in the container. The caller has checked that the program exists.
pub fn run(cluster: &mut Cluster, ctx: &PodContext, argv: &[String]) -> Output {
    let program = program_name(&argv[0]);
    let args = &argv[1..];
    match program {
        "sh" | "ash" | "bash" | "dash" => shell(cluster, ctx, program, args),
        "cat" => cat(cluster, ctx, args),
        "echo" => Output::ok(format!("{}\n", args.join(" "))),
        "true" => Output::default(),
        "false" => exited(Output::default(), 1),
        "hostname" => Output::ok(format!("{}\n", ctx.hostname())),
        "env" | "printenv" => Output::ok(environment(cluster, ctx)),
        "nslookup" => super::nslookup::run(cluster, ctx, args),
        "host" => super::host::run(cluster, ctx, args),
        "dig" => super::dig::run(cluster, ctx, args),
        "wget" => super::wget::run(cluster, ctx, args),
        "curl" => {
            let ua = format!("curl/{}", curl_version(&ctx.image));
            super::curl::run(cluster, &ctx.client(), args, &ua)
        }
        other => {
            let mut o = Output::default();
            o.err(format!(
                "kubesim: {other} is in the {} image but is not simulated; try nslookup, host, dig, wget, curl, cat /etc/resolv.conf, hostname or env",
                ctx.toolkit.base
            ));
            o.status = 0;
            o
        }
    }
}

/// The curl an image ships: Debian bookworm's 7.88.1 in nginx, the tag's in
/// curlimages/curl, a current 8.x elsewhere.
fn curl_version(image: &ImageRef) -> String {
    let tag = image.tag_or_latest();
    match image.short_name() {
        "curl" if tag.starts_with('8') => tag.to_string(),
        "nginx" if !tag.contains("alpine") => "7.88.1".to_string(),
        _ => crate::sim::network::request::LAPTOP_CURL.to_string(),
    }
}

/// `/bin/sh` → `sh`.
pub fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `sh -c "cmd; cmd && cmd"`: each simple command in turn, with `;`, `&&` and `||`.
/// Without `-c` the shell would wait for a terminal.
fn shell(cluster: &mut Cluster, ctx: &PodContext, program: &str, args: &[String]) -> Output {
    let Some(i) = args.iter().position(|a| a == "-c") else {
        let mut o = Output::default();
        o.err(format!(
            "kubesim: an interactive {program} cannot run in this console; run one command at a time: kubectl exec {} -- nslookup kubernetes",
            ctx.pod
        ));
        o.status = 0;
        return o;
    };
    let Some(script) = args.get(i + 1) else {
        let message = if ctx.toolkit.flavor == Flavor::Busybox {
            format!("{program}: -c requires an argument")
        } else {
            format!("{program}: -c: option requires an argument")
        };
        return exited(Output::fail(message), 2);
    };
    let mut out = Output::default();
    let mut status = 0;
    let mut connector = ";";
    for (words, next) in split_script(script) {
        let skip = (connector == "&&" && status != 0) || (connector == "||" && status == 0);
        connector = next;
        if skip || words.is_empty() {
            continue;
        }
        let name = program_name(&words[0]).to_string();
        let step = if !ctx.toolkit.has(&name) {
            let mut o = Output::default();
            o.err(match program {
                "bash" => format!("bash: line 1: {name}: command not found"),
                _ if ctx.toolkit.flavor == Flavor::Busybox => {
                    format!("{program}: {name}: not found")
                }
                _ => format!("{program}: 1: {name}: not found"),
            });
            o.status = 127;
            o
        } else {
            run(cluster, ctx, &words)
        };
        status = step.status;
        out.chunks.extend(step.chunks);
    }
    exited(out, status)
}

/// Splits a one-line script into simple commands (words, with quotes) and the operator
/// after each (`;`, `&&`, `||`).
fn split_script(script: &str) -> Vec<(Vec<String>, &'static str)> {
    let mut commands = vec![];
    let mut words: Vec<String> = vec![];
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            (None, ';') => {
                end_word(&mut word, &mut in_word, &mut words);
                commands.push((std::mem::take(&mut words), ";"));
            }
            (None, '&' | '|') if chars.peek() == Some(&c) => {
                chars.next();
                end_word(&mut word, &mut in_word, &mut words);
                let op = if c == '&' { "&&" } else { "||" };
                commands.push((std::mem::take(&mut words), op));
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    commands.push((words, ";"));
    commands
}

/// `cat FILE…`: the files the kubelet writes into every pod, nothing else.
fn cat(cluster: &Cluster, ctx: &PodContext, args: &[String]) -> Output {
    let mut out = Output::default();
    for path in args {
        match file(cluster, ctx, path) {
            Some(text) => out.out(text),
            None => {
                let message = if ctx.toolkit.flavor == Flavor::Busybox {
                    format!("cat: can't open '{path}': No such file or directory")
                } else {
                    format!("cat: {path}: No such file or directory")
                };
                out.error(message);
            }
        }
    }
    out
}

/// The files every container sees: resolv.conf and hosts (written by the kubelet),
/// hostname.
fn file(cluster: &Cluster, ctx: &PodContext, path: &str) -> Option<String> {
    let _ = cluster;
    match path {
        "/etc/resolv.conf" => Some(ctx.resolv.render()),
        "/etc/hostname" => Some(format!("{}\n", ctx.hostname())),
        "/etc/hosts" => Some(hosts_file(ctx)),
        _ => None,
    }
}

/// The kubelet-managed `/etc/hosts` (`managedHostsFileContent`).
fn hosts_file(ctx: &PodContext) -> String {
    let hostname = ctx.hostname();
    let subdomain = object::str_at(&ctx.object, "/spec/subdomain");
    let line = if subdomain.is_empty() {
        format!("{}\t{hostname}", ctx.ip())
    } else {
        format!(
            "{}\t{hostname}.{subdomain}.{}.svc.{}\t{hostname}",
            ctx.ip(),
            ctx.namespace,
            dns::CLUSTER_DOMAIN
        )
    };
    format!(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{line}\n"
    )
}

/// An `env[].valueFrom` the kubelet resolved when it started the container: a key of
/// a Secret (decoded) or of a ConfigMap in the pod's namespace. (A missing optional key
/// leaves the variable out, as the kubelet does; a required one would have kept the
/// container from starting.)
fn value_from(cluster: &Cluster, ctx: &PodContext, env: &Value) -> Option<String> {
    let (kind, reference) = [
        ("secrets", "secretKeyRef"),
        ("configmaps", "configMapKeyRef"),
    ]
    .into_iter()
    .find_map(|(kind, field)| Some((kind, env.pointer(&format!("/valueFrom/{field}"))?)))?;
    let rt = cluster.registry().resolve(kind)?.clone();
    let source = cluster
        .get(&rt, &ctx.namespace, object::str_at(reference, "/name"))
        .ok()?;
    let value = source
        .pointer("/data")?
        .get(object::str_at(reference, "/key"))?
        .as_str()?;
    Some(if kind == "secrets" {
        crate::console::printers::describe_kinds::base64_decode(value)
    } else {
        value.to_string()
    })
}

/// The container's environment: PATH and HOSTNAME, the container's `env` values, and
/// the Service variables the kubelet adds for every Service in the namespace
/// (`enableServiceLinks`, on by default) and for `kubernetes` in `default`.
fn environment(cluster: &Cluster, ctx: &PodContext) -> String {
    let mut lines = vec![
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        format!("HOSTNAME={}", ctx.hostname()),
    ];
    let container = ctx
        .object
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| object::str_at(c, "/name") == ctx.container);
    for e in container
        .and_then(|c| c.get("env"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = object::str_at(e, "/name");
        if let Some(v) = e.get("value").and_then(Value::as_str) {
            lines.push(format!("{name}={v}"));
        } else if let Some(v) = value_from(cluster, ctx, e) {
            lines.push(format!("{name}={v}"));
        }
    }
    let links = ctx
        .object
        .pointer("/spec/enableServiceLinks")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let rt = cluster
        .registry()
        .resolve("services")
        .expect("services are built in")
        .clone();
    let mut services: Vec<&Value> = vec![];
    if links {
        services.extend(cluster.list(&rt, Some(&ctx.namespace)));
    }
    if ctx.namespace != "default" {
        if let Ok(k) = cluster.get(&rt, "default", "kubernetes") {
            services.push(k);
        }
    }
    for svc in services {
        lines.extend(service_variables(svc));
    }
    lines.push("HOME=/root".into());
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `FOO_SERVICE_HOST`, `FOO_SERVICE_PORT[_NAME]`, `FOO_PORT`, `FOO_PORT_80_TCP[_…]`
/// (kubelet `envvars.FromServices`), for a Service with a cluster IP.
fn service_variables(svc: &Value) -> Vec<String> {
    let ip = object::str_at(svc, "/spec/clusterIP");
    if ip.is_empty() || ip == "None" {
        return vec![];
    }
    let prefix = object::name(svc).to_uppercase().replace('-', "_");
    let ports: Vec<&Value> = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let Some(first) = ports.first() else {
        return vec![];
    };
    let port_of = |p: &Value| p.get("port").and_then(Value::as_i64).unwrap_or(0);
    let proto_of = |p: &Value| match object::str_at(p, "/protocol") {
        "" => "tcp".to_string(),
        other => other.to_lowercase(),
    };
    let mut v = vec![
        format!("{prefix}_SERVICE_HOST={ip}"),
        format!("{prefix}_SERVICE_PORT={}", port_of(first)),
    ];
    for p in &ports {
        let name = object::str_at(p, "/name");
        if !name.is_empty() {
            v.push(format!(
                "{prefix}_SERVICE_PORT_{}={}",
                name.to_uppercase().replace('-', "_"),
                port_of(p)
            ));
        }
    }
    v.push(format!(
        "{prefix}_PORT={}://{ip}:{}",
        proto_of(first),
        port_of(first)
    ));
    for p in &ports {
        let (port, proto) = (port_of(p), proto_of(p));
        let base = format!("{prefix}_PORT_{port}_{}", proto.to_uppercase());
        v.push(format!("{base}={proto}://{ip}:{port}"));
        v.push(format!("{base}_PROTO={proto}"));
        v.push(format!("{base}_PORT={port}"));
        v.push(format!("{base}_ADDR={ip}"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::images::parse;

    #[test]
    fn images_hold_what_they_really_hold() {
        let has = |image: &str, program: &str| toolkit(&parse(image).unwrap()).has(program);
        assert!(has("busybox", "nslookup") && has("busybox", "wget"));
        assert!(!has("busybox", "curl") && !has("busybox", "dig") && !has("busybox", "host"));
        assert!(has("nginx", "curl") && !has("nginx", "nslookup") && !has("nginx", "wget"));
        assert!(has("nicolaka/netshoot", "dig") && has("nicolaka/netshoot", "curl"));
        assert!(has(
            "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3",
            "dig"
        ));
        assert!(has("curlimages/curl", "curl") && has("curlimages/curl", "nslookup"));
        assert!(has("registry.k8s.io/e2e-test-images/agnhost:2.39", "dig"));
        assert!(!has("traefik/whoami", "sh") && !has("hashicorp/http-echo", "sh"));
        assert_eq!(
            toolkit(&parse("tutum/dnsutils").unwrap()).flavor,
            Flavor::Bind
        );
    }

    #[test]
    fn one_line_scripts() {
        let s = split_script("nslookup web && echo 'a b'; false || echo x");
        let words: Vec<Vec<String>> = s.iter().map(|(w, _)| w.clone()).collect();
        assert_eq!(words[1], vec!["echo", "a b"]);
        assert_eq!(
            s.iter().map(|(_, op)| *op).collect::<Vec<_>>(),
            vec!["&&", ";", "||", ";"]
        );
    }
}
