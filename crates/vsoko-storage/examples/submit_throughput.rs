//! Measures sequential and concurrent `Store::submit` throughput on a fresh SQLite file with
//! `synchronous = FULL` and `NORMAL` (see docs/benchmarks.md), or on a PostgreSQL URL.
//!
//! `cargo run --release -p vsoko-storage --example submit_throughput -- [N]`; with
//! `VSOKO_TEST_POSTGRES_URL` set it measures PostgreSQL instead.

#[path = "../tests/support/mod.rs"]
#[allow(unused_macros)]
mod support;

use std::time::{Duration, Instant};

use vsoko_storage::{SqliteDurability, Store, StoreOptions};

async fn run(label: &str, store: Store, n: usize, concurrency: usize) {
    store.migrate().await.unwrap();
    let world = std::sync::Arc::new(support::world(&store).await);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (store, world) = (store.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in (worker..n).step_by(concurrency) {
                let value = (i % 3) as f64;
                let sheet = support::answers(&world.instrument, value, 2.0, Some(1.0));
                let t = Instant::now();
                support::submit(&store, &world, &format!("k{i}"), &sheet).await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{label:<28} concurrency {concurrency:>2}: {n} submits in {:.2?} = {:>6.0}/s, p50 {:.2?}, p99 {:.2?}",
        elapsed,
        n as f64 / elapsed.as_secs_f64(),
        pct(0.5),
        pct(0.99)
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    for concurrency in [1, 8] {
        if std::env::var("VSOKO_TEST_POSTGRES_URL").is_ok() {
            let db = support::TestDb::postgres().await.unwrap();
            run("postgresql", db.store.clone(), n, concurrency).await;
            continue;
        }
        for durability in [SqliteDurability::Full, SqliteDurability::Normal] {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("b.db").display());
            let store = Store::connect_with(
                &url,
                StoreOptions {
                    sqlite_durability: durability,
                    ..StoreOptions::default()
                },
            )
            .await
            .unwrap();
            run(
                &format!("sqlite synchronous={durability:?}"),
                store,
                n,
                concurrency,
            )
            .await;
        }
    }
}
