//! Running the simulation in slices (`Cluster::run_until_within`, what the page does so
//! no animation frame simulates for long) gives exactly the bytes of one unsliced run:
//! same objects, same messages, same clock.

use kubesim::console::Console;
use kubesim::sim::Cluster;

fn digest(cluster: &Cluster) -> String {
    let mut out = format!("now={} rev={}\n", cluster.now(), cluster.store().revision());
    for object in cluster.store().objects() {
        out.push_str(&object.to_string());
        out.push('\n');
    }
    for m in cluster.messages() {
        out.push_str(&m.to_string());
        out.push('\n');
    }
    out
}

fn busy_console() -> Console {
    let mut console = Console::new(7);
    console.execute("kubectl create deployment web --image=nginx --replicas=40");
    console.execute("kubectl create deployment bad --image=nginx:1.99 --replicas=3");
    console
}

#[test]
fn slices_of_any_size_give_the_same_bytes() {
    let mut whole = busy_console();
    whole.cluster_mut().run_until(90_000);
    let want = digest(whole.cluster());
    for budget in [1u64, 7, 50, 400] {
        let mut sliced = busy_console();
        let mut calls = 0;
        loop {
            let mut work = budget;
            calls += 1;
            if sliced.cluster_mut().run_until_within(90_000, &mut work) {
                break;
            }
            assert!(sliced.cluster().now() <= 90_000);
            assert!(calls < 1_000_000, "budget {budget}: never finished");
        }
        assert!(calls > 1 || budget > 50, "budget {budget} sliced nothing");
        assert_eq!(digest(sliced.cluster()), want, "budget {budget}");
    }
}

#[test]
fn a_sliced_run_can_change_its_target_between_slices() {
    // The page asks for a later time each frame; stopping short and resuming toward a
    // new target must equal running to the final target directly.
    let mut whole = busy_console();
    whole.cluster_mut().run_until(60_000);
    let mut sliced = busy_console();
    let mut target = 0;
    while !(target >= 60_000 && !sliced.cluster().is_busy() && sliced.cluster().now() == 60_000) {
        target = (target + 700).min(60_000);
        let mut work = 25;
        sliced.cluster_mut().run_until_within(target, &mut work);
    }
    assert_eq!(digest(sliced.cluster()), digest(whole.cluster()));
}
