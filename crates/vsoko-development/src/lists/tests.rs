//! The lists' rules, cases computed by hand (see the module). The date of every case is
//! 07.12.2026: school year 2026/2027, the next one 01.09.2027–31.08.2028.

use std::collections::BTreeSet;

use super::*;
use crate::fixtures::{course, d, record};
use crate::record::TrainingKind;

fn today() -> NaiveDate {
    d(2026, 12, 7)
}

fn answer(value: f64, lowest: f64, highest: f64) -> Option<RoleAnswer> {
    Some(RoleAnswer {
        value,
        lowest,
        highest,
    })
}

#[test]
fn motivation_needs_the_highest_option() {
    // ready3: 0 «Нет», 1 «Пока не решил(а)», 2 «Да».
    assert!(proposes(StaffList::Motivated, answer(2.0, 0.0, 2.0)));
    assert!(!proposes(StaffList::Motivated, answer(1.0, 0.0, 2.0)));
    assert!(!proposes(StaffList::Motivated, answer(0.0, 0.0, 2.0)));
    assert!(!proposes(StaffList::Motivated, None));
    assert!(!proposes(StaffList::Motivated, answer(f64::NAN, 0.0, 2.0)));
}

#[test]
fn a_tutor_offer_is_anything_above_the_lowest_option() {
    // tutor3: 0 «Нет», 1 «Да, по отдельным темам», 2 «Да».
    assert!(!proposes(StaffList::Tutors, answer(0.0, 0.0, 2.0)));
    assert!(proposes(StaffList::Tutors, answer(1.0, 0.0, 2.0)));
    assert!(proposes(StaffList::Tutors, answer(2.0, 0.0, 2.0)));
    // A value a hair above the lowest is the lowest at 6 decimals.
    assert!(!proposes(StaffList::Tutors, answer(1e-9, 0.0, 2.0)));
}

#[test]
fn a_consultation_is_asked_by_the_highest_option() {
    // yes_no: 0 «Нет», 1 «Да».
    assert!(proposes(StaffList::Consultation, answer(1.0, 0.0, 1.0)));
    assert!(!proposes(StaffList::Consultation, answer(0.0, 0.0, 1.0)));
}

#[test]
fn the_training_list_proposes_nobody_from_an_answer() {
    assert!(!proposes(StaffList::NeedsTraining, answer(1.0, 0.0, 1.0)));
}

#[test]
fn a_deficit_area_no_course_addresses_and_a_window_lapsing_next_year() {
    // The course of 25.03.2025 addresses A2 and counts at 07.12.2026; A3 has none. It leaves
    // the window on 25.03.2028, during 2027/2028.
    let areas = vec!["A2".to_owned(), "A3".to_owned()];
    assert_eq!(
        training_need(&areas, &[course()], today()),
        vec![
            TrainingNeed::Unaddressed(vec!["A3".to_owned()]),
            TrainingNeed::Window(Need::LeavesDuringYear { on: d(2028, 3, 25) }),
        ]
    );
}

#[test]
fn a_course_counting_through_next_year_addressing_every_deficit_leaves_nothing() {
    // Issued 01.09.2025: leaves on 01.09.2028, the day after 2027/2028 ends.
    let recent = record(TrainingKind::QualificationUpgrade, d(2025, 9, 1), |_| {});
    assert_eq!(
        training_need(&["A2".to_owned()], std::slice::from_ref(&recent), today()),
        Vec::new()
    );
    // Issued 31.08.2025: leaves on 31.08.2028, the last day of 2027/2028.
    let earlier = record(TrainingKind::QualificationUpgrade, d(2025, 8, 31), |_| {});
    assert_eq!(
        training_need(&[], &[earlier], today()),
        vec![TrainingNeed::Window(Need::LeavesDuringYear {
            on: d(2028, 8, 31)
        })]
    );
}

#[test]
fn a_seminar_is_not_a_course_and_a_document_of_the_bound_day_is_out() {
    let seminar = record(TrainingKind::Seminar, d(2026, 10, 1), |record| {
        record.areas = vec!["A3".to_owned()];
    });
    assert_eq!(
        training_need(&["A3".to_owned()], &[seminar], today()),
        vec![
            TrainingNeed::Unaddressed(vec!["A3".to_owned()]),
            TrainingNeed::Window(Need::NoTraining),
        ]
    );
    // Dated 07.12.2023: the bound at 07.12.2026 is 07.12.2023, outside; it left today.
    let old = record(TrainingKind::QualificationUpgrade, d(2023, 12, 7), |_| {});
    assert_eq!(
        training_need(&["A2".to_owned()], &[old], today()),
        vec![
            TrainingNeed::Unaddressed(vec!["A2".to_owned()]),
            TrainingNeed::Window(Need::Lapsed { on: d(2026, 12, 7) }),
        ]
    );
}

#[test]
fn a_document_dated_after_today_does_not_count_yet() {
    let future = record(TrainingKind::QualificationUpgrade, d(2027, 1, 20), |_| {});
    assert_eq!(
        training_need(&["A2".to_owned()], &[future], today()),
        vec![
            TrainingNeed::Unaddressed(vec!["A2".to_owned()]),
            TrainingNeed::Window(Need::NoTraining),
        ]
    );
}

