//! Links to anonymous questionnaires (parents) and the public form behind them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::links::{LinkView, PublicSurvey};

use crate::dto::instruments::InstrumentDto;
use crate::dto::submissions::{AnswerDto, InstrumentRef, SubjectDto};

/// A link to open for an anonymous questionnaire.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSurveyLinkRequest {
    /// Instrument code: an anonymous questionnaire (`respondent = "parent"`).
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Instrument version (default: the latest).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub version: Option<u32>,
    /// Code of an open period.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
    /// The group (or kindergarten) the answers are about; a head's own kindergarten by default
    /// for an instrument about the kindergarten.
    #[serde(default)]
    pub subject: Option<SubjectDto>,
}

/// A link to an anonymous questionnaire.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyLinkDto {
    /// Id.
    pub id: i64,
    /// The token, only in the answer that opened the link (only its hash is stored): the public
    /// form is `/api/v1/public/surveys/{token}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The instrument version.
    pub instrument: InstrumentRef,
    /// The instrument's title.
    pub title: String,
    /// Period code.
    pub period: String,
    /// Kindergarten id.
    pub kindergarten_id: i64,
    /// Kindergarten short name.
    pub kindergarten: String,
    /// What the answers are about (a group or the kindergarten).
    pub subject: SubjectDto,
    /// The group's name, for a link about a group.
    pub group: Option<String>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it was withdrawn (it takes no answers since).
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<&LinkView> for SurveyLinkDto {
    fn from(view: &LinkView) -> Self {
        SurveyLinkDto {
            id: view.link.id.get(),
            token: view.token.clone(),
            instrument: InstrumentRef {
                code: view.instrument.id().code.to_string(),
                version: view.instrument.id().version,
            },
            title: view.instrument.title().to_owned(),
            period: view.period.code.clone(),
            kindergarten_id: view.kindergarten.id.get(),
            kindergarten: view.kindergarten.short_name.clone(),
            subject: view.link.subject.into(),
            group: view.group.as_ref().map(|group| group.name.clone()),
            created_at: view.link.created_at,
            closed_at: view.link.closed_at,
        }
    }
}

/// Filters of the link list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurveyLinkQuery {
    /// Kindergarten id (a head: hers by default).
    pub kindergarten: Option<i64>,
    /// Period code.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: Option<String>,
}

/// The questionnaire a link opens: what a parent sees, with no id of anybody.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicSurveyDto {
    /// The questionnaire, to render the form.
    pub instrument: InstrumentDto,
    /// The kindergarten's short name.
    pub kindergarten: String,
    /// The group's name, for a link about a group.
    pub group: Option<String>,
    /// The period's code.
    pub period: String,
    /// The period's last day.
    pub ends_on: NaiveDate,
}

impl From<&PublicSurvey> for PublicSurveyDto {
    fn from(survey: &PublicSurvey) -> Self {
        PublicSurveyDto {
            instrument: InstrumentDto::from(survey.instrument.as_ref()),
            kindergarten: survey.kindergarten.clone(),
            group: survey.group.clone(),
            period: survey.period.code.clone(),
            ends_on: survey.period.ends_on,
        }
    }
}

/// A parent's answers through a link. Send an `Idempotency-Key` header: sending the same form
/// again stores nothing more.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicResponseRequest {
    /// The answers.
    pub answers: Vec<AnswerDto>,
}

/// The receipt of a parent's answers: nothing that identifies the response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicReceiptDto {
    /// Always `accepted`.
    pub status: String,
    /// Russian thanks for the parent.
    pub message: String,
}
