//! Whether a target is attained: the observed figure against the bound.
//!
//! # The rule
//! * A figure is a value in the target's unit and the `n` it rests on (the people, observations
//!   or kindergartens counted, answers «не применимо» **excluded** from `n`: they are reported as
//!   `excluded`, never counted).
//! * **«Недостаточно данных»** when there is no figure ([`Observed::Missing`]) or it rests on fewer
//!   than `min_n` (and never on none): nothing is said about achievement, gap or change.
//! * **Achieved**: `actual ≥ target` for `at_least`, `actual ≤ target` for `at_most`, compared at 6
//!   decimals so that float noise never decides; a figure exactly at the bound is achieved.
//! * **Gap** = `actual − target`, signed, in the target's unit (percentage points for a percent):
//!   96 % against ≥ 100 % is −4 п.п.; 14 % against ≤ 10 % is +4 п.п. The sign is the direction of
//!   the figure from the bound, whatever the comparison; `achieved` says whether that is good.
//! * **Change** = `actual − compared`, when a figure of the compared period is given and is itself
//!   sufficient by the same `min_n`.
//!
//! Texts: a share of people or observations as [`Share::text`] has it (whole percents, one
//! decimal only where a whole would say «nobody» or «everybody»: «47 %», «0,2 %»), its gap and
//! change in whole percentage points unless the whole would say 0 when it is not («−53 п.п.»,
//! «+0,4 п.п.»); a mean result «57,1 %» and its differences («+2,5 п.п.») at one decimal at most,
//! none when it is whole; a count «12», «−3»; the minus sign U+2212.

use crate::coverage::CategoryCoverage;
use crate::share::Share;
use crate::targets::{Comparison, CoverageFigure, Source, Target, Unit};

/// An observed figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The value, in the target's unit.
    pub value: f64,
    /// What it rests on: people, observations, kindergartens counted.
    pub n: u32,
    /// Left out of `n` (answers «не применимо»), for the record.
    pub excluded: u32,
    /// The count behind a percent that is a share of people or observations (shown in whole
    /// percents); `None` for a mean result.
    pub share: Option<Share>,
}

impl Observed {
    /// `part` of `whole` in `unit` (the share, or the count `part`), `excluded` left out; missing
    /// when the whole is empty.
    pub fn counted(part: u32, whole: u32, excluded: u32, unit: Unit) -> Observed {
        match Share::new(part, whole) {
            None => Observed::Missing,
            Some(share) => Observed::Figure(Figure {
                value: match unit {
                    Unit::Percent => share.percent(),
                    Unit::Count => f64::from(part),
                },
                n: whole,
                excluded,
                share: (unit == Unit::Percent).then_some(share),
            }),
        }
    }

    /// A mean result (a node's score, in percent) resting on `n`; missing without a score.
    pub fn mean(score: Option<f64>, n: u32) -> Observed {
        match score {
            Some(value) if value.is_finite() => Observed::Figure(Figure {
                value,
                n,
                excluded: 0,
                share: None,
            }),
            _ => Observed::Missing,
        }
    }
}

/// A figure or its absence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observed {
    /// A figure was computed.
    Figure(Figure),
    /// The source gave nothing (no data for it in the period).
    Missing,
}

/// Why there is «недостаточно данных».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insufficient {
    /// No figure.
    Missing,
    /// A figure resting on `n`, fewer than `min_n`.
    TooFew {
        /// What it rests on.
        n: u32,
        /// The least it had to rest on.
        min_n: u32,
    },
}

/// A figure held to its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessed {
    /// The figure.
    pub actual: f64,
    /// What it rests on.
    pub n: u32,
    /// Left out of `n`.
    pub excluded: u32,
    /// Whether the target is achieved.
    pub achieved: bool,
    /// `actual − target`, in the target's unit.
    pub gap: f64,
    /// The count behind a share (see [`Figure::share`]).
    pub share: Option<Share>,
    /// The compared period's figure, when given and sufficient.
    pub compared: Option<f64>,
    /// `actual − compared`.
    pub change: Option<f64>,
}

