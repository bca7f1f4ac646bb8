//! The web interface's weight and speed (not a test): starts the server over a fresh database with
//! the demo network (`--database-url` for PostgreSQL; a temporary SQLite file by default), signs
//! in as the demo teacher `teacher18-1`, and measures the survey page she fills:
//! 1. what a first visit transfers, compressed as a browser asks for it (`Accept-Encoding:
//!    gzip`): the page, its stylesheet and its script;
//! 2. the server's answer time for the page, over `--renders` sequential requests on loopback
//!    (median and p99, after ten not counted): session, account, instrument, draft and
//!    rendering, as a browser gets it.
//!
//! ```bash
//! cargo run --release -p vsoko-api --example pages -- --renders 100
//! ```

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
    let mut database_url = None;
    let args: Vec<String> = std::env::args().collect();
    for pair in args[1..].chunks(2) {
        match (pair[0].as_str(), pair.get(1)) {
            ("--renders", Some(value)) => renders = value.parse()?,
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
    // The sign-in form's CSRF cookie, then the session cookie.
    let form = client.get(format!("{base}/login")).send().await?;
    let csrf_cookie = form
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the sign-in page sets no cookie"))?;
    let token = csrf_cookie
        .split_once('=')
        .map(|(_, value)| value.to_owned());
    let signed_in = client
        .post(format!("{base}/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("_csrf", token.unwrap_or_default().as_str()),
            ("login", "teacher18-1"),
            ("password", vsoko_app::demo::DEMO_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await?;
    let session = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("signing in failed: {}", signed_in.status()))?;

    let (code, _, _) = vsoko_app::demo::current_period(chrono::Local::now().date_naive());
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
