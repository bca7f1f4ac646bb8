//! Kindergartens, groups, people.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vsoko_domain::{Group, Kindergarten, Network, Person};

/// The caller's network and its rules of reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The least share of active teachers (groups), percent, a kindergarten's or the network's
    /// result needs for a level, a change and conclusions (and at least three of them).
    pub min_coverage_percent: f64,
    /// Whether that is the network's own setting (`false`: the default rule).
    pub min_coverage_set: bool,
    /// Whether the СНИЛС of training records' recipients is kept (read from an import's СНИЛС
    /// column); off unless the network asks for it.
    pub store_snils: bool,
}

impl From<&Network> for NetworkDto {
    fn from(network: &Network) -> Self {
        NetworkDto {
            id: network.id.get(),
            name: network.name.clone(),
            min_coverage_percent: vsoko_app::org::coverage_rule(network).percent,
            min_coverage_set: !vsoko_app::org::coverage_rule(network).is_default,
            store_snils: network.store_snils,
        }
    }
}

/// The network's rules of reports to set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettingsRequest {
    /// Whole percent from 10 to 100; `null` returns to the default rule (50 %).
    #[schema(minimum = 10, maximum = 100)]
    pub min_coverage_percent: Option<u32>,
}

/// Whether the network keeps the СНИЛС of training records' recipients.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnilsSettingRequest {
    /// `true`: an import's СНИЛС column is read, checked and kept; `false`: it is not read.
    pub store_snils: bool,
}

/// A kindergarten (ДОО).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindergartenDto {
    /// Id.
    pub id: i64,
    /// The network.
    pub network_id: i64,
    /// Number, like `18`.
    pub number: String,
    /// Full name.
    pub full_name: String,
    /// Short name, like `МДОУ № 18`.
    pub short_name: String,
    /// Its district (район, микрорайон), when set: mentoring pairs prefer the same district.
    pub district: Option<String>,
}

impl From<&Kindergarten> for KindergartenDto {
    fn from(kindergarten: &Kindergarten) -> Self {
        KindergartenDto {
            id: kindergarten.id.get(),
            network_id: kindergarten.network_id.get(),
            number: kindergarten.number.clone(),
            full_name: kindergarten.full_name.clone(),
            short_name: kindergarten.short_name.clone(),
            district: kindergarten.district.clone(),
        }
    }
}

/// Sets or clears a kindergarten's district.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistrictRequest {
    /// The district (район, микрорайон); `null` or an empty text clears it.
    #[schema(max_length = 100)]
    pub district: Option<String>,
}

/// A kindergarten to create in the caller's network.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKindergartenRequest {
    /// Number, unique in the network: letters, digits, `-`, `/`, `.` (`106`, `5а`).
    #[schema(pattern = r"^\s*[0-9A-Za-zА-Яа-яЁё./-]{1,16}\s*$")]
    pub number: String,
    /// Full name.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 500
    )]
    pub full_name: String,
    /// Short name.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 200
    )]
    pub short_name: String,
}

/// A group of children.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    /// Id.
    pub id: i64,
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// Name, like «Солнышко».
    pub name: String,
    /// Age group, like «старшая».
    pub age_group: String,
    /// Whether it is active.
    pub active: bool,
}

impl From<&Group> for GroupDto {
    fn from(group: &Group) -> Self {
        GroupDto {
            id: group.id.get(),
            kindergarten_id: group.kindergarten_id.get(),
            name: group.name.clone(),
            age_group: group.age_group.clone(),
            active: group.active,
        }
    }
}

/// A group to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupRequest {
    /// Name.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// Age group.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 100
    )]
    pub age_group: String,
}

/// A member of staff.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonDto {
    /// Id.
    pub id: i64,
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// Full name.
    pub full_name: String,
    /// Position, like «воспитатель».
    pub position: String,
    /// Whether they still work there.
    pub active: bool,
}

impl From<&Person> for PersonDto {
    fn from(person: &Person) -> Self {
        PersonDto {
            id: person.id.get(),
            kindergarten_id: person.kindergarten_id.get(),
            full_name: person.full_name.clone(),
            position: person.position.clone(),
            active: person.active,
        }
    }
}

/// A member of staff to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonRequest {
    /// Full name.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 200
    )]
    pub full_name: String,
    /// Position.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 1,
        max_length = 200
    )]
    pub position: String,
}
