use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn name(key: &u32) -> String {
    format!("№ {key}")
}

fn area(
    code: &str,
    below: &[(u32, u32)],
    strong: &[(u32, f64)],
    tutors: &[(u32, u32)],
) -> AreaDemand<u32, u32> {
    AreaDemand {
        code: code.to_owned(),
        title: format!("Область {code}"),
        below: below.to_vec(),
        strong: strong.to_vec(),
        tutors: tutors.to_vec(),
    }
}

/// Four kindergartens: A2 in demand in two (10 teachers), strong in № 3 and № 4; A4 in demand
/// in one (3) with nobody strong; A1 (2) strong in № 3; A3 without demand. Tutors: one in № 3,
/// two in № 4. A confirmed pair № 2 ← № 4 in A2.
fn input() -> PlanInput<u32, u32> {
    PlanInput {
        year: SchoolYear::starting(2026),
        areas: vec![
            area("A1", &[(1, 2)], &[(3, 80.0)], &[(3, 31)]),
            area(
                "A2",
                &[(1, 4), (2, 6)],
                &[(3, 75.0), (4, 82.0)],
                &[(4, 41), (4, 42)],
            ),
            area("A3", &[], &[(1, 90.0)], &[]),
            area("A4", &[(2, 3)], &[], &[]),
        ],
        tutors: vec![(3, 31), (4, 41), (4, 42)],
        pairs: vec![("A2".to_owned(), 2, 4)],
    }
}

#[test]
fn modules_go_to_the_areas_with_the_most_teachers_per_module() {
    assert_eq!(modules_per_area(&[10, 3, 2]), vec![6, 1, 1]);
    assert_eq!(modules_per_area(&[4, 4]), vec![4, 4]);
    // 5/2 > 4/2, 4/2 > 5/3, 5/3 > 4/3, 4/3 > 5/4, 5/4 > 4/4, then a tie: the earlier area.
    assert_eq!(modules_per_area(&[5, 4]), vec![5, 3]);
    assert_eq!(modules_per_area(&[6, 3]), vec![6, 2]);
    assert_eq!(modules_per_area(&[1]), vec![8]);
    assert_eq!(modules_per_area(&[]), Vec::<u32>::new());
    assert_eq!(modules_per_area(&[1; 9]), vec![1, 1, 1, 1, 1, 1, 1, 1, 0]);
}

#[test]
fn the_proposal_is_these_rows_with_their_reasoning() {
    let proposal = propose_plan(&input(), name);
    let rows: Vec<(u32, &str, NaiveDate, Option<u32>, &str)> = proposal
        .events
        .iter()
        .map(|e| (e.id, e.format.code(), e.month, e.host, e.reasoning.as_str()))
        .collect();
    let a2 = "2 ДОО и 10 педагогов с дефицитом по области A2";
    let tutors = "3 тьютора в 2 ДОО подтверждены заведующими; трек 24 ак. ч. готовит тьюторов сопровождать коллег на местах";
    let expected = vec![
        (1, "course_module", day(2026, 10, 1), Some(4), format!("{a2}; ведущая ДОО — № 4, сильная сторона; модуль 1 из 6 по области")),
        (2, "seminar", day(2026, 10, 1), Some(4), tutors.to_owned()),
        (3, "course_module", day(2026, 11, 1), Some(3), format!("{a2}; ведущая ДОО — № 3, сильная сторона; модуль 2 из 6 по области")),
        (4, "internship", day(2026, 11, 1), Some(4), "подтверждённая наставническая пара: № 2 — дефицит по области A2, № 4 — сильная сторона".to_owned()),
        (5, "course_module", day(2026, 12, 1), Some(4), format!("{a2}; ведущая ДОО — № 4, сильная сторона; модуль 3 из 6 по области")),
        (6, "workshop", day(2026, 12, 1), Some(4), tutors.to_owned()),
        (7, "course_module", day(2027, 1, 1), Some(3), format!("{a2}; ведущая ДОО — № 3, сильная сторона; модуль 4 из 6 по области")),
        (8, "course_module", day(2027, 2, 1), Some(4), format!("{a2}; ведущая ДОО — № 4, сильная сторона; модуль 5 из 6 по области")),
        (9, "master_class", day(2027, 2, 1), Some(3), tutors.to_owned()),
        (10, "course_module", day(2027, 3, 1), Some(3), format!("{a2}; ведущая ДОО — № 3, сильная сторона; модуль 6 из 6 по области")),
        (11, "course_module", day(2027, 4, 1), None, "1 ДОО и 3 педагога с дефицитом по области A4; сильной ДОО по области нет — проводит методист".to_owned()),
        (12, "workshop", day(2027, 4, 1), Some(4), tutors.to_owned()),
        (13, "course_module", day(2027, 5, 1), Some(3), "1 ДОО и 2 педагога с дефицитом по области A1; ведущая ДОО — № 3, сильная сторона".to_owned()),
    ];
    let expected: Vec<(u32, &str, NaiveDate, Option<u32>, &str)> = expected
        .iter()
        .map(|(id, code, month, host, why)| (*id, *code, *month, *host, why.as_str()))
        .collect();
    assert_eq!(rows, expected);
    assert!(proposal.notes.is_empty(), "{:?}", proposal.notes);
    // One tutor: the verb agrees.
    let mut one = input();
    one.tutors.truncate(1);
    assert!(
        propose_plan(&one, name).events[1]
            .reasoning
            .starts_with("1 тьютор в 1 ДОО подтверждён заведующими;")
    );
}

