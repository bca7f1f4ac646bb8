//! Training records of the staff and the coverage they give.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::training::{
    CategoryCoverage, CoverageView, Need, ProviderType, Share, StudyForm, TrainingEntry,
    TrainingKind, TrainingRecord,
};

/// What kind of training: `qualification_upgrade` (повышение квалификации), `retraining`
/// (профессиональная переподготовка), `seminar` (обучающий семинар), `internship`
/// (стажировка), `other`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrainingKindDto {
    QualificationUpgrade,
    Retraining,
    Seminar,
    Internship,
    Other,
}

/// Who provided it: `state`, `municipal`, `private`, `other`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderTypeDto {
    State,
    Municipal,
    Private,
    Other,
}

/// The form of study as ФИС ФРДО records it: `full_time` (очная), `part_time` (заочная),
/// `mixed` (очно-заочная). Distance technologies are the separate `distance` flag.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StudyFormDto {
    FullTime,
    PartTime,
    Mixed,
}

macro_rules! same_enum {
    ($dto:ident, $rule:ident, [$($variant:ident),*]) => {
        impl From<$dto> for $rule {
            fn from(value: $dto) -> $rule {
                match value { $($dto::$variant => $rule::$variant),* }
            }
        }
        impl From<$rule> for $dto {
            fn from(value: $rule) -> $dto {
                match value { $($rule::$variant => $dto::$variant),* }
            }
        }
    };
}

same_enum!(
    TrainingKindDto,
    TrainingKind,
    [QualificationUpgrade, Retraining, Seminar, Internship, Other]
);
same_enum!(
    ProviderTypeDto,
    ProviderType,
    [State, Municipal, Private, Other]
);
same_enum!(StudyFormDto, StudyForm, [FullTime, PartTime, Mixed]);

/// What a training record says.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingFields {
    /// Kind of training.
    pub kind: TrainingKindDto,
    /// Programme title.
    #[schema(min_length = 1, max_length = 500)]
    pub programme: String,
    /// The provider's name.
    #[schema(min_length = 1, max_length = 500)]
    pub provider: String,
    /// The provider's type.
    pub provider_type: ProviderTypeDto,
    /// Whether the programme is in the federal register of ДПП.
    #[serde(default)]
    pub in_federal_register: bool,
    /// Hours (ак. ч.).
    #[schema(minimum = 1, maximum = 10000)]
    pub hours: u32,
    /// First day of study.
    pub starts_on: NaiveDate,
    /// Last day of study.
    pub ends_on: NaiveDate,
    /// Enrolment date.
    #[serde(default)]
    pub enrolled_on: Option<NaiveDate>,
    /// Form of study.
    pub form: StudyFormDto,
    /// Whether distance technologies (ДОТ/ЭО) were used.
    #[serde(default)]
    pub distance: bool,
    /// The document's number.
    #[serde(default)]
    pub document_number: Option<String>,
    /// The document's registration number.
    #[serde(default)]
    pub registration_number: Option<String>,
    /// The document's date of issue.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// Competence areas it addresses (area codes of an instrument, e.g. `A3`).
    #[serde(default)]
    pub areas: Vec<String>,
}

impl From<&TrainingFields> for TrainingRecord {
    fn from(fields: &TrainingFields) -> TrainingRecord {
        TrainingRecord {
            kind: fields.kind.into(),
            programme: fields.programme.clone(),
            provider: fields.provider.clone(),
            provider_type: fields.provider_type.into(),
            federal_register: fields.in_federal_register,
            hours: fields.hours,
            start: fields.starts_on,
            end: fields.ends_on,
            enrolled: fields.enrolled_on,
            form: fields.form.into(),
            distance: fields.distance,
            document_number: fields.document_number.clone(),
            registration_number: fields.registration_number.clone(),
            issued: fields.issued_on,
            areas: fields.areas.clone(),
        }
    }
}

