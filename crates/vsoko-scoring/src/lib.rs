//! Scoring for vsoko: validated answers → per-submission scores → kindergarten, network and dynamics
//! aggregates.
//!
//! (Work in progress for issue 3: the public per-submission result types below are the contract the
//! storage and API crates build on; the scoring itself lands with issue 3.)
//!
//! This crate knows nothing of HTTP or databases: plain domain types and polars frames in, plain
//! result types out.

mod submission;

pub use submission::{NodeKind, NodeScore, ScoredSubmission, SubmissionScore};
