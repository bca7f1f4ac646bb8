//! The persistent store of vsoko: SQLite (the default, `sqlite://vsoko.db?mode=rwc`) or PostgreSQL,
//! chosen by URL, through sea-orm.
//!
//! [`Store`] is the only entry point. Its methods take and return the plain domain types of
//! [`model`] (and the checklist and scoring crates' types); sea-orm entities stay private, so API
//! handlers never see a database type. Errors are one enum, [`StorageError`], whose variants map to
//! HTTP answers.
//!
//! What lives where:
//! * `store` — connecting (SQLite pragmas: WAL, foreign keys, busy timeout, `synchronous = NORMAL`),
//!   migrations (the `vsoko-migrations` crate), write transactions (`BEGIN IMMEDIATE` on SQLite);
//! * `org`, `users`, `periods`, `instruments` — networks, kindergartens, groups, people, accounts and
//!   tokens, assessment periods, registered instrument versions (immutable: a changed definition
//!   under an existing version is refused);
//! * `submissions` — submit and correct (one transaction each: revision, answers, packed scores,
//!   audit entry; idempotency key per author; one counted answer per counting key; closed periods
//!   refuse), imports in one transaction, reads and listings, and the repair of rows written
//!   before the counting rule;
//! * `reports` — the report read (a bounded number of queries) and the recomputation of the
//!   cached scores;
//! * `audit` — the append-only audit log;
//! * `group` — group commit of submissions on SQLite, draining the writer queue of `queue`;
//!   `rows` — multi-row inserts built from plain values;
//! * `links` — links to anonymous questionnaires (tokens stored as hashes);
//! * `drafts` — half-filled forms of their authors (never read by reports);
//! * `staging` — files of the import wizard between its steps, and saved mapping profiles;
//! * `throttle` — counters and blocks of failed logins and of answers through links.
//!
//! The store keeps no in-process cache: several servers may share one PostgreSQL.

mod audit;
mod drafts;
mod entities;
mod error;
mod group;
mod instruments;
mod links;
mod lists;
mod mentoring;
pub mod model;
mod org;
mod packed;
mod periods;
mod plans;
mod queue;
mod recommendations;
mod reports;
mod routes;
mod rows;
mod spravki;
mod staging;
mod store;
mod submissions;
mod throttle;
mod training;
mod transfer;
mod users;

pub use error::{Record, Result, StorageError};
pub use links::LinkFilter;
pub use lists::{NewListMark, StaffAnswers, StoredListMark};
pub use mentoring::{NewPair, PairSide, StoredPair};
pub use model::*;
pub use plans::{PlanWrite, StoredPlan, StoredPlanAgreement, StoredPlanRevision};
pub use recommendations::{NewDecision, NewRecommendation, StoredDecision, StoredRecommendation};
pub use routes::{RouteChange, StoredRoute};
pub use spravki::{NewSpravka, StoredSpravka};
pub use store::{
    DEFAULT_ACQUIRE_TIMEOUT, ExecutedStatement, PoolStatus, SqliteDurability, Store, StoreObserver,
    StoreOptions,
};
pub use submissions::BatchWrite;
pub use throttle::{ThrottleRule, hashed};
pub use training::{NewTrainingRecord, StoredTrainingRecord};
pub use transfer::TableRows;
