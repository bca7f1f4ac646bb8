//! Registered instrument versions: immutable once stored.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use serde_json::json;
use vsoko_checklist::{
    Catalog, Code, Counting, Instrument, InstrumentId, InstrumentKind, Respondent, Subject,
};

use crate::audit::record;
use crate::entities::instrument;
use crate::error::{Record, Result, StorageError, is_unique_violation};
use crate::model::InstrumentVersionId;
use crate::model::{Id, InstrumentSummary, Registration, StoredInstrument};
use crate::store::{Store, Unique};

pub(crate) fn instrument_id(model: &instrument::Model) -> Result<InstrumentId> {
    parse_id(model.id, &model.code, model.version)
}

/// The checked `code@version` of the stored version `id`.
pub(crate) fn parse_id(id: Id, code: &str, version: i32) -> Result<InstrumentId> {
    let code = Code::parse(code)
        .map_err(|error| StorageError::Corrupt(format!("instrument {id}: bad code: {error}")))?;
    let version = u32::try_from(version)
        .map_err(|_| StorageError::Corrupt(format!("instrument {id}: bad version {version}")))?;
    Ok(InstrumentId { code, version })
}

/// The columns of `instruments` but the definition and its source, in [`SummaryRow`] order.
pub(crate) const SUMMARY_COLUMNS: [instrument::Column; 9] = [
    instrument::Column::Id,
    instrument::Column::Code,
    instrument::Column::Version,
    instrument::Column::ContentHash,
    instrument::Column::Title,
    instrument::Column::Kind,
    instrument::Column::Respondent,
    instrument::Column::Subject,
    instrument::Column::Counting,
];

