//! `kubectl get` rows for networking kinds (printers.go): Services (`getServiceExternalIP`,
//! `makePortString`), Endpoints (`formatEndpoints`), EndpointSlices, Ingresses,
//! IngressClasses and NetworkPolicies.

use std::collections::BTreeSet;

use serde_json::Value;

use super::age::age;
use super::fields::{
    arr_at, created, format_label_selector, format_labels, get, int_at, map_at, name, opt_int,
    opt_str, str_at,
};
use super::table::{Ctx, RowFn};

type Defs = &'static [(&'static str, i32)];

const SERVICE: Defs = &[
    ("Name", 0),
    ("Type", 0),
    ("Cluster-IP", 0),
    ("External-IP", 0),
    ("Port(s)", 0),
    ("Age", 0),
    ("Selector", 1),
];
const ENDPOINTS: Defs = &[("Name", 0), ("Endpoints", 0), ("Age", 0)];
const ENDPOINT_SLICE: Defs = &[
    ("Name", 0),
    ("AddressType", 0),
    ("Ports", 0),
    ("Endpoints", 0),
    ("Age", 0),
];
const INGRESS: Defs = &[
    ("Name", 0),
    ("Class", 0),
    ("Hosts", 0),
    ("Address", 0),
    ("Ports", 0),
    ("Age", 0),
];
const INGRESS_CLASS: Defs = &[
    ("Name", 0),
    ("Controller", 0),
    ("Parameters", 0),
    ("Age", 0),
];
const NETWORK_POLICY: Defs = &[("Name", 0), ("Pod-Selector", 0), ("Age", 0)];

/// `loadBalancerWidth`: non-wide LB addresses are clipped to 16 bytes.
const LOAD_BALANCER_WIDTH: usize = 16;

pub(crate) fn lookup(group: &str, plural: &str) -> Option<(Defs, RowFn)> {
    let found: (Defs, RowFn) = match (group, plural) {
        ("", "services") => (SERVICE, service_row),
        ("", "endpoints") => (ENDPOINTS, endpoints_row),
        ("discovery.k8s.io", "endpointslices") => (ENDPOINT_SLICE, endpoint_slice_row),
        ("networking.k8s.io", "ingresses") => (INGRESS, ingress_row),
        ("networking.k8s.io", "ingressclasses") => (INGRESS_CLASS, ingress_class_row),
        ("networking.k8s.io", "networkpolicies") => (NETWORK_POLICY, network_policy_row),
        _ => return None,
    };
    Some(found)
}

