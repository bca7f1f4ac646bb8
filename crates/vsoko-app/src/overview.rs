//! What the pages of a unit show, with what the caller may do there: the network's overview
//! (periods, kindergartens with their heads, the rules of its reports), its accounts, a
//! kindergarten. The policy answers each question once here, so a page shows a button exactly
//! when the use case behind it would accept, and never asks a role itself.

use vsoko_storage::{Kindergarten, Network, Period, Person, Role, Scope, User};

use crate::error::{AppError, AppResult};
use crate::{App, Principal};
use vsoko_domain::KindergartenId;
use vsoko_domain::PeriodId;

/// A kindergarten of the network with the logins of its active heads.
#[derive(Debug, Clone)]
pub struct KindergartenEntry {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// Logins of its active heads' accounts.
    pub heads: Vec<String>,
}

/// The network as the department sees it.
#[derive(Debug, Clone)]
pub struct NetworkOverview {
    /// The network, with its settings.
    pub network: Network,
    /// Its periods, newest first.
    pub periods: Vec<Period>,
    /// Its kindergartens in the order people count them (2, 8, 18, 106).
    pub kindergartens: Vec<KindergartenEntry>,
    /// What the caller may change.
    pub rights: NetworkRights,
}

/// What the caller may change in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkRights {
    /// Whether the caller sets the rules of the network's reports.
    pub sets_rules: bool,
    /// Whether the caller opens and closes periods.
    pub manages_periods: bool,
    /// Whether the caller creates kindergartens.
    pub creates_kindergartens: bool,
}

/// An account with whether the caller may reset its password or switch it off.
#[derive(Debug, Clone)]
pub struct AccountEntry {
    /// The account.
    pub user: User,
    /// Whether the caller manages it (never the caller's own account).
    pub manageable: bool,
}

/// The accounts of the network as the department manages them.
#[derive(Debug, Clone)]
pub struct AccountsOverview {
    /// The accounts the caller lists.
    pub accounts: Vec<AccountEntry>,
    /// The roles of network accounts and heads the caller may create, in the order of the form.
    pub creatable_roles: Vec<Role>,
    /// The kindergartens a head's account may be made for.
    pub kindergartens: Vec<KindergartenEntry>,
}

/// A kindergarten as its pages show it to the caller.
#[derive(Debug, Clone)]
pub struct KindergartenOverview {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// Whether it is the caller's own kindergarten (its forms are hers to fill).
    pub own: bool,
    /// Whether the caller manages its groups, staff and accounts.
    pub manages_staff: bool,
}

/// An account just created, with its first password (shown once).
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The account.
    pub user: User,
    /// The member of staff registered with it (heads and teachers).
    pub person: Option<Person>,
    /// The first password.
    pub password: String,
}

/// An account to create from a page: a teacher (by her head), a head (with the person she is,
/// in her kindergarten), a methodist or an administrator of the network.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    /// The role as the form sends it (`teacher`, `head`, `manager`, `admin`).
    pub role: String,
    /// The kindergarten of a teacher or a head.
    pub kindergarten_id: Option<KindergartenId>,
    /// Full name (staff of a kindergarten).
    pub full_name: String,
    /// Position (staff of a kindergarten).
    pub position: String,
    /// Login.
    pub login: String,
}

/// Kindergarten numbers in the order people count them: 2, 8, 18, 106.
fn natural(number: &str) -> (u64, String) {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), number.to_owned())
}

impl App {
    /// The network's overview: periods, kindergartens with their heads, and what the caller may
    /// change. The department only (403 for heads and teachers).
    pub async fn network_overview(&self, principal: &Principal) -> AppResult<NetworkOverview> {
        let rights = self.network_rights(principal)?;
        Ok(NetworkOverview {
            network: self.network(principal).await?,
            periods: self.network_periods(principal).await?,
            kindergartens: self.kindergarten_entries(principal).await?,
            rights,
        })
    }

    /// What the caller may change in the network: the department only (403 for heads and
    /// teachers).
    pub fn network_rights(&self, principal: &Principal) -> AppResult<NetworkRights> {
        principal.check_network_report()?;
        Ok(NetworkRights {
            sets_rules: principal.check_network_settings().is_ok(),
            manages_periods: principal.check_manage_periods().is_ok(),
            creates_kindergartens: principal.check_manage_network().is_ok(),
        })
    }

    /// The network's periods, newest first (the department's lists).
    pub async fn network_periods(&self, principal: &Principal) -> AppResult<Vec<Period>> {
        principal.check_network_report()?;
        let mut periods = self.periods(principal).await?;
        periods.sort_by_key(|period| std::cmp::Reverse((period.starts_on, period.id)));
        Ok(periods)
    }

