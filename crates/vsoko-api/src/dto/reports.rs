//! Reports: areas and indicators with score, level, n, deficit and critical flags, optionally with
//! dynamics against another period.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::reports::LevelRef;
use vsoko_app::reports::Report;

use crate::dto::submissions::{InstrumentRef, LevelDto};

/// Report parameters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Period code, like `2025-05`.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
    /// Instrument code, like `dc-teacher`.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Instrument version (default: the version the period's submissions were made with, else
    /// the latest).
    #[param(minimum = 1)]
    pub version: Option<u32>,
    /// An earlier (or later) period to compare with: adds `before`, `delta` and `drop`. Not the
    /// report's own period (422, `same_period`).
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub compare_period: Option<String>,
    /// The instrument version the compared period is read with (default: the version its
    /// submissions were made with); two versions are compared node by node through the later
    /// one's crosswalk (`comparable: false` where nothing compares), versions with neither a
    /// crosswalk nor the same items are refused (422, `incomparable_versions`).
    #[param(minimum = 1)]
    pub compare_version: Option<u32>,
    /// `json` (default), or the files of `vsoko export`: `csv` (for programs: UTF-8, `,`), `csv-ru`
    /// (for Russian Excel: UTF-8 with BOM, `;`, CRLF) or `xlsx` (one sheet per table); every
    /// table with Russian headers.
    #[param(inline)]
    pub format: Option<ReportFormat>,
    /// With `format=csv-ru`: write numbers with a decimal comma (`85,5`).
    pub decimal_comma: Option<bool>,
    /// Add `items` (every item with its answers and N/A rate): default `true` for a teacher or a
    /// kindergarten, `false` for the network (it reads every answer of the period).
    pub items: Option<bool>,
}

/// The form of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum ReportFormat {
    /// JSON (the default).
    #[serde(rename = "json")]
    Json,
    /// CSV for programs.
    #[serde(rename = "csv")]
    Csv,
    /// CSV for Russian Excel.
    #[serde(rename = "csv-ru")]
    CsvRu,
    /// XLSX.
    #[serde(rename = "xlsx")]
    Xlsx,
}

impl ReportFormat {
    /// The file asked for; `None` for JSON.
    pub fn file(self, decimal_comma: bool) -> Option<vsoko_app::export::FileFormat> {
        use vsoko_app::export::FileFormat;
        match self {
            ReportFormat::Json => None,
            ReportFormat::Csv => Some(FileFormat::Csv),
            ReportFormat::CsvRu => Some(FileFormat::CsvRu { decimal_comma }),
            ReportFormat::Xlsx => Some(FileFormat::Xlsx),
        }
    }
}

/// A report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDto {
    /// `teacher`, `kindergarten` or `network`.
    pub scope: String,
    /// Person or kindergarten id; the network id for the network.
    pub scope_id: i64,
    /// Who or what the report is about.
    pub scope_name: String,
    /// Instrument version.
    pub instrument: InstrumentRef,
    /// Instrument title.
    pub instrument_title: String,
    /// Period code.
    pub period: String,
    /// The period compared with.
    pub compare_period: Option<String>,
    /// Submissions counted (for control cards: cards; a subject's cards are averaged first).
    pub n_submissions: u32,
    /// Subjects (teachers, groups or kindergartens) among them.
    pub n_subjects: u32,
    /// Whether the period is still open: the data are incomplete.
    pub period_open: bool,
    /// How many of the scope's active subjects the result is made of (kindergarten and network
    /// reports of surveys and indicator sets). When not `enough` (under 50 % or under 3), the
    /// rows keep their scores but have no level, change or deficit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageDto>,
    /// With a compared period: whom the change is of — the same subjects in both periods or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_subjects: Option<ComparedSubjectsDto>,
    /// The main table: the total, then each area followed by its indicators.
    pub rows: Vec<ReportRow>,
    /// Named teacher results (kindergarten report of a teacher instrument; heads, managers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teachers: Vec<TeacherRow>,
    /// Every item with its answers and N/A rate (absent when an anonymous instrument's scope has
    /// too few responses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRow>,
    /// Groups (kindergarten report of an instrument about groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupRow>,
    /// Kindergartens ranked (network report).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kindergartens: Vec<KindergartenRow>,
    /// Anonymous instrument (parents): results are shown for at least this many responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_respondents: Option<u32>,
    /// Network report of an anonymous instrument: kindergartens hidden («менее k ответов»), or
    /// hidden so that such a one cannot be recovered from the network result.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed_kindergartens: Vec<SuppressedKindergartenRow>,
}

