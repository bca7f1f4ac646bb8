//! Load against a running `vsoko serve` process (not a test): the release binary is started over
//! a fresh database with the demo network, on loopback only, for a bounded time.
//!
//! `soak`: an open-loop load of `--rate` requests a second for `--seconds` — 80 % reads (the
//! network report with dynamics, a kindergarten's report, a teacher's survey page, the network
//! dashboard), 20 % submissions (observation cards, which may be filled any number of times) —
//! then p50/p99 per route class, errors, and the server's resident memory at the start, after
//! ten seconds and at the end.
//!
//! `outage`: `--clients` clients post cards in a loop while `--restart` (a shell command, e.g.
//! `pg_ctlcluster 15 main restart`) restarts PostgreSQL after `--at` seconds. A client retries an
//! answer that failed (503, a broken connection) with the same idempotency key, as the web form
//! does. Then: acknowledged, lost (acknowledged but not stored), 5xx by status, and how long
//! from the restart until submissions were stored again.
//!
//! ```bash
//! cargo build --release -p vsoko --bin vsoko -p vsoko-api --example load
//! target/release/examples/load soak --seconds 60 --rate 500
//! target/release/examples/load soak --seconds 60 --rate 500 --postgres postgres://postgres@127.0.0.1:5432/postgres
//! target/release/examples/load outage --postgres postgres://postgres@127.0.0.1:5432/postgres \
//!     --restart "pg_ctlcluster 15 main restart"
//! ```

#[path = "support/web.rs"]
mod web;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use vsoko_checklist::{AnswerValue, Catalog};

const PASSWORD: &str = vsoko_app::demo::DEMO_PASSWORD;

