//! What a new submission names — its instrument version, its period, its subject's kindergarten —
//! read and checked before the write transaction: these rows never change once written, so the
//! reads run in parallel on the read pool instead of one after another on the single SQLite
//! writer.

use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, Iterable, QuerySelect, QueryTrait,
};
use vsoko_checklist::InstrumentId;

use crate::entities::{instrument, kindergarten, period};
use crate::error::{Record, Result, StorageError};
use crate::instruments::{
    SUMMARY_COLUMNS, SummaryRow, counting_of, parse_id, summary, unknown_instrument,
};
use crate::model::{Id, Kindergarten, NewSubmission, SubjectRef, SubmissionContext};
use crate::org::subject_owner;
use crate::store::{Store, Unique};

use super::Checked;
use crate::model::NetworkId;

impl Store {
    /// What a new submission names, in one query: version `version` of instrument `code` (its
    /// latest when `None`), the period `period` of network `network_id`, and the kindergarten of
    /// `subject`. [`StorageError::NotFound`] for an unknown instrument version (checked first) or
    /// period; an unknown subject is only reported by [`SubmissionContext::kindergarten`], so
    /// that a caller can first check that the subject is of the instrument's kind.
    pub async fn submission_context(
        &self,
        network_id: NetworkId,
        code: &str,
        version: Option<u32>,
        period: &str,
        subject: SubjectRef,
    ) -> Result<SubmissionContext> {
        use sea_orm::sea_query::{Alias, Condition, JoinType, Order, Query};
        let unknown_instrument = || unknown_instrument(code, version);
        let mut select = Query::select();
        select
            .from(instrument::Entity)
            .columns(SUMMARY_COLUMNS.map(|column| (instrument::Entity, column)));
        for column in period::Column::iter() {
            select.expr_as(
                Expr::col((period::Entity, column)),
                Alias::new(format!("p_{}", column.as_str())),
            );
        }
        for column in kindergarten::Column::iter() {
            select.expr_as(
                Expr::col((kindergarten::Entity, column)),
                Alias::new(format!("k_{}", column.as_str())),
            );
        }
        let owner = match subject_owner(subject) {
            Some(owner) => sub_query(owner),
            None => Expr::val(subject.raw_id()),
        };
        select
            .join(
                JoinType::LeftJoin,
                period::Entity,
                Condition::all()
                    .add(
                        Expr::col((period::Entity, period::Column::NetworkId)).eq(network_id.get()),
                    )
                    .add(Expr::col((period::Entity, period::Column::Code)).eq(period)),
            )
            .join(
                JoinType::LeftJoin,
                kindergarten::Entity,
                Expr::col((kindergarten::Entity, kindergarten::Column::Id)).eq(owner),
            )
            .and_where(Expr::col((instrument::Entity, instrument::Column::Code)).eq(code));
        if let Some(version) = version {
            let version = i32::try_from(version).map_err(|_| unknown_instrument())?;
            select.and_where(
                Expr::col((instrument::Entity, instrument::Column::Version)).eq(version),
            );
        }
        // One row per version of the instrument (few); the latest first. No `LIMIT` (see `Unique`).
        select.order_by(
            (instrument::Entity, instrument::Column::Version),
            Order::Desc,
        );
        let rows = self
            .db
            .query_all_raw(self.db.get_database_backend().build(&select))
            .await?;
        let row = rows.first().ok_or_else(unknown_instrument)?;
        let instrument = summary(row.try_get_many_by_index::<SummaryRow>()?)?;
        let period = period::Model::from_query_result_optional(row, "p_")?
            .ok_or_else(|| StorageError::not_found(Record::Period, period))?;
        let kindergarten = kindergarten::Model::from_query_result_optional(row, "k_")?;
        Ok(SubmissionContext {
            instrument,
            period: crate::periods::to_domain(period)?,
            subject,
            kindergarten: kindergarten.map(Kindergarten::from),
        })
    }
}

/// Checks a new submission against rows that never change once written — the instrument version
/// (answers and scores made for it, its subject kind), the kindergarten and its network, the
/// subject's kindergarten (people and groups are only ever deactivated, never moved or deleted).
/// So it needs no write transaction: concurrent submitters make these reads in parallel on the
/// read pool instead of one after another on the single SQLite writer. What can change — the
/// idempotency key, the period's status — is checked inside the write transaction.
pub(crate) async fn check_new(
    conn: &impl ConnectionTrait,
    new: &NewSubmission<'_>,
) -> Result<Checked> {
    // One query (it runs on every submission): the instrument's columns, the kindergarten's
    // network and the subject's kindergarten, the last two as sub-queries that are NULL when the
    // row does not exist.
    let network = kindergarten::Entity::find_by_id(new.kindergarten_id)
        .select_only()
        .column(kindergarten::Column::NetworkId)
        .into_query();
    let owner = match subject_owner(new.subject) {
        Some(owner) => sub_query(owner),
        None => Expr::val(new.subject.raw_id()),
    };
    /// Instrument id, code, version and subject kind; the kindergarten's network; the subject's
    /// kindergarten.
    type Row = (
        Id,
        String,
        i32,
        String,
        String,
        Option<String>,
        Option<Id>,
        Option<Id>,
    );
    let row: Option<Row> = instrument::Entity::find_by_id(new.instrument_id)
        .select_only()
        .columns([
            instrument::Column::Id,
            instrument::Column::Code,
            instrument::Column::Version,
            instrument::Column::Subject,
            instrument::Column::Kind,
            instrument::Column::Counting,
        ])
        .expr(sub_query(network))
        .expr(owner)
        .into_tuple()
        .unique(conn)
        .await?;
    let (id, code, version, subject, kind, counting, network_id, owner) =
        row.ok_or_else(|| StorageError::not_found(Record::Instrument, new.instrument_id))?;
    let instrument = parse_id(id, &code, version)?;
    let counting = counting_of(id, &kind, counting.as_deref())?;
    made_for(&instrument, &subject, new)?;
    let network_id = network_id
        .ok_or_else(|| StorageError::not_found(Record::Kindergarten, new.kindergarten_id))?;
    let owner = owner.ok_or_else(|| {
        StorageError::not_found(
            crate::model::subject_record(new.subject),
            new.subject.raw_id(),
        )
    })?;
    if owner != new.kindergarten_id.get() {
        return Err(StorageError::Invalid(format!(
            "{} {} does not belong to kindergarten {}",
            new.subject.kind(),
            new.subject.raw_id(),
            new.kindergarten_id
        )));
    }
    Ok(Checked {
        instrument,
        network_id: NetworkId::new(network_id),
        counting,
    })
}

/// Checks that a new submission's answers and scores were made for `instrument`, whose subjects
/// are of kind `subject_kind`, and that its subject is of that kind.
pub(crate) fn made_for(
    instrument: &InstrumentId,
    subject_kind: &str,
    new: &NewSubmission<'_>,
) -> Result<()> {
    super::check_instrument(instrument, new.answers, new.score)?;
    if subject_kind != new.subject.kind() {
        return Err(StorageError::Invalid(format!(
            "{instrument} assesses a {subject_kind}, not a {}",
            new.subject.kind()
        )));
    }
    Ok(())
}

/// `(SELECT …)` as a value.
fn sub_query(select: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(select.into()))
}
