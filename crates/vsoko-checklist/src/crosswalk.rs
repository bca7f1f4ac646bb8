//! Which nodes of two versions of one instrument can be compared: the crosswalk a later version
//! declares ([`crate::Crosswalk`]), checked against the content of both versions.
//!
//! Rules (the contract of dynamics across versions):
//! * a node of the later version is compared with the earlier node it is `same` as or `renamed`
//!   from; `split`, `merged` and `new` nodes have no comparable earlier node
//!   («нет сопоставимых данных»);
//! * a node the crosswalk does not list is `same` as the earlier node of that code, when there is
//!   one, and `new` otherwise;
//! * `same` and `renamed` promise the same scored content, and that promise is checked: an
//!   indicator has the same scored items in order (weight, critical flag, the scale's values and
//!   rule; codes and wording may differ) and the same kind (invariant or variable); an area
//!   (and the total) has its invariant indicators (areas) each comparable with, in order, the
//!   earlier node's, with the same weights. A broken promise is an error of the later file;
//! * two versions with no crosswalk between them are comparable only when their item codes are
//!   identical (then every node is matched by its code).

use std::collections::{BTreeSet, HashMap};

use crate::model::{Area, Indicator, IndicatorKind, Instrument, Relation, Scale, ScaleKind};

/// For each node code of the later version, the code of the comparable node of the earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondence {
    earlier: HashMap<String, Option<String>>,
}

impl Correspondence {
    /// The earlier node comparable with the node `code` of the later version (for the total: the
    /// later instrument code), or `None` when there is none.
    pub fn earlier(&self, code: &str) -> Option<&str> {
        self.earlier.get(code).and_then(|c| c.as_deref())
    }
}

/// Why two versions cannot be compared at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrosswalkError {
    /// Different instruments, or versions with neither a crosswalk nor identical item codes.
    NotLinked,
    /// The crosswalk promises what the content does not keep: one message per broken promise.
    Broken(Vec<String>),
}

/// How the nodes of `later` correspond to those of `earlier`, two versions of one instrument in
/// either order of arguments: `a` is the version of the compared (earlier) period, `b` that of
/// the reported one. The result maps node codes of `b` to node codes of `a`.
pub fn correspondence(a: &Instrument, b: &Instrument) -> Result<Correspondence, CrosswalkError> {
    if a.code() != b.code() {
        return Err(CrosswalkError::NotLinked);
    }
    if a.id() == b.id() {
        return Ok(identity(b));
    }
    let (earlier, later, forward) = if a.version() < b.version() {
        (a, b, true)
    } else {
        (b, a, false)
    };
    match later.crosswalk() {
        Some(crosswalk) if crosswalk.from_version() == earlier.version() => {
            let map = declared(earlier, later)?;
            if forward {
                Ok(map)
            } else {
                // Reported on the earlier version, compared with the later one: invert.
                let mut inverted: HashMap<String, Option<String>> = node_codes(earlier)
                    .into_iter()
                    .map(|code| (code, None))
                    .collect();
                for (later_code, earlier_code) in map.earlier {
                    if let Some(earlier_code) = earlier_code {
                        inverted.insert(earlier_code, Some(later_code));
                    }
                }
                Ok(Correspondence { earlier: inverted })
            }
        }
        _ => {
            let items = |i: &Instrument| -> BTreeSet<String> {
                i.items().map(|r| r.item.code().to_string()).collect()
            };
            if items(a) == items(b) {
                Ok(identity_with(b, a))
            } else {
                Err(CrosswalkError::NotLinked)
            }
        }
    }
}

/// Checks the crosswalk of `later` against `earlier` (the version it names): every broken
/// promise, as one message each.
pub fn check_crosswalk(earlier: &Instrument, later: &Instrument) -> Vec<String> {
    match declared(earlier, later) {
        Ok(_) => Vec::new(),
        Err(CrosswalkError::Broken(messages)) => messages,
        Err(CrosswalkError::NotLinked) => vec![format!(
            "{} is not the version {}'s crosswalk names",
            earlier.id(),
            later.id()
        )],
    }
}

