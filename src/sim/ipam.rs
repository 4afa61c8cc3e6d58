//! Address management the apiserver does for Services: ClusterIPs from the service CIDR
//! (10.96.0.0/12) and NodePorts from 30000–32767.
//!
//! Like the real allocators (`ipallocator/bitmap.go`, `portallocator/allocator.go`), each
//! range is split: user-chosen values come from the low band, random picks prefer the
//! upper band (offset 256 for a /12, 86 for the default port range).

use super::rng::Rng;
use std::collections::BTreeSet;

pub const SERVICE_CIDR_BASE: u32 = 0x0A60_0000; // 10.96.0.0
pub const SERVICE_CIDR_PREFIX: u32 = 12;
pub const NODE_PORT_BASE: u16 = 30000;
pub const NODE_PORT_SIZE: u16 = 2768;

pub fn ip_to_string(ip: u32) -> String {
    let b = ip.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

pub fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<u8> = s
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (parts.len() == 4).then(|| u32::from_be_bytes([parts[0], parts[1], parts[2], parts[3]]))
}

#[derive(Debug, Clone, Default)]
pub struct ServiceAllocator {
    ips: BTreeSet<u32>,
    ports: BTreeSet<u16>,
}

impl ServiceAllocator {
    fn ip_range() -> (u32, u32) {
        let size = 1u32 << (32 - SERVICE_CIDR_PREFIX);
        // first usable .1, last usable = broadcast - 1
        (SERVICE_CIDR_BASE + 1, SERVICE_CIDR_BASE + size - 2)
    }

    /// Reserves a user-chosen ClusterIP. Errors are the allocator's wording.
    pub fn allocate_ip(&mut self, ip: &str) -> Result<(), String> {
        let (lo, hi) = Self::ip_range();
        let parsed = parse_ip(ip).ok_or_else(|| "must be a valid IP address".to_string())?;
        if parsed < lo || parsed > hi {
            return Err(format!(
                "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
            ));
        }
        if !self.ips.insert(parsed) {
            return Err(format!(
                "failed to allocate IP {ip}: provided IP is already allocated"
            ));
        }
        Ok(())
    }

    /// Picks a free ClusterIP at random, preferring the upper band.
    pub fn allocate_next_ip(&mut self, rng: &mut Rng) -> Result<String, String> {
        let (lo, hi) = Self::ip_range();
        let dynamic_lo = SERVICE_CIDR_BASE + 256;
        for band_lo in [dynamic_lo, lo] {
            let span = (hi - band_lo + 1) as u64;
            let start = rng.below(span) as u32;
            for i in 0..span.min(4096) as u32 {
                let candidate = band_lo + (start + i) % span as u32;
                if self.ips.insert(candidate) {
                    return Ok(ip_to_string(candidate));
                }
            }
        }
        Err("range is full".to_string())
    }

    pub fn release_ip(&mut self, ip: &str) {
        if let Some(p) = parse_ip(ip) {
            self.ips.remove(&p);
        }
    }

    pub fn allocate_port(&mut self, port: i64) -> Result<(), String> {
        let hi = NODE_PORT_BASE as i64 + NODE_PORT_SIZE as i64 - 1;
        if port < NODE_PORT_BASE as i64 || port > hi {
            return Err(format!(
                "provided port is not in the valid range. The range of valid ports is {NODE_PORT_BASE}-{hi}"
            ));
        }
        if !self.ports.insert(port as u16) {
            return Err("provided port is already allocated".to_string());
        }
        Ok(())
    }

    pub fn allocate_next_port(&mut self, rng: &mut Rng) -> Result<i64, String> {
        let offset = (NODE_PORT_SIZE / 32).clamp(16, 128);
        for (band_lo, band_size) in [
            (NODE_PORT_BASE + offset, NODE_PORT_SIZE - offset),
            (NODE_PORT_BASE, offset),
        ] {
            let start = rng.below(band_size as u64) as u16;
            for i in 0..band_size {
                let candidate = band_lo + (start + i) % band_size;
                if self.ports.insert(candidate) {
                    return Ok(candidate as i64);
                }
            }
        }
        Err("range is full".to_string())
    }

