//! Links to anonymous questionnaires: opened with a random token shown once (only its SHA-256 is
//! stored), found by that token, withdrawn by setting `closed_at`.

use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder};
use serde_json::json;

use crate::audit::record;
use crate::entities::{group, instrument, kindergarten, period, survey_link};
use crate::error::{Record, Result, StorageError};
use crate::model::{
    GroupId, InstrumentVersionId, KindergartenId, LinkId, NetworkId, PeriodId, UserId,
};
use crate::model::{NewSurveyLink, SubjectRef, SurveyLink};
use crate::store::{Store, Unique};
use crate::users::{hex, token_hash};

fn to_domain(model: survey_link::Model) -> Result<SurveyLink> {
    let subject = match model.group_id {
        Some(group) => SubjectRef::Group(GroupId::new(group)),
        None => SubjectRef::Kindergarten(KindergartenId::new(model.kindergarten_id)),
    };
    Ok(SurveyLink {
        id: LinkId::new(model.id),
        network_id: NetworkId::new(model.network_id),
        kindergarten_id: KindergartenId::new(model.kindergarten_id),
        subject,
        instrument_id: InstrumentVersionId::new(model.instrument_id),
        period_id: PeriodId::new(model.period_id),
        created_by: UserId::new(model.created_by),
        created_at: model.created_at,
        closed_at: model.closed_at,
    })
}

/// Which links a listing returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFilter {
    /// The network (required).
    pub network_id: NetworkId,
    /// One kindergarten only.
    pub kindergarten_id: Option<KindergartenId>,
    /// One period only.
    pub period_id: Option<PeriodId>,
}

impl Store {
    /// Opens a link: the subject must be a group or a kindergarten, the period of the subject's
    /// network. Returns the token (shown once) and the stored link; an audit entry records it.
    pub async fn create_survey_link(&self, new: &NewSurveyLink) -> Result<(String, SurveyLink)> {
        let txn = self.write().await?;
        let (kindergarten_id, group_id) = match new.subject {
            SubjectRef::Group(id) => {
                let group = group::Entity::find_by_id(id)
                    .unique(&*txn)
                    .await?
                    .ok_or_else(|| StorageError::not_found(Record::Group, id))?;
                (group.kindergarten_id, Some(id.get()))
            }
            SubjectRef::Kindergarten(id) => (id.get(), None),
            SubjectRef::Teacher(_) => {
                return Err(StorageError::Invalid(
                    "a survey link is about a group or a kindergarten, never one teacher".into(),
                ));
            }
        };
        let unit = kindergarten::Entity::find_by_id(kindergarten_id)
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Kindergarten, kindergarten_id))?;
        let period = period::Entity::find_by_id(new.period_id)
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Period, new.period_id))?;
        if period.network_id != unit.network_id {
            return Err(StorageError::Invalid(format!(
                "period {} belongs to another network than kindergarten {}",
                period.code, unit.id
            )));
        }
        if instrument::Entity::find_by_id(new.instrument_id)
            .unique(&*txn)
            .await?
            .is_none()
        {
            return Err(StorageError::not_found(
                Record::Instrument,
                new.instrument_id,
            ));
        }
        let mut bytes = [0u8; 24];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex(&bytes);
        let id = survey_link::Entity::insert(survey_link::ActiveModel {
            id: NotSet,
            network_id: Set(unit.network_id),
            kindergarten_id: Set(unit.id),
            group_id: Set(group_id),
            instrument_id: Set(new.instrument_id.get()),
            period_id: Set(new.period_id.get()),
            token_hash: Set(token_hash(&token)),
            created_by: Set(new.created_by.get()),
            created_at: Set(crate::store::now()),
            closed_at: Set(None),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(new.created_by),
            "survey_link.create",
            "survey_link",
            id,
            json!({
                "kindergarten_id": unit.id,
                "group_id": group_id,
                "instrument_id": new.instrument_id,
                "period_id": new.period_id,
            }),
        )
        .await?;
        txn.commit().await?;
        Ok((token, self.survey_link(LinkId::new(id)).await?))
    }

    /// One link by id.
    pub async fn survey_link(&self, id: LinkId) -> Result<SurveyLink> {
        survey_link::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::SurveyLink, id))
            .and_then(to_domain)
    }

    /// The link a token opens, withdrawn or not; `None` for a token no link has.
    pub async fn survey_link_by_token(&self, token: &str) -> Result<Option<SurveyLink>> {
        survey_link::Entity::find()
            .filter(survey_link::Column::TokenHash.eq(token_hash(token)))
            .unique(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The links a filter selects, newest first.
    pub async fn survey_links(&self, filter: LinkFilter) -> Result<Vec<SurveyLink>> {
        let mut select = survey_link::Entity::find()
            .filter(survey_link::Column::NetworkId.eq(filter.network_id.get()));
        if let Some(id) = filter.kindergarten_id {
            select = select.filter(survey_link::Column::KindergartenId.eq(id.get()));
        }
        if let Some(id) = filter.period_id {
            select = select.filter(survey_link::Column::PeriodId.eq(id.get()));
        }
        select
            .order_by_desc(survey_link::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Withdraws a link: its token opens nothing from now on. Withdrawing it again changes
    /// nothing.
    pub async fn close_survey_link(&self, actor: Option<UserId>, id: LinkId) -> Result<SurveyLink> {
        let txn = self.write().await?;
        let link = survey_link::Entity::find_by_id(id)
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::SurveyLink, id))?;
        if link.closed_at.is_none() {
            survey_link::Entity::update_many()
                .col_expr(survey_link::Column::ClosedAt, crate::store::now().into())
                .filter(survey_link::Column::Id.eq(id.get()))
                .exec(&*txn)
                .await?;
            record(
                &*txn,
                actor,
                "survey_link.close",
                "survey_link",
                id,
                json!({}),
            )
            .await?;
        }
        txn.commit().await?;
        self.survey_link(id).await
    }
}
