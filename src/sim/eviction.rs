//! The pod `eviction` subresource (pkg/registry/core/pod/storage/eviction.go): a delete
//! that asks the pod's PodDisruptionBudget first. `kubectl drain` evicts through it.
//!
//! With budget to spare the apiserver takes one disruption off `disruptionsAllowed`,
//! notes the pod in `disruptedPods` (so the disruption controller does not count it
//! healthy while it terminates), marks the pod `DisruptionTarget` and deletes it; with
//! none left it answers 429 and the caller retries.

use super::apiserver::DeleteOptions;
use super::cluster::Cluster;
use super::errors::ApiError;
use super::labels::{labels_of, Selector};
use super::messages::Component;
use super::object;
use super::time::rfc3339;
use crate::sim::json::json;
use serde_json::Value;

pub const BUDGET_VIOLATED: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

/// Whether a pod counts as healthy for a budget: Ready and not being deleted.
pub fn is_healthy(pod: &Value) -> bool {
    !object::is_deleting(pod)
        && pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                object::str_at(c, "/type") == "Ready" && object::str_at(c, "/status") == "True"
            })
}

/// A budget's selector; for eviction an empty or absent one matches nothing.
fn budget_selects(pdb: &Value, pod: &Value) -> bool {
    let Some(sel) = pdb.pointer("/spec/selector").filter(|s| !s.is_null()) else {
        return false;
    };
    let sel = Selector::from_label_selector(sel);
    !sel.is_empty() && sel.matches(&labels_of(pod))
}

impl Cluster {
    /// POST pods/NAME/eviction with the given grace period.
    pub fn evict(
        &mut self,
        namespace: &str,
        name: &str,
        grace_period_seconds: Option<i64>,
        actor: Component,
    ) -> Result<(), ApiError> {
        let pods = self.registry().resolve("pods").expect("built in").clone();
        let pod = self.get(&pods, namespace, name)?.clone();
        let delete = |cluster: &mut Cluster| {
            let opts = DeleteOptions {
                grace_period_seconds,
                actor: actor.clone(),
                ..Default::default()
            };
            cluster.delete(&pods, namespace, name, &opts).map(|_| ())
        };
        // A finished pod, or one already going, needs no budget.
        let terminal = matches!(
            object::str_at(&pod, "/status/phase"),
            "Succeeded" | "Failed"
        );
        if terminal || object::is_deleting(&pod) {
            return delete(self);
        }
        let pdbs_rt = self
            .registry()
            .resolve("poddisruptionbudgets")
            .expect("built in")
            .clone();
        let budgets: Vec<Value> = self
            .list(&pdbs_rt, Some(namespace))
            .into_iter()
            .filter(|pdb| budget_selects(pdb, &pod))
            .cloned()
            .collect();
        if budgets.len() > 1 {
            // errors.NewInternalError wraps its message.
            return Err(ApiError::internal(
                "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
        if let Some(pdb) = budgets.first() {
            let status = pdb.get("status").cloned().unwrap_or(json!({}));
            let number = |f: &str| status.get(f).and_then(Value::as_i64).unwrap_or(0);
            // IfHealthyBudget: an unhealthy pod may go while the budget is met.
            let unhealthy_may_go = !is_healthy(&pod)
                && number("currentHealthy") >= number("desiredHealthy")
                && number("desiredHealthy") > 0;
            if !unhealthy_may_go {
                let generation = pdb
                    .pointer("/metadata/generation")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if number("observedGeneration") < generation || number("disruptionsAllowed") <= 0 {
                    return Err(ApiError::too_many_requests(BUDGET_VIOLATED));
                }
                self.take_disruption(&pdbs_rt, pdb, name)?;
            }
        }
        self.mark_disruption_target(&pod);
        delete(self)
    }

    /// `checkAndDecrement`: one disruption fewer allowed, and the pod noted as disrupted.
    fn take_disruption(
        &mut self,
        rt: &super::resources::ResourceType,
        pdb: &Value,
        pod_name: &str,
    ) -> Result<(), ApiError> {
        let mut status = pdb
            .get("status")
            .filter(|s| s.is_object())
            .cloned()
            .unwrap_or(json!({}));
        let allowed = status
            .get("disruptionsAllowed")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            - 1;
        status["disruptionsAllowed"] = json!(allowed);
        if allowed == 0 {
            super::controllers::disruption::set_allowed_condition(self, &mut status, pdb);
        }
        if !status.get("disruptedPods").is_some_and(Value::is_object) {
            status["disruptedPods"] = json!({});
        }
        status["disruptedPods"][pod_name] = json!(rfc3339(self.now));
        self.update_status(
            rt,
            object::namespace(pdb),
            object::name(pdb),
            status,
            Component::ApiServer,
        )
        .map(|_| ())
    }

    /// The `DisruptionTarget` condition an evicted pod gets before it is deleted.
    fn mark_disruption_target(&mut self, pod: &Value) {
        let pods = self.registry().resolve("pods").expect("built in").clone();
        let mut status = pod.get("status").cloned().unwrap_or(json!({}));
        super::scheduler::set_condition(
            &mut status,
            json!({"lastProbeTime": null, "lastTransitionTime": rfc3339(self.now),
                "message": "Eviction API: evicting", "reason": "EvictionByEvictionAPI",
                "status": "True", "type": "DisruptionTarget"}),
        );
        let _ = self.update_status(
            &pods,
            object::namespace(pod),
            object::name(pod),
            status,
            Component::ApiServer,
        );
    }
}
