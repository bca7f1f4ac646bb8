//! The web interface's weight and speed (not a test): starts the server over a fresh database with
//! the demo network (`--database-url` for PostgreSQL; a temporary SQLite file by default), signs
//! in as the demo teacher `teacher18-1`, and measures the survey page she fills:
//! 1. what a first visit transfers, compressed as a browser asks for it (`Accept-Encoding:
//!    gzip`): the page, its stylesheet and its script;
//! 2. the server's answer time for the page, over `--renders` sequential requests on loopback
//!    (median and p99, after ten not counted): session, account, instrument, draft and
//!    rendering, as a browser gets it.
//!
//!
//! With `--teachers N` it seeds a network of N teachers (100 a kindergarten) with a September and
//! a May survey each (`dc-teacher`, the latest version) instead, signs in as its methodist and
//! measures the network dashboard (May compared with September) over `--renders` renders, and the
//! network's справка as DOCX over ten.
//!
//! ```bash
//! cargo run --release -p vsoko-api --example pages -- --renders 100
//! cargo run --release -p vsoko-api --example pages -- --teachers 10000 --renders 100
//! ```

#[path = "support/seed.rs"]
mod seed;
#[path = "support/web.rs"]
mod web;

use web::sign_in;

use std::time::{Duration, Instant};

use vsoko_api::config::Settings;
use vsoko_api::startup::Application;

/// The allocator of the `vsoko` binary, so the benchmark measures what `vsoko serve` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut renders = 100usize;
    let mut teachers = 0usize;
    let mut database_url = None;
    let args: Vec<String> = std::env::args().collect();
    for pair in args[1..].chunks(2) {
        match (pair[0].as_str(), pair.get(1)) {
            ("--renders", Some(value)) => renders = value.parse()?,
            ("--teachers", Some(value)) => teachers = value.parse()?,
            ("--database-url", Some(value)) => database_url = Some(value.clone()),
            (other, _) => anyhow::bail!("unknown option {other}"),
        }
    }
    let dir = tempfile::tempdir()?;
    let database_url = database_url.unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("pages.db").display()
        )
    });
    if teachers > 0 {
        return network(&database_url, teachers, renders).await;
    }
    let mut settings = Settings::new(database_url, "127.0.0.1:0");
    settings.demo = true;
    let application = Application::build(settings).await?;
    anyhow::ensure!(
        application.demo_accounts().is_some(),
        "the database is not empty: give an empty one"
    );
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let session = sign_in(
        &client,
        &base,
        "teacher18-1",
        vsoko_app::demo::DEMO_PASSWORD,
    )
    .await?;

    let (code, _, _) = vsoko_app::demo::current_period(vsoko_app::today());
    let page = format!("{base}/forms/dc-teacher/{code}");
    let get = |url: String, gzip: bool| {
        let mut request = client.get(url).header("cookie", &session);
        if gzip {
            request = request.header("accept-encoding", "gzip");
        }
        request.send()
    };
    let plain = get(page.clone(), false).await?;
    anyhow::ensure!(plain.status() == 200, "the survey page: {}", plain.status());
    let html = plain.text().await?;
    let css_url = html
        .split("href=\"")
        .find_map(|rest| rest.split('"').next().filter(|url| url.contains("app.css")))
        .ok_or_else(|| anyhow::anyhow!("no stylesheet"))?
        .to_owned();
    let js_url = html
        .split("src=\"")
        .find_map(|rest| rest.split('"').next().filter(|url| url.contains("app.js")))
        .ok_or_else(|| anyhow::anyhow!("no script"))?
        .to_owned();
    let mut transferred = 0usize;
    println!(
        "first visit of the survey page (dc-teacher, {} bytes of HTML):",
        html.len()
    );
    for (name, url) in [
        ("page", page.clone()),
        ("app.css", format!("{base}{css_url}")),
        ("app.js", format!("{base}{js_url}")),
    ] {
        let response = get(url, true).await?;
        let encoding = response
            .headers()
            .get("content-encoding")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        let bytes = response.bytes().await?.len();
        transferred += bytes;
        println!("  {name:<8} {bytes:>7} bytes ({encoding})");
    }
    println!("  total    {transferred:>7} bytes transferred (target < 100 KB)");

    // Ten renders first, not counted: the instrument rebuilt once per process, cold caches.
    for _ in 0..10 {
        get(page.clone(), false).await?.bytes().await?;
    }
    let mut times = Vec::with_capacity(renders);
    for _ in 0..renders {
        let started = Instant::now();
        let response = get(page.clone(), false).await?;
        let body = response.bytes().await?;
        times.push(started.elapsed());
        anyhow::ensure!(!body.is_empty());
    }
    times.sort();
    println!(
        "survey page, {renders} sequential renders: median {}, p99 {}, max {}",
        millis(percentile(&times, 0.5)),
        millis(percentile(&times, 0.99)),
        millis(times[times.len() - 1])
    );
    Ok(())
}

