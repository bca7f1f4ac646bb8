//! Scoring for vsoko: validated answers → per-submission scores → kindergarten, network and dynamics
//! aggregates.
//!
//! This crate knows nothing of HTTP or databases: plain domain types in, plain result types out.
//! Polars is used inside it only (lazy plans collected once at the public boundary); no polars type
//! appears in the public API.
//!
//! # Entry points
//! - [`score_submission`] — one submission, plain Rust (microseconds; runs on every API submission).
//! - [`aggregate`] — kindergarten and network results from already scored submissions;
//!   [`aggregate_table`] the same from a [`ScoreTable`] (stored scores column by column, what the
//!   API's network report reads); [`dynamics`] — changes between two periods.
//! - [`score_csv`] — the batch: a CSV of answers → everything above plus item statistics;
//!   [`BatchOutput::write_dir`] writes the CSV tables of `vsoko score`.
//!
//! # How the batch runs
//! Two polars plans, each collected once. Stage 1 (streaming engine) scans the file once, classifies
//! every row, and groups the rows **once**, on the submission's keys, into one wide row per
//! submission with a column per item (plain `max`/`sum` aggregations); node scores are then column
//! arithmetic on that table, summing children in instrument order exactly as [`score_submission`]
//! does, so a batch and the API score a submission bit for bit alike. Stage 2 (in memory, file
//! order) aggregates the latest submissions per kindergarten and network — the same code the API's
//! reports run — so the same file always gives the same floats. Division by a constant is written
//! so that polars does not turn it into a multiplication by the reciprocal.
//!
//! # Semantics (the contract)
//! 1. **Item score** `s ∈ [0, 1]`. Options scale: `(value − lowest option) / (highest − lowest)`.
//!    Numeric with a target: more is better `min(value / target, 1)`; less is better
//!    `min(target / value, 1)`, a value ≤ 0 scores 1. Numeric with bands: the points of the last band
//!    whose `from` ≤ value, `(points − min points) / (max points − min points)`. N/A and missing
//!    answers are excluded from numerator and denominator — never counted as 0.
//! 2. **Indicator** = `Σ w·s / Σ w` over its answered *scored* items (× 100 → percent; unscored
//!    items, `scored = false`, are stored and exported but take no part in any score, count or
//!    coverage). **Area** = weighted mean of its *valid invariant* indicators' percents; **total** =
//!    weighted mean of the valid areas' percents. Variable indicators (`kind = "variable"`, the
//!    kindergarten's own) are in no area and not in the total: they make the **variable part**
//!    ([`NodeKind::Variable`]), the weighted mean of their valid percents, present only in
//!    instruments that have them; network reports leave them out. Weights renormalise over what is
//!    valid, so scaling all weights of one level by a constant changes nothing.
//! 3. **Coverage** of a node = answered items under it × 100 / items under it (answered = a value,
//!    not N/A, not missing). A node is **valid** iff it has at least one answered item and its
//!    coverage (rounded to 6 decimals) ≥ the instrument's `min_coverage` (0: any answered item
//!    suffices). An invalid node («недостаточно данных») has no percent and no level and is left out
//!    of its parent.
//! 4. **Level** = the last band whose lower bound ≤ the percent rounded to 6 decimals
//!    ([`vsoko_checklist::LevelTable::level_of`]), so float summation order never flips a level.
//!    **Deficit** = valid and the percent rounded to 6 decimals < `deficit_threshold`.
//! 5. **Critical**: a critical item answered with its scale's lowest option sets `critical` on its
//!    indicator, its area and the total, and caps their level at the lowest band; the percent is
//!    unchanged. The item codes are listed in [`SubmissionScore::critical_items`].
//! 6. **Node order** of a [`SubmissionScore`]: the total (code = instrument code), then each area
//!    followed by its indicators, in instrument order, then the variable part (code `variable`).
//! 7. **Latest revision** (batch): a submission is identified by (period, kindergarten, respondent,
//!    submission_id). Of the submissions of one (period, kindergarten, respondent) only one counts:
//!    the highest optional `revision` column (integer; missing = 0), then the highest
//!    `submission_id` compared as an integer (ids that are not integers rank below those that are),
//!    then as text. The rule depends on values only, so permuting rows changes nothing.
//!    [`aggregate`] trusts its caller to pass latest revisions only. (Internally the batch reads
//!    values as numbers and does not look for repeated items; a file with a value that is not a
//!    number is read again as text, and one with a repeated item scored again with those rows
//!    marked as errors — checked in the same plan, so the result never depends on the shortcut.)
//! 8. **Kindergarten × node** (total, area, indicator): mean of the submissions' valid percents, n,
//!    sample standard deviation (n − 1; none for n < 2), median, share of those submissions that are
//!    deficits. **Kindergarten total**: mean, n, count of submissions at each level (their own,
//!    critical cap included), the level of the mean (no cap: a mean has no critical item) and a
//!    **dense rank** by the mean at 6 decimals (1 = best).
//! 9. **Network × node**: the mean over kindergartens (each counts once) and the pooled mean over
//!    submissions; the distribution of kindergartens by the level of their mean total.
//! 10. **Dynamics** ([`dynamics`]): `after − before` in percentage points per kindergarten × node,
//!     network × node (mean of kindergartens) and per (kindergarten, respondent) present in both
//!     periods (total and areas); a drop of 5 p.p. or more (at 6 decimals) is flagged. Two versions
//!     of one instrument are compared node by node through the crosswalk of the later one
//!     ([`vsoko_checklist::correspondence`]): a node without a comparable earlier node has no delta
//!     («нет сопоставимых данных»); versions with no crosswalk between them only when their item
//!     codes are identical, otherwise [`ScoringError::VersionMismatch`]. The variable part is
//!     compared within one version only.
//! 11. **Item population deficits** (batch, latest submissions): per kindergarten and for the
//!     network, an item is a deficit when its mean score is below 50 % or at least 30 % of its
//!     answers are in the lower part of the scale (`low_options`: the lowest of two or three
//!     options, the two lowest of four or five); unscored items never are.
//! 12. **Anonymous instruments** (`min_respondents` = k, parents' questionnaires): a report whose
//!     scope has fewer than k responses shows no score; a subject (group) or kindergarten with
//!     fewer than k responses is hidden, and when exactly one sibling is hidden while their
//!     parent is shown, the smallest visible sibling is hidden too (complementary suppression);
//!     the ranking is over the visible kindergartens.