    pub fn release_port(&mut self, port: i64) {
        if let Ok(p) = u16::try_from(port) {
            self.ports.remove(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_chosen_ips_and_ports_are_checked() {
        let mut a = ServiceAllocator::default();
        assert!(a.allocate_ip("10.96.0.10").is_ok());
        assert_eq!(
            a.allocate_ip("10.96.0.10").unwrap_err(),
            "failed to allocate IP 10.96.0.10: provided IP is already allocated"
        );
        assert!(a.allocate_ip("192.168.0.1").is_err());
        assert!(a.allocate_port(30007).is_ok());
        assert_eq!(
            a.allocate_port(30007).unwrap_err(),
            "provided port is already allocated"
        );
        assert_eq!(
            a.allocate_port(29999).unwrap_err(),
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
    }

    #[test]
    fn random_picks_come_from_the_upper_band() {
        let mut a = ServiceAllocator::default();
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let ip = parse_ip(&a.allocate_next_ip(&mut rng).unwrap()).unwrap();
            assert!((SERVICE_CIDR_BASE + 256..SERVICE_CIDR_BASE + (1 << 20)).contains(&ip));
            let port = a.allocate_next_port(&mut rng).unwrap();
            assert!((30086..=32767).contains(&port));
        }
    }
}

/// Pod IPs per node, from the node's /24 of the cluster CIDR (host-local IPAM: `.1` is
/// the bridge, pods start at `.2`).
///
/// **Addressing.** kind's defaults hold up to 256 nodes: pod CIDR 10.244.0.0/16 cut into
/// one /24 per node (`--node-cidr-mask-size=24`), node IPs from its docker network
/// 172.18.0.0/16 in order from 172.18.0.2. A cluster built with more workers than that is
/// set up the way a large cluster is: `--pod-network-cidr=10.244.0.0/14` (room for 1,024
/// /24s; its first 256 are the /16's, so node N's range is `10.244.0.0 + N × 256` either
/// way), and node IPs carry on through the docker network (…, 172.18.0.255, 172.18.1.0,
/// …), as docker hands them out.
#[derive(Debug, Clone, Default)]
pub struct PodIpam {
    used: std::collections::BTreeMap<u32, BTreeSet<u8>>,
}

pub const POD_CIDR_BASE: u32 = 0x0AF4_0000; // 10.244.0.0
/// 172.18.0.0: kind's docker network, where node IPs come from.
const NODE_NETWORK_BASE: u32 = 0xAC12_0000;
/// The most nodes the default pod CIDR (a /16 of /24s) holds.
pub const SMALL_CLUSTER_NODES: u32 = 256;
/// The most nodes the large-cluster pod CIDR (a /14 of /24s) holds.
pub const LARGE_CLUSTER_NODES: u32 = 1024;

/// The cluster's pod CIDR for a cluster of `nodes` nodes (see [`PodIpam`]).
pub fn cluster_cidr(nodes: usize) -> &'static str {
    if nodes as u32 > SMALL_CLUSTER_NODES {
        "10.244.0.0/14"
    } else {
        "10.244.0.0/16"
    }
}

/// How many nodes a cluster CIDR from [`cluster_cidr`] has /24s for.
pub fn node_capacity(cidr: &str) -> u32 {
    if cidr.ends_with("/14") {
        LARGE_CLUSTER_NODES
    } else {
        SMALL_CLUSTER_NODES
    }
}

/// The InternalIP of the node with this index: 172.18.0.2 for control-plane, then in order.
pub fn node_ip(index: u32) -> String {
    ip_to_string(NODE_NETWORK_BASE + 2 + index)
}

/// The index of the node whose pod CIDR is `cidr` (`10.244.3.0/24` → 3).
pub fn node_index_of_cidr(cidr: &str) -> Option<u32> {
    let base = parse_ip(cidr.split('/').next()?)?;
    base.checked_sub(POD_CIDR_BASE).map(|offset| offset >> 8)
}

/// Whether `ip` is in the pod range (10.244.0.0/14, which holds the /16 too).
pub fn is_pod_ip(ip: &str) -> bool {
    parse_ip(ip).is_some_and(|p| p & 0xFFFC_0000 == POD_CIDR_BASE)
}

/// `10.244.<index>.0/24`, the pod CIDR of the node with this index (control-plane is 0).
pub fn node_pod_cidr(index: u32) -> String {
    format!("{}/24", ip_to_string(POD_CIDR_BASE + (index << 8)))
}

impl PodIpam {
    /// The lowest free address in the node's range, or `None` when all 253 are taken.
    pub fn allocate(&mut self, node_index: u32) -> Option<String> {
        let used = self.used.entry(node_index).or_default();
        let host = (2u8..=254).find(|h| !used.contains(h))?;
        used.insert(host);
        Some(ip_to_string(
            POD_CIDR_BASE + (node_index << 8) + host as u32,
        ))
    }

    pub fn release(&mut self, ip: &str) {
        if let Some(p) = parse_ip(ip).filter(|_| is_pod_ip(ip)) {
            if let Some(set) = self.used.get_mut(&((p - POD_CIDR_BASE) >> 8)) {
                set.remove(&((p & 0xFF) as u8));
            }
        }
    }
}

#[cfg(test)]
mod addressing_tests {
    use super::*;

    #[test]
    fn nodes_past_the_first_256_get_addresses_from_the_wider_ranges() {
        // (node index, InternalIP, pod CIDR)
        let cases = [
            (0, "172.18.0.2", "10.244.0.0/24"),
            (3, "172.18.0.5", "10.244.3.0/24"),
            (253, "172.18.0.255", "10.244.253.0/24"),
            (254, "172.18.1.0", "10.244.254.0/24"),
            (256, "172.18.1.2", "10.245.0.0/24"),
            (1023, "172.18.4.1", "10.247.255.0/24"),
        ];
        for (index, ip, cidr) in cases {
            assert_eq!(node_ip(index), ip, "node {index}");
            assert_eq!(node_pod_cidr(index), cidr, "node {index}");
            assert_eq!(node_index_of_cidr(cidr), Some(index), "{cidr}");
        }
        assert_eq!(cluster_cidr(4), "10.244.0.0/16");
        assert_eq!(cluster_cidr(256), "10.244.0.0/16");
        assert_eq!(cluster_cidr(257), "10.244.0.0/14");
        assert_eq!(node_capacity(cluster_cidr(4)), 256);
        assert_eq!(node_capacity(cluster_cidr(1001)), 1024);
        for (ip, pod) in [
            ("10.244.1.2", true),
            ("10.247.255.254", true),
            ("10.248.0.1", false),
            ("10.96.0.1", false),
            ("", false),
        ] {
            assert_eq!(is_pod_ip(ip), pod, "{ip}");
        }
    }

    #[test]
    fn a_node_past_256_allocates_and_releases_in_its_own_range() {
        let mut ipam = PodIpam::default();
        assert_eq!(ipam.allocate(300).as_deref(), Some("10.245.44.2"));
        assert_eq!(ipam.allocate(300).as_deref(), Some("10.245.44.3"));
        assert_eq!(ipam.allocate(44).as_deref(), Some("10.244.44.2"));
        ipam.release("10.245.44.2");
        assert_eq!(ipam.allocate(300).as_deref(), Some("10.245.44.2"));
        assert_eq!(ipam.allocate(44).as_deref(), Some("10.244.44.3"));
    }
}
