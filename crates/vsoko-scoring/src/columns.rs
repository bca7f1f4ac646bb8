//! Column names of the polars pipelines, in one place.

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

// Derived row columns.
pub const ROW: &str = "__row";
pub const NUM: &str = "__num";
pub const REV: &str = "__rev";
pub const SUBNO: &str = "__subno";
pub const ERROR: &str = "__error";
pub const ITEM_IDX: &str = "__item";
pub const IND: &str = "__ind";
pub const AREA: &str = "__area";
pub const WEIGHT: &str = "__w";
pub const SCALE: &str = "__scale";
pub const CRITICAL_ITEM: &str = "__critical_item";
pub const SCORE: &str = "__score";
pub const CRIT_HIT: &str = "__crit_hit";
pub const LOW2: &str = "__low2";

// Node sums and scores.
pub const SWS: &str = "__sws";
pub const SW: &str = "__sw";
pub const ANSWERED: &str = "n_answered";
pub const N_ITEMS: &str = "n_items";
pub const NODE_WEIGHT: &str = "__node_w";
pub const COVERAGE: &str = "coverage";
pub const VALID: &str = "valid";
pub const PERCENT: &str = "percent";
pub const CRITICAL: &str = "critical";
pub const LEVEL: &str = "__level";
pub const DEFICIT: &str = "deficit";
pub const KIND: &str = "__kind";
pub const NODE: &str = "__node";
/// Node index over the whole instrument: 0 = total, then areas, then indicators.
pub const NI: &str = "__ni";
/// Kindergarten number (dense, per plan): aggregates group on it, names are attached at the end.
pub const KGNO: &str = "__kgno";
/// A combined integer group key.
pub const KEY: &str = "__key";

// Aggregates.
pub const MEAN: &str = "mean";
pub const N: &str = "n";
pub const STD: &str = "std";
pub const MEDIAN: &str = "median";
pub const DEFICIT_SHARE: &str = "deficit_share";
pub const POOLED: &str = "pooled_mean";
pub const MEAN_OF_KG: &str = "mean_of_kindergartens";
pub const N_KG: &str = "n_kindergartens";
pub const LOW_SHARE: &str = "low_share";
