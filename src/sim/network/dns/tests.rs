//! k8s-behaviour.md §8 "Tests", rows 8.1–8.10, as a table against a real simulated
//! cluster (objects created through the apiserver, controllers and kubelets running),
//! plus the index's bookkeeping and the flow a lookup records.

use super::*;
use crate::sim::apiserver::WriteOptions;
use crate::sim::sort::SharedSort;
use crate::sim::ClusterOptions;
use serde_json::Value;

fn create(cluster: &mut Cluster, yaml: &str) {
    for doc in yaml.split("\n---\n") {
        let obj: Value = serde_yaml::from_str(doc).expect("test manifest");
        let rt = cluster
            .resource_for(object::api_version(&obj), object::kind(&obj))
            .expect("served kind");
        cluster
            .create(&rt, obj, "default", &WriteOptions::default())
            .expect("created");
    }
}

const NGINX_STS: &str = "apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}]
";

const WHOAMI: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: example}
spec:
  replicas: 3
  selector: {matchLabels: {app: example}}
  template:
    metadata: {labels: {app: example}}
    spec:
      containers: [{name: whoami, image: traefik/whoami, ports: [{name: http, containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: example}
spec:
  selector: {app: example}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: plain}
spec:
  selector: {app: example}
  ports: [{port: 8080, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: example-headless}
spec:
  clusterIP: None
  selector: {app: example}
  ports: [{name: http, port: 80, targetPort: http}]
";

/// Pods that never become ready (the readiness probe's port has no listener), behind a
/// headless Service with and without publishNotReadyAddresses.
const NOT_READY: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: slow}
spec:
  replicas: 2
  selector: {matchLabels: {app: slow}}
  template:
    metadata: {labels: {app: slow}}
    spec:
      containers:
      - name: nginx
        image: nginx
        readinessProbe: {tcpSocket: {port: 8080}}
---
apiVersion: v1
kind: Service
metadata: {name: slow}
spec:
  clusterIP: None
  selector: {app: slow}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: slow-published}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: slow}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: foo}
spec:
  type: ExternalName
  externalName: www.example.com
";

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterOptions::default());
    create(&mut c, NGINX_STS);
    create(&mut c, WHOAMI);
    create(&mut c, NOT_READY);
    c.advance(120_000);
    c
}

fn pod_ips(c: &Cluster, label: &str) -> Vec<String> {
    let rt = super::super::resource(c, "pods");
    let mut ips: Vec<String> = c
        .list(&rt, Some("default"))
        .into_iter()
        .filter(|p| object::str_at(p, "/metadata/labels/app") == label)
        .map(|p| object::str_at(p, "/status/podIP").to_string())
        .collect();
    ips.sort_shared();
    ips
}

fn data(a: &Answer) -> Vec<String> {
    let mut v: Vec<String> = a.records.iter().map(|r| r.data.to_text()).collect();
    v.sort_shared();
    v
}

