use super::*;
use crate::fixtures::{course, d, record};

use RouteAction::{Approve, Close, Complete, Return, Submit};
use RouteActor::{Head, Methodist, Owner};
use RouteStatus::{Approved, Closed, Done, Draft, Submitted};

#[test]
fn codes_read_back_and_labels_are_russian() {
    for form in RouteForm::ALL {
        assert_eq!(RouteForm::parse(form.code()), Some(form));
    }
    for status in RouteStatus::ALL {
        assert_eq!(RouteStatus::parse(status.code()), Some(status));
    }
    for action in RouteAction::ALL {
        assert_eq!(RouteAction::parse(action.code()), Some(action));
    }
    assert_eq!(RouteForm::parse("self_study"), Some(RouteForm::SelfStudy));
    assert_eq!(RouteForm::SelfStudy.label(), "самообразование");
    assert_eq!(RouteForm::Course.label(), "КПК");
    assert_eq!(RouteStatus::parse("submitted"), Some(Submitted));
    assert_eq!(Approved.label(), "утверждён");
    assert_eq!(RouteAction::parse("return"), Some(Return));
    assert_eq!(Complete.label(), "Отметить выполненным");
    assert_eq!(RouteForm::parse("Course"), None);
    assert_eq!(RouteStatus::parse(""), None);
    assert_eq!(RouteAction::parse("reject"), None);
}

/// Every transition the table allows, and nothing else.
const ALLOWED: [(RouteStatus, RouteAction, RouteActor, RouteStatus); 9] = [
    (Draft, Submit, Owner, Submitted),
    (Draft, Submit, Head, Submitted),
    (Submitted, Approve, Head, Approved),
    (Submitted, Return, Head, Draft),
    (Approved, Complete, Head, Done),
    (Approved, Complete, Methodist, Done),
    (Approved, Close, Head, Closed),
    (Approved, Close, Methodist, Closed),
    (Done, Close, Head, Closed),
];

#[test]
fn every_allowed_transition_leads_where_the_table_says() {
    for (status, action, actor, to) in ALLOWED {
        assert_eq!(
            transition(status, action, actor),
            Ok(to),
            "{status:?} {action:?} {actor:?}"
        );
    }
    // Done → Closed by the methodist too.
    assert_eq!(transition(Done, Close, Methodist), Ok(Closed));
}

#[test]
fn every_other_combination_is_refused() {
    let mut accepted = 0;
    for status in RouteStatus::ALL {
        for action in RouteAction::ALL {
            for actor in RouteActor::ALL {
                let result = transition(status, action, actor);
                let listed = ALLOWED
                    .iter()
                    .any(|&(s, a, who, _)| (s, a, who) == (status, action, actor))
                    || (status, action, actor) == (Done, Close, Methodist);
                assert_eq!(result.is_ok(), listed, "{status:?} {action:?} {actor:?}");
                accepted += usize::from(result.is_ok());
            }
        }
    }
    // 5 statuses × 5 actions × 3 actors = 75 combinations, 10 accepted.
    assert_eq!(accepted, 10);
}

#[test]
fn a_refusal_says_first_whether_the_action_applies_then_who_may() {
    // Applies, wrong actor.
    assert_eq!(
        transition(Draft, Submit, Methodist),
        Err(TransitionError::NotBy {
            action: Submit,
            actor: Methodist
        })
    );
    assert_eq!(
        transition(Submitted, Approve, Methodist),
        Err(TransitionError::NotBy {
            action: Approve,
            actor: Methodist
        })
    );
    assert_eq!(
        transition(Submitted, Return, Owner),
        Err(TransitionError::NotBy {
            action: Return,
            actor: Owner
        })
    );
    assert_eq!(
        transition(Done, Close, Owner),
        Err(TransitionError::NotBy {
            action: Close,
            actor: Owner
        })
    );
    // Does not apply: «not from» even when the actor could not take it anyway.
    assert_eq!(
        transition(Approved, Submit, Methodist),
        Err(TransitionError::NotFrom {
            action: Submit,
            status: Approved
        })
    );
    assert_eq!(
        transition(Draft, Approve, Owner),
        Err(TransitionError::NotFrom {
            action: Approve,
            status: Draft
        })
    );
    assert_eq!(
        transition(Done, Complete, Head),
        Err(TransitionError::NotFrom {
            action: Complete,
            status: Done
        })
    );
    assert_eq!(
        transition(Closed, Close, Head),
        Err(TransitionError::NotFrom {
            action: Close,
            status: Closed
        })
    );
    assert_eq!(
        transition(Draft, Return, Head),
        Err(TransitionError::NotFrom {
            action: Return,
            status: Draft
        })
    );
}

