//! The matrix and the pairs on hand-made cells.

use super::*;

fn rules(strength_from: f64) -> MatrixRules {
    MatrixRules {
        strength_from,
        strength_level: "Интегратор".to_owned(),
        top_quarter: true,
        min_n: 5,
        deficit_below: 30.0,
        deficit_share_from: 0.25,
    }
}

fn cell(score: Option<f64>, n: u32, coverage_enough: bool) -> CellInput {
    CellInput {
        score,
        n,
        coverage_enough,
        deficit_share: None,
    }
}

fn scored(scores: &[f64]) -> Vec<CellInput> {
    scores
        .iter()
        .map(|score| cell(Some(*score), 5, true))
        .collect()
}

use CellClass::{Deficit, Insufficient, Norm, Strength};

#[test]
fn each_boundary_of_a_cell() {
    let cells = [
        cell(Some(70.0), 5, true),
        // Rounded to 6 decimals: 70 — at the bound.
        cell(Some(69.999_999_9), 5, true),
        // At the deficit threshold: not below it.
        cell(Some(30.0), 5, true),
        cell(Some(29.99), 5, true),
        // High, but four submissions are too few for a strength.
        cell(Some(90.0), 4, true),
        cell(None, 0, true),
        // A mean without enough coverage says nothing.
        cell(Some(80.0), 9, false),
    ];
    assert_eq!(
        classify_area(&rules(70.0), &cells),
        [
            Strength,
            Strength,
            Norm,
            Deficit,
            Norm,
            Insufficient,
            Insufficient
        ]
    );
}

#[test]
fn a_quarter_of_its_people_below_the_threshold_is_a_deficit_whatever_the_mean() {
    let with_share = |score: f64, share: f64| CellInput {
        deficit_share: Some(share),
        ..cell(Some(score), 8, true)
    };
    assert_eq!(
        classify_area(
            &rules(70.0),
            &[
                with_share(75.0, 0.25),
                with_share(75.0, 0.249_999),
                with_share(50.0, 2.0 / 8.0),
                with_share(50.0, 1.0 / 8.0),
            ]
        ),
        [Deficit, Strength, Deficit, Norm]
    );
}

#[test]
fn the_top_quarter_counts_those_strictly_higher_and_keeps_ties() {
    // Five eligible: ⌈5 / 4⌉ = 2; the two at 60 have nobody above, 50 has two.
    assert_eq!(
        classify_area(&rules(95.0), &scored(&[60.0, 60.0, 50.0, 40.0, 35.0])),
        [Strength, Strength, Norm, Norm, Norm]
    );
    // Four eligible: one place; 55 has one above.
    assert_eq!(
        classify_area(&rules(95.0), &scored(&[60.0, 55.0, 55.0, 40.0])),
        [Strength, Norm, Norm, Norm]
    );
    // Tied at the top: both in.
    assert_eq!(
        classify_area(&rules(95.0), &scored(&[55.0, 55.0, 50.0, 40.0])),
        [Strength, Strength, Norm, Norm]
    );
    // Fewer than four eligible: no quarter to be in.
    assert_eq!(
        classify_area(&rules(95.0), &scored(&[60.0, 50.0, 40.0])),
        [Norm, Norm, Norm]
    );
    // A kindergarten of four submissions neither counts among the eligible nor gets in.
    let mut cells = scored(&[60.0, 50.0, 40.0, 35.0]);
    cells.push(cell(Some(70.0), 4, true));
    assert_eq!(
        classify_area(&rules(95.0), &cells),
        [Strength, Norm, Norm, Norm, Norm]
    );
    // Without the quarter rule only the level makes a strength.
    let mut without = rules(95.0);
    without.top_quarter = false;
    assert_eq!(
        classify_area(&without, &scored(&[60.0, 50.0, 40.0, 35.0])),
        [Norm, Norm, Norm, Norm]
    );
    // A top quarter below the deficit threshold is still a deficit.
    assert_eq!(
        classify_area(&rules(95.0), &scored(&[29.0, 20.0, 10.0, 5.0])),
        [Deficit, Deficit, Deficit, Deficit]
    );
}

fn at(kindergarten: u32, area: &str, score: f64, class: CellClass) -> Cell<u32> {
    Cell {
        kindergarten,
        area: area.to_owned(),
        score: Some(score),
        class,
    }
}

