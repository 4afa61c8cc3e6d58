//! What the DNS tools share: a conversation with CoreDNS from inside a pod (one DNS
//! flow, through kube-proxy's DNAT), the search list as bind's tools walk it, and which
//! name servers a tool can reach.

use super::pod_tools::PodContext;
use crate::sim::network::dns::{self, Answer, QType, Rcode, Session};
use crate::sim::Cluster;

/// Runs `talk` in a DNS session from the pod; `None` when kube-proxy rejected the first
/// packet (kube-dns has no ready endpoint), which the tools report as refused.
pub fn converse<T>(
    cluster: &mut Cluster,
    ctx: &PodContext,
    intro: &str,
    summary: &str,
    talk: impl FnOnce(&mut Cluster, &mut Session) -> T,
) -> Option<T> {
    let mut session = Session::open(cluster, &ctx.client(), intro).ok()?;
    let result = talk(cluster, &mut session);
    session.finish(cluster, summary);
    Some(result)
}

/// bind's search (host, nslookup, dig +search): with `ndots:5` a name with fewer dots
/// tries the search domains first, then the name as is; NXDOMAIN moves on to the next.
/// Returns every (name, answer) asked, the last being the one that ended the search.
pub fn search(
    cluster: &mut Cluster,
    session: &mut Session,
    names: &[String],
    qtype: QType,
) -> Vec<(String, Answer)> {
    let mut asked = vec![];
    for name in names {
        let answer = session.ask(cluster, name, qtype);
        let done = answer.rcode != Rcode::NxDomain;
        asked.push((name.trim_end_matches('.').to_string(), answer));
        if done {
            break;
        }
    }
    asked
}

/// Whether a name server given on the command line is the cluster's DNS (the kube-dns
/// Service or one of its endpoints); anything else is unreachable from the simulation.
pub fn reachable_server(cluster: &Cluster, server: &str) -> bool {
    server == dns::CLUSTER_DNS_IP
        || dns::kube_dns_endpoints(cluster)
            .iter()
            .any(|(ip, _)| ip == server)
}

/// A DNS name as the tools accept it: labels of 1–63 characters, at most 255 bytes on
/// the wire.
pub fn valid_name(name: &str) -> bool {
    name_error(name).is_none()
}

/// Why bind's `dns_name_fromtext` refuses a name, in its words (`empty label`, `label
/// too long`, `ran out of space`), or `None` for a good name.
pub fn name_error(name: &str) -> Option<&'static str> {
    let n = name.strip_suffix('.').unwrap_or(name);
    if n.is_empty() || n.split('.').any(str::is_empty) {
        return Some("empty label");
    }
    if n.split('.').any(|l| l.len() > 63) {
        return Some("label too long");
    }
    if n.len() + 2 > 255 {
        return Some("ran out of space");
    }
    None
}
