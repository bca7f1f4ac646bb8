//! Training records (курсы повышения квалификации, переподготовка, семинары, стажировки) of the
//! staff: one row per revision. A correction inserts the next revision and marks the one before
//! as no longer latest; withdrawing a record entered by mistake is a revision with `withdrawn`.
//! Every write has an audit entry in the same transaction; nothing is changed silently.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, Condition, QueryOrder, Set};
use serde_json::json;
use vsoko_development::{ProviderType, StudyForm, TrainingKind, TrainingRecord};

use crate::audit::record;
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, PersonId, Scope, TrainingRecordId, UserId};
use crate::store::Store;

use crate::entities::training_record as training;

/// A stored training record: its latest revision.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTrainingRecord {
    /// This revision's id.
    pub id: TrainingRecordId,
    /// The first revision's id: the record's identity across corrections.
    pub root_id: TrainingRecordId,
    /// 1 for the record as entered, +1 for each correction.
    pub revision: u32,
    /// The kindergarten of the person when entered.
    pub kindergarten_id: KindergartenId,
    /// Whose training.
    pub person_id: PersonId,
    /// Who entered this revision.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// What the record says.
    pub record: TrainingRecord,
    /// The recipient's СНИЛС, where the network keeps it.
    pub snils: Option<String>,
}

/// A training record to add.
#[derive(Debug, Clone, Copy)]
pub struct NewTrainingRecord<'a> {
    /// Whose training.
    pub person_id: PersonId,
    /// What it says.
    pub record: &'a TrainingRecord,
    /// A file import's key of the row: the same key in the network twice adds nothing.
    pub import_key: Option<&'a str>,
    /// The recipient's СНИЛС, only where the network keeps it (checked by the caller).
    pub snils: Option<&'a str>,
}

fn parse<T: Copy>(all: &[T], code: &str, of: impl Fn(T) -> &'static str, what: &str) -> Result<T> {
    all.iter()
        .copied()
        .find(|value| of(*value) == code)
        .ok_or_else(|| {
            StorageError::Corrupt(format!("unknown {what} {code:?} in training_records"))
        })
}

impl TryFrom<training::Model> for StoredTrainingRecord {
    type Error = StorageError;

    fn try_from(row: training::Model) -> Result<StoredTrainingRecord> {
        let areas: Vec<String> = serde_json::from_str(&row.areas)
            .map_err(|error| StorageError::Corrupt(format!("training record areas: {error}")))?;
        Ok(StoredTrainingRecord {
            id: TrainingRecordId::new(row.id),
            root_id: TrainingRecordId::new(row.root_id.unwrap_or(row.id)),
            revision: row.revision as u32,
            kindergarten_id: KindergartenId::new(row.kindergarten_id),
            person_id: PersonId::new(row.person_id),
            created_by: UserId::new(row.created_by),
            created_at: row.created_at,
            record: TrainingRecord {
                kind: parse(&TrainingKind::ALL, &row.kind, TrainingKind::code, "kind")?,
                programme: row.programme,
                provider: row.provider,
                provider_type: parse(
                    &ProviderType::ALL,
                    &row.provider_type,
                    ProviderType::code,
                    "provider type",
                )?,
                federal_register: row.in_federal_register,
                hours: row.hours.max(0) as u32,
                start: row.starts_on,
                end: row.ends_on,
                enrolled: row.enrolled_on,
                form: parse(&StudyForm::ALL, &row.form, StudyForm::code, "form")?,
                distance: row.distance,
                document_number: row.document_number,
                registration_number: row.registration_number,
                issued: row.issued_on,
                areas,
            },
            snils: row.snils,
        })
    }
}

