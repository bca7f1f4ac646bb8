//! The checks of one training record before it is kept.
//!
//! Every problem names the field it concerns, says in Russian what is wrong and how to fix it, and
//! is an **error** (the record cannot be kept as it is) or a **warning** (it can, but someone should
//! look: a flag, never a refusal). The rules:
//!
//! * errors: a blank programme title or provider name; hours = 0; the end of study before its
//!   start; the issue date before the end of study; the enrolment after the end of study; a date
//!   after `today` (start, end, enrolment, issue date — a record is entered after the training);
//!   a blank competence area code;
//! * warnings: ПК under 16 ак. ч. and ПП under 250 ак. ч. (the least volumes of those programmes);
//!   ПК or ПП without the document's number, registration number or issue date (the record cannot
//!   be checked against ФИС ФРДО; until the issue date is known the three years count from the end
//!   of study); ПК or ПП of a teacher of a main programme at a provider that is neither state nor
//!   municipal, enrolled on or after 01.09.2025 (below).
//!
//! # Providers from 01.09.2025
//! From 01.09.2025 teachers of основные общеобразовательные программы (the kindergarten's
//! образовательная программа дошкольного образования is one) receive ДПО only at state or
//! municipal providers; those enrolled before that date are not affected. The rule is about ДПО,
//! so it concerns ПК and ПП only, and it admits state and municipal providers only, so both
//! `private` and `other` are flagged. The enrolment date decides; without it the start of study
//! stands in (one is enrolled by the start at the latest, so this can only flag too much, and the
//! message asks for the enrolment date).

use chrono::NaiveDate;

use crate::calendar::ru_date;
use crate::record::{TrainingKind, TrainingRecord};

/// The day from which ДПО of teachers of main programmes is only at state or municipal providers.
pub fn public_providers_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// The least volume of a programme of повышение квалификации, ак. ч.
pub const MIN_QUALIFICATION_HOURS: u32 = 16;
/// The least volume of a programme of профессиональная переподготовка, ак. ч.
pub const MIN_RETRAINING_HOURS: u32 = 250;

/// A field of [`TrainingRecord`], for pinning a problem to the input that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordField {
    /// [`TrainingRecord::programme`].
    Programme,
    /// [`TrainingRecord::provider`].
    Provider,
    /// [`TrainingRecord::provider_type`].
    ProviderType,
    /// [`TrainingRecord::hours`].
    Hours,
    /// [`TrainingRecord::start`].
    Start,
    /// [`TrainingRecord::end`].
    End,
    /// [`TrainingRecord::enrolled`].
    Enrolled,
    /// [`TrainingRecord::document_number`].
    DocumentNumber,
    /// [`TrainingRecord::registration_number`].
    RegistrationNumber,
    /// [`TrainingRecord::issued`].
    Issued,
    /// [`TrainingRecord::areas`].
    Areas,
}

impl RecordField {
    /// The field's name in [`TrainingRecord`] (and in forms): `hours`, `issued`, …
    pub fn name(self) -> &'static str {
        match self {
            RecordField::Programme => "programme",
            RecordField::Provider => "provider",
            RecordField::ProviderType => "provider_type",
            RecordField::Hours => "hours",
            RecordField::Start => "start",
            RecordField::End => "end",
            RecordField::Enrolled => "enrolled",
            RecordField::DocumentNumber => "document_number",
            RecordField::RegistrationNumber => "registration_number",
            RecordField::Issued => "issued",
            RecordField::Areas => "areas",
        }
    }
}

/// Whether a problem stops the record from being kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The record is kept, flagged.
    Warning,
    /// The record is refused until fixed.
    Error,
}

/// One problem of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field it concerns.
    pub field: RecordField,
    /// What is wrong and how to fix it, in Russian.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

/// What the checks need besides the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordContext {
    /// Today: no date of the record may be after it.
    pub today: NaiveDate,
    /// Whether the person teaches a main programme (the provider rule of 01.09.2025 applies).
    pub teaches_main_programme: bool,
}