struct Options {
    mode: String,
    seconds: u64,
    rate: u64,
    clients: usize,
    at: u64,
    restart: Option<String>,
    postgres: Option<String>,
    bin: PathBuf,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        anyhow::bail!("say soak or outage");
    };
    let mut options = Options {
        mode: mode.clone(),
        seconds: if mode == "outage" { 30 } else { 60 },
        rate: 500,
        clients: 16,
        at: 10,
        restart: None,
        postgres: None,
        bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/release/vsoko"),
    };
    for pair in rest.chunks(2) {
        let value = pair
            .get(1)
            .ok_or_else(|| anyhow::anyhow!("{} needs a value", pair[0]))?;
        match pair[0].as_str() {
            "--seconds" => options.seconds = value.parse()?,
            "--rate" => options.rate = value.parse()?,
            "--clients" => options.clients = value.parse()?,
            "--at" => options.at = value.parse()?,
            "--restart" => options.restart = Some(value.clone()),
            "--postgres" => options.postgres = Some(value.clone()),
            "--bin" => options.bin = PathBuf::from(value),
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    anyhow::ensure!(
        options.seconds <= 600,
        "at most 600 seconds: the load is bounded"
    );
    Ok(options)
}

/// The server process and the database it was given.
struct Server {
    child: Child,
    base: String,
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(options: &Options) -> anyhow::Result<Server> {
        let dir = tempfile::tempdir()?;
        let (database_url, postgres) = match &options.postgres {
            Some(admin) => {
                let name = format!("vsoko_load_{}", std::process::id());
                psql(admin, &format!("DROP DATABASE IF EXISTS {name}"))?;
                psql(admin, &format!("CREATE DATABASE {name}"))?;
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(base, _)| base);
                (format!("{base}/{name}"), Some((admin.clone(), name)))
            }
            None => (
                format!("sqlite://{}?mode=rwc", dir.path().join("load.db").display()),
                None,
            ),
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(&options.bin)
            .args(["serve", "--demo", "--database-url", &database_url])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .env("VSOKO_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("server.log"))?)
            .spawn()
            .map_err(|error| {
                anyhow::anyhow!(
                    "cannot start {} ({error}): build it with cargo build --release --bin vsoko",
                    options.bin.display()
                )
            })?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            postgres,
            _dir: dir,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .map(|response| response.status() != 200)
            .unwrap_or(true)
        {
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(server)
    }

    /// The server's resident memory, in MiB.
    fn rss_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find(|line| line.starts_with("VmRSS:"))
                    .and_then(|line| line.split_whitespace().nth(1))
                    .and_then(|kib| kib.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kib| kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some((admin, name)) = &self.postgres {
            let _ = psql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let status = Command::new("psql")
        .args([url, "-q", "-c", sql])
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "psql failed: {sql}");
    Ok(())
}

async fn token(client: &reqwest::Client, base: &str, login: &str) -> anyhow::Result<String> {
    let answer: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    answer["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token for {login}: {answer}"))
}

/// The demo network as the load needs it.
struct Network {
    kindergartens: Vec<i64>,
    teachers: Vec<i64>,
    period: String,
}

async fn network(client: &reqwest::Client, base: &str, admin: &str) -> anyhow::Result<Network> {
    let get = |path: String| {
        let request = client.get(format!("{base}{path}")).bearer_auth(admin);
        async move { anyhow::Ok(request.send().await?.json::<Value>().await?) }
    };
    let mut network = Network {
        kindergartens: Vec::new(),
        teachers: Vec::new(),
        period: vsoko_app::demo::current_period(vsoko_app::today()).0,
    };
    for kindergarten in get("/api/v1/kindergartens".into())
        .await?
        .as_array()
        .into_iter()
        .flatten()
    {
        let id = kindergarten["id"].as_i64().unwrap_or_default();
        network.kindergartens.push(id);
        let staff = get(format!("/api/v1/kindergartens/{id}/people")).await?;
        network.teachers.extend(
            staff
                .as_array()
                .into_iter()
                .flatten()
                .filter(|person| {
                    person["position"]
                        .as_str()
                        .is_some_and(|position| position.contains("оспитател"))
                })
                .filter_map(|person| person["id"].as_i64()),
        );
    }
    anyhow::ensure!(
        !network.teachers.is_empty(),
        "no teachers in the demo network"
    );
    Ok(network)
}

/// `count` observation cards (`card-ood`) about the network's teachers, as request bodies.
fn cards(network: &Network, count: usize) -> anyhow::Result<Vec<Value>> {
    let checklists = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../checklists");
    let catalog = Catalog::load_dir(&checklists)?;
    let instrument = catalog.get("card-ood", None)?;
    let mut rng = StdRng::seed_from_u64(80);
    Ok((0..count)
        .map(|index| {
            let answers: Vec<Value> = vsoko_app::demo::generate_answers(instrument, 0.6, &mut rng)
                .iter()
                .map(|answer| match answer.value {
                    AnswerValue::Value(value) => json!({"item": answer.item, "value": value}),
                    AnswerValue::NotApplicable => json!({"item": answer.item, "na": true}),
                })
                .collect();
            json!({
                "instrument": "card-ood",
                "version": instrument.version(),
                "period": network.period,
                "subject": {"kind": "teacher", "id": network.teachers[index % network.teachers.len()]},
                "answers": answers,
            })
        })
        .collect())
}

fn percentile(sorted: &[Duration], share: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// What one route class got.
#[derive(Default)]
struct Class {
    latencies: Vec<Duration>,
    /// Those of the requests answered 200 or 201.
    answered: Vec<Duration>,
    statuses: BTreeMap<u16, usize>,
    failed: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    match options.mode.as_str() {
        "soak" => soak(&options).await,
        "outage" => outage(&options).await,
        other => anyhow::bail!("unknown mode {other}: soak or outage"),
    }
}

async fn soak(options: &Options) -> anyhow::Result<()> {
    let server = Server::start(options).await?;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(512)
        .build()?;
    let admin = token(&client, &base, "admin").await?;
    let network = network(&client, &base, &admin).await?;
    let total = (options.rate * options.seconds) as usize;
    let bodies = Arc::new(cards(&network, total / 5 + 1)?);
    let teacher = web::sign_in(&client, &base, "teacher18-1", PASSWORD).await?;
    let manager = web::sign_in(&client, &base, "manager", PASSWORD).await?;
    let current = network.period.clone();
    // Five route classes in turn: four reads, one submission.
    let reads: Vec<(&str, String, Option<String>, Option<String>)> = vec![
        (
            "API network report (May vs September)",
            format!(
                "{base}/api/v1/reports/network?instrument=dc-teacher&period=2025-05&compare_period=2024-09"
            ),
            Some(admin.clone()),
            None,
        ),
        (
            "API kindergarten report",
            format!(
                "{base}/api/v1/reports/kindergartens/{}?instrument=dc-teacher&period=2025-05",
                network.kindergartens[0]
            ),
            Some(admin.clone()),
            None,
        ),
        (
            "page: teacher's survey form",
            format!("{base}/forms/dc-teacher/{current}"),
            None,
            Some(teacher.clone()),
        ),
        (
            "page: network dashboard",
            format!(
                "{base}/network/dashboard?instrument=dc-teacher&period=2025-05&compare=2024-09"
            ),
            None,
            Some(manager.clone()),
        ),
    ];
    let classes: Arc<Mutex<BTreeMap<&'static str, Class>>> = Arc::default();
    let rss_start = server.rss_mib();
    let mut rss_10s = f64::NAN;
    let mut rss_max = rss_start;
    let period = Duration::from_secs_f64(1.0 / options.rate as f64);
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut last_sample = Instant::now();
    for index in 0..total {
        ticker.tick().await;
        if last_sample.elapsed() >= Duration::from_secs(1) {
            last_sample = Instant::now();
            let rss = server.rss_mib();
            rss_max = rss_max.max(rss);
            if rss_10s.is_nan() && started.elapsed() >= Duration::from_secs(10) {
                rss_10s = rss;
            }
        }
        let client = client.clone();
        let classes = classes.clone();
        let (name, request): (&'static str, reqwest::RequestBuilder) = if index % 5 == 4 {
            let body = &bodies[index / 5];
            (
                "API submission (observation card)",
                client
                    .post(format!("{base}/api/v1/submissions"))
                    .bearer_auth(&admin)
                    .header("Idempotency-Key", format!("soak-{index}"))
                    .json(body),
            )
        } else {
            let (name, url, bearer, cookie) = &reads[index % 5];
            let mut request = client.get(url);
            if let Some(bearer) = bearer {
                request = request.bearer_auth(bearer);
            }
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            (name, request)
        };
        tasks.spawn(async move {
            let sent = Instant::now();
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    response.bytes().await.ok().map(|_| status)
                }
                Err(_) => None,
            };
            let elapsed = sent.elapsed();
            let mut classes = classes.lock().unwrap();
            let class = classes.entry(name).or_default();
            match outcome {
                Some(status) => {
                    *class.statuses.entry(status).or_default() += 1;
                    class.latencies.push(elapsed);
                    if status == 200 || status == 201 {
                        class.answered.push(elapsed);
                    }
                }
                None => class.failed += 1,
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    let offered = started.elapsed();
    while tasks.join_next().await.is_some() {}
    let rss_end = server.rss_mib();
    rss_max = rss_max.max(rss_end);
    let database = if options.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "soak on {database}: {total} requests offered at {} /s over {:.1} s (all answered after {:.1} s)",
        options.rate,
        offered.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "| route class | requests | p50 ms | p99 ms | max ms | answered (200/201) p50 / p99 ms | statuses | transport errors |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut classes = classes.lock().unwrap();
    for (name, class) in classes.iter_mut() {
        class.latencies.sort();
        class.answered.sort();
        let statuses: Vec<String> = class
            .statuses
            .iter()
            .map(|(status, count)| format!("{status}×{count}"))
            .collect();
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} / {:.1} | {} | {} |",
            class.latencies.len() + class.failed,
            percentile(&class.latencies, 0.5),
            percentile(&class.latencies, 0.99),
            percentile(&class.latencies, 1.0),
            percentile(&class.answered, 0.5),
            percentile(&class.answered, 0.99),
            statuses.join(", "),
            class.failed
        );
    }
    println!(
        "server RSS: {rss_start:.1} MiB at the start, {rss_10s:.1} MiB after 10 s, {rss_end:.1} MiB at the end (max {rss_max:.1}); end / 10 s = {:+.1} %",
        (rss_end / rss_10s - 1.0) * 100.0
    );
    Ok(())
}

/// One client's outcome in the outage run.
#[derive(Default)]
struct Tally {
    acknowledged: Vec<i64>,
    statuses: BTreeMap<u16, usize>,
    broken: usize,
    /// When each failure and each success happened, from the start.
    failures: Vec<Duration>,
    successes: Vec<Duration>,
}

async fn outage(options: &Options) -> anyhow::Result<()> {
    anyhow::ensure!(
        options.postgres.is_some(),
        "outage needs --postgres ADMIN_URL"
    );
    let restart = options
        .restart
        .clone()
        .ok_or_else(|| anyhow::anyhow!("outage needs --restart COMMAND"))?;
    let server = Server::start(options).await?;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let admin = token(&client, &base, "admin").await?;
    let network = network(&client, &base, &admin).await?;
    let bodies = Arc::new(cards(&network, 200_000)?);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let mut tasks = Vec::new();
    for worker in 0..options.clients {
        let (client, bodies, admin, base) =
            (client.clone(), bodies.clone(), admin.clone(), base.clone());
        let clients = options.clients;
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut index = worker;
            while Instant::now() < deadline && index < bodies.len() {
                // The same key until it is stored (or the run ends).
                let key = format!("outage-{index}");
                loop {
                    let answer = client
                        .post(format!("{base}/api/v1/submissions"))
                        .bearer_auth(&admin)
                        .header("Idempotency-Key", &key)
                        .json(&bodies[index])
                        .send()
                        .await;
                    match answer {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            *tally.statuses.entry(status).or_default() += 1;
                            let body: Value = response.json().await.unwrap_or(Value::Null);
                            if status == 201 || status == 200 {
                                tally.acknowledged.push(body["id"].as_i64().unwrap_or(-1));
                                tally.successes.push(started.elapsed());
                                break;
                            }
                            tally.failures.push(started.elapsed());
                        }
                        Err(_) => {
                            tally.broken += 1;
                            tally.failures.push(started.elapsed());
                        }
                    }
                    if Instant::now() >= deadline {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                index += clients;
            }
            tally
        }));
    }
    tokio::time::sleep(Duration::from_secs(options.at)).await;
    let restarted_at = started.elapsed();
    let status = Command::new("sh").args(["-c", &restart]).status()?;
    let restart_took = started.elapsed() - restarted_at;
    anyhow::ensure!(status.success(), "the restart command failed");
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await?;
        all.acknowledged.extend(tally.acknowledged);
        for (status, count) in tally.statuses {
            *all.statuses.entry(status).or_default() += count;
        }
        all.broken += tally.broken;
        all.failures.extend(tally.failures);
        all.successes.extend(tally.successes);
    }
    // Every acknowledged submission, read back.
    let mut lost = 0;
    for id in &all.acknowledged {
        let found = client
            .get(format!("{base}/api/v1/submissions/{id}"))
            .bearer_auth(&admin)
            .send()
            .await?
            .status();
        if found != 200 {
            lost += 1;
        }
    }
    let last_failure = all.failures.iter().max().copied();
    let recovered = last_failure.and_then(|last| {
        all.successes
            .iter()
            .filter(|success| **success > last)
            .min()
            .map(|first| first.saturating_sub(restarted_at))
    });
    let server_errors: usize = all
        .statuses
        .iter()
        .filter(|(status, _)| **status >= 500)
        .map(|(_, count)| count)
        .sum();
    println!(
        "outage: {} clients for {} s, `{restart}` at {:.1} s (took {:.1} s)",
        options.clients,
        options.seconds,
        restarted_at.as_secs_f64(),
        restart_took.as_secs_f64()
    );
    println!(
        "acknowledged {}, lost {lost}, answers by status {:?}, broken connections {}, 5xx {server_errors} (500: {})",
        all.acknowledged.len(),
        all.statuses,
        all.broken,
        all.statuses.get(&500).copied().unwrap_or(0)
    );
    match recovered {
        Some(after) => println!(
            "submissions stored again {:.1} s after the restart began",
            after.as_secs_f64()
        ),
        None => println!("no request failed: nothing to recover from"),
    }
    Ok(())
}
