//! Raw file → validated [`Instrument`], collecting every problem instead of stopping at the first.
//!
//! Three stages: TOML syntax (one error is all the parser can give), structure (serde into the raw
//! structs: missing keys and wrong types; unknown keys are all collected), then semantics (every rule
//! checked, every violation reported with its location and a hint).

use std::collections::{BTreeSet, HashMap};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, line_of};
use crate::hash;
use crate::model::*;
use crate::raw::*;

/// Parses and validates one instrument from TOML text. `file` labels the diagnostics.
pub(crate) fn parse_toml(source: &str, file: &str) -> Result<Instrument, Vec<Diagnostic>> {
    parse_unsorted(source, file).map_err(|mut diagnostics| {
        // Problems are found table by table; a person reads a file top to bottom.
        diagnostics.sort_by_key(|diagnostic| diagnostic.line.unwrap_or(0));
        diagnostics
    })
}

fn parse_unsorted(source: &str, file: &str) -> Result<Instrument, Vec<Diagnostic>> {
    let document = match DeTable::parse(source) {
        Ok(document) => document,
        Err(error) => {
            let mut ctx = Ctx {
                file,
                source,
                document: None,
                diagnostics: Vec::new(),
            };
            ctx.push_de_error(&error, "fix the TOML syntax at this line");
            return Err(ctx.diagnostics);
        }
    };
    let mut ctx = Ctx {
        file,
        source,
        document: None,
        diagnostics: Vec::new(),
    };

    let mut unknown_keys: Vec<Vec<Segment>> = Vec::new();
    let parsed = toml::Deserializer::parse(source).and_then(|deserializer| {
        serde_ignored::deserialize(deserializer, |path| unknown_keys.push(segments(&path)))
    });
    // Unknown keys seen before a structural error are reported too: a misspelt required key shows
    // up as both "unknown key `lable`" and "missing field `label`", which explains itself.
    for path in &unknown_keys {
        ctx.unknown_key(document.get_ref(), path);
    }
    let raw: RawInstrument = match parsed {
        Ok(raw) => raw,
        Err(error) => {
            ctx.push_de_error(
                &error,
                "see checklists/README.md for the keys each table takes and their types",
            );
            return Err(ctx.diagnostics);
        }
    };
    ctx.document = Some(document.get_ref());

    let built = build(&mut ctx, &raw);
    match built {
        Some(mut instrument) if ctx.diagnostics.is_empty() => {
            let (canonical_json, content_hash) = match hash::canonical(source) {
                Ok(pair) => pair,
                Err(message) => {
                    ctx.push(None, "", message, None);
                    return Err(ctx.diagnostics);
                }
            };
            instrument.canonical_json = canonical_json;
            instrument.content_hash = content_hash;
            Ok(instrument)
        }
        _ => Err(ctx.diagnostics),
    }
}

struct Ctx<'a> {
    file: &'a str,
    source: &'a str,
    /// The parsed document, for finding the line of a key.
    document: Option<&'a DeTable<'a>>,
    diagnostics: Vec<Diagnostic>,
}

/// A place inside the instrument: readable text plus the line of the node's `code`.
#[derive(Clone)]
struct Loc {
    text: String,
    line: Option<usize>,
}

impl Loc {
    fn root() -> Loc {
        Loc {
            text: String::new(),
            line: None,
        }
    }

    fn child(&self, what: &str, name: &str, line: Option<usize>) -> Loc {
        let step = format!("{what} {name}");
        Loc {
            text: if self.text.is_empty() {
                step
            } else {
                format!("{} → {step}", self.text)
            },
            line: line.or(self.line),
        }
    }
}