impl From<&TrainingRecord> for TrainingFields {
    fn from(record: &TrainingRecord) -> TrainingFields {
        TrainingFields {
            kind: record.kind.into(),
            programme: record.programme.clone(),
            provider: record.provider.clone(),
            provider_type: record.provider_type.into(),
            in_federal_register: record.federal_register,
            hours: record.hours,
            starts_on: record.start,
            ends_on: record.end,
            enrolled_on: record.enrolled,
            form: record.form.into(),
            distance: record.distance,
            document_number: record.document_number.clone(),
            registration_number: record.registration_number.clone(),
            issued_on: record.issued,
            areas: record.areas.clone(),
        }
    }
}

/// A training record to add: whose, and what it says.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrainingRecordRequest {
    /// The person (a member of staff of the kindergarten in the path).
    pub person_id: i64,
    /// What it says.
    pub record: TrainingFields,
}

/// A warning about a stored record (it is kept; someone may want to check it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingWarning {
    /// The field.
    pub field: String,
    /// What to check, in Russian.
    pub message: String,
}

/// A person's own training records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnTrainingDto {
    /// Her records (latest revisions, not withdrawn).
    pub records: Vec<TrainingRecordDto>,
    /// The first day her latest ПК or ПП no longer counts (36 months after its date); `null`
    /// without one.
    pub counts_until: Option<NaiveDate>,
}

/// A stored training record (its latest revision).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingRecordDto {
    /// This revision's id (correct and withdraw by it).
    pub id: i64,
    /// The first revision's id.
    pub root_id: i64,
    /// 1 as entered, +1 per correction.
    pub revision: u32,
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's full name.
    pub person_name: String,
    /// What it says.
    pub record: TrainingFields,
    /// When this revision was stored.
    pub created_at: DateTime<Utc>,
    /// What the rules warn about.
    pub warnings: Vec<TrainingWarning>,
    /// The recipient's СНИЛС, only where the network keeps it (`null` otherwise).
    pub snils: Option<String>,
}

impl From<&TrainingEntry> for TrainingRecordDto {
    fn from(entry: &TrainingEntry) -> TrainingRecordDto {
        let stored = &entry.stored;
        TrainingRecordDto {
            id: stored.id.get(),
            root_id: stored.root_id.get(),
            revision: stored.revision,
            kindergarten_id: stored.kindergarten_id.get(),
            person_id: stored.person_id.get(),
            person_name: entry.person_name.clone(),
            record: TrainingFields::from(&stored.record),
            created_at: stored.created_at,
            warnings: entry
                .warnings
                .iter()
                .map(|problem| TrainingWarning {
                    field: problem.field.name().to_owned(),
                    message: problem.message.clone(),
                })
                .collect(),
            snils: stored.snils.clone(),
        }
    }
}

/// A share: `part` of `whole`, with the percent as people read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShareDto {
    /// The part.
    pub part: u32,
    /// The whole.
    pub whole: u32,
    /// The percent.
    pub percent: f64,
    /// The percent in words («59 %», «0,2 %»).
    pub text: String,
}

fn share(share: Option<Share>) -> Option<ShareDto> {
    share.map(|share| ShareDto {
        part: share.part,
        whole: share.whole,
        percent: share.percent(),
        text: share.text(),
    })
}

/// A competence area: the people with a deficit in it and how many of them have training
/// addressing it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaAddressingDto {
    /// The area's code.
    pub area: String,
    /// People with a deficit in it (latest teachers' survey).
    pub with_deficit: u32,
    /// Of them, with training addressing it within 36 months.
    pub addressed: u32,
}

