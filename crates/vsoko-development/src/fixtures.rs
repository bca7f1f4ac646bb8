//! Test data shared by the modules' tests.

use chrono::NaiveDate;

use crate::record::{
    ProviderType, StaffCategory, StaffMember, StudyForm, TrainingKind, TrainingRecord,
};

/// A date that exists.
pub(crate) fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
}

/// A complete ПК of 72 hours at a state provider, on the register, очно without ДОТ,
/// 10–24.03.2025, issued 25.03.2025, addressing area A2.
pub(crate) fn course() -> TrainingRecord {
    TrainingRecord {
        kind: TrainingKind::QualificationUpgrade,
        programme: "Цифровые образовательные ресурсы в ДОО".to_owned(),
        provider: "ГАУ ДПО «Институт развития образования»".to_owned(),
        provider_type: ProviderType::State,
        federal_register: true,
        hours: 72,
        start: d(2025, 3, 10),
        end: d(2025, 3, 24),
        enrolled: Some(d(2025, 3, 7)),
        form: StudyForm::FullTime,
        distance: false,
        document_number: Some("772400012345".to_owned()),
        registration_number: Some("1234".to_owned()),
        issued: Some(d(2025, 3, 25)),
        areas: vec!["A2".to_owned()],
    }
}

/// [`course`] of `kind` issued on `issued` (study ends the day before, starts two weeks before),
/// changed by `change`.
pub(crate) fn record(
    kind: TrainingKind,
    issued: NaiveDate,
    change: impl FnOnce(&mut TrainingRecord),
) -> TrainingRecord {
    let end = issued.pred_opt().expect("a day before");
    let mut record = TrainingRecord {
        kind,
        start: end - chrono::Days::new(14),
        end,
        enrolled: None,
        issued: Some(issued),
        ..course()
    };
    change(&mut record);
    record
}

/// An active or inactive row of the staff list.
pub(crate) fn member(
    person: &'static str,
    kindergarten: &'static str,
    category: StaffCategory,
    active: bool,
) -> StaffMember<&'static str, &'static str> {
    StaffMember {
        person,
        kindergarten,
        category,
        active,
    }
}
