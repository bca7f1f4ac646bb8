//! `vsoko serve`: runs the server — the web interface and the REST API.

use std::process::ExitCode;

use anyhow::Context;
use vsoko_api::config::{self, Settings};
use vsoko_api::startup::Application;

/// Run the server: the Russian web interface at /, the REST API at /api/v1 (Swagger UI at /docs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    #[arg(long, env = "VSOKO_DATABASE_URL", default_value = config::DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Listen address `host:port`.
    #[arg(long, env = "VSOKO_BIND", default_value = config::DEFAULT_BIND)]
    bind: String,
    /// Log level when `RUST_LOG` is not set: error, warn, info, debug, trace.
    #[arg(long, env = "VSOKO_LOG", default_value = "info")]
    log_level: String,
    /// Log lines as `text` (for people) or `json` (one object per line, for a log collector).
    #[arg(long, env = "VSOKO_LOG_FORMAT", default_value = "text")]
    log_format: vsoko_api::telemetry::LogFormat,
    /// Serve Prometheus metrics at http://ADDRESS/metrics, e.g. `127.0.0.1:9090` (default: not
    /// served). Keep it off the public address.
    #[arg(long, env = "VSOKO_METRICS_BIND")]
    metrics_bind: Option<String>,
    /// Seconds a request waits for the database (while it restarts, say) before it is answered
    /// 503 «retry later».
    #[arg(long, env = "VSOKO_DATABASE_WAIT", default_value_t = 10)]
    database_wait: u64,
    /// Seconds a shutdown (SIGTERM) waits for requests in flight, then for queued writes.
    #[arg(long, env = "VSOKO_SHUTDOWN_GRACE", default_value_t = 10)]
    shutdown_grace: u64,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "VSOKO_BODY_LIMIT", default_value_t = config::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// The most reports waiting to be computed; a report asked beyond that is answered at once
    /// with 503 and `Retry-After` (the page: «Сервис перегружен»), never a form or a submission.
    #[arg(long, env = "VSOKO_REPORT_QUEUE", default_value_t = vsoko_app::gate::DEFAULT_QUEUE)]
    report_queue: usize,
    /// Worker threads (default: one per core).
    #[arg(long, env = "VSOKO_WORKERS")]
    workers: Option<usize>,
    /// A directory of your own instrument files (`<code>/v<version>.toml`), registered at start
    /// besides the shipped ones, which are built into the binary.
    #[arg(long, env = "VSOKO_CHECKLISTS")]
    checklists: Option<std::path::PathBuf>,
    /// The server is reached over HTTPS (directly or through a proxy): send
    /// Strict-Transport-Security and mark session cookies Secure.
    #[arg(long, env = "VSOKO_BEHIND_TLS")]
    behind_tls: bool,
    /// Trust the client address a proxy forwards (X-Forwarded-For) for login throttling; set it
    /// only behind a proxy that always sets that header.
    #[arg(long, env = "VSOKO_TRUST_FORWARDED")]
    trust_forwarded: bool,
    /// The address people reach the server at (e.g. https://vsoko.city.ru), printed on the
    /// parents' links and QR codes; by default the address the head's browser used.
    #[arg(long, env = "VSOKO_PUBLIC_URL")]
    public_url: Option<String>,
    /// On an empty database, create the demo network (10 kindergartens, staff, two periods,
    /// generated submissions) and print its accounts.
    #[arg(long)]
    demo: bool,
}

/// Starts the server and serves until SIGINT/SIGTERM.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    vsoko_api::telemetry::init(&args.log_level, args.log_format);
    let bind = args.bind.clone();
    let mut settings = Settings::new(args.database_url, args.bind);
    settings.body_limit = args.body_limit;
    settings.workers = args.workers;
    settings.report_queue = args.report_queue;
    settings.checklists_dir = args.checklists;
    settings.demo = args.demo;
    settings.behind_tls = args.behind_tls;
    settings.trust_forwarded = args.trust_forwarded;
    settings.public_url = args.public_url;
    settings.metrics_bind = args.metrics_bind.clone();
    settings.shutdown_timeout = std::time::Duration::from_secs(args.shutdown_grace);
    settings.database_wait = std::time::Duration::from_secs(args.database_wait.max(1));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let application = Application::build(settings).await?;
        if let Some(accounts) = application.demo_accounts() {
            println!(
                "Demo accounts (password: {}):",
                vsoko_app::demo::DEMO_PASSWORD
            );
            for account in accounts {
                println!(
                    "  {:<14} {:<8} {}",
                    account.login, account.role, account.note
                );
            }
        } else if args.demo {
            println!("The database is not empty: the demo network was not created.");
        }
        let host = bind
            .rsplit_once(':')
            .map(|(host, _)| host)
            .unwrap_or("127.0.0.1");
        println!(
            "vsoko listens on http://{host}:{port}  (API docs: http://{host}:{port}/docs)",
            port = application.port()
        );
        if application.demo_accounts().is_some() {
            println!(
                "Open http://{host}:{port}/login and sign in, e.g. as teacher18-1 with the password {}",
                vsoko_app::demo::DEMO_PASSWORD,
                port = application.port()
            );
        }
        if let Some(port) = application.metrics_port() {
            println!("Metrics: http://{host}:{port}/metrics", host = metrics_host(&args.metrics_bind));
        }
        tracing::info!(port = application.port(), "listening");
        application
            .run_until_stopped()
            .await
            .context("the server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The host part of the metrics address, for the start message.
fn metrics_host(bind: &Option<String>) -> &str {
    bind.as_deref()
        .and_then(|bind| bind.rsplit_once(':'))
        .map_or("127.0.0.1", |(host, _)| host)
}
