//! The strengths matrix of a network — kindergartens × areas of an instrument in a period, each
//! cell a strength, the norm or a deficit — and the mentoring pairs it proposes: for each deficit
//! cell, a kindergarten strong in that area.
//!
//! # A cell ([`classify_area`])
//! A cell is a kindergarten's mean in an area (its counted submissions, as its report has it),
//! with the number of submissions `n` and whether its coverage is enough for conclusions. Scores
//! are compared rounded to 6 decimals, as every bound is. In this order:
//!
//! 1. **недостаточно данных** — no mean, or its coverage is below the network's minimum;
//! 2. **дефицит** — the mean below the instrument's deficit threshold ([`MatrixRules::deficit_below`]),
//!    or at least [`MatrixRules::deficit_share_from`] (a quarter) of its people with a score in the
//!    area below that threshold themselves (a kindergarten's mean hides the teachers who need
//!    help);
//! 3. **сильная сторона** — `n` ≥ [`MatrixRules::min_n`] (5) and either the mean at or above the
//!    lower bound of the named level band ([`MatrixRules::strength_from`]), or — with
//!    [`MatrixRules::top_quarter`] and at least 4 kindergartens eligible in the area (a mean,
//!    enough coverage, `n` ≥ `min_n`) — in the network's top quarter: fewer than ⌈k / 4⌉ of the
//!    `k` eligible kindergartens have a strictly higher mean (so kindergartens tied at the
//!    boundary are all in);
//! 4. **норма** — otherwise.
//!
//! # Mentoring pairs ([`propose_pairs`])
//! Deficit cells are taken from the lowest mean up (ties: the area's order, then the
//! kindergarten's). Each gets the first of the kindergartens strong in the same area (never
//! itself) that mentors fewer than [`PairRules::cap`] deficits so far, in this preference: the
//! stronger mean, counted in whole steps of [`PairRules::step`] percentage points (with the
//! default 10, means of 71 and 78 are as strong, 81 is stronger); then the shorter distance,
//! when one is known (a kindergarten pair without one comes after those with one); then the
//! lighter load so far; then the higher mean; then the kindergarten's key. Up to
//! two more candidates of the same order are kept as alternatives. A deficit cell with no free
//! strong kindergarten gets none, and says so. A proposal is advice: both heads confirm a pair.
//! The teachers' own pairs across kindergartens are [`TeacherPairing`]'s (module `teachers`).

use std::collections::BTreeMap;

use vsoko_checklist::round6;

use crate::attainment::value_text;
use crate::targets::Unit;

/// The rules of the matrix, as data: the page and the file state them.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRules {
    /// A mean at or above this (percent: the lower bound of a level band) is a strength.
    pub strength_from: f64,
    /// The name of that level band, for the rule in words.
    pub strength_level: String,
    /// Whether the network's top quarter is a strength too.
    pub top_quarter: bool,
    /// The least number of submissions of a strength.
    pub min_n: u32,
    /// A mean below this (percent: the instrument's deficit threshold) is a deficit.
    pub deficit_below: f64,
    /// So is a share (0–1) of its people below that threshold at least this.
    pub deficit_share_from: f64,
}

impl MatrixRules {
    /// The rules in words, for the page and the file.
    pub fn text(&self) -> String {
        let quarter = if self.top_quarter {
            " или среди четверти лучших детских садов сети по области (если оценено не меньше 4 детских садов)"
        } else {
            ""
        };
        format!(
            "Сильная сторона: средний результат по области не ниже {} (уровень «{}»){quarter}, \
             не меньше {} анкет и достаточный охват. Дефицит: средний результат ниже {} \
             или не меньше {} педагогов с результатом по области ниже {}. \
             Недостаточно данных: нет результата или охват ниже минимального.",
            value_text(self.strength_from, Unit::Percent),
            self.strength_level,
            self.min_n,
            value_text(self.deficit_below, Unit::Percent),
            value_text(self.deficit_share_from * 100.0, Unit::Percent),
            value_text(self.deficit_below, Unit::Percent),
        )
    }
}

/// What a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellClass {
    /// «сильная сторона».
    Strength,
    /// «норма».
    Norm,
    /// «дефицит».
    Deficit,
    /// «недостаточно данных».
    Insufficient,
}

impl CellClass {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            CellClass::Strength => "сильная сторона",
            CellClass::Norm => "норма",
            CellClass::Deficit => "дефицит",
            CellClass::Insufficient => "недостаточно данных",
        }
    }

    /// A stable code (API, CSS).
    pub fn code(self) -> &'static str {
        match self {
            CellClass::Strength => "strength",
            CellClass::Norm => "norm",
            CellClass::Deficit => "deficit",
            CellClass::Insufficient => "insufficient",
        }
    }
}

/// One kindergarten's result in one area.
#[derive(Debug, Clone, PartialEq)]
pub struct CellInput {
    /// Its mean, percent; `None` without one.
    pub score: Option<f64>,
    /// Its counted submissions.
    pub n: u32,
    /// Whether its coverage is enough for conclusions.
    pub coverage_enough: bool,
    /// The share (0–1) of its people with a score in the area who are below the deficit
    /// threshold; `None` when unknown.
    pub deficit_share: Option<f64>,
}

