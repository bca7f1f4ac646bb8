//! Saved справки: numbered, dated documents whose numbers do not change after they are saved.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_storage::StoredSpravka;

/// A saved справка.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedSpravkaDto {
    pub id: i64,
    /// The kindergarten's справка; `null` for the network's.
    pub kindergarten_id: Option<i64>,
    pub instrument: String,
    pub period: String,
    pub compare_period: Option<String>,
    /// Its number within the network's calendar year.
    pub number: u32,
    /// The day it was saved: its date.
    pub made_on: NaiveDate,
    /// What it is («Справка МДОУ № 18 — Карта анализа занятия — май 2025»).
    pub title: String,
    /// Who saved it (a user id).
    pub made_by: i64,
}

impl From<&StoredSpravka> for SavedSpravkaDto {
    fn from(stored: &StoredSpravka) -> Self {
        SavedSpravkaDto {
            id: stored.id,
            kindergarten_id: stored
                .kindergarten_id
                .map(vsoko_domain::KindergartenId::get),
            instrument: stored.instrument.clone(),
            period: stored.period.clone(),
            compare_period: stored.compare_period.clone(),
            number: stored.number,
            made_on: stored.made_on,
            title: stored.title.clone(),
            made_by: stored.made_by.get(),
        }
    }
}

/// A справка to save: whose, of what, and the methodist's edits of its conclusions and
/// recommendations (one item per string; left out, the rules' text is kept).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSpravkaRequest {
    /// A kindergarten's справка; `null` or left out for the network's.
    #[serde(default)]
    pub kindergarten_id: Option<i64>,
    #[schema(min_length = 1, max_length = 64)]
    pub instrument: String,
    #[schema(min_length = 1, max_length = 32)]
    pub period: String,
    #[serde(default)]
    pub compare_period: Option<String>,
    /// «Выводы», one per string.
    #[serde(default)]
    pub conclusions: Option<Vec<String>>,
    /// «Рекомендации», one per string.
    #[serde(default)]
    pub recommendations: Option<Vec<String>>,
    /// Sections of the professional-development loop to leave out, by heading: «Повышение
    /// квалификации», «Целевые показатели», «Индивидуальные образовательные маршруты»,
    /// «Адресные рекомендации и управленческие решения», «Оценка эффективности принятых мер».
    #[serde(default)]
    pub omit: Vec<String>,
}

/// The saved справки asked for.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SavedSpravkiQuery {
    /// Only those of this period.
    pub period: Option<String>,
}

/// One saved справка asked for.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SavedSpravkaQuery {
    /// `json` (default) or `docx`: the document as it was saved.
    #[param(inline)]
    pub format: Option<SavedFormat>,
}

/// What a saved справка is read as.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SavedFormat {
    Json,
    Docx,
}
