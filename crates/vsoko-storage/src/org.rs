//! Networks, kindergartens, groups and people.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::audit::record;
use crate::entities::{group, kindergarten, network, person, user};
use crate::error::{Record, Result, StorageError, unique_or_db};
use crate::model::{
    Group, Id, Kindergarten, Network, NewKindergarten, Person, Scope, StaffCounts, SubjectRef,
};
use crate::model::{GroupId, KindergartenId, NetworkId, PersonId, UserId};
use crate::store::{Store, Unique};

/// The ids of the kindergartens of a scope, as a subquery.
fn unit_ids(scope: Scope) -> SelectStatement {
    let units = kindergarten::Entity::find()
        .select_only()
        .column(kindergarten::Column::Id);
    match scope {
        Scope::Network(id) => units.filter(kindergarten::Column::NetworkId.eq(id.get())),
        Scope::Kindergarten(id) => units.filter(kindergarten::Column::Id.eq(id.get())),
    }
    .into_query()
}

/// The people linked to an account of a head, a manager or an administrator, as a subquery:
/// members of staff who are not assessed.
fn managing_people() -> SelectStatement {
    user::Entity::find()
        .select_only()
        .column(user::Column::PersonId)
        .filter(user::Column::PersonId.is_not_null())
        .filter(user::Column::Role.is_in(["head", "manager", "admin"]))
        .into_query()
}

impl From<network::Model> for Network {
    fn from(model: network::Model) -> Self {
        Network {
            id: NetworkId::new(model.id),
            name: model.name,
            created_at: model.created_at,
            min_coverage_percent: model
                .min_coverage_percent
                .and_then(|percent| u32::try_from(percent).ok()),
            store_snils: model.store_snils,
        }
    }
}

impl From<kindergarten::Model> for Kindergarten {
    fn from(model: kindergarten::Model) -> Self {
        Kindergarten {
            id: KindergartenId::new(model.id),
            network_id: NetworkId::new(model.network_id),
            number: model.number,
            full_name: model.full_name,
            short_name: model.short_name,
            district: model.district,
        }
    }
}

impl From<group::Model> for Group {
    fn from(model: group::Model) -> Self {
        Group {
            id: GroupId::new(model.id),
            kindergarten_id: KindergartenId::new(model.kindergarten_id),
            name: model.name,
            age_group: model.age_group,
            active: model.active,
        }
    }
}

impl From<person::Model> for Person {
    fn from(model: person::Model) -> Self {
        Person {
            id: PersonId::new(model.id),
            kindergarten_id: KindergartenId::new(model.kindergarten_id),
            full_name: model.full_name,
            position: model.position,
            active: model.active,
        }
    }
}

impl Store {
    /// Creates a network.
    pub async fn create_network(&self, actor: Option<UserId>, name: &str) -> Result<Network> {
        let txn = self.write().await?;
        let id = network::Entity::insert(network::ActiveModel {
            id: NotSet,
            name: Set(name.to_owned()),
            created_at: Set(crate::store::now()),
            min_coverage_percent: Set(None),
            store_snils: Set(false),
        })
        .exec(&*txn)
        .await
        .map_err(|error| unique_or_db(error, Record::Network, || name.to_owned()))?
        .last_insert_id;
        record(
            &*txn,
            actor,
            "network.create",
            "network",
            id,
            json!({ "name": name }),
        )
        .await?;
        txn.commit().await?;
        self.network(NetworkId::new(id)).await
    }

    /// One network.
    pub async fn network(&self, id: NetworkId) -> Result<Network> {
        network::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .map(Network::from)
            .ok_or_else(|| StorageError::not_found(Record::Network, id))
    }

    /// Every network, by id.
    pub async fn networks(&self) -> Result<Vec<Network>> {
        Ok(network::Entity::find()
            .order_by_asc(network::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Network::from)
            .collect())
    }