/// The coverage of one category of staff.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryCoverageDto {
    /// Active staff.
    pub active: u32,
    /// With a ПК or ПП within the 36 months before the date (273-ФЗ ст. 47).
    pub covered: u32,
    /// `covered` of `active`; `null` without staff.
    pub covered_share: Option<ShareDto>,
    /// People trained (ПК or ПП) in the school year.
    pub trained: u32,
    /// Of them, without distance technologies.
    pub in_person: u32,
    /// Of them, with distance technologies.
    pub distance: u32,
    /// Their records.
    pub records: u32,
    /// Their hours (ак. ч.).
    pub hours: u64,
    /// Per competence area with deficits.
    pub addressing: Vec<AreaAddressingDto>,
}

impl From<&CategoryCoverage> for CategoryCoverageDto {
    fn from(coverage: &CategoryCoverage) -> CategoryCoverageDto {
        CategoryCoverageDto {
            active: coverage.active,
            covered: coverage.covered,
            covered_share: share(coverage.covered_share()),
            trained: coverage.window.people,
            in_person: coverage.window.delivery.in_person,
            distance: coverage.window.delivery.distance,
            records: coverage.window.records,
            hours: coverage.window.hours,
            addressing: coverage
                .addressing
                .iter()
                .map(|area| AreaAddressingDto {
                    area: area.area.clone(),
                    with_deficit: area.with_deficit,
                    addressed: area.addressed,
                })
                .collect(),
        }
    }
}

/// One kindergarten's coverage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindergartenCoverageDto {
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// Its short name.
    pub short_name: String,
    /// Teachers.
    pub teachers: CategoryCoverageDto,
    /// Management team.
    pub management: CategoryCoverageDto,
}

/// Somebody who needs КПК in the next school year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ForecastDto {
    /// The person.
    pub person_id: i64,
    /// Full name.
    pub full_name: String,
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// `teacher` or `management`.
    pub category: String,
    /// The date of the latest ПК or ПП, if any.
    pub latest: Option<NaiveDate>,
    /// `no_training`, `lapsed`, `out_before_year` or `leaves_during_year`.
    pub need: String,
    /// The first day the person is no longer covered.
    pub uncovered_from: Option<NaiveDate>,
}

/// A target of the network held to the scope's figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetDto {
    /// The target's code (`kpk-36-teachers`).
    pub code: String,
    /// Its title.
    pub title: String,
    /// The bound as people read it («≥ 100 %»).
    pub target: String,
    /// The figure («96 %»); `null`: «недостаточно данных».
    pub actual: Option<String>,
    /// `достигнуто`, `не достигнуто` or `недостаточно данных`.
    pub status: String,
    /// `true` when achieved; `null` without enough data.
    pub achieved: Option<bool>,
    /// The gap to the bound («−4 п.п.»), when assessed.
    pub gap: Option<String>,
    /// The change since the period before («+6 п.п.»), when both have a figure (figures of
    /// instruments; training coverage has none, as the staff of a year ago is not known).
    pub change: Option<String>,
    /// Where the figure comes from (or why there is none).
    pub source: String,
}

/// The coverage of a kindergarten or of the network.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageDto {
    /// The date of the figures.
    pub at: NaiveDate,
    /// The school year of the «trained» figures (`2025/2026`).
    pub school_year: String,
    /// Teachers of the whole scope.
    pub teachers: CategoryCoverageDto,
    /// Management teams of the whole scope.
    pub management: CategoryCoverageDto,
    /// Per kindergarten.
    pub kindergartens: Vec<KindergartenCoverageDto>,
    /// The department's sentence about teachers trained in the school year.
    pub sentence: String,
    /// The next school year (`2026/2027`).
    pub forecast_year: String,
    /// Who needs КПК in the next school year.
    pub forecast: Vec<ForecastDto>,
    /// The network's targets held to this scope's figures.
    pub targets: Vec<TargetDto>,
}

