//! The REST API of vsoko: actix-web handlers, thin adapters over the use cases of `vsoko-app`.
//!
//! Where things live:
//! - [`startup`] is the single wiring point: it builds the actix `App` (middleware, body limits,
//!   routes, OpenAPI, Swagger UI) and the server; nothing else knows the whole picture.
//! - [`config`] holds [`config::Settings`], passed explicitly (no globals), so tests can vary them.
//! - [`error`] is the one [`error::ApiError`] and its RFC 9457 problem+json envelope.
//! - `routes/` has one module per resource; `dto/` the wire types (domain and storage types never
//!   go on the wire directly).
//! - [`openapi`] renders the OpenAPI 3.1 document committed at `openapi/openapi.json`.

pub mod access;
pub mod auth;
pub mod config;
pub mod dto;
pub mod error;
pub mod extract;
pub mod headers;
pub mod instruments;
mod methods;
pub mod metrics;
pub mod openapi;
mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