    /// Creates a kindergarten in a network; its number must be unique there.
    pub async fn create_kindergarten(
        &self,
        actor: Option<UserId>,
        new: &NewKindergarten,
    ) -> Result<Kindergarten> {
        let txn = self.write().await?;
        if network::Entity::find_by_id(new.network_id)
            .unique(&*txn)
            .await?
            .is_none()
        {
            return Err(StorageError::not_found(Record::Network, new.network_id));
        }
        let id = kindergarten::Entity::insert(kindergarten::ActiveModel {
            id: NotSet,
            network_id: Set(new.network_id.get()),
            number: Set(new.number.clone()),
            full_name: Set(new.full_name.clone()),
            short_name: Set(new.short_name.clone()),
            created_at: Set(crate::store::now()),
            district: Set(None),
        })
        .exec(&*txn)
        .await
        .map_err(|error| {
            unique_or_db(error, Record::Kindergarten, || {
                format!("number {}", new.number)
            })
        })?
        .last_insert_id;
        record(
            &*txn,
            actor,
            "kindergarten.create",
            "kindergarten",
            id,
            json!({ "network_id": new.network_id, "number": new.number, "short_name": new.short_name }),
        )
        .await?;
        txn.commit().await?;
        self.kindergarten(KindergartenId::new(id)).await
    }

