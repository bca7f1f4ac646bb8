//! Wire types: what goes over HTTP, with `utoipa::ToSchema` for the OpenAPI document. Built from
//! domain and storage types with explicit conversions; never the other way round.

pub mod auth;
pub mod cycle;
pub mod exchange;
pub mod health;
pub mod instruments;
pub mod links;
pub mod lists;
pub mod mentoring;
pub mod org;
pub mod periods;
pub mod plan;
pub mod problem;
pub mod reports;
pub mod routes;
pub mod spravki;
pub mod strengths;
pub mod submissions;
pub mod training;