#[test]
fn the_owner_never_approves_her_own_route() {
    for status in RouteStatus::ALL {
        let refused = transition(status, Approve, Owner);
        assert!(refused.is_err(), "{status:?}");
        assert!(
            !route_actions(status, Owner).contains(&Approve),
            "{status:?}"
        );
    }
    // Where approval applies, the refusal is about who.
    assert_eq!(
        transition(Submitted, Approve, Owner),
        Err(TransitionError::NotBy {
            action: Approve,
            actor: Owner
        })
    );
}

#[test]
fn refusals_read_as_russian_sentences() {
    assert_eq!(
        transition(Approved, Submit, Owner)
            .expect_err("refused")
            .to_string(),
        "маршрут в статусе «утверждён» нельзя отправить на согласование"
    );
    assert_eq!(
        transition(Submitted, Approve, Owner)
            .expect_err("refused")
            .to_string(),
        "утвердить маршрут может только заведующий"
    );
    assert_eq!(
        transition(Draft, Submit, Methodist)
            .expect_err("refused")
            .to_string(),
        "отправить маршрут на согласование может только сам педагог или заведующий"
    );
    assert_eq!(
        transition(Approved, Complete, Owner)
            .expect_err("refused")
            .to_string(),
        "отметить маршрут выполненным может только заведующий или методист"
    );
    assert_eq!(
        transition(Closed, Close, Methodist)
            .expect_err("refused")
            .to_string(),
        "маршрут в статусе «закрыт» нельзя закрыть"
    );
    assert_eq!(
        transition(Draft, Return, Head)
            .expect_err("refused")
            .to_string(),
        "маршрут в статусе «черновик» нельзя вернуть на доработку"
    );
}

#[test]
fn actions_are_the_buttons_each_actor_may_press_now() {
    assert_eq!(route_actions(Draft, Owner), [Submit]);
    assert_eq!(route_actions(Draft, Head), [Submit]);
    assert_eq!(route_actions(Draft, Methodist), []);
    assert_eq!(route_actions(Submitted, Head), [Approve, Return]);
    assert_eq!(route_actions(Submitted, Owner), []);
    assert_eq!(route_actions(Submitted, Methodist), []);
    assert_eq!(route_actions(Approved, Methodist), [Complete, Close]);
    assert_eq!(route_actions(Approved, Head), [Complete, Close]);
    assert_eq!(route_actions(Approved, Owner), []);
    assert_eq!(route_actions(Done, Head), [Close]);
    for actor in RouteActor::ALL {
        assert_eq!(route_actions(Closed, actor), [], "{actor:?}");
    }
}

fn node(code: &str, title: &str, area: &str, recommendation: Option<&str>) -> DeficitNode {
    DeficitNode {
        code: code.to_owned(),
        title: title.to_owned(),
        is_area: code == area,
        area: area.to_owned(),
        score: 40.0,
        recommendation: recommendation.map(str::to_owned),
    }
}

fn areas(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|code| (*code).to_owned()).collect()
}

