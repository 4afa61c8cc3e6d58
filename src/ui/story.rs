//! How the page tells the control plane's story: which box each component is drawn as,
//! which messages are plumbing (etcd writes, Event objects) and which explain themselves
//! well enough for the caption line. Pure, so native tests cover it.

use crate::sim::messages::{Component, Message};

/// Which box of the drawing a component is drawn as: a control-plane component's name,
/// `kubelet@NODE` or `kube-proxy@NODE`.
pub fn anchor_key(component: &Component) -> String {
    match component {
        Component::Kubectl => "kubectl".to_string(),
        Component::ApiServer => "kube-apiserver".to_string(),
        Component::Etcd => "etcd".to_string(),
        Component::Scheduler => "kube-scheduler".to_string(),
        Component::ControllerManager(_) => "kube-controller-manager".to_string(),
        Component::CloudControllerManager => "cloud-controller-manager".to_string(),
        Component::CoreDns => "CoreDNS".to_string(),
        Component::Kubelet(node) => format!("kubelet@{node}"),
        Component::KubeProxy(node) => format!("kube-proxy@{node}"),
    }
}

/// Whether a message is the kind a caption should tell (not storage or Event plumbing).
pub fn is_story(message: &Message) -> bool {
    message.to != Component::Etcd && !message.object.starts_with("event/")
}

/// Whether a message explains itself beyond "verb object" (the scheduler's reasons, a
/// controller's arithmetic, the kubelet pulling an image).
pub fn explains(message: &Message) -> bool {
    is_story(message)
        && !message.summary.starts_with(&format!("{} ", message.verb))
        && !message.summary.starts_with("update ")
}

/// The caption: the latest message that explains itself, unless plain messages have
/// followed it for a while (then the latest message, whatever it says).
pub fn caption_for(messages: &[Message]) -> Option<Message> {
    let latest = messages.iter().rev().find(|m| is_story(m))?;
    let explained = messages
        .iter()
        .rev()
        .take_while(|m| latest.at.saturating_sub(m.at) <= 2_000)
        .find(|m| explains(m));
    Some(explained.unwrap_or(latest).clone())
}

pub fn token_class(message: &Message) -> &'static str {
    if message.to == Component::Etcd {
        "write"
    } else if message.object.starts_with("event/") {
        "event"
    } else {
        "call"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(
        at: u64,
        from: Component,
        to: Component,
        verb: &str,
        object: &str,
        summary: &str,
    ) -> Message {
        Message {
            at,
            from,
            to,
            verb: verb.to_string(),
            object: object.to_string(),
            summary: summary.to_string(),
        }
    }

    #[test]
    fn components_map_to_the_boxes_drawn() {
        assert_eq!(
            anchor_key(&Component::ControllerManager("deployment".into())),
            "kube-controller-manager"
        );
        assert_eq!(
            anchor_key(&Component::Kubelet("worker-2".into())),
            "kubelet@worker-2"
        );
        assert_eq!(
            anchor_key(&Component::KubeProxy("worker-2".into())),
            "kube-proxy@worker-2"
        );
        assert_eq!(anchor_key(&Component::CoreDns), "CoreDNS");
        assert_eq!(anchor_key(&Component::Kubectl), "kubectl");
    }

    #[test]
    fn the_caption_prefers_a_recent_explanation() {
        let bind = message(
            1_000,
            Component::Scheduler,
            Component::ApiServer,
            "bind",
            "pods/web-1",
            "bound web-1 to worker-2 (3 nodes fit; worker-2 least allocated)",
        );
        let update = message(
            1_000,
            Component::Scheduler,
            Component::ApiServer,
            "update",
            "pod/web-1",
            "update pod/web-1",
        );
        let write = message(
            1_000,
            Component::ApiServer,
            Component::Etcd,
            "write",
            "pod/web-1",
            "write pod/web-1 (revision 9)",
        );
        let later = message(
            4_000,
            Component::Kubelet("worker-2".into()),
            Component::ApiServer,
            "update",
            "pod/web-1",
            "update status pod/web-1",
        );
        assert_eq!(token_class(&write), "write");
        assert_eq!(token_class(&bind), "call");
        assert_eq!(
            caption_for(&[bind.clone(), update.clone(), write.clone()]),
            Some(bind.clone())
        );
        // Three seconds of plain messages later, the caption moves on.
        assert_eq!(
            caption_for(&[bind, update, write.clone(), later.clone()]),
            Some(later)
        );
        assert_eq!(caption_for(&[write]), None);
        let delete = message(
            5_000,
            Component::ApiServer,
            Component::Etcd,
            "delete",
            "pod/web-1",
            "delete pod/web-1 (revision 12)",
        );
        assert!(!is_story(&delete));
        assert_eq!(token_class(&delete), "write");
        assert_eq!(caption_for(&[]), None);
    }
}
