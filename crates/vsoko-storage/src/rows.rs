//! Multi-row `INSERT`s built straight from row values.
//!
//! A survey writes ~60 rows (its revision, answers, node scores, audit entry), a group-commit batch
//! thousands. Through sea-orm's `insert_many` every row becomes an `ActiveModel`, then the
//! expressions of a query tree, and only then SQL text and bind values; that building was a
//! quarter of the HTTP workers' time under submission load. Here a row is its plain values in
//! column order, and a table's rows go out in as few statements as the bind-parameter limit
//! allows. (Statements of a few fixed sizes, which the statement cache would keep compiled, were
//! tried and were slower: every extra statement is a round trip to the connection's thread, which
//! costs more than compiling one statement.)
//!
//! Each table's column list sits next to the function that builds its rows
//! (`crate::submissions`, `crate::audit`); a test checks every list against its sea-orm entity.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};

/// Bind parameters per statement at most: under SQLite's limit (32,766) and PostgreSQL's (65,535).
pub(crate) const MAX_PARAMETERS: usize = 30_000;

/// Rows of one table, `N` values each in the order of [`Rows::columns`], to insert together.
pub(crate) struct Rows<const N: usize> {
    table: &'static str,
    columns: [&'static str; N],
    values: Vec<Value>,
}

impl<const N: usize> Rows<N> {
    pub(crate) fn with_capacity(
        table: &'static str,
        columns: [&'static str; N],
        rows: usize,
    ) -> Self {
        Rows {
            table,
            columns,
            values: Vec::with_capacity(rows * N),
        }
    }

    pub(crate) fn push(&mut self, row: [Value; N]) {
        self.values.extend(row);
    }

    #[cfg(test)]
    pub(crate) fn table(&self) -> &'static str {
        self.table
    }

    #[cfg(test)]
    pub(crate) fn columns(&self) -> &[&'static str; N] {
        &self.columns
    }

    /// Inserts every row. The error is sea-orm's, so that a caller can tell a unique violation.
    pub(crate) async fn insert(self, conn: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.run(conn, None).await.map(drop)
    }

    /// Inserts every row and returns the `returning` columns of each (`"id"`, say), in an
    /// unspecified order: the caller matches them to its rows by a unique key.
    pub(crate) async fn insert_returning(
        self,
        conn: &impl ConnectionTrait,
        returning: &str,
    ) -> Result<Vec<QueryResult>, DbErr> {
        self.run(conn, Some(returning)).await
    }

    async fn run(
        self,
        conn: &impl ConnectionTrait,
        returning: Option<&str>,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let backend = conn.get_database_backend();
        let mut returned = Vec::new();
        let mut values = self.values.into_iter();
        let mut left = values.len() / N;
        while left > 0 {
            let rows = chunk_rows(left, N);
            let chunk: Vec<Value> = values.by_ref().take(rows * N).collect();
            let sql = insert_sql(backend, self.table, &self.columns, rows, returning);
            let statement = Statement::from_sql_and_values(backend, sql, chunk);
            match returning {
                Some(_) => returned.extend(conn.query_all_raw(statement).await?),
                None => {
                    conn.execute_raw(statement).await?;
                }
            }
            left -= rows;
        }
        Ok(returned)
    }
}

/// The rows of the next statement when `left` rows of `columns` values each are still to go.
fn chunk_rows(left: usize, columns: usize) -> usize {
    left.min((MAX_PARAMETERS / columns).max(1))
}

/// `INSERT INTO "table" ("a", "b") VALUES (?, ?), (?, ?) [RETURNING …]` for `rows` rows.
fn insert_sql(
    backend: DbBackend,
    table: &str,
    columns: &[&str],
    rows: usize,
    returning: Option<&str>,
) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(64 + rows * columns.len() * 6);
    let _ = write!(sql, "INSERT INTO \"{table}\" (");
    for (index, column) in columns.iter().enumerate() {
        if index > 0 {
            sql.push_str(", ");
        }
        let _ = write!(sql, "\"{column}\"");
    }
    sql.push_str(") VALUES ");
    let mut parameter = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            if column > 0 {
                sql.push_str(", ");
            }
            parameter += 1;
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${parameter}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    if let Some(returning) = returning {
        let _ = write!(sql, " RETURNING {returning}");
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_stay_under_the_parameter_limit() {
        assert_eq!(chunk_rows(34, 5), 34);
        assert_eq!(chunk_rows(10_000, 5), 6_000);
        assert_eq!(chunk_rows(10_000, 11), 2_727);
        // A row wider than the limit still goes out, one at a time.
        assert_eq!(chunk_rows(3, 40_000), 1);
    }

    #[test]
    fn statements_bind_each_value_once_in_row_order() {
        let sqlite = insert_sql(DbBackend::Sqlite, "t", &["a", "b"], 2, None);
        assert_eq!(
            sqlite,
            r#"INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)"#
        );
        let postgres = insert_sql(DbBackend::Postgres, "t", &["a", "b"], 2, Some("\"id\""));
        assert_eq!(
            postgres,
            r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4) RETURNING "id""#
        );
    }
}
