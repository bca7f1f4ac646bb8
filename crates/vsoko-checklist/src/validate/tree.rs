//! The areas → indicators → items of an instrument, each checked where it is written: codes
//! unique across the instrument, a scale resolved from the nearest level that names one,
//! critical items only where a lowest option caps a level.

use std::collections::HashMap;

use super::{Ctx, Loc, ScaleRef, published_before_na_rule};
use crate::model::*;
use crate::raw::*;

/// What the walk over the tree remembers: the codes seen, and the critical items found on a
/// scale with N/A (refused at the end, unless the file was published before that rule).
pub(super) struct Tree<'r> {
    raw: &'r RawInstrument,
    scale_codes: &'r [String],
    seen: HashMap<String, Loc>,
    critical_with_na: Vec<(Loc, String)>,
    /// The item that took each role first.
    roles: HashMap<&'static str, Loc>,
}

impl<'r> Tree<'r> {
    pub(super) fn new(raw: &'r RawInstrument, scale_codes: &'r [String]) -> Tree<'r> {
        Tree {
            raw,
            scale_codes,
            seen: HashMap::new(),
            critical_with_na: Vec::new(),
            roles: HashMap::new(),
        }
    }

    /// The scale a node names, else the one it inherits.
    fn resolve(
        &self,
        ctx: &mut Ctx<'_>,
        loc: &Loc,
        name: Option<&str>,
        inherited: ScaleRef,
    ) -> ScaleRef {
        let Some(name) = name else {
            return inherited;
        };
        match self.scale_codes.iter().position(|code| code == name) {
            Some(index) => ScaleRef::Index(index),
            None => {
                let defined = if self.scale_codes.is_empty() {
                    "none".to_owned()
                } else {
                    self.scale_codes.join(", ")
                };
                ctx.error(
                    loc,
                    format!("scale \"{name}\" is not defined; defined scales: {defined}"),
                    format!("define [scales.{name}] or use one of the defined scales"),
                );
                ScaleRef::Broken
            }
        }
    }

    fn check_unique(&mut self, ctx: &mut Ctx<'_>, loc: &Loc, code: &str) {
        if let Some(first) = self.seen.get(code) {
            ctx.error(
                loc,
                format!("code \"{code}\" is already used{}", first.earlier()),
                "codes of areas, indicators and items must be unique in the instrument",
            );
        } else {
            self.seen.insert(code.to_owned(), loc.clone());
        }
    }

    /// Every area, with its indicators and items.
    pub(super) fn areas(&mut self, ctx: &mut Ctx<'_>) -> Vec<Area> {
        let raw = self.raw;
        let root = Loc::root();
        let top_scale = self.resolve(ctx, &root, raw.scale.as_deref(), ScaleRef::Unset);
        if raw.areas.is_empty() {
            ctx.error(
                &root,
                "the instrument has no areas",
                "add at least one [[areas]] table",
            );
        }
        let mut areas = Vec::with_capacity(raw.areas.len());
        for raw_area in &raw.areas {
            if let Some(area) = self.area(ctx, &root, raw_area, top_scale) {
                areas.push(area);
            }
        }
        areas
    }

    fn area(
        &mut self,
        ctx: &mut Ctx<'_>,
        root: &Loc,
        raw_area: &RawArea,
        top_scale: ScaleRef,
    ) -> Option<Area> {
        let loc = root.child("area", raw_area.code.get_ref(), ctx.line(&raw_area.code));
        let code = ctx.code(&loc, raw_area.code.get_ref());
        self.check_unique(ctx, &loc, raw_area.code.get_ref());
        ctx.text(&loc, "title", &raw_area.title);
        ctx.optional_text(&loc, "recommendation", raw_area.recommendation.as_deref());
        let weight = ctx.weight(&loc, raw_area.weight);
        let area_scale = self.resolve(ctx, &loc, raw_area.scale.as_deref(), top_scale);
        if raw_area.indicators.is_empty() {
            ctx.error(
                &loc,
                "the area has no indicators",
                "add at least one [[areas.indicators]] table",
            );
        }
        let mut indicators = Vec::with_capacity(raw_area.indicators.len());
        for raw_indicator in &raw_area.indicators {
            if let Some(indicator) = self.indicator(ctx, &loc, raw_indicator, area_scale) {
                indicators.push(indicator);
            }
        }
        Some(Area {
            code: code?,
            title: raw_area.title.clone(),
            weight,
            recommendation: raw_area.recommendation.clone(),
            indicators,
        })
    }

    fn indicator(
        &mut self,
        ctx: &mut Ctx<'_>,
        area: &Loc,
        raw_indicator: &RawIndicator,
        area_scale: ScaleRef,
    ) -> Option<Indicator> {
        let loc = area.child(
            "indicator",
            raw_indicator.code.get_ref(),
            ctx.line(&raw_indicator.code),
        );
        let code = ctx.code(&loc, raw_indicator.code.get_ref());
        self.check_unique(ctx, &loc, raw_indicator.code.get_ref());
        ctx.text(&loc, "title", &raw_indicator.title);
        ctx.optional_text(
            &loc,
            "recommendation",
            raw_indicator.recommendation.as_deref(),
        );
        let weight = ctx.weight(&loc, raw_indicator.weight);
        let indicator_scale = self.resolve(ctx, &loc, raw_indicator.scale.as_deref(), area_scale);
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
            if let Some(item) = self.item(ctx, &loc, raw_item, indicator_scale, variable) {
                items.push(item);
            }
        }
        Some(Indicator {
            code: code?,
            title: raw_indicator.title.clone(),
            weight,
            kind: match raw_indicator.kind {
                None | Some(RawIndicatorKind::Invariant) => IndicatorKind::Invariant,
                Some(RawIndicatorKind::Variable) => IndicatorKind::Variable,
            },
            recommendation: raw_indicator.recommendation.clone(),
            items,
        })
    }

    fn item(
        &mut self,
        ctx: &mut Ctx<'_>,
        indicator: &Loc,
        raw_item: &RawItem,
        indicator_scale: ScaleRef,
        variable: bool,
    ) -> Option<Item> {
        let raw = self.raw;
        let scale_codes = self.scale_codes;
        let loc = indicator.child("item", raw_item.code.get_ref(), ctx.line(&raw_item.code));
        let code = ctx.code(&loc, raw_item.code.get_ref());
        self.check_unique(ctx, &loc, raw_item.code.get_ref());
        ctx.text(&loc, "text", &raw_item.text);
        ctx.optional_text(&loc, "hint", raw_item.hint.as_deref());
        let weight = ctx.weight(&loc, raw_item.weight);
        let scale = match self.resolve(ctx, &loc, raw_item.scale.as_deref(), indicator_scale) {
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
        let raw_scale = |index: usize| raw.scales.get(&scale_codes[index]);
        if let Some(index) = scale
            && critical
            && raw_scale(index).is_some_and(|scale| scale.kind == RawScaleType::Numeric)
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
            && raw_scale(index).is_some_and(|scale| scale.allow_na == Some(true))
        {
            self.critical_with_na
                .push((loc.clone(), scale_codes[index].clone()));
        }
        let role = raw_item
            .role
            .map(|role| self.role(ctx, &loc, role, scored, scale));
        let computed = raw_item
            .computed
            .as_ref()
            .and_then(|source| self.computed(ctx, &loc, raw_item, source, scale));
        Some(Item {
            code: code?,
            text: raw_item.text.clone(),
            hint: raw_item.hint.clone(),
            scale: scale?,
            weight,
            critical,
            // Nobody types a computed value: without data it stays unanswered.
            required: raw_item.required.unwrap_or(raw_item.computed.is_none()),
            scored,
            role,
            computed,
        })
    }

    /// A computed item's source, checked in the file: a numeric item of an instrument about a
    /// kindergarten, never required, naming another instrument (that the node exists there is
    /// the catalog's check).
    fn computed(
        &mut self,
        ctx: &mut Ctx<'_>,
        loc: &Loc,
        raw_item: &RawItem,
        source: &RawComputed,
        scale: Option<usize>,
    ) -> Option<ComputedSource> {
        if let Some(index) = scale
            && self
                .raw
                .scales
                .get(&self.scale_codes[index])
                .is_some_and(|scale| scale.kind != RawScaleType::Numeric)
        {
            ctx.error(
                loc,
                "a computed item's value is a score in percent: it needs a numeric scale",
                "put the item on a numeric scale with unit = \"%\"",
            );
        }
        if !matches!(self.raw.subject, RawSubject::Kindergarten) {
            ctx.error(
                loc,
                "a computed item takes its value from the same kindergarten's results: the instrument must be about the kindergarten",
                "remove `computed`, or move the item to the kindergarten's indicator set",
            );
        }
        if raw_item.required == Some(true) {
            ctx.error(
                loc,
                "a computed item cannot be required: without data its value is «недостаточно данных», and nobody types it",
                "remove `required`",
            );
        }
        if source.instrument == *self.raw.code.get_ref() {
            ctx.error(
                loc,
                format!(
                    "a computed item cannot take its value from its own instrument \"{}\"",
                    source.instrument
                ),
                "name another instrument, for example instrument = \"card-ood\"",
            );
        }
        let instrument = ctx.code(loc, &source.instrument);
        let node = ctx.code(loc, &source.node);
        Some(ComputedSource {
            instrument: instrument?,
            node: node?,
        })
    }

    /// An item's role, checked: read by the professional-development loop as an answer people
    /// give about themselves, so an unscored item on an options scale of a survey that is not
    /// anonymous, and one item a role.
    fn role(
        &mut self,
        ctx: &mut Ctx<'_>,
        loc: &Loc,
        raw_role: RawItemRole,
        scored: bool,
        scale: Option<usize>,
    ) -> ItemRole {
        let role = match raw_role {
            RawItemRole::Motivation => ItemRole::Motivation,
            RawItemRole::TutorOffer => ItemRole::TutorOffer,
            RawItemRole::ConsultationRequest => ItemRole::ConsultationRequest,
        };
        let name = role.as_str();
        if scored {
            ctx.error(
                loc,
                format!("an item with role \"{name}\" is read by the professional-development loop and must not be scored"),
                "set `scored = false` on the item",
            );
        }
        if let Some(index) = scale
            && self
                .raw
                .scales
                .get(&self.scale_codes[index])
                .is_some_and(|scale| scale.kind == RawScaleType::Numeric)
        {
            ctx.error(
                loc,
                format!("an item with role \"{name}\" needs an options scale: its answer is a choice, not a number"),
                "use an options scale, for example «нет / да»",
            );
        }
        if !matches!(self.raw.kind, RawKind::Survey)
            || matches!(self.raw.respondent, RawRole::Parent)
        {
            ctx.error(
                loc,
                format!("role \"{name}\" is only for surveys that staff fill about themselves or their kindergarten"),
                "remove `role`: control cards, indicator sets and anonymous questionnaires have none",
            );
        }
        if let Some(first) = self.roles.get(name) {
            ctx.error(
                loc,
                format!("role \"{name}\" is already taken{}", first.earlier()),
                "give each role to one item of the instrument",
            );
        } else {
            self.roles.insert(name, loc.clone());
        }
        role
    }

    /// Critical items on a scale with N/A let the one answer that matters be skipped: refused,
    /// unless the file is one published before the rule (`PUBLISHED_BEFORE_NA_RULE`).
    pub(super) fn refuse_critical_with_na(self, ctx: &mut Ctx<'_>) {
        if self.critical_with_na.is_empty() || published_before_na_rule(ctx.source) {
            return;
        }
        for (loc, scale) in self.critical_with_na {
            ctx.error(
                &loc,
                format!(
                    "critical item on the scale \"{scale}\", which allows N/A: the one answer that caps the level could be skipped"
                ),
                "put the critical item on a scale without N/A; where the situation may not arise, make that part of the safe option («соблюдено (или не было)»)",
            );
        }
    }
}
