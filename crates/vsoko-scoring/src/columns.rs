//! Column names of the polars plans, in one place.

// Input CSV columns (the batch file header).
pub const SUBMISSION: &str = "submission_id";
pub const KINDERGARTEN: &str = "kindergarten";
pub const RESPONDENT: &str = "respondent";
pub const PERIOD: &str = "period";
pub const INSTRUMENT: &str = "instrument";
pub const ITEM: &str = "item";
pub const VALUE: &str = "value";
/// Optional input column: revision number of the submission.
pub const REVISION: &str = "revision";
/// Optional input column: what the submission assesses (a teacher, a group); without it, the
/// respondent (a teacher's survey about herself).
pub const SUBJECT: &str = "subject";

// Row columns (one row per answer line).
pub const ROW: &str = "__row";
/// The answer as a number; null for N/A and for text that is not a number.
pub const NUM: &str = "__num";
/// The value field is empty: «не применимо».
pub const IS_NA: &str = "__is_na";
/// The item field is empty.
pub const ITEM_MISSING: &str = "__item_missing";
pub const REV: &str = "__rev";
/// The revision field holds something that is not an integer.
pub const REV_BAD: &str = "__rev_bad";
pub const ERROR: &str = "__error";
pub const ITEM_IDX: &str = "__item";
pub const SCALE: &str = "__scale";

// Submission columns (one row per submission).
/// The largest period of the submissions (the smallest is `PERIOD`).
pub const PERIOD_MAX: &str = "__period_max";
/// First line of the submission in the file: a fixed order for the aggregates.
pub const ROW_MIN: &str = "__row_min";
/// Number of valid answer rows of the submission.
pub const VALID_ROWS: &str = "__valid_rows";
/// Number of its rows with an error.
pub const INVALID_ROWS: &str = "__invalid_rows";
/// Number of items with at least one valid answer row.
pub const ITEMS_SEEN: &str = "__items_seen";

// Check columns.
pub const REPEATED: &str = "__repeated";

// Long output columns (per-submission nodes).
pub const ANSWERED: &str = "n_answered";
pub const N_ITEMS: &str = "n_items";
pub const COVERAGE: &str = "coverage";
pub const PERCENT: &str = "percent";
pub const CRITICAL: &str = "critical";
pub const DEFICIT: &str = "deficit";
pub const LEVEL_NAME: &str = "level";
pub const KIND_NAME: &str = "kind";
pub const CODE: &str = "code";

/// The wide per-submission columns: `name(i)` for item or node `i`.
pub mod wide {
    /// Item value: the largest of its valid answer rows (one in a well-formed file); −∞ for N/A,
    /// null when the item has no valid row.
    pub fn value(i: usize) -> String {
        format!("__v{i}")
    }
    /// Item score in `[0, 1]`; null unless answered with a value.
    pub fn score(i: usize) -> String {
        format!("__s{i}")
    }
    /// Answered with an option of the lower part of its scale (`report::low_options`).
    pub fn low(i: usize) -> String {
        format!("__low{i}")
    }
    /// A critical item answered with its lowest option.
    pub fn hit(i: usize) -> String {
        format!("__hit{i}")
    }
    /// Node percent; null when the node is not valid.
    pub fn percent(n: usize) -> String {
        format!("__p{n}")
    }
    /// Node level index (critical cap applied); null when not valid.
    pub fn level(n: usize) -> String {
        format!("__l{n}")
    }
    pub fn deficit(n: usize) -> String {
        format!("__d{n}")
    }
    pub fn critical(n: usize) -> String {
        format!("__c{n}")
    }
    pub fn answered(n: usize) -> String {
        format!("__a{n}")
    }
    pub fn coverage(n: usize) -> String {
        format!("__cov{n}")
    }
    /// Σ w·s of the node's answered (or valid) children.
    pub fn weighted(n: usize) -> String {
        format!("__ws{n}")
    }
    /// Σ w of the node's answered (or valid) children.
    pub fn weights(n: usize) -> String {
        format!("__sw{n}")
    }

    // Aggregates of a node or item over a population (a kindergarten or the network).
    pub fn mean(n: usize) -> String {
        format!("__mean{n}")
    }
    pub fn count(n: usize) -> String {
        format!("__n{n}")
    }
    pub fn std(n: usize) -> String {
        format!("__std{n}")
    }
    pub fn median(n: usize) -> String {
        format!("__median{n}")
    }
    pub fn deficits(n: usize) -> String {
        format!("__deficits{n}")
    }
    pub fn mean_of_kindergartens(n: usize) -> String {
        format!("__mok{n}")
    }
    pub fn kindergartens(n: usize) -> String {
        format!("__nkg{n}")
    }
    pub fn level_count(k: usize) -> String {
        format!("__L{k}")
    }
    pub fn item_mean(i: usize) -> String {
        format!("__im{i}")
    }
    pub fn item_count(i: usize) -> String {
        format!("__in{i}")
    }
    pub fn item_low(i: usize) -> String {
        format!("__il{i}")
    }
}
