//! The network tools a learner types — on the laptop (`curl`) or inside a pod through
//! `kubectl exec` — with the real tools' options, output and error wording. They send
//! their requests through the simulated data plane (`sim::network`).

pub mod curl;
