//! Assessment periods.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vsoko_domain::Period;

/// An assessment period of the network.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodDto {
    /// Id.
    pub id: i64,
    /// Code like `2024-09`.
    pub code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// `open` or `closed`.
    pub status: String,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The order or plan the assessment is held under, printed at the head of its справки.
    pub basis: Option<BasisDto>,
}

/// The основание of a period's assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasisDto {
    /// What the document is: «приказ управления образования «О проведении ВСОКО в 2024/2025
    /// учебном году»».
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    /// Its number.
    #[schema(min_length = 1, max_length = 30)]
    pub number: String,
    /// Its date, `YYYY-MM-DD`.
    #[schema(value_type = String, pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub date: NaiveDate,
    /// As the справка prints it: «приказ управления образования от 02.09.2024 № 112 «О …»».
    #[serde(default, skip_deserializing)]
    #[schema(read_only)]
    pub words: String,
}

/// Sets or clears a period's основание.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodBasisRequest {
    /// The основание; `null` clears it.
    pub basis: Option<BasisDto>,
}

impl From<&Period> for PeriodDto {
    fn from(period: &Period) -> Self {
        PeriodDto {
            id: period.id.get(),
            code: period.code.clone(),
            starts_on: period.starts_on,
            ends_on: period.ends_on,
            status: period.status.as_str().to_owned(),
            closed_at: period.closed_at,
            basis: period.basis.as_ref().map(|basis| BasisDto {
                title: basis.title.clone(),
                number: basis.number.clone(),
                date: basis.date,
                words: basis.words(),
            }),
        }
    }
}

/// A period to open.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPeriodRequest {
    /// Code, unique in the network, like `2025-05`.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub code: String,
    /// First day, `YYYY-MM-DD` (years 2000–2100).
    #[schema(value_type = String, pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub starts_on: NaiveDate,
    /// Last day, `YYYY-MM-DD`: not before the first, at most 400 days after it.
    #[schema(value_type = String, pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub ends_on: NaiveDate,
}
