//! The append-only audit log. Entries are written inside the transaction of the change they record.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};

use crate::entities::audit;
use crate::error::{Result, StorageError};
use crate::model::AuditEntry;
use crate::model::UserId;
use crate::rows::Rows;
use crate::store::Store;

pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    actor: Option<UserId>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    details: serde_json::Value,
) -> Result<()> {
    let mut rows = table(1);
    rows.push(entry(actor, action, entity, entity_id, details));
    rows.insert(conn).await?;
    Ok(())
}

/// The columns of `audit_log` but its id, in the order of [`entry`]'s values.
const COLUMNS: [&str; 6] = [
    "at",
    "actor_user_id",
    "action",
    "entity",
    "entity_id",
    "details",
];

/// No audit rows yet, room for `capacity`.
pub(crate) fn table(capacity: usize) -> Rows<6> {
    Rows::with_capacity("audit_log", COLUMNS, capacity)
}

/// The row [`record`] writes, for writers that insert several at once.
pub(crate) fn entry(
    actor: Option<UserId>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    details: serde_json::Value,
) -> [Value; 6] {
    [
        crate::store::now().into(),
        actor.map(UserId::get).into(),
        action.into(),
        entity.into(),
        entity_id.to_string().into(),
        details.to_string().into(),
    ]
}

fn to_domain(model: audit::Model) -> Result<AuditEntry> {
    let details = serde_json::from_str(&model.details)
        .map_err(|error| StorageError::Corrupt(format!("audit entry {}: {error}", model.id)))?;
    Ok(AuditEntry {
        id: model.id,
        at: model.at,
        actor_user_id: model.actor_user_id.map(UserId::new),
        action: model.action,
        entity: model.entity,
        entity_id: model.entity_id,
        details,
    })
}

impl Store {
    /// Appends an audit entry on its own (for events that change nothing else, like a login).
    pub async fn audit(
        &self,
        actor: Option<UserId>,
        action: &str,
        entity: &str,
        entity_id: &str,
        details: serde_json::Value,
    ) -> Result<()> {
        record(&self.db, actor, action, entity, entity_id, details).await
    }

    /// The audit entries about one record, oldest first.
    pub async fn audit_trail(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        audit::Entity::find()
            .filter(audit::Column::Entity.eq(entity))
            .filter(audit::Column::EntityId.eq(entity_id))
            .order_by_asc(audit::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }
}
