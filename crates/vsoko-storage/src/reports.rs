//! Reads for reports (every latest score of a period and instrument, in a bounded number of
//! queries) and the recomputation of cached scores from raw answers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use vsoko_checklist::{AnswerSheet, Instrument, RawAnswer};
use vsoko_scoring::{ScoreTable, ScoredSubmission, SubmissionScore};

use crate::entities::{answer, instrument, kindergarten, period, submission};
use crate::error::{Record, Result, StorageError};
use crate::instruments::{instrument_id, rebuild};
use crate::model::{Id, ItemAnswers, RecomputeReport, Scope, ScoreQuery, SubjectRef};
use crate::model::{KindergartenId, NetworkId};
use crate::store::{Store, Unique};
use crate::submissions::{packed_scores, stored_answer};

/// Rewrites the packed copy of one revision's scores (`recompute` only; the other columns of a
/// submission never change except `is_latest`).
async fn set_packed(conn: &impl ConnectionTrait, id: Id, packed: Vec<u8>) -> Result<()> {
    submission::Entity::update_many()
        .col_expr(submission::Column::PackedScores, Expr::value(packed))
        .filter(submission::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The rows a report reads: its instrument version and the select of the latest revisions of its
/// period in scope.
struct ReportTarget {
    instrument: instrument::Model,
    latest: sea_orm::Select<submission::Entity>,
}

fn corrupt_packed(id: impl Display, error: &crate::packed::PackError) -> StorageError {
    StorageError::Corrupt(format!("packed scores of {id}: {}", error.0))
}

/// A row's packed scores; every row has them once `recompute` has run after an upgrade
/// ([`Store::needs_recompute`]).
fn packed_of(id: Id, packed: Option<Vec<u8>>) -> Result<Vec<u8>> {
    packed.ok_or_else(|| {
        StorageError::Corrupt(format!(
            "submission {id} has no packed scores; run `vsoko recompute`"
        ))
    })
}

/// Submissions fetched per batch by [`Store::recompute`].
const RECOMPUTE_BATCH: u64 = 500;

impl Store {
    /// Every latest revision of the period's submissions for one instrument version inside a scope
    /// (and of one subject, when the query names one), with their scores, ordered by kindergarten
    /// and submission id.
    ///
    /// One row per submission: its ids and packed scores (`crate::packed`), so three queries
    /// whatever the number of submissions (the period's code, the instrument, the submissions),
    /// each served by an index.
    pub async fn load_scores(
        &self,
        query: &ScoreQuery,
        instrument_code: &str,
        instrument_version: u32,
    ) -> Result<Vec<ScoredSubmission<Id>>> {
        let target = self
            .report_target(query, instrument_code, instrument_version)
            .await?;
        let instrument_key = instrument_id(&target.instrument)?;
        use submission::Column as S;
        type Row = (Id, Id, Id, Id, Option<Vec<u8>>);
        let rows: Vec<Row> = target
            .latest
            .clone()
            .select_only()
            .columns([
                S::Id,
                S::KindergartenId,
                S::AuthorUserId,
                S::SubjectId,
                S::PackedScores,
            ])
            .order_by_asc(S::KindergartenId)
            .order_by_asc(S::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let period_code = period::Entity::find_by_id(query.period)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Period, query.period))?
            .code;
        rows.into_iter()
            .map(
                |(id, kindergarten_id, author_user_id, subject_id, packed)| {
                    let (nodes, critical_items) = crate::packed::unpack(&packed_of(id, packed)?)
                        .map_err(|error| corrupt_packed(format!("submission {id}"), &error))?;
                    Ok(ScoredSubmission {
                        submission: id,
                        kindergarten: kindergarten_id,
                        respondent: author_user_id,
                        subject: subject_id,
                        period: period_code.clone(),
                        score: SubmissionScore {
                            instrument: instrument_key.clone(),
                            nodes,
                            critical_items,
                        },
                    })
                },
            )
            .collect()
    }

    /// What [`Store::load_scores`] reads, as one [`ScoreTable`] for `instrument`: the input of every
    /// report, read without a string per node, in the same order as `load_scores` (kindergarten,
    /// then submission id).
    ///
    /// One row per kindergarten: its submissions' packed scores and subject ids concatenated by the
    /// database (`group_concat` on SQLite, `string_agg` on PostgreSQL), because a driver round trip
    /// per row cost more than reading the scores (10,000 rows: ~14 ms of ~25 on SQLite).
    pub async fn load_score_table(
        &self,
        query: &ScoreQuery,
        instrument: &Instrument,
    ) -> Result<ScoreTable<Id>> {
        let id = instrument.id();
        let target = self
            .report_target(query, id.code.as_str(), id.version)
            .await?;
        let mut table = ScoreTable::new(instrument);
        let layout = crate::packed::layout_hash(table.submission_layout());
        use submission::Column as S;
        let (packed, subjects) = if self.is_postgres() {
            (
                "string_agg(packed_scores, ''::bytea ORDER BY id)",
                "string_agg(CAST(subject_id AS TEXT), ',' ORDER BY id)",
            )
        } else {
            (
                "CAST(group_concat(packed_scores, '' ORDER BY id) AS BLOB)",
                "group_concat(subject_id, ',' ORDER BY id)",
            )
        };
        type Group = (Id, i64, i64, Option<Vec<u8>>, Option<String>);
        let groups: Vec<Group> = target
            .latest
            .clone()
            .select_only()
            .column(S::KindergartenId)
            .expr(Func::count(Expr::col(S::Id)))
            .expr(Func::count(Expr::col(S::PackedScores)))
            .expr(Expr::cust(packed))
            .expr(Expr::cust(subjects))
            .group_by(S::KindergartenId)
            .order_by_asc(S::KindergartenId)
            .into_tuple()
            .all(&self.db)
            .await?;
        if let Some((kindergarten_id, ..)) =
            groups.iter().find(|(_, all, packed, ..)| all != packed)
        {
            return Err(StorageError::Corrupt(format!(
                "a submission of kindergarten {kindergarten_id} has no packed scores; run `vsoko recompute`"
            )));
        }
        // Decoding is CPU work (~1 µs a submission): off the caller's async thread, so two reads
        // (a report with dynamics) decode in parallel and other requests keep running.
        let decode = move || {
            table.reserve(groups.iter().map(|g| g.1 as usize).sum());
            for (kindergarten_id, count, _, bytes, subjects) in groups {
                let subjects = subjects
                    .unwrap_or_default()
                    .split(',')
                    .map(|id| id.trim().parse::<Id>())
                    .collect::<std::result::Result<Vec<Id>, _>>()
                    .map_err(|error| {
                        StorageError::Corrupt(format!(
                            "subjects of kindergarten {kindergarten_id}: {error}"
                        ))
                    })?;
                if subjects.len() != usize::try_from(count).unwrap_or(0) {
                    return Err(StorageError::Corrupt(format!(
                        "kindergarten {kindergarten_id}: {} subjects for {count} submissions",
                        subjects.len()
                    )));
                }
                crate::packed::push_rows(
                    &mut table,
                    layout,
                    KindergartenId::new(kindergarten_id),
                    &subjects,
                    bytes.as_deref().unwrap_or_default(),
                )
                .map_err(|error| {
                    corrupt_packed(format!("kindergarten {kindergarten_id}"), &error)
                })?;
            }
            Ok(table)
        };
        tokio::task::spawn_blocking(decode).await.map_err(|error| {
            StorageError::Database(format!("decoding the report's scores failed: {error}").into())
        })?
    }

    /// The select of the latest revisions of a report's period in its scope (and of its subject),
    /// of every instrument: no query of its own.
    fn latest_in_scope(query: &ScoreQuery) -> sea_orm::Select<submission::Entity> {
        let mut latest = submission::Entity::find()
            .filter(submission::Column::PeriodId.eq(query.period.get()))
            .filter(submission::Column::IsLatest.eq(true));
        latest = match query.scope {
            Scope::Network(id) => latest.filter(submission::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => {
                latest.filter(submission::Column::KindergartenId.eq(id.get()))
            }
        };
        if let Some(subject) = query.subject {
            latest = latest
                .filter(submission::Column::SubjectKind.eq(subject.kind()))
                .filter(submission::Column::SubjectId.eq(subject.raw_id()));
        }
        latest
    }

    /// The query of every subject's latest scores of the period with `code` in `scope`: the one
    /// lookup of the period (and, for a kindergarten, of its network) a report's reads need.
    pub async fn score_query(&self, scope: Scope, code: &str) -> Result<ScoreQuery> {
        let network_id = match scope {
            Scope::Network(id) => id,
            Scope::Kindergarten(id) => NetworkId::new(
                kindergarten::Entity::find_by_id(id)
                    .unique(&self.db)
                    .await?
                    .ok_or_else(|| StorageError::not_found(Record::Kindergarten, id))?
                    .network_id,
            ),
        };
        let period = self.period_by_code(network_id, code).await?;
        Ok(ScoreQuery::of(scope, period.id))
    }

    /// The instrument row of a report and the select of its latest revisions (one query).
    async fn report_target(
        &self,
        query: &ScoreQuery,
        instrument_code: &str,
        instrument_version: u32,
    ) -> Result<ReportTarget> {
        let latest = Self::latest_in_scope(query);
        let instrument = instrument::Entity::find()
            .filter(instrument::Column::Code.eq(instrument_code))
            .filter(
                instrument::Column::Version
                    .eq(i32::try_from(instrument_version).unwrap_or(i32::MAX)),
            )
            .unique(&self.db)
            .await?
            .ok_or_else(|| {
                StorageError::not_found(
                    Record::Instrument,
                    format!("{instrument_code}@{instrument_version}"),
                )
            })?;
        let latest = latest.filter(submission::Column::InstrumentId.eq(instrument.id));
        Ok(ReportTarget { instrument, latest })
    }

    /// Per item, how the latest submissions of a report (one instrument version, period and scope)
    /// answered it: how many with each value, how many N/A (items nobody answered are absent).
    /// One query.
    pub async fn item_answers(
        &self,
        query: &ScoreQuery,
        instrument_code: &str,
        instrument_version: u32,
    ) -> Result<Vec<ItemAnswers>> {
        let target = self
            .report_target(query, instrument_code, instrument_version)
            .await?;
        let latest = target
            .latest
            .select_only()
            .column(submission::Column::Id)
            .into_query();
        let rows: Vec<(String, Option<f64>, bool, i64)> = answer::Entity::find()
            .select_only()
            .column(answer::Column::ItemCode)
            .column(answer::Column::Value)
            .column(answer::Column::NotApplicable)
            .expr(Func::count(Expr::col(answer::Column::ItemCode)))
            .filter(answer::Column::SubmissionId.in_subquery(latest))
            .group_by(answer::Column::ItemCode)
            .group_by(answer::Column::Value)
            .group_by(answer::Column::NotApplicable)
            .order_by_asc(answer::Column::ItemCode)
            .order_by_asc(answer::Column::Value)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut items: Vec<ItemAnswers> = Vec::new();
        for (item, value, not_applicable, count) in rows {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            if items.last().is_none_or(|last| last.item != item) {
                items.push(ItemAnswers {
                    item,
                    answered: 0,
                    not_applicable: 0,
                    values: Vec::new(),
                });
            }
            let Some(entry) = items.last_mut() else {
                continue;
            };
            match (not_applicable, value) {
                (false, Some(value)) => {
                    entry.answered += count;
                    entry.values.push((value, count));
                }
                _ => entry.not_applicable += count,
            }
        }
        Ok(items)
    }

    /// The versions of an instrument that counted submissions of a period inside a scope were made
    /// with, lowest first (what a report compared with that period is compared against).
    pub async fn versions_in_period(
        &self,
        query: &ScoreQuery,
        instrument_code: &str,
    ) -> Result<Vec<u32>> {
        let versions: Vec<(Id, i32)> = instrument::Entity::find()
            .select_only()
            .columns([instrument::Column::Id, instrument::Column::Version])
            .filter(instrument::Column::Code.eq(instrument_code))
            .into_tuple()
            .all(&self.db)
            .await?;
        let latest = Self::latest_in_scope(query);
        let used: Vec<Id> = latest
            .filter(submission::Column::InstrumentId.is_in(versions.iter().map(|(id, _)| *id)))
            .select_only()
            .column(submission::Column::InstrumentId)
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut found: Vec<u32> = versions
            .into_iter()
            .filter(|(id, _)| used.contains(id))
            .filter_map(|(_, version)| u32::try_from(version).ok())
            .collect();
        found.sort_unstable();
        Ok(found)
    }

    /// The periods (ids) in which counted submissions of an instrument (any version) exist inside
    /// a scope, optionally about one subject: what a dashboard offers to read and compare.
    pub async fn periods_with_submissions(
        &self,
        scope: Scope,
        subject: Option<SubjectRef>,
        instrument_code: &str,
    ) -> Result<Vec<Id>> {
        let versions = instrument::Entity::find()
            .select_only()
            .column(instrument::Column::Id)
            .filter(instrument::Column::Code.eq(instrument_code))
            .into_query();
        let mut select = submission::Entity::find()
            .select_only()
            .column(submission::Column::PeriodId)
            .distinct()
            .filter(submission::Column::IsLatest.eq(true))
            .filter(submission::Column::InstrumentId.in_subquery(versions));
        select = match scope {
            Scope::Network(id) => select.filter(submission::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => {
                select.filter(submission::Column::KindergartenId.eq(id.get()))
            }
        };
        if let Some(subject) = subject {
            select = select
                .filter(submission::Column::SubjectKind.eq(subject.kind()))
                .filter(submission::Column::SubjectId.eq(subject.raw_id()));
        }
        Ok(select.into_tuple().all(&self.db).await?)
    }

    /// Whether some revision lacks its packed scores (written before migration 6): the report
    /// read refuses such rows, so an upgrade runs [`Store::recompute`] once before serving.
    pub async fn needs_recompute(&self) -> Result<bool> {
        let missing = submission::Entity::find()
            .select_only()
            .column(submission::Column::Id)
            .filter(submission::Column::PackedScores.is_null())
            .limit(1)
            .into_tuple::<Id>()
            .all(&self.db)
            .await?;
        Ok(!missing.is_empty())
    }

    /// Recomputes the cached scores of every stored revision from its raw answers with `score`
    /// (normally `vsoko_scoring::score_submission`), and rewrites those that changed (or were
    /// missing). Answers are re-checked against their instrument version first. Works in batches;
    /// each batch's rewrites are one transaction, with an audit entry naming the submissions
    /// whose scores changed.
    pub async fn recompute<F, E>(&self, mut score: F) -> Result<RecomputeReport>
    where
        F: FnMut(&Instrument, &AnswerSheet) -> Result<SubmissionScore, E>,
        E: Display,
    {
        let mut instruments: HashMap<Id, Instrument> = HashMap::new();
        for model in instrument::Entity::find().all(&self.db).await? {
            instruments.insert(model.id, rebuild(&model)?);
        }
        let mut report = RecomputeReport::default();
        let mut after: Id = 0;
        loop {
            type Row = (Id, Id, Option<Vec<u8>>);
            let batch: Vec<Row> = submission::Entity::find()
                .select_only()
                .columns([
                    submission::Column::Id,
                    submission::Column::InstrumentId,
                    submission::Column::PackedScores,
                ])
                .filter(submission::Column::Id.gt(after))
                .order_by_asc(submission::Column::Id)
                .limit(RECOMPUTE_BATCH)
                .into_tuple()
                .all(&self.db)
                .await?;
            let Some(&(last, ..)) = batch.last() else {
                break;
            };
            let first = batch[0].0;
            after = last;
            let mut answers: BTreeMap<Id, Vec<RawAnswer>> = BTreeMap::new();
            for row in answer::Entity::find()
                .filter(answer::Column::SubmissionId.between(first, last))
                .all(&self.db)
                .await?
            {
                let id = row.submission_id;
                let stored = stored_answer(row);
                answers.entry(id).or_default().push(RawAnswer {
                    item: stored.item,
                    value: stored.value,
                    comment: stored.comment,
                });
            }
            let mut changed = Vec::new();
            let mut missing = Vec::new();
            for (id, instrument_id, packed) in batch {
                report.scanned += 1;
                let instrument = instruments
                    .get(&instrument_id)
                    .ok_or_else(|| StorageError::not_found(Record::Instrument, instrument_id))?;
                let sheet = instrument
                    .validate_answers(answers.remove(&id).unwrap_or_default())
                    .map_err(|error| {
                        StorageError::Corrupt(format!("stored answers of submission {id}: {error}"))
                    })?;
                let fresh = score(instrument, &sheet).map_err(|error| {
                    StorageError::Invalid(format!("scoring submission {id}: {error}"))
                })?;
                let repacked = packed_scores(&fresh)?;
                match packed {
                    // Rows from before `packed_scores` existed: only the packed copy is new.
                    None => missing.push((id, repacked)),
                    Some(bytes) => {
                        let (nodes, mut critical) = crate::packed::unpack(&bytes)
                            .map_err(|error| corrupt_packed(format!("submission {id}"), &error))?;
                        critical.sort();
                        let mut fresh_critical = fresh.critical_items.clone();
                        fresh_critical.sort();
                        if nodes != fresh.nodes || critical != fresh_critical {
                            changed.push((id, repacked));
                        } else if bytes != repacked {
                            // The same scores in an older packed layout.
                            missing.push((id, repacked));
                        }
                    }
                }
            }
            if !missing.is_empty() || !changed.is_empty() {
                let txn = self.write().await?;
                for (id, packed) in missing.iter().chain(&changed) {
                    set_packed(&*txn, *id, packed.clone()).await?;
                }
                if !changed.is_empty() {
                    crate::audit::record(
                        &*txn,
                        None,
                        "scores.recompute",
                        "submission",
                        format!("{first}..{last}"),
                        serde_json::json!({ "changed": changed.iter().map(|(id, _)| id).collect::<Vec<_>>() }),
                    )
                    .await?;
                }
                txn.commit().await?;
                report.changed += changed.len() as u64;
            }
        }
        Ok(report)
    }
}
