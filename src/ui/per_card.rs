//! One signal per node card, fed from a Memo of every card's value (where the card
//! stands, whether it is near the part in sight).
//!
//! Why: a Leptos effect or memo drops and re-takes its subscriptions each time it runs,
//! and a source removes a subscriber by shifting the ones after it (reactive_graph's
//! `SubscriberSet::unsubscribe`). A thousand node cards each reading one shared Memo
//! therefore cost about a million shifts whenever it changed (a burst moves every card
//! as the band of pods waiting for a node grows): a trace of a 1,000-node page had
//! `decrement_indices` among its busiest functions. Here one effect reads the Memo and
//! sets only the signals whose value changed, and each card reads its own.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct PerCard<T: Send + Sync + 'static> {
    all: Memo<Vec<T>>,
    signals: StoredValue<Vec<ArcRwSignal<T>>, LocalStorage>,
}

impl<T: Clone + PartialEq + Send + Sync + 'static> PerCard<T> {
    /// Follows `all` from now on (`fallback` for a card it has no value for).
    pub fn new(all: Memo<Vec<T>>, fallback: T) -> Self {
        let per_card = PerCard {
            all,
            signals: StoredValue::new_local(Vec::new()),
        };
        Effect::new(move |_| {
            // The signals to change, collected first: setting one must not find the
            // list borrowed.
            let changed: Vec<(ArcRwSignal<T>, T)> = all.with(|values| {
                per_card.signals.with_value(|signals| {
                    signals
                        .iter()
                        .enumerate()
                        .map(|(i, signal)| (signal, values.get(i).unwrap_or(&fallback)))
                        .filter(|(signal, value)| signal.with_untracked(|now| now != *value))
                        .map(|(signal, value)| (signal.clone(), value.clone()))
                        .collect()
                })
            });
            for (signal, value) in changed {
                signal.set(value);
            }
        });
        per_card
    }

    /// Card `index`'s signal, made with the card's value now if it is new. Owned by the
    /// caller's reactive owner (the card), so it goes with the card.
    pub fn of(&self, index: usize, fallback: T) -> RwSignal<T> {
        let all = self.all;
        self.signals.update_value(|signals| {
            while signals.len() <= index {
                let value = all
                    .with_untracked(|values| values.get(signals.len()).cloned())
                    .unwrap_or_else(|| fallback.clone());
                signals.push(ArcRwSignal::new(value));
            }
        });
        self.signals
            .with_value(|signals| RwSignal::from(signals[index].clone()))
    }
}
