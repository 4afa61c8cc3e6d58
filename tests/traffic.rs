//! The data plane's statistics: kube-proxy's probability rules spread new connections
//! evenly over a Service's endpoints, and `sessionAffinity: ClientIP` pins a client to one.
//! Requests go through the same `request::send` the console's curl uses.

use kubesim::console::Console;
use kubesim::sim::network::request::{self, Client, Request};
use std::collections::BTreeMap;

fn cluster_with_service(seed: u64, affinity: bool) -> Console {
    let mut console = Console::new(seed);
    console.execute("kubectl create deployment echo --image=traefik/whoami --replicas=3");
    let extra = if affinity {
        " --session-affinity=ClientIP"
    } else {
        ""
    };
    console.execute(&format!(
        "kubectl expose deployment echo --port=80 --type=NodePort{extra}"
    ));
    console.execute("kubectl rollout status deployment/echo");
    console
}

/// Sends `n` requests from the laptop to the Service's NodePort on worker-1; returns
/// the answering pods and how often each answered.
fn spread(console: &mut Console, n: usize) -> BTreeMap<String, usize> {
    let port = console.execute("kubectl get svc echo -o jsonpath='{.spec.ports[0].nodePort}'");
    let url = request::parse_url(&format!("http://172.18.0.3:{}/", port.trim())).unwrap();
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        let ex = request::send(
            console.cluster_mut(),
            &Client::Laptop,
            &Request::get(url.clone()),
        );
        assert!(ex.result.is_ok(), "{:?}", ex.result);
        let flow = console.cluster().network().flows().get(ex.flow).unwrap();
        *counts.entry(flow.endpoint.clone().unwrap()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn three_thousand_requests_land_within_five_percent_of_a_third_each() {
    for seed in [1, 2, 3] {
        let mut console = cluster_with_service(seed, false);
        let counts = spread(&mut console, 3000);
        assert_eq!(counts.len(), 3, "seed {seed}: {counts:?}");
        for (pod, n) in &counts {
            assert!(
                (950..=1050).contains(n),
                "seed {seed}: {pod} got {n} of 3000 (expected 1000 ± 5 %): {counts:?}"
            );
        }
        // The per-endpoint counters the page and `sim traffic counts` show agree.
        let kept = console
            .cluster()
            .network()
            .flows()
            .endpoint_counts("default/echo")
            .unwrap()
            .clone();
        let kept: BTreeMap<String, usize> =
            kept.into_iter().map(|(k, v)| (k, v as usize)).collect();
        assert_eq!(kept, counts, "seed {seed}");
    }
}

#[test]
fn client_ip_affinity_keeps_one_client_on_one_endpoint() {
    for seed in [1, 2, 3] {
        let mut console = cluster_with_service(seed, true);
        let counts = spread(&mut console, 3000);
        assert_eq!(counts.len(), 1, "seed {seed}: {counts:?}");
        assert_eq!(counts.values().sum::<usize>(), 3000);
    }
}

#[test]
fn affinity_expires_after_its_timeout() {
    let mut console = cluster_with_service(4, true);
    console.execute(
        "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: echo\n  labels:\n    app: echo\nspec:\n  type: NodePort\n  selector:\n    app: echo\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 10\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\nEOF",
    );
    let mut seen = BTreeMap::new();
    for _ in 0..60 {
        for (pod, n) in spread(&mut console, 5) {
            *seen.entry(pod).or_insert(0) += n;
        }
        // Longer than the timeout between bursts: each burst chooses afresh.
        console.execute("sleep 11");
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
}

#[test]
fn an_empty_cloud_pool_is_a_warning_event_and_a_freed_address_is_reused() {
    let mut console = Console::new(1);
    let mut manifest = String::new();
    for i in 0..51 {
        manifest.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb-{i:02}\nspec:\n  type: LoadBalancer\n  selector:\n    app: x\n  ports:\n  - port: 80\n---\n"
        ));
    }
    console.execute(&format!("kubectl apply -f - <<EOF\n{manifest}EOF"));
    console.execute("sleep 5");
    let external = |c: &mut Console, name: &str| {
        c.execute(&format!(
            "kubectl get svc {name} -o jsonpath='{{.status.loadBalancer.ingress[0].ip}}'"
        ))
    };
    assert_eq!(external(&mut console, "lb-00"), "172.18.255.200");
    assert_eq!(external(&mut console, "lb-49"), "172.18.255.249");
    // The pool holds 51 addresses and the default cluster's ingress-nginx holds the last
    // (172.18.255.250): the 51st Service stays pending with the cloud's error.
    assert_eq!(
        external(&mut console, "ingress-nginx-controller -n ingress-nginx"),
        "172.18.255.250"
    );
    assert_eq!(external(&mut console, "lb-50"), "");
    let events = console.execute("kubectl describe svc lb-50");
    assert!(
        events.contains("Warning  SyncLoadBalancerFailed")
            && events.contains("Error syncing load balancer: failed to ensure load balancer"),
        "{events}"
    );
    // Deleting one frees its address; the controller's retry (back-off) takes it.
    console.execute("kubectl delete svc lb-07");
    console.execute("sleep 30");
    assert_eq!(external(&mut console, "lb-50"), "172.18.255.207");
}

#[test]
fn internal_traffic_policy_local_keeps_pod_traffic_on_its_node() {
    let mut console = Console::new(1);
    console.execute("kubectl create deployment web --image=nginx:1.27 --replicas=1");
    console.execute("kubectl run client --image=nginx:1.27");
    console.execute("kubectl expose deployment web --port=80 --name=web-cluster");
    console.execute(
        "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-local\nspec:\n  internalTrafficPolicy: Local\n  selector:\n    app: web\n  ports:\n  - port: 80\nEOF",
    );
    console.execute("kubectl rollout status deployment/web");
    console.execute("sleep 5");
    let node_of = |c: &mut Console, sel: &str| {
        c.execute(&format!(
            "kubectl get pods {sel} -o jsonpath='{{.items[0].spec.nodeName}}'"
        ))
    };
    let web_node = node_of(&mut console, "-l app=web");
    let client_node = console.execute("kubectl get pod client -o jsonpath='{.spec.nodeName}'");
    assert_ne!(web_node, client_node, "the scheduler spreads them");
    let client = Client::Pod {
        namespace: "default".into(),
        name: "client".into(),
    };
    let ip = |c: &mut Console, svc: &str| {
        c.execute(&format!(
            "kubectl get svc {svc} -o jsonpath='{{.spec.clusterIP}}'"
        ))
    };
    for (svc, reaches) in [("web-cluster", true), ("web-local", false)] {
        let address = ip(&mut console, svc);
        let mut req = Request::get(request::parse_url(&format!("http://{address}/")).unwrap());
        req.timeout = Some(2000);
        let ex = request::send(console.cluster_mut(), &client, &req);
        assert_eq!(ex.result.is_ok(), reaches, "{svc}: {:?}", ex.result);
        if !reaches {
            let flow = console.cluster().network().flows().get(ex.flow).unwrap();
            let last = flow.hops.last().unwrap();
            assert!(
                last.explanation.contains("internalTrafficPolicy: Local"),
                "{}",
                last.explanation
            );
        }
    }
}