    /// The network's kindergartens with the logins of their active heads, in the order people
    /// count them (the department's lists).
    pub async fn kindergarten_entries(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<KindergartenEntry>> {
        let users = self.users(principal).await?;
        let mut entries: Vec<KindergartenEntry> = self
            .kindergartens(principal)
            .await?
            .into_iter()
            .map(|kindergarten| KindergartenEntry {
                heads: users
                    .iter()
                    .filter(|user| {
                        user.role == Role::Head
                            && user.active
                            && user.scope == Scope::Kindergarten(kindergarten.id)
                    })
                    .map(|user| user.login.clone())
                    .collect(),
                kindergarten,
            })
            .collect();
        entries.sort_by_key(|entry| natural(&entry.kindergarten.number));
        Ok(entries)
    }

    /// A period the caller is about to close: hers to close (403 otherwise) and in her network.
    pub async fn period_to_close(&self, principal: &Principal, id: PeriodId) -> AppResult<Period> {
        let period = self.period_by_id(principal, id).await?;
        principal.check_manage_periods()?;
        Ok(period)
    }

    /// The accounts the caller lists, each with whether she manages it; an empty list for
    /// those who list none (teachers).
    pub async fn account_entries(&self, principal: &Principal) -> AppResult<Vec<AccountEntry>> {
        let Ok(scope) = principal.check_list_users() else {
            return Ok(Vec::new());
        };
        Ok(self
            .store
            .users(scope)
            .await?
            .into_iter()
            .map(|user| AccountEntry {
                manageable: user.id != principal.user.id
                    && principal.check_manage_user(&user).is_ok(),
                user,
            })
            .collect())
    }

    /// The department's accounts page: the accounts, the roles the caller may create and the
    /// kindergartens a head may be made for.
    pub async fn accounts_overview(&self, principal: &Principal) -> AppResult<AccountsOverview> {
        principal.check_network_report()?;
        let network = Scope::Network(principal.network_id());
        let creatable_roles = [Role::Head, Role::Manager, Role::Admin]
            .into_iter()
            .filter(|role| {
                *role != Role::Admin
                    || principal
                        .check_create_user(*role, network, principal.network_id())
                        .is_ok()
            })
            .collect();
        Ok(AccountsOverview {
            accounts: self.account_entries(principal).await?,
            creatable_roles,
            kindergartens: self.kindergarten_entries(principal).await?,
        })
    }

    /// A kindergarten's pages (its forms and cards, staff, results): those who read its reports
    /// (404 outside the caller's unit, 403 for teachers), with what the caller may do there.
    pub async fn kindergarten_overview(
        &self,
        principal: &Principal,
        id: KindergartenId,
    ) -> AppResult<KindergartenOverview> {
        let kindergarten = self.reported_kindergarten(principal, id).await?;
        Ok(KindergartenOverview {
            own: principal.own_kindergarten() == Some(kindergarten.id),
            manages_staff: principal.check_manage_staff(&kindergarten).is_ok(),
            kindergarten,
        })
    }

    /// A kindergarten whose reports the caller reads: 404 outside her unit, 403 for teachers.
    pub async fn reported_kindergarten(
        &self,
        principal: &Principal,
        id: KindergartenId,
    ) -> AppResult<Kindergarten> {
        let kindergarten = self.kindergarten(principal, id).await?;
        principal.check_kindergarten_report(&kindergarten)?;
        Ok(kindergarten)
    }

    /// A kindergarten whose parents' links the caller opens and withdraws.
    pub async fn links_kindergarten(
        &self,
        principal: &Principal,
        id: KindergartenId,
    ) -> AppResult<Kindergarten> {
        let kindergarten = self.kindergarten(principal, id).await?;
        principal.check_manage_links(&kindergarten)?;
        Ok(kindergarten)
    }

    /// Creates the account a page asks for, with a first password shown once: a teacher or a
    /// head is registered as a member of her kindergarten's staff with it; a methodist or an
    /// administrator belongs to the network.
    pub async fn create_account(
        &self,
        principal: &Principal,
        input: AccountInput,
    ) -> AppResult<NewAccount> {
        match Role::parse(&input.role) {
            Some(role @ (Role::Head | Role::Teacher)) => {
                let Some(kindergarten_id) = input.kindergarten_id else {
                    return Err(AppError::invalid(
                        "kindergarten_id",
                        "required",
                        "выберите детский сад",
                    ));
                };
                let (person, user, password) = self
                    .create_staff_account(
                        principal,
                        crate::accounts::StaffAccountInput {
                            kindergarten_id,
                            full_name: input.full_name,
                            position: input.position,
                            login: input.login,
                            role,
                        },
                    )
                    .await?;
                Ok(NewAccount {
                    user,
                    person: Some(person),
                    password,
                })
            }
            Some(role) => {
                let password = crate::accounts::generate_password();
                let user = self
                    .create_user(
                        principal,
                        crate::accounts::UserInput {
                            login: input.login.trim().to_owned(),
                            password: password.clone(),
                            role,
                            kindergarten_id: None,
                            person_id: None,
                        },
                    )
                    .await?;
                Ok(NewAccount {
                    user,
                    person: None,
                    password,
                })
            }
            None => Err(AppError::invalid("role", "required", "выберите роль")),
        }
    }
}