fn active_model(
    network_id: i64,
    kindergarten_id: i64,
    person_id: i64,
    record: &TrainingRecord,
    actor: UserId,
) -> training::ActiveModel {
    training::ActiveModel {
        id: NotSet,
        root_id: Set(None),
        revision: Set(1),
        supersedes_id: Set(None),
        is_latest: Set(true),
        withdrawn: Set(false),
        network_id: Set(network_id),
        kindergarten_id: Set(kindergarten_id),
        person_id: Set(person_id),
        kind: Set(record.kind.code().to_owned()),
        programme: Set(record.programme.trim().to_owned()),
        provider: Set(record.provider.trim().to_owned()),
        provider_type: Set(record.provider_type.code().to_owned()),
        in_federal_register: Set(record.federal_register),
        hours: Set(i32::try_from(record.hours).unwrap_or(i32::MAX)),
        starts_on: Set(record.start),
        ends_on: Set(record.end),
        enrolled_on: Set(record.enrolled),
        form: Set(record.form.code().to_owned()),
        distance: Set(record.distance),
        document_number: Set(record.document_number.clone()),
        registration_number: Set(record.registration_number.clone()),
        issued_on: Set(record.issued),
        areas: Set(serde_json::to_string(&record.areas).unwrap_or_else(|_| "[]".to_owned())),
        import_key: Set(None),
        snils: Set(None),
        created_by: Set(actor.get()),
        created_at: Set(crate::store::now()),
    }
}

/// Adds one record inside `txn` (see [`Store::add_training_records`]).
pub(crate) async fn insert_record(
    txn: &impl ConnectionTrait,
    actor: UserId,
    new: &NewTrainingRecord<'_>,
) -> Result<(TrainingRecordId, bool)> {
    let person = crate::entities::person::Entity::find_by_id(new.person_id.get())
        .one(txn)
        .await?
        .ok_or_else(|| StorageError::not_found(Record::Person, new.person_id))?;
    let unit = crate::entities::kindergarten::Entity::find_by_id(person.kindergarten_id)
        .one(txn)
        .await?
        .ok_or_else(|| StorageError::not_found(Record::Kindergarten, person.kindergarten_id))?;
    if let Some(key) = new.import_key {
        let earlier = training::Entity::find()
            .filter(training::Column::NetworkId.eq(unit.network_id))
            .filter(training::Column::ImportKey.eq(key))
            .order_by_desc(training::Column::Id)
            .one(txn)
            .await?;
        if let Some(earlier) = earlier {
            return Ok((
                TrainingRecordId::new(earlier.root_id.unwrap_or(earlier.id)),
                false,
            ));
        }
    }
    let mut row = active_model(unit.network_id, unit.id, person.id, new.record, actor);
    row.import_key = Set(new.import_key.map(str::to_owned));
    row.snils = Set(new.snils.map(str::to_owned));
    let id = training::Entity::insert(row)
        .exec(txn)
        .await?
        .last_insert_id;
    record(
        txn,
        Some(actor),
        "training_record.create",
        "training_record",
        id,
        json!({ "person_id": person.id, "record": new.record, "import_key": new.import_key }),
    )
    .await?;
    Ok((TrainingRecordId::new(id), true))
}

impl Store {
    /// Adds a training record of a person (of her kindergarten then); with an import key already
    /// used in the network, returns the record made then and adds nothing (`false`).
    pub async fn add_training_record(
        &self,
        actor: UserId,
        new: &NewTrainingRecord<'_>,
    ) -> Result<(StoredTrainingRecord, bool)> {
        let added = self
            .add_training_records(actor, std::slice::from_ref(new))
            .await?;
        let (id, created) = added[0];
        Ok((self.latest_training_record(id.get()).await?, created))
    }