#[test]
fn the_course_is_48_hours_and_the_tutor_track_24() {
    let proposal = propose_plan(&input(), name);
    let hours = |format: &[EventFormat]| -> u32 {
        proposal
            .events
            .iter()
            .filter(|e| format.contains(&e.format))
            .map(|e| e.hours)
            .sum()
    };
    assert_eq!(hours(&[EventFormat::CourseModule]), COURSE_HOURS);
    assert_eq!(
        hours(&[
            EventFormat::Seminar,
            EventFormat::Workshop,
            EventFormat::MasterClass
        ]),
        TUTOR_HOURS
    );
}

#[test]
fn seats_leaders_and_participants_come_from_the_matrix() {
    let proposal = propose_plan(&input(), name);
    let first = &proposal.events[0];
    assert_eq!(
        first.topic,
        "Модуль 1 курса «Цифровая компетентность педагога ДОО» (48 ак. ч.): Область A2"
    );
    assert_eq!(
        first.seats,
        vec![
            Seats {
                kindergarten: 1,
                seats: 4
            },
            Seats {
                kindergarten: 2,
                seats: 6
            }
        ]
    );
    assert_eq!(first.capacity(), 10);
    assert_eq!(first.leaders, vec![41, 42]);
    assert_eq!(first.responsible, "");
    assert_eq!(first.areas, vec!["A2".to_owned()]);
    // Module 2 in № 3, which has no tutor in A2: its head answers.
    assert_eq!(proposal.events[2].leaders, Vec::<u32>::new());
    assert_eq!(proposal.events[2].responsible, "заведующий № 3");
    // Nobody strong in A4: the department.
    assert_eq!(proposal.events[10].responsible, DEPARTMENT_LEAD);
    let track = &proposal.events[1];
    assert_eq!(track.participants, vec![31, 41, 42]);
    assert_eq!(track.areas, vec!["A2", "A4", "A1"]);
    let internship = &proposal.events[3];
    assert_eq!(internship.topic, "Стажировка на базе № 4: Область A2");
    assert_eq!(
        internship.seats,
        vec![Seats {
            kindergarten: 2,
            seats: 6
        }]
    );
    assert_eq!(internship.leaders, vec![41, 42]);
}

#[test]
fn without_deficits_or_tutors_the_notes_say_why() {
    let mut input = input();
    for area in &mut input.areas {
        area.below.clear();
    }
    input.tutors.clear();
    input.pairs.clear();
    let proposal = propose_plan(&input, name);
    assert!(proposal.events.is_empty());
    assert_eq!(
        proposal.notes,
        vec![
            "Курс для педагогов не предложен: ни у одного педагога нет дефицита ни по одной области.",
            "Трек педагогов-тьюторов не предложен: в сети нет тьюторов, подтверждённых заведующими."
        ]
    );
}