/// The outcome of [`attainment`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// «Недостаточно данных».
    InsufficientData(Insufficient),
    /// The figure against the target.
    Assessed(Assessed),
}

/// A target and how far it is attained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attainment {
    /// The bound.
    pub target: f64,
    /// How the figure is held to it.
    pub comparison: Comparison,
    /// The unit of both.
    pub unit: Unit,
    /// The outcome.
    pub outcome: Outcome,
}

impl Attainment {
    /// «достигнуто», «не достигнуто» or «недостаточно данных».
    pub fn status_text(&self) -> &'static str {
        match self.outcome {
            Outcome::InsufficientData(_) => "недостаточно данных",
            Outcome::Assessed(Assessed { achieved: true, .. }) => "достигнуто",
            Outcome::Assessed(_) => "не достигнуто",
        }
    }

    /// «≥ 100 %».
    pub fn target_text(&self) -> String {
        format!(
            "{}\u{a0}{}",
            self.comparison.sign(),
            value_text(self.target, self.unit)
        )
    }

    /// The figure («96 %»), when assessed.
    pub fn actual_text(&self) -> Option<String> {
        self.assessed().map(|assessed| match assessed.share {
            Some(share) => share.text(),
            None => value_text(assessed.actual, self.unit),
        })
    }

    /// The gap («−4 п.п.»), when assessed.
    pub fn gap_text(&self) -> Option<String> {
        self.assessed()
            .map(|assessed| self.difference(assessed, assessed.gap))
    }

    /// The change since the compared period («+6 п.п.»), when there is one.
    pub fn change_text(&self) -> Option<String> {
        let assessed = self.assessed()?;
        assessed
            .change
            .map(|change| self.difference(assessed, change))
    }

    fn difference(&self, assessed: &Assessed, delta: f64) -> String {
        match assessed.share {
            Some(_) => whole_points_text(delta),
            None => difference_text(delta, self.unit),
        }
    }

    /// Whether the target is achieved; `None` with «недостаточно данных».
    pub fn achieved(&self) -> Option<bool> {
        self.assessed().map(|assessed| assessed.achieved)
    }

    fn assessed(&self) -> Option<&Assessed> {
        match &self.outcome {
            Outcome::Assessed(assessed) => Some(assessed),
            Outcome::InsufficientData(_) => None,
        }
    }
}

/// `target` against `observed` and, when given, the figure of the compared period; a figure
/// resting on fewer than `min_n` (or on none) is «недостаточно данных» (see the module).
pub fn attainment(
    target: &Target,
    observed: &Observed,
    compared: Option<&Observed>,
    min_n: u32,
) -> Attainment {
    let outcome = match sufficient(observed, min_n) {
        Err(insufficient) => Outcome::InsufficientData(insufficient),
        Ok(figure) => {
            let (actual, bound) = (round6(figure.value), round6(target.value()));
            let achieved = match target.comparison() {
                Comparison::AtLeast => actual >= bound,
                Comparison::AtMost => actual <= bound,
            };
            let compared = compared
                .and_then(|compared| sufficient(compared, min_n).ok())
                .map(|compared| compared.value);
            Outcome::Assessed(Assessed {
                actual: figure.value,
                n: figure.n,
                excluded: figure.excluded,
                share: figure.share,
                achieved,
                gap: actual - bound,
                compared,
                change: compared.map(|compared| actual - round6(compared)),
            })
        }
    };
    Attainment {
        target: target.value(),
        comparison: target.comparison(),
        unit: target.unit(),
        outcome,
    }
}

fn sufficient(observed: &Observed, min_n: u32) -> Result<Figure, Insufficient> {
    match *observed {
        Observed::Missing => Err(Insufficient::Missing),
        Observed::Figure(figure) if figure.n < min_n.max(1) => {
            Err(Insufficient::TooFew { n: figure.n, min_n })
        }
        Observed::Figure(figure) => Ok(figure),
    }
}

/// The figure of a coverage source in one scope: `Some` for [`Source::Coverage`], `None` for the
/// sources this crate does not compute (instruments, individual plans).
pub fn observe_coverage(target: &Target, scope: &crate::ScopeCoverage) -> Option<Observed> {
    match target.source() {
        Source::Coverage { figure, category } => Some(coverage_figure(
            scope.category(*category),
            *figure,
            target.unit(),
        )),
        _ => None,
    }
}

