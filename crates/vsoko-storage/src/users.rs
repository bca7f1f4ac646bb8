//! Accounts (argon2id password hashes) and API tokens (stored as SHA-256 hashes only).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::record;
use crate::entities::{api_token, kindergarten, network, person, user};
use crate::error::{Record, Result, StorageError, unique_or_db};
use crate::model::{ApiToken, Id, NewUser, Person, Role, Scope, User};
use crate::model::{KindergartenId, NetworkId, PersonId, UserId};
use crate::store::{Store, Unique};

fn to_domain(model: user::Model) -> Result<User> {
    let role = Role::parse(&model.role).ok_or_else(|| {
        StorageError::Corrupt(format!(
            "user {} has unknown role {:?}",
            model.id, model.role
        ))
    })?;
    let scope = match model.kindergarten_id {
        Some(id) => Scope::Kindergarten(KindergartenId::new(id)),
        None => Scope::Network(NetworkId::new(model.network_id)),
    };
    Ok(User {
        id: UserId::new(model.id),
        login: model.login,
        role,
        scope,
        network_id: NetworkId::new(model.network_id),
        person_id: model.person_id.map(PersonId::new),
        active: model.active,
        created_at: model.created_at,
    })
}

impl From<api_token::Model> for ApiToken {
    fn from(model: api_token::Model) -> Self {
        ApiToken {
            id: model.id,
            user_id: UserId::new(model.user_id),
            created_at: model.created_at,
            expires_at: model.expires_at,
            revoked_at: model.revoked_at,
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// An argon2id hash of a fixed string, verified against when a login is unknown. It is derived
/// data, identical in every process, so it is not state another instance could make stale.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("vsoko: unknown login").unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| StorageError::Invalid(format!("cannot build a salt: {error}")))?;
    // `Argon2::default()` is argon2id, version 0x13, with the crate's recommended cost.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| StorageError::Invalid(format!("cannot hash the password: {error}")))
}

impl Store {
    /// Creates an account. The scope's kindergarten must exist, and the linked person must work in
    /// the scope.
    pub async fn create_user(&self, actor: Option<UserId>, new: &NewUser) -> Result<User> {
        let password_hash = hash_password(&new.password)?;
        let txn = self.write().await?;
        let id = insert_user(&*txn, actor, new, password_hash).await?;
        txn.commit().await?;
        self.user(UserId::new(id)).await
    }

    /// Registers a member of staff of a kindergarten together with their account (`new.person_id`
    /// is ignored: the account is linked to the new person), in one transaction: a refused login
    /// leaves no person behind.
    pub async fn create_person_with_user(
        &self,
        actor: Option<UserId>,
        kindergarten_id: KindergartenId,
        full_name: &str,
        position: &str,
        new: &NewUser,
    ) -> Result<(Person, User)> {
        let password_hash = hash_password(&new.password)?;
        let txn = self.write().await?;
        let person_id =
            crate::org::insert_person(&*txn, actor, kindergarten_id, full_name, position).await?;
        let new = NewUser {
            person_id: Some(PersonId::new(person_id)),
            ..new.clone()
        };
        let id = insert_user(&*txn, actor, &new, password_hash).await?;
        txn.commit().await?;
        Ok((
            self.person(PersonId::new(person_id)).await?,
            self.user(UserId::new(id)).await?,
        ))
    }

    /// Sets an account's password (its owner changing it, or a head or manager resetting it) and
    /// revokes every live token of the account except `keep` (the session the owner is changing
    /// it from), so a leaked password or a forgotten session stops working.
    pub async fn set_password(
        &self,
        actor: Option<UserId>,
        id: Id,
        password: &str,
        keep: Option<&str>,
    ) -> Result<User> {
        let password_hash = hash_password(password)?;
        let txn = self.write().await?;
        let result = user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, password_hash.into())
            .filter(user::Column::Id.eq(id))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::User, id));
        }
        let mut revoke = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, crate::store::now().into())
            .filter(api_token::Column::UserId.eq(id))
            .filter(api_token::Column::RevokedAt.is_null());
        if let Some(keep) = keep {
            revoke = revoke.filter(api_token::Column::TokenHash.ne(token_hash(keep)));
        }
        let revoked = revoke.exec(&*txn).await?.rows_affected;
        record(
            &*txn,
            actor,
            "user.password",
            "user",
            id,
            json!({ "tokens_revoked": revoked }),
        )
        .await?;
        txn.commit().await?;
        self.user(UserId::new(id)).await
    }

    /// Whether `password` is the account's password (an inactive account's too): the check before
    /// its owner changes it.
    pub async fn verify_password(&self, id: UserId, password: &str) -> Result<bool> {
        let model = user::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::User, id))?;
        let parsed = PasswordHash::new(&model.password_hash).map_err(|error| {
            StorageError::Corrupt(format!("password hash of user {}: {error}", model.id))
        })?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    }

    /// One account.
    pub async fn user(&self, id: UserId) -> Result<User> {
        let model = user::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::User, id))?;
        to_domain(model)
    }

    /// The accounts inside a scope, by id.
    pub async fn users(&self, scope: Scope) -> Result<Vec<User>> {
        let query = user::Entity::find();
        let query = match scope {
            Scope::Network(id) => query.filter(user::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => query.filter(user::Column::KindergartenId.eq(id.get())),
        };
        query
            .order_by_asc(user::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Whether any account exists (the server asks for a first admin otherwise).
    pub async fn has_users(&self) -> Result<bool> {
        Ok(user::Entity::find().one(&self.db).await?.is_some())
    }

    /// Checks a login and password; `None` when either is wrong or the account is inactive.
    pub async fn authenticate(&self, login: &str, password: &str) -> Result<Option<User>> {
        let Some(model) = user::Entity::find()
            .filter(user::Column::Login.eq(login))
            .unique(&self.db)
            .await?
        else {
            // An unknown login costs the same argon2 work as a wrong password, so response time
            // does not reveal which logins exist.
            if let Ok(parsed) = PasswordHash::new(dummy_hash()) {
                let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
            }
            return Ok(None);
        };
        let parsed = PasswordHash::new(&model.password_hash).map_err(|error| {
            StorageError::Corrupt(format!("password hash of user {}: {error}", model.id))
        })?;
        // Verify before looking at `active`, for the same reason.
        let password_ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if !password_ok || !model.active {
            return Ok(None);
        }
        to_domain(model).map(Some)
    }

    /// Marks an account inactive: it can no longer log in, and its tokens stop working.
    pub async fn deactivate_user(&self, actor: Option<UserId>, id: UserId) -> Result<User> {
        let txn = self.write().await?;
        let result = user::Entity::update_many()
            .col_expr(user::Column::Active, false.into())
            .filter(user::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::User, id));
        }
        record(&*txn, actor, "user.deactivate", "user", id, json!({})).await?;
        txn.commit().await?;
        self.user(id).await
    }

    /// Issues a new random API token for a user, valid for `ttl`. Returns the token (shown to the
    /// client once; only its hash is stored) and the stored record.
    pub async fn issue_token(&self, user_id: UserId, ttl: Duration) -> Result<(String, ApiToken)> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex(&bytes);
        let now = crate::store::now();
        let txn = self.write().await?;
        let id = api_token::Entity::insert(api_token::ActiveModel {
            id: NotSet,
            token_hash: Set(token_hash(&token)),
            user_id: Set(user_id.get()),
            created_at: Set(now),
            expires_at: Set(now + ttl),
            revoked_at: Set(None),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(user_id),
            "token.issue",
            "user",
            user_id,
            json!({ "token_id": id }),
        )
        .await?;
        txn.commit().await?;
        let stored = api_token::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Token, id))?;
        Ok((token, stored.into()))
    }

    /// The active user a token belongs to, if the token exists, is neither expired (at `now`) nor
    /// revoked, and the account is active.
    pub async fn user_by_token(&self, token: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        // One query on every authenticated request: the live token's user, if still active.
        let live_token = api_token::Entity::find()
            .select_only()
            .column(api_token::Column::UserId)
            .filter(api_token::Column::TokenHash.eq(token_hash(token)))
            .filter(api_token::Column::RevokedAt.is_null())
            .filter(api_token::Column::ExpiresAt.gt(now))
            .into_query();
        let user = user::Entity::find()
            .filter(user::Column::Id.in_subquery(live_token))
            .filter(user::Column::Active.eq(true))
            .unique(&self.db)
            .await?;
        user.map(to_domain).transpose()
    }

    /// Revokes a token (logout). Returns whether a live token was revoked.
    pub async fn revoke_token(&self, token: &str) -> Result<bool> {
        let txn = self.write().await?;
        let Some(stored) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash(token)))
            .unique(&*txn)
            .await?
        else {
            return Ok(false);
        };
        if stored.revoked_at.is_some() {
            return Ok(false);
        }
        api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, crate::store::now().into())
            .filter(api_token::Column::Id.eq(stored.id))
            .exec(&*txn)
            .await?;
        record(
            &*txn,
            Some(UserId::new(stored.user_id)),
            "token.revoke",
            "user",
            stored.user_id,
            json!({ "token_id": stored.id }),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// Inserts an account (and its audit entry) inside the caller's transaction; returns its id.
async fn insert_user(
    txn: &impl sea_orm::ConnectionTrait,
    actor: Option<UserId>,
    new: &NewUser,
    password_hash: String,
) -> Result<Id> {
    if new.login.trim().is_empty() {
        return Err(StorageError::Invalid("login must not be empty".to_owned()));
    }
    let (network_id, kindergarten_id) = match new.scope {
        Scope::Network(id) => {
            network::Entity::find_by_id(id)
                .unique(txn)
                .await?
                .ok_or_else(|| StorageError::not_found(Record::Network, id))?;
            (id.get(), None)
        }
        Scope::Kindergarten(id) => {
            let kindergarten = kindergarten::Entity::find_by_id(id)
                .unique(txn)
                .await?
                .ok_or_else(|| StorageError::not_found(Record::Kindergarten, id))?;
            (kindergarten.network_id, Some(id.get()))
        }
    };
    if let Some(person_id) = new.person_id {
        let person = person::Entity::find_by_id(person_id)
            .unique(txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Person, person_id))?;
        let inside = match kindergarten_id {
            Some(id) => person.kindergarten_id == id,
            None => kindergarten::Entity::find_by_id(person.kindergarten_id)
                .unique(txn)
                .await?
                .is_some_and(|kindergarten| kindergarten.network_id == network_id),
        };
        if !inside {
            return Err(StorageError::Invalid(format!(
                "person {person_id} does not work inside the user's scope"
            )));
        }
    }
    let id = user::Entity::insert(user::ActiveModel {
        id: NotSet,
        login: Set(new.login.clone()),
        password_hash: Set(password_hash),
        role: Set(new.role.as_str().to_owned()),
        network_id: Set(network_id),
        kindergarten_id: Set(kindergarten_id),
        person_id: Set(new.person_id.map(PersonId::get)),
        active: Set(true),
        created_at: Set(crate::store::now()),
    })
    .exec(txn)
    .await
    .map_err(|error| unique_or_db(error, Record::User, || format!("login {}", new.login)))?
    .last_insert_id;
    record(
        txn,
        actor,
        "user.create",
        "user",
        id,
        json!({ "login": new.login, "role": new.role.as_str(), "network_id": network_id, "kindergarten_id": kindergarten_id, "person_id": new.person_id }),
    )
    .await?;
    Ok(id)
}
