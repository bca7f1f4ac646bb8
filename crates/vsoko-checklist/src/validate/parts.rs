//! The parts of an instrument besides its tree, each built and checked on its own: the level
//! table with the deficit threshold and the least coverage, the scales, the small-group rule of
//! anonymous instruments, the crosswalk to the earlier version.

use crate::hash;
use std::collections::BTreeSet;

use super::*;

/// Content hashes of the shipped files published before critical items had to be on scales
/// without N/A. They stay valid, so that answers given against them can still be read; their
/// version 2 follows the rule.
pub(super) const PUBLISHED_BEFORE_NA_RULE: &[&str] = &[
    // card-ood@1
    "1ec58d11f1c3fcbb16717aa0e4e85ee59b83fe75465b77a4367638f22d8c4840",
    // card-rpps@1
    "daa083e9102f8476c61b2ee40d8fe77c7d79df3268b638177abe5573cf790db9",
    // card-walk@1
    "3ca50709cbbd7c4621b51c78ed9f7eeaa7a36861d3a74d7d94de8bfcc688046c",
];

pub(super) fn published_before_na_rule(source: &str) -> bool {
    hash::canonical(source).is_ok_and(|(_, hash)| PUBLISHED_BEFORE_NA_RULE.contains(&hash.as_str()))
}

/// `min_respondents`: only for anonymous instruments, 2–100, default 5 for them.
pub(super) fn build_min_respondents(
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
pub(super) fn build_crosswalk(
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

pub(super) fn build_levels(
    ctx: &mut Ctx<'_>,
    raw: &RawLevels,
) -> (Option<LevelTable>, Percent, Percent) {
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

pub(super) fn build_scales(ctx: &mut Ctx<'_>, raw: &RawInstrument) -> (Vec<Scale>, Vec<String>) {
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

pub(super) fn options_scale(
    ctx: &mut Ctx<'_>,
    loc: &Loc,
    name: &str,
    raw: &RawScale,
) -> Option<ScaleKind> {
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

pub(super) fn numeric_scale(
    ctx: &mut Ctx<'_>,
    loc: &Loc,
    name: &str,
    raw: &RawScale,
) -> Option<ScaleKind> {
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