    /// Sets (or, with `None`, clears) a kindergarten's district, audited.
    pub async fn set_kindergarten_district(
        &self,
        actor: Option<UserId>,
        id: KindergartenId,
        district: Option<&str>,
    ) -> Result<Kindergarten> {
        let txn = self.write().await?;
        let result = kindergarten::Entity::update_many()
            .col_expr(
                kindergarten::Column::District,
                district.map(str::to_owned).into(),
            )
            .filter(kindergarten::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Kindergarten, id));
        }
        record(
            &*txn,
            actor,
            "kindergarten.district",
            "kindergarten",
            id.get(),
            json!({ "district": district }),
        )
        .await?;
        txn.commit().await?;
        self.kindergarten(id).await
    }

    /// One kindergarten.
    pub async fn kindergarten(&self, id: KindergartenId) -> Result<Kindergarten> {
        kindergarten::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .map(Kindergarten::from)
            .ok_or_else(|| StorageError::not_found(Record::Kindergarten, id))
    }

    /// The kindergartens inside a scope, by id.
    pub async fn kindergartens(&self, scope: Scope) -> Result<Vec<Kindergarten>> {
        let query = kindergarten::Entity::find();
        let query = match scope {
            Scope::Network(id) => query.filter(kindergarten::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => query.filter(kindergarten::Column::Id.eq(id.get())),
        };
        Ok(query
            .order_by_asc(kindergarten::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Kindergarten::from)
            .collect())
    }

    /// Creates a group in a kindergarten.
    pub async fn create_group(
        &self,
        actor: Option<UserId>,
        kindergarten_id: KindergartenId,
        name: &str,
        age_group: &str,
    ) -> Result<Group> {
        let txn = self.write().await?;
        ensure_kindergarten(&*txn, kindergarten_id.get()).await?;
        let id = group::Entity::insert(group::ActiveModel {
            id: NotSet,
            kindergarten_id: Set(kindergarten_id.get()),
            name: Set(name.to_owned()),
            age_group: Set(age_group.to_owned()),
            active: Set(true),
            created_at: Set(crate::store::now()),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            actor,
            "group.create",
            "group",
            id,
            json!({ "kindergarten_id": kindergarten_id, "name": name, "age_group": age_group }),
        )
        .await?;
        txn.commit().await?;
        self.group(GroupId::new(id)).await
    }

    /// One group.
    pub async fn group(&self, id: GroupId) -> Result<Group> {
        group::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .map(Group::from)
            .ok_or_else(|| StorageError::not_found(Record::Group, id))
    }

    /// The groups of a kindergarten, by id.
    pub async fn groups(&self, kindergarten_id: KindergartenId) -> Result<Vec<Group>> {
        Ok(group::Entity::find()
            .filter(group::Column::KindergartenId.eq(kindergarten_id.get()))
            .order_by_asc(group::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Group::from)
            .collect())
    }

    /// Registers a member of staff in a kindergarten.
    pub async fn create_person(
        &self,
        actor: Option<UserId>,
        kindergarten_id: KindergartenId,
        full_name: &str,
        position: &str,
    ) -> Result<Person> {
        let txn = self.write().await?;
        let id = insert_person(&*txn, actor, kindergarten_id, full_name, position).await?;
        txn.commit().await?;
        self.person(PersonId::new(id)).await
    }

    /// One person.
    pub async fn person(&self, id: PersonId) -> Result<Person> {
        person::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .map(Person::from)
            .ok_or_else(|| StorageError::not_found(Record::Person, id))
    }

    /// The staff of a kindergarten, by id.
    pub async fn people(&self, kindergarten_id: KindergartenId) -> Result<Vec<Person>> {
        Ok(person::Entity::find()
            .filter(person::Column::KindergartenId.eq(kindergarten_id.get()))
            .order_by_asc(person::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Person::from)
            .collect())
    }

    /// How many active members of staff a unit has who are assessed (not linked to an account of
    /// a head, a manager or an administrator), and how many active groups: the base of a report's
    /// coverage. Two queries.
    pub async fn staff_counts(&self, scope: Scope) -> Result<StaffCounts> {
        use sea_orm::PaginatorTrait;
        let units = unit_ids(scope);
        let managing = managing_people();
        let teachers = person::Entity::find()
            .filter(person::Column::Active.eq(true))
            .filter(person::Column::KindergartenId.in_subquery(units.clone()))
            .filter(person::Column::Id.not_in_subquery(managing))
            .count(&self.db)
            .await?;
        let groups = group::Entity::find()
            .filter(group::Column::Active.eq(true))
            .filter(group::Column::KindergartenId.in_subquery(units))
            .count(&self.db)
            .await?;
        Ok(StaffCounts {
            teachers: u32::try_from(teachers).unwrap_or(u32::MAX),
            groups: u32::try_from(groups).unwrap_or(u32::MAX),
        })
    }

    /// [`Store::staff_counts`] of every kindergarten of a network at once (kindergartens without
    /// staff or groups are absent): the base of each kindergarten's coverage in a network
    /// report. Two grouped queries.
    pub async fn staff_counts_per_kindergarten(
        &self,
        network_id: NetworkId,
    ) -> Result<std::collections::BTreeMap<Id, StaffCounts>> {
        use sea_orm::sea_query::{Expr, Func};
        let units = unit_ids(Scope::Network(network_id));
        let managing = managing_people();
        let teachers: Vec<(Id, i64)> = person::Entity::find()
            .select_only()
            .column(person::Column::KindergartenId)
            .expr(Func::count(Expr::col(person::Column::Id)))
            .filter(person::Column::Active.eq(true))
            .filter(person::Column::KindergartenId.in_subquery(units.clone()))
            .filter(person::Column::Id.not_in_subquery(managing))
            .group_by(person::Column::KindergartenId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let groups: Vec<(Id, i64)> = group::Entity::find()
            .select_only()
            .column(group::Column::KindergartenId)
            .expr(Func::count(Expr::col(group::Column::Id)))
            .filter(group::Column::Active.eq(true))
            .filter(group::Column::KindergartenId.in_subquery(units))
            .group_by(group::Column::KindergartenId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut counts: std::collections::BTreeMap<Id, StaffCounts> = Default::default();
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        for (kindergarten, n) in teachers {
            counts.entry(kindergarten).or_default().teachers = count(n);
        }
        for (kindergarten, n) in groups {
            counts.entry(kindergarten).or_default().groups = count(n);
        }
        Ok(counts)
    }

    /// Marks a person as no longer working in the kindergarten, and their accounts inactive (they
    /// can no longer log in). The rows and their submissions stay.
    pub async fn deactivate_person(&self, actor: Option<UserId>, id: PersonId) -> Result<Person> {
        let txn = self.write().await?;
        let result = person::Entity::update_many()
            .col_expr(person::Column::Active, false.into())
            .filter(person::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Person, id));
        }
        let accounts = user::Entity::update_many()
            .col_expr(user::Column::Active, false.into())
            .filter(user::Column::PersonId.eq(id.get()))
            .filter(user::Column::Active.eq(true))
            .exec(&*txn)
            .await?
            .rows_affected;
        record(
            &*txn,
            actor,
            "person.deactivate",
            "person",
            id,
            json!({ "accounts_deactivated": accounts }),
        )
        .await?;
        txn.commit().await?;
        self.person(id).await
    }

    /// Sets whether the network keeps the СНИЛС of training records' recipients, with an audit
    /// entry.
    pub async fn set_network_store_snils(
        &self,
        actor: Option<UserId>,
        id: NetworkId,
        store: bool,
    ) -> Result<Network> {
        let txn = self.write().await?;
        let result = network::Entity::update_many()
            .col_expr(network::Column::StoreSnils, store.into())
            .filter(network::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Network, id.get()));
        }
        record(
            &*txn,
            actor,
            "network.store_snils",
            "network",
            id.get(),
            json!({ "store_snils": store }),
        )
        .await?;
        txn.commit().await?;
        self.network(id).await
    }

    /// Sets (or, with `None`, resets to the default rule) the share of active teachers a
    /// network's results need for levels and conclusions, with an audit entry.
    pub async fn set_network_min_coverage(
        &self,
        actor: Option<UserId>,
        id: Id,
        percent: Option<u32>,
    ) -> Result<Network> {
        let txn = self.write().await?;
        let value = percent.map(|percent| i32::try_from(percent).unwrap_or(i32::MAX));
        let result = network::Entity::update_many()
            .col_expr(network::Column::MinCoveragePercent, value.into())
            .filter(network::Column::Id.eq(id))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Network, id));
        }
        record(
            &*txn,
            actor,
            "network.min_coverage",
            "network",
            id,
            json!({ "min_coverage_percent": percent }),
        )
        .await?;
        txn.commit().await?;
        self.network(NetworkId::new(id)).await
    }

    /// Marks a group as no longer existing (the row and its submissions stay).
    pub async fn deactivate_group(&self, actor: Option<UserId>, id: GroupId) -> Result<Group> {
        let txn = self.write().await?;
        let result = group::Entity::update_many()
            .col_expr(group::Column::Active, false.into())
            .filter(group::Column::Id.eq(id.get()))
            .exec(&*txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(StorageError::not_found(Record::Group, id));
        }
        record(&*txn, actor, "group.deactivate", "group", id, json!({})).await?;
        txn.commit().await?;
        self.group(id).await
    }
}

