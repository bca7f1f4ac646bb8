//! The Russian web interface of vsoko: server-rendered HTML pages for teachers, heads, the
//! department's methodists and parents, served by `vsoko serve` beside the JSON API.
//!
//! Every page is a thin adapter over one use case of `vsoko-app`: it parses the request (a cookie
//! session, a form), calls the use case, and renders an askama template with what it answered.
//! No rule lives here — who may see what is `vsoko_app::policy`, what an answer may be is the
//! instrument's own check — so the pages and the API can never disagree.
//!
//! Where things live:
//! - [`session`]: the cookie session (a token of the same kind as the API's, only its hash
//!   stored) and the [`session::Viewer`] extractor of signed-in pages;
//! - [`csrf`]: the token every state-changing form carries, and the [`csrf::PostedForm`]
//!   extractor that checks it — every POST handler takes one;
//! - [`form`]: the form renderer (instrument → fieldsets) and the parsing of a posted form;
//! - [`error`]: [`error::PageError`] and the Russian error pages (with the request id on 500);
//! - [`assets`]: the stylesheet and the one small script, embedded in the binary;
//! - `pages/`: one module per area — sign-in and profile, forms, a kindergarten, its staff and
//!   parents' links, the network, the public questionnaire.
//!
//! Pages work without JavaScript; `assets/app.js` adds autosave, the live progress bar, the
//! double-click guard and focus on errors. Nothing is loaded from elsewhere, and no inline script exists (the CSP
//! forbids it).

pub mod assets;
pub mod csrf;
pub mod error;
pub mod form;
pub mod format;
pub mod layout;
mod pages;
pub mod session;
mod view;

use actix_web::web;
use chrono::Duration;

/// What the pages need besides the use cases.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted proxy).
    pub trust_forwarded: bool,
    /// How long a sign-in lasts.
    pub session_ttl: Duration,
    /// The address parents' links are printed with (`https://vsoko.city.ru`); `None`: the
    /// address the head's browser used.
    pub public_url: Option<String>,
}

/// Registers every page. Expects `web::Data<vsoko_app::App>` and `web::Data<WebConfig>` as app
/// data, and [`error::render_error_pages`] around the whole application.
pub fn configure(config: &mut web::ServiceConfig) {
    pages::configure(config);
}

/// The answer to a path no page or endpoint has: the Russian 404 page.
pub async fn not_found() -> Result<actix_web::HttpResponse, error::PageError> {
    Err(error::PageError::NotFound)
}

pub use vsoko_http::client_address;