impl Ctx<'_> {
    fn push(&mut self, line: Option<usize>, location: &str, message: String, help: Option<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            location: location.to_owned(),
            message,
            help,
        });
    }

    fn error(&mut self, loc: &Loc, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        self.push(
            loc.line,
            &loc.text,
            message.into(),
            (!help.is_empty()).then_some(help),
        );
    }

    fn line<T>(&self, spanned: &Spanned<T>) -> Option<usize> {
        Some(line_of(self.source, spanned.span().start))
    }

    fn push_de_error(&mut self, error: &toml::de::Error, help: &str) {
        let line = error.span().map(|span| line_of(self.source, span.start));
        self.push(
            line,
            "",
            error.message().trim_end().to_owned(),
            Some(help.to_owned()),
        );
    }

    /// Line of the key at `path` (keys and array indexes), when the document is at hand.
    fn line_at(&self, path: &[Segment]) -> Option<usize> {
        key_span(self.document?, path).map(|start| line_of(self.source, start))
    }

    fn unknown_key(&mut self, document: &DeTable<'_>, path: &[Segment]) {
        let Some((Segment::Key(key), parents)) = path.split_last() else {
            return;
        };
        let (loc, struct_name) = describe(document, parents);
        let line = key_span(document, path).map(|start| line_of(self.source, start));
        let allowed = crate::schema::allowed_keys(struct_name).join(", ");
        self.push(
            line.or(loc.line),
            &loc.text,
            format!("unknown key `{key}`; allowed keys here: {allowed}"),
            Some("fix the spelling or remove the key (unknown keys are never ignored)".to_owned()),
        );
    }

    fn text(&mut self, loc: &Loc, key: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(
                loc,
                format!("`{key}` is empty"),
                format!("write the {key} in Russian"),
            );
        }
    }

    fn optional_text(&mut self, loc: &Loc, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.text(loc, key, value);
        }
    }

    fn code(&mut self, loc: &Loc, raw: &str) -> Option<Code> {
        match Code::parse(raw) {
            Ok(code) => Some(code),
            Err(message) => {
                self.error(
                    loc,
                    message,
                    "codes are stable identifiers such as A2.3.1 or ladder6",
                );
                None
            }
        }
    }

    fn weight(&mut self, loc: &Loc, raw: Option<f64>) -> Weight {
        match raw {
            None => Weight::ONE,
            Some(value) => Weight::new(value).unwrap_or_else(|| {
                self.error(
                    loc,
                    format!("weight {value} is not a number above 0"),
                    "use a positive weight, or remove the key for the default 1",
                );
                Weight::ONE
            }),
        }
    }

    fn percent(&mut self, loc: &Loc, key: &str, value: f64) -> Percent {
        Percent::new(value).unwrap_or_else(|| {
            self.error(
                loc,
                format!("`{key}` = {value} is outside 0–100"),
                "thresholds are percentages between 0 and 100",
            );
            Percent::new(0.0).unwrap_or_else(|| unreachable!())
        })
    }
}

/// Where a scale reference came from and whether it resolved.
#[derive(Clone, Copy)]
enum ScaleRef {
    /// No scale named here or above.
    Unset,
    /// A scale named here or above could not be resolved (already reported there).
    Broken,
    /// Resolved to an index into the sorted scales.
    Index(usize),
}