/// Every node code of an instrument: the total (instrument code), areas, indicators.
fn node_codes(instrument: &Instrument) -> Vec<String> {
    let mut codes = vec![instrument.code().to_string()];
    for area in instrument.areas() {
        codes.push(area.code().to_string());
        codes.extend(area.indicators().iter().map(|i| i.code().to_string()));
    }
    codes
}

fn identity(instrument: &Instrument) -> Correspondence {
    identity_with(instrument, instrument)
}

/// Nodes matched by code (the total with the total).
fn identity_with(b: &Instrument, a: &Instrument) -> Correspondence {
    let known: BTreeSet<String> = node_codes(a).into_iter().collect();
    let mut earlier: HashMap<String, Option<String>> = node_codes(b)
        .into_iter()
        .map(|code| {
            let found = known.contains(&code).then(|| code.clone());
            (code, found)
        })
        .collect();
    earlier.insert(b.code().to_string(), Some(a.code().to_string()));
    Correspondence { earlier }
}

/// The crosswalk of `later` (which names `earlier`) with defaults applied and promises checked.
fn declared(earlier: &Instrument, later: &Instrument) -> Result<Correspondence, CrosswalkError> {
    let Some(crosswalk) = later.crosswalk() else {
        return Err(CrosswalkError::NotLinked);
    };
    if crosswalk.from_version() != earlier.version() || earlier.code() != later.code() {
        return Err(CrosswalkError::NotLinked);
    }
    let total = later.code().to_string();
    let old_nodes = Nodes::of(earlier);
    let mut problems = Vec::new();
    let mut map: HashMap<String, Option<String>> = HashMap::new();
    for code in node_codes(later) {
        let level = Nodes::of(later).level(&code);
        let node = crosswalk.node(&code);
        let mapped = match node {
            Some(node) => {
                for from in node.from() {
                    if old_nodes.level(from) != level {
                        problems.push(format!(
                            "crosswalk node \"{code}\": \"{from}\" is not {} of {}",
                            level.name(),
                            earlier.id()
                        ));
                    }
                }
                match node.relation() {
                    Relation::Same => Some(node.from().first().cloned().unwrap_or(code.clone())),
                    Relation::Renamed => node.from().first().cloned(),
                    Relation::Split | Relation::Merged | Relation::New => None,
                }
            }
            None if code == total => Some(earlier.code().to_string()),
            None => (old_nodes.level(&code) == level).then(|| code.clone()),
        };
        if node.is_some_and(|n| n.relation() == Relation::Same)
            && mapped
                .as_deref()
                .is_some_and(|m| old_nodes.level(m) != level)
        {
            problems.push(format!(
                "crosswalk node \"{code}\" is declared same, but {} has no {} \"{}\"",
                earlier.id(),
                level.name(),
                mapped.as_deref().unwrap_or_default()
            ));
        }
        map.insert(code, mapped);
    }
    let correspondence = Correspondence { earlier: map };
    problems.extend(broken_promises(earlier, later, &correspondence));
    if problems.is_empty() {
        Ok(correspondence)
    } else {
        Err(CrosswalkError::Broken(problems))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Total,
    Area,
    Indicator,
    None,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Total => "the total",
            Level::Area => "an area",
            Level::Indicator => "an indicator",
            Level::None => "a node",
        }
    }
}

/// The nodes of one version by code.
struct Nodes<'i> {
    instrument: &'i Instrument,
    areas: HashMap<&'i str, &'i Area>,
    indicators: HashMap<&'i str, &'i Indicator>,
}

