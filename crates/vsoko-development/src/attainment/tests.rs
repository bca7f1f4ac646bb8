use super::*;
use crate::coverage::{CategoryCoverage, Delivery, ScopeCoverage, WindowTraining};
use crate::targets::parse_targets;

/// One target read from a file, as the use cases will have it.
fn target(comparison: &str, value: f64, unit: &str) -> Target {
    let source = format!(
        "[[targets]]\n\
         code = \"t\"\n\
         title = \"Цель\"\n\
         source = {{ kind = \"coverage\", figure = \"within_36_months\", category = \"teacher\" }}\n\
         comparison = \"{comparison}\"\n\
         value = {value}\n\
         unit = \"{unit}\"\n"
    );
    let set = parse_targets(&source, "test.toml").expect("a valid target");
    set.targets()[0].clone()
}

fn figure(value: f64, n: u32) -> Observed {
    Observed::Figure(Figure {
        value,
        n,
        excluded: 0,
        share: None,
    })
}

fn share(value: f64, part: u32, whole: u32) -> Observed {
    Observed::Figure(Figure {
        value,
        n: whole,
        excluded: 0,
        share: Share::new(part, whole),
    })
}

fn assessed(attainment: &Attainment) -> Assessed {
    match attainment.outcome {
        Outcome::Assessed(assessed) => assessed,
        Outcome::InsufficientData(why) => panic!("insufficient: {why:?}"),
    }
}

fn plain(text: Option<String>) -> Option<String> {
    text.map(|text| text.replace('\u{a0}', " "))
}

#[test]
fn exactly_at_the_bound_is_achieved() {
    // 20 of 20 = 100 % against ≥ 100 %: achieved, gap 0.
    let result = attainment(&target("at_least", 100.0, "%"), &figure(100.0, 20), None, 3);
    assert_eq!(result.status_text(), "достигнуто");
    assert_eq!(assessed(&result).gap, 0.0);
    assert_eq!(plain(result.gap_text()).as_deref(), Some("0 п.п."));
    assert_eq!(result.target_text().replace('\u{a0}', " "), "≥ 100 %");
    // 0.07 × 100 is 7.000000000000001 in floating point; at 6 decimals it is 7: at the bound of
    // ≥ 7 % and of ≤ 7 %, achieved both ways.
    let seven = figure(0.07 * 100.0, 100);
    assert_ne!(0.07 * 100.0, 7.0);
    for comparison in ["at_least", "at_most"] {
        let result = attainment(&target(comparison, 7.0, "%"), &seven, None, 3);
        assert_eq!(result.status_text(), "достигнуто", "{comparison}");
    }
}

#[test]
fn below_an_at_least_target_the_gap_is_negative() {
    // 24 of 25 = 96 % against ≥ 100 %: not achieved, −4 п.п.
    let result = attainment(&target("at_least", 100.0, "%"), &figure(96.0, 25), None, 3);
    assert_eq!(result.status_text(), "не достигнуто");
    assert_eq!(plain(result.actual_text()).as_deref(), Some("96 %"));
    assert_eq!(plain(result.gap_text()).as_deref(), Some("−4 п.п."));
}

#[test]
fn an_at_most_target_is_achieved_below_or_at_the_bound() {
    let bound = target("at_most", 10.0, "%");
    // 14 % against ≤ 10 %: not achieved, the figure is 4 п.п. above the bound.
    let above = attainment(&bound, &figure(14.0, 50), None, 3);
    assert_eq!(above.status_text(), "не достигнуто");
    assert_eq!(plain(above.gap_text()).as_deref(), Some("+4 п.п."));
    // 10 %: achieved; 8 %: achieved, 2 п.п. below.
    assert_eq!(
        attainment(&bound, &figure(10.0, 50), None, 3).status_text(),
        "достигнуто"
    );
    let below = attainment(&bound, &figure(8.0, 50), None, 3);
    assert_eq!(below.status_text(), "достигнуто");
    assert_eq!(plain(below.gap_text()).as_deref(), Some("−2 п.п."));
}

