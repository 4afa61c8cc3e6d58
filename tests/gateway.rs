//! Envoy Gateway's weighted backendRefs: a 90/10 split lands within ±5 % of its weights
//! over 2,000 requests, for several seeds; a header match takes every request it matches.
//! Requests go through the same `request::send` the console's curl uses.

use kubesim::console::Console;
use kubesim::sim::network::request::{self, Client, Request};
use std::collections::BTreeMap;

const SETUP: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: v1
spec:
  selector:
    app: v1
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: v2
spec:
  selector:
    app: v2
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: app
spec:
  parentRefs:
  - name: eg
  rules:
  - matches:
    - headers:
      - name: env
        value: canary
    backendRefs:
    - name: v2
      port: 80
  - backendRefs:
    - name: v1
      port: 80
      weight: 90
    - name: v2
      port: 80
      weight: 10
"#;

fn gateway(seed: u64) -> (Console, String) {
    let mut console = Console::new(seed);
    console.execute("kubectl create deployment v1 --image=traefik/whoami");
    console.execute("kubectl create deployment v2 --image=traefik/whoami");
    console.execute(&format!("kubectl apply -f - <<EOF\n{SETUP}EOF"));
    console.execute("sleep 20");
    let ip = console.execute("kubectl get gateway eg -o jsonpath='{.status.addresses[0].value}'");
    (console, ip.trim().to_string())
}

/// Sends `n` requests with `headers`; returns how often each Service answered.
fn split(
    console: &mut Console,
    ip: &str,
    headers: &[(&str, &str)],
    n: usize,
) -> BTreeMap<String, usize> {
    let url = request::parse_url(&format!("http://{ip}/")).unwrap();
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        let mut req = Request::get(url.clone());
        req.headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ex = request::send(console.cluster_mut(), &Client::Laptop, &req);
        let flow = console.cluster().network().flows().get(ex.flow).unwrap();
        *counts
            .entry(flow.service.clone().unwrap_or_default())
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn a_90_10_split_lands_within_five_percent_over_two_thousand_requests() {
    for seed in [1, 2, 3] {
        let (mut console, ip) = gateway(seed);
        assert!(
            ip.starts_with("172.18.255."),
            "seed {seed}: no address: {ip:?}"
        );
        let counts = split(&mut console, &ip, &[], 2000);
        let v1 = counts.get("default/v1").copied().unwrap_or(0);
        let v2 = counts.get("default/v2").copied().unwrap_or(0);
        assert_eq!(v1 + v2, 2000, "seed {seed}: {counts:?}");
        assert!(
            (1700..=1900).contains(&v1),
            "seed {seed}: v1 got {v1} of 2000 (expected 1800 ± 5 %)"
        );
    }
}

#[test]
fn the_header_match_wins_over_the_split() {
    let (mut console, ip) = gateway(7);
    let counts = split(&mut console, &ip, &[("env", "canary")], 200);
    assert_eq!(counts.get("default/v2"), Some(&200), "{counts:?}");
}