/// Whom a change is of.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComparedSubjectsDto {
    /// Subjects counted in the report's period.
    pub now: u32,
    /// Subjects counted in the compared period.
    pub before: u32,
    /// Subjects counted in both.
    pub both: u32,
    /// The same subjects in both periods: the change is theirs; otherwise it is a change of the
    /// group's mean.
    pub same: bool,
    /// The same in Russian, as the dashboards and the справка say it.
    pub sentence: Option<String>,
}

/// The coverage of a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageDto {
    /// Subjects with a counted submission.
    pub counted: u32,
    /// Active subjects of the scope.
    pub base: u32,
    /// `counted / base`, percent; absent without a base.
    pub percent: Option<f64>,
    /// Whether the result may have levels, changes and conclusions.
    pub enough: bool,
    /// Why not, in Russian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How one item was answered in the report's submissions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemRow {
    /// Item code.
    pub code: String,
    /// Item text.
    pub text: String,
    /// Whether the item takes part in scores (`false`: asked and stored only, e.g. motivation).
    pub scored: bool,
    /// Answers with a value.
    pub answered: u32,
    /// Answers «не применимо» (never counted as 0).
    pub not_applicable: u32,
    /// Counted submissions that left the item out.
    pub missing: u32,
    /// Share of N/A among the answers given, 0–1; absent when nobody answered.
    pub na_share: Option<f64>,
}

/// A group's result in a kindergarten report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupRow {
    /// Group id.
    pub group_id: i64,
    /// Group name.
    pub name: String,
    /// Mean total of its submissions; absent when hidden or nothing valid.
    pub score: Option<f64>,
    /// Level.
    pub level: Option<LevelDto>,
    /// Submissions (responses).
    pub n: u32,
    /// Below the deficit threshold.
    pub deficit: bool,
    /// Hidden by the small-group rule of anonymous instruments («менее k ответов»).
    pub suppressed: bool,
}

/// A kindergarten hidden from a network report of an anonymous instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuppressedKindergartenRow {
    /// Id.
    pub id: i64,
    /// Short name.
    pub short_name: String,
    /// Its responses.
    pub n: u32,
}

/// One node of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportRow {
    /// `total`, `area`, `indicator` or `variable` (the variable part: the kindergarten's own
    /// indicators, outside the areas and the total).
    pub kind: String,
    /// A variable indicator or the variable part: never in the total, never in a network report.
    pub variable: bool,
    /// Code.
    pub code: String,
    /// Title (the instrument title for the total).
    pub title: String,
    /// Score in percent: the mean over submissions (teacher, kindergarten) or over kindergartens
    /// (network); absent when nothing valid was submitted.
    pub score: Option<f64>,
    /// Level of the score.
    pub level: Option<LevelDto>,
    /// Valid scores the row is made of: submissions (for control cards, subjects).
    pub n: u32,
    /// The score is below the instrument's deficit threshold.
    pub deficit: bool,
    /// Some submission has a critical violation under this node.
    pub critical: bool,
    /// Network report: the mean over all submissions (pooled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pooled_score: Option<f64>,
    /// With a compared period: whether its instrument version has a comparable node (`false`:
    /// «нет сопоставимых данных», the node is new, split or merged in the crosswalk).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparable: Option<bool>,
    /// Score in the compared period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<f64>,
    /// `score − before`, percentage points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// A drop of 5 p.p. or more.
    pub drop: bool,
    /// Anonymous instrument: fewer responses than `min_respondents`, so not shown («менее k
    /// ответов»).
    pub suppressed: bool,
    /// Subjects (teachers, groups, kindergartens assessed) with a valid score of this node.
    pub subjects_scored: u32,
    /// How many of them score below the deficit threshold on their own — the individual
    /// deficits a mean above the threshold hides.
    pub subjects_below: u32,
}

/// A teacher's result in a kindergarten report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeacherRow {
    /// Person id.
    pub person_id: i64,
    /// Full name.
    pub full_name: String,
    /// Total score.
    pub score: Option<f64>,
    /// Level.
    pub level: Option<LevelDto>,
    /// Submissions.
    pub n: u32,
    /// Below the deficit threshold.
    pub deficit: bool,
}

