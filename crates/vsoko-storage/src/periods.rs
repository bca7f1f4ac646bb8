//! Assessment periods: opened by a manager, closed when the assessment is over.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::audit::record;
use crate::entities::{network, period};
use crate::error::{Record, Result, StorageError, unique_or_db};
use crate::model::{Basis, NewPeriod, Period, PeriodStatus};
use crate::model::{NetworkId, PeriodId, UserId};
use crate::store::{Store, Unique};

pub(crate) fn to_domain(model: period::Model) -> Result<Period> {
    let status = match model.status.as_str() {
        "open" => PeriodStatus::Open,
        "closed" => PeriodStatus::Closed,
        other => {
            return Err(StorageError::Corrupt(format!(
                "period {} has unknown status {other:?}",
                model.id
            )));
        }
    };
    Ok(Period {
        id: PeriodId::new(model.id),
        network_id: NetworkId::new(model.network_id),
        code: model.code,
        starts_on: model.starts_on,
        ends_on: model.ends_on,
        status,
        closed_at: model.closed_at,
        basis: match (model.basis_title, model.basis_number, model.basis_date) {
            (Some(title), Some(number), Some(date)) => Some(Basis {
                title,
                number,
                date,
            }),
            _ => None,
        },
    })
}

impl Store {
    /// Opens a period in a network; its code must be unique there and its days must belong to no
    /// other period of the network ([`StorageError::PeriodOverlap`]). On PostgreSQL the network
    /// row is locked for the check, so two overlapping periods opened at once cannot both pass.
    pub async fn create_period(&self, actor: Option<UserId>, new: &NewPeriod) -> Result<Period> {
        if new.ends_on < new.starts_on {
            return Err(StorageError::Invalid(format!(
                "period {} ends ({}) before it starts ({})",
                new.code, new.ends_on, new.starts_on
            )));
        }
        let txn = self.write().await?;
        let mut network = network::Entity::find_by_id(new.network_id);
        if self.is_postgres() {
            network = network.lock_exclusive();
        }
        if network.unique(&*txn).await?.is_none() {
            return Err(StorageError::not_found(Record::Network, new.network_id));
        }
        // Another code over the same days; the same code is the unique index's to refuse.
        let overlapping = period::Entity::find()
            .filter(period::Column::NetworkId.eq(new.network_id.get()))
            .filter(period::Column::Code.ne(new.code.clone()))
            .filter(period::Column::StartsOn.lte(new.ends_on))
            .filter(period::Column::EndsOn.gte(new.starts_on))
            .order_by_asc(period::Column::StartsOn)
            .all(&*txn)
            .await?;
        if let Some(other) = overlapping.into_iter().next() {
            return Err(StorageError::PeriodOverlap {
                code: other.code,
                starts_on: other.starts_on,
                ends_on: other.ends_on,
            });
        }
        let id = period::Entity::insert(period::ActiveModel {
            id: NotSet,
            network_id: Set(new.network_id.get()),
            code: Set(new.code.clone()),
            starts_on: Set(new.starts_on),
            ends_on: Set(new.ends_on),
            status: Set(PeriodStatus::Open.as_str().to_owned()),
            created_at: Set(crate::store::now()),
            closed_at: Set(None),
            basis_title: Set(None),
            basis_number: Set(None),
            basis_date: Set(None),
        })
        .exec(&*txn)
        .await
        .map_err(|error| unique_or_db(error, Record::Period, || format!("code {}", new.code)))?
        .last_insert_id;
        record(
            &*txn,
            actor,
            "period.create",
            "period",
            id,
            json!({ "network_id": new.network_id, "code": new.code, "starts_on": new.starts_on.to_string(), "ends_on": new.ends_on.to_string() }),
        )
        .await?;
        txn.commit().await?;
        self.period(PeriodId::new(id)).await
    }

    /// Sets (or, with `None`, clears) the основание of a period's assessment, audited.
    pub async fn set_period_basis(
        &self,
        actor: Option<UserId>,
        id: PeriodId,
        basis: Option<&Basis>,
    ) -> Result<Period> {
        let txn = self.write().await?;
        let result = period::Entity::update_many()
            .col_expr(
                period::Column::BasisTitle,
                basis.map(|basis| basis.title.clone()).into(),
            )
            .col_expr(
                period::Column::BasisNumber,
                basis.map(|basis| basis.number.clone()).into(),
            )
            .col_expr(
                period::Column::BasisDate,
                basis.map(|basis| basis.date).into(),
            )
            .filter(period::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Period, id));
        }
        record(
            &*txn,
            actor,
            "period.basis",
            "period",
            id.get(),
            json!({
                "title": basis.map(|basis| basis.title.clone()),
                "number": basis.map(|basis| basis.number.clone()),
                "date": basis.map(|basis| basis.date.to_string()),
            }),
        )
        .await?;
        txn.commit().await?;
        self.period(id).await
    }

    /// One period.
    pub async fn period(&self, id: PeriodId) -> Result<Period> {
        let model = period::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Period, id))?;
        to_domain(model)
    }

    /// A period of a network by its code.
    pub async fn period_by_code(&self, network_id: NetworkId, code: &str) -> Result<Period> {
        let model = period::Entity::find()
            .filter(period::Column::NetworkId.eq(network_id.get()))
            .filter(period::Column::Code.eq(code))
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Period, code))?;
        to_domain(model)
    }

    /// The periods of a network, oldest first.
    pub async fn periods(&self, network_id: NetworkId) -> Result<Vec<Period>> {
        period::Entity::find()
            .filter(period::Column::NetworkId.eq(network_id.get()))
            .order_by_asc(period::Column::StartsOn)
            .order_by_asc(period::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Closes a period: from now on it refuses submissions and corrections. Closing a closed period
    /// changes nothing.
    pub async fn close_period(&self, actor: Option<UserId>, id: PeriodId) -> Result<Period> {
        let txn = self.write().await?;
        let result = period::Entity::update_many()
            .col_expr(period::Column::Status, PeriodStatus::Closed.as_str().into())
            .col_expr(period::Column::ClosedAt, Some(crate::store::now()).into())
            .filter(period::Column::Id.eq(id.get()))
            .filter(period::Column::Status.eq(PeriodStatus::Open.as_str()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 1 {
            record(&*txn, actor, "period.close", "period", id, json!({})).await?;
        }
        txn.commit().await?;
        self.period(id).await
    }
}
