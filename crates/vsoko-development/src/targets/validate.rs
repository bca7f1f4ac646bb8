//! Raw file → validated [`TargetSet`], collecting every problem instead of stopping at the first.

use std::collections::HashMap;

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};

use vsoko_checklist::toml_path::{self, Segment, key_span, line_of, segments, value_at};

use super::diagnostic::Diagnostic;
use super::raw::*;
use super::*;

/// Parses and validates a targets file; every problem, sorted by line, when it is not valid.
pub(super) fn parse(source: &str, file: &str) -> Result<TargetSet, Vec<Diagnostic>> {
    let mut ctx = Ctx {
        file,
        source,
        document: None,
        diagnostics: Vec::new(),
    };
    let document = match DeTable::parse(source) {
        Ok(document) => document,
        Err(error) => {
            ctx.de_error(&error, "fix the TOML syntax at this line");
            return Err(ctx.diagnostics);
        }
    };
    ctx.document = Some(document.get_ref());
    let mut unknown_keys: Vec<Vec<Segment>> = Vec::new();
    let parsed = toml::Deserializer::parse(source).and_then(|deserializer| {
        serde_ignored::deserialize(deserializer, |path| unknown_keys.push(segments(&path)))
    });
    for path in &unknown_keys {
        ctx.unknown_key(path);
    }
    let raw: RawTargets = match parsed {
        Ok(raw) => raw,
        Err(error) => {
            ctx.de_error(
                &error,
                "see the JSON Schema (checklists/targets.schema.json) for the keys a target takes and their types",
            );
            return Err(ctx.sorted());
        }
    };
    let targets = build(&mut ctx, &raw);
    if ctx.diagnostics.is_empty() {
        Ok(TargetSet { targets })
    } else {
        Err(ctx.sorted())
    }
}

struct Ctx<'a> {
    file: &'a str,
    source: &'a str,
    document: Option<&'a DeTable<'a>>,
    diagnostics: Vec<Diagnostic>,
}

/// A place in the file: readable text and a line.
#[derive(Clone)]
struct Loc {
    text: String,
    line: Option<usize>,
}

impl Ctx<'_> {
    fn sorted(mut self) -> Vec<Diagnostic> {
        // Problems are found target by target; a person reads a file top to bottom.
        self.diagnostics
            .sort_by_key(|diagnostic| diagnostic.line.unwrap_or(0));
        self.diagnostics
    }

    fn push(&mut self, line: Option<usize>, location: &str, message: String, help: &str) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            location: location.to_owned(),
            message,
            help: (!help.is_empty()).then(|| help.to_owned()),
        });
    }

    fn error(&mut self, loc: &Loc, message: impl Into<String>, help: &str) {
        self.push(loc.line, &loc.text, message.into(), help);
    }

    fn de_error(&mut self, error: &toml::de::Error, help: &str) {
        let line = error.span().map(|span| line_of(self.source, span.start));
        self.push(line, "", error.message().trim_end().to_owned(), help);
    }

    /// The line of the key at `path`, when the document has it.
    fn line_at(&self, path: &[Segment]) -> Option<usize> {
        key_span(self.document?, path).map(|start| line_of(self.source, start))
    }

    /// The place of `keys` under target `index` (the target's own line when the key is not
    /// written).
    fn at(&self, target: &Loc, index: usize, keys: &[&str]) -> Loc {
        let mut path = vec![Segment::Key("targets".to_owned()), Segment::Index(index)];
        path.extend(keys.iter().map(|key| Segment::Key((*key).to_owned())));
        Loc {
            text: target.text.clone(),
            line: self.line_at(&path).or(target.line),
        }
    }

    fn unknown_key(&mut self, path: &[Segment]) {
        let Some((Segment::Key(key), parents)) = path.split_last() else {
            return;
        };
        let (text, struct_name) = match parents {
            [Segment::Key(targets), Segment::Index(i)] if targets == "targets" => {
                (self.target_text(*i), "Target")
            }
            [
                Segment::Key(targets),
                Segment::Index(i),
                Segment::Key(source),
            ] if targets == "targets" && source == "source" => {
                (format!("{} → source", self.target_text(*i)), "Source")
            }
            _ => (String::new(), "Targets"),
        };
        let allowed = allowed_keys(struct_name).join(", ");
        let line = self.line_at(path);
        self.push(
            line,
            &text,
            format!("unknown key `{key}`; allowed keys here: {allowed}"),
            "fix the spelling or remove the key (unknown keys are never ignored)",
        );
    }

    /// «target CODE», or «target #N» when the target has no code.
    fn target_text(&self, index: usize) -> String {
        let path = [
            Segment::Key("targets".to_owned()),
            Segment::Index(index),
            Segment::Key("code".to_owned()),
        ];
        let code = self
            .document
            .and_then(|document| value_at(document, &path))
            .and_then(DeValue::as_str)
            .filter(|code| !code.trim().is_empty());
        match code {
            Some(code) => format!("target {code}"),
            None => format!("target #{}", index + 1),
        }
    }
}

