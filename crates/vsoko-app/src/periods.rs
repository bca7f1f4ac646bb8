//! Assessment periods of a network.

use chrono::NaiveDate;
use vsoko_storage::{NewPeriod, Period, PeriodStatus};

use crate::error::{AppError, AppResult};
use crate::validate::Checks;
use crate::{App, Principal};
use vsoko_domain::PeriodId;

/// A period to open.
#[derive(Debug, Clone)]
pub struct PeriodInput {
    /// Code unique in the network, like `2025-05`.
    pub code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
}

/// The period a kindergarten's page shows: the one asked for, else the latest open one, else
/// the latest.
pub fn shown_period(periods: &[Period], asked: Option<&str>) -> Option<Period> {
    if let Some(code) = asked
        && let Some(period) = periods.iter().find(|period| period.code == code)
    {
        return Some(period.clone());
    }
    let latest = |open: bool| {
        periods
            .iter()
            .filter(|period| !open || period.status == PeriodStatus::Open)
            .max_by_key(|period| (period.starts_on, period.id))
            .cloned()
    };
    latest(true).or_else(|| latest(false))
}

impl App {
    /// The caller's network's periods.
    pub async fn periods(&self, principal: &Principal) -> AppResult<Vec<Period>> {
        Ok(self.store.periods(principal.network_id()).await?)
    }

    /// The periods of the caller's network that take answers, the current one
    /// ([`App::current_period`]) first, then the others latest first: the order of every choice
    /// of a period to collect into, its first the one preselected.
    pub async fn open_periods(&self, principal: &Principal) -> AppResult<Vec<Period>> {
        let current = self
            .current_period(principal)
            .await?
            .map(|period| period.id);
        let mut open: Vec<Period> = self
            .periods(principal)
            .await?
            .into_iter()
            .filter(|period| period.status == PeriodStatus::Open)
            .collect();
        open.sort_by_key(|period| {
            (
                Some(period.id) != current,
                std::cmp::Reverse((period.starts_on, period.id)),
            )
        });
        Ok(open)
    }

    /// A period of the caller's network by id (404 for another network's).
    pub async fn period_by_id(&self, principal: &Principal, id: PeriodId) -> AppResult<Period> {
        let period = self.store.period(id).await?;
        principal.check_period(&period)?;
        Ok(period)
    }

    /// A period of the caller's network by code; unknown is invalid input naming `field`.
    pub async fn period_named(
        &self,
        principal: &Principal,
        field: &str,
        code: &str,
    ) -> AppResult<Period> {
        crate::validate::lookup(field, code, &format!("period {code}"))?;
        self.store
            .period_by_code(principal.network_id(), code)
            .await
            .map_err(AppError::from)
            .map_err(AppError::reference(field, format!("unknown period {code}")))
    }

    /// Opens a period (managers, admins).
    pub async fn create_period(
        &self,
        principal: &Principal,
        input: PeriodInput,
    ) -> AppResult<Period> {
        principal.check_manage_periods()?;
        let mut checks = Checks::new();
        checks.period_code("code", &input.code);
        checks.period_dates(input.starts_on, input.ends_on);
        checks.done()?;
        Ok(self
            .store
            .create_period(
                Some(principal.user.id),
                &NewPeriod {
                    network_id: principal.network_id(),
                    code: input.code,
                    starts_on: input.starts_on,
                    ends_on: input.ends_on,
                },
            )
            .await?)
    }

    /// Closes a period: no more submissions or corrections (managers, admins).
    pub async fn close_period(&self, principal: &Principal, id: PeriodId) -> AppResult<Period> {
        let period = self.store.period(id).await?;
        principal.check_period(&period)?;
        principal.check_manage_periods()?;
        Ok(self
            .store
            .close_period(Some(principal.user.id), period.id)
            .await?)
    }
}
