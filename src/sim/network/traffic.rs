//! Steady load (`sim traffic`): generators that send requests at a rate — from the
//! laptop, from the internet (many client addresses) or from a pod — so balancing can be
//! watched and counted. Each generator wakes every [`TICK`] of virtual time and sends the
//! requests due in it; every request is a flow like any other, and the flow log keeps
//! counters per endpoint beyond its recent window.

use super::request::{self, Client, Request, Url};
use crate::sim::time::{Millis, SECOND};
use crate::sim::Cluster;

/// How often a generator wakes to send what is due.
pub const TICK: Millis = SECOND / 10;

/// One running generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    pub id: u32,
    pub client: Client,
    /// What `sim traffic list` shows as FROM (`internet`, `laptop`, `pod/web-0`).
    pub from: String,
    pub url: Url,
    /// Requests per second.
    pub rate: u32,
    /// Reuse one connection (HTTP keep-alive): conntrack pins it to one endpoint.
    pub keepalive: bool,
    pub connection: Option<u64>,
    pub started: Millis,
    pub sent: u64,
    pub answered: u64,
    pub failed: u64,
    /// Requests owed, in thousandths (rates that do not divide the tick evenly).
    owed_milli: u64,
}

#[derive(Debug, Clone, Default)]
pub struct TrafficState {
    generators: Vec<Generator>,
    next_id: u32,
}

impl TrafficState {
    pub fn generators(&self) -> &[Generator] {
        &self.generators
    }
}

/// Starts a generator; returns its id.
pub fn start(
    cluster: &mut Cluster,
    client: Client,
    from: String,
    url: Url,
    rate: u32,
    keepalive: bool,
) -> u32 {
    let started = cluster.now();
    let state = &mut cluster.network.traffic;
    state.next_id += 1;
    let id = state.next_id;
    state.generators.push(Generator {
        id,
        client,
        from,
        url,
        rate,
        keepalive,
        connection: None,
        started,
        sent: 0,
        answered: 0,
        failed: 0,
        owed_milli: 0,
    });
    cluster.wake_after(TICK, "traffic", id.to_string());
    id
}

/// Stops one generator (or all with `None`); returns how many stopped.
pub fn stop(cluster: &mut Cluster, id: Option<u32>) -> usize {
    let before = cluster.network.traffic.generators.len();
    let closing: Vec<u64> = cluster
        .network
        .traffic
        .generators
        .iter()
        .filter(|g| id.is_none_or(|i| g.id == i))
        .filter_map(|g| g.connection)
        .collect();
    for c in closing {
        cluster.network.proxy.close(c);
    }
    cluster
        .network
        .traffic
        .generators
        .retain(|g| id.is_some_and(|i| g.id != i));
    before - cluster.network.traffic.generators.len()
}

/// A generator's tick: send what is due, then sleep until the next tick.
pub fn tick(cluster: &mut Cluster, key: &str) {
    let Ok(id) = key.parse::<u32>() else { return };
    let Some(index) = cluster
        .network
        .traffic
        .generators
        .iter()
        .position(|g| g.id == id)
    else {
        return; // stopped
    };
    let g = &mut cluster.network.traffic.generators[index];
    g.owed_milli += g.rate as u64 * TICK;
    let due = g.owed_milli / 1000;
    g.owed_milli %= 1000;
    let (client, url, keepalive) = (g.client.clone(), g.url.clone(), g.keepalive);
    let mut connection = g.connection;
    cluster.count_requests(due);
    let (mut answered, mut failed) = (0, 0);
    for _ in 0..due {
        let client = match &client {
            Client::Internet { .. } => Client::Internet {
                ip: format!("203.0.113.{}", 10 + cluster.network.proxy.rng.below(40)),
            },
            other => other.clone(),
        };
        let mut req = Request::get(url.clone());
        req.timeout = Some(2 * SECOND);
        req.connection = if keepalive { connection } else { None };
        let exchange = request::send(cluster, &client, &req);
        if let Some(f) = cluster.network.flows.last_mut_by_id(exchange.flow) {
            f.generator = Some(id);
        }
        if keepalive {
            connection = exchange.connection;
        } else if let Some(c) = exchange.connection {
            cluster.network.proxy.close(c);
        }
        match exchange.result {
            Ok(_) => answered += 1,
            Err(_) => failed += 1,
        }
    }
    if let Some(g) = cluster
        .network
        .traffic
        .generators
        .iter_mut()
        .find(|g| g.id == id)
    {
        g.sent += due;
        g.answered += answered;
        g.failed += failed;
        g.connection = connection;
    }
    cluster.wake_after(TICK, "traffic", key.to_string());
}