/// Every problem of `record`, in the order of the fields of a form; empty when there is none.
pub fn validate_record(record: &TrainingRecord, context: &RecordContext) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut error = |field, message: String| {
        problems.push(Problem {
            field,
            message,
            severity: Severity::Error,
        })
    };
    if record.programme.trim().is_empty() {
        error(
            RecordField::Programme,
            "Не указано название программы: перепишите его из документа об обучении.".to_owned(),
        );
    }
    if record.provider.trim().is_empty() {
        error(
            RecordField::Provider,
            "Не указана организация, проводившая обучение: перепишите её название из документа."
                .to_owned(),
        );
    }
    if record.hours == 0 {
        error(
            RecordField::Hours,
            "Объём программы не может быть нулевым: укажите число академических часов из документа."
                .to_owned(),
        );
    }
    if record.end < record.start {
        error(
            RecordField::End,
            format!(
                "Окончание обучения ({}) раньше его начала ({}): проверьте даты.",
                ru_date(record.end),
                ru_date(record.start)
            ),
        );
    }
    if let Some(enrolled) = record.enrolled
        && enrolled > record.end
    {
        error(
            RecordField::Enrolled,
            format!(
                "Дата зачисления ({}) позже окончания обучения ({}): проверьте даты.",
                ru_date(enrolled),
                ru_date(record.end)
            ),
        );
    }
    if let Some(issued) = record.issued
        && issued < record.end
    {
        error(
            RecordField::Issued,
            format!(
                "Документ выдан ({}) раньше окончания обучения ({}): проверьте даты.",
                ru_date(issued),
                ru_date(record.end)
            ),
        );
    }
    let dates = [
        (
            RecordField::Start,
            "Дата начала обучения",
            Some(record.start),
        ),
        (
            RecordField::End,
            "Дата окончания обучения",
            Some(record.end),
        ),
        (RecordField::Enrolled, "Дата зачисления", record.enrolled),
        (RecordField::Issued, "Дата выдачи документа", record.issued),
    ];
    for (field, what, date) in dates {
        if let Some(date) = date.filter(|date| *date > context.today) {
            error(
                field,
                format!(
                    "{what} ({}) ещё не наступила: сведения вносят после окончания обучения — проверьте дату.",
                    ru_date(date)
                ),
            );
        }
    }
    if record.areas.iter().any(|area| area.trim().is_empty()) {
        error(
            RecordField::Areas,
            "Пустой код области компетенций: выберите область из списка или удалите пустую строку."
                .to_owned(),
        );
    }
    warnings(record, context, &mut problems);
    problems
}

fn warnings(record: &TrainingRecord, context: &RecordContext, problems: &mut Vec<Problem>) {
    let mut warning = |field, message: String| {
        problems.push(Problem {
            field,
            message,
            severity: Severity::Warning,
        })
    };
    let least = match record.kind {
        TrainingKind::QualificationUpgrade => Some((
            MIN_QUALIFICATION_HOURS,
            "повышения квалификации",
            "удостоверением",
        )),
        TrainingKind::Retraining => Some((
            MIN_RETRAINING_HOURS,
            "профессиональной переподготовки",
            "дипломом",
        )),
        _ => None,
    };
    if let Some((least, programme, document)) = least
        && record.hours > 0
        && record.hours < least
    {
        warning(
            RecordField::Hours,
            format!(
                "Объём программы {programme} — {} ак. ч., а должен быть не меньше {least} ак. ч.: сверьте число часов с {document}.",
                record.hours
            ),
        );
    }
    if record.kind.is_dpo() {
        let document = match record.kind {
            TrainingKind::Retraining => "диплома",
            _ => "удостоверения",
        };
        if blank(record.document_number.as_deref()) {
            warning(
                RecordField::DocumentNumber,
                format!(
                    "Не указан номер {document}: без него запись не сверить с ФИС ФРДО — перепишите номер из документа."
                ),
            );
        }
        if blank(record.registration_number.as_deref()) {
            warning(
                RecordField::RegistrationNumber,
                format!("Не указан регистрационный номер {document}: перепишите его из документа."),
            );
        }
        if record.issued.is_none() {
            warning(
                RecordField::Issued,
                format!(
                    "Не указана дата выдачи {document}: пока её нет, три года отсчитываются от окончания обучения."
                ),
            );
        }
    }
    if let Some(message) = provider_rule(record, context) {
        warning(RecordField::ProviderType, message);
    }
}