/// A row of [`SUMMARY_COLUMNS`].
pub(crate) type SummaryRow = (
    Id,
    String,
    i32,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

/// The counting rule of a stored version: its column, or for versions registered before the
/// column existed (whose files could not override it) the default of its kind.
pub(crate) fn counting_of(id: Id, kind: &str, counting: Option<&str>) -> Result<Counting> {
    let code = counting.unwrap_or(match kind {
        "survey" => "one_per_respondent",
        "control_card" => "observations",
        _ => "one_per_subject",
    });
    Counting::parse(code)
        .ok_or_else(|| StorageError::Corrupt(format!("instrument {id}: unknown counting {code:?}")))
}

/// «Not found» for version `version` of instrument `code` (its latest when `None`).
pub(crate) fn unknown_instrument(code: &str, version: Option<u32>) -> StorageError {
    StorageError::not_found(
        Record::Instrument,
        match version {
            Some(version) => format!("{code}@{version}"),
            None => code.to_owned(),
        },
    )
}

pub(crate) fn summary(
    (id, code, version, content_hash, title, kind, respondent, subject, counting): SummaryRow,
) -> Result<InstrumentSummary> {
    let corrupt = |what: &str, text: &str| {
        StorageError::Corrupt(format!("instrument {id}: unknown {what} {text:?}"))
    };
    Ok(InstrumentSummary {
        id: InstrumentVersionId::new(id),
        instrument: parse_id(id, &code, version)?,
        content_hash,
        title,
        counting: counting_of(id, &kind, counting.as_deref())?,
        kind: InstrumentKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        respondent: Respondent::parse(&respondent)
            .ok_or_else(|| corrupt("respondent", &respondent))?,
        subject: Subject::parse(&subject).ok_or_else(|| corrupt("subject", &subject))?,
    })
}

pub(crate) fn rebuild(model: &instrument::Model) -> Result<Instrument> {
    let label = format!("stored instrument {}@{}", model.code, model.version);
    let instrument = vsoko_checklist::parse_canonical_json(&model.definition, &label)
        .map_err(|error| StorageError::Corrupt(error.to_string()))?;
    if instrument.content_hash().as_str() != model.content_hash {
        return Err(StorageError::Corrupt(format!(
            "{label}: the definition no longer matches its stored hash"
        )));
    }
    Ok(instrument)
}

fn version_i32(instrument: &Instrument) -> Result<i32> {
    i32::try_from(instrument.version())
        .map_err(|_| StorageError::Invalid(format!("version of {} is too large", instrument.id())))
}

impl Store {
    /// Registers one instrument version: added when new, accepted silently when registered with the
    /// same content hash, refused with [`StorageError::InstrumentChanged`] (naming `source`, the file
    /// it came from) when registered with another hash. Returns whether it was added.
    pub async fn register_instrument(&self, instrument: &Instrument, source: &str) -> Result<bool> {
        let version = version_i32(instrument)?;
        let find = || {
            instrument::Entity::find()
                .filter(instrument::Column::Code.eq(instrument.code().as_str()))
                .filter(instrument::Column::Version.eq(version))
        };
        let check = |existing: instrument::Model| {
            if existing.content_hash == instrument.content_hash().as_str() {
                Ok(false)
            } else {
                Err(StorageError::InstrumentChanged {
                    instrument: instrument.id().to_string(),
                    source_file: source.to_owned(),
                    registered: existing.content_hash,
                    found: instrument.content_hash().to_string(),
                })
            }
        };
        if let Some(existing) = find().one(&self.db).await? {
            return check(existing);
        }
        let txn = self.write().await?;
        let inserted = instrument::Entity::insert(instrument::ActiveModel {
            id: NotSet,
            code: Set(instrument.code().to_string()),
            version: Set(version),
            content_hash: Set(instrument.content_hash().to_string()),
            title: Set(instrument.title().to_owned()),
            kind: Set(instrument.kind().as_str().to_owned()),
            respondent: Set(instrument.respondent().as_str().to_owned()),
            subject: Set(instrument.subject().as_str().to_owned()),
            definition: Set(instrument.canonical_json().to_owned()),
            source: Set(source.to_owned()),
            registered_at: Set(crate::store::now()),
            counting: Set(Some(instrument.counting().as_str().to_owned())),
        })
        .exec(&*txn)
        .await;
        let id = match inserted {
            Ok(result) => result.last_insert_id,
            Err(error) if is_unique_violation(&error) => {
                // Another server registered it between our read and write.
                drop(txn);
                let existing = find()
                    .one(&self.db)
                    .await?
                    .ok_or_else(|| StorageError::not_found(Record::Instrument, instrument.id()))?;
                return check(existing);
            }
            Err(error) => return Err(error.into()),
        };
        record(
            &*txn,
            None,
            "instrument.register",
            "instrument",
            id,
            json!({ "instrument": instrument.id().to_string(), "content_hash": instrument.content_hash().to_string(), "source": source }),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Registers every instrument of a catalog loaded from `dir` (see [`Store::register_instrument`]).
    /// Stops at the first changed version; versions registered before it stay registered.
    pub async fn register_catalog(
        &self,
        catalog: &Catalog,
        dir: &std::path::Path,
    ) -> Result<Registration> {
        let mut registration = Registration::default();
        for instrument in catalog.iter() {
            let source = dir
                .join(instrument.code().as_str())
                .join(format!("v{}.toml", instrument.version()));
            if self
                .register_instrument(instrument, &source.display().to_string())
                .await?
            {
                registration.added.push(instrument.id().clone());
            } else {
                registration.unchanged.push(instrument.id().clone());
            }
        }
        Ok(registration)
    }

    /// Every registered instrument version, by code then version.
    pub async fn instruments(&self) -> Result<Vec<InstrumentSummary>> {
        self.summaries(
            instrument::Entity::find()
                .order_by_asc(instrument::Column::Code)
                .order_by_asc(instrument::Column::Version),
        )
        .await
    }

    /// The summary of version `version` of instrument `code` (the latest when `None`): what a
    /// submission needs to find its instrument, without reading the definition.
    pub async fn instrument_summary(
        &self,
        code: &str,
        version: Option<u32>,
    ) -> Result<InstrumentSummary> {
        let not_found = || unknown_instrument(code, version);
        let mut query = instrument::Entity::find().filter(instrument::Column::Code.eq(code));
        if let Some(version) = version {
            let version = i32::try_from(version).map_err(|_| not_found())?;
            query = query.filter(instrument::Column::Version.eq(version));
        }
        // The versions of one instrument are few; no `LIMIT` (see `Unique`).
        let query = query.order_by_desc(instrument::Column::Version);
        self.summaries(query)
            .await?
            .into_iter()
            .next()
            .ok_or_else(not_found)
    }

    /// The summary of the instrument version with this database id.
    pub async fn instrument_summary_by_id(
        &self,
        id: InstrumentVersionId,
    ) -> Result<InstrumentSummary> {
        self.summaries(instrument::Entity::find_by_id(id))
            .await?
            .pop()
            .ok_or_else(|| StorageError::not_found(Record::Instrument, id))
    }

    /// The summaries `query` selects, reading every column but the definition and its source
    /// (tens of kilobytes each, and a submission looks its instrument up on every request).
    async fn summaries(&self, query: Select<instrument::Entity>) -> Result<Vec<InstrumentSummary>> {
        let rows: Vec<SummaryRow> = query
            .select_only()
            .columns(SUMMARY_COLUMNS)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter().map(summary).collect()
    }

    /// One instrument version with its definition, by code and version (the latest when `None`).
    pub async fn instrument(&self, code: &str, version: Option<u32>) -> Result<StoredInstrument> {
        let mut query = instrument::Entity::find().filter(instrument::Column::Code.eq(code));
        if let Some(version) = version {
            let version =
                i32::try_from(version).map_err(|_| unknown_instrument(code, Some(version)))?;
            query = query.filter(instrument::Column::Version.eq(version));
        }
        let model = query
            .order_by_desc(instrument::Column::Version)
            .one(&self.db)
            .await?
            .ok_or_else(|| unknown_instrument(code, version))?;
        Ok(StoredInstrument {
            id: InstrumentVersionId::new(model.id),
            instrument: rebuild(&model)?,
        })
    }

    /// One instrument version with its definition, by database id.
    pub async fn instrument_by_id(&self, id: InstrumentVersionId) -> Result<StoredInstrument> {
        let model = instrument::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Instrument, id))?;
        Ok(StoredInstrument {
            id: InstrumentVersionId::new(model.id),
            instrument: rebuild(&model)?,
        })
    }
}
