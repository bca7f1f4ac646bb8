//! One submission's scores as a table: every area followed by its indicators, each with its
//! result, level and flags.

use vsoko_app::reports::{NodeKind, NodeScore};
use vsoko_checklist::Instrument;

use crate::format;

/// One row of a results table.
pub(crate) struct ScoreRow {
    pub title: String,
    pub result: String,
    pub level: String,
    pub flags: Vec<&'static str>,
    pub indicator: bool,
}

/// A node's result in words: `45,0 %` or «недостаточно данных».
pub(crate) fn result_text(node: &NodeScore) -> String {
    node.percent
        .map(format::percent)
        .unwrap_or_else(|| "недостаточно данных".to_owned())
}

/// A node's level with its name: `B1 «Интегратор»`, or a dash when the node has none.
pub(crate) fn level_text(instrument: &Instrument, node: &NodeScore) -> String {
    match &node.level {
        Some(code) => {
            let name = instrument
                .levels()
                .bands()
                .iter()
                .find(|band| band.code().as_str() == code)
                .map(|band| band.name().to_owned())
                .unwrap_or_default();
            format!("{code} «{name}»")
        }
        None => "—".to_owned(),
    }
}

/// The rows of a score: every area, each followed by its indicators.
pub(crate) fn score_rows(instrument: &Instrument, nodes: &[NodeScore]) -> Vec<ScoreRow> {
    let mut rows = Vec::new();
    for area in instrument.areas() {
        if let Some(node) = nodes
            .iter()
            .find(|node| node.kind == NodeKind::Area && node.code == area.code().as_str())
        {
            rows.push(row(instrument, node, area.title(), false));
        }
        for indicator in area.indicators() {
            if let Some(node) = nodes.iter().find(|node| {
                node.kind == NodeKind::Indicator && node.code == indicator.code().as_str()
            }) {
                rows.push(row(instrument, node, indicator.title(), true));
            }
        }
    }
    rows
}

fn row(instrument: &Instrument, node: &NodeScore, title: &str, indicator: bool) -> ScoreRow {
    let mut flags = Vec::new();
    if node.critical {
        flags.push("критический пункт");
    }
    if node.deficit {
        flags.push("дефицит");
    }
    ScoreRow {
        title: title.to_owned(),
        result: result_text(node),
        level: level_text(instrument, node),
        flags,
        indicator,
    }
}
