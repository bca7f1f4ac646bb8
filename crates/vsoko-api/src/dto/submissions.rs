//! Submissions: answers in, revisions with their scores out.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::reports::{NodeScore, SubmissionScore};
use vsoko_checklist::AnswerValue;
use vsoko_domain::{GroupId, KindergartenId, PersonId};
use vsoko_domain::{StoredAnswer, SubjectRef, Submission};

/// `teacher`, `group` or `kindergarten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A member of staff (person id).
    Teacher,
    /// A group (group id).
    Group,
    /// The kindergarten itself (its id).
    Kindergarten,
}

/// What a submission assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectDto {
    /// Kind.
    pub kind: SubjectKind,
    /// Person, group or kindergarten id.
    pub id: i64,
}

impl From<SubjectRef> for SubjectDto {
    fn from(subject: SubjectRef) -> Self {
        let kind = match subject {
            SubjectRef::Teacher(_) => SubjectKind::Teacher,
            SubjectRef::Group(_) => SubjectKind::Group,
            SubjectRef::Kindergarten(_) => SubjectKind::Kindergarten,
        };
        SubjectDto {
            kind,
            id: subject.raw_id(),
        }
    }
}

impl From<SubjectDto> for SubjectRef {
    fn from(subject: SubjectDto) -> Self {
        match subject.kind {
            SubjectKind::Teacher => SubjectRef::Teacher(PersonId::new(subject.id)),
            SubjectKind::Group => SubjectRef::Group(GroupId::new(subject.id)),
            SubjectKind::Kindergarten => SubjectRef::Kindergarten(KindergartenId::new(subject.id)),
        }
    }
}

/// One answer: a `value` on the item's scale, or `"na": true` for «не применимо».
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerDto {
    /// Item code.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,64}$")]
    pub item: String,
    /// The chosen option's value or the number entered; absent when `na`.
    #[serde(default)]
    pub value: Option<f64>,
    /// «Не применимо».
    #[serde(default)]
    pub na: bool,
    /// Optional comment: at most 2,000 characters.
    #[serde(default)]
    #[schema(
        pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$",
        max_length = 2000
    )]
    pub comment: Option<String>,
}

impl From<&StoredAnswer> for AnswerDto {
    fn from(answer: &StoredAnswer) -> Self {
        let (value, na) = match answer.value {
            AnswerValue::Value(value) => (Some(value), false),
            AnswerValue::NotApplicable => (None, true),
        };
        AnswerDto {
            item: answer.item.clone(),
            value,
            na,
            comment: answer.comment.clone(),
        }
    }
}

/// A new submission. Send an `Idempotency-Key` header: a retry with the same key returns the
/// submission created first (200) instead of creating another (201).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubmissionRequest {
    /// Instrument code.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Instrument version (default: the latest).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub version: Option<u32>,
    /// Period code, like `2025-05`.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
    /// What is assessed (default for teachers: themselves).
    #[serde(default)]
    pub subject: Option<SubjectDto>,
    /// A control card's observation date, `YYYY-MM-DD`, within the period (default: today, when it is in the
    /// period).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub observed_on: Option<NaiveDate>,
    /// The answers.
    pub answers: Vec<AnswerDto>,
}

/// A correction: the full new set of answers; stored as the next revision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    /// The answers.
    pub answers: Vec<AnswerDto>,
}

/// `code@version` of an instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentRef {
    /// Code.
    pub code: String,
    /// Version.
    pub version: u32,
}

/// A level: code and Russian name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LevelDto {
    /// Code, like `L2` or `B1`.
    pub code: String,
    /// Russian name, like «Допустимый».
    pub name: String,
}

/// The score of one node of a submission.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeScoreDto {
    /// `total`, `area` or `indicator`.
    pub kind: String,
    /// Code (the instrument code for the total).
    pub code: String,
    /// Percent 0–100; absent when there are not enough answers.
    pub score: Option<f64>,
    /// Level; absent when there are not enough answers.
    pub level: Option<LevelDto>,
    /// Share of items answered, percent.
    pub coverage: f64,
    /// Below the deficit threshold.
    pub deficit: bool,
    /// A critical item got its lowest option.
    pub critical: bool,
}