fn build(ctx: &mut Ctx<'_>, raw: &RawTargets) -> Vec<Target> {
    let mut targets = Vec::new();
    let mut codes: HashMap<&str, Loc> = HashMap::new();
    for (index, raw_target) in raw.targets.iter().enumerate() {
        let target_line = ctx.line_at(&[Segment::Key("targets".to_owned()), Segment::Index(index)]);
        let loc = Loc {
            text: ctx.target_text(index),
            line: target_line,
        };
        let code_loc = ctx.at(&loc, index, &["code"]);
        if check_code(ctx, &code_loc, &raw_target.code) {
            match codes.get(raw_target.code.as_str()) {
                Some(earlier) => {
                    let at = earlier
                        .line
                        .map(|line| format!(" at line {line}"))
                        .unwrap_or_default();
                    ctx.error(
                        &code_loc,
                        format!("code `{}` is already used{at}", raw_target.code),
                        "give every target its own code",
                    );
                }
                None => {
                    codes.insert(&raw_target.code, code_loc);
                }
            }
        }
        if raw_target.title.trim().is_empty() {
            let title_loc = ctx.at(&loc, index, &["title"]);
            ctx.error(
                &title_loc,
                "`title` is empty",
                "write the title in Russian, as reports show it",
            );
        }
        let unit = match raw_target.unit {
            RawUnit::Percent => Unit::Percent,
            RawUnit::Count => Unit::Count,
        };
        let value_loc = ctx.at(&loc, index, &["value"]);
        let value_ok = check_value(ctx, &value_loc, raw_target.value, unit);
        let period = build_period(ctx, &loc, index, raw_target);
        let source = build_source(ctx, &loc, index, &raw_target.source, unit);
        if let (true, Some(period), Some(source)) = (value_ok, period, source) {
            targets.push(Target {
                code: raw_target.code.clone(),
                title: raw_target.title.trim().to_owned(),
                source,
                comparison: match raw_target.comparison {
                    RawComparison::AtLeast => Comparison::AtLeast,
                    RawComparison::AtMost => Comparison::AtMost,
                },
                value: raw_target.value,
                unit,
                period,
                line: target_line,
            });
        }
    }
    targets
}

/// A target code: lowercase latin letters, digits, `-`, `_`, `.`, starting with a letter or digit.
fn check_code(ctx: &mut Ctx<'_>, loc: &Loc, code: &str) -> bool {
    let well_formed = code
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if !well_formed {
        ctx.error(
            loc,
            format!("code \"{code}\" must be lowercase latin letters, digits, '-', '_' and '.'"),
            "for example: kpk-36-teachers",
        );
    }
    well_formed
}

