//! What a dashboard reads besides the rows: each subject's result per area (the teachers × areas
//! table of a kindergarten), each kindergarten's result per area (the network's heat map), and how
//! many are at each level.

use vsoko_checklist::{AnswerValue, Instrument, RawAnswer, parse_toml};
use vsoko_scoring::{
    NodeKind, ReportScope, ScoreTable, ScoredSubmission, level_counts, scope_report,
    score_submission,
};

const CARD: &str = include_str!("fixtures/card.toml");

fn card() -> Instrument {
    parse_toml(CARD, "card.toml").expect("fixture is valid")
}

/// A submission about `subject` in `kindergarten` answering the «Пункт» items with `value`, the
/// critical item with `critical`.
fn scored(
    instrument: &Instrument,
    kindergarten: &str,
    subject: &str,
    value: f64,
    critical: f64,
) -> ScoredSubmission {
    let answers = [
        ("A.1.1", value),
        ("A.1.2", critical),
        ("A.2.2", value),
        ("B.1.3", value),
    ]
    .into_iter()
    .map(|(item, value)| RawAnswer {
        item: item.to_owned(),
        value: AnswerValue::Value(value),
        comment: None,
    });
    let sheet = instrument.validate_answers(answers).expect("valid answers");
    let score = score_submission(instrument, &sheet).expect("scored");
    ScoredSubmission {
        submission: format!("{kindergarten}/{subject}"),
        kindergarten: kindergarten.to_owned(),
        respondent: subject.to_owned(),
        subject: subject.to_owned(),
        period: "2025-05".to_owned(),
        score,
    }
}

fn area(submission: &ScoredSubmission, code: &str) -> Option<f64> {
    submission
        .score
        .node(NodeKind::Area, code)
        .and_then(|node| node.percent)
}

#[test]
fn a_kindergarten_report_gives_each_subject_its_area_results_with_the_critical_cap() {
    let instrument = card();
    let good = scored(&instrument, "ДОО 1", "Радуга", 2.0, 2.0);
    let capped = scored(&instrument, "ДОО 1", "Солнышко", 2.0, 0.0);
    let table = ScoreTable::of_submissions(&instrument, &[good.clone(), capped.clone()]);
    let report = scope_report(&instrument, &table, ReportScope::Kindergarten).unwrap();
    assert_eq!(report.subjects.len(), 2);
    let radius = report
        .subjects
        .iter()
        .find(|row| row.subject == "Радуга")
        .unwrap();
    let codes: Vec<&str> = radius.areas.iter().map(|cell| cell.code.as_str()).collect();
    assert_eq!(codes, ["A", "B"]);
    assert_eq!(radius.areas[0].score, area(&good, "A"));
    assert_eq!(radius.areas[1].score, area(&good, "B"));
    assert_eq!(radius.areas[0].level.as_ref().unwrap().code, "L3");
    let sun = report
        .subjects
        .iter()
        .find(|row| row.subject == "Солнышко")
        .unwrap();
    assert!(sun.areas[0].critical);
    assert_eq!(
        sun.areas[0].level.as_ref().unwrap().code,
        "L1",
        "a critical violation caps the area's level, whatever its score"
    );
    assert_eq!(sun.areas[0].score, area(&capped, "A"));
    assert!(!sun.areas[1].critical, "area B has no critical item");
    // Teachers per level, lowest first.
    let counts = level_counts(
        &instrument,
        report.subjects.iter().filter_map(|row| row.level.as_ref()),
    );
    let counts: Vec<(&str, u32)> = counts
        .iter()
        .map(|(level, n)| (level.code.as_str(), *n))
        .collect();
    assert_eq!(counts, [("L1", 1), ("L2", 0), ("L3", 1)]);
}

#[test]
fn a_network_report_gives_each_kindergarten_the_mean_of_its_area_results() {
    let instrument = card();
    let submissions = [
        scored(&instrument, "ДОО 1", "Радуга", 2.0, 2.0),
        scored(&instrument, "ДОО 1", "Солнышко", 1.0, 2.0),
        scored(&instrument, "ДОО 2", "Колокольчик", 0.0, 0.0),
    ];
    let table = ScoreTable::of_submissions(&instrument, &submissions);
    let report = scope_report(&instrument, &table, ReportScope::Network).unwrap();
    assert_eq!(report.kindergartens.len(), 2);
    let first = report
        .kindergartens
        .iter()
        .find(|unit| unit.kindergarten == "ДОО 1")
        .unwrap();
    let mean = (area(&submissions[0], "A").unwrap() + area(&submissions[1], "A").unwrap()) / 2.0;
    assert!((first.areas[0].score.unwrap() - mean).abs() < 1e-9);
    assert!(!first.areas[0].critical);
    let second = report
        .kindergartens
        .iter()
        .find(|unit| unit.kindergarten == "ДОО 2")
        .unwrap();
    assert!(
        second.areas[0].critical,
        "its only card violates a critical item"
    );
    assert_eq!(second.areas[1].score, area(&submissions[2], "B"));
    // Kindergartens per level, lowest first: ДОО 2 (0 %) and ДОО 1 (≥ 75 %).
    let counts = level_counts(
        &instrument,
        report
            .kindergartens
            .iter()
            .filter_map(|unit| unit.level.as_ref()),
    );
    assert_eq!(counts.iter().map(|(_, n)| *n).sum::<u32>(), 2);
    assert_eq!(counts[0].1, 1);
}