impl<'i> Nodes<'i> {
    fn of(instrument: &'i Instrument) -> Nodes<'i> {
        let mut areas = HashMap::new();
        let mut indicators = HashMap::new();
        for area in instrument.areas() {
            areas.insert(area.code().as_str(), area);
            for indicator in area.indicators() {
                indicators.insert(indicator.code().as_str(), indicator);
            }
        }
        Nodes {
            instrument,
            areas,
            indicators,
        }
    }

    fn level(&self, code: &str) -> Level {
        if code == self.instrument.code().as_str() {
            Level::Total
        } else if self.areas.contains_key(code) {
            Level::Area
        } else if self.indicators.contains_key(code) {
            Level::Indicator
        } else {
            Level::None
        }
    }
}

/// What an item contributes to a score, without its code or wording.
fn scale_signature(scale: &Scale) -> String {
    match scale.kind() {
        ScaleKind::Options(options) => {
            let values: Vec<String> = options.iter().map(|o| o.value().to_string()).collect();
            format!("options[{}]", values.join(","))
        }
        ScaleKind::Numeric { min, max, rule, .. } => {
            format!("numeric[{min:?},{max:?},{rule:?}]")
        }
    }
}

fn indicator_signature(instrument: &Instrument, indicator: &Indicator) -> Vec<String> {
    // The indicator's own weight counts in its area's signature, not in its own score.
    let mut signature = vec![indicator.kind().as_str().to_owned()];
    for item in indicator.items().iter().filter(|item| item.is_scored()) {
        signature.push(format!(
            "{}:{}:{}",
            item.weight().get(),
            item.is_critical(),
            scale_signature(instrument.scale_of(item))
        ));
    }
    signature
}

/// Every `same`/`renamed` node (declared or by default) whose scored content differs.
fn broken_promises(
    earlier: &Instrument,
    later: &Instrument,
    correspondence: &Correspondence,
) -> Vec<String> {
    let old = Nodes::of(earlier);
    let mut problems = Vec::new();
    let mut broken = |code: &str, what: String| {
        problems.push(format!(
            "\"{code}\" is compared with {} \"{}\" ({}), but {what}: declare it new, split or merged in [crosswalk]",
            earlier.id(),
            correspondence.earlier(code).unwrap_or_default(),
            if later.crosswalk().and_then(|c| c.node(code)).is_some() {
                "as declared"
            } else {
                "by default: same code"
            }
        ));
    };
    // Indicators: the same scored content.
    for area in later.areas() {
        for indicator in area.indicators() {
            let code = indicator.code().as_str();
            let Some(before) = correspondence
                .earlier(code)
                .and_then(|c| old.indicators.get(c))
            else {
                continue;
            };
            if indicator_signature(later, indicator) != indicator_signature(earlier, before) {
                broken(
                    code,
                    "its kind or its scored items (weights, critical flags, scales) differ"
                        .to_owned(),
                );
            }
        }
    }
    // Areas: their invariant indicators, each comparable, in order, with the same weights.
    let invariant = |area: &Area| -> Vec<(String, f64)> {
        area.indicators()
            .iter()
            .filter(|i| i.kind() == IndicatorKind::Invariant)
            .map(|i| (i.code().to_string(), i.weight().get()))
            .collect()
    };
    for area in later.areas() {
        let code = area.code().as_str();
        let Some(before) = correspondence.earlier(code).and_then(|c| old.areas.get(c)) else {
            continue;
        };
        let now: Vec<(Option<&str>, f64)> = invariant(area)
            .iter()
            .map(|(c, w)| (correspondence.earlier(c), *w))
            .collect();
        let before_invariant = invariant(before);
        let then: Vec<(Option<&str>, f64)> = before_invariant
            .iter()
            .map(|(c, w)| (Some(c.as_str()), *w))
            .collect();
        if now != then || area.weight().get() != before.weight().get() {
            broken(
                code,
                "its weight or its invariant indicators (each comparable, in order, with their weights) differ"
                    .to_owned(),
            );
        }
    }
    // The total: its areas, each comparable, in order, with the same weights.
    let total = later.code().as_str();
    if correspondence.earlier(total).is_some() {
        let now: Vec<(Option<&str>, f64)> = later
            .areas()
            .iter()
            .map(|a| (correspondence.earlier(a.code().as_str()), a.weight().get()))
            .collect();
        let then: Vec<(Option<&str>, f64)> = earlier
            .areas()
            .iter()
            .map(|a| (Some(a.code().as_str()), a.weight().get()))
            .collect();
        if now != then {
            broken(
                total,
                "its areas (each comparable, in order, with their weights) differ".to_owned(),
            );
        }
    }
    problems
}
