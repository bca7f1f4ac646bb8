//! Answer validation accepts what the instrument allows and reports every invalid answer.

mod common;

use vsoko_checklist::{
    AnswerErrorKind, AnswerValue, ChecklistError, Instrument, RawAnswer, parse_toml,
};

fn card() -> Instrument {
    parse_toml(common::CARD, "card.toml").unwrap_or_else(|error| panic!("{error}"))
}

fn answer(item: &str, value: AnswerValue) -> RawAnswer {
    RawAnswer {
        item: item.to_owned(),
        value,
        comment: None,
    }
}

use AnswerValue::{NotApplicable as Na, Value};

#[test]
fn a_complete_valid_submission_is_accepted() {
    let sheet = card()
        .validate_answers([
            answer("P.1.1", Value(2.0)),
            answer("P.1.2", Value(1.0)),
            answer("D.1.1", Value(37.5)),
            RawAnswer {
                comment: Some("по журналу".to_owned()),
                ..answer("D.1.2", Value(0.0))
            },
        ])
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet.instrument().to_string(), "card-test@1");
    assert_eq!(sheet.get("D.1.1").map(|a| a.value), Some(Value(37.5)));
    assert_eq!(
        sheet.get("D.1.2").and_then(|a| a.comment.as_deref()),
        Some("по журналу")
    );
}

#[test]
fn na_is_accepted_where_the_scale_allows_it_and_optional_items_may_be_missing() {
    let sheet = card()
        .validate_answers([
            answer("P.1.1", Na),
            answer("P.1.2", Value(0.0)),
            answer("D.1.2", Value(12.0)),
        ])
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(sheet.get("P.1.1").map(|a| a.value), Some(Na));
    assert!(sheet.get("D.1.1").is_none(), "optional item left out");
}

#[test]
fn every_invalid_answer_is_reported_at_once() {
    let result = card().validate_answers([
        answer("P.1.1", Value(3.0)),   // off the 0/1/2 scale
        answer("P.1.2", Na),           // yes/no does not allow N/A
        answer("P.1.2", Value(1.0)),   // a second answer to the same item
        answer("D.1.1", Value(120.0)), // above max 100
        answer("D.1.2", Value(-1.0)),  // below the first band
        answer("X.9", Value(1.0)),     // no such item
    ]);
    let Err(ChecklistError::InvalidAnswers { instrument, errors }) = result else {
        panic!("accepted: {result:?}");
    };
    assert_eq!(instrument.to_string(), "card-test@1");
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.item.as_str(), e.code())).collect();
    assert_eq!(
        found,
        vec![
            ("P.1.1", "value_not_on_scale"),
            ("P.1.2", "na_not_allowed"),
            ("D.1.1", "value_out_of_range"),
            ("D.1.2", "value_out_of_range"),
            ("X.9", "unknown_item"),
        ]
    );
    let not_on_scale = &errors[0];
    assert_eq!(
        not_on_scale.kind,
        AnswerErrorKind::NotOnScale {
            allowed: vec![0.0, 1.0, 2.0]
        }
    );
    assert_eq!(
        not_on_scale.to_string(),
        "пункт «P.1.1»: значение 3 не входит в шкалу; допустимые значения: 0, 1, 2"
    );
    assert_eq!(
        errors[3].to_string(),
        "пункт «D.1.2»: значение -1 вне допустимого диапазона; допустимо не меньше 0"
    );
}

#[test]
fn duplicates_missing_required_items_and_non_numbers_are_reported() {
    let result = card().validate_answers([
        answer("P.1.1", Value(1.0)),
        answer("P.1.1", Value(2.0)),
        answer("D.1.1", Value(f64::NAN)),
    ]);
    let Err(ChecklistError::InvalidAnswers { errors, .. }) = result else {
        panic!("accepted: {result:?}");
    };
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.item.as_str(), e.code())).collect();
    assert_eq!(
        found,
        vec![
            ("P.1.1", "duplicate_answer"),
            ("D.1.1", "value_not_a_number"),
            ("P.1.2", "answer_missing"),
            ("D.1.2", "answer_missing"),
        ]
    );
    assert_eq!(
        errors[2].to_string(),
        "пункт «P.1.2»: нет ответа на обязательный пункт"
    );
}

#[test]
fn option_values_must_match_exactly_and_numbers_within_range_pass() {
    let instrument = card();
    for (value, ok) in [
        (0.0, true),
        (2.0, true),
        (1.5, false),
        (-0.0, true),
        (2.0000001, false),
    ] {
        let result = instrument.validate_answers([
            answer("P.1.1", Value(value)),
            answer("P.1.2", Value(1.0)),
            answer("D.1.2", Value(4.9)),
        ]);
        assert_eq!(result.is_ok(), ok, "value {value}");
    }
}