/// The warning of the provider rule of 01.09.2025, when it applies.
fn provider_rule(record: &TrainingRecord, context: &RecordContext) -> Option<String> {
    if !context.teaches_main_programme || !record.kind.is_dpo() || record.provider_type.is_public()
    {
        return None;
    }
    let from = public_providers_from();
    let rule = format!(
        "с {} педагоги, реализующие основные общеобразовательные программы, проходят ДПО только в государственных и муниципальных организациях (зачисленных раньше это не касается)",
        ru_date(from)
    );
    let provider = record.provider_type.label();
    match record.enrolled {
        Some(enrolled) if enrolled >= from => Some(format!(
            "Организация — {provider}, зачисление {}: {rule}. Проверьте тип организации.",
            ru_date(enrolled)
        )),
        None if record.start >= from => Some(format!(
            "Организация — {provider}, обучение начато {}: {rule}. Проверьте тип организации; если зачисление было до {}, укажите его дату.",
            ru_date(record.start),
            ru_date(from)
        )),
        _ => None,
    }
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|text| text.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{course, d};
    use crate::record::ProviderType;

    fn context() -> RecordContext {
        RecordContext {
            today: d(2025, 10, 1),
            teaches_main_programme: true,
        }
    }

    fn fields(problems: &[Problem]) -> Vec<(RecordField, Severity)> {
        problems.iter().map(|p| (p.field, p.severity)).collect()
    }

    #[test]
    fn a_complete_record_has_no_problem() {
        assert_eq!(validate_record(&course(), &context()), vec![]);
    }

    #[test]
    fn zero_hours_is_an_error_and_short_programmes_are_warnings() {
        let mut record = course();
        record.hours = 0;
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![(RecordField::Hours, Severity::Error)]
        );
        // 15 < 16: warned; 16 is the least volume itself: not warned.
        record.hours = 15;
        let problems = validate_record(&record, &context());
        assert_eq!(
            fields(&problems),
            vec![(RecordField::Hours, Severity::Warning)]
        );
        assert_eq!(
            problems[0].message,
            "Объём программы повышения квалификации — 15 ак. ч., а должен быть не меньше 16 ак. ч.: сверьте число часов с удостоверением."
        );
        record.hours = 16;
        assert_eq!(validate_record(&record, &context()), vec![]);
        // ПП of 249 hours: warned; a seminar of 2 hours: not.
        record.kind = TrainingKind::Retraining;
        record.hours = 249;
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![(RecordField::Hours, Severity::Warning)]
        );
        record.kind = TrainingKind::Seminar;
        record.hours = 2;
        assert_eq!(validate_record(&record, &context()), vec![]);
    }

    #[test]
    fn dates_out_of_order_are_errors() {
        let mut record = course();
        record.end = d(2025, 3, 9);
        record.issued = Some(d(2025, 3, 9));
        let problems = validate_record(&record, &context());
        assert_eq!(fields(&problems), vec![(RecordField::End, Severity::Error)]);
        assert_eq!(
            problems[0].message,
            "Окончание обучения (09.03.2025) раньше его начала (10.03.2025): проверьте даты."
        );
        // Issued the day before the end of study: an error; on the last day: fine.
        let mut record = course();
        record.issued = Some(d(2025, 3, 23));
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![(RecordField::Issued, Severity::Error)]
        );
        record.issued = Some(d(2025, 3, 24));
        assert_eq!(validate_record(&record, &context()), vec![]);
        // Enrolled after the end of study.
        let mut record = course();
        record.enrolled = Some(d(2025, 3, 25));
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![(RecordField::Enrolled, Severity::Error)]
        );
    }

    #[test]
    fn no_date_may_be_after_today() {
        let mut record = course();
        // Today is 01.10.2025: the issue date of 02.10.2025 is in the future, the end of
        // 01.10.2025 is not.
        record.end = d(2025, 10, 1);
        record.issued = Some(d(2025, 10, 2));
        let problems = validate_record(&record, &context());
        assert_eq!(
            fields(&problems),
            vec![(RecordField::Issued, Severity::Error)]
        );
        assert_eq!(
            problems[0].message,
            "Дата выдачи документа (02.10.2025) ещё не наступила: сведения вносят после окончания обучения — проверьте дату."
        );
    }

    #[test]
    fn a_course_without_its_document_is_warned_a_seminar_is_not() {
        let mut record = course();
        record.document_number = None;
        record.registration_number = Some(" ".to_owned());
        record.issued = None;
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![
                (RecordField::DocumentNumber, Severity::Warning),
                (RecordField::RegistrationNumber, Severity::Warning),
                (RecordField::Issued, Severity::Warning),
            ]
        );
        record.kind = TrainingKind::Seminar;
        assert_eq!(validate_record(&record, &context()), vec![]);
    }

    #[test]
    fn a_private_provider_from_september_2025_is_flagged_not_refused() {
        let mut record = course();
        record.provider_type = ProviderType::Private;
        record.start = d(2025, 9, 1);
        record.end = d(2025, 9, 20);
        record.issued = Some(d(2025, 9, 22));
        // Enrolled 31.08.2025, the day before the rule: not affected.
        record.enrolled = Some(d(2025, 8, 31));
        assert_eq!(validate_record(&record, &context()), vec![]);
        // Enrolled 01.09.2025: flagged.
        record.enrolled = Some(d(2025, 9, 1));
        let problems = validate_record(&record, &context());
        assert_eq!(
            fields(&problems),
            vec![(RecordField::ProviderType, Severity::Warning)]
        );
        assert_eq!(
            problems[0].message,
            "Организация — частная, зачисление 01.09.2025: с 01.09.2025 педагоги, реализующие основные общеобразовательные программы, проходят ДПО только в государственных и муниципальных организациях (зачисленных раньше это не касается). Проверьте тип организации."
        );
        // No enrolment date, start on 01.09.2025: flagged, asking for the enrolment date.
        record.enrolled = None;
        let problems = validate_record(&record, &context());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("укажите его дату"));
        // Not a teacher of a main programme, a municipal provider, or a seminar: not flagged.
        let mut other = record.clone();
        other.enrolled = Some(d(2025, 9, 1));
        let changes: [fn(&mut TrainingRecord, &mut RecordContext); 3] = [
            |_, context| context.teaches_main_programme = false,
            |record, _| record.provider_type = ProviderType::Municipal,
            |record, _| record.kind = TrainingKind::Seminar,
        ];
        for change in changes {
            let mut record = other.clone();
            let mut context = context();
            change(&mut record, &mut context);
            assert_eq!(validate_record(&record, &context), vec![]);
        }
        // An `other` provider is neither state nor municipal: flagged too.
        other.provider_type = ProviderType::Other;
        assert_eq!(validate_record(&other, &context()).len(), 1);
    }

    #[test]
    fn blank_text_fields_are_errors() {
        let mut record = course();
        record.programme = " ".to_owned();
        record.provider = String::new();
        record.areas = vec!["A2".to_owned(), String::new()];
        assert_eq!(
            fields(&validate_record(&record, &context())),
            vec![
                (RecordField::Programme, Severity::Error),
                (RecordField::Provider, Severity::Error),
                (RecordField::Areas, Severity::Error),
            ]
        );
    }
}
