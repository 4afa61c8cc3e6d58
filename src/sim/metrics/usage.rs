//! What a container costs, by its image and command: the numbers cAdvisor would measure
//! and metrics-server reports. An image has an idle CPU and a resident memory, and a CPU
//! cost per request it answers (the data plane counts those, see `FlowLog::served_between`).
//! `stress`-like images burn what their arguments ask for. Everything is capped by the
//! container's CPU limit, as the CFS quota throttles a real one.
//!
//! Idle figures are typical of `kubectl top` on a fresh kind cluster; per-request costs
//! are rough service times (registry.k8s.io/hpa-example's index.php loops a million
//! square roots per request, about 20 ms of CPU).

use crate::sim::kubelet::images;
use crate::sim::object::str_at;
use serde_json::Value;

const MI: u64 = 1024 * 1024;

/// One image's footprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// CPU while serving nothing, in millicores.
    pub idle_millicores: u64,
    /// Working-set memory, in bytes.
    pub memory_bytes: u64,
    /// CPU per request answered, in microseconds of one core.
    pub cpu_micros_per_request: u64,
}

const fn profile(idle_millicores: u64, memory_mib: u64, cpu_micros_per_request: u64) -> Profile {
    Profile {
        idle_millicores,
        memory_bytes: memory_mib * MI,
        cpu_micros_per_request,
    }
}

/// The profile of a container (`spec.containers[i]`), from its image and command.
pub fn profile_of(container: &Value) -> Profile {
    let image = str_at(container, "/image");
    let short = images::parse(image)
        .map(|r| r.short_name().to_string())
        .unwrap_or_default();
    let argv = argv(container);
    if let Some(p) = stress(&short, &argv) {
        return p;
    }
    match short.as_str() {
        "hpa-example" => profile(1, 11, 20_000),
        "nginx" => profile(0, 3, 200),
        "httpd" => profile(1, 6, 300),
        "whoami" => profile(0, 2, 100),
        "echoserver" => profile(1, 5, 300),
        "http-echo" => profile(0, 2, 100),
        "agnhost" => profile(1, 8, 200),
        "busybox" | "alpine" | "ubuntu" | "debian" => {
            // A shell looping `wget` (the walkthrough's load generator) keeps a core
            // slightly busy; `sleep` costs nothing measurable.
            let looping = argv.iter().any(|a| a.contains("while"));
            profile(u64::from(looping) * 3, u64::from(looping), 0)
        }
        "redis" => profile(2, 3, 50),
        "mongo" => profile(6, 80, 300),
        "postgres" => profile(1, 20, 500),
        "mysql" => profile(5, 380, 500),
        "coredns" => profile(2, 12, 50),
        "etcd" => profile(20, 35, 0),
        "kube-apiserver" => profile(45, 220, 0),
        "kube-controller-manager" => profile(12, 45, 0),
        "kube-scheduler" => profile(3, 20, 0),
        "kube-proxy" => profile(1, 14, 0),
        "kindnetd" => profile(1, 9, 0),
        "metrics-server" => profile(4, 17, 0),
        "controller" => profile(2, 38, 150),
        "envoy" => profile(2, 25, 150),
        "gateway" => profile(3, 30, 0),
        _ => profile(1, 10, 200),
    }
}