#[test]
fn an_item_is_a_population_deficit_by_its_mean_or_by_its_share_in_the_lower_part_of_its_scale() {
    let instrument = card();
    // «Пункт» A.1.1 on «Нет / Частично / Да»: the lower part is «Нет» alone. Two «Да» and one
    // «Частично» — mean 83.3 %, nothing in the lower part, no deficit.
    let mixed = vsoko_scoring::item_result(&instrument, "A.1.1", &[(1.0, 1), (2.0, 2)]).unwrap();
    assert!((mixed.mean - 250.0 / 3.0).abs() < 1e-9);
    assert_eq!(mixed.low_share, 0.0);
    assert!(!mixed.deficit);
    // Two «Да» and one «Нет»: a third in the lower part is at least 30 %.
    let low = vsoko_scoring::item_result(&instrument, "A.1.1", &[(0.0, 1), (2.0, 2)]).unwrap();
    assert!((low.low_share - 1.0 / 3.0).abs() < 1e-9);
    assert!(low.deficit, "33 % «Нет» is at least 30 %");
    // Ten «Да» and one «Нет»: 9 % in the lower part, mean 90.9 % — no deficit.
    let good = vsoko_scoring::item_result(&instrument, "A.1.1", &[(0.0, 1), (2.0, 10)]).unwrap();
    assert!(!good.deficit);
    assert_eq!(good.n, 11);
    // A numeric item has no options: only its mean counts (target 50: 20 → 40 %).
    let share = vsoko_scoring::item_result(&instrument, "A.2.1", &[(20.0, 2)]).unwrap();
    assert!((share.mean - 40.0).abs() < 1e-9);
    assert_eq!(share.low_share, 0.0);
    assert!(share.deficit, "a mean below 50 %");
    assert!(vsoko_scoring::item_result(&instrument, "A.1.1", &[]).is_none());
    assert!(vsoko_scoring::item_result(&instrument, "nope", &[(1.0, 1)]).is_none());
}

/// Issue 23 §10: on a pass/fail item («Соблюдено / Нарушено») the lower part is «Нарушено»
/// alone — seven «Соблюдено» of nine is no deficit (the two lowest of two options were every
/// answer, 100 %); three «Нарушено» of nine is.
#[test]
fn a_pass_fail_item_is_a_deficit_by_its_share_of_failures_only() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let card = catalog.get("card-ood", Some(2)).unwrap();
    let scale = card.item("O3.2.4").unwrap().scale;
    assert_eq!(scale.options().unwrap().len(), 2);
    assert_eq!(vsoko_scoring::low_options(scale), 1);
    let mostly_kept = vsoko_scoring::item_result(card, "O3.2.4", &[(0.0, 2), (2.0, 7)]).unwrap();
    assert!((mostly_kept.low_share - 2.0 / 9.0).abs() < 1e-9);
    assert!((mostly_kept.mean - 700.0 / 9.0).abs() < 1e-9);
    assert!(!mostly_kept.deficit, "{mostly_kept:?}");
    let often_broken = vsoko_scoring::item_result(card, "O3.2.4", &[(0.0, 3), (2.0, 6)]).unwrap();
    assert!(often_broken.deficit, "{often_broken:?}");
}

/// Issue 23 §11: a mean above the threshold hides the subjects below it; each row says how many
/// of its subjects score below the threshold on their own.
#[test]
fn a_mean_above_the_threshold_still_counts_the_subjects_below_it() {
    let instrument = card();
    // Three groups at the top of the scale and one at the bottom: the mean of area A is above
    // the threshold of 60 %, one group of four is below it.
    let submissions = [
        scored(&instrument, "ДОО 1", "Радуга", 2.0, 2.0),
        scored(&instrument, "ДОО 1", "Солнышко", 2.0, 2.0),
        scored(&instrument, "ДОО 2", "Звёздочка", 2.0, 2.0),
        scored(&instrument, "ДОО 2", "Ромашка", 0.0, 2.0),
    ];
    let threshold = instrument.deficit_threshold().get();
    assert!(area(&submissions[3], "A").unwrap() < threshold);
    for scope in [ReportScope::Kindergarten, ReportScope::Network] {
        let table = ScoreTable::of_submissions(&instrument, &submissions);
        let report = scope_report(&instrument, &table, scope).unwrap();
        let row = report
            .rows
            .iter()
            .find(|row| row.kind == NodeKind::Area && row.code == "A")
            .unwrap();
        assert!(!row.deficit, "{scope:?}: the mean is above the threshold");
        assert_eq!(
            (row.subjects_below, row.subjects_scored),
            (1, 4),
            "{scope:?}"
        );
    }
    // Nobody below: none counted.
    let table = ScoreTable::of_submissions(&instrument, &submissions[..3]);
    let report = scope_report(&instrument, &table, ReportScope::Kindergarten).unwrap();
    let scored_rows: Vec<_> = report
        .rows
        .iter()
        .filter(|row| row.score.is_some())
        .collect();
    assert!(!scored_rows.is_empty());
    assert!(
        scored_rows
            .iter()
            .all(|row| row.subjects_below == 0 && row.subjects_scored == 3)
    );
}

