//! Hand-computed cases and properties of `score_submission`.

use vsoko_checklist::{AnswerValue, Instrument, RawAnswer, parse_toml};
use vsoko_scoring::{NodeKind, ScoringError, score_submission};

const CARD: &str = include_str!("fixtures/card.toml");

fn card() -> Instrument {
    parse_toml(CARD, "card.toml").expect("fixture is valid")
}

fn sheet(instrument: &Instrument, answers: &[(&str, Option<f64>)]) -> vsoko_checklist::AnswerSheet {
    instrument
        .validate_answers(answers.iter().map(|(item, value)| RawAnswer {
            item: (*item).to_owned(),
            value: value.map_or(AnswerValue::NotApplicable, AnswerValue::Value),
            comment: None,
        }))
        .expect("answers are valid")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn full_sheet_hand_computed() {
    let i = card();
    let answers = sheet(
        &i,
        &[
            ("A.1.1", Some(2.0)),
            ("A.1.2", Some(1.0)),
            ("A.2.1", Some(25.0)),
            ("A.2.2", Some(2.0)),
            ("B.1.1", Some(10.0)),
            ("B.1.2", Some(15.0)),
            ("B.1.3", Some(0.0)),
        ],
    );
    let s = score_submission(&i, &answers).unwrap();
    let codes: Vec<&str> = s.nodes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["t-card", "A", "A.1", "A.2", "B", "B.1"]);
    // A.1 = (1·1 + 3·0.5) / 4; A.2 = (0.5 + 1) / 2; A = (1·62.5 + 3·75) / 4.
    let a1 = s.node(NodeKind::Indicator, "A.1").unwrap();
    assert_eq!(a1.percent, Some(62.5));
    assert_eq!(a1.level.as_deref(), Some("L2"));
    assert_eq!(
        s.node(NodeKind::Indicator, "A.2").unwrap().percent,
        Some(75.0)
    );
    assert_eq!(s.node(NodeKind::Area, "A").unwrap().percent, Some(71.875));
    // B.1: days 10 vs target 5 less-is-better → 0.5; 15 in band «10» → 1 of 0–3 points; 0 → 0.
    let b1 = s.node(NodeKind::Indicator, "B.1").unwrap();
    assert!(close(b1.percent.unwrap(), (0.5 + 1.0 / 3.0) / 3.0 * 100.0));
    assert!(b1.deficit);
    assert_eq!(b1.level.as_deref(), Some("L1"));
    let total = s.total();
    assert!(close(total.percent.unwrap(), 57.175925925925924));
    assert_eq!(total.level.as_deref(), Some("L1"));
    assert!(total.deficit);
    assert_eq!(total.n_items, 7);
    assert_eq!(total.n_answered, 7);
    assert_eq!(total.coverage, 100.0);
    assert!(!total.critical);
    assert!(s.critical_items.is_empty());
}

#[test]
fn na_is_excluded_not_zero() {
    let i = card();
    let s = score_submission(
        &i,
        &sheet(
            &i,
            &[("A.1.1", None), ("A.1.2", Some(2.0)), ("A.2.2", Some(2.0))],
        ),
    )
    .unwrap();
    let a1 = s.node(NodeKind::Indicator, "A.1").unwrap();
    assert_eq!(a1.percent, Some(100.0), "N/A counted as 0 would give 75");
    assert_eq!(a1.n_answered, 1);
    assert_eq!(a1.coverage, 50.0);
}

#[test]
fn coverage_rule_and_renormalisation() {
    let i = card();
    // min_coverage = 50. A.2 unanswered → invalid, A = A.1 only; B.1 1 of 3 → invalid.
    let s = score_submission(
        &i,
        &sheet(
            &i,
            &[
                ("A.1.1", Some(2.0)),
                ("A.1.2", Some(2.0)),
                ("B.1.3", Some(2.0)),
            ],
        ),
    )
    .unwrap();
    let a2 = s.node(NodeKind::Indicator, "A.2").unwrap();
    assert_eq!(
        (a2.percent, a2.level.clone(), a2.deficit),
        (None, None, false)
    );
    assert_eq!(s.node(NodeKind::Area, "A").unwrap().percent, Some(100.0));
    let b1 = s.node(NodeKind::Indicator, "B.1").unwrap();
    assert_eq!(b1.percent, None);
    assert!(close(b1.coverage, 100.0 / 3.0));
    assert_eq!(s.node(NodeKind::Area, "B").unwrap().percent, None);
    // Total: 3 of 7 answered = 42.86 % < 50 → not valid.
    assert_eq!(s.total().percent, None);
    assert_eq!(s.total().level, None);

    // One more answer: total 4/7 valid, B still invalid → total = A alone.
    let s = score_submission(
        &i,
        &sheet(
            &i,
            &[
                ("A.1.1", Some(2.0)),
                ("A.1.2", Some(2.0)),
                ("A.2.2", Some(0.0)),
                ("B.1.3", Some(2.0)),
            ],
        ),
    )
    .unwrap();
    // A.1 = 100, A.2 = 0 (one of two answered, 50 % coverage) → A = (100 + 3·0)/4 = 25.
    assert_eq!(s.node(NodeKind::Area, "A").unwrap().percent, Some(25.0));
    assert_eq!(s.total().percent, Some(25.0));
}

