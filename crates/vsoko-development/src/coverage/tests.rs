use super::*;
use crate::calendar::SchoolYear;
use crate::fixtures::{d, member, record};
use crate::record::StaffCategory::{Management, Teacher};

type Records = BTreeMap<&'static str, Vec<TrainingRecord>>;
type Deficits = BTreeMap<&'static str, BTreeSet<String>>;

fn areas(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|code| (*code).to_owned()).collect()
}

fn codes(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|code| (*code).to_owned()).collect()
}

/// Kindergarten «a»: t1, t2, t3 teachers, t4 an inactive teacher, m1 management.
/// Kindergarten «b»: t5, t6 teachers, and t3 again.
fn staff() -> Vec<StaffMember<&'static str, &'static str>> {
    vec![
        member("t1", "a", Teacher, true),
        member("t2", "a", Teacher, true),
        member("t3", "a", Teacher, true),
        member("t4", "a", Teacher, false),
        member("m1", "a", Management, true),
        member("t5", "b", Teacher, true),
        member("t6", "b", Teacher, true),
        member("t3", "b", Teacher, true),
    ]
}

fn records() -> Records {
    use TrainingKind::{QualificationUpgrade as Pk, Retraining as Pp, Seminar};
    BTreeMap::from([
        // Exactly 36 months before 31.05.2025: out, and it cannot address t1's deficit.
        (
            "t1",
            vec![record(Pk, d(2022, 5, 31), |r| r.areas = codes(&["A2"]))],
        ),
        // A day later: in; not in the window 2024/2025.
        (
            "t2",
            vec![record(Pk, d(2022, 6, 1), |r| r.areas = codes(&["A3"]))],
        ),
        // Two courses in the window: очная without ДОТ, 72 h, state, on the register; заочная
        // with ДОТ, 36 h, private, not on the register.
        (
            "t3",
            vec![
                record(Pk, d(2024, 10, 15), |r| r.areas.clear()),
                record(Pk, d(2025, 2, 20), |r| {
                    r.areas.clear();
                    r.form = StudyForm::PartTime;
                    r.distance = true;
                    r.hours = 36;
                    r.provider_type = ProviderType::Private;
                    r.federal_register = false;
                }),
            ],
        ),
        // Inactive: a course in the window counts nowhere.
        ("t4", vec![record(Pk, d(2025, 3, 1), |_| {})]),
        // ПП, очно-заочная, 300 h, municipal, on the register.
        (
            "m1",
            vec![record(Pp, d(2025, 1, 10), |r| {
                r.form = StudyForm::Mixed;
                r.hours = 300;
                r.provider_type = ProviderType::Municipal;
            })],
        ),
        // A seminar: addresses A2, covers nothing.
        (
            "t5",
            vec![record(Seminar, d(2025, 4, 1), |r| r.areas = codes(&["A2"]))],
        ),
        // Dated after the report's date: not known at 31.05.2025.
        ("t6", vec![record(Pk, d(2025, 6, 10), |_| {})]),
    ])
}

fn deficits() -> Deficits {
    BTreeMap::from([
        ("t1", areas(&["A2", "A3"])),
        ("t2", areas(&["A3"])),
        ("t4", areas(&["A2"])),
        ("t5", areas(&["A2"])),
    ])
}

fn report_at(at: NaiveDate) -> CoverageReport<&'static str> {
    let (staff, records, deficits) = (staff(), records(), deficits());
    // The default window: the school year containing `at`.
    coverage(&CoverageInput::new(&staff, &records, &deficits, at))
}

fn tally(people: u32, records: u32) -> Tally {
    Tally { people, records }
}

#[test]
fn the_network_counts_active_people_once_and_only_courses_within_36_months() {
    let report = report_at(d(2025, 5, 31));
    let teachers = &report.network.teachers;
    // Active teachers: t1, t2, t3, t5, t6 = 5 (t4 is inactive, t3 is in two kindergartens).
    assert_eq!(teachers.active, 5);
    // Covered: t2 (01.06.2022) and t3; not t1 (31.05.2022, the bound), t5 (a seminar), t6
    // (after the date).
    assert_eq!(teachers.covered, 2);
    assert_eq!(
        teachers.covered_share().map(Share::text),
        Some("40\u{a0}%".to_owned())
    );
    // Management: m1, covered by the ПП.
    assert_eq!(report.network.management.active, 1);
    assert_eq!(report.network.management.covered, 1);
}