fn build(ctx: &mut Ctx<'_>, raw: &RawInstrument) -> Option<Instrument> {
    let root = Loc::root();
    let code_loc = Loc {
        text: String::new(),
        line: ctx.line(&raw.code),
    };
    let code = ctx.code(&code_loc, raw.code.get_ref());
    if let Some(code) = &code {
        let ok = code
            .as_str()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            ctx.error(
                &code_loc,
                format!(
                    "instrument code \"{code}\" must be lowercase latin letters, digits and '-'"
                ),
                "for example: dc-teacher, card-ood",
            );
        }
    }
    let version_loc = Loc {
        text: String::new(),
        line: ctx.line(&raw.version),
    };
    let version = match u32::try_from(*raw.version.get_ref()) {
        Ok(version) if version >= 1 => Some(version),
        _ => {
            ctx.error(
                &version_loc,
                format!("version {} must be an integer ≥ 1", raw.version.get_ref()),
                "start at version = 1 and raise it whenever the content changes",
            );
            None
        }
    };
    let title_loc = Loc {
        text: String::new(),
        line: ctx.line_at(&[Segment::Key("title".to_owned())]),
    };
    ctx.text(&title_loc, "title", &raw.title);
    let description_loc = Loc {
        text: String::new(),
        line: ctx.line_at(&[Segment::Key("description".to_owned())]),
    };
    ctx.optional_text(&description_loc, "description", raw.description.as_deref());

    let (levels, deficit_threshold, min_coverage) = build_levels(ctx, &raw.levels);
    let (scales, scale_codes) = build_scales(ctx, raw);

    let defined = || {
        if scale_codes.is_empty() {
            "none".to_owned()
        } else {
            scale_codes.join(", ")
        }
    };
    let resolve = |ctx: &mut Ctx<'_>, loc: &Loc, name: Option<&str>, inherited: ScaleRef| match name
    {
        None => inherited,
        Some(name) => match scale_codes.iter().position(|code| code == name) {
            Some(index) => ScaleRef::Index(index),
            None => {
                ctx.error(
                    loc,
                    format!(
                        "scale \"{name}\" is not defined; defined scales: {}",
                        defined()
                    ),
                    format!("define [scales.{name}] or use one of the defined scales"),
                );
                ScaleRef::Broken
            }
        },
    };
    let top_scale = resolve(ctx, &root, raw.scale.as_deref(), ScaleRef::Unset);

    if raw.areas.is_empty() {
        ctx.error(
            &root,
            "the instrument has no areas",
            "add at least one [[areas]] table",
        );
    }
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut check_unique = |ctx: &mut Ctx<'_>, loc: &Loc, code: &str| {
        if let Some(first) = seen.get(code) {
            let at = first
                .line
                .map(|line| format!(" at line {line}"))
                .unwrap_or_default();
            ctx.error(
                loc,
                format!("code \"{code}\" is already used{at} ({})", first.text),
                "codes of areas, indicators and items must be unique in the instrument",
            );
        } else {
            seen.insert(code.to_owned(), loc.clone());
        }
    };

    // Critical items on a scale with N/A, which lets the one answer that matters be skipped;
    // refused unless the file is one published before the rule (see `PUBLISHED_BEFORE_NA_RULE`).
    let mut critical_with_na: Vec<(Loc, String)> = Vec::new();
    let mut areas = Vec::with_capacity(raw.areas.len());
    let mut item_index = HashMap::new();
    for raw_area in &raw.areas {
        let loc = root.child("area", raw_area.code.get_ref(), ctx.line(&raw_area.code));
        let code = ctx.code(&loc, raw_area.code.get_ref());
        check_unique(ctx, &loc, raw_area.code.get_ref());
        ctx.text(&loc, "title", &raw_area.title);
        ctx.optional_text(&loc, "recommendation", raw_area.recommendation.as_deref());
        let weight = ctx.weight(&loc, raw_area.weight);
        let area_scale = resolve(ctx, &loc, raw_area.scale.as_deref(), top_scale);
        if raw_area.indicators.is_empty() {
            ctx.error(
                &loc,
                "the area has no indicators",
                "add at least one [[areas.indicators]] table",
            );
        }
        let mut indicators = Vec::with_capacity(raw_area.indicators.len());
        for raw_indicator in &raw_area.indicators {
            let loc = loc.child(
                "indicator",
                raw_indicator.code.get_ref(),
                ctx.line(&raw_indicator.code),
            );
            let code = ctx.code(&loc, raw_indicator.code.get_ref());
            check_unique(ctx, &loc, raw_indicator.code.get_ref());
            ctx.text(&loc, "title", &raw_indicator.title);
            ctx.optional_text(
                &loc,
                "recommendation",
                raw_indicator.recommendation.as_deref(),
            );
            let weight = ctx.weight(&loc, raw_indicator.weight);
            let indicator_scale = resolve(ctx, &loc, raw_indicator.scale.as_deref(), area_scale);
            if raw_indicator.items.is_empty() {
                ctx.error(
                    &loc,
                    "the indicator has no items",
                    "add at least one [[areas.indicators.items]] table",
                );
            }
            let variable = matches!(raw_indicator.kind, Some(RawIndicatorKind::Variable));
            if !raw_indicator.items.is_empty()
                && raw_indicator
                    .items
                    .iter()
                    .all(|item| item.scored == Some(false))
            {
                ctx.error(
                    &loc,
                    "every item of the indicator is unscored (`scored = false`), so it can never have a score",
                    "score at least one item of the indicator, or move the unscored items into an indicator that has a scored one",
                );
            }
            let mut items = Vec::with_capacity(raw_indicator.items.len());
            for raw_item in &raw_indicator.items {
                let loc = loc.child("item", raw_item.code.get_ref(), ctx.line(&raw_item.code));
                let code = ctx.code(&loc, raw_item.code.get_ref());
                check_unique(ctx, &loc, raw_item.code.get_ref());
                ctx.text(&loc, "text", &raw_item.text);
                ctx.optional_text(&loc, "hint", raw_item.hint.as_deref());
                let weight = ctx.weight(&loc, raw_item.weight);
                let scale = match resolve(ctx, &loc, raw_item.scale.as_deref(), indicator_scale) {
                    ScaleRef::Index(index) => Some(index),
                    ScaleRef::Broken => None,
                    ScaleRef::Unset => {
                        ctx.error(
                            &loc,
                            "the item has no scale",
                            "set `scale` on the item, its indicator, its area or the instrument",
                        );
                        None
                    }
                };
                let critical = raw_item.critical.unwrap_or(false);
                let numeric = |index: usize| {
                    raw.scales
                        .get(&scale_codes[index])
                        .is_some_and(|scale| scale.kind == RawScaleType::Numeric)
                };
                if let Some(index) = scale
                    && critical
                    && numeric(index)
                {
                    ctx.error(
                        &loc,
                        format!(
                            "critical item uses the numeric scale \"{}\"; only options scales have a lowest option",
                            scale_codes[index]
                        ),
                        "use an options scale or remove `critical`",
                    );
                }
                let scored = raw_item.scored.unwrap_or(true);
                if critical && !scored {
                    ctx.error(
                        &loc,
                        "an unscored item (`scored = false`) cannot be critical: it takes no part in any score",
                        "remove `critical`, or score the item",
                    );
                }
                if critical && variable {
                    ctx.error(
                        &loc,
                        "a critical item in a variable indicator would cap a kindergarten's level for a direction it chose itself",
                        "remove `critical`, or make the indicator invariant",
                    );
                }
                if let Some(index) = scale
                    && critical
                    && raw
                        .scales
                        .get(&scale_codes[index])
                        .is_some_and(|scale| scale.allow_na == Some(true))
                {
                    critical_with_na.push((loc.clone(), scale_codes[index].clone()));
                }
                if let (Some(code), Some(scale)) = (code, scale) {
                    items.push(Item {
                        code,
                        text: raw_item.text.clone(),
                        hint: raw_item.hint.clone(),
                        scale,
                        weight,
                        critical,
                        required: raw_item.required.unwrap_or(true),
                        scored,
                    });
                }
            }
            if let Some(code) = code {
                indicators.push(Indicator {
                    code,
                    title: raw_indicator.title.clone(),
                    weight,
                    kind: match raw_indicator.kind {
                        None | Some(RawIndicatorKind::Invariant) => IndicatorKind::Invariant,
                        Some(RawIndicatorKind::Variable) => IndicatorKind::Variable,
                    },
                    recommendation: raw_indicator.recommendation.clone(),
                    items,
                });
            }
        }
        if let Some(code) = code {
            areas.push(Area {
                code,
                title: raw_area.title.clone(),
                weight,
                recommendation: raw_area.recommendation.clone(),
                indicators,
            });
        }
    }

    if !critical_with_na.is_empty() && !published_before_na_rule(ctx.source) {
        for (loc, scale) in critical_with_na {
            ctx.error(
                &loc,
                format!(
                    "critical item on the scale \"{scale}\", which allows N/A: the one answer that caps the level could be skipped"
                ),
                "put the critical item on a scale without N/A; where the situation may not arise, make that part of the safe option («соблюдено (или не было)»)",
            );
        }
    }
    let respondent = match raw.respondent {
        RawRole::Teacher => Respondent::Teacher,
        RawRole::Head => Respondent::Head,
        RawRole::Manager => Respondent::Manager,
        RawRole::Parent => Respondent::Parent,
    };
    let min_respondents = build_min_respondents(ctx, raw, respondent);
    let crosswalk = raw
        .crosswalk
        .as_ref()
        .and_then(|raw_crosswalk| build_crosswalk(ctx, raw, raw_crosswalk, version, &areas));

    if !ctx.diagnostics.is_empty() {
        return None;
    }
    for (a, area) in areas.iter().enumerate() {
        for (i, indicator) in area.indicators.iter().enumerate() {
            for (t, item) in indicator.items.iter().enumerate() {
                item_index.insert(item.code.clone(), (a, i, t));
            }
        }
    }
    Some(Instrument {
        id: InstrumentId {
            code: code?,
            version: version?,
        },
        title: raw.title.clone(),
        description: raw.description.clone(),
        kind: match raw.kind {
            RawKind::Survey => InstrumentKind::Survey,
            RawKind::ControlCard => InstrumentKind::ControlCard,
            RawKind::IndicatorSet => InstrumentKind::IndicatorSet,
        },
        respondent,
        subject: match raw.subject {
            RawSubject::Teacher => Subject::Teacher,
            RawSubject::Group => Subject::Group,
            RawSubject::Kindergarten => Subject::Kindergarten,
        },
        counting: match (raw.counting, raw.kind) {
            // Anonymous responses cannot be told apart: each one counts.
            (None, _) if respondent.is_anonymous() => Counting::Observations,
            (Some(RawCounting::OnePerRespondent), _) | (None, RawKind::Survey) => {
                Counting::OnePerRespondent
            }
            (Some(RawCounting::OnePerSubject), _) | (None, RawKind::IndicatorSet) => {
                Counting::OnePerSubject
            }
            (Some(RawCounting::Observations), _) | (None, RawKind::ControlCard) => {
                Counting::Observations
            }
        },
        min_respondents,
        ranking: raw.ranking.unwrap_or(!matches!(raw.kind, RawKind::Survey)),
        crosswalk,
        levels: levels?,
        deficit_threshold,
        min_coverage,
        scales,
        areas,
        item_index,
        canonical_json: String::new(),
        content_hash: ContentHash(String::new()),
    })
}