/// A coverage figure of one category: the share (for `%`) or the count, resting on its whole
/// (the active people, the people trained in the window, or the deficits); missing when that
/// whole is empty.
pub fn coverage_figure(
    coverage: &CategoryCoverage,
    figure: CoverageFigure,
    unit: Unit,
) -> Observed {
    let window = &coverage.window;
    let (part, whole) = match figure {
        CoverageFigure::Within36Months => (coverage.covered, coverage.active),
        CoverageFigure::TrainedInWindow => (window.people, coverage.active),
        CoverageFigure::TrainedWithDistance => (window.delivery.distance, window.people),
        CoverageFigure::TrainedOnRegister => (window.on_register.people, window.people),
        CoverageFigure::AddressedDeficits => match coverage.addressed_share() {
            Some(share) => (share.part, share.whole),
            None => (0, 0),
        },
    };
    Observed::counted(part, whole, 0, unit)
}

/// The share (or count) of answers with `value` among the answers with a value (`values`: how
/// many gave each value); answers «не применимо» are `excluded`, never counted.
pub fn item_value_figure(
    values: &[(f64, u32)],
    not_applicable: u32,
    value: f64,
    unit: Unit,
) -> Observed {
    let whole = values.iter().map(|&(_, count)| count).sum();
    let part = values
        .iter()
        .filter(|&&(given, _)| given == value)
        .map(|&(_, count)| count)
        .sum();
    Observed::counted(part, whole, not_applicable, unit)
}

/// The share (or count) of subjects at or above level `min_level` (an index into the instrument's
/// levels, lowest 0), of the subjects with a level in the area; those without one (nothing
/// answered in the area) are `excluded`.
pub fn level_share_figure(levels: &[Option<usize>], min_level: usize, unit: Unit) -> Observed {
    let with_level: Vec<usize> = levels.iter().flatten().copied().collect();
    let part = with_level
        .iter()
        .filter(|&&level| level >= min_level)
        .count();
    Observed::counted(
        u32::try_from(part).unwrap_or(u32::MAX),
        u32::try_from(with_level.len()).unwrap_or(u32::MAX),
        u32::try_from(levels.len() - with_level.len()).unwrap_or(u32::MAX),
        unit,
    )
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// `value` at one decimal at most, with a comma: «96», «57,1».
fn number_text(value: f64) -> String {
    let tenths = (value.abs() * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{:.0}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0).replace('.', ",")
    }
}

/// «96 %» or «12».
pub fn value_text(value: f64, unit: Unit) -> String {
    let sign = if (value * 10.0).round() < 0.0 {
        "−"
    } else {
        ""
    };
    match unit {
        Unit::Percent => format!("{sign}{}\u{a0}%", number_text(value)),
        Unit::Count => format!("{sign}{}", number_text(value)),
    }
}

/// A difference of shares in whole percentage points («−53 п.п.», «0 п.п.»), one decimal when
/// the whole would say 0 and it is not («+0,4 п.п.»).
pub fn whole_points_text(delta: f64) -> String {
    let tenths = (delta * 10.0).round();
    if tenths != 0.0 && delta.abs() < 0.5 {
        return difference_text(delta, Unit::Percent);
    }
    let whole = delta.round();
    let sign = if whole > 0.0 {
        "+"
    } else if whole < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{:.0}\u{a0}п.п.", whole.abs())
}

/// «−4 п.п.», «+2,5 п.п.», «0 п.п.»; for a count «−3».
pub fn difference_text(delta: f64, unit: Unit) -> String {
    let tenths = (delta * 10.0).round();
    let sign = if tenths > 0.0 {
        "+"
    } else if tenths < 0.0 {
        "−"
    } else {
        ""
    };
    match unit {
        Unit::Percent => format!("{sign}{}\u{a0}п.п.", number_text(delta)),
        Unit::Count => format!("{sign}{}", number_text(delta)),
    }
}

#[cfg(test)]
mod tests;
