//! Storage behaviour, on SQLite always and on PostgreSQL when `VSOKO_TEST_POSTGRES_URL` is set;
//! one module per part of the store.

#[path = "../support/mod.rs"]
mod support;

// Drafts, passwords, a person with an account.
mod drafts;
// Group commit of submissions on SQLite.
mod group_commit;
// Organisation records, accounts, instruments, connections.
mod org;
// Report reads and recompute.
mod reports;
// Submit, correct, read, list; imports; who counts.
mod submissions;