#[test]
fn the_plan_has_a_row_per_deficit_area_and_per_indicator_outside_them() {
    let deficits = [
        node("A1", "Социально-коммуникативное развитие", "A1", None),
        node("A1.2", "Игровая деятельность", "A1", None),
        node(
            "A2",
            "Речевое развитие",
            "A2",
            Some("Пройти КПК по развитию речи"),
        ),
        node(
            "A3.1",
            "Экспериментирование",
            "A3",
            Some("Посетить открытые занятия коллег"),
        ),
        // Listed after its area's row: still folded into it, in input order.
        node("A1.3", "Взаимодействие с семьёй", "A1", None),
    ];
    let today = d(2025, 10, 15);
    let trainings = [
        // A1: a ПК issued on 15.10.2022 = today − 36 months, the bound itself: out of the window.
        (
            "old",
            record(TrainingKind::QualificationUpgrade, d(2022, 10, 15), |r| {
                r.areas = areas(&["A1"]);
            }),
        ),
        // A2: the fixture ПК, 10–24.03.2025, issued 25.03.2025: covers, ended before today.
        ("new", course()),
        // A2 too, issued 20.01.2024: covers, but the one of 2025 is later.
        (
            "earlier",
            record(TrainingKind::QualificationUpgrade, d(2024, 1, 20), |r| {
                r.areas = areas(&["A2"]);
            }),
        ),
        // A3.1: a seminar is no ДПО.
        (
            "seminar",
            record(TrainingKind::Seminar, d(2025, 6, 10), |r| {
                r.areas = areas(&["A3.1"]);
            }),
        ),
    ];
    let rows = propose_rows(&deficits, &trainings, SchoolYear::starting(2025), today);
    assert_eq!(
        rows,
        [
            PlanRow {
                deficit: "A1".to_owned(),
                deficit_title: "Социально-коммуникативное развитие".to_owned(),
                task: "Повысить уровень по области «Социально-коммуникативное развитие», \
                       в том числе: «Игровая деятельность», «Взаимодействие с семьёй»"
                    .to_owned(),
                activity: "Изучить методические материалы по теме «Социально-коммуникативное \
                           развитие» и применить в работе с детьми"
                    .to_owned(),
                form: RouteForm::Course,
                due: d(2026, 5, 31),
                result: "Удостоверение о повышении квалификации; самооценка по области не ниже \
                         порога дефицита в мае"
                    .to_owned(),
                training: None,
                done: false,
            },
            PlanRow {
                deficit: "A2".to_owned(),
                deficit_title: "Речевое развитие".to_owned(),
                task: "Повысить уровень по области «Речевое развитие»".to_owned(),
                activity: "КПК «Цифровые образовательные ресурсы в ДОО»".to_owned(),
                form: RouteForm::Course,
                due: d(2025, 3, 24),
                result: "Удостоверение о повышении квалификации".to_owned(),
                training: Some("new"),
                done: true,
            },
            PlanRow {
                deficit: "A3.1".to_owned(),
                deficit_title: "Экспериментирование".to_owned(),
                task: "Освоить: Экспериментирование".to_owned(),
                activity: "Посетить открытые занятия коллег".to_owned(),
                form: RouteForm::SelfStudy,
                due: d(2026, 5, 31),
                result: "Открытое занятие или материалы в портфолио; самооценка не ниже порога \
                         дефицита в мае"
                    .to_owned(),
                training: None,
                done: false,
            },
        ]
    );
}

#[test]
fn an_indicator_row_is_covered_through_its_area_and_a_retraining_is_named_as_such() {
    let deficits = [node("A3.1", "Экспериментирование", "A3", None)];
    // A ПП addressing the area A3, issued 01.09.2025: inside the window at 15.10.2025.
    let trainings = [(
        7_u32,
        record(TrainingKind::Retraining, d(2025, 9, 1), |r| {
            r.programme = "Дошкольное образование".to_owned();
            r.areas = areas(&["A3"]);
        }),
    )];
    let rows = propose_rows(
        &deficits,
        &trainings,
        SchoolYear::starting(2025),
        d(2025, 10, 15),
    );
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.training, Some(7));
    assert_eq!(row.form, RouteForm::Course);
    assert_eq!(
        row.activity,
        "Профессиональная переподготовка «Дошкольное образование»"
    );
    assert_eq!(row.result, "Диплом о профессиональной переподготовке");
    // Study ended the day before issue: 31.08.2025.
    assert_eq!(row.due, d(2025, 8, 31));
    assert!(row.done);
    // An indicator row without a recommendation studies the indicator's own title.
    let rows = propose_rows::<u32>(&deficits, &[], SchoolYear::starting(2024), d(2025, 3, 1));
    assert_eq!(
        rows[0].activity,
        "Изучить методические материалы по теме «Экспериментирование» и применить в работе с \
         детьми"
    );
    // 2024/2025: the survey of May 2025.
    assert_eq!(rows[0].due, d(2025, 5, 31));
}

#[test]
fn a_course_still_in_progress_links_but_is_not_done() {
    // Issued (counted) 01.10.2025, study ending 20.10.2025: counts at 15.10.2025, not yet ended.
    let deficits = [node("A2", "Речевое развитие", "A2", None)];
    let mut running = course();
    running.issued = Some(d(2025, 10, 1));
    running.end = d(2025, 10, 20);
    let rows = propose_rows(
        &deficits,
        &[("running", running)],
        SchoolYear::starting(2025),
        d(2025, 10, 15),
    );
    assert_eq!(rows[0].training, Some("running"));
    assert_eq!(rows[0].due, d(2025, 10, 20));
    assert!(!rows[0].done);
}

