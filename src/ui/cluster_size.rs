//! How big the page's cluster is: `?workers=N` in the page's URL boots a control plane
//! and N worker nodes instead of kind's three, the way the native scale bench does
//! (`ClusterOptions { workers }`). A cluster of more than 255 workers is set up as a large
//! one (pod CIDR /14, see `sim::ipam`), up to 1,023 workers: the 1,024 node ranges the
//! pod CIDR has room for.
//!
//! Share links and the restart after a bug carry the size (they keep the page's query,
//! and a link's JSON names it too), and rewinding replays on a cluster of the same size,
//! so a session on 1,000 nodes comes back on 1,000 nodes.
//!
//! Pure (no web crates): the parsing and its messages are tested natively.

use crate::sim::ipam::LARGE_CLUSTER_NODES;
use crate::sim::ClusterOptions;

/// The query parameter.
pub const PARAM: &str = "workers";
/// kind's default cluster (design.md §3): a control plane and three workers.
pub const DEFAULT_WORKERS: usize = 3;
/// The most workers: with the control plane, every node range of the /14 pod CIDR.
pub const MAX_WORKERS: usize = LARGE_CLUSTER_NODES as usize - 1;

/// The page's cluster for this seed and `?workers=` value (`None`: not given), and what
/// the console says about it first. A value that is not a number of workers is a
/// message, and the cluster is the default one; so is a lesson's, which starts from the
/// default cluster its test played on.
pub fn for_page(seed: u64, value: Option<&str>, lesson: bool) -> (ClusterOptions, Option<String>) {
    let default = ClusterOptions {
        seed,
        workers: DEFAULT_WORKERS,
    };
    match value {
        Some(value) if lesson => (
            default,
            Some(format!(
                "?{PARAM}={value} is not used in a lesson: a lesson starts from the default cluster of {DEFAULT_WORKERS} workers it was written for.\n"
            )),
        ),
        _ => {
            let (options, error) = options(seed, value);
            let note = error.or_else(|| note(options.workers));
            (options, note)
        }
    }
}

/// The cluster for this seed and `?workers=` value, or the default one and why the value
/// was not used.
fn options(seed: u64, value: Option<&str>) -> (ClusterOptions, Option<String>) {
    let default = ClusterOptions {
        seed,
        workers: DEFAULT_WORKERS,
    };
    let Some(value) = value else {
        return (default, None);
    };
    match value.trim().parse::<usize>() {
        Ok(workers) if (1..=MAX_WORKERS).contains(&workers) => {
            (ClusterOptions { seed, workers }, None)
        }
        _ => (
            default,
            Some(format!(
                "?{PARAM}={value} is not a number of worker nodes from 1 to {MAX_WORKERS}: the cluster has the default {DEFAULT_WORKERS}.\n"
            )),
        ),
    }
}

/// The welcome note of a cluster that is not the default size.
fn note(workers: usize) -> Option<String> {
    let names = match workers {
        1 => "worker-1".to_string(),
        _ => format!("worker-1 … worker-{workers}"),
    };
    (workers != DEFAULT_WORKERS).then(|| {
        format!(
            "This cluster has {} nodes: control-plane and {names} (?{PARAM}={workers}).\n",
            workers + 1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workers_parameter_sizes_the_cluster_or_says_why_not() {
        // (value in the URL, workers booted, whether a message says why the value was not used)
        let cases = [
            (None, 3, false),
            (Some("3"), 3, false),
            (Some("1"), 1, false),
            (Some("20"), 20, false),
            (Some(" 1000 "), 1000, false),
            (Some("1023"), 1023, false),
            (Some("1024"), 3, true),
            (Some("0"), 3, true),
            (Some("-5"), 3, true),
            (Some("ten"), 3, true),
            (Some(""), 3, true),
            (Some("99999999999999999999999"), 3, true),
        ];
        for (value, workers, refused) in cases {
            let (options, message) = options(7, value);
            assert_eq!(options.workers, workers, "{value:?}");
            assert_eq!(options.seed, 7, "{value:?}");
            assert_eq!(message.is_some(), refused, "{value:?}: {message:?}");
        }
        let (_, message) = options(1, Some("ten"));
        assert_eq!(
            message.as_deref(),
            Some("?workers=ten is not a number of worker nodes from 1 to 1023: the cluster has the default 3.\n")
        );
    }

    #[test]
    fn the_page_announces_its_size_and_a_lesson_keeps_the_default() {
        let (options, said) = for_page(1, Some("1000"), false);
        assert_eq!(options.workers, 1000);
        assert_eq!(said, note(1000));
        let (options, said) = for_page(1, None, false);
        assert_eq!((options.workers, said), (3, None));
        let (options, said) = for_page(1, Some("zero"), false);
        assert_eq!(options.workers, 3);
        assert!(said.unwrap().starts_with("?workers=zero is not a number"));
        let (options, said) = for_page(1, Some("1000"), true);
        assert_eq!(options.workers, 3);
        assert!(said.unwrap().contains("is not used in a lesson"));
        assert_eq!(for_page(1, None, true).1, None);
    }

    #[test]
    fn only_a_cluster_of_another_size_is_announced() {
        assert_eq!(note(3), None);
        assert_eq!(
            note(1).as_deref(),
            Some("This cluster has 2 nodes: control-plane and worker-1 (?workers=1).\n")
        );
        assert_eq!(
            note(1000).as_deref(),
            Some("This cluster has 1001 nodes: control-plane and worker-1 … worker-1000 (?workers=1000).\n")
        );
    }
}