/// Inserts a member of staff (and the audit entry) inside the caller's transaction.
pub(crate) async fn insert_person(
    txn: &impl sea_orm::ConnectionTrait,
    actor: Option<UserId>,
    kindergarten_id: KindergartenId,
    full_name: &str,
    position: &str,
) -> Result<Id> {
    ensure_kindergarten(txn, kindergarten_id.get()).await?;
    let id = person::Entity::insert(person::ActiveModel {
        id: NotSet,
        kindergarten_id: Set(kindergarten_id.get()),
        full_name: Set(full_name.to_owned()),
        position: Set(position.to_owned()),
        active: Set(true),
        created_at: Set(crate::store::now()),
    })
    .exec(txn)
    .await?
    .last_insert_id;
    record(
        txn,
        actor,
        "person.create",
        "person",
        id,
        json!({ "kindergarten_id": kindergarten_id, "full_name": full_name, "position": position }),
    )
    .await?;
    Ok(id)
}

/// Fails with `NotFound` unless the kindergarten exists; groups and staff are created only inside one.
async fn ensure_kindergarten(db: &impl sea_orm::ConnectionTrait, id: Id) -> Result<()> {
    match kindergarten::Entity::find_by_id(id).unique(db).await? {
        Some(_) => Ok(()),
        None => Err(StorageError::not_found(Record::Kindergarten, id)),
    }
}

/// `SELECT kindergarten_id` of the person or group a subject names; `None` for a kindergarten,
/// which is its own.
pub(crate) fn subject_owner(subject: SubjectRef) -> Option<SelectStatement> {
    match subject {
        SubjectRef::Teacher(id) => Some(
            person::Entity::find_by_id(id)
                .select_only()
                .column(person::Column::KindergartenId)
                .into_query(),
        ),
        SubjectRef::Group(id) => Some(
            group::Entity::find_by_id(id)
                .select_only()
                .column(group::Column::KindergartenId)
                .into_query(),
        ),
        SubjectRef::Kindergarten(_) => None,
    }
}
