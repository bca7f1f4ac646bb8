//! The use cases of vsoko: "this principal asks for this" turned into policy checks, storage calls
//! and scoring, in one place. The JSON API (`vsoko-api`), the web pages and the command line are
//! thin adapters over it: they parse their input, call one function here and map the result (or
//! the [`AppError`]) to their own form.
//!
//! Where things live:
//! - [`policy`]: [`Principal`] and every authorization decision;
//! - [`submissions`]: submit, correct, read and list answers;
//! - [`reports`]: teacher, kindergarten and network reports with dynamics (built by
//!   `vsoko-scoring`, named here);
//! - [`export`]: report and raw-data files (XLSX, CSV); [`import`]: form exports in;
//! - [`accounts`], [`org`], [`periods`]: logins and accounts, kindergartens and staff, periods;
//! - [`demo`]: the demo network of `vsoko serve --demo`.
//!
//! HTTP types never enter this crate, and sea-orm never leaves storage.

pub mod accounts;
pub mod demo;
pub mod error;
pub mod export;
pub mod import;
pub mod instruments;
pub mod org;
pub mod periods;
pub mod policy;
pub mod reports;
pub mod submissions;

use std::sync::Arc;

pub use error::{AppError, AppResult, FieldError};
pub use instruments::ResolvedInstrument;
pub use policy::Principal;
use vsoko_storage::{RecomputeReport, Store};

/// The application: the store and the instruments rebuilt from it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    instruments: Arc<instruments::InstrumentCache>,
}

impl App {
    /// The use cases over `store`.
    pub fn new(store: Store) -> App {
        App {
            store,
            instruments: Arc::default(),
        }
    }

    /// The work an upgrade leaves after the migrations: recomputes the cached scores when some
    /// revision lacks them (rows written before migration 6), which the report read needs. Runs
    /// at server start and in `vsoko migrate`; does nothing (one query) when nothing is due.
    pub async fn finish_upgrade(&self) -> AppResult<Option<RecomputeReport>> {
        if !self.store.needs_recompute().await? {
            return Ok(None);
        }
        tracing::info!("recomputing the cached scores after an upgrade");
        Ok(Some(
            self.store
                .recompute(vsoko_scoring::score_submission)
                .await?,
        ))
    }
}