/// Issue 23 §8: a change is of the same subjects only when both periods count the same ones.
#[test]
fn a_change_is_of_the_same_subjects_only_when_both_periods_count_the_same() {
    use vsoko_scoring::ComparedSubjects;
    let differ = ComparedSubjects::of(&[1, 2, 3], &[2, 3, 4]);
    assert_eq!((differ.now, differ.before, differ.both), (3, 3, 2));
    assert!(!differ.same());
    assert!(ComparedSubjects::of(&[1, 2], &[1, 2]).same());
    assert!(!ComparedSubjects::of(&[1, 2], &[1, 2, 3]).same());

    let instrument = card();
    let may = [
        scored(&instrument, "ДОО 1", "Радуга", 2.0, 2.0),
        scored(&instrument, "ДОО 1", "Солнышко", 1.0, 2.0),
    ];
    let september = [scored(&instrument, "ДОО 1", "Радуга", 1.0, 2.0)];
    let mut report = scope_report(
        &instrument,
        &ScoreTable::of_submissions(&instrument, &may),
        ReportScope::Kindergarten,
    )
    .unwrap();
    let before = scope_report(
        &instrument,
        &ScoreTable::of_submissions(&instrument, &september),
        ReportScope::Kindergarten,
    )
    .unwrap();
    vsoko_scoring::compare(&mut report, &instrument, &before, &instrument).unwrap();
    let compared = report.compared_subjects.unwrap();
    assert_eq!((compared.now, compared.before, compared.both), (2, 1, 1));
}

/// Issue 23 §8: a kindergarten without enough coverage of its own keeps its scores, loses its
/// level, area levels and place, and leaves no gap in the places of the others.
#[test]
fn a_kindergarten_without_coverage_loses_its_level_and_place_and_leaves_no_gap() {
    let instrument = card();
    let submissions = [
        scored(&instrument, "ДОО 1", "Радуга", 2.0, 2.0),
        scored(&instrument, "ДОО 2", "Ромашка", 1.0, 2.0),
        scored(&instrument, "ДОО 3", "Звёздочка", 0.0, 2.0),
    ];
    let table = ScoreTable::of_submissions(&instrument, &submissions);
    let mut report = scope_report(&instrument, &table, ReportScope::Network).unwrap();
    let ranks = |report: &vsoko_scoring::ScopeReport<String>| -> Vec<(String, Option<u32>)> {
        report
            .kindergartens
            .iter()
            .map(|unit| (unit.kindergarten.clone(), unit.rank))
            .collect()
    };
    assert!(instrument.ranks(), "a control card gives places");
    let best = report
        .kindergartens
        .iter_mut()
        .find(|unit| unit.kindergarten == "ДОО 1")
        .unwrap();
    assert_eq!(best.rank, Some(1));
    assert_eq!(best.subjects, 1);
    vsoko_scoring::withhold_unit_conclusions(best);
    assert!(best.level.is_none() && best.areas.iter().all(|area| area.level.is_none()));
    assert!(best.rank.is_none());
    vsoko_scoring::rerank(&mut report.kindergartens);
    let mut places = ranks(&report);
    places.sort();
    assert_eq!(
        places,
        [
            ("ДОО 1".to_owned(), None),
            ("ДОО 2".to_owned(), Some(1)),
            ("ДОО 3".to_owned(), Some(2)),
        ]
    );
}

/// A kindergarten's drop of 5 p.p. or more is flagged on its row by the report itself (the
/// dashboards read the flag, they do not compute it).
#[test]
fn a_kindergarten_that_drops_five_points_is_flagged_by_the_report() {
    let instrument = card();
    let report_of = |value: f64| {
        let submissions = [
            scored(&instrument, "ДОО 1", "Радуга", value, 2.0),
            scored(&instrument, "ДОО 2", "Ромашка", 1.0, 2.0),
        ];
        scope_report(
            &instrument,
            &ScoreTable::of_submissions(&instrument, &submissions),
            ReportScope::Network,
        )
        .unwrap()
    };
    let before = report_of(2.0);
    let mut now = report_of(0.0);
    vsoko_scoring::compare(&mut now, &instrument, &before, &instrument).unwrap();
    let unit = |name: &str| {
        now.kindergartens
            .iter()
            .find(|unit| unit.kindergarten == name)
            .unwrap()
            .clone()
    };
    assert!(unit("ДОО 1").delta.unwrap() <= -vsoko_scoring::DROP_PP);
    assert!(unit("ДОО 1").drop);
    assert_eq!(unit("ДОО 2").delta, Some(0.0));
    assert!(!unit("ДОО 2").drop);
}
