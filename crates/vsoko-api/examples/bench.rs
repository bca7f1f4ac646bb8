//! Load generator for the REST API (not a test). Builds a network of `--teachers` teachers in a
//! fresh SQLite database, then measures over HTTP:
//! 1. survey submissions per second and their latency percentiles (`--submissions`, with
//!    `--concurrency` clients), each a full `dc-teacher` survey (24 answers; with `--items N`, a
//!    copy of it widened to N items, for the upper end of the 24–44 answers a survey has);
//! 2. the latency of the network, kindergarten and teacher reports over that network.
//!
//! ```bash
//! cargo run --release -p vsoko-api --example bench -- --teachers 10000 --submissions 20000
//! ```

#[path = "support/seed.rs"]
mod seed;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use vsoko_api::config::Settings;
use vsoko_api::startup::Application;
use vsoko_checklist::{AnswerValue, Catalog, Instrument, RawAnswer};
use vsoko_storage::{NewPeriod, NewUser, Role, Scope, Store};

const PASSWORD: &str = "benchmark-password";

/// The allocator of the `vsoko` binary, so the benchmark measures what `vsoko serve` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    teachers: usize,
    submissions: usize,
    concurrency: usize,
    per_kindergarten: usize,
    /// HTTP worker threads (`0`: actix's default, one per core).
    workers: usize,
    /// Items per survey: 24 is `dc-teacher` itself, more a widened copy (see [`widened`]).
    items: usize,
}

fn options() -> Options {
    let mut options = Options {
        teachers: 10_000,
        submissions: 20_000,
        concurrency: 32,
        per_kindergarten: 100,
        workers: 0,
        items: 24,
    };
    let args: Vec<String> = std::env::args().collect();
    for pair in args[1..].chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse().ok()).expect("a number");
        match pair[0].as_str() {
            "--teachers" => options.teachers = value,
            "--submissions" => options.submissions = value,
            "--concurrency" => options.concurrency = value,
            "--per-kindergarten" => options.per_kindergarten = value,
            "--workers" => options.workers = value,
            "--items" => options.items = value,
            other => panic!("unknown option {other}"),
        }
    }
    options
}

/// `dc-teacher` (24 items, two per indicator) as `bench-wide` with `items` items: the extra ones
/// are copies of an indicator's first item under new codes, spread over the indicators in turn.
fn widened(source: &str, items: usize) -> anyhow::Result<Instrument> {
    let mut definition: toml::Table = toml::from_str(source)?;
    definition.insert("code".into(), "bench-wide".into());
    let mut indicators: Vec<&mut toml::Table> = Vec::new();
    for area in definition["areas"].as_array_mut().expect("areas") {
        for indicator in area["indicators"].as_array_mut().expect("indicators") {
            indicators.push(indicator.as_table_mut().expect("an indicator"));
        }
    }
    let count = indicators.len();
    let mut total: usize = indicators
        .iter()
        .map(|indicator| indicator["items"].as_array().map_or(0, Vec::len))
        .sum();
    let mut next = 0;
    while total < items {
        let indicator = &mut indicators[next % count];
        let code = indicator["code"].as_str().expect("a code").to_owned();
        let list = indicator["items"].as_array_mut().expect("items");
        let mut copy = list[0].clone();
        copy["code"] = format!("{code}.{}", list.len() + 1).into();
        list.push(copy);
        total += 1;
        next += 1;
    }
    Ok(vsoko_checklist::parse_toml(
        &toml::to_string(&definition)?,
        "bench-wide.toml",
    )?)
}