/// Content hashes of the shipped files published before critical items had to be on scales
/// without N/A. They stay valid, so that answers given against them can still be read; their
/// version 2 follows the rule.
const PUBLISHED_BEFORE_NA_RULE: &[&str] = &[
    // card-ood@1
    "1ec58d11f1c3fcbb16717aa0e4e85ee59b83fe75465b77a4367638f22d8c4840",
    // card-rpps@1
    "daa083e9102f8476c61b2ee40d8fe77c7d79df3268b638177abe5573cf790db9",
    // card-walk@1
    "3ca50709cbbd7c4621b51c78ed9f7eeaa7a36861d3a74d7d94de8bfcc688046c",
];

fn published_before_na_rule(source: &str) -> bool {
    hash::canonical(source).is_ok_and(|(_, hash)| PUBLISHED_BEFORE_NA_RULE.contains(&hash.as_str()))
}

/// `min_respondents`: only for anonymous instruments, 2–100, default 5 for them.
fn build_min_respondents(
    ctx: &mut Ctx<'_>,
    raw: &RawInstrument,
    respondent: Respondent,
) -> Option<u32> {
    const DEFAULT: u32 = 5;
    let loc = Loc {
        text: String::new(),
        line: raw.min_respondents.as_ref().and_then(|k| ctx.line(k)),
    };
    if respondent.is_anonymous() {
        if let Some(counting) = raw.counting
            && !matches!(counting, RawCounting::Observations)
        {
            ctx.error(
                &Loc {
                    text: String::new(),
                    line: ctx.line_at(&[Segment::Key("counting".to_owned())]),
                },
                "anonymous responses cannot be told apart, so each one counts: `counting` must be `observations` or left out",
                "remove `counting`",
            );
        }
        if matches!(raw.subject, RawSubject::Teacher) {
            ctx.error(
                &Loc {
                    text: String::new(),
                    line: ctx.line_at(&[Segment::Key("subject".to_owned())]),
                },
                "an anonymous questionnaire about one teacher would single her out",
                "assess a group or the kindergarten",
            );
        }
    }
    match (&raw.min_respondents, respondent.is_anonymous()) {
        (None, true) => Some(DEFAULT),
        (None, false) => None,
        (Some(k), false) => {
            let _ = k;
            ctx.error(
                &loc,
                "`min_respondents` is for anonymous instruments (`respondent = \"parent\"`)",
                "remove `min_respondents`: the respondents of this instrument are known",
            );
            None
        }
        (Some(k), true) => match u32::try_from(*k.get_ref()) {
            Ok(k) if (2..=100).contains(&k) => Some(k),
            _ => {
                ctx.error(
                    &loc,
                    format!("min_respondents = {} is not in 2–100", k.get_ref()),
                    "results of fewer than 2 responses would show one parent's answers; 5 is the usual threshold",
                );
                None
            }
        },
    }
}

