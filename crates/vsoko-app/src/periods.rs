//! Assessment periods of a network.

use chrono::NaiveDate;
use vsoko_storage::{Basis, NewPeriod, Period, PeriodStatus};

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

/// The основание of a period's assessment as a form or the API gives it: all three filled, or
/// all three blank to clear it.
#[derive(Debug, Clone, Default)]
pub struct BasisInput {
    /// What the document is («приказ управления образования «О проведении ВСОКО …»»).
    pub title: String,
    /// Its number.
    pub number: String,
    /// Its date, `2024-09-02` or `02.09.2024`.
    pub date: String,
}

impl BasisInput {
    /// The basis it gives: `None` when all three are blank; every missing or wrong part named.
    fn checked(&self) -> AppResult<Option<Basis>> {
        if [&self.title, &self.number, &self.date]
            .iter()
            .all(|part| part.trim().is_empty())
        {
            return Ok(None);
        }
        let mut checks = Checks::new();
        let title = checks.name("basis_title", "Документ", &self.title, 300);
        let number = checks.name("basis_number", "Номер документа", &self.number, 30);
        let date = crate::forms::parse_date(&self.date);
        if date.is_none() {
            checks.fail(
                "basis_date",
                "invalid",
                "дата документа — например 02.09.2024".to_owned(),
            );
        }
        checks.done()?;
        Ok(date.map(|date| Basis {
            title,
            number,
            date,
        }))
    }
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

    /// Sets the основание of a period's assessment, which every справка of the period prints
    /// (managers, admins); blank clears it. Closed periods take it too: a справка is often made
    /// after the period is closed.
    pub async fn set_period_basis(
        &self,
        principal: &Principal,
        id: PeriodId,
        input: &BasisInput,
    ) -> AppResult<Period> {
        let period = self.store.period(id).await?;
        principal.check_period(&period)?;
        principal.check_manage_periods()?;
        let basis = input.checked()?;
        Ok(self
            .store
            .set_period_basis(Some(principal.user.id), period.id, basis.as_ref())
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