fn wire(answers: &[RawAnswer]) -> Vec<Value> {
    answers
        .iter()
        .map(|answer| match answer.value {
            AnswerValue::Value(value) => json!({"item": answer.item, "value": value}),
            AnswerValue::NotApplicable => json!({"item": answer.item, "na": true}),
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn summary(name: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    println!(
        "{name:<28} n={:<6} p50={:>7.2} ms  p90={:>7.2} ms  p99={:>7.2} ms  max={:>7.2} ms",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options();
    let checklists = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists");
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let catalog = Catalog::load_dir(&checklists)?;
    let instrument = if options.items > 24 {
        widened(
            &std::fs::read_to_string(checklists.join("dc-teacher/v1.toml"))?,
            options.items,
        )?
    } else {
        catalog.get("dc-teacher", Some(1))?.clone()
    };
    let code = instrument.id().code.to_string();
    println!(
        "instrument {}: {} items",
        instrument.id(),
        instrument.items().count()
    );

    // Seed the network directly through the store (fast), as an import would.
    let started = Instant::now();
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    store.register_catalog(&catalog, &checklists).await?;
    store
        .register_instrument(&instrument, "bench-wide.toml")
        .await?;
    let network = store.create_network(None, "Нагрузочная сеть").await?;
    store
        .create_user(
            None,
            &NewUser {
                login: "admin".into(),
                password: PASSWORD.into(),
                role: Role::Admin,
                scope: Scope::Network(network.id),
                person_id: None,
            },
        )
        .await?;
    let mut period_ids = Vec::new();
    for (code, start, end) in [
        ("2024-09", "2024-09-01", "2024-09-30"),
        ("2025-05", "2025-05-01", "2025-05-31"),
    ] {
        let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d");
        period_ids.push(
            store
                .create_period(
                    None,
                    &NewPeriod {
                        network_id: network.id,
                        code: code.into(),
                        starts_on: date(start)?,
                        ends_on: date(end)?,
                    },
                )
                .await?
                .id,
        );
    }
    let stored = store.instrument(&code, Some(1)).await?;
    let seeded = seed::teachers(
        &store,
        &instrument,
        stored.id,
        network.id,
        options.teachers,
        options.per_kindergarten,
        &[(period_ids[0], 0.0)],
    )
    .await?;
    let (teachers, kindergartens) = (seeded.teachers, seeded.kindergartens);
    let mut rng = StdRng::seed_from_u64(8);
    // Where a network report's time goes: the storage read and the scoring aggregation alone.
    for _ in 0..5 {
        let read = Instant::now();
        let scored = store
            .load_scores(
                &store
                    .score_query(Scope::Network(network.id), "2024-09")
                    .await?,
                &code,
                1,
            )
            .await?;
        println!(
            "  (load_scores of {} submissions as ScoredSubmission: {:.1} ms)",
            scored.len(),
            read.elapsed().as_secs_f64() * 1000.0
        );
        let read = Instant::now();
        let table = store
            .load_score_table(
                &store
                    .score_query(Scope::Network(network.id), "2024-09")
                    .await?,
                &instrument,
            )
            .await?;
        let read = read.elapsed();
        let aggregated = Instant::now();
        let report = std::thread::scope(|scope| {
            scope
                .spawn(|| vsoko_scoring::aggregate_table(&instrument, &table))
                .join()
                .expect("aggregation thread")
        })?;
        println!(
            "network of {} submissions: load_score_table {:.1} ms, aggregate_table {:.1} ms ({} kindergartens)",
            table.len(),
            read.as_secs_f64() * 1000.0,
            aggregated.elapsed().as_secs_f64() * 1000.0,
            report.totals.len()
        );
    }
    store.close().await?;
    println!(
        "seeded {} teachers in {} kindergartens (+ one September survey each) in {:.1} s",
        teachers.len(),
        kindergartens.len(),
        started.elapsed().as_secs_f64()
    );

    let mut settings = Settings::new(url, "127.0.0.1:0");
    settings.checklists_dir = Some(checklists);
    settings.workers = (options.workers > 0).then_some(options.workers);
    let application = Application::build(settings).await?;
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().unwrap().to_owned();

    // 1. Submissions: every client posts its share of May surveys.
    let bodies: Vec<Value> = (0..options.submissions)
        .map(|i| {
            let (_, person) = teachers[i % teachers.len()];
            let answers = vsoko_app::demo::generate_answers(&instrument, 0.6, &mut rng);
            json!({"instrument": code, "version": instrument.version(), "period": "2025-05", "subject": {"kind": "teacher", "id": person}, "answers": wire(&answers)})
        })
        .collect();
    let bodies = Arc::new(bodies);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..options.concurrency {
        let (client, bodies, token, base) =
            (client.clone(), bodies.clone(), token.clone(), base.clone());
        let concurrency = options.concurrency;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut index = worker;
            while index < bodies.len() {
                let sent = Instant::now();
                let response = client
                    .post(format!("{base}/api/v1/submissions"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("bench-{index}"))
                    .json(&bodies[index])
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(
                    response.status(),
                    201,
                    "{}",
                    response.text().await.unwrap_or_default()
                );
                let _ = response.bytes().await;
                latencies.push(sent.elapsed());
                index += concurrency;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "submissions: {} in {elapsed:.2} s = {:.0}/s with {} clients",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        options.concurrency
    );
    summary("POST /submissions", latencies);

    // 2. Reports over the whole network, one request at a time.
    let measure = async |name: &str, path: String, times: usize| -> anyhow::Result<()> {
        let mut latencies = Vec::new();
        for _ in 0..times {
            let sent = Instant::now();
            let response = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
                .await?;
            assert_eq!(response.status(), 200, "{path}");
            let _ = response.bytes().await?;
            latencies.push(sent.elapsed());
        }
        summary(name, latencies);
        Ok(())
    };
    let query = format!("period=2025-05&instrument={code}");
    measure(
        "GET reports/network",
        format!("/api/v1/reports/network?{query}"),
        20,
    )
    .await?;
    measure(
        "GET reports/network +dyn",
        format!("/api/v1/reports/network?{query}&compare_period=2024-09"),
        10,
    )
    .await?;
    measure(
        "GET reports/kindergartens",
        format!("/api/v1/reports/kindergartens/{}?{query}", kindergartens[0]),
        50,
    )
    .await?;
    measure(
        "GET reports/teachers",
        format!("/api/v1/reports/teachers/{}?{query}", teachers[0].1),
        50,
    )
    .await?;
    Ok(())
}
