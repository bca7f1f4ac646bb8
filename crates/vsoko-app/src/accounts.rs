//! Logins, sessions and accounts.

use chrono::{DateTime, Duration, Utc};
use vsoko_storage::{ApiToken, Id, NewUser, Role, Scope, ThrottleRule, User};

use crate::error::{AppError, AppResult};
use crate::validate::Checks;
use crate::{App, Principal};

/// The shortest password accepted for a new account.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Failed logins of one account: 5 within 15 minutes block it for a minute, each further failure
/// doubles the block, up to 15 minutes. An account is never locked for good, and a correct
/// password while blocked is refused too (it would otherwise tell a guesser they were right).
pub const ACCOUNT_THROTTLE: ThrottleRule = ThrottleRule {
    limit: 5,
    window: Duration::minutes(15),
    base: Duration::minutes(1),
    longest: Duration::minutes(15),
};

/// Failed logins from one client address, whatever the account: 20 within 15 minutes, then the
/// same doubling blocks.
pub const ADDRESS_THROTTLE: ThrottleRule = ThrottleRule {
    limit: 20,
    window: Duration::minutes(15),
    base: Duration::minutes(1),
    longest: Duration::minutes(15),
};

/// An account to create.
#[derive(Debug, Clone)]
pub struct UserInput {
    /// Login, unique.
    pub login: String,
    /// The first password, in clear text (hashed before it is stored).
    pub password: String,
    /// Role.
    pub role: Role,
    /// The kindergarten, for heads and teachers.
    pub kindergarten_id: Option<Id>,
    /// The person the account belongs to.
    pub person_id: Option<Id>,
}

/// A new token and the account it opens.
#[derive(Debug, Clone)]
pub struct Login {
    /// The token, shown once; only its hash is stored.
    pub token: String,
    /// The stored token.
    pub stored: ApiToken,
    /// The account.
    pub user: User,
}

/// The answer to a throttled attempt at `now`, blocked until `until`.
pub(crate) fn throttled(now: DateTime<Utc>, until: DateTime<Utc>) -> AppError {
    AppError::Throttled {
        retry_after_secs: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
    }
}

impl App {
    /// Counts an event (a failed login, an answer through a link) under each key given with its
    /// rule; the latest moment one of the keys is blocked until, if the event blocks one.
    pub(crate) async fn record_throttled<const N: usize>(
        &self,
        events: [(Option<String>, ThrottleRule); N],
        now: DateTime<Utc>,
    ) -> AppResult<Option<DateTime<Utc>>> {
        let mut blocked = None;
        for (key, rule) in events {
            if let Some(key) = key {
                blocked = blocked.max(self.store.record_throttled(&key, rule, now).await?);
            }
        }
        Ok(blocked)
    }