#[test]
fn pairs_take_the_worst_deficit_first_the_strongest_mentor_and_its_cap() {
    let cells = [
        at(1, "A1", 80.0, Strength),
        at(2, "A1", 90.0, Strength),
        at(3, "A1", 20.0, Deficit),
        at(4, "A1", 25.0, Deficit),
        at(5, "A1", 10.0, Deficit),
        at(1, "A2", 50.0, Norm),
        at(3, "A2", 28.0, Deficit),
    ];
    let pairs = propose_pairs(
        &cells,
        PairRules {
            cap: 2,
            ..PairRules::default()
        },
        |_, _| None,
    );
    let short: Vec<_> = pairs
        .iter()
        .map(|pair| {
            (
                pair.mentee,
                pair.area.as_str(),
                pair.mentor.map(|(key, _)| key),
                pair.alternatives
                    .iter()
                    .map(|(key, _)| *key)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        short,
        [
            (5, "A1", Some(2), vec![1]),
            (3, "A1", Some(2), vec![1]),
            // № 2 mentors two already.
            (4, "A1", Some(1), vec![]),
            // Nobody is strong in A2.
            (3, "A2", None, vec![]),
        ]
    );
    assert_eq!(pairs[0].mentor, Some((2, 90.0)));
    assert_eq!(pairs[0].mentee_score, 10.0);
}

#[test]
fn a_known_distance_then_the_load_break_a_tie_of_means() {
    let cells = [
        at(1, "A1", 80.0, Strength),
        at(2, "A1", 80.0, Strength),
        at(3, "A1", 20.0, Deficit),
        at(4, "A1", 25.0, Deficit),
    ];
    // № 3 is nearer to № 2; nothing is known about № 4.
    let near = |from: &u32, to: &u32| match (from, to) {
        (3, 2) => Some(1),
        (3, 1) => Some(5),
        _ => None,
    };
    let pairs = propose_pairs(&cells, PairRules::default(), near);
    assert_eq!(pairs[0].mentee, 3);
    assert_eq!(pairs[0].mentor, Some((2, 80.0)));
    // For № 4 the two are equal but № 2 mentors one already: № 1.
    assert_eq!(pairs[1].mentee, 4);
    assert_eq!(pairs[1].mentor, Some((1, 80.0)));
    assert_eq!(pairs[1].alternatives, [(2, 80.0)]);
}

#[test]
fn a_nearer_kindergarten_goes_first_among_the_equally_strong_but_never_before_a_stronger_one() {
    let cells = [
        at(1, "A1", 79.9, Strength),
        at(2, "A1", 70.0, Strength),
        at(5, "A1", 80.0, Strength),
        at(3, "A1", 20.0, Deficit),
    ];
    // № 3 shares its district with № 2 only.
    let district = |from: &u32, to: &u32| match (from, to) {
        (3, 2) => Some(0),
        (3, _) => Some(1),
        _ => None,
    };
    let pairs = propose_pairs(&cells, PairRules::default(), district);
    // 80 is a step above 79,9 and 70: the stronger goes first, wherever it is.
    assert_eq!(pairs[0].mentor, Some((5, 80.0)));
    // 79,9 and 70 are in one step: the nearer № 2 before the higher mean of № 1.
    assert_eq!(pairs[0].alternatives, [(2, 70.0), (1, 79.9)]);
    // With steps of one point, 79,9 is stronger than 70 again.
    let fine = PairRules {
        step: 1.0,
        ..PairRules::default()
    };
    let pairs = propose_pairs(&cells, fine, district);
    assert_eq!(pairs[0].alternatives, [(1, 79.9), (2, 70.0)]);
}

#[test]
fn the_rules_read_in_russian() {
    assert_eq!(
        rules(62.5).text(),
        "Сильная сторона: средний результат по области не ниже 62,5\u{a0}% (уровень «Интегратор») \
         или среди четверти лучших детских садов сети по области (если оценено не меньше 4 детских \
         садов), не меньше 5 анкет и достаточный охват. Дефицит: средний результат ниже 30\u{a0}% \
         или не меньше 25\u{a0}% педагогов с результатом по области ниже 30\u{a0}%. \
         Недостаточно данных: нет результата или охват ниже минимального."
    );
}