#[test]
fn a_missing_source_or_too_small_a_base_is_insufficient_data() {
    let bound = target("at_least", 100.0, "%");
    let missing = attainment(&bound, &Observed::Missing, None, 3);
    assert_eq!(
        missing.outcome,
        Outcome::InsufficientData(Insufficient::Missing)
    );
    assert_eq!(missing.status_text(), "недостаточно данных");
    assert_eq!(missing.gap_text(), None);
    // 2 people, at least 3 needed.
    let few = attainment(&bound, &figure(100.0, 2), None, 3);
    assert_eq!(
        few.outcome,
        Outcome::InsufficientData(Insufficient::TooFew { n: 2, min_n: 3 })
    );
    // No minimum still needs someone.
    let none = attainment(&bound, &figure(0.0, 0), None, 0);
    assert_eq!(
        none.outcome,
        Outcome::InsufficientData(Insufficient::TooFew { n: 0, min_n: 0 })
    );
}

#[test]
fn answers_not_applicable_are_left_out_of_the_base() {
    // 10 observed занятия: 3 «не применимо», 4 with the value of 7 answered: 4 / 7 = 57,14 %,
    // resting on 7, not 10.
    let observed = Observed::Figure(Figure {
        value: 4.0 * 100.0 / 7.0,
        n: 7,
        excluded: 3,
        share: None,
    });
    let bound = target("at_least", 50.0, "%");
    // A minimum of 8: 7 is too few, although 10 were observed.
    assert_eq!(
        attainment(&bound, &observed, None, 8).outcome,
        Outcome::InsufficientData(Insufficient::TooFew { n: 7, min_n: 8 })
    );
    // A minimum of 5: assessed; 57,1 % ≥ 50 %, +7,1 п.п.
    let result = attainment(&bound, &observed, None, 5);
    let figures = assessed(&result);
    assert_eq!(
        (figures.n, figures.excluded, figures.achieved),
        (7, 3, true)
    );
    assert_eq!(plain(result.actual_text()).as_deref(), Some("57,1 %"));
    assert_eq!(plain(result.gap_text()).as_deref(), Some("+7,1 п.п."));
}

#[test]
fn the_change_since_the_compared_period() {
    let bound = target("at_least", 100.0, "%");
    // 96 % now, 90 % then: +6 п.п.
    let result = attainment(&bound, &figure(96.0, 25), Some(&figure(90.0, 20)), 3);
    assert_eq!(assessed(&result).compared, Some(90.0));
    assert_eq!(plain(result.change_text()).as_deref(), Some("+6 п.п."));
    // Then resting on 2 people: no change is claimed.
    let result = attainment(&bound, &figure(96.0, 25), Some(&figure(50.0, 2)), 3);
    assert_eq!(assessed(&result).change, None);
    assert_eq!(result.change_text(), None);
}

#[test]
fn a_count_target_speaks_in_numbers() {
    // 17 trained against ≥ 20: −3.
    let result = attainment(
        &target("at_least", 20.0, "count"),
        &figure(17.0, 40),
        None,
        3,
    );
    assert_eq!(result.status_text(), "не достигнуто");
    assert_eq!(result.actual_text().as_deref(), Some("17"));
    assert_eq!(result.gap_text().as_deref(), Some("−3"));
}

#[test]
fn coverage_figures_rest_on_their_own_base() {
    let teachers = CategoryCoverage {
        active: 25,
        covered: 24,
        window: WindowTraining {
            people: 8,
            delivery: Delivery {
                in_person: 5,
                distance: 3,
            },
            ..WindowTraining::default()
        },
        addressing: Vec::new(),
    };
    // Within 36 months: 24 / 25 = 96 %, resting on the 25 active.
    assert_eq!(
        coverage_figure(&teachers, CoverageFigure::Within36Months, Unit::Percent),
        share(96.0, 24, 25)
    );
    // With ДОТ: 3 of the 8 trained = 37,5 %, resting on 8; as a count, 3.
    assert_eq!(
        coverage_figure(
            &teachers,
            CoverageFigure::TrainedWithDistance,
            Unit::Percent
        ),
        share(37.5, 3, 8)
    );
    assert_eq!(
        coverage_figure(&teachers, CoverageFigure::TrainedWithDistance, Unit::Count),
        figure(3.0, 8)
    );
    // No deficits at all: no figure.
    assert_eq!(
        coverage_figure(&teachers, CoverageFigure::AddressedDeficits, Unit::Percent),
        Observed::Missing
    );
    // Through the target: the teachers' figure of a scope.
    let scope = ScopeCoverage {
        teachers,
        management: CategoryCoverage::default(),
    };
    let bound = target("at_least", 100.0, "%");
    assert_eq!(observe_coverage(&bound, &scope), Some(share(96.0, 24, 25)));
}