    /// Exchanges a login and password for a token valid for `ttl`. Failed logins are throttled
    /// per account and per client address (`client`, when known): see [`ACCOUNT_THROTTLE`] and
    /// [`ADDRESS_THROTTLE`].
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        client: Option<&str>,
        ttl: Duration,
    ) -> AppResult<Login> {
        let now = Utc::now();
        let account = format!("login:{}", login.trim().to_lowercase());
        let address = client.map(|client| format!("address:{client}"));
        let keys: Vec<String> = std::iter::once(account.clone())
            .chain(address.clone())
            .filter(|key| crate::validate::lookable(key))
            .collect();
        if let Some(until) = self.store.throttle_blocked(&keys, now).await? {
            tracing::warn!(login = %login.chars().take(64).collect::<String>(), "login throttled");
            return Err(throttled(now, until));
        }
        // A login or password no account can have is wrong without asking the database.
        let user = if !crate::validate::lookable(login)
            || password.contains('\0')
            || password.len() > 1024
        {
            None
        } else {
            self.store.authenticate(login, password).await?
        };
        let Some(user) = user else {
            let events = [
                (Some(account), ACCOUNT_THROTTLE),
                (address, ADDRESS_THROTTLE),
            ]
            .map(|(key, rule)| (key.filter(|key| crate::validate::lookable(key)), rule));
            let blocked = self.record_throttled(events, now).await?;
            tracing::info!("login failed");
            return Err(match blocked {
                Some(until) => throttled(now, until),
                None => AppError::Unauthorized("wrong login or password".into()),
            });
        };
        self.store.clear_throttle(&account).await?;
        let (token, stored) = self.store.issue_token(user.id, ttl).await?;
        tracing::info!(user_id = user.id, "login");
        Ok(Login {
            token,
            stored,
            user,
        })
    }

    /// The caller a token belongs to: unknown, expired and revoked tokens are 401.
    pub async fn principal(&self, token: &str, now: DateTime<Utc>) -> AppResult<Principal> {
        if !crate::validate::lookable(token) {
            return Err(AppError::Unauthorized(
                "the token is unknown, expired or revoked".into(),
            ));
        }
        let user = self.store.user_by_token(token, now).await?.ok_or_else(|| {
            AppError::Unauthorized("the token is unknown, expired or revoked".into())
        })?;
        Ok(Principal { user })
    }

    /// Revokes a token.
    pub async fn logout(&self, token: &str) -> AppResult<()> {
        self.store.revoke_token(token).await?;
        Ok(())
    }

    /// Creates an account. Admins: any; managers: non-admin accounts in their network; heads:
    /// teacher accounts in their kindergarten.
    pub async fn create_user(&self, principal: &Principal, input: UserInput) -> AppResult<User> {
        let role = input.role;
        let (scope, scope_network) = match (role, input.kindergarten_id) {
            (Role::Head | Role::Teacher, Some(id)) => {
                let kindergarten = self.store.kindergarten(id).await?;
                principal.check_kindergarten(&kindergarten)?;
                (Scope::Kindergarten(id), kindergarten.network_id)
            }
            (Role::Head | Role::Teacher, None) => {
                return Err(AppError::invalid(
                    "kindergarten_id",
                    "required",
                    "heads and teachers belong to a kindergarten",
                ));
            }
            (_, Some(_)) => {
                return Err(AppError::invalid(
                    "kindergarten_id",
                    "not_allowed",
                    "managers and admins belong to the network",
                ));
            }
            (_, None) => (
                Scope::Network(principal.network_id()),
                principal.network_id(),
            ),
        };
        principal.check_create_user(role, scope, scope_network)?;
        let mut checks = Checks::new();
        checks.login("login", &input.login);
        checks.password("password", &input.password, MIN_PASSWORD_CHARS);
        checks.done()?;
        Ok(self
            .store
            .create_user(
                Some(principal.user.id),
                &NewUser {
                    login: input.login,
                    password: input.password,
                    role,
                    scope,
                    person_id: input.person_id,
                },
            )
            .await?)
    }

    /// An account made by the operator at the command line (`vsoko users create`), before any
    /// account exists to act as: the first administrator above all. Network accounts go to the
    /// first network, which is created (named `network_name`) when there is none yet.
    pub async fn create_account_as_operator(
        &self,
        input: UserInput,
        network_name: &str,
    ) -> AppResult<User> {
        let mut checks = Checks::new();
        checks.login("login", &input.login);
        checks.password("password", &input.password, MIN_PASSWORD_CHARS);
        let network_name = checks.name("network_name", "название сети", network_name, 200);
        checks.done()?;
        let scope = match (input.role, input.kindergarten_id) {
            (Role::Head | Role::Teacher, Some(id)) => {
                Scope::Kindergarten(self.store.kindergarten(id).await?.id)
            }
            (Role::Head | Role::Teacher, None) => {
                return Err(AppError::invalid(
                    "kindergarten_id",
                    "required",
                    "heads and teachers belong to a kindergarten",
                ));
            }
            _ => {
                let network = match self.store.networks().await?.into_iter().next() {
                    Some(network) => network,
                    None => self.store.create_network(None, &network_name).await?,
                };
                Scope::Network(network.id)
            }
        };
        Ok(self
            .store
            .create_user(
                None,
                &NewUser {
                    login: input.login,
                    password: input.password,
                    role: input.role,
                    scope,
                    person_id: input.person_id,
                },
            )
            .await?)
    }

    /// The accounts the caller may list.
    pub async fn users(&self, principal: &Principal) -> AppResult<Vec<User>> {
        let scope = principal.check_list_users()?;
        Ok(self.store.users(scope).await?)
    }

    /// Deactivates an account in the caller's scope: it can no longer log in and its tokens stop
    /// working.
    pub async fn deactivate_user(&self, principal: &Principal, id: Id) -> AppResult<User> {
        let target = self.store.user(id).await?;
        principal.check_manage_user(&target)?;
        Ok(self
            .store
            .deactivate_user(Some(principal.user.id), target.id)
            .await?)
    }
}