/// A stored revision with its answers and scores.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionDto {
    /// Id of this revision.
    pub id: i64,
    /// Id of the first revision.
    pub root_id: i64,
    /// 1, 2, …
    pub revision: u32,
    /// The revision this one corrects.
    pub supersedes_id: Option<i64>,
    /// Not superseded by a correction.
    pub is_latest: bool,
    /// Instrument version.
    pub instrument: InstrumentRef,
    /// Period code.
    pub period: String,
    /// Kindergarten.
    pub kindergarten_id: i64,
    /// What was assessed.
    pub subject: SubjectDto,
    /// Who submitted this revision.
    pub author_user_id: i64,
    /// When this revision was stored.
    pub submitted_at: DateTime<Utc>,
    /// When the answers were given (a form's timestamp for imported rows).
    pub answered_at: DateTime<Utc>,
    /// A control card's observation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_on: Option<NaiveDate>,
    /// The answers.
    pub answers: Vec<AnswerDto>,
    /// Scores: the total, then each area followed by its indicators.
    pub scores: Vec<NodeScoreDto>,
    /// Critical items answered with their lowest option.
    pub critical_items: Vec<String>,
}

/// A revision in a listing (no answers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionSummaryDto {
    /// Id of this revision.
    pub id: i64,
    /// Id of the first revision.
    pub root_id: i64,
    /// Revision number.
    pub revision: u32,
    /// Not superseded.
    pub is_latest: bool,
    /// Instrument version id in the database.
    pub instrument_id: i64,
    /// Period id.
    pub period_id: i64,
    /// Kindergarten.
    pub kindergarten_id: i64,
    /// What was assessed.
    pub subject: SubjectDto,
    /// Author.
    pub author_user_id: i64,
    /// When.
    pub submitted_at: DateTime<Utc>,
}

impl From<&Submission> for SubmissionSummaryDto {
    fn from(submission: &Submission) -> Self {
        SubmissionSummaryDto {
            id: submission.id.get(),
            root_id: submission.root_id.get(),
            revision: submission.revision,
            is_latest: submission.is_latest,
            instrument_id: submission.instrument_id.get(),
            period_id: submission.period_id.get(),
            kindergarten_id: submission.kindergarten_id.get(),
            subject: submission.subject.into(),
            author_user_id: submission.author_user_id.get(),
            submitted_at: submission.submitted_at,
        }
    }
}

/// One page of submissions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionPage {
    /// The rows.
    pub items: Vec<SubmissionSummaryDto>,
    /// Rows matching the filters.
    pub total: u64,
    /// Offset of this page.
    pub offset: u64,
    /// Page size.
    pub limit: u64,
}

/// Filters of the submission list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionListQuery {
    /// Period code.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: Option<String>,
    /// Instrument code (latest version unless `version`).
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: Option<String>,
    /// Instrument version.
    #[param(minimum = 1)]
    pub version: Option<u32>,
    /// Kindergarten id.
    pub kindergarten: Option<i64>,
    /// Subject kind (with `subject_id`).
    pub subject_kind: Option<SubjectKind>,
    /// Subject id (with `subject_kind`).
    pub subject_id: Option<i64>,
    /// Include superseded revisions.
    #[serde(default)]
    pub include_superseded: bool,
    /// Rows to skip (default 0).
    #[param(maximum = 9223372036854775807_u64)]
    pub offset: Option<u64>,
    /// Page size (default 50, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

/// Builds the wire form of a node score; `level_name` looks up the Russian name of a level code.
pub fn node_dto(node: &NodeScore, level_name: impl Fn(&str) -> String) -> NodeScoreDto {
    NodeScoreDto {
        kind: node.kind.as_str().to_owned(),
        code: node.code.clone(),
        score: node.percent,
        level: node.level.as_ref().map(|code| LevelDto {
            code: code.clone(),
            name: level_name(code),
        }),
        coverage: node.coverage,
        deficit: node.deficit,
        critical: node.critical,
    }
}

/// All node scores of a submission.
pub fn scores_dto(
    score: &SubmissionScore,
    level_name: impl Fn(&str) -> String,
) -> Vec<NodeScoreDto> {
    score
        .nodes
        .iter()
        .map(|node| node_dto(node, &level_name))
        .collect()
}

/// What a computed item's value is for.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComputedQuery {
    /// Instrument code (its latest version), like `vsoko-kindergarten`.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Period code, like `2025-05`.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
}

/// A computed item's value: what the system holds, written by the server into every submission
/// whatever the client sends.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComputedValueDto {
    /// Item code.
    pub item: String,
    /// The value, in percent; `null` without data in the source («недостаточно данных»).
    pub value: Option<f64>,
    /// Where it comes from, in Russian.
    pub source: String,
}

impl From<vsoko_app::forms::ComputedValue> for ComputedValueDto {
    fn from(value: vsoko_app::forms::ComputedValue) -> Self {
        ComputedValueDto {
            item: value.item,
            value: value.value,
            source: value.source,
        }
    }
}