/// `loadBalancerStatusStringer`: unique IPs (else hostnames) sorted, comma-joined, clipped
/// to 16 bytes with `...` unless wide.
pub fn load_balancer_addresses(status: Option<&Value>, wide: bool) -> String {
    let ingress = status.map(|s| arr_at(s, &["ingress"])).unwrap_or(&[]);
    let set: BTreeSet<&str> = ingress
        .iter()
        .filter_map(|i| match (str_at(i, &["ip"]), str_at(i, &["hostname"])) {
            ("", "") => None,
            ("", host) => Some(host),
            (ip, _) => Some(ip),
        })
        .collect();
    let joined = set.into_iter().collect::<Vec<_>>().join(",");
    if !wide && joined.len() > LOAD_BALANCER_WIDTH {
        let cut = floor_char_boundary(&joined, LOAD_BALANCER_WIDTH - 3);
        return format!("{}...", &joined[..cut]);
    }
    joined
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    arr_at(v, path)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// `getServiceExternalIP`.
pub fn service_external_ip(svc: &Value, wide: bool) -> String {
    let external_ips = strings(svc, &["spec", "externalIPs"]);
    match str_at(svc, &["spec", "type"]) {
        "ClusterIP" | "NodePort" if !external_ips.is_empty() => external_ips.join(","),
        "ClusterIP" | "NodePort" => "<none>".to_string(),
        "LoadBalancer" => {
            let lb = load_balancer_addresses(get(svc, &["status", "loadBalancer"]), wide);
            let mut all: Vec<String> = lb
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            all.extend(external_ips);
            if all.is_empty() {
                "<pending>".to_string()
            } else {
                all.join(",")
            }
        }
        "ExternalName" => str_at(svc, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// `makePortString`: `80/TCP`, `80:30007/TCP`, comma-joined; `<none>` when empty.
pub fn service_ports(svc: &Value) -> String {
    let pieces: Vec<String> = arr_at(svc, &["spec", "ports"])
        .iter()
        .map(|p| {
            let (port, protocol) = (int_at(p, &["port"]), str_at(p, &["protocol"]));
            match int_at(p, &["nodePort"]) {
                node_port if node_port > 0 => format!("{port}:{node_port}/{protocol}"),
                _ => format!("{port}/{protocol}"),
            }
        })
        .collect();
    if pieces.is_empty() {
        "<none>".to_string()
    } else {
        pieces.join(",")
    }
}

/// `spec.clusterIPs[0]` (or `spec.clusterIP`), `<none>` when unset.
pub fn service_cluster_ip(svc: &Value) -> String {
    let first = arr_at(svc, &["spec", "clusterIPs"])
        .first()
        .and_then(Value::as_str);
    match first.or_else(|| opt_str(svc, &["spec", "clusterIP"])) {
        Some(ip) if !ip.is_empty() => ip.to_string(),
        _ => "<none>".to_string(),
    }
}

fn service_row(svc: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(svc).to_string(),
        str_at(svc, &["spec", "type"]).to_string(),
        service_cluster_ip(svc),
        service_external_ip(svc, ctx.wide),
        service_ports(svc),
        age(created(svc), ctx.now),
        format_labels(map_at(svc, &["spec", "selector"])),
    ]
}

/// `formatEndpoints` with all ports: `ip:port,…` up to 3, then ` + N more...`.
pub fn format_endpoints(ep: &Value) -> String {
    let subsets = arr_at(ep, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let (mut list, mut count, mut more) = (Vec::new(), 0usize, false);
    for subset in subsets {
        let addresses = arr_at(subset, &["addresses"]);
        let ports = arr_at(subset, &["ports"]);
        let port_numbers: Vec<Option<i64>> = if ports.is_empty() {
            vec![None]
        } else {
            ports.iter().map(|p| Some(int_at(p, &["port"]))).collect()
        };
        for port in port_numbers {
            count += addresses.len();
            for addr in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(str_at(addr, &["ip"]), port));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

/// `net.JoinHostPort`: brackets around IPv6 hosts.
fn join_host_port(ip: &str, port: Option<i64>) -> String {
    match port {
        None => ip.to_string(),
        Some(p) if ip.contains(':') => format!("[{ip}]:{p}"),
        Some(p) => format!("{ip}:{p}"),
    }
}

fn endpoints_row(ep: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(ep).to_string(),
        format_endpoints(ep),
        age(created(ep), ctx.now),
    ]
}

/// `listWithMoreString`: up to 3 items, ` + N more...`, `<unset>` when empty.
fn list_with_more(items: Vec<String>) -> String {
    const MAX: usize = 3;
    if items.len() > MAX {
        return format!("{} + {} more...", items[..MAX].join(","), items.len() - MAX);
    }
    if items.is_empty() {
        return "<unset>".to_string();
    }
    items.join(",")
}

fn endpoint_slice_row(slice: &Value, ctx: &Ctx) -> Vec<String> {
    let ports: Vec<String> = arr_at(slice, &["ports"])
        .iter()
        .map(|p| match (opt_int(p, &["port"]), opt_str(p, &["name"])) {
            (Some(port), _) => port.to_string(),
            (None, Some(name)) => name.to_string(),
            _ => "*".to_string(),
        })
        .collect();
    let addresses: Vec<String> = arr_at(slice, &["endpoints"])
        .iter()
        .flat_map(|e| strings(e, &["addresses"]))
        .collect();
    vec![
        name(slice).to_string(),
        str_at(slice, &["addressType"]).to_string(),
        list_with_more(ports),
        list_with_more(addresses),
        age(created(slice), ctx.now),
    ]
}

/// `formatHosts`: rule hosts, up to 3, else `*`.
fn ingress_hosts(ing: &Value) -> String {
    let rules = arr_at(ing, &["spec", "rules"]);
    let hosts: Vec<&str> = rules
        .iter()
        .map(|r| str_at(r, &["host"]))
        .filter(|h| !h.is_empty())
        .take(3)
        .collect();
    if hosts.is_empty() {
        return "*".to_string();
    }
    if rules.len() > 3 && hosts.len() == 3 {
        return format!("{} + {} more...", hosts.join(","), rules.len() - 3);
    }
    hosts.join(",")
}

fn ingress_row(ing: &Value, ctx: &Ctx) -> Vec<String> {
    let ports = if arr_at(ing, &["spec", "tls"]).is_empty() {
        "80"
    } else {
        "80, 443"
    };
    vec![
        name(ing).to_string(),
        opt_str(ing, &["spec", "ingressClassName"])
            .unwrap_or("<none>")
            .to_string(),
        ingress_hosts(ing),
        load_balancer_addresses(get(ing, &["status", "loadBalancer"]), ctx.wide),
        ports.to_string(),
        age(created(ing), ctx.now),
    ]
}

fn ingress_class_row(class: &Value, ctx: &Ctx) -> Vec<String> {
    let parameters = get(class, &["spec", "parameters"])
        .filter(|p| p.is_object())
        .map_or("<none>".to_string(), |p| {
            let kind = match opt_str(p, &["apiGroup"]) {
                Some(group) => format!("{}.{group}", str_at(p, &["kind"])),
                None => str_at(p, &["kind"]).to_string(),
            };
            format!("{kind}/{}", str_at(p, &["name"]))
        });
    vec![
        name(class).to_string(),
        str_at(class, &["spec", "controller"]).to_string(),
        parameters,
        age(created(class), ctx.now),
    ]
}

fn network_policy_row(np: &Value, ctx: &Ctx) -> Vec<String> {
    vec![
        name(np).to_string(),
        format_label_selector(get(np, &["spec", "podSelector"])),
        age(created(np), ctx.now),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    fn svc(spec: Value, status: Value) -> Value {
        json!({"metadata": {"name": "s"}, "spec": spec, "status": status})
    }

    #[test]
    fn service_columns() {
        // 7.1
        let kube_dns = svc(
            json!({"type": "ClusterIP", "clusterIPs": ["10.96.0.10"], "ports": [
            {"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}, {"port": 9153, "protocol": "TCP"}],
            "selector": {"k8s-app": "kube-dns"}}),
            json!({}),
        );
        let cells = service_row(&kube_dns, &Ctx { wide: true, now: 0 });
        assert_eq!(
            cells[1..5],
            [
                "ClusterIP",
                "10.96.0.10",
                "<none>",
                "53/UDP,53/TCP,9153/TCP"
            ]
        );
        assert_eq!(cells[6], "k8s-app=kube-dns");
        // 7.3
        let np = svc(
            json!({"type": "NodePort", "clusterIP": "10.96.5.5", "ports": [{"port": 80, "nodePort": 30007, "protocol": "TCP"}]}),
            json!({}),
        );
        assert_eq!(service_ports(&np), "80:30007/TCP");
        assert_eq!(service_external_ip(&np, false), "<none>");
        assert_eq!(service_cluster_ip(&np), "10.96.5.5");
        // 7.6, 7.7
        let lb = svc(json!({"type": "LoadBalancer"}), json!({"loadBalancer": {}}));
        assert_eq!(service_external_ip(&lb, false), "<pending>");
        let headless = svc(
            json!({"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]}),
            json!({}),
        );
        assert_eq!(service_cluster_ip(&headless), "None");
        assert_eq!(service_ports(&headless), "<none>");
        let ext = svc(
            json!({"type": "ExternalName", "externalName": "example.com"}),
            json!({}),
        );
        assert_eq!(
            (
                service_cluster_ip(&ext).as_str(),
                service_external_ip(&ext, false).as_str()
            ),
            ("<none>", "example.com")
        );
    }

    #[test]
    fn load_balancer_truncation() {
        let lb = svc(
            json!({"type": "LoadBalancer"}),
            json!({"loadBalancer": {"ingress": [
            {"ip": "172.18.255.201"}, {"ip": "172.18.255.200"}]}}),
        );
        assert_eq!(service_external_ip(&lb, false), "172.18.255.20...");
        assert_eq!(
            service_external_ip(&lb, true),
            "172.18.255.200,172.18.255.201"
        );
    }

    #[test]
    fn endpoints_more() {
        let ep = json!({"subsets": [{"addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.3"}, {"ip": "10.244.3.4"}, {"ip": "10.244.1.9"}],
            "ports": [{"port": 80}]}]});
        assert_eq!(
            format_endpoints(&ep),
            "10.244.1.5:80,10.244.2.3:80,10.244.3.4:80 + 1 more..."
        );
        assert_eq!(format_endpoints(&json!({})), "<none>");
    }

    #[test]
    fn endpoint_slices_and_ingress() {
        let slice = json!({"addressType": "IPv4", "ports": [{"port": 80, "name": "http"}], "endpoints": [{"addresses": ["10.244.1.5"]}]});
        assert_eq!(
            endpoint_slice_row(
                &slice,
                &Ctx {
                    wide: false,
                    now: 0
                }
            )[1..4],
            ["IPv4", "80", "10.244.1.5"]
        );
        assert_eq!(list_with_more(vec![]), "<unset>");
        let ing = json!({"spec": {"ingressClassName": "nginx", "rules": [{"host": "foo.com"}, {}], "tls": [{}]}});
        assert_eq!(
            ingress_row(
                &ing,
                &Ctx {
                    wide: false,
                    now: 0
                }
            )[1..5],
            ["nginx", "foo.com", "", "80, 443"]
        );
    }
}
