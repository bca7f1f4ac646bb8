//! Logins, sessions and accounts.

use chrono::{DateTime, Duration, Utc};
use vsoko_storage::{ApiToken, Id, NewUser, Role, Scope, User};

use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// The shortest password accepted for a new account.
pub const MIN_PASSWORD_CHARS: usize = 8;

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

impl App {
    /// Exchanges a login and password for a token valid for `ttl`.
    pub async fn login(&self, login: &str, password: &str, ttl: Duration) -> AppResult<Login> {
        let user = self
            .store
            .authenticate(login, password)
            .await?
            .ok_or_else(|| AppError::Unauthorized("wrong login or password".into()))?;
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
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::invalid(
                "password",
                "too_short",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
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
