//! Stable sorting through one compiled sort, for the size of the page.
//!
//! Each `slice::sort_by` with its own element type or closure instantiates the standard
//! library's driftsort anew: about 3.6 KB of wasm apiece, 70 of them were 255 KB of the
//! page's 3.2 MB of code (issue #10). [`SharedSort`] sorts a list of indices instead, with
//! the comparison behind `dyn`, so the whole program carries one driftsort; only a small
//! permutation step is generic. The result is exactly the standard stable sort's: equal
//! elements keep their order, and the order of the rest is what the comparison says.
//!
//! Use these methods, not the standard ones, outside tests.

use std::cmp::Ordering;

/// `sort`, `sort_by` and `sort_by_key` with the standard library's stable-sort meaning,
/// compiled once for every element type.
pub trait SharedSort<T> {
    /// Like `slice::sort`.
    fn sort_shared(&mut self)
    where
        T: Ord;
    /// Like `slice::sort_by`.
    fn sort_shared_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering);
    /// Like `slice::sort_by_key`.
    fn sort_shared_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
}

impl<T> SharedSort<T> for [T] {
    fn sort_shared(&mut self)
    where
        T: Ord,
    {
        self.sort_shared_by(T::cmp);
    }

    fn sort_shared_by(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let items: &[T] = self;
            sorted_order(items.len(), &mut |a, b| compare(&items[a], &items[b]))
        };
        permute(self, order);
    }

    fn sort_shared_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_shared_by(|a, b| key(a).cmp(&key(b)));
    }
}

/// The one instance of the standard stable sort: the indices `0..len` in the order
/// `compare` puts the elements they name.
#[inline(never)]
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`, in place: each
/// cycle of the permutation is walked once, swapping along it (`order` is consumed as the
/// record of which positions are done).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // `order[at] == at`: in place already, or done as part of an earlier cycle.
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                // The element that started here has travelled along to `at`.
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_lists_are_left_alone() {
        let mut empty: Vec<u8> = vec![];
        empty.sort_shared();
        assert!(empty.is_empty());
        let mut one = vec![7];
        one.sort_shared();
        assert_eq!(one, [7]);
    }

    #[test]
    fn equal_keys_keep_their_order() {
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e'), (2, 'f')];
        pairs.sort_shared_by_key(|p| p.0);
        assert_eq!(
            pairs,
            [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c'), (2, 'f')]
        );
    }

    proptest! {
        // The same bytes as the standard stable sort, with keys that repeat often so that
        // stability is exercised, and permutations with long and short cycles.
        #[test]
        fn same_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut shared = items.clone();
            shared.sort_shared_by_key(|item| item.0);
            prop_assert_eq!(&shared, &expected);

            let mut expected = items.clone();
            #[allow(clippy::unnecessary_sort_by)] // `sort_by` itself is what is compared
            expected.sort_by(|a, b| b.1.cmp(&a.1));
            let mut shared = items.clone();
            shared.sort_shared_by(|a, b| b.1.cmp(&a.1));
            prop_assert_eq!(&shared, &expected);

            let mut expected = items.clone();
            expected.sort();
            let mut shared = items;
            shared.sort_shared();
            prop_assert_eq!(shared, expected);
        }
    }
}