/// The crosswalk: codes of this version, relations with the right number of earlier codes.
/// Whether the earlier version has those codes is checked when both are loaded together
/// ([`crate::Catalog`]).
fn build_crosswalk(
    ctx: &mut Ctx<'_>,
    raw: &RawInstrument,
    crosswalk: &RawCrosswalk,
    version: Option<u32>,
    areas: &[Area],
) -> Option<Crosswalk> {
    let loc = Loc {
        text: "crosswalk".to_owned(),
        line: ctx.line(&crosswalk.from_version),
    };
    let from_version = match (u32::try_from(*crosswalk.from_version.get_ref()), version) {
        (Ok(from), Some(version)) if from >= 1 && from < version => Some(from),
        _ => {
            ctx.error(
                &loc,
                format!(
                    "from_version = {} must be an earlier version of this instrument",
                    crosswalk.from_version.get_ref()
                ),
                "name the version whose periods this one is compared with, for example from_version = 1",
            );
            None
        }
    };
    let mut codes: BTreeSet<String> = BTreeSet::new();
    codes.insert(raw.code.get_ref().clone());
    for area in areas {
        codes.insert(area.code.to_string());
        for indicator in &area.indicators {
            codes.insert(indicator.code.to_string());
        }
    }
    let mut nodes: Vec<CrosswalkNode> = Vec::new();
    for node in &crosswalk.nodes {
        let loc = loc.child("node", node.code.get_ref(), ctx.line(&node.code));
        let code = node.code.get_ref();
        if !codes.contains(code) {
            ctx.error(
                &loc,
                format!("\"{code}\" is not a node of this version"),
                "name an area, an indicator, or the instrument code for the total",
            );
            continue;
        }
        if nodes.iter().any(|known| &known.code == code) {
            ctx.error(
                &loc,
                format!("\"{code}\" is listed twice"),
                "list each node once",
            );
            continue;
        }
        let from = node.from.clone().unwrap_or_default();
        let relation = match node.relation {
            RawRelation::Same => Relation::Same,
            RawRelation::Renamed => Relation::Renamed,
            RawRelation::Split => Relation::Split,
            RawRelation::Merged => Relation::Merged,
            RawRelation::New => Relation::New,
        };
        let fits = match relation {
            Relation::Same => from.len() <= 1,
            Relation::Renamed | Relation::Split => from.len() == 1,
            Relation::Merged => from.len() >= 2,
            Relation::New => from.is_empty(),
        };
        if !fits {
            ctx.error(
                &loc,
                format!(
                    "relation \"{}\" with {} earlier code(s) in `from`",
                    relation.as_str(),
                    from.len()
                ),
                "same: at most one; renamed and split: exactly one; merged: two or more; new: none",
            );
            continue;
        }
        nodes.push(CrosswalkNode {
            code: code.clone(),
            relation,
            from,
        });
    }
    Some(Crosswalk {
        from_version: from_version?,
        nodes,
    })
}

