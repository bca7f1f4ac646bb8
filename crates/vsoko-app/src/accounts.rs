//! Logins, sessions and accounts.

use chrono::{DateTime, Duration, Utc};
use vsoko_storage::{ApiToken, NewUser, Person, Role, Scope, ThrottleRule, User};

use crate::error::{AppError, AppResult};
use crate::validate::Checks;
use crate::{App, Principal};
use vsoko_domain::{KindergartenId, PersonId, UserId};

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
    pub kindergarten_id: Option<KindergartenId>,
    /// The person the account belongs to.
    pub person_id: Option<PersonId>,
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
            self.observe(|observer| observer.login_throttled());
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
            self.observe(|observer| observer.login_failed());
            return Err(match blocked {
                Some(until) => throttled(now, until),
                None => AppError::Unauthorized("wrong login or password".into()),
            });
        };
        self.store.clear_throttle(&account).await?;
        let (token, stored) = self.store.issue_token(user.id, ttl).await?;
        tracing::info!(user_id = user.id.get(), "login");
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

    /// The caller's account with the person and kindergarten it belongs to, for a page header and
    /// the profile.
    pub async fn account(&self, principal: &Principal) -> AppResult<AccountView> {
        let person = match principal.user.person_id {
            Some(id) => Some(self.store.person(id).await?),
            None => None,
        };
        let kindergarten = match principal.own_kindergarten() {
            Some(id) => Some(self.store.kindergarten(id).await?),
            None => None,
        };
        Ok(AccountView {
            user: principal.user.clone(),
            person,
            kindergarten,
        })
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

    /// The account the operator acts as at the command line (imports, exports): the one named
    /// (by login, any case), else the first active administrator. A switched-off account is
    /// refused.
    pub async fn operator_account(&self, login: Option<&str>) -> AppResult<Principal> {
        let mut users = Vec::new();
        for network in self.store.networks().await? {
            users.extend(self.store.users(Scope::Network(network.id)).await?);
        }
        let user = match login {
            Some(login) => users
                .into_iter()
                .find(|user| user.login.eq_ignore_ascii_case(login))
                .ok_or_else(|| {
                    AppError::invalid(
                        "author",
                        "unknown",
                        format!("учётная запись «{login}» не найдена"),
                    )
                })?,
            None => users
                .into_iter()
                .find(|user| user.active && user.role == Role::Admin)
                .ok_or_else(|| {
                    AppError::invalid(
                        "author",
                        "required",
                        "в базе нет активного администратора; укажите автора анкет: --author ЛОГИН",
                    )
                })?,
        };
        if !user.active {
            return Err(AppError::invalid(
                "author",
                "inactive",
                format!("учётная запись «{}» отключена", user.login),
            ));
        }
        Ok(Principal { user })
    }

    /// The accounts the caller may list.
    pub async fn users(&self, principal: &Principal) -> AppResult<Vec<User>> {
        let scope = principal.check_list_users()?;
        Ok(self.store.users(scope).await?)
    }

    /// An account the caller may manage (reset its password, switch it off); 404 outside the
    /// caller's unit.
    pub async fn managed_user(&self, principal: &Principal, id: UserId) -> AppResult<User> {
        let target = self.store.user(id).await?;
        principal.check_manage_user(&target)?;
        Ok(target)
    }

    /// Deactivates an account in the caller's scope: it can no longer log in and its tokens stop
    /// working.
    pub async fn deactivate_user(&self, principal: &Principal, id: UserId) -> AppResult<User> {
        let target = self.store.user(id).await?;
        principal.check_manage_user(&target)?;
        Ok(self
            .store
            .deactivate_user(Some(principal.user.id), target.id)
            .await?)
    }

    /// Changes the caller's own password. The current one must be given (a wrong one counts as a
    /// failed login of the account, throttled alike); every other session of the account ends.
    pub async fn change_password(
        &self,
        principal: &Principal,
        session: Option<&str>,
        current: &str,
        new: &str,
    ) -> AppResult<User> {
        let now = Utc::now();
        let account = format!("login:{}", principal.user.login.to_lowercase());
        if let Some(until) = self
            .store
            .throttle_blocked(std::slice::from_ref(&account), now)
            .await?
        {
            return Err(throttled(now, until));
        }
        let mut checks = Checks::new();
        checks.password("new_password", new, MIN_PASSWORD_CHARS);
        if new == current {
            checks.fail(
                "new_password",
                "unchanged",
                "новый пароль должен отличаться от текущего".to_owned(),
            );
        }
        checks.done()?;
        if current.len() > 1024
            || !self
                .store
                .verify_password(principal.user.id, current)
                .await?
        {
            if let Some(until) = self
                .record_throttled([(Some(account), ACCOUNT_THROTTLE)], now)
                .await?
            {
                return Err(throttled(now, until));
            }
            return Err(AppError::invalid(
                "current_password",
                "wrong",
                "текущий пароль введён неверно",
            ));
        }
        Ok(self
            .store
            .set_password(
                Some(principal.user.id),
                principal.user.id.get(),
                new,
                session,
            )
            .await?)
    }

    /// Gives an account a new random password (its head, a manager, an admin: whoever may manage
    /// it), shown once to be handed over; every session of the account ends.
    pub async fn reset_password(
        &self,
        principal: &Principal,
        id: UserId,
    ) -> AppResult<(User, String)> {
        let target = self.store.user(id).await?;
        principal.check_manage_user(&target)?;
        let password = generate_password();
        let user = self
            .store
            .set_password(Some(principal.user.id), target.id.get(), &password, None)
            .await?;
        Ok((user, password))
    }

    /// Registers a member of staff of a kindergarten with an account and a random first password
    /// (shown once): a head adds a teacher, a manager a head. The person and the account are
    /// written together or not at all.
    pub async fn create_staff_account(
        &self,
        principal: &Principal,
        input: StaffAccountInput,
    ) -> AppResult<(Person, User, String)> {
        let kindergarten = self.store.kindergarten(input.kindergarten_id).await?;
        principal.check_kindergarten(&kindergarten)?;
        if !matches!(input.role, Role::Head | Role::Teacher) {
            return Err(AppError::invalid(
                "role",
                "not_allowed",
                "сотрудник детского сада — педагог или заведующий",
            ));
        }
        principal.check_create_user(
            input.role,
            Scope::Kindergarten(kindergarten.id),
            kindergarten.network_id,
        )?;
        let mut checks = Checks::new();
        let full_name = checks.name("full_name", "ФИО", &input.full_name, 200);
        let position = checks.name("position", "должность", &input.position, 200);
        checks.login("login", &input.login);
        checks.done()?;
        let password = generate_password();
        let (person, user) = self
            .store
            .create_person_with_user(
                Some(principal.user.id),
                kindergarten.id,
                &full_name,
                &position,
                &NewUser {
                    login: input.login.trim().to_owned(),
                    password: password.clone(),
                    role: input.role,
                    scope: Scope::Kindergarten(kindergarten.id),
                    person_id: None,
                },
            )
            .await
            .map_err(|error| match error {
                vsoko_storage::StorageError::Duplicate { .. } => AppError::invalid(
                    "login",
                    "taken",
                    format!("логин «{}» уже занят: выберите другой", input.login.trim()),
                ),
                other => other.into(),
            })?;
        Ok((person, user, password))
    }
}

/// An account with whom and where it belongs to.
#[derive(Debug, Clone)]
pub struct AccountView {
    /// The account.
    pub user: User,
    /// The person, when the account is linked to one.
    pub person: Option<Person>,
    /// The kindergarten, for heads and teachers.
    pub kindergarten: Option<vsoko_storage::Kindergarten>,
}

/// A member of staff to register with an account.
#[derive(Debug, Clone)]
pub struct StaffAccountInput {
    /// The kindergarten.
    pub kindergarten_id: KindergartenId,
    /// Full name.
    pub full_name: String,
    /// Position (`воспитатель`).
    pub position: String,
    /// Login of the account.
    pub login: String,
    /// `Teacher` (by a head) or `Head` (by a manager).
    pub role: Role,
}

/// A random first password a person can read out and type: three groups of four lower-case
/// letters and digits without look-alikes (about 59 bits).
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}