/// Times `count` sequential GETs of `url` (after three not counted); the sorted times.
async fn time_gets(
    client: &reqwest::Client,
    session: &str,
    url: &str,
    count: usize,
) -> anyhow::Result<Vec<Duration>> {
    for _ in 0..3 {
        client
            .get(url)
            .header("cookie", session)
            .send()
            .await?
            .bytes()
            .await?;
    }
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let response = client.get(url).header("cookie", session).send().await?;
        anyhow::ensure!(response.status() == 200, "{url}: {}", response.status());
        response.bytes().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

/// The network mode: the dashboard and the справка of a network of `teachers`.
async fn network(database_url: &str, teachers: usize, renders: usize) -> anyhow::Result<()> {
    use vsoko_storage::{NewPeriod, NewUser, Role, Scope, Store};
    let started = Instant::now();
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    let (catalog, _) = vsoko_api::instruments::register(&store, None).await?;
    let instrument = catalog.get("dc-teacher", None)?.clone();
    let stored = store
        .instrument("dc-teacher", Some(instrument.version()))
        .await?;
    let network = store.create_network(None, "Нагрузочная сеть").await?;
    const PASSWORD: &str = "benchmark-password";
    for (login, role) in [("admin", Role::Admin), ("manager", Role::Manager)] {
        store
            .create_user(
                None,
                &NewUser {
                    login: login.into(),
                    password: PASSWORD.into(),
                    role,
                    scope: Scope::Network(network.id),
                    person_id: None,
                },
            )
            .await?;
    }
    let mut periods = Vec::new();
    for (code, start, end, progress) in [
        ("2024-09", "2024-09-01", "2024-09-30", 0.0),
        ("2025-05", "2025-05-01", "2025-05-31", 0.06),
    ] {
        let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d");
        let period = store
            .create_period(
                None,
                &NewPeriod {
                    network_id: network.id,
                    code: code.into(),
                    starts_on: date(start)?,
                    ends_on: date(end)?,
                },
            )
            .await?;
        periods.push((period.id, progress));
    }
    let seeded = seed::teachers(
        &store,
        &instrument,
        stored.id,
        network.id,
        teachers,
        100,
        &periods,
    )
    .await?;
    store.close().await?;
    println!(
        "seeded {} teachers in {} kindergartens, two surveys each ({}), in {:.1} s",
        seeded.teachers.len(),
        seeded.kindergartens.len(),
        instrument.id(),
        started.elapsed().as_secs_f64()
    );
    let application = Application::build(Settings::new(database_url, "127.0.0.1:0")).await?;
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let session = sign_in(&client, &base, "manager", PASSWORD).await?;
    let query = "instrument=dc-teacher&period=2025-05&compare=2024-09";
    let times = time_gets(
        &client,
        &session,
        &format!("{base}/network/dashboard?{query}"),
        renders,
    )
    .await?;
    println!(
        "network dashboard, {renders} sequential renders: median {}, p99 {}, max {}",
        millis(percentile(&times, 0.5)),
        millis(percentile(&times, 0.99)),
        millis(times[times.len() - 1])
    );
    let times = time_gets(
        &client,
        &session,
        &format!("{base}/network/spravka.docx?{query}"),
        10,
    )
    .await?;
    println!(
        "network справка as DOCX, 10 sequential downloads: median {}, max {}",
        millis(percentile(&times, 0.5)),
        millis(times[times.len() - 1])
    );
    Ok(())
}