#[test]
fn the_specification_table() {
    let mut c = cluster();
    let whoami = pod_ips(&c, "example");
    let slow = pod_ips(&c, "slow");
    let web = pod_ips(&c, "nginx");
    assert_eq!((whoami.len(), slow.len(), web.len()), (3, 2, 2));
    let svc_ip = |c: &Cluster, name: &str| {
        let rt = super::super::resource(c, "services");
        object::str_at(c.get(&rt, "default", name).unwrap(), "/spec/clusterIP").to_string()
    };
    let example_ip = svc_ip(&c, "example");
    // web-0's own address (which node, so which IP, it lands on depends on the seed).
    let web0_ip = {
        let rt = super::super::resource(&c, "pods");
        let pod = c.get(&rt, "default", "web-0").expect("web-0 runs");
        object::str_at(pod, "/status/podIP").to_string()
    };
    struct Row {
        id: &'static str,
        name: &'static str,
        qtype: QType,
        rcode: Rcode,
        data: Vec<String>,
    }
    let row = |id, name, qtype, rcode, data: Vec<String>| Row {
        id,
        name,
        qtype,
        rcode,
        data,
    };
    let rows = vec![
        row(
            "8.1",
            "kubernetes.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            vec!["10.96.0.1".into()],
        ),
        row(
            "8.1 case-insensitive",
            "KUBERNETES.Default.svc.cluster.local.",
            QType::A,
            Rcode::NoError,
            vec!["10.96.0.1".into()],
        ),
        row(
            "8.3",
            "example-headless.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            whoami.clone(),
        ),
        row(
            "8.3 ClusterIP",
            "example.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            vec![example_ip.clone()],
        ),
        row(
            "8.4",
            "slow.default.svc.cluster.local",
            QType::A,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "8.5",
            "slow-published.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            slow.clone(),
        ),
        row(
            "8.6",
            "_http._tcp.nginx.default.svc.cluster.local",
            QType::Srv,
            Rcode::NoError,
            vec![
                "0 50 80 web-0.nginx.default.svc.cluster.local.".into(),
                "0 50 80 web-1.nginx.default.svc.cluster.local.".into(),
            ],
        ),
        row(
            "8.6 ClusterIP",
            "_http._tcp.example.default.svc.cluster.local",
            QType::Srv,
            Rcode::NoError,
            vec!["0 100 80 example.default.svc.cluster.local.".into()],
        ),
        row(
            "8.7",
            "_8080._tcp.plain.default.svc.cluster.local",
            QType::Srv,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "8.7 unnamed",
            "_http._tcp.plain.default.svc.cluster.local",
            QType::Srv,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "8.7 wrong protocol",
            "_http._udp.example.default.svc.cluster.local",
            QType::Srv,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "8.9",
            "dns-version.cluster.local",
            QType::Txt,
            Rcode::NoError,
            vec!["\"1.1.0\"".into()],
        ),
        row(
            "8.10",
            "foo.default.svc.cluster.local",
            QType::Cname,
            Rcode::NoError,
            vec!["www.example.com.".into()],
        ),
        row(
            "8.10 A",
            "foo.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            vec!["www.example.com.".into()],
        ),
        row(
            "StatefulSet pod",
            "web-0.nginx.default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            vec![web0_ip.clone()],
        ),
        row(
            "NODATA",
            "example.default.svc.cluster.local",
            QType::Aaaa,
            Rcode::NoError,
            vec![],
        ),
        row(
            "missing",
            "nope.default.svc.cluster.local",
            QType::A,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "no namespace",
            "example.svc.cluster.local",
            QType::A,
            Rcode::NxDomain,
            vec![],
        ),
        row(
            "namespace",
            "default.svc.cluster.local",
            QType::A,
            Rcode::NoError,
            vec![],
        ),
        row(
            "pods insecure",
            "10-244-1-9.default.pod.cluster.local",
            QType::A,
            Rcode::NoError,
            vec!["10.244.1.9".into()],
        ),
        row("upstream", "example.com", QType::A, Rcode::NxDomain, vec![]),
        row(
            "PTR cluster IP",
            "1.0.96.10.in-addr.arpa",
            QType::Ptr,
            Rcode::NoError,
            vec!["kubernetes.default.svc.cluster.local.".into()],
        ),
    ];
    for r in rows {
        let a = query(&c, r.name, r.qtype);
        assert_eq!(
            (a.rcode, data(&a)),
            (r.rcode, r.data),
            "row {}: {}",
            r.id,
            a.explanation
        );
        assert!(!a.explanation.is_empty(), "row {} explains itself", r.id);
    }
    // 8.2: a short name from a pod in `default` goes through the search list.
    let client = Client::Pod {
        namespace: "default".into(),
        name: "web-0".into(),
    };
    let l = lookup(&mut c, &client, "example", QType::A);
    assert_eq!(l.addresses(), vec![example_ip]);
    assert_eq!(
        l.tried,
        vec![(
            "example.default.svc.cluster.local".to_string(),
            Rcode::NoError
        )]
    );
    // 8.8
    assert_eq!(
        resolv_conf("dev"),
        "search dev.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
}

#[test]
fn a_lookup_is_a_flow_through_kube_proxy_to_a_coredns_pod() {
    let mut c = cluster();
    let client = Client::Pod {
        namespace: "default".into(),
        name: "web-0".into(),
    };
    let l = lookup(&mut c, &client, "nope", QType::A);
    assert_eq!(l.answer.rcode, Rcode::NxDomain);
    assert_eq!(
        l.tried.len(),
        4,
        "three search domains, then the name as is"
    );
    let flow = c.network().flows().get(l.flow).expect("recorded");
    assert_eq!(flow.layer, Layer::Dns);
    assert_eq!(flow.outcome, Outcome::NxDomain);
    assert!(
        flow.hops[1]
            .rule
            .starts_with("DNAT 10.96.0.10:53 → 10.244.0."),
        "{:?}",
        flow.hops[1]
    );
    assert!(flow.hops[0]
        .explanation
        .contains("nope → nope.default.svc.cluster.local"));
    // web-0 runs on a worker, CoreDNS on control-plane: one more hop across nodes.
    assert_eq!(flow.hops[2].to, Place::Node("control-plane".into()));
    assert!(
        matches!(&flow.hops[3].to, Place::Pod { namespace, name } if namespace == "kube-system" && name.starts_with("coredns-"))
    );
    assert_eq!(flow.hops.len(), 3 + 2 * 4);
}

#[test]
fn the_index_follows_deletes_and_costs_no_listing() {
    let mut c = cluster();
    assert!(c.network.dns.slices("default", "example-headless").count() > 0);
    let rt = super::super::resource(&c, "services");
    c.delete(&rt, "default", "example-headless", &Default::default())
        .expect("deleted");
    c.advance(5_000);
    assert_eq!(
        c.network.dns.slices("default", "example-headless").count(),
        0
    );
    assert_eq!(
        query(&c, "example-headless.default.svc.cluster.local", QType::A).rcode,
        Rcode::NxDomain
    );
    // Endpoints of the remaining Services are still indexed by IP.
    let ip = pod_ips(&c, "example")[0].clone();
    assert!(c
        .network
        .dns
        .services_with_endpoint(&ip)
        .any(|(ns, s)| ns == "default" && s == "example"));
}

#[test]
fn dns_config_merges_into_cluster_first() {
    let pod: Value = serde_yaml::from_str(
        "metadata: {name: p, namespace: dev}
spec:
  dnsConfig:
    nameservers: [10.96.0.10, 1.1.1.1]
    searches: [svc.cluster.local, corp.example]
    options: [{name: ndots, value: '2'}, {name: edns0}]",
    )
    .unwrap();
    let conf = ResolvConf::for_pod(&pod);
    assert_eq!(
        conf.render(),
        "search dev.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2 edns0\n"
    );
    // ndots:2 — a name with two dots is asked as is first.
    assert_eq!(conf.search_names("web.dev.svc")[0], "web.dev.svc");
    assert_eq!(conf.search_names("web")[0], "web.dev.svc.cluster.local");
    let none: Value = serde_yaml::from_str(
        "metadata: {name: p, namespace: dev}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [8.8.8.8]}",
    )
    .unwrap();
    assert_eq!(ResolvConf::for_pod(&none).render(), "nameserver 8.8.8.8\n");
    assert_eq!(ResolvConf::for_pod(&none).ndots(), 1);
}
