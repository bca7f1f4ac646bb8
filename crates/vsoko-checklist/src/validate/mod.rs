//! Raw file → validated [`Instrument`], collecting every problem instead of stopping at the first.
//!
//! Three stages: TOML syntax (one error is all the parser can give), structure (serde into the raw
//! structs: missing keys and wrong types; unknown keys are all collected), then semantics (every rule
//! checked, every violation reported with its location and a hint).

use std::collections::HashMap;

use toml::Spanned;
use toml::de::DeTable;

use crate::diagnostic::{Diagnostic, line_of};
use crate::hash;
use crate::model::*;
use crate::raw::*;

mod keys;
mod parts;
mod tree;

use crate::toml_path::{Segment, key_span, segments, value_at};
use keys::*;
use parts::*;

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
    /// Where an earlier use stands, for «already used» messages: ` at line 40 (area A → …)`.
    fn earlier(&self) -> String {
        let at = self
            .line
            .map(|line| format!(" at line {line}"))
            .unwrap_or_default();
        format!("{at} ({})", self.text)
    }

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
    let (code, version) = build_identity(ctx, raw);
    let (levels, deficit_threshold, min_coverage) = build_levels(ctx, &raw.levels);
    let (scales, scale_codes) = build_scales(ctx, raw);
    let mut tree = tree::Tree::new(raw, &scale_codes);
    let areas = tree.areas(ctx);
    tree.refuse_critical_with_na(ctx);
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
    let mut item_index = HashMap::new();
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
        counting: counting(raw, respondent),
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

/// How an instrument counts its forms: as written, or by its kind (anonymous responses cannot
/// be told apart: each one counts).
fn counting(raw: &RawInstrument, respondent: Respondent) -> Counting {
    match (raw.counting, raw.kind) {
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
    }
}

/// The instrument's code, version, title and description, each checked.
fn build_identity(ctx: &mut Ctx<'_>, raw: &RawInstrument) -> (Option<Code>, Option<u32>) {
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
    (code, version)
}