mod batch;
mod columns;
mod coverage;
mod error;
mod generate;
mod pipeline;
mod report;
mod rows;
mod scope;
mod score;
mod submission;
mod table;
mod wide;

pub use batch::{BatchNode, BatchOptions, BatchOutput, REQUIRED_COLUMNS, fmt_f64, score_csv};
pub use coverage::{
    Coverage, MIN_COVERAGE_PERCENT, MIN_COVERAGE_SUBJECTS, coverage, coverage_applies,
    withhold_conclusions, withhold_unit_conclusions,
};
pub use error::{ProcessingError, RowError, ScoringError};
pub use generate::{RESPONDENTS_PER_KINDERGARTEN, SplitMix64, generate_answers};
pub use report::{
    DROP_PP, Delta, Dynamics, ITEM_LOW_SHARE_AT_LEAST, ITEM_MEAN_BELOW, ItemResult, ItemStats,
    KindergartenTotal, LevelCount, NetworkNode, NodeStats, Report, aggregate, aggregate_table,
    check_comparable, dynamics, item_result, low_options, report_dynamics,
};
pub use scope::{
    AreaCell, ComparedSubjects, LevelRef, ReportRow, ReportScope, ScopeReport, SubjectRow, UnitRow,
    compare, level_counts, rerank, scope_report,
};
pub use score::{is_lowest_option, item_score, score_submission};
pub use submission::{NodeKind, NodeScore, ScoredSubmission, SubmissionScore};
pub use table::{Key, NodeCell, ScoreTable};