    /// Adds every record in one transaction (a file import: all of them or none); answers, for
    /// each, the root id of its record and whether it was added (`false`: its import key was
    /// used in the network before, nothing added).
    pub async fn add_training_records(
        &self,
        actor: UserId,
        news: &[NewTrainingRecord<'_>],
    ) -> Result<Vec<(TrainingRecordId, bool)>> {
        let txn = self.write().await?;
        let mut added = Vec::with_capacity(news.len());
        for new in news {
            added.push(insert_record(&*txn, actor, new).await?);
        }
        txn.commit().await?;
        Ok(added)
    }

    /// Whether a file import has made a record under `key` in the network.
    pub async fn has_training_import_key(&self, network: NetworkId, key: &str) -> Result<bool> {
        use sea_orm::PaginatorTrait;
        Ok(training::Entity::find()
            .filter(training::Column::NetworkId.eq(network.get()))
            .filter(training::Column::ImportKey.eq(key))
            .count(&self.db)
            .await?
            > 0)
    }

    /// Corrects a record: `record` becomes the next revision of the latest one. `id` must be
    /// the latest revision (`NotLatest` otherwise, naming it).
    pub async fn correct_training_record(
        &self,
        actor: UserId,
        id: TrainingRecordId,
        record_now: &TrainingRecord,
    ) -> Result<StoredTrainingRecord> {
        let id = self
            .revise_training_record(actor, id, Some(record_now))
            .await?;
        self.training_record(id).await
    }

    /// Withdraws a record entered by mistake: a last revision marked withdrawn, kept with its
    /// audit entry, left out of every list and figure.
    pub async fn withdraw_training_record(
        &self,
        actor: UserId,
        id: TrainingRecordId,
    ) -> Result<()> {
        self.revise_training_record(actor, id, None)
            .await
            .map(|_| ())
    }

    async fn revise_training_record(
        &self,
        actor: UserId,
        id: TrainingRecordId,
        record_now: Option<&TrainingRecord>,
    ) -> Result<TrainingRecordId> {
        let txn = self.write().await?;
        let old = training::Entity::find_by_id(id.get())
            .one(&*txn)
            .await?
            .filter(|row| !row.withdrawn)
            .ok_or_else(|| StorageError::not_found(Record::TrainingRecord, id))?;
        if !old.is_latest {
            let root = old.root_id.unwrap_or(old.id);
            let latest = training::Entity::find()
                .filter(training::Column::RootId.eq(root))
                .filter(training::Column::IsLatest.eq(true))
                .one(&*txn)
                .await?
                .map_or(root, |row| row.id);
            return Err(StorageError::TrainingRecordNotLatest {
                record: id,
                latest: TrainingRecordId::new(latest),
            });
        }
        let stored = StoredTrainingRecord::try_from(old.clone())?;
        let record_next = record_now.unwrap_or(&stored.record);
        let mut row = active_model(
            old.network_id,
            old.kindergarten_id,
            old.person_id,
            record_next,
            actor,
        );
        row.root_id = Set(Some(old.root_id.unwrap_or(old.id)));
        row.revision = Set(old.revision + 1);
        row.snils = Set(old.snils.clone());
        row.supersedes_id = Set(Some(old.id));
        row.withdrawn = Set(record_now.is_none());
        training::Entity::update_many()
            .col_expr(training::Column::IsLatest, Expr::value(false))
            .filter(training::Column::Id.eq(old.id))
            .exec(&*txn)
            .await?;
        let new_id = training::Entity::insert(row)
            .exec(&*txn)
            .await?
            .last_insert_id;
        let (action, details) = match record_now {
            Some(now) => (
                "training_record.correct",
                json!({ "supersedes": old.id, "before": stored.record, "after": now }),
            ),
            None => (
                "training_record.withdraw",
                json!({ "supersedes": old.id, "record": stored.record }),
            ),
        };
        record(
            &*txn,
            Some(actor),
            action,
            "training_record",
            new_id,
            details,
        )
        .await?;
        txn.commit().await?;
        Ok(TrainingRecordId::new(new_id))
    }

    /// One revision of a record.
    pub async fn training_record(&self, id: TrainingRecordId) -> Result<StoredTrainingRecord> {
        training::Entity::find_by_id(id.get())
            .one(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::TrainingRecord, id))?
            .try_into()
    }

    async fn latest_training_record(&self, root: i64) -> Result<StoredTrainingRecord> {
        training::Entity::find()
            .filter(
                Condition::any()
                    .add(training::Column::RootId.eq(root))
                    .add(training::Column::Id.eq(root)),
            )
            .filter(training::Column::IsLatest.eq(true))
            .one(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::TrainingRecord, root))?
            .try_into()
    }

    /// The records that count (latest revisions, not withdrawn) of a unit, or of one person in
    /// it, by person then end date.
    pub async fn training_records(
        &self,
        scope: Scope,
        person: Option<PersonId>,
    ) -> Result<Vec<StoredTrainingRecord>> {
        let mut query = training::Entity::find()
            .filter(training::Column::IsLatest.eq(true))
            .filter(training::Column::Withdrawn.eq(false));
        query = match scope {
            Scope::Network(network) => query.filter(training::Column::NetworkId.eq(network.get())),
            Scope::Kindergarten(unit) => {
                query.filter(training::Column::KindergartenId.eq(unit.get()))
            }
        };
        if let Some(person) = person {
            query = query.filter(training::Column::PersonId.eq(person.get()));
        }
        query
            .order_by_asc(training::Column::PersonId)
            .order_by_asc(training::Column::EndsOn)
            .order_by_asc(training::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredTrainingRecord::try_from)
            .collect()
    }
}