fn build_levels(ctx: &mut Ctx<'_>, raw: &RawLevels) -> (Option<LevelTable>, Percent, Percent) {
    let loc = Loc {
        text: "levels".to_owned(),
        line: None,
    };
    let threshold_loc = Loc {
        line: ctx.line(&raw.deficit_threshold),
        ..loc.clone()
    };
    let deficit_threshold = ctx.percent(
        &threshold_loc,
        "deficit_threshold",
        *raw.deficit_threshold.get_ref(),
    );
    let min_coverage = match &raw.min_coverage {
        None => Percent::new(0.0).unwrap_or_else(|| unreachable!()),
        Some(value) => {
            let coverage_loc = Loc {
                line: ctx.line(value),
                ..loc.clone()
            };
            ctx.percent(&coverage_loc, "min_coverage", *value.get_ref())
        }
    };
    if raw.bands.is_empty() {
        ctx.error(
            &loc,
            "no level bands are defined",
            "add bands, for example { code = \"L1\", name = \"Критический\", from = 0 }",
        );
        return (None, deficit_threshold, min_coverage);
    }
    let errors_before = ctx.diagnostics.len();
    let mut bands = Vec::with_capacity(raw.bands.len());
    let mut codes = BTreeSet::new();
    for (index, raw_band) in raw.bands.iter().enumerate() {
        let band_line = ctx.line_at(&[
            Segment::Key("levels".to_owned()),
            Segment::Key("bands".to_owned()),
            Segment::Index(index),
        ]);
        let band_loc = loc.child("band", &raw_band.code, band_line);
        let code = ctx.code(&band_loc, &raw_band.code);
        if !codes.insert(raw_band.code.clone()) {
            ctx.error(
                &band_loc,
                format!("band code \"{}\" is used twice", raw_band.code),
                "give every band its own code",
            );
        }
        ctx.text(&band_loc, "name", &raw_band.name);
        if !(raw_band.from.is_finite() && (0.0..=100.0).contains(&raw_band.from)) {
            ctx.error(
                &band_loc,
                format!("`from` = {} is outside 0–100", raw_band.from),
                "bands are percentages of the maximum score",
            );
        }
        if index == 0 && raw_band.from != 0.0 {
            ctx.error(
                &band_loc,
                format!("the first band starts at {} instead of 0", raw_band.from),
                "list bands from the lowest, and start the first at from = 0",
            );
        }
        if let Some(previous) = index.checked_sub(1).map(|i| &raw.bands[i])
            && raw_band.from <= previous.from
        {
            ctx.error(
                &band_loc,
                format!(
                    "`from` = {} is not above the previous band {} (from = {})",
                    raw_band.from, previous.code, previous.from
                ),
                "list bands in ascending order of `from`, each strictly above the previous",
            );
        }
        if let Some(code) = code {
            bands.push(LevelBand {
                code,
                name: raw_band.name.clone(),
                from: raw_band.from,
            });
        }
    }
    let table = (ctx.diagnostics.len() == errors_before).then_some(LevelTable { bands });
    (table, deficit_threshold, min_coverage)
}

fn build_scales(ctx: &mut Ctx<'_>, raw: &RawInstrument) -> (Vec<Scale>, Vec<String>) {
    // BTreeMap iteration: scales come out sorted by code, which is the index order items refer to.
    let codes: Vec<String> = raw.scales.keys().cloned().collect();
    let mut scales = Vec::with_capacity(raw.scales.len());
    for (name, raw_scale) in &raw.scales {
        let line = ctx.line_at(&[
            Segment::Key("scales".to_owned()),
            Segment::Key(name.clone()),
        ]);
        let loc = Loc::root().child("scale", name, line);
        let code = ctx.code(&loc, name);
        ctx.optional_text(&loc, "title", raw_scale.title.as_deref());
        ctx.optional_text(&loc, "na_label", raw_scale.na_label.as_deref());
        let allow_na = raw_scale.allow_na.unwrap_or(false);
        if raw_scale.na_label.is_some() && !allow_na {
            ctx.error(
                &loc,
                "`na_label` is set but `allow_na` is not true",
                "add allow_na = true, or remove na_label",
            );
        }
        let na_label = allow_na.then(|| {
            raw_scale
                .na_label
                .clone()
                .unwrap_or_else(|| "Не применимо".to_owned())
        });
        let kind = match raw_scale.kind {
            RawScaleType::Options => options_scale(ctx, &loc, name, raw_scale),
            RawScaleType::Numeric => numeric_scale(ctx, &loc, name, raw_scale),
        };
        if let (Some(code), Some(kind)) = (code, kind) {
            scales.push(Scale {
                code,
                title: raw_scale.title.clone(),
                na_label,
                kind,
            });
        }
    }
    (scales, codes)
}

