//! The result of scoring one submission.

use vsoko_checklist::InstrumentId;

/// Which level of the hierarchy a score belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// The whole form.
    Total,
    /// An area.
    Area,
    /// An indicator.
    Indicator,
    /// The variable part: the kindergarten's own (variable) indicators together, outside the areas
    /// and the total, so that they never enter a comparison across the network. Present only in
    /// instruments with variable indicators.
    Variable,
}

impl NodeKind {
    /// Stable text form for storage and the wire: `total`, `area`, `indicator`, `variable`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Total => "total",
            NodeKind::Area => "area",
            NodeKind::Indicator => "indicator",
            NodeKind::Variable => "variable",
        }
    }

    /// Parses [`NodeKind::as_str`].
    pub fn parse(text: &str) -> Option<NodeKind> {
        match text {
            "total" => Some(NodeKind::Total),
            "area" => Some(NodeKind::Area),
            "indicator" => Some(NodeKind::Indicator),
            "variable" => Some(NodeKind::Variable),
            _ => None,
        }
    }
}

/// The score of one node (the total, an area or an indicator) of one submission.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeScore {
    /// Total, area or indicator.
    pub kind: NodeKind,
    /// The node's code; for the total, the instrument code.
    pub code: String,
    /// Score in percent (0–100); `None` when the node is not valid («недостаточно данных»).
    pub percent: Option<f64>,
    /// Code of the level band; `None` when the node is not valid.
    pub level: Option<String>,
    /// Share of the node's items answered (not N/A, not missing), in percent.
    pub coverage: f64,
    /// Number of items under the node.
    pub n_items: u32,
    /// Number of those items answered with a value (not N/A, not missing).
    pub n_answered: u32,
    /// A critical item under the node was answered with its lowest option: the level is capped at
    /// the lowest band.
    pub critical: bool,
    /// The node is valid and scores below the instrument's deficit threshold.
    pub deficit: bool,
}

/// Every node score of one submission, in instrument order: the total first, then each area
/// followed by its indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionScore {
    /// The instrument version scored against.
    pub instrument: InstrumentId,
    /// Node scores.
    pub nodes: Vec<NodeScore>,
    /// Codes of critical items answered with their lowest option.
    pub critical_items: Vec<String>,
}

impl SubmissionScore {
    /// The total's score.
    pub fn total(&self) -> &NodeScore {
        &self.nodes[0]
    }

    /// The score of the node with this kind and code.
    pub fn node(&self, kind: NodeKind, code: &str) -> Option<&NodeScore> {
        self.nodes
            .iter()
            .find(|node| node.kind == kind && node.code == code)
    }
}

/// One submission's scores together with who and what they are about: the input of the
/// kindergarten, network and dynamics aggregations. Storage loads these for reports; the batch CLI
/// builds the same shape from a CSV of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredSubmission<K = String> {
    /// Identifier of the submission (its latest revision).
    pub submission: K,
    /// Identifier of the kindergarten.
    pub kindergarten: K,
    /// Identifier of the person who answered.
    pub respondent: K,
    /// Identifier of what was assessed (a teacher, a group, or the kindergarten itself).
    pub subject: K,
    /// Assessment period code, for example `2024-09`.
    pub period: String,
    /// The scores.
    pub score: SubmissionScore,
}
