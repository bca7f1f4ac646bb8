//! The server's Prometheus metrics: one registry per process, filled by the request middleware
//! ([`crate::access`]), the store (group commits) and the use cases (submissions, logins), and
//! served in the OpenMetrics text format at `/metrics` on the separate `--metrics-bind` address.
//! Every metric is listed in the README's «Operations» section.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use vsoko_app::observe::{PoolStatus, StoreObserver};
use vsoko_app::{AppObserver, Channel};
use vsoko_checklist::InstrumentKind;

/// The labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    /// The route template (`/api/v1/reports/teachers/{id}`), never the path itself: the label
    /// set stays bounded and no id or token of a path gets in.
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    route: String,
    method: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SubmissionLabels {
    kind: &'static str,
    channel: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: &'static str,
    database: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms … 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

fn batch_histogram() -> Histogram {
    // 1 … 512 submissions.
    Histogram::new(exponential_buckets(1.0, 2.0, 10))
}

fn commit_histogram() -> Histogram {
    // 0.1 ms … 3.3 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// Everything counted, and the registry that exposes it. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms<LatencyLabels>,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    acquire_timeouts: Counter,
    queued: Gauge,
    batch_size: Histogram,
    batch_seconds: Histogram,
    submissions: Family<SubmissionLabels, Counter>,
    login_failures: Counter,
    login_throttled: Counter,
}

impl Metrics {
    /// A registry with every metric of the server, at zero; `postgres` names the database in the
    /// build info.
    pub fn new(postgres: bool) -> Arc<Metrics> {
        let mut registry = Registry::with_prefix("vsoko");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        let latency: Histograms<LatencyLabels> =
            Family::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its answer, by route template and method",
            Unit::Seconds,
            latency.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections open now: idle or in use",
            pool.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The most database connections the pool opens",
            pool_max.clone(),
        );
        let acquire_timeouts = Counter::default();
        registry.register(
            "db_pool_acquire_timeouts",
            "Requests that waited for a database connection past the timeout (answered 503)",
            acquire_timeouts.clone(),
        );
        let queued = Gauge::default();
        registry.register(
            "group_commit_queued",
            "Submissions waiting for the SQLite writer now (0 on PostgreSQL)",
            queued.clone(),
        );
        let batch_size = batch_histogram();
        registry.register(
            "group_commit_batch_size",
            "Submissions written by one group commit (SQLite)",
            batch_size.clone(),
        );
        let batch_seconds = commit_histogram();
        registry.register_with_unit(
            "group_commit_duration",
            "Time one group commit took, from BEGIN to COMMIT (SQLite)",
            Unit::Seconds,
            batch_seconds.clone(),
        );
        let submissions = Family::<SubmissionLabels, Counter>::default();
        registry.register(
            "submissions_accepted",
            "New submissions stored, by instrument kind and channel (account, link, import)",
            submissions.clone(),
        );
        let login_failures = Counter::default();
        registry.register(
            "login_failures",
            "Sign-ins refused for a wrong login or password",
            login_failures.clone(),
        );
        let login_throttled = Counter::default();
        registry.register(
            "login_throttled",
            "Sign-ins refused unchecked: the account or address is blocked for a while",
            login_throttled.clone(),
        );
        registry.register(
            "build",
            "The running version and its database",
            Info::new(BuildLabels {
                version: env!("CARGO_PKG_VERSION"),
                database: if postgres { "postgresql" } else { "sqlite" },
            }),
        );
        Arc::new(Metrics {
            registry,
            requests,
            latency,
            pool,
            pool_max,
            acquire_timeouts,
            queued,
            batch_size,
            batch_seconds,
            submissions,
            login_failures,
            login_throttled,
        })
    }

    /// Counts an answered request.
    pub(crate) fn request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&LatencyLabels {
                route: route.to_owned(),
                method: method.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The metrics in the OpenMetrics text format, with the pool as it is now.
    pub fn encode(&self, pool: PoolStatus) -> String {
        let gauge = |value: u32| i64::from(value);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(gauge(pool.idle));
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(gauge(pool.open.saturating_sub(pool.idle)));
        self.pool_max.set(gauge(pool.max));
        let seen = self.acquire_timeouts.get();
        self.acquire_timeouts
            .inc_by(pool.acquire_timeouts.saturating_sub(seen));
        self.queued
            .set(i64::try_from(pool.queued_submissions).unwrap_or(i64::MAX));
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

impl StoreObserver for Metrics {
    fn batch_committed(&self, size: usize, _plain: bool, elapsed: Duration) {
        self.batch_size.observe(size as f64);
        self.batch_seconds.observe(elapsed.as_secs_f64());
    }
}

impl AppObserver for Metrics {
    fn submissions_accepted(&self, kind: InstrumentKind, channel: Channel, count: usize) {
        self.submissions
            .get_or_create(&SubmissionLabels {
                kind: kind.as_str(),
                channel: channel.as_str(),
            })
            .inc_by(count as u64);
    }

    fn login_failed(&self) {
        self.login_failures.inc();
    }

    fn login_throttled(&self) {
        self.login_throttled.inc();
    }
}

/// `GET /metrics` of the metrics address.
pub(crate) async fn serve(
    metrics: web::Data<Arc<Metrics>>,
    app: web::Data<vsoko_app::App>,
) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType(
            "application/openmetrics-text; version=1.0.0; charset=utf-8"
                .parse()
                .expect("a valid media type"),
        ))
        .body(metrics.encode(app.pool_status()))
}