fn argv(container: &Value) -> Vec<String> {
    ["/command", "/args"]
        .iter()
        .filter_map(|p| container.pointer(p).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// `polinux/stress` (`stress --vm 1 --vm-bytes 150M`, the memory-limits task) and
/// `vish/stress` (`-cpus 2`, the CPU-limits task): they use what they are told to.
fn stress(short: &str, argv: &[String]) -> Option<Profile> {
    if short != "stress" {
        return None;
    }
    let value_of = |flags: &[&str]| {
        argv.iter().enumerate().find_map(|(i, a)| {
            flags.iter().find_map(|f| {
                a.strip_prefix(&format!("{f}="))
                    .map(str::to_string)
                    .or_else(|| (a == f).then(|| argv.get(i + 1).cloned().unwrap_or_default()))
            })
        })
    };
    let cores = value_of(&["--cpu", "-c", "-cpus"])
        .and_then(|v| v.trim_matches('"').parse::<u64>().ok())
        .unwrap_or(0);
    let bytes = value_of(&["--vm-bytes", "-mem-total"])
        .and_then(|v| stress_bytes(v.trim_matches('"')))
        .unwrap_or(0);
    Some(Profile {
        idle_millicores: cores * 1000,
        memory_bytes: bytes + MI,
        cpu_micros_per_request: 0,
    })
}

/// stress's sizes: a number with an optional B/K/M/G suffix, powers of 1024.
fn stress_bytes(v: &str) -> Option<u64> {
    let (num, mult) = match v.chars().last()? {
        'B' | 'b' => (&v[..v.len() - 1], 1),
        'K' | 'k' => (&v[..v.len() - 1], 1024),
        'M' | 'm' => (&v[..v.len() - 1], MI),
        'G' | 'g' => (&v[..v.len() - 1], 1024 * MI),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

/// The CPU limit of a container in millicores, if it has one (`parse_milli` gives
/// thousandths of a core).
pub fn cpu_limit_millicores(container: &Value) -> Option<u64> {
    container
        .pointer("/resources/limits/cpu")
        .and_then(Value::as_str)
        .and_then(crate::sim::scheduler::parse_milli)
        .map(|m| m.max(0) as u64)
}

/// CPU over a window of `window` ms in which the container answered `served` requests:
/// idle plus the requests' CPU time spread over the window, at most the limit.
pub fn cpu_millicores(profile: &Profile, served: u64, window: u64, limit: Option<u64>) -> u64 {
    let busy = (served * profile.cpu_micros_per_request)
        .checked_div(window)
        .unwrap_or(0);
    let total = profile.idle_millicores + busy;
    limit.map_or(total, |l| total.min(l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn profiles_follow_the_image_and_its_arguments() {
        let c = |image: &str, args: Value| json!({"name": "c", "image": image, "args": args});
        let php = profile_of(&c("registry.k8s.io/hpa-example", json!([])));
        assert_eq!(php.cpu_micros_per_request, 20_000);
        let sleeper = profile_of(&c("busybox:1.36", json!(["sleep", "3600"])));
        assert_eq!((sleeper.idle_millicores, sleeper.memory_bytes), (0, 0));
        let loader = profile_of(&c(
            "busybox:1.28",
            json!([
                "/bin/sh",
                "-c",
                "while sleep 0.01; do wget -q -O- http://php-apache; done"
            ]),
        ));
        assert_eq!(loader.idle_millicores, 3);
        let mem = profile_of(&c(
            "polinux/stress",
            json!(["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]),
        ));
        assert_eq!(mem.memory_bytes, 151 * MI);
        let cpu = profile_of(&c("vish/stress", json!(["-cpus", "2"])));
        assert_eq!(cpu.idle_millicores, 2000);
    }

    #[test]
    fn cpu_is_idle_plus_work_and_throttled_at_the_limit() {
        let php = profile(1, 11, 20_000);
        // 24 requests/s for 15 s on one pod: 360 requests × 20 ms = 7.2 s of CPU in 15 s.
        assert_eq!(cpu_millicores(&php, 360, 15_000, None), 481);
        assert_eq!(cpu_millicores(&php, 360, 15_000, Some(500)), 481);
        assert_eq!(cpu_millicores(&php, 720, 15_000, Some(500)), 500);
        assert_eq!(cpu_millicores(&php, 0, 15_000, None), 1);
        assert_eq!(cpu_millicores(&php, 10, 0, None), 1);
        let limit = json!({"resources": {"limits": {"cpu": "500m"}}});
        assert_eq!(cpu_limit_millicores(&limit), Some(500));
        assert_eq!(cpu_limit_millicores(&json!({})), None);
    }
}