/// The classes of one area's cells (every kindergarten of the network), in their order.
pub fn classify_area(rules: &MatrixRules, cells: &[CellInput]) -> Vec<CellClass> {
    let eligible: Vec<f64> = cells
        .iter()
        .filter(|cell| cell.coverage_enough && cell.n >= rules.min_n)
        .filter_map(|cell| cell.score.map(round6))
        .collect();
    let quota = eligible.len().div_ceil(4);
    cells
        .iter()
        .map(|cell| {
            let Some(score) = cell.score.map(round6).filter(|_| cell.coverage_enough) else {
                return CellClass::Insufficient;
            };
            let many_below = cell
                .deficit_share
                .is_some_and(|share| round6(share) >= round6(rules.deficit_share_from));
            if score < round6(rules.deficit_below) || many_below {
                return CellClass::Deficit;
            }
            let high = score >= round6(rules.strength_from);
            let top = rules.top_quarter
                && eligible.len() >= 4
                && eligible.iter().filter(|other| **other > score).count() < quota;
            if cell.n >= rules.min_n && (high || top) {
                CellClass::Strength
            } else {
                CellClass::Norm
            }
        })
        .collect()
}

/// The rules of the pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRules {
    /// The most deficits one kindergarten mentors.
    pub cap: u32,
    /// Means in the same whole step of this many percentage points are as strong: the nearer
    /// kindergarten goes first among them.
    pub step: f64,
}

impl PairRules {
    /// The step a mean is in (0–9 with the default step).
    fn tier(&self, score: f64) -> i64 {
        if self.step > 0.0 {
            (score / self.step).floor() as i64
        } else {
            0
        }
    }
}

impl Default for PairRules {
    fn default() -> Self {
        PairRules { cap: 2, step: 10.0 }
    }
}

/// A classified cell, as the pairs read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<K> {
    /// The kindergarten.
    pub kindergarten: K,
    /// The area's code.
    pub area: String,
    /// Its mean.
    pub score: Option<f64>,
    /// Its class.
    pub class: CellClass,
}

/// A proposed pair: a kindergarten with a deficit in an area and its mentor.
#[derive(Debug, Clone, PartialEq)]
pub struct PairProposal<K> {
    /// The kindergarten with the deficit.
    pub mentee: K,
    /// The area.
    pub area: String,
    /// Its mean there.
    pub mentee_score: f64,
    /// The proposed mentor and its mean there; `None`: no strong kindergarten is free.
    pub mentor: Option<(K, f64)>,
    /// Other free strong kindergartens, in the same order.
    pub alternatives: Vec<(K, f64)>,
}

/// The pairs proposed for `cells` (every cell of the matrix; the area order is the order areas
/// first appear in), by the rules of the module; `distance` between two kindergartens when
/// known.
pub fn propose_pairs<K: Ord + Clone>(
    cells: &[Cell<K>],
    rules: PairRules,
    distance: impl Fn(&K, &K) -> Option<u32>,
) -> Vec<PairProposal<K>> {
    let mut area_order: Vec<&str> = Vec::new();
    for cell in cells {
        if !area_order.contains(&cell.area.as_str()) {
            area_order.push(&cell.area);
        }
    }
    let position = |area: &str| area_order.iter().position(|known| *known == area);
    let mut deficits: Vec<(&Cell<K>, f64)> = cells
        .iter()
        .filter(|cell| cell.class == CellClass::Deficit)
        .filter_map(|cell| cell.score.map(|score| (cell, round6(score))))
        .collect();
    deficits.sort_by(|(a, a_score), (b, b_score)| {
        a_score
            .total_cmp(b_score)
            .then_with(|| position(&a.area).cmp(&position(&b.area)))
            .then_with(|| a.kindergarten.cmp(&b.kindergarten))
    });
    let mut load: BTreeMap<K, u32> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (deficit, score) in deficits {
        let mut candidates: Vec<(&K, f64, Option<u32>, u32)> = cells
            .iter()
            .filter(|cell| cell.area == deficit.area && cell.class == CellClass::Strength)
            .filter(|cell| cell.kindergarten != deficit.kindergarten)
            .filter_map(|cell| {
                let load = load.get(&cell.kindergarten).copied().unwrap_or(0);
                (load < rules.cap).then_some((
                    &cell.kindergarten,
                    round6(cell.score?),
                    distance(&deficit.kindergarten, &cell.kindergarten),
                    load,
                ))
            })
            .collect();
        candidates.sort_by(|a, b| {
            rules
                .tier(b.1)
                .cmp(&rules.tier(a.1))
                .then_with(|| match (a.2, b.2) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
                .then_with(|| a.3.cmp(&b.3))
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| a.0.cmp(b.0))
        });
        let mut chosen = candidates
            .into_iter()
            .map(|(key, score, _, _)| (key.clone(), score));
        let mentor = chosen.next();
        if let Some((key, _)) = &mentor {
            *load.entry(key.clone()).or_insert(0) += 1;
        }
        pairs.push(PairProposal {
            mentee: deficit.kindergarten.clone(),
            area: deficit.area.clone(),
            mentee_score: score,
            mentor,
            alternatives: chosen.take(2).collect(),
        });
    }
    pairs
}

mod teachers;

pub use teachers::{PersonInArea, TeacherPairProposal, TeacherPairing};

#[cfg(test)]
mod tests;
