//! How long the console takes to apply and list many objects — the "stays interactive"
//! figure the README quotes. Run with `cargo bench --bench apply_list` (or `make bench`).
//!
//! Measures wall time around whole console commands, as a user would feel them, on a
//! fresh default cluster: one `kubectl apply -f` of N ConfigMaps + N/10 Services, then
//! `get` over all of them, a label-selected `get`, `-o name`, and one `get` by name.

use kubesim::console::files::MemoryFiles;
use kubesim::console::Console;
use kubesim::sim::ClusterOptions;
use std::time::Instant;

fn manifest(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}\n  labels:\n    shard: s{}\ndata:\n  index: \"{i}\"\n---\n",
            i % 10
        ));
    }
    for i in 0..n / 10 {
        s.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector:\n    app: a{i}\n  ports:\n  - port: 80\n---\n"
        ));
    }
    s
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!(
        "{label:<44} {:>9.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    out
}

fn main() {
    for n in [1_000usize, 5_000] {
        println!("--- {n} ConfigMaps + {} Services ---", n / 10);
        let mut files = MemoryFiles::default();
        files.files.insert("many.yaml".into(), manifest(n));
        let mut console = time("fresh default cluster", || {
            Console::with_options(ClusterOptions::default(), Box::new(files))
        });
        let out = time("kubectl apply -f many.yaml", || {
            console.execute("kubectl apply -f many.yaml")
        });
        assert_eq!(
            out.lines().filter(|l| l.ends_with(" created")).count(),
            n + n / 10,
            "every object created"
        );
        let out = time("kubectl get configmaps", || {
            console.execute("kubectl get configmaps")
        });
        assert!(out.lines().count() > n);
        time("kubectl get cm -l shard=s3", || {
            console.execute("kubectl get cm -l shard=s3")
        });
        time("kubectl get svc -o name", || {
            console.execute("kubectl get svc -o name")
        });
        time("kubectl get cm settings-42", || {
            console.execute("kubectl get cm settings-42")
        });
        time("kubectl apply -f many.yaml (unchanged)", || {
            console.execute("kubectl apply -f many.yaml")
        });
    }
}