impl From<&CoverageView> for CoverageDto {
    fn from(view: &CoverageView) -> CoverageDto {
        let network = &view.report.network;
        CoverageDto {
            at: view.at,
            school_year: view.year.to_string(),
            teachers: (&network.teachers).into(),
            management: (&network.management).into(),
            kindergartens: view
                .report
                .kindergartens
                .iter()
                .map(|unit| KindergartenCoverageDto {
                    kindergarten_id: unit.kindergarten.get(),
                    short_name: view
                        .kindergartens
                        .get(&unit.kindergarten)
                        .cloned()
                        .unwrap_or_default(),
                    teachers: (&unit.coverage.teachers).into(),
                    management: (&unit.coverage.management).into(),
                })
                .collect(),
            sentence: view.sentence.clone(),
            targets: view
                .targets
                .iter()
                .map(|line| TargetDto {
                    code: line.code.clone(),
                    title: line.title.clone(),
                    target: line.attainment.target_text(),
                    actual: line.attainment.actual_text(),
                    status: line.attainment.status_text().to_owned(),
                    achieved: line.attainment.achieved(),
                    gap: line.attainment.gap_text(),
                    change: line.attainment.change_text(),
                    source: line.source.clone(),
                })
                .collect(),
            forecast_year: view.forecast.year.to_string(),
            forecast: view
                .forecast
                .kindergartens
                .iter()
                .flat_map(|unit| {
                    unit.people.iter().map(move |entry| ForecastDto {
                        person_id: entry.person.get(),
                        full_name: view.names.get(&entry.person).cloned().unwrap_or_default(),
                        kindergarten_id: unit.kindergarten.get(),
                        category: entry.category.code().to_owned(),
                        latest: entry.latest,
                        need: match entry.need {
                            Need::NoTraining => "no_training",
                            Need::Lapsed { .. } => "lapsed",
                            Need::OutBeforeYear { .. } => "out_before_year",
                            Need::LeavesDuringYear { .. } => "leaves_during_year",
                        }
                        .to_owned(),
                        uncovered_from: entry.need.uncovered_from(),
                    })
                })
                .collect(),
        }
    }
}

/// The date of a coverage report.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The date of the figures (default: today); the «trained» figures are of the school year
    /// containing it.
    pub at: Option<NaiveDate>,
    /// `json` (the default), `csv`, `csv-ru` (for Russian Excel) or `xlsx`: the coverage per
    /// kindergarten, адресность, who needs courses, the targets and the sentence, with Russian
    /// headers.
    #[param(inline)]
    pub format: Option<crate::dto::reports::ReportFormat>,
    /// With `format=csv-ru`: write numbers with a decimal comma.
    pub decimal_comma: Option<bool>,
}

/// How a training records file is imported.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingImportQuery {
    /// Write the records (default: a dry run that writes nothing).
    pub commit: Option<bool>,
    /// With `commit=true`: write the rows without errors even when others have errors.
    pub skip_errors: Option<bool>,
}

/// The file of training records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TrainingUpload {
    /// A kindergarten's list or a ФИС ФРДО export: CSV (UTF-8, Windows-1251; `,` `;` tab) or
    /// XLSX/XLS/ODS, headings in the first row.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A cell of the file with what is wrong in it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingCellError {
    /// 1-based line.
    pub line: usize,
    /// The column's heading.
    pub column: String,
    /// What is wrong and how to fix it, in Russian.
    pub message: String,
}

/// What an import of training records did, or in a dry run would do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingImportDto {
    /// Whether anything was written.
    pub written: bool,
    /// Rows that made (would make) a new record.
    pub created: usize,
    /// Rows imported before: nothing is added for them.
    pub existing: usize,
    /// Rows with errors.
    pub rejected: usize,
    /// Every cell in error.
    pub errors: Vec<TrainingCellError>,
    /// Each column of the file: its heading and what was recognised in it (`null`: not used —
    /// a СНИЛС column too, unless the network keeps СНИЛС).
    pub columns: Vec<TrainingColumn>,
}

/// A column of an imported file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingColumn {
    /// The heading as the file has it.
    pub header: String,
    /// The field it holds (`full_name`, `programme`, `ends_on`, `snils`, …); `null`: not used.
    pub field: Option<String>,
}
