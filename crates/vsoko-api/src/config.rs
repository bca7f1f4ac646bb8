//! Server settings: built by the command line (flags and environment) or by tests, then passed
//! explicitly to [`crate::startup::Application::build`].

use std::path::PathBuf;
use std::time::Duration;

/// Default database: a SQLite file next to the working directory, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://vsoko.db?mode=rwc";
/// Default listen address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Default request body limit: 256 KiB, far above the largest form (a few hundred answers).
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Listen address, `host:port`; port 0 picks a free port (tests).
    pub bind: String,
    /// Largest accepted request body in bytes; larger bodies answer 413.
    pub body_limit: usize,
    /// How long a login token stays valid.
    pub token_ttl: Duration,
    /// How long a graceful shutdown (SIGTERM, SIGINT) waits for requests in flight, and then for
    /// the submissions queued for the database.
    pub shutdown_timeout: Duration,
    /// Where to serve the Prometheus metrics (`GET /metrics`), `host:port`; `None`: not served.
    /// A separate address, so that the metrics are not public with the site.
    pub metrics_bind: Option<String>,
    /// How long a request waits for a database connection (while the database restarts, say)
    /// before it is answered 503.
    pub database_wait: Duration,
    /// Worker threads (`None`: one per core).
    pub workers: Option<usize>,
    /// A directory of the deployment's own instrument files, registered at start besides the
    /// shipped ones (which are embedded in the binary).
    pub checklists_dir: Option<PathBuf>,
    /// Create the demo network when the database is empty.
    pub demo: bool,
    /// Served over TLS (directly or by a proxy): sends `Strict-Transport-Security` and marks
    /// session cookies `Secure`.
    pub behind_tls: bool,
    /// Trust the client address a proxy forwards (`Forwarded`, `X-Forwarded-For`) for login
    /// throttling; only behind a proxy that sets it.
    pub trust_forwarded: bool,
    /// The address people reach the server at (`https://vsoko.city.ru`), printed on parents'
    /// links; `None`: the address the head's browser used.
    pub public_url: Option<String>,
    /// The most reports waiting for a slot; more are answered 503 with `Retry-After` at once.
    pub report_queue: usize,
}

impl Settings {
    /// Settings with defaults for everything but the database URL and the address.
    pub fn new(database_url: impl Into<String>, bind: impl Into<String>) -> Settings {
        Settings {
            database_url: database_url.into(),
            bind: bind.into(),
            body_limit: DEFAULT_BODY_LIMIT,
            token_ttl: Duration::from_secs(12 * 60 * 60),
            shutdown_timeout: Duration::from_secs(10),
            metrics_bind: None,
            database_wait: vsoko_storage::DEFAULT_ACQUIRE_TIMEOUT,
            workers: None,
            checklists_dir: None,
            demo: false,
            behind_tls: false,
            trust_forwarded: false,
            public_url: None,
            report_queue: vsoko_app::gate::DEFAULT_QUEUE,
        }
    }
}
