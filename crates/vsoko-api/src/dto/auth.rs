//! Login, tokens and accounts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vsoko_domain::PersonId;
use vsoko_domain::{Role, Scope, User};

/// Credentials.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login.
    #[schema(pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$", max_length = 200)]
    pub login: String,
    /// Password.
    #[schema(pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$", max_length = 1024)]
    pub password: String,
}

/// A bearer token: send it as `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The opaque token (only its hash is stored on the server).
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// Who logged in.
    pub user: UserDto,
}

/// `admin`, `manager`, `head` or `teacher`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleDto {
    /// Everything.
    Admin,
    /// Department: reads the whole network, manages periods.
    Manager,
    /// Head of a kindergarten.
    Head,
    /// Teacher.
    Teacher,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => RoleDto::Admin,
            Role::Manager => RoleDto::Manager,
            Role::Head => RoleDto::Head,
            Role::Teacher => RoleDto::Teacher,
        }
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Admin => Role::Admin,
            RoleDto::Manager => Role::Manager,
            RoleDto::Head => Role::Head,
            RoleDto::Teacher => Role::Teacher,
        }
    }
}

/// An account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Role.
    pub role: RoleDto,
    /// The network.
    pub network_id: i64,
    /// The kindergarten, for heads and teachers.
    pub kindergarten_id: Option<i64>,
    /// The linked member of staff.
    pub person_id: Option<i64>,
    /// Whether the account may log in.
    pub active: bool,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        UserDto {
            id: user.id.get(),
            login: user.login.clone(),
            role: user.role.into(),
            network_id: user.network_id.get(),
            kindergarten_id: match user.scope {
                Scope::Kindergarten(id) => Some(id.get()),
                Scope::Network(_) => None,
            },
            person_id: user.person_id.map(PersonId::get),
            active: user.active,
        }
    }
}

/// An account to create. Heads and teachers need `kindergarten_id`; managers and admins belong to
/// the caller's network.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login, unique: latin letters, digits, `.`, `_`, `-`, `@`.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$")]
    pub login: String,
    /// Initial password: 8–128 characters.
    #[schema(
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$",
        min_length = 8,
        max_length = 128
    )]
    pub password: String,
    /// Role.
    pub role: RoleDto,
    /// The kindergarten (heads and teachers).
    pub kindergarten_id: Option<i64>,
    /// The member of staff the account belongs to (heads and teachers).
    pub person_id: Option<i64>,
}
