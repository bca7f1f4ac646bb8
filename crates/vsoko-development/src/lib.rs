//! The rules of vsoko's professional-development loop, as pure functions over plain data: no I/O,
//! no database, no async. People and kindergartens are any keys (`P`, `G`: `Ord + Clone`).
//!
//! # What is here
//! - [`TrainingRecord`] — one document of ДПО (удостоверение о ПК, диплом о ПП) or one training
//!   without one; [`validate_record`] lists its problems, each an error or a warning with the field
//!   and a Russian message (module `validation`).
//! - The three-year rule ([`within_36_months`], [`leaves_window_on`]) and the school year
//!   ([`SchoolYear`]) (module `calendar`).
//! - [`coverage`] — per kindergarten and for the network: active teachers and management,
//!   covered within 36 months, trained in a window (by form, ДОТ, provider, register, hours),
//!   адресность of deficits (module `coverage`).
//! - [`forecast`] — who needs КПК in the next school year, and why (module `forecast`).
//! - [`Share`], [`split_percents`] — shares as whole percents, one decimal only where a whole
//!   would hide someone, splits that add up to 100 (module `share`).
//! - [`department_sentence`] — «Курсы повышения квалификации прошли 411 педагогических
//!   работников; из них 59 % очно и 41 % с применением дистанционных технологий» (module
//!   `sentence`).
//! - [`TargetSet`] — a network's targets from a validated TOML file ([`parse_targets`],
//!   [`default_targets`], [`targets_json_schema`]), and [`attainment`] of a target by a figure.
//! - A teacher's individual educational route (ИОМ): its statuses and who may move it
//!   ([`transition`], [`route_actions`]), its plan prefilled from deficits and trainings
//!   ([`propose_rows`]), the [`effect`] of a row and the route's completion (module `route`).
//! - The four lists of people (motivated, tutors, needs training, consultation): who each
//!   proposes, the decisions people make on them and the agreement of a kindergarten's list
//!   (module `lists`).
//! - The strengths matrix of a network (kindergartens × areas: strength, norm, deficit) and the
//!   mentoring pairs it proposes ([`classify_area`], [`propose_pairs`], module `matrix`).
//! - The network's calendar plan of professional development: the plan proposed from the
//!   deficits and lists ([`propose_plan`]), an event's checks, the heads' agreements, the training
//!   record an attendance writes (module `plan`).
//!
//! - The management cycle: where an addressed recommendation stands, its prefilled text, and
//!   the effect of training on the teachers of an area, trained against untrained (module
//!   `cycle`).
//!
//! Each module's documentation is the specification of its rules; the tests compute their cases
//! by hand.

mod attainment;
mod calendar;
mod coverage;
mod cycle;
mod forecast;
mod lists;
mod matrix;
mod plan;
mod record;
mod route;
mod sentence;
mod share;
mod snils;
mod targets;
mod validation;

#[cfg(test)]
mod fixtures;

pub use attainment::{
    Assessed, Attainment, Figure, Insufficient, Observed, Outcome, attainment, coverage_figure,
    difference_text, item_value_figure, level_share_figure, observe_coverage, value_text,
    whole_points_text,
};
pub use calendar::{
    COVERAGE_MONTHS, DateRange, SchoolYear, leaves_window_on, window_bound, within_36_months,
};
pub use coverage::{
    AreaAddressing, CategoryCoverage, CoverageInput, CoverageReport, Delivery,
    KindergartenCoverage, ScopeCoverage, Tally, WindowTraining, coverage,
};
pub use cycle::{
    GroupEffect, MIN_GROUP, RecommendationState, TeacherChange, TrainingEffect,
    recommendation_state, recommendation_text, trained_between, training_effect,
};
pub use forecast::{Forecast, ForecastEntry, KindergartenForecast, Need, forecast, forecast_need};
pub use lists::{
    AgreementState, EntryState, ListActor, ListMark, RoleAnswer, StaffList, TrainingNeed,
    agreement_state, entry_state, list_marks, proposes, training_need,
};
pub use matrix::{
    Cell, CellClass, CellInput, MatrixRules, PairProposal, PairRules, PersonInArea,
    TeacherPairProposal, TeacherPairing, classify_area, propose_pairs,
};
pub use plan::{
    AreaDemand, AttendanceError, Attended, COURSE_HOURS, COURSE_MODULES, COURSE_TITLE,
    DEPARTMENT_LEAD, EventFormat, EventProblem, Held, MAX_EVENT_HOURS, MODULE_HOURS, PlanAgreement,
    PlanEvent, PlanInput, Proposal, Seats, TUTOR_HOURS, TUTOR_TITLE, attendance_record,
    change_needs_reason, check_event, credited_hours, held_day_valid, month_of, plan_agreement,
    propose_plan,
};
pub use record::{
    ProviderType, StaffCategory, StaffMember, StudyForm, TrainingKind, TrainingRecord,
};
pub use route::{
    DeficitNode, EFFECT_PP, Effect, PlanRow, ROUTE_DONE_PERCENT, RouteAction, RouteActor,
    RouteForm, RouteStatus, TransitionError, effect, link_trainings, may_edit_rows, propose_rows,
    route_actions, route_completion, route_mostly_done, transition,
};
pub use sentence::{department_sentence, plural, staff_count};
pub use share::{RoundedPercent, Share, split_percents};
pub use snils::parse_snils;
pub use targets::{
    Comparison, CoverageFigure, DEFAULT_TARGETS_TOML, Diagnostic, Source, TARGETS_FILE_NAME,
    Target, TargetPeriod, TargetSet, TargetsError, Unit, default_targets, load_targets,
    parse_targets, targets_json_schema,
};
pub use validation::{
    MIN_QUALIFICATION_HOURS, MIN_RETRAINING_HOURS, Problem, RecordContext, RecordField, Severity,
    public_providers_from, validate_record,
};