#[test]
fn an_internship_without_a_module_comes_in_november_with_one_seat_at_least() {
    let mut input = input();
    input.pairs = vec![("A3".to_owned(), 2, 1)];
    let proposal = propose_plan(&input, name);
    let internship = proposal
        .events
        .iter()
        .find(|e| e.format == EventFormat::Internship)
        .unwrap();
    assert_eq!(internship.month, day(2026, 11, 1));
    assert_eq!(
        internship.seats,
        vec![Seats {
            kindergarten: 2,
            seats: 1
        }]
    );
    assert_eq!(internship.responsible, "заведующий № 1");
}

#[test]
fn an_event_is_checked_field_by_field() {
    let year = SchoolYear::starting(2026);
    let mut event = propose_plan(&input(), name).events.remove(0);
    assert!(check_event(&event, year, &["A1", "A2"]).is_empty());
    event.topic = "  ".to_owned();
    event.month = day(2027, 9, 1);
    event.date = Some(day(2027, 10, 3));
    event.hours = 0;
    event.areas = vec!["Z9".to_owned()];
    event.seats[0].seats = 0;
    let fields: Vec<&str> = check_event(&event, year, &["A1", "A2"])
        .iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(
        fields,
        vec!["topic", "month", "date", "hours", "areas", "seats"]
    );
    event.hours = MAX_EVENT_HOURS;
    event.month = day(2027, 8, 1);
    event.date = Some(day(2027, 8, 31));
    assert!(
        !check_event(&event, year, &["A1", "A2"])
            .iter()
            .any(|p| ["hours", "month", "date"].contains(&p.field))
    );
    event.hours = MAX_EVENT_HOURS + 1;
    assert!(
        check_event(&event, year, &[])
            .iter()
            .any(|p| p.field == "hours")
    );
}

#[test]
fn agreements_and_reasons() {
    assert_eq!(plan_agreement(None, 3), PlanAgreement::NotAgreed);
    assert_eq!(plan_agreement(Some(3), 3), PlanAgreement::Agreed);
    assert_eq!(plan_agreement(Some(2), 3), PlanAgreement::ChangedSince);
    assert!(!change_needs_reason(0));
    assert!(change_needs_reason(1));
}

#[test]
fn attendance_credits_the_hours_attended() {
    assert_eq!(credited_hours(6, 6), Ok(6));
    assert_eq!(credited_hours(6, 3), Ok(3));
    assert_eq!(credited_hours(6, 1), Ok(1));
    assert_eq!(
        credited_hours(6, 0),
        Err(AttendanceError::Hours {
            planned: 6,
            given: 0
        })
    );
    assert_eq!(
        credited_hours(6, 7),
        Err(AttendanceError::Hours {
            planned: 6,
            given: 7
        })
    );
    let year = SchoolYear::starting(2026);
    assert!(held_day_valid(day(2026, 10, 5), year, day(2026, 10, 5)));
    assert!(!held_day_valid(day(2026, 10, 6), year, day(2026, 10, 5)));
    assert!(!held_day_valid(day(2026, 8, 31), year, day(2026, 10, 5)));
}

#[test]
fn an_attendance_writes_a_record_of_the_event_kind() {
    let proposal = propose_plan(&input(), name);
    let module = &proposal.events[0];
    let record = attendance_record(module, "Управление образования", day(2026, 10, 14), 4);
    assert_eq!(record.kind, TrainingKind::Other);
    assert_eq!(record.hours, 4);
    assert_eq!(
        (record.start, record.end),
        (day(2026, 10, 14), day(2026, 10, 14))
    );
    assert_eq!(record.areas, vec!["A2".to_owned()]);
    assert_eq!(record.provider_type, ProviderType::Municipal);
    assert!(record.programme.ends_with("(модуль КПК)"));
    assert!(!record.kind.is_dpo());
    assert_eq!(
        attendance_record(&proposal.events[3], "У", day(2026, 11, 2), 6).kind,
        TrainingKind::Internship
    );
    assert_eq!(
        attendance_record(&proposal.events[1], "У", day(2026, 10, 2), 6).kind,
        TrainingKind::Seminar
    );
}

#[test]
fn the_format_codes_round_trip() {
    for format in EventFormat::ALL {
        assert_eq!(EventFormat::parse(format.code()), Some(format));
    }
    assert_eq!(EventFormat::parse("lecture"), None);
}
