//! What the engineer who runs vsoko relies on, tested on the `vsoko` binary from outside:
//! shutting down without losing an acknowledged write, the answer while the database is away,
//! metrics and logs, backup and restore, moving the data to another database.

mod support;

// SIGTERM during submissions.
mod drain;
// The database away and back.
mod outage;
// Metrics and JSON logs.
mod observability;
// Backup and restore, SQLite and PostgreSQL.
mod backup;
// SQLite to PostgreSQL and back.
mod migrate_data;