/// A kindergarten in the network report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindergartenRow {
    /// Id.
    pub id: i64,
    /// Short name.
    pub short_name: String,
    /// Mean total score.
    pub score: f64,
    /// Level of the mean.
    /// Absent when the kindergarten's own coverage is too low for a level.
    pub level: Option<LevelDto>,
    /// How many of its own active teachers (groups) the result is made of, where the coverage
    /// rule applies; not enough: no level, change or place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageDto>,
    /// Submissions.
    pub n: u32,
    /// Dense rank (1 = best); absent when the instrument gives no places (self-assessment
    /// surveys: kindergartens are then listed by name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Change against the compared period, p.p.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
}

impl From<&LevelRef> for LevelDto {
    fn from(level: &LevelRef) -> Self {
        LevelDto {
            code: level.code.clone(),
            name: level.name.clone(),
        }
    }
}

impl From<&Report> for ReportDto {
    fn from(report: &Report) -> Self {
        let instrument = &report.instrument;
        ReportDto {
            scope: report.scope().into(),
            scope_id: report.scope_id,
            scope_name: report.scope_name.clone(),
            instrument: InstrumentRef {
                code: instrument.code().to_string(),
                version: instrument.version(),
            },
            instrument_title: instrument.title().to_owned(),
            period: report.period.clone(),
            compare_period: report.compare_period.clone(),
            n_submissions: report.body.n_submissions,
            n_subjects: report.body.n_subjects,
            period_open: report.period_open,
            coverage: report.coverage.map(|coverage| CoverageDto {
                counted: coverage.counted,
                base: coverage.base,
                percent: coverage.percent,
                enough: coverage.enough,
                reason: report.insufficient_reason(),
            }),
            compared_subjects: report
                .body
                .compared_subjects
                .map(|compared| ComparedSubjectsDto {
                    now: compared.now,
                    before: compared.before,
                    both: compared.both,
                    same: compared.same(),
                    sentence: vsoko_app::spravka::comparison_sentence(report),
                }),
            rows: report
                .rows()
                .iter()
                .map(|row| ReportRow {
                    kind: row.kind.as_str().to_owned(),
                    variable: row.variable,
                    code: row.code.clone(),
                    title: row.title.clone(),
                    score: row.score,
                    level: row.level.as_ref().map(LevelDto::from),
                    n: row.n,
                    deficit: row.deficit,
                    critical: row.critical,
                    pooled_score: row.pooled_score,
                    comparable: row.comparable,
                    before: row.before,
                    delta: row.delta,
                    drop: row.drop,
                    suppressed: row.suppressed,
                    subjects_scored: row.subjects_scored,
                    subjects_below: row.subjects_below,
                })
                .collect(),
            teachers: report
                .teachers
                .iter()
                .map(|teacher| TeacherRow {
                    person_id: teacher.row.subject,
                    full_name: teacher.full_name.clone(),
                    score: teacher.row.score,
                    level: teacher.row.level.as_ref().map(LevelDto::from),
                    n: teacher.row.n,
                    deficit: teacher.row.deficit,
                })
                .collect(),
            items: report
                .items
                .iter()
                .map(|item| ItemRow {
                    code: item.code.clone(),
                    text: item.text.clone(),
                    scored: item.scored,
                    answered: item.answered,
                    not_applicable: item.not_applicable,
                    missing: item.missing,
                    na_share: item.na_share,
                })
                .collect(),
            groups: report
                .groups
                .iter()
                .map(|group| GroupRow {
                    group_id: group.row.subject,
                    name: group.name.clone(),
                    score: group.row.score,
                    level: group.row.level.as_ref().map(LevelDto::from),
                    n: group.row.n,
                    deficit: group.row.deficit,
                    suppressed: group.row.suppressed,
                })
                .collect(),
            min_respondents: report.body.min_respondents,
            suppressed_kindergartens: report
                .suppressed_kindergartens
                .iter()
                .map(|line| SuppressedKindergartenRow {
                    id: line.kindergarten.get(),
                    short_name: line.short_name.clone(),
                    n: line.n,
                })
                .collect(),
            kindergartens: report
                .kindergartens
                .iter()
                .map(|line| KindergartenRow {
                    id: line.row.kindergarten,
                    short_name: line.short_name.clone(),
                    score: line.row.score,
                    level: line.row.level.as_ref().map(LevelDto::from),
                    coverage: line.coverage.map(|coverage| CoverageDto {
                        counted: coverage.counted,
                        base: coverage.base,
                        percent: coverage.percent,
                        enough: coverage.enough,
                        reason: None,
                    }),
                    n: line.row.n,
                    rank: line.row.rank,
                    delta: line.row.delta,
                })
                .collect(),
        }
    }
}
