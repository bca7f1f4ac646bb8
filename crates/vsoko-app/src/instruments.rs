//! Instrument versions as the use cases need them: rebuilt from their stored definitions once per
//! process and content hash.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use vsoko_checklist::Instrument;
use vsoko_storage::{InstrumentSummary, Record};

use crate::App;
use crate::error::{AppError, AppResult};
use vsoko_domain::InstrumentVersionId;

/// An instrument version and its database id.
#[derive(Debug, Clone)]
pub struct ResolvedInstrument {
    /// Database id of the version.
    pub id: InstrumentVersionId,
    /// The instrument.
    pub instrument: Arc<Instrument>,
}

/// Rebuilding an instrument from its stored definition (parse + validate) costs far more than a
/// request should, so rebuilt instruments are kept — keyed by database id *and content hash*.
/// A registered version never changes (storage refuses a changed definition under an existing
/// version), and every lookup still asks the database which versions exist and what their hashes
/// are, so several servers over one database stay consistent: this is not a cache of mutable data.
#[derive(Debug, Default)]
pub struct InstrumentCache {
    rebuilt: RwLock<HashMap<(InstrumentVersionId, String), Arc<Instrument>>>,
}

impl App {
    /// The version `version` of instrument `code`, or its latest version.
    pub async fn instrument(
        &self,
        code: &str,
        version: Option<u32>,
    ) -> AppResult<ResolvedInstrument> {
        let summary = self.store.instrument_summary(code, version).await?;
        self.resolve(&summary).await
    }

    /// Like [`App::instrument`], but an unknown instrument or version is invalid input naming
    /// `field` (it came in a request body or query), not a missing resource.
    pub async fn instrument_named(
        &self,
        field: &str,
        code: &str,
        version: Option<u32>,
    ) -> AppResult<ResolvedInstrument> {
        crate::validate::lookup(field, code, "instrument or version")?;
        self.instrument(code, version)
            .await
            .map_err(AppError::reference(field, "unknown instrument or version"))
    }

    /// The instrument version with this database id.
    pub async fn instrument_by_id(&self, id: InstrumentVersionId) -> AppResult<ResolvedInstrument> {
        let summary = self.store.instrument_summary_by_id(id).await?;
        self.resolve(&summary).await
    }

    /// The instrument version a summary names (rebuilt once per process and content hash).
    pub async fn resolve(&self, summary: &InstrumentSummary) -> AppResult<ResolvedInstrument> {
        let key = (summary.id, summary.content_hash.clone());
        let cached = self
            .instruments
            .rebuilt
            .read()
            .ok()
            .and_then(|rebuilt| rebuilt.get(&key).cloned());
        let instrument = match cached {
            Some(instrument) => instrument,
            None => {
                let stored = self.store.instrument_by_id(summary.id).await?;
                let instrument = Arc::new(stored.instrument);
                if let Ok(mut rebuilt) = self.instruments.rebuilt.write() {
                    rebuilt.insert(key, Arc::clone(&instrument));
                }
                instrument
            }
        };
        Ok(ResolvedInstrument {
            id: summary.id,
            instrument,
        })
    }

    /// Every registered instrument version.
    pub async fn instruments(&self) -> AppResult<Vec<InstrumentSummary>> {
        Ok(self.store.instruments().await?)
    }

    /// One version with its definition (any signed-in user may read instruments).
    pub async fn instrument_definition(
        &self,
        code: &str,
        version: u32,
    ) -> AppResult<Arc<Instrument>> {
        if !crate::validate::lookable(code) {
            return Err(AppError::NotFound(Record::Instrument));
        }
        match self.instrument(code, Some(version)).await {
            Ok(resolved) => Ok(resolved.instrument),
            Err(AppError::NotFound(_)) => Err(AppError::NotFound(Record::Instrument)),
            Err(other) => Err(other),
        }
    }

    /// The latest registered version of every instrument code.
    pub(crate) async fn latest_versions(&self) -> AppResult<Vec<InstrumentSummary>> {
        let mut latest: HashMap<String, InstrumentSummary> = HashMap::new();
        for summary in self.store.instruments().await? {
            let code = summary.instrument.code.to_string();
            if latest
                .get(&code)
                .is_none_or(|known| known.instrument.version < summary.instrument.version)
            {
                latest.insert(code, summary);
            }
        }
        Ok(latest.into_values().collect())
    }

    /// The latest version of every instrument, by code.
    pub async fn latest_instruments(&self) -> AppResult<Vec<ResolvedInstrument>> {
        let mut summaries = self.latest_versions().await?;
        summaries.sort_by(|a, b| a.instrument.code.cmp(&b.instrument.code));
        let mut resolved = Vec::with_capacity(summaries.len());
        for summary in &summaries {
            resolved.push(self.resolve(summary).await?);
        }
        Ok(resolved)
    }

    /// The latest version of every anonymous questionnaire (answered through links), by title.
    pub async fn anonymous_instruments(&self) -> AppResult<Vec<Arc<Instrument>>> {
        let mut instruments = Vec::new();
        for summary in self.latest_versions().await? {
            let resolved = self.resolve(&summary).await?;
            if resolved.instrument.respondent().is_anonymous() {
                instruments.push(resolved.instrument);
            }
        }
        instruments.sort_by(|a, b| a.title().cmp(b.title()));
        Ok(instruments)
    }
}
