//! The network's targets as a table: the coverage pages and the dashboards show the same rows.

use vsoko_app::targets::TargetLine;

/// One target as its row reads.
pub(crate) struct TargetRow {
    pub(crate) title: String,
    pub(crate) target: String,
    pub(crate) actual: String,
    pub(crate) status: &'static str,
    pub(crate) achieved: bool,
    pub(crate) gap: String,
    pub(crate) change: String,
    pub(crate) source: String,
}

/// The rows of `lines`; «—» where there is no figure.
pub(crate) fn target_rows(lines: &[TargetLine]) -> Vec<TargetRow> {
    lines
        .iter()
        .map(|line| TargetRow {
            title: line.title.clone(),
            target: line.attainment.target_text(),
            actual: line
                .attainment
                .actual_text()
                .unwrap_or_else(|| "—".to_owned()),
            status: line.attainment.status_text(),
            achieved: line.attainment.achieved() == Some(true),
            gap: line.attainment.gap_text().unwrap_or_else(|| "—".to_owned()),
            change: line
                .attainment
                .change_text()
                .unwrap_or_else(|| "—".to_owned()),
            source: line.source.clone(),
        })
        .collect()
}