#[test]
fn a_person_with_two_courses_counts_once_and_each_record_once() {
    let report = report_at(d(2025, 5, 31));
    let window = &report.network.teachers.window;
    // Only t3 trained in 2024/2025: 1 person, 2 records, 72 + 36 = 108 hours.
    assert_eq!((window.people, window.records, window.hours), (1, 2, 108));
    assert_eq!(window.hours_per_person(), Some(108.0));
    // One of the two used ДОТ: t3 is «с применением ДОТ».
    assert_eq!(
        window.delivery,
        Delivery {
            in_person: 0,
            distance: 1
        }
    );
    assert_eq!(window.distance_records, 1);
    // The breakdowns count t3 in each group one of the records is in.
    assert_eq!(
        window.by_kind[&TrainingKind::QualificationUpgrade],
        tally(1, 2)
    );
    assert_eq!(window.by_kind[&TrainingKind::Retraining], tally(0, 0));
    assert_eq!(window.by_form[&StudyForm::FullTime], tally(1, 1));
    assert_eq!(window.by_form[&StudyForm::PartTime], tally(1, 1));
    assert_eq!(window.by_form[&StudyForm::Mixed], tally(0, 0));
    assert_eq!(window.by_provider[&ProviderType::State], tally(1, 1));
    assert_eq!(window.by_provider[&ProviderType::Private], tally(1, 1));
    assert_eq!(window.by_provider[&ProviderType::Municipal], tally(0, 0));
    assert_eq!(window.on_register, tally(1, 1));
    // Management: m1's ПП, 300 hours, without ДОТ.
    let management = &report.network.management.window;
    assert_eq!(
        (management.people, management.records, management.hours),
        (1, 1, 300)
    );
    assert_eq!(
        management.delivery,
        Delivery {
            in_person: 1,
            distance: 0
        }
    );
    assert_eq!(management.by_kind[&TrainingKind::Retraining], tally(1, 1));
    assert_eq!(management.by_form[&StudyForm::Mixed], tally(1, 1));
    assert_eq!(
        management.by_provider[&ProviderType::Municipal],
        tally(1, 1)
    );
}

#[test]
fn each_kindergarten_counts_its_own_active_staff() {
    let report = report_at(d(2025, 5, 31));
    let names: Vec<&str> = report
        .kindergartens
        .iter()
        .map(|k| k.kindergarten)
        .collect();
    assert_eq!(names, ["a", "b"]);
    let a = &report.kindergartens[0].coverage;
    let b = &report.kindergartens[1].coverage;
    // a: t1, t2, t3 (t4 inactive); covered t2, t3.
    assert_eq!((a.teachers.active, a.teachers.covered), (3, 2));
    assert_eq!(a.teachers.window.people, 1);
    assert_eq!((a.management.active, a.management.covered), (1, 1));
    // b: t5, t6, t3; covered t3 only.
    assert_eq!((b.teachers.active, b.teachers.covered), (3, 1));
    assert_eq!(b.teachers.window.people, 1);
    assert_eq!((b.management.active, b.management.covered), (0, 0));
    assert_eq!(b.management.window.people, 0);
    assert_eq!(b.management.covered_share(), None);
}

#[test]
fn a_later_date_knows_a_later_course() {
    // At 30.06.2025 the bound is 30.06.2022: t2's course of 01.06.2022 is out now, and t6's of
    // 10.06.2025 is known. Covered: t3 and t6; trained in 2024/2025: t3 (with ДОТ) and t6
    // (without).
    let report = report_at(d(2025, 6, 30));
    let teachers = &report.network.teachers;
    assert_eq!(teachers.covered, 2);
    assert_eq!(teachers.window.people, 2);
    assert_eq!(
        teachers.window.delivery,
        Delivery {
            in_person: 1,
            distance: 1
        }
    );
}

