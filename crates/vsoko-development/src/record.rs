//! A training record: one document a person received (удостоверение о повышении квалификации,
//! диплом о профессиональной переподготовке) or one training without a document (семинар,
//! стажировка), and the people the records belong to.
//!
//! The field set follows what ФИС ФРДО keeps about a document of ДПО, so that a record can be
//! checked against it: the form of study is ФИС ФРДО's (очная / заочная / очно-заочная), and
//! whether distance technologies were used (ДОТ/ЭО) is a separate flag, as it is there.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of training a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingKind {
    /// Повышение квалификации (ПК): a programme of ДПО with an удостоверение.
    QualificationUpgrade,
    /// Профессиональная переподготовка (ПП): a programme of ДПО with a диплом.
    Retraining,
    /// Обучающий семинар: no document of ДПО.
    Seminar,
    /// Стажировка.
    Internship,
    /// Иное обучение.
    Other,
}

impl TrainingKind {
    /// Every kind, in display order.
    pub const ALL: [TrainingKind; 5] = [
        TrainingKind::QualificationUpgrade,
        TrainingKind::Retraining,
        TrainingKind::Seminar,
        TrainingKind::Internship,
        TrainingKind::Other,
    ];

    /// Whether the kind is a programme of ДПО with a document (ПК or ПП): the only kinds that
    /// count for the three-year rule, the window figures and the forecast.
    pub fn is_dpo(self) -> bool {
        matches!(
            self,
            TrainingKind::QualificationUpgrade | TrainingKind::Retraining
        )
    }

    /// The stored code: `qualification_upgrade`, `retraining`, `seminar`, `internship`, `other`.
    pub fn code(self) -> &'static str {
        match self {
            TrainingKind::QualificationUpgrade => "qualification_upgrade",
            TrainingKind::Retraining => "retraining",
            TrainingKind::Seminar => "seminar",
            TrainingKind::Internship => "internship",
            TrainingKind::Other => "other",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            TrainingKind::QualificationUpgrade => "повышение квалификации",
            TrainingKind::Retraining => "профессиональная переподготовка",
            TrainingKind::Seminar => "обучающий семинар",
            TrainingKind::Internship => "стажировка",
            TrainingKind::Other => "иное обучение",
        }
    }
}

/// Who the provider of a training is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderType {
    /// Государственная организация (federal or regional).
    State,
    /// Муниципальная организация.
    Municipal,
    /// Частная организация.
    Private,
    /// Иная организация (a public association, a non-profit of another kind).
    Other,
}

impl ProviderType {
    /// Every type, in display order.
    pub const ALL: [ProviderType; 4] = [
        ProviderType::State,
        ProviderType::Municipal,
        ProviderType::Private,
        ProviderType::Other,
    ];

    /// Whether the provider is state or municipal: the only ones admitted from 01.09.2025 for
    /// teachers of main programmes (see [`crate::validate_record`]).
    pub fn is_public(self) -> bool {
        matches!(self, ProviderType::State | ProviderType::Municipal)
    }

    /// The stored code: `state`, `municipal`, `private`, `other`.
    pub fn code(self) -> &'static str {
        match self {
            ProviderType::State => "state",
            ProviderType::Municipal => "municipal",
            ProviderType::Private => "private",
            ProviderType::Other => "other",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            ProviderType::State => "государственная",
            ProviderType::Municipal => "муниципальная",
            ProviderType::Private => "частная",
            ProviderType::Other => "иная",
        }
    }
}

/// The form of study as ФИС ФРДО records it. Whether distance technologies were used is not a
/// form: it is [`TrainingRecord::distance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyForm {
    /// Очная.
    FullTime,
    /// Заочная.
    PartTime,
    /// Очно-заочная.
    Mixed,
}

impl StudyForm {
    /// Every form, in display order.
    pub const ALL: [StudyForm; 3] = [StudyForm::FullTime, StudyForm::PartTime, StudyForm::Mixed];

    /// The stored code: `full_time`, `part_time`, `mixed`.
    pub fn code(self) -> &'static str {
        match self {
            StudyForm::FullTime => "full_time",
            StudyForm::PartTime => "part_time",
            StudyForm::Mixed => "mixed",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            StudyForm::FullTime => "очная",
            StudyForm::PartTime => "заочная",
            StudyForm::Mixed => "очно-заочная",
        }
    }
}

/// One training a person received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// ПК, ПП, семинар, стажировка or иное.
    pub kind: TrainingKind,
    /// The title of the programme as the document gives it.
    pub programme: String,
    /// The name of the provider.
    pub provider: String,
    /// Who the provider is.
    pub provider_type: ProviderType,
    /// Whether the programme is in the federal register of ДПП (ФР ДПП).
    pub federal_register: bool,
    /// Volume in academic hours (ак. ч.).
    pub hours: u32,
    /// First day of study.
    pub start: NaiveDate,
    /// Last day of study.
    pub end: NaiveDate,
    /// Date of enrolment (приказ о зачислении), when known.
    pub enrolled: Option<NaiveDate>,
    /// Form of study as ФИС ФРДО records it.
    pub form: StudyForm,
    /// Whether distance technologies or e-learning (ДОТ/ЭО) were used.
    pub distance: bool,
    /// Number of the document (бланк).
    pub document_number: Option<String>,
    /// Registration number of the document.
    pub registration_number: Option<String>,
    /// Date the document was issued; none for a training without a document.
    pub issued: Option<NaiveDate>,
    /// Codes of the competence areas the training addresses (for example `A2`), possibly none.
    pub areas: Vec<String>,
}

impl TrainingRecord {
    /// The date the record counts from: the issue date of its document, or the end of study when
    /// there is no issue date. The three-year rule, the window and the forecast all use it.
    pub fn counted_date(&self) -> NaiveDate {
        self.issued.unwrap_or(self.end)
    }

    /// Whether the training addresses the competence area `code`.
    pub fn addresses(&self, code: &str) -> bool {
        self.areas.iter().any(|area| area == code)
    }
}

/// Which of the two staff groups a person belongs to: counted and reported separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffCategory {
    /// Педагогический работник.
    Teacher,
    /// Руководящий работник (заведующий, заместитель заведующего).
    Management,
}

impl StaffCategory {
    /// Both categories, teachers first.
    pub const ALL: [StaffCategory; 2] = [StaffCategory::Teacher, StaffCategory::Management];

    /// The stored code: `teacher`, `management`.
    pub fn code(self) -> &'static str {
        match self {
            StaffCategory::Teacher => "teacher",
            StaffCategory::Management => "management",
        }
    }
}

/// One row of a kindergarten's staff list: a person (any key), their kindergarten (any key),
/// their category and whether they work there now. A person who works in two kindergartens has
/// a row in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember<P, G> {
    /// The person.
    pub person: P,
    /// The kindergarten.
    pub kindergarten: G,
    /// Teacher or management.
    pub category: StaffCategory,
    /// Whether the person works there now; inactive rows are left out of every count.
    pub active: bool,
}
