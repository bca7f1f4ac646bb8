//! The import wizard's files between steps, and the mapping profiles a network saves by name.

use chrono::Duration;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder};
use serde_json::json;

use crate::audit::record;
use crate::entities::{import_profile, import_upload};
use crate::error::{Record, Result, StorageError};
use crate::model::{Id, SavedProfile, StagedUpload};
use crate::model::{NetworkId, UserId};
use crate::store::{Store, Unique};

/// How long an uploaded file waits for its import.
const UPLOAD_KEPT: Duration = Duration::days(1);

fn to_domain(model: import_profile::Model) -> SavedProfile {
    SavedProfile {
        id: model.id,
        network_id: NetworkId::new(model.network_id),
        name: model.name,
        instrument_code: model.instrument_code,
        instrument_version: u32::try_from(model.instrument_version).unwrap_or(0),
        profile: model.profile,
        created_by: UserId::new(model.created_by),
        updated_at: model.updated_at,
    }
}

impl Store {
    /// Keeps an uploaded file for the import wizard's next steps; files older than a day are
    /// deleted at the same time.
    pub async fn stage_upload(&self, user_id: UserId, file_name: &str, bytes: &[u8]) -> Result<Id> {
        let now = crate::store::now();
        let txn = self.write().await?;
        import_upload::Entity::delete_many()
            .filter(import_upload::Column::CreatedAt.lt(now - UPLOAD_KEPT))
            .exec(&*txn)
            .await?;
        let id = import_upload::Entity::insert(import_upload::ActiveModel {
            id: NotSet,
            user_id: Set(user_id.get()),
            file_name: Set(file_name.to_owned()),
            bytes: Set(bytes.to_vec()),
            created_at: Set(now),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        txn.commit().await?;
        Ok(id)
    }

    /// An uploaded file, if its account uploaded it (another account's is «not found»).
    pub async fn staged_upload(&self, user_id: UserId, id: Id) -> Result<StagedUpload> {
        let model = import_upload::Entity::find_by_id(id)
            .filter(import_upload::Column::UserId.eq(user_id.get()))
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Upload, id))?;
        Ok(StagedUpload {
            id: model.id,
            user_id: UserId::new(model.user_id),
            file_name: model.file_name,
            bytes: model.bytes,
            created_at: model.created_at,
        })
    }

    /// Deletes an uploaded file (imported, or given up).
    pub async fn discard_upload(&self, user_id: UserId, id: Id) -> Result<()> {
        let txn = self.write().await?;
        import_upload::Entity::delete_many()
            .filter(import_upload::Column::Id.eq(id))
            .filter(import_upload::Column::UserId.eq(user_id.get()))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Saves a mapping profile under a name for a network, replacing the one of that name.
    pub async fn save_profile(
        &self,
        actor: UserId,
        network_id: NetworkId,
        name: &str,
        instrument: (&str, u32),
        profile: &str,
    ) -> Result<SavedProfile> {
        let now = crate::store::now();
        let txn = self.write().await?;
        import_profile::Entity::insert(import_profile::ActiveModel {
            id: NotSet,
            network_id: Set(network_id.get()),
            name: Set(name.to_owned()),
            instrument_code: Set(instrument.0.to_owned()),
            instrument_version: Set(i32::try_from(instrument.1).unwrap_or(i32::MAX)),
            profile: Set(profile.to_owned()),
            created_by: Set(actor.get()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                import_profile::Column::NetworkId,
                import_profile::Column::Name,
            ])
            .update_columns([
                import_profile::Column::InstrumentCode,
                import_profile::Column::InstrumentVersion,
                import_profile::Column::Profile,
                import_profile::Column::CreatedBy,
                import_profile::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        let saved = import_profile::Entity::find()
            .filter(import_profile::Column::NetworkId.eq(network_id.get()))
            .filter(import_profile::Column::Name.eq(name))
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::Corrupt("a saved profile is missing".to_owned()))?;
        record(
            &*txn,
            Some(actor),
            "import_profile.save",
            "import_profile",
            saved.id,
            json!({ "name": name, "instrument": instrument.0, "version": instrument.1 }),
        )
        .await?;
        txn.commit().await?;
        Ok(to_domain(saved))
    }

    /// The profiles of a network, by name.
    pub async fn profiles(&self, network_id: NetworkId) -> Result<Vec<SavedProfile>> {
        Ok(import_profile::Entity::find()
            .filter(import_profile::Column::NetworkId.eq(network_id.get()))
            .order_by_asc(import_profile::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }

    /// One profile of a network.
    pub async fn profile(&self, network_id: NetworkId, id: Id) -> Result<SavedProfile> {
        import_profile::Entity::find_by_id(id)
            .filter(import_profile::Column::NetworkId.eq(network_id.get()))
            .unique(&self.db)
            .await?
            .map(to_domain)
            .ok_or_else(|| StorageError::not_found(Record::Profile, id))
    }
}
