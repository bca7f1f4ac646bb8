//! Throttled events counted per key in the database — failed logins per account and per client
//! address, answers through a survey link per link and per client — so that every server sharing
//! it slows a guesser or a flood down alike. (The table is `login_throttle`, its first use.)

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::login_throttle;
use crate::error::Result;
use crate::store::{Store, Unique};

/// When a key is blocked after failures: `limit` failures within `window` block it for
/// `base`, doubled with every further failure, never longer than `longest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Failures allowed within the window.
    pub limit: u32,
    /// How long failures are remembered.
    pub window: Duration,
    /// The first block.
    pub base: Duration,
    /// The longest block.
    pub longest: Duration,
}

/// The SHA-256 (hex) of a text that must not be kept as it is, like a client address in a
/// throttling key of an anonymous questionnaire.
pub fn hashed(text: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::users::hex(&Sha256::digest(text.as_bytes()))
}

impl Store {
    /// The latest moment until which one of `keys` is blocked, if one is blocked at `now`.
    pub async fn throttle_blocked(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let rows = login_throttle::Entity::find()
            .filter(login_throttle::Column::Key.is_in(keys.iter().cloned()))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| row.blocked_until)
            .filter(|until| *until > now)
            .max())
    }

    /// Counts an event (a failed login, an answer through a link) for `key` under `rule`; the
    /// moment it is blocked until, if this event blocks it.
    pub async fn record_throttled(
        &self,
        key: &str,
        rule: ThrottleRule,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let txn = self.write().await?;
        let existing = login_throttle::Entity::find_by_id(key.to_owned())
            .unique(&*txn)
            .await?;
        let (failures, first) = match &existing {
            Some(row) if row.first_failure_at + rule.window > now => (
                u32::try_from(row.failures).unwrap_or(0) + 1,
                row.first_failure_at,
            ),
            _ => (1, now),
        };
        let blocked_until = (failures > rule.limit).then(|| {
            let doublings = (failures - rule.limit - 1).min(16);
            let block = rule.base * 2i32.pow(doublings);
            now + block.min(rule.longest)
        });
        let model = login_throttle::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(i32::try_from(failures).unwrap_or(i32::MAX)),
            first_failure_at: Set(first),
            blocked_until: Set(blocked_until),
        };
        match existing {
            Some(_) => {
                login_throttle::Entity::update(model).exec(&*txn).await?;
            }
            None => {
                login_throttle::Entity::insert(model).exec(&*txn).await?;
            }
        }
        txn.commit().await?;
        Ok(blocked_until)
    }

    /// Forgets the events of `key` (an account that logged in).
    pub async fn clear_throttle(&self, key: &str) -> Result<()> {
        login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::Key.eq(key))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