fn options_scale(ctx: &mut Ctx<'_>, loc: &Loc, name: &str, raw: &RawScale) -> Option<ScaleKind> {
    let numeric_only = [
        ("unit", raw.unit.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
        ("target", raw.target.is_some()),
        ("direction", raw.direction.is_some()),
        ("bands", raw.bands.is_some()),
    ];
    for (key, present) in numeric_only {
        if present {
            ctx.error(
                loc,
                format!(
                    "`{key}` applies only to numeric scales, and this scale has type = \"options\""
                ),
                "remove the key, or set type = \"numeric\"",
            );
        }
    }
    let Some(raw_options) = &raw.options else {
        ctx.error(
            loc,
            "an options scale needs `options`",
            "add options = [{ value = 0, label = \"…\" }, …]",
        );
        return None;
    };
    let errors_before = ctx.diagnostics.len();
    if raw_options.len() < 2 {
        ctx.error(
            loc,
            format!(
                "the scale has {} option(s); at least 2 are needed",
                raw_options.len()
            ),
            "list every answer option",
        );
    }
    let mut labels = BTreeSet::new();
    for (index, option) in raw_options.iter().enumerate() {
        let line = ctx.line_at(&[
            Segment::Key("scales".to_owned()),
            Segment::Key(name.to_owned()),
            Segment::Key("options".to_owned()),
            Segment::Index(index),
        ]);
        let option_loc = loc.child("option", &(index + 1).to_string(), line);
        if !option.value.is_finite() {
            ctx.error(
                &option_loc,
                "the value is not a finite number",
                "use an ordinary number",
            );
        }
        ctx.text(&option_loc, "label", &option.label);
        if !labels.insert(option.label.trim().to_lowercase()) {
            ctx.error(
                &option_loc,
                format!("label «{}» is used twice", option.label),
                "give every option its own label",
            );
        }
        if let Some(previous) = index.checked_sub(1).map(|i| &raw_options[i]) {
            if option.value == previous.value {
                ctx.error(
                    &option_loc,
                    format!("value {} is used twice", option.value),
                    "give every option its own value",
                );
            } else if option.value < previous.value {
                ctx.error(
                    &option_loc,
                    format!(
                        "value {} comes after the larger value {}",
                        option.value, previous.value
                    ),
                    "list options in ascending order of value",
                );
            }
        }
    }
    (ctx.diagnostics.len() == errors_before).then(|| {
        ScaleKind::Options(
            raw_options
                .iter()
                .map(|option| ScaleOption {
                    value: option.value,
                    label: option.label.clone(),
                })
                .collect(),
        )
    })
}

fn numeric_scale(ctx: &mut Ctx<'_>, loc: &Loc, name: &str, raw: &RawScale) -> Option<ScaleKind> {
    let errors_before = ctx.diagnostics.len();
    if raw.options.is_some() {
        ctx.error(
            loc,
            "`options` applies only to options scales, and this scale has type = \"numeric\"",
            "remove options, or set type = \"options\"",
        );
    }
    ctx.optional_text(loc, "unit", raw.unit.as_deref());
    for (key, value) in [("min", raw.min), ("max", raw.max), ("target", raw.target)] {
        if value.is_some_and(|v| !v.is_finite()) {
            ctx.error(
                loc,
                format!("`{key}` is not a finite number"),
                "use an ordinary number",
            );
        }
    }
    if let (Some(min), Some(max)) = (raw.min, raw.max)
        && min >= max
    {
        ctx.error(
            loc,
            format!("min = {min} is not below max = {max}"),
            "set min below max",
        );
    }
    let rule = match (&raw.target, &raw.direction, &raw.bands) {
        (Some(target), Some(direction), None) => {
            if *target <= 0.0 {
                ctx.error(
                    loc,
                    format!("target = {target} must be above 0"),
                    "a target is the value that scores 100 %",
                );
            }
            Some(NumericRule::Target {
                target: *target,
                direction: match direction {
                    RawDirection::MoreIsBetter => Direction::MoreIsBetter,
                    RawDirection::LessIsBetter => Direction::LessIsBetter,
                },
            })
        }
        (None, None, Some(raw_bands)) => {
            if raw_bands.len() < 2 {
                ctx.error(
                    loc,
                    "a banded scale needs at least 2 bands",
                    "list bands = [{ from = …, points = … }, …]",
                );
            }
            for (index, band) in raw_bands.iter().enumerate() {
                let line = ctx.line_at(&[
                    Segment::Key("scales".to_owned()),
                    Segment::Key(name.to_owned()),
                    Segment::Key("bands".to_owned()),
                    Segment::Index(index),
                ]);
                let band_loc = loc.child("band", &(index + 1).to_string(), line);
                if !band.from.is_finite() || !band.points.is_finite() {
                    ctx.error(
                        &band_loc,
                        "`from` and `points` must be finite numbers",
                        "use ordinary numbers",
                    );
                }
                if let Some(previous) = index.checked_sub(1).map(|i| &raw_bands[i])
                    && band.from <= previous.from
                {
                    ctx.error(
                        &band_loc,
                        format!(
                            "`from` = {} is not above the previous band's {}",
                            band.from, previous.from
                        ),
                        "list bands in ascending order of `from`",
                    );
                }
            }
            let points: Vec<f64> = raw_bands.iter().map(|band| band.points).collect();
            if points.windows(2).all(|pair| pair[0] == pair[1]) {
                ctx.error(
                    loc,
                    "all bands award the same points",
                    "give the bands different points",
                );
            }
            if let (Some(min), Some(first)) = (raw.min, raw_bands.first())
                && min < first.from
            {
                ctx.error(
                    loc,
                    format!(
                        "min = {min} is below the first band (from = {})",
                        first.from
                    ),
                    "start the first band at min or lower",
                );
            }
            Some(NumericRule::Bands(
                raw_bands
                    .iter()
                    .map(|band| PointBand {
                        from: band.from,
                        points: band.points,
                    })
                    .collect(),
            ))
        }
        (None, None, None) => {
            ctx.error(
                loc,
                "a numeric scale needs either `target` with `direction`, or `bands`",
                "for example: target = 100, direction = \"more_is_better\"",
            );
            None
        }
        (Some(_), None, None) => {
            ctx.error(
                loc,
                "`target` is set without `direction`",
                "add direction = \"more_is_better\" or \"less_is_better\"",
            );
            None
        }
        (None, Some(_), None) => {
            ctx.error(
                loc,
                "`direction` is set without `target`",
                "add target = … (the value that scores 100 %)",
            );
            None
        }
        (_, _, Some(_)) => {
            ctx.error(
                loc,
                "`bands` cannot be combined with `target`/`direction`",
                "keep either the bands or the target",
            );
            None
        }
    };
    let rule = rule?;
    (ctx.diagnostics.len() == errors_before).then(|| ScaleKind::Numeric {
        unit: raw.unit.clone(),
        min: raw.min,
        max: raw.max,
        rule,
    })
}

/// One step of a path reported by `serde_ignored`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = path;
    loop {
        match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Segment::Index(*index));
                current = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Segment::Key(key.clone()));
                current = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
        }
    }
    out.reverse();
    out
}