#[test]
fn critical_caps_level_not_score() {
    let i = card();
    let s = score_submission(
        &i,
        &sheet(
            &i,
            &[
                ("A.1.1", Some(2.0)),
                ("A.1.2", Some(0.0)),
                ("A.2.1", Some(80.0)),
                ("A.2.2", Some(2.0)),
                ("B.1.1", Some(0.0)),
                ("B.1.2", Some(25.0)),
                ("B.1.3", Some(2.0)),
            ],
        ),
    )
    .unwrap();
    let a = s.node(NodeKind::Area, "A").unwrap();
    assert_eq!(a.percent, Some(81.25)); // (25 + 3·100) / 4
    assert_eq!(a.level.as_deref(), Some("L1"));
    assert!(a.critical);
    let total = s.total();
    assert_eq!(total.percent, Some(87.5)); // (2·81.25 + 100) / 3
    assert_eq!(total.level.as_deref(), Some("L1"));
    assert!(total.critical);
    assert!(!total.deficit, "the cap changes the level, not the score");
    let b = s.node(NodeKind::Area, "B").unwrap();
    assert_eq!((b.level.as_deref(), b.critical), (Some("L3"), false));
    assert!(!s.node(NodeKind::Indicator, "A.2").unwrap().critical);
    assert_eq!(s.critical_items, ["A.1.2"]);
}

const BOUNDARY: &str = r#"
code = "t-bound"
version = 1
title = "Граница"
kind = "survey"
respondent = "teacher"
subject = "teacher"
scale = "s5"
[levels]
deficit_threshold = 60
bands = [{ code = "low", name = "Низкий", from = 0 }, { code = "mid", name = "Средний", from = 60 }]
[scales.s5]
type = "options"
options = [
  { value = 0, label = "0" }, { value = 1, label = "1" }, { value = 2, label = "2" },
  { value = 3, label = "3" }, { value = 4, label = "4" }, { value = 5, label = "5" },
]
[[areas]]
code = "A"
title = "А"
[[areas.indicators]]
code = "A.1"
title = "А.1"
weight = 0.1
[[areas.indicators.items]]
code = "q1"
text = "?"
[[areas.indicators]]
code = "A.2"
title = "А.2"
weight = 0.2
[[areas.indicators.items]]
code = "q2"
text = "?"
"#;

#[test]
fn score_on_band_boundary_does_not_flip() {
    let i = parse_toml(BOUNDARY, "boundary").unwrap();
    let s = score_submission(&i, &sheet(&i, &[("q1", Some(3.0)), ("q2", Some(3.0))])).unwrap();
    let area = s.node(NodeKind::Area, "A").unwrap();
    // (0.1·60 + 0.2·60) / (0.1 + 0.2) = 59.99999999999999 in f64.
    assert!(area.percent.unwrap() < 60.0);
    assert_eq!(area.level.as_deref(), Some("mid"));
    assert!(!area.deficit);
    let indicator = s.node(NodeKind::Indicator, "A.1").unwrap();
    assert_eq!(indicator.percent, Some(60.0));
    assert_eq!(indicator.level.as_deref(), Some("mid"));
    assert_eq!(s.total().level.as_deref(), Some("mid"));
}

#[test]
fn scaling_weights_of_a_level_changes_nothing() {
    let base = card();
    let answers: &[(&str, Option<f64>)] = &[
        ("A.1.1", Some(1.0)),
        ("A.1.2", Some(2.0)),
        ("A.2.1", Some(33.0)),
        ("B.1.1", Some(7.0)),
        ("B.1.2", Some(12.0)),
        ("B.1.3", None),
    ];
    let reference = score_submission(&base, &sheet(&base, answers)).unwrap();
    // Scale the area weights, then the indicator weights of A, then the item weights of A.1.
    let variants = [
        CARD.replace("weight = 2\n", "weight = 14\n").replace(
            "title = \"Область Б\"\n",
            "title = \"Область Б\"\nweight = 7\n",
        ),
        CARD.replace(
            "weight = 3\n\n[[areas.indicators.items]]\ncode = \"A.2.1\"",
            "weight = 0.75\n\n[[areas.indicators.items]]\ncode = \"A.2.1\"",
        )
        .replace(
            "title = \"Показатель А.1\"\n",
            "title = \"Показатель А.1\"\nweight = 0.25\n",
        ),
        CARD.replace(
            "weight = 3\ncritical = true",
            "weight = 0.3\ncritical = true",
        )
        .replace(
            "code = \"A.1.1\"\ntext = \"Пункт\"\n",
            "code = \"A.1.1\"\ntext = \"Пункт\"\nweight = 0.1\n",
        ),
    ];
    for (n, text) in variants.iter().enumerate() {
        assert_ne!(text, CARD, "variant {n} must change the file");
        let i = parse_toml(text, "variant").unwrap();
        let s = score_submission(&i, &sheet(&i, answers)).unwrap();
        for (a, b) in s.nodes.iter().zip(&reference.nodes) {
            assert_eq!(a.code, b.code);
            match (a.percent, b.percent) {
                (Some(x), Some(y)) => assert!(close(x, y), "variant {n} {}: {x} vs {y}", a.code),
                (x, y) => assert_eq!(x, y),
            }
            assert_eq!(a.level, b.level);
        }
    }
}