#[test]
fn a_target_on_control_cards_leaves_not_applicable_out() {
    // card-ood O5.1.3 over 9 observed занятия: 4 «да» (1), 3 «нет» (0), 2 «не применимо».
    // The share is 4 of 7 = 57 %, resting on 7; the 2 are excluded, not counted as «нет».
    let values = [(0.0, 3), (1.0, 4)];
    let observed = item_value_figure(&values, 2, 1.0, Unit::Percent);
    let Observed::Figure(found) = observed else {
        panic!("a figure: {observed:?}")
    };
    assert_eq!((found.n, found.excluded), (7, 2));
    assert_eq!(found.share, Share::new(4, 7));
    let result = attainment(&target("at_least", 60.0, "%"), &observed, None, 5);
    assert_eq!(result.status_text(), "не достигнуто");
    // Shares read as whole percents, their gap in whole points.
    assert_eq!(plain(result.actual_text()).as_deref(), Some("57 %"));
    assert_eq!(plain(result.gap_text()).as_deref(), Some("−3 п.п."));
    // Everything «не применимо»: no figure, «недостаточно данных».
    let none = item_value_figure(&[], 9, 1.0, Unit::Percent);
    assert_eq!(none, Observed::Missing);
    assert_eq!(
        attainment(&target("at_least", 60.0, "%"), &none, None, 1).status_text(),
        "недостаточно данных"
    );
    // As a count: the 4 занятия.
    assert_eq!(
        item_value_figure(&values, 2, 1.0, Unit::Count),
        Observed::Figure(Figure {
            value: 4.0,
            n: 7,
            excluded: 2,
            share: None,
        })
    );
}

#[test]
fn the_share_at_or_above_a_level() {
    // Five teachers: levels 0, 2, 3, 1 and one with nothing answered in the area. At or above
    // level 2: 2 of the 4 with a level = 50 %; the one without is excluded.
    let levels = [Some(0), Some(2), Some(3), Some(1), None];
    let Observed::Figure(found) = level_share_figure(&levels, 2, Unit::Percent) else {
        panic!("a figure")
    };
    assert_eq!((found.value, found.n, found.excluded), (50.0, 4, 1));
    assert_eq!(
        level_share_figure(&[None, None], 1, Unit::Percent),
        Observed::Missing
    );
    // Level 0 counts everybody with a level.
    let Observed::Figure(all) = level_share_figure(&levels, 0, Unit::Percent) else {
        panic!("a figure")
    };
    assert_eq!(all.value, 100.0);
}

#[test]
fn differences_of_shares_are_whole_points_unless_that_says_zero() {
    assert_eq!(
        whole_points_text(-53.333).replace('\u{a0}', " "),
        "−53 п.п."
    );
    assert_eq!(whole_points_text(0.4).replace('\u{a0}', " "), "+0,4 п.п.");
    assert_eq!(whole_points_text(-0.04).replace('\u{a0}', " "), "0 п.п.");
    assert_eq!(whole_points_text(0.0).replace('\u{a0}', " "), "0 п.п.");
    assert_eq!(whole_points_text(2.5).replace('\u{a0}', " "), "+3 п.п.");
    // A coverage share of 28 of 60 reads as the coverage line does: 47 %, −53 п.п. against 100 %.
    let coverage = Observed::counted(28, 60, 0, Unit::Percent);
    let result = attainment(&target("at_least", 100.0, "%"), &coverage, None, 1);
    assert_eq!(plain(result.actual_text()).as_deref(), Some("47 %"));
    assert_eq!(plain(result.gap_text()).as_deref(), Some("−53 п.п."));
    // A mean result keeps its decimal.
    let mean = Observed::mean(Some(57.14), 12);
    let result = attainment(&target("at_least", 60.0, "%"), &mean, None, 1);
    assert_eq!(plain(result.actual_text()).as_deref(), Some("57,1 %"));
    assert_eq!(plain(result.gap_text()).as_deref(), Some("−2,9 п.п."));
    assert_eq!(Observed::mean(None, 12), Observed::Missing);
}