/// Turns the path of a table into readable text and names the raw struct found there.
fn describe(document: &DeTable<'_>, path: &[Segment]) -> (Loc, &'static str) {
    let root = Loc::root();
    let key = |i: usize| match path.get(i) {
        Some(Segment::Key(key)) => Some(key.as_str()),
        _ => None,
    };
    let index = |i: usize| match path.get(i) {
        Some(Segment::Index(index)) => Some(*index),
        _ => None,
    };
    // The code of the table at path[..=depth], or "#n" when it has none.
    let code_at = |depth: usize| {
        let mut prefix = path[..=depth].to_vec();
        prefix.push(Segment::Key("code".to_owned()));
        value_at(document, &prefix)
            .and_then(DeValue::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{}", index(depth).map_or(0, |i| i + 1)))
    };
    match key(0) {
        None => (root, "Instrument"),
        Some("levels") => match index(2) {
            Some(_) => (root.child("levels → band", &code_at(2), None), "Band"),
            None => (
                Loc {
                    text: "levels".to_owned(),
                    line: None,
                },
                "Levels",
            ),
        },
        Some("scales") => {
            let name = key(1).unwrap_or("?");
            let loc = root.child("scale", name, None);
            match (key(2), index(3)) {
                (Some("options"), Some(i)) => {
                    (loc.child("option", &(i + 1).to_string(), None), "Option")
                }
                (Some("bands"), Some(i)) => {
                    (loc.child("band", &(i + 1).to_string(), None), "PointBand")
                }
                _ => (loc, "Scale"),
            }
        }
        Some("areas") if index(1).is_some() => {
            let loc = root.child("area", &code_at(1), None);
            if index(3).is_none() {
                return (loc, "Area");
            }
            let loc = loc.child("indicator", &code_at(3), None);
            if index(5).is_none() {
                return (loc, "Indicator");
            }
            (loc.child("item", &code_at(5), None), "Item")
        }
        Some(_) => (root, "Instrument"),
    }
}

/// The value at `path` in the parsed document.
fn value_at<'a, 'i>(document: &'a DeTable<'i>, path: &[Segment]) -> Option<&'a DeValue<'i>> {
    let (first, rest) = path.split_first()?;
    let Segment::Key(first) = first else {
        return None;
    };
    let mut value = table_get(document, first)?;
    for segment in rest {
        value = match (segment, value) {
            (Segment::Key(key), DeValue::Table(table)) => table_get(table, key)?,
            (Segment::Index(i), DeValue::Array(array)) => array.get(*i)?.get_ref(),
            _ => return None,
        };
    }
    Some(value)
}

/// Byte offset of the key at `path` in the parsed document, when it can be found. A path that
/// ends in an array index points at the first key of that array element.
fn key_span(document: &DeTable<'_>, path: &[Segment]) -> Option<usize> {
    let (last, parents) = path.split_last()?;
    match last {
        Segment::Key(last) => {
            let container = if parents.is_empty() {
                document
            } else {
                value_at(document, parents)?.as_table()?
            };
            container
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == last.as_str())
                .map(|(key, _)| key.span().start)
        }
        Segment::Index(_) => {
            let element = value_at(document, path)?.as_table()?;
            element.iter().map(|(key, _)| key.span().start).min()
        }
    }
}

fn table_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeValue<'i>> {
    table
        .iter()
        .find(|(candidate, _)| candidate.get_ref().as_ref() == key)
        .map(|(_, value)| value.get_ref())
}