#[test]
fn the_latest_mark_decides() {
    use EntryState as S;
    use ListMark as M;
    assert_eq!(entry_state(true, None), Some(S::Proposed));
    assert_eq!(entry_state(false, None), None);
    assert_eq!(entry_state(false, Some(M::Cleared)), None);
    assert_eq!(entry_state(true, Some(M::Cleared)), Some(S::Proposed));
    assert_eq!(entry_state(false, Some(M::OptedIn)), Some(S::Proposed));
    assert_eq!(entry_state(true, Some(M::Withdrawn)), None);
    assert_eq!(entry_state(false, Some(M::Confirmed)), Some(S::Confirmed));
    assert_eq!(entry_state(true, Some(M::Dismissed)), Some(S::Dismissed));
    assert_eq!(entry_state(true, Some(M::Answered)), Some(S::Answered));
    assert_eq!(entry_state(true, Some(M::Designated)), Some(S::Designated));
    assert_eq!(entry_state(true, Some(M::Undesignated)), Some(S::Confirmed));
    assert!(!S::Dismissed.listed());
    assert!(S::Designated.listed());
}

#[test]
fn who_may_mark_what() {
    use EntryState as S;
    use ListActor::{Head, Methodist, Owner};
    use ListMark as M;
    // Herself: only the motivated list.
    assert_eq!(
        list_marks(StaffList::Motivated, None, Owner),
        vec![M::OptedIn]
    );
    assert_eq!(
        list_marks(StaffList::Motivated, Some(S::Proposed), Owner),
        vec![M::Withdrawn]
    );
    for list in [
        StaffList::Tutors,
        StaffList::NeedsTraining,
        StaffList::Consultation,
    ] {
        for state in [None, Some(S::Proposed), Some(S::Confirmed)] {
            assert_eq!(list_marks(list, state, Owner), Vec::new(), "{list:?}");
        }
    }
    // The head: the motivated list is agreed whole, a name only dismissed.
    assert_eq!(
        list_marks(StaffList::Motivated, Some(S::Proposed), Head),
        vec![M::Dismissed]
    );
    assert_eq!(list_marks(StaffList::Motivated, None, Head), Vec::new());
    assert_eq!(
        list_marks(StaffList::NeedsTraining, Some(S::Proposed), Head),
        vec![M::Confirmed, M::Dismissed]
    );
    assert_eq!(
        list_marks(StaffList::Tutors, Some(S::Dismissed), Head),
        vec![M::Confirmed, M::Cleared]
    );
    // Designation: the methodist's, of a confirmed tutor only.
    assert_eq!(
        list_marks(StaffList::Tutors, Some(S::Proposed), Methodist),
        Vec::new()
    );
    assert_eq!(
        list_marks(StaffList::Tutors, Some(S::Confirmed), Methodist),
        vec![M::Designated]
    );
    assert_eq!(
        list_marks(StaffList::Tutors, Some(S::Designated), Head),
        Vec::new()
    );
    assert_eq!(
        list_marks(StaffList::Tutors, Some(S::Designated), Methodist),
        vec![M::Undesignated]
    );
    assert_eq!(
        list_marks(StaffList::NeedsTraining, Some(S::Proposed), Methodist),
        Vec::new()
    );
    // A consultation: the head or the methodist gives it.
    for actor in [Head, Methodist] {
        assert_eq!(
            list_marks(StaffList::Consultation, Some(S::Proposed), actor),
            vec![M::Answered]
        );
        assert_eq!(
            list_marks(StaffList::Consultation, Some(S::Answered), actor),
            vec![M::Cleared]
        );
    }
    assert!(M::Dismissed.needs_reason());
    assert!(!M::Answered.needs_reason());
}

#[test]
fn codes_read_back() {
    for list in StaffList::ALL {
        assert_eq!(StaffList::parse(list.code()), Some(list));
    }
    for mark in ListMark::ALL {
        assert_eq!(ListMark::parse(mark.code()), Some(mark));
    }
    assert_eq!(StaffList::parse("motivation"), None);
}

#[test]
fn an_agreement_holds_while_the_names_are_the_agreed_ones() {
    let set = |names: &[&'static str]| names.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(
        agreement_state(&set(&["Иванова", "Петрова"]), None),
        AgreementState::NotAgreed
    );
    assert_eq!(
        agreement_state(
            &set(&["Иванова", "Петрова"]),
            Some(&set(&["Петрова", "Иванова"]))
        ),
        AgreementState::Agreed
    );
    assert_eq!(
        agreement_state(
            &set(&["Иванова", "Сидорова"]),
            Some(&set(&["Иванова", "Петрова"]))
        ),
        AgreementState::Outdated {
            added: vec!["Сидорова"],
            left: vec!["Петрова"],
        }
    );
    assert_eq!(
        agreement_state::<&str>(&set(&[]), Some(&set(&[]))),
        AgreementState::Agreed
    );
}