#[test]
fn other_instrument_sheet_is_refused() {
    let card = card();
    let other = parse_toml(BOUNDARY, "boundary").unwrap();
    let answers = sheet(&other, &[("q1", Some(1.0)), ("q2", Some(1.0))]);
    assert!(matches!(
        score_submission(&card, &answers),
        Err(ScoringError::InstrumentMismatch { .. })
    ));
}

/// [`card`] with, in area B, a variable indicator B.2 and an invariant B.3 holding an unscored item.
fn card_with_variable_part() -> Instrument {
    let extra = include_str!("fixtures/variable_part.toml");
    parse_toml(&format!("{CARD}{extra}"), "card-variable.toml").expect("fixture is valid")
}

#[test]
fn a_variable_indicator_stays_out_of_its_area_and_the_total() {
    let i = card_with_variable_part();
    let base = [
        ("A.1.1", Some(2.0)),
        ("A.1.2", Some(2.0)),
        ("B.1.3", Some(2.0)),
        ("B.1.1", Some(5.0)),
        ("B.1.2", Some(25.0)),
        ("B.3.1", Some(2.0)),
        ("B.3.2", Some(2.0)),
    ];
    let with = |b21: Option<f64>| {
        let mut answers = base.to_vec();
        answers.push(("B.2.1", b21));
        score_submission(&i, &sheet(&i, &answers)).unwrap()
    };
    let (low, high) = (with(Some(0.0)), with(Some(2.0)));
    let codes: Vec<&str> = low.nodes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "t-card", "A", "A.1", "A.2", "B", "B.1", "B.2", "B.3", "variable"
        ]
    );
    // The variable indicator is scored and reported on its own ...
    assert_eq!(
        low.node(NodeKind::Indicator, "B.2").unwrap().percent,
        Some(0.0)
    );
    assert_eq!(
        low.node(NodeKind::Variable, "variable").unwrap().percent,
        Some(0.0)
    );
    assert_eq!(
        high.node(NodeKind::Variable, "variable").unwrap().percent,
        Some(100.0)
    );
    // ... and whatever it scores, its area and the total do not move.
    for kind_code in [(NodeKind::Area, "B"), (NodeKind::Total, "t-card")] {
        let (a, b) = (
            low.node(kind_code.0, kind_code.1).unwrap(),
            high.node(kind_code.0, kind_code.1).unwrap(),
        );
        assert_eq!(a.percent, b.percent, "{}", kind_code.1);
        assert_eq!(a.n_items, b.n_items, "{}", kind_code.1);
    }
    // B = B.1 (100) and B.3 (100): the variable B.2 at 0 % would pull it down.
    assert_eq!(low.node(NodeKind::Area, "B").unwrap().percent, Some(100.0));
    // Declaring none (N/A is not on this scale: leaving it out) loses nothing either.
    let none = score_submission(&i, &sheet(&i, &base)).unwrap();
    assert_eq!(none.total().percent, low.total().percent);
    assert_eq!(
        none.node(NodeKind::Variable, "variable").unwrap().percent,
        None
    );
}

#[test]
fn an_unscored_item_is_stored_but_takes_no_part_in_scores() {
    let i = card_with_variable_part();
    let score = |b32: Option<f64>| {
        let mut answers = vec![("B.3.1", Some(2.0))];
        if let Some(value) = b32 {
            answers.push(("B.3.2", Some(value)));
        }
        let answers = sheet(&i, &answers);
        // The answer is kept on the sheet (stored and exported) ...
        assert_eq!(answers.get("B.3.2").is_some(), b32.is_some());
        score_submission(&i, &answers).unwrap()
    };
    for b32 in [None, Some(0.0), Some(2.0)] {
        let s = score(b32);
        let b3 = s.node(NodeKind::Indicator, "B.3").unwrap();
        // ... but neither its value nor its absence changes the score, the items or coverage.
        assert_eq!(b3.percent, Some(100.0), "{b32:?}");
        assert_eq!((b3.n_items, b3.n_answered, b3.coverage), (1, 1, 100.0));
    }
}