fn check_value(ctx: &mut Ctx<'_>, loc: &Loc, value: f64, unit: Unit) -> bool {
    let problem = if !value.is_finite() {
        Some((
            format!("value {value} is not a number"),
            "write the bound as a number",
        ))
    } else if value < 0.0 {
        Some((
            format!("value {value} is below 0"),
            "a bound is a share or a count: 0 or more",
        ))
    } else if unit == Unit::Percent && value > 100.0 {
        Some((
            format!("value {value} is above 100 for a percent"),
            "a share is at most 100 %",
        ))
    } else if unit == Unit::Count && value.fract() != 0.0 {
        Some((
            format!("value {value} is not a whole number, and the unit is a count"),
            "write a whole number, or set unit = \"%\" for a share",
        ))
    } else {
        None
    };
    match problem {
        Some((message, help)) => {
            ctx.error(loc, message, help);
            false
        }
        None => true,
    }
}

fn build_period(
    ctx: &mut Ctx<'_>,
    loc: &Loc,
    index: usize,
    raw: &RawTarget,
) -> Option<TargetPeriod> {
    match (&raw.window, &raw.date) {
        (None, None) => Some(TargetPeriod::EveryYear),
        (Some(_), Some(_)) => {
            let date_loc = ctx.at(loc, index, &["date"]);
            ctx.error(
                &date_loc,
                "both `window` and `date` are given",
                "keep the school year (`window`) or the date, not both",
            );
            None
        }
        (Some(window), None) => {
            let year = SchoolYear::parse(window);
            if year.is_none() {
                let window_loc = ctx.at(loc, index, &["window"]);
                ctx.error(
                    &window_loc,
                    format!("window \"{window}\" is not a school year"),
                    "write the school year as 2025/2026 (1 September 2025 to 31 August 2026)",
                );
            }
            year.map(TargetPeriod::SchoolYear)
        }
        (None, Some(datetime)) => {
            let date = match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ),
                _ => None,
            };
            if date.is_none() {
                let date_loc = ctx.at(loc, index, &["date"]);
                ctx.error(
                    &date_loc,
                    format!("date {datetime} is not a date without a time"),
                    "write the date as 2026-05-31",
                );
            }
            date.map(TargetPeriod::Date)
        }
    }
}

fn kind_name(kind: RawSourceKind) -> &'static str {
    match kind {
        RawSourceKind::Coverage => "coverage",
        RawSourceKind::Node => "node",
        RawSourceKind::ItemValue => "item_value",
        RawSourceKind::LevelShare => "level_share",
        RawSourceKind::SurveyCoverage => "survey_coverage",
        RawSourceKind::IndividualPlans => "individual_plans",
    }
}

/// The keys a source of `kind` takes besides `kind`.
fn source_keys(kind: RawSourceKind) -> &'static [&'static str] {
    match kind {
        RawSourceKind::Coverage => &["figure", "category"],
        RawSourceKind::Node => &["instrument", "node"],
        RawSourceKind::ItemValue => &["instrument", "item", "value"],
        RawSourceKind::LevelShare => &["instrument", "area", "level"],
        RawSourceKind::SurveyCoverage => &["instrument"],
        RawSourceKind::IndividualPlans => &[],
    }
}

