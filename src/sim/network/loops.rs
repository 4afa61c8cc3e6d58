//! Containers that are load generators: a shell loop around `wget`/`curl` (the HPA
//! walkthrough's `while sleep 0.01; do wget -q -O- http://php-apache; done`) sends
//! steady traffic for as long as the container runs. Each such pod gets a `sim traffic`
//! generator from itself, started when it is Running and stopped when it is not.
//!
//! The loop's rate is one request per iteration: the `sleep` plus the round trip
//! ([`ROUND_TRIP`]), at most [`MAX_RATE`] a second.

use super::request::{self, Client};
use super::traffic;
use crate::sim::object::{self, str_at};
use crate::sim::time::{parse_duration, Millis};
use crate::sim::Cluster;
use serde_json::Value;

/// What one `wget` of a small page costs the loop, connection and answer included.
pub const ROUND_TRIP: Millis = 30;
pub const MAX_RATE: u32 = 100;

/// Loop generators by pod (`namespace/name`) → generator id.
#[derive(Debug, Clone, Default)]
pub struct LoopState {
    pub(crate) cursor: u64,
    running: std::collections::BTreeMap<String, u32>,
}

/// The URL and rate of a container's request loop, if its command is one.
pub fn request_loop(container: &Value) -> Option<(String, u32)> {
    let script: Vec<&str> = ["/command", "/args"]
        .iter()
        .filter_map(|p| container.pointer(p).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let script = script.join(" ");
    if !script.contains("while") {
        return None;
    }
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || c == ';' || c == '"' || c == '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let fetches = words.iter().any(|w| matches!(*w, "wget" | "curl"));
    let url = words
        .iter()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))?;
    if !fetches {
        return None;
    }
    let sleep = words
        .windows(2)
        .find(|w| w[0] == "sleep")
        .and_then(|w| seconds(w[1]))
        .unwrap_or(0);
    let rate = (1000 / (sleep + ROUND_TRIP)).clamp(1, u64::from(MAX_RATE)) as u32;
    Some((url.to_string(), rate))
}

/// `sleep`'s argument: seconds, fractions allowed (`0.01`), or a suffixed duration.
fn seconds(arg: &str) -> Option<Millis> {
    match arg.parse::<f64>() {
        Ok(s) if s >= 0.0 => Some((s * 1000.0).round() as Millis),
        _ => parse_duration(arg),
    }
}

/// Starts or stops loop generators for the pods that changed since the last turn.
pub fn reconcile(cluster: &mut Cluster) {
    let cursor = cluster.network.loops.cursor;
    let changed: Vec<(String, String)> = cluster
        .store
        .events_since(cursor)
        .iter()
        .filter(|e| e.key.resource.group.is_empty() && e.key.resource.resource == "pods")
        .map(|e| (e.key.namespace.clone(), e.key.name.clone()))
        .collect();
    cluster.network.loops.cursor = cluster.store.revision();
    for (ns, name) in changed {
        sync(cluster, &ns, &name);
    }
}

fn sync(cluster: &mut Cluster, ns: &str, name: &str) {
    let key = format!("{ns}/{name}");
    let pods = super::resource(cluster, "pods");
    let wanted = cluster
        .get(&pods, ns, name)
        .ok()
        .filter(|p| str_at(p, "/status/phase") == "Running" && !object::is_deleting(p))
        .and_then(|p| {
            let running = |c: &Value| {
                p.pointer("/status/containerStatuses")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|s| {
                        str_at(s, "/name") == str_at(c, "/name")
                            && s.pointer("/state/running").is_some()
                    })
            };
            p.pointer("/spec/containers")
                .and_then(Value::as_array)?
                .iter()
                .filter(|c| running(c))
                .find_map(request_loop)
        });
    let current = cluster.network.loops.running.get(&key).copied();
    match (wanted, current) {
        (Some((url, rate)), None) => {
            let Ok(url) = request::parse_url(&url) else {
                return;
            };
            let client = Client::Pod {
                namespace: ns.to_string(),
                name: name.to_string(),
            };
            let id = traffic::start(cluster, client, format!("pod/{name}"), url, rate, false);
            cluster.network.loops.running.insert(key, id);
        }
        (None, Some(id)) => {
            traffic::stop(cluster, Some(id));
            cluster.network.loops.running.remove(&key);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn loops_of_wget_or_curl_are_generators() {
        let walkthrough = json!({"command": ["/bin/sh", "-c", "while sleep 0.01; do wget -q -O- http://php-apache; done"]});
        assert_eq!(
            request_loop(&walkthrough),
            Some(("http://php-apache".into(), 25))
        );
        let curl =
            json!({"args": ["sh", "-c", "while true; do curl -s http://web/; sleep 1; done"]});
        assert_eq!(request_loop(&curl), Some(("http://web/".into(), 1)));
        let once = json!({"command": ["wget", "-q", "-O-", "http://web"]});
        assert_eq!(request_loop(&once), None);
        let sleeper = json!({"command": ["sh", "-c", "while true; do sleep 5; done"]});
        assert_eq!(request_loop(&sleeper), None);
    }
}
