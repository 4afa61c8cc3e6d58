//! The event queue: everything that happens later, ordered by (time, sequence) so that
//! events due at the same instant run in the order they were scheduled.

use super::time::Millis;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<(Millis, u64, Entry<E>)>>,
    sequence: u64,
}

/// Wrapper so the payload never takes part in ordering.
#[derive(Debug, Clone)]
struct Entry<E>(E);

impl<E> PartialEq for Entry<E> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            sequence: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn schedule(&mut self, at: Millis, event: E) {
        self.sequence += 1;
        self.heap.push(Reverse((at, self.sequence, Entry(event))));
    }

    /// When the next event is due, if any.
    pub fn next_due(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse((at, _, _))| *at)
    }

    /// Removes and returns the next event if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Millis) -> Option<(Millis, E)> {
        if self.next_due()? > now {
            return None;
        }
        self.heap.pop().map(|Reverse((at, _, Entry(e)))| (at, e))
    }

    /// Whether any scheduled event satisfies `f`.
    pub fn any(&self, mut f: impl FnMut(&E) -> bool) -> bool {
        self.heap.iter().any(|Reverse((_, _, Entry(e)))| f(e))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_insertion() {
        let mut q = EventQueue::default();
        q.schedule(20, "c");
        q.schedule(10, "a");
        q.schedule(10, "b");
        assert_eq!(q.pop_due(5), None);
        assert_eq!(q.pop_due(15), Some((10, "a")));
        assert_eq!(q.pop_due(15), Some((10, "b")));
        assert_eq!(q.pop_due(15), None);
        assert_eq!(q.pop_due(20), Some((20, "c")));
        assert!(q.is_empty());
    }
}