fn build_source(
    ctx: &mut Ctx<'_>,
    target: &Loc,
    index: usize,
    raw: &RawSource,
    unit: Unit,
) -> Option<Source> {
    let loc = Loc {
        text: format!("{} → source", target.text),
        line: ctx.at(target, index, &["source"]).line,
    };
    let key_loc = |ctx: &Ctx<'_>, key: &str| Loc {
        text: loc.text.clone(),
        line: ctx.at(target, index, &["source", key]).line.or(loc.line),
    };
    let kind = kind_name(raw.kind);
    let takes = source_keys(raw.kind);
    let present = [
        ("figure", raw.figure.is_some()),
        ("category", raw.category.is_some()),
        ("instrument", raw.instrument.is_some()),
        ("node", raw.node.is_some()),
        ("item", raw.item.is_some()),
        ("value", raw.value.is_some()),
        ("area", raw.area.is_some()),
        ("level", raw.level.is_some()),
    ];
    let takes_text = if takes.is_empty() {
        format!("a `{kind}` source takes no key besides `kind`")
    } else {
        format!("a `{kind}` source takes: {}", takes.join(", "))
    };
    let before = ctx.diagnostics.len();
    for (key, given) in present {
        if given && !takes.contains(&key) {
            let at = key_loc(ctx, key);
            ctx.error(
                &at,
                format!("`{key}` does not belong to a source of kind `{kind}`"),
                &takes_text,
            );
        }
    }
    for &key in takes {
        let given = present.iter().any(|&(name, given)| name == key && given);
        if !given {
            ctx.error(
                &loc,
                format!("a source of kind `{kind}` needs `{key}`"),
                &takes_text,
            );
        }
    }
    let instrument = raw.instrument.as_deref().unwrap_or_default();
    if raw.instrument.is_some() && !instrument_code(instrument) {
        let at = key_loc(ctx, "instrument");
        ctx.error(
            &at,
            format!("instrument \"{instrument}\" must be lowercase latin letters, digits and '-'"),
            "for example: dc-teacher, card-ood",
        );
    }
    for (key, value) in [
        ("node", &raw.node),
        ("item", &raw.item),
        ("area", &raw.area),
        ("level", &raw.level),
    ] {
        if let Some(value) = value
            && (value.is_empty() || value.chars().any(char::is_whitespace))
        {
            let at = key_loc(ctx, key);
            ctx.error(
                &at,
                format!("{key} \"{value}\" is not a code"),
                "write the code as the instrument file has it, without spaces, for example A2.3",
            );
        }
    }
    if let Some(value) = raw.value
        && !value.is_finite()
    {
        let at = key_loc(ctx, "value");
        ctx.error(
            &at,
            format!("value {value} is not a number"),
            "write the value of the item's option",
        );
    }
    if raw.kind == RawSourceKind::Node && unit == Unit::Count {
        let at = ctx.at(target, index, &["unit"]);
        ctx.error(
            &at,
            "the result of a node is a percent, and the unit is a count",
            "set unit = \"%\"",
        );
    }
    if ctx.diagnostics.len() > before {
        return None;
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    Some(match raw.kind {
        RawSourceKind::Coverage => Source::Coverage {
            figure: match raw.figure? {
                RawFigure::Within36Months => CoverageFigure::Within36Months,
                RawFigure::TrainedInWindow => CoverageFigure::TrainedInWindow,
                RawFigure::TrainedWithDistance => CoverageFigure::TrainedWithDistance,
                RawFigure::TrainedOnRegister => CoverageFigure::TrainedOnRegister,
                RawFigure::AddressedDeficits => CoverageFigure::AddressedDeficits,
            },
            category: match raw.category? {
                RawCategory::Teacher => StaffCategory::Teacher,
                RawCategory::Management => StaffCategory::Management,
            },
        },
        RawSourceKind::Node => Source::Node {
            instrument: text(&raw.instrument),
            node: text(&raw.node),
        },
        RawSourceKind::ItemValue => Source::ItemValue {
            instrument: text(&raw.instrument),
            item: text(&raw.item),
            value: raw.value?,
        },
        RawSourceKind::LevelShare => Source::LevelShare {
            instrument: text(&raw.instrument),
            area: text(&raw.area),
            level: text(&raw.level),
        },
        RawSourceKind::SurveyCoverage => Source::SurveyCoverage {
            instrument: text(&raw.instrument),
        },
        RawSourceKind::IndividualPlans => Source::IndividualPlans,
    })
}

/// An instrument code as instrument files have it: lowercase latin letters, digits and `-`.
fn instrument_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The keys a table of the given raw struct accepts (its name in the schema), sorted.
fn allowed_keys(struct_name: &str) -> Vec<String> {
    toml_path::allowed_keys(&schemars::schema_for!(RawTargets), "Targets", struct_name)
}