#[test]
fn effect_at_the_edges() {
    // Exactly at the threshold after being below: closed.
    assert_eq!(effect(Some(59.9), Some(60.0), 60.0), Effect::Closed);
    // 0.07 × 100 = 7.000000000000001, at 6 decimals 7: at the threshold of 7, closed.
    assert_eq!(effect(Some(6.0), Some(0.07 * 100.0), 7.0), Effect::Closed);
    // Just below it stays a deficit: 55 → 59.9 is +4.9, unchanged.
    assert_eq!(effect(Some(55.0), Some(59.9), 60.0), Effect::Unchanged);
    // Above the threshold both times: +5.0 is an improvement (55.1 − 50.1 is not exactly 5 in
    // floating point; at 6 decimals it is).
    assert_eq!(effect(Some(50.1), Some(55.1), 40.0), Effect::Improved);
    assert_eq!(effect(Some(70.0), Some(75.0), 60.0), Effect::Improved);
    // Below it both times, up by 5: improved, not closed.
    assert_eq!(effect(Some(30.0), Some(35.0), 60.0), Effect::Improved);
    // −5.0: worse; −4.9 and +4.9: unchanged.
    assert_eq!(effect(Some(75.0), Some(70.0), 60.0), Effect::Worse);
    assert_eq!(effect(Some(55.1), Some(50.1), 40.0), Effect::Worse);
    assert_eq!(effect(Some(75.0), Some(70.1), 60.0), Effect::Unchanged);
    assert_eq!(effect(Some(50.0), Some(54.9), 40.0), Effect::Unchanged);
    assert_eq!(effect(Some(50.0), Some(50.0), 40.0), Effect::Unchanged);
    // Missing on either side.
    assert_eq!(effect(None, Some(80.0), 60.0), Effect::NoData);
    assert_eq!(effect(Some(40.0), None, 60.0), Effect::NoData);
    assert_eq!(effect(None, None, 60.0), Effect::NoData);
    assert_eq!(effect(Some(f64::NAN), Some(80.0), 60.0), Effect::NoData);
    assert_eq!(Effect::Closed.label(), "дефицит закрыт");
    assert_eq!(Effect::Worse.label(), "ухудшение");
}

#[test]
fn a_route_is_mostly_done_from_eighty_percent_of_its_rows() {
    // 4 × 100 = 400 ≥ 80 × 5 = 400: done; 3 × 100 = 300 < 400: not.
    assert!(route_mostly_done(4, 5));
    assert!(!route_mostly_done(3, 5));
    assert!(!route_mostly_done(0, 0));
    assert!(route_mostly_done(5, 5));
    // 7 of 9 = 77,8 %: 700 < 720.
    assert!(!route_mostly_done(7, 9));
    assert_eq!(route_completion(4, 5), Share::new(4, 5));
    assert_eq!(
        route_completion(4, 5).map(Share::text).as_deref(),
        Some("80\u{a0}%")
    );
    assert_eq!(route_completion(0, 0), None);
    // No overflow near the top of u32.
    assert!(route_mostly_done(u32::MAX, u32::MAX));
}

#[test]
fn the_rows_are_edited_in_a_draft_and_by_the_head_on_approval_only() {
    use RouteActor::*;
    use RouteStatus::*;
    assert!(may_edit_rows(Draft, Owner));
    assert!(may_edit_rows(Draft, Head));
    assert!(!may_edit_rows(Draft, Methodist));
    assert!(!may_edit_rows(Submitted, Owner));
    assert!(may_edit_rows(Submitted, Head));
    for status in [Approved, Done, Closed] {
        for actor in RouteActor::ALL {
            assert!(!may_edit_rows(status, actor), "{status:?} {actor:?}");
        }
    }
}

#[test]
fn a_course_taken_after_the_plan_was_made_links_to_its_row() {
    let today = d(2026, 3, 1);
    let row = |deficit: &str, form: RouteForm| PlanRow::<u32> {
        deficit: deficit.to_owned(),
        deficit_title: deficit.to_owned(),
        task: String::new(),
        activity: String::new(),
        form,
        due: d(2026, 5, 31),
        result: String::new(),
        training: None,
        done: false,
    };
    let mut rows = vec![
        row("A2", RouteForm::Course),
        row("A3", RouteForm::SelfStudy),
        row("A4", RouteForm::Course),
    ];
    let course = |areas: &[&str], end: NaiveDate| TrainingRecord {
        areas: areas.iter().map(|area| (*area).to_owned()).collect(),
        start: end - chrono::Days::new(14),
        end,
        issued: Some(end),
        ..course()
    };
    let trainings = vec![
        (7, course(&["A2", "A3"], d(2026, 1, 20))),
        // Older than 36 months: it does not cover A4.
        (8, course(&["A4"], d(2022, 2, 1))),
    ];
    link_trainings(&mut rows, &trainings, today);
    assert_eq!(rows[0].training, Some(7));
    assert!(!rows[0].done, "done is for a person to mark");
    assert_eq!(rows[1].training, None, "only КПК rows link");
    assert_eq!(rows[2].training, None);
}
