//! What a request costs, and what an hour of traffic holds on to — the traffic figures
//! the README quotes. Run with `cargo bench --bench traffic` (or `make bench`).
//!
//! 1. Requests through a NodePort Service in a small cluster and in one with thousands of
//!    objects: kube-proxy answers from tables it keeps from the watch, so the cost per
//!    request should not grow with the cluster.
//! 2. One virtual hour of steady traffic at 100 requests/s: the flow log keeps the recent
//!    flows whole and counts the rest, so what it holds stays fixed.

use kubesim::console::Console;
use kubesim::sim::network::request::{self, Client, Request};
use std::time::Instant;

fn cluster(extra_services: usize) -> Console {
    let mut console = Console::new(1);
    console.execute("kubectl create deployment echo --image=traefik/whoami --replicas=3");
    console.execute("kubectl expose deployment echo --port=80 --type=NodePort");
    if extra_services > 0 {
        let mut m = String::new();
        for i in 0..extra_services {
            m.push_str(&format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector:\n    app: a{i}\n  ports:\n  - port: 80\n---\n"
            ));
        }
        for i in 0..extra_services {
            m.push_str(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v\n---\n"
            ));
        }
        console.execute(&format!("kubectl apply -f - <<EOF\n{m}EOF"));
    }
    console.execute("kubectl rollout status deployment/echo");
    console
}

fn per_request(console: &mut Console, n: usize) -> f64 {
    let port = console.execute("kubectl get svc echo -o jsonpath='{.spec.ports[0].nodePort}'");
    let url = request::parse_url(&format!("http://172.18.0.3:{}/", port.trim())).unwrap();
    let start = Instant::now();
    for _ in 0..n {
        let ex = request::send(
            console.cluster_mut(),
            &Client::Laptop,
            &Request::get(url.clone()),
        );
        assert!(ex.result.is_ok());
    }
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// Resident memory of this process in MB (Linux), for the "stays flat" figure.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    for extra in [0, 2_000] {
        let mut c = cluster(extra);
        let objects = c.cluster().store().objects().count();
        let us = per_request(&mut c, 20_000);
        println!("request through a NodePort, {objects:>5} objects in the cluster: {us:>7.1} µs per request");
    }
    let mut c = cluster(0);
    let port = c.execute("kubectl get svc echo -o jsonpath='{.spec.ports[0].nodePort}'");
    c.execute(&format!(
        "sim traffic start --from internet --rate 100 http://172.18.0.3:{}/",
        port.trim()
    ));
    let start = Instant::now();
    for minute in 1..=60 {
        c.execute("sleep 60");
        if minute == 1 || minute % 20 == 0 {
            let flows = c.cluster().network().flows();
            println!(
                "after {minute:>2} virtual min of 100 requests/s: {:>6} requests sent, {} flows kept whole, {} control-plane messages, resident memory {:.1} MB",
                flows.total(),
                flows.recent().count(),
                c.cluster().messages().len(),
                rss_mb()
            );
        }
    }
    println!(
        "one virtual hour of traffic took {:.1} s of wall time",
        start.elapsed().as_secs_f64()
    );
}