#[test]
fn addressing_counts_training_of_any_kind_within_36_months() {
    let report = report_at(d(2025, 5, 31));
    // A2: t1 (her course of 31.05.2022 is out) and t5 (her seminar addresses A2): 1 of 2.
    // A3: t1 and t2 (his course of 01.06.2022 addresses A3 and is in): 1 of 2. t4 is inactive.
    assert_eq!(
        report.network.teachers.addressing,
        vec![
            AreaAddressing {
                area: "A2".to_owned(),
                with_deficit: 2,
                addressed: 1
            },
            AreaAddressing {
                area: "A3".to_owned(),
                with_deficit: 2,
                addressed: 1
            },
        ]
    );
    // Pairs: 2 addressed of 4.
    assert_eq!(report.network.teachers.addressed_share(), Share::new(2, 4));
    // Kindergarten a: A2 t1 (0 of 1), A3 t1, t2 (1 of 2).
    assert_eq!(
        report.kindergartens[0].coverage.teachers.addressing,
        vec![
            AreaAddressing {
                area: "A2".to_owned(),
                with_deficit: 1,
                addressed: 0
            },
            AreaAddressing {
                area: "A3".to_owned(),
                with_deficit: 2,
                addressed: 1
            },
        ]
    );
}

#[test]
fn a_person_with_any_distance_record_is_counted_with_distance() {
    use TrainingKind::QualificationUpgrade as Pk;
    let staff = vec![
        member("p1", "a", Teacher, true),
        member("p2", "a", Teacher, true),
        member("p3", "a", Teacher, true),
        member("p4", "a", Teacher, true),
    ];
    let records: Records = BTreeMap::from([
        // p1: one course without ДОТ, one with: «с ДОТ».
        (
            "p1",
            vec![
                record(Pk, d(2024, 11, 1), |_| {}),
                record(Pk, d(2025, 4, 1), |r| {
                    r.form = StudyForm::PartTime;
                    r.distance = true;
                }),
            ],
        ),
        // p2: without ДОТ only: «очно».
        ("p2", vec![record(Pk, d(2025, 2, 1), |_| {})]),
        // p3: an очная course with ДОТ: «с ДОТ», whatever the form.
        ("p3", vec![record(Pk, d(2025, 3, 1), |r| r.distance = true)]),
        // p4: trained before the window.
        ("p4", vec![record(Pk, d(2024, 8, 31), |_| {})]),
    ]);
    let report = coverage(&CoverageInput {
        staff: &staff,
        records: &records,
        deficits: &Deficits::new(),
        at: d(2025, 5, 31),
        window: SchoolYear::starting(2024).range(),
    });
    let window = &report.network.teachers.window;
    assert_eq!(window.people, 3);
    assert_eq!(
        window.delivery,
        Delivery {
            in_person: 1,
            distance: 2
        }
    );
    // 1/3 = 33,33 and 2/3 = 66,67: floors 33 + 66, the larger remainder is the second: 33 / 67.
    let (in_person, distance) = window.delivery.split();
    assert_eq!(
        (in_person.to_string(), distance.to_string()),
        ("33\u{a0}%".to_owned(), "67\u{a0}%".to_owned())
    );
    // By form the people overlap (p1 in both): очная 3 people, заочная 1; records 3 + 1 = 4,
    // split 75 / 25 / 0.
    assert_eq!(window.by_form[&StudyForm::FullTime], tally(3, 3));
    assert_eq!(window.by_form[&StudyForm::PartTime], tally(1, 1));
    let split: Vec<String> = window
        .form_split()
        .iter()
        .map(|(_, p)| p.to_string())
        .collect();
    assert_eq!(split, ["75\u{a0}%", "25\u{a0}%", "0\u{a0}%"]);
    // Everyone of the four is covered (p4's course of 31.08.2024 is within 36 months).
    assert_eq!(report.network.teachers.covered, 4);
}
