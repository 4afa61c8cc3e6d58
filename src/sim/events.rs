//! Kubernetes Events (core/v1), as client-go's event recorder writes them: one Event per
//! (object, type, reason, message, source); a repeat bumps `count` and `lastTimestamp`
//! instead of creating another, which is what `kubectl describe` shows as `(x4 over 2m)`.

use super::apiserver::WriteOptions;
use super::cluster::Cluster;
use super::messages::Component;
use super::object;
use super::time::{rfc3339, MINUTE};
use crate::sim::json::json;
use serde_json::Value;

/// Who reports an event: `source.component` (and `source.host` for kubelets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSource {
    pub component: String,
    pub host: Option<String>,
}

impl EventSource {
    pub fn component(name: &str) -> EventSource {
        EventSource {
            component: name.to_string(),
            host: None,
        }
    }
    pub fn kubelet(node: &str) -> EventSource {
        EventSource {
            component: "kubelet".to_string(),
            host: Some(node.to_string()),
        }
    }
}

/// Repeats within this window aggregate into one Event (client-go's correlator keeps
/// its cache for far longer; the effect on what a learner sees is the same).
const AGGREGATE_WINDOW: u64 = 60 * MINUTE;

impl Cluster {
    /// Records an event about `involved` (`Normal` or `Warning`).
    pub fn emit_event(
        &mut self,
        involved: &Value,
        event_type: &str,
        reason: &str,
        message: &str,
        source: &EventSource,
        actor: Component,
    ) {
        let Some(rt) = self.registry.resolve("events").cloned() else {
            return;
        };
        let ns = match object::namespace(involved) {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        let now = rfc3339(self.now);
        let uid = object::uid(involved).to_string();
        // The Events about this object with this reason and message (an index, not a
        // scan of the namespace's Events or of every Event about the object).
        let existing = self
            .store
            .events_like(&uid, reason, message)
            .into_iter()
            .find(|e| {
                object::namespace(e) == ns
                    && object::str_at(e, "/type") == event_type
                    && object::str_at(e, "/source/component") == source.component
                    && super::time::parse_rfc3339(object::str_at(e, "/lastTimestamp"))
                        .is_some_and(|t| (self.now as i64) - t <= AGGREGATE_WINDOW as i64)
            });
        if let Some(e) = existing.cloned() {
            let mut e = e;
            let count = e.get("count").and_then(Value::as_i64).unwrap_or(1);
            e["count"] = json!(count + 1);
            e["lastTimestamp"] = json!(now);
            self.write_through_unread(&rt, e, actor);
            return;
        }
        // Event names are `<object>.<hex of the time in nanoseconds>`, unique per instant.
        let nanos = (super::time::EPOCH_UNIX_SECONDS as u128 * 1_000_000_000)
            + self.now as u128 * 1_000_000
            + self.event_counter as u128;
        self.event_counter += 1;
        let mut source_json = json!({"component": source.component});
        if let Some(h) = &source.host {
            source_json["host"] = json!(h);
        }
        let event = json!({
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": format!("{}.{:x}", object::name(involved), nanos), "namespace": ns},
            "involvedObject": {
                "apiVersion": object::api_version(involved), "kind": object::kind(involved),
                "name": object::name(involved), "namespace": object::namespace(involved),
                "resourceVersion": object::str_at(involved, "/metadata/resourceVersion"), "uid": uid,
            },
            "reason": reason, "message": message, "type": event_type, "source": source_json,
            "count": 1, "firstTimestamp": now, "lastTimestamp": now,
            "reportingComponent": source.component, "reportingInstance": source.host.clone().unwrap_or_default(),
        });
        // No `eventTime`: a core/v1 Event has none, and decoding drops a null (this is
        // created in decoded form, see `Built::BySimulation`).
        let opts = WriteOptions {
            actor,
            ..Default::default()
        };
        let _ = self.create_unread(&rt, event, &ns, &opts);
    }
}
