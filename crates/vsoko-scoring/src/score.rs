//! Scoring one submission in plain Rust: cheap enough for every API request.

use vsoko_checklist::{
    AnswerSheet, AnswerValue, Direction, IndicatorKind, Instrument, NumericRule, Scale, ScaleKind,
    round6,
};

use crate::error::ScoringError;
use crate::submission::{NodeKind, NodeScore, SubmissionScore};

/// The score in `[0, 1]` of a value on a scale (semantics §1 of the crate docs).
///
/// The value is assumed to be valid for the scale ([`vsoko_checklist::check_value`]); a value
/// outside the scale's range is clamped to `[0, 1]`.
pub fn item_score(scale: &Scale, value: f64) -> f64 {
    let score = match scale.kind() {
        ScaleKind::Options(options) => {
            let lo = options[0].value();
            let hi = options[options.len() - 1].value();
            (value - lo) / (hi - lo)
        }
        ScaleKind::Numeric { rule, .. } => match rule {
            NumericRule::Target {
                target,
                direction: Direction::MoreIsBetter,
            } => value / target,
            NumericRule::Target {
                target,
                direction: Direction::LessIsBetter,
            } => {
                if value <= 0.0 {
                    1.0
                } else {
                    target / value
                }
            }
            NumericRule::Bands(bands) => {
                let (lo, hi) = points_range(bands.iter().map(|band| band.points()));
                let points = bands
                    .iter()
                    .rev()
                    .find(|band| band.from() <= value)
                    .unwrap_or(&bands[0])
                    .points();
                (points - lo) / (hi - lo)
            }
        },
    };
    score.clamp(0.0, 1.0)
}

/// Smallest and largest of the band points.
pub(crate) fn points_range(points: impl Iterator<Item = f64>) -> (f64, f64) {
    points.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p), hi.max(p))
    })
}

/// Whether a value is the lowest option of an options scale (what trips a critical item).
pub fn is_lowest_option(scale: &Scale, value: f64) -> bool {
    scale
        .options()
        .is_some_and(|options| options[0].value() == value)
}

/// Coverage in percent: `answered × 100 / items`, one rounding only.
pub(crate) fn coverage(answered: u32, items: u32) -> f64 {
    if items == 0 {
        0.0
    } else {
        f64::from(answered) * 100.0 / f64::from(items)
    }
}

/// Running sums of one node.
#[derive(Debug, Default, Clone, Copy)]
struct Acc {
    weighted: f64,
    weights: f64,
    items: u32,
    answered: u32,
    critical: bool,
}

/// Scores one submission: every node with its percent, level, coverage, deficit and critical flag,
/// in instrument order (the total, then each area followed by its indicators, then the variable
/// part when the instrument has variable indicators). Unscored items take no part.
///
/// Fails only when the sheet was checked against another instrument version.
pub fn score_submission(
    instrument: &Instrument,
    answers: &AnswerSheet,
) -> Result<SubmissionScore, ScoringError> {
    if answers.instrument() != instrument.id() {
        return Err(ScoringError::InstrumentMismatch {
            instrument: instrument.id().clone(),
            sheet: answers.instrument().clone(),
        });
    }
    let min_coverage = instrument.min_coverage().get();
    let node = |kind: NodeKind, code: &str, acc: Acc| -> NodeScore {
        finish_node(instrument, kind, code, acc, min_coverage)
    };

    let mut nodes = Vec::with_capacity(2 + instrument.areas().len() * 4);
    nodes.push(node(NodeKind::Total, "", Acc::default())); // replaced below
    let mut critical_items = Vec::new();
    let mut total = Acc::default();
    let mut variable = Acc::default();
    let mut has_variable = false;
    for area in instrument.areas() {
        let area_slot = nodes.len();
        nodes.push(node(NodeKind::Area, "", Acc::default())); // replaced below
        let mut area_acc = Acc::default();
        for indicator in area.indicators() {
            let mut acc = Acc::default();
            for item in indicator.items().iter().filter(|item| item.is_scored()) {
                acc.items += 1;
                let Some(answer) = answers.get(item.code().as_str()) else {
                    continue;
                };
                let AnswerValue::Value(value) = answer.value else {
                    continue;
                };
                let scale = instrument.scale_of(item);
                let weight = item.weight().get();
                acc.weighted += weight * item_score(scale, value);
                acc.weights += weight;
                acc.answered += 1;
                if item.is_critical() && is_lowest_option(scale, value) {
                    acc.critical = true;
                    critical_items.push(item.code().to_string());
                }
            }
            let scored = node(NodeKind::Indicator, indicator.code().as_str(), acc);
            // A variable indicator counts in the variable part, never in its area (semantics §2).
            let parent = if indicator.kind() == IndicatorKind::Variable {
                has_variable = true;
                &mut variable
            } else {
                &mut area_acc
            };
            parent.items += acc.items;
            parent.answered += acc.answered;
            parent.critical |= acc.critical;
            if let Some(percent) = scored.percent {
                let weight = indicator.weight().get();
                parent.weighted += weight * percent;
                parent.weights += weight;
            }
            nodes.push(scored);
        }
        let scored = node(NodeKind::Area, area.code().as_str(), area_acc);
        total.items += area_acc.items;
        total.answered += area_acc.answered;
        total.critical |= area_acc.critical;
        if let Some(percent) = scored.percent {
            let weight = area.weight().get();
            total.weighted += weight * percent;
            total.weights += weight;
        }
        nodes[area_slot] = scored;
    }
    nodes[0] = node(NodeKind::Total, instrument.code().as_str(), total);
    if has_variable {
        nodes.push(node(
            NodeKind::Variable,
            NodeKind::Variable.as_str(),
            variable,
        ));
    }
    Ok(SubmissionScore {
        instrument: instrument.id().clone(),
        nodes,
        critical_items,
    })
}

/// Turns a node's sums into its score. For indicators `weighted`/`weights` are over item scores in
/// `[0, 1]`; for areas and the total over child percents.
fn finish_node(
    instrument: &Instrument,
    kind: NodeKind,
    code: &str,
    acc: Acc,
    min_coverage: f64,
) -> NodeScore {
    let coverage = coverage(acc.answered, acc.items);
    let valid = acc.answered > 0 && acc.weights > 0.0 && round6(coverage) >= min_coverage;
    let percent = valid.then(|| {
        let mean = acc.weighted / acc.weights;
        if kind == NodeKind::Indicator {
            mean * 100.0
        } else {
            mean
        }
    });
    let levels = instrument.levels();
    let level = percent.map(|p| {
        if acc.critical {
            levels.lowest().code().to_string()
        } else {
            levels.level_of(p).code().to_string()
        }
    });
    let deficit = percent.is_some_and(|p| instrument.is_deficit(p));
    NodeScore {
        kind,
        code: code.to_owned(),
        percent,
        level,
        coverage,
        n_items: acc.items,
        n_answered: acc.answered,
        critical: acc.critical,
        deficit,
    }
}
