//! The use cases of vsoko: "this principal asks for this" turned into policy checks, storage calls
//! and scoring, in one place. The JSON API (`vsoko-api`), the web pages and the command line are
//! thin adapters over it: they parse their input, call one function here and map the result (or
//! the [`AppError`]) to their own form.
//!
//! Where things live:
//! - [`policy`]: [`Principal`] and every authorization decision;
//! - [`submissions`]: submit, correct, read and list answers;
//! - [`forms`]: forms filled in a browser — which are open to the caller and their state, a
//!   form's context, drafts kept on the server, sending through the same checks;
//! - [`reports`]: teacher, kindergarten and network reports with dynamics (built by
//!   `vsoko-scoring`, named here);
//! - [`report_choice`]: which report a results page opens on (instrument, version, periods);
//! - [`export`]: report and raw-data files (XLSX, CSV); [`import`]: form exports in;
//! - [`spravka`]: the аналитическая справка, every sentence from a rule over the numbers;
//! - [`accounts`], [`org`], [`periods`]: logins and accounts, kindergartens and staff, periods;
//! - [`overview`]: what the pages of a unit show, with what the caller may do there;
//! - [`links`]: links to anonymous questionnaires and the answers given through them;
//! - [`backup`]: backup, restore and moving the data to another database;
//! - [`demo`]: the demo network of `vsoko serve --demo`;
//! - [`observe`]: what the use cases report for the server's metrics.
//!
//! HTTP types never enter this crate, and sea-orm never leaves storage.

pub mod accounts;
pub mod backup;
pub mod completion;
pub mod cycle;
pub mod demo;
pub mod error;
pub mod export;
pub mod forms;
pub mod gate;
pub mod import;
pub mod individual_route;
pub mod instruments;
pub mod links;
pub mod lists;
pub mod mentoring;
pub mod observe;
pub mod org;
pub mod overview;
pub mod periods;
pub mod plan;
pub mod policy;
pub mod report_choice;
pub mod reports;
pub mod spravka;
pub mod strengths;
pub mod submissions;
pub mod targets;
pub mod training;
pub mod validate;
pub mod words;

/// Today on the server's clock (local time): the date a use case checks records against and
/// reports «as of» when nobody names one.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

use std::sync::Arc;

pub use error::{AppError, AppResult, FieldError};
pub use instruments::ResolvedInstrument;
pub use observe::{AppObserver, Channel};
pub use policy::{Principal, Workplace};
use vsoko_storage::{CountingRepair, RecomputeReport, Store};

/// What [`App::finish_upgrade`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upgrade {
    /// Rows brought under the counting rule, when some were due.
    pub counting: Option<CountingRepair>,
    /// Cached scores recomputed, when some were missing.
    pub recompute: Option<RecomputeReport>,
}

/// The application: the store and the instruments rebuilt from it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    /// The database: private, so that every read and write goes through a use case.
    store: Store,
    instruments: Arc<instruments::InstrumentCache>,
    observer: Option<Arc<dyn AppObserver>>,
    /// The network's targets (`targets::load`), the shipped ones unless given.
    targets: Arc<vsoko_development::TargetSet>,
    /// The gate every report passes (`gate`).
    reports: Arc<gate::ReportGate>,
}

impl App {
    /// The use cases over `store`.
    pub fn new(store: Store) -> App {
        App {
            store,
            instruments: Arc::default(),
            observer: None,
            targets: Arc::new(vsoko_development::default_targets()),
            reports: Arc::default(),
        }
    }

    /// The same use cases with at most `queue` reports waiting for a slot; more are shed
    /// ([`AppError::Overloaded`]).
    pub fn with_report_queue(self, queue: usize) -> App {
        App {
            reports: Arc::new(gate::ReportGate::with_queue(queue)),
            ..self
        }
    }

    /// The same use cases holding the network to `targets` (see [`targets::load`]).
    pub fn with_targets(self, targets: vsoko_development::TargetSet) -> App {
        App {
            targets: Arc::new(targets),
            ..self
        }
    }

    /// The use cases over `store`, telling `observer` what happens (the server's metrics).
    pub fn with_observer(store: Store, observer: Arc<dyn AppObserver>) -> App {
        App {
            observer: Some(observer),
            ..App::new(store)
        }
    }

    /// Tells the observer, if there is one.
    pub(crate) fn observe(&self, event: impl FnOnce(&dyn AppObserver)) {
        if let Some(observer) = &self.observer {
            event(observer.as_ref());
        }
    }

    /// Whether the database answers (a readiness probe).
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// The connection pool now, for the server's metrics.
    pub fn pool_status(&self) -> observe::PoolStatus {
        self.store.pool_status()
    }

    /// The work an upgrade leaves after the migrations, done once: rows written before the
    /// counting rule get their respondent and counting key (earlier answers of a person who
    /// answered again stop counting, with an audit entry; see `Store::repair_counting`), and the
    /// cached scores are recomputed when some revision lacks them. Runs at server start and in
    /// `vsoko migrate`; costs two queries when nothing is due.
    pub async fn finish_upgrade(&self) -> AppResult<Upgrade> {
        let mut upgrade = Upgrade::default();
        if self.store.needs_repair().await? {
            tracing::info!("bringing stored submissions under the counting rule");
            upgrade.counting = Some(self.store.repair_counting().await?);
        }
        if self.store.needs_recompute().await? {
            tracing::info!("recomputing the cached scores after an upgrade");
            upgrade.recompute = Some(
                self.store
                    .recompute(vsoko_scoring::score_submission)
                    .await?,
            );
        }
        Ok(upgrade)
    }

    /// `vsoko recompute`: the counting rule applied to every stored row (as after an upgrade),
    /// then every cached score recomputed from the answers.
    pub async fn recompute(&self) -> AppResult<(CountingRepair, RecomputeReport)> {
        let counting = self.store.repair_counting().await?;
        let scores = self
            .store
            .recompute(vsoko_scoring::score_submission)
            .await?;
        Ok((counting, scores))
    }
}
