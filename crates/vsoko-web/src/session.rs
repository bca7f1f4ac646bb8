//! The cookie session of the pages. Signing in issues a token of the same kind as the API's
//! bearer tokens (random, only its SHA-256 stored, expiring, revoked at sign-out, throttled like
//! every login); the cookie carries it: `HttpOnly`, `SameSite=Lax`, `Secure` when the server is
//! reached over HTTPS. Nothing of a session is kept in the server's memory, so any number of
//! servers over one database serve the same sessions.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use vsoko_app::accounts::AccountView;
use vsoko_app::{App, AppError, Principal};

use crate::WebConfig;
use crate::error::PageError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "vsoko_session";

/// A signed-in caller of a page, with the account's person and kindergarten for the header.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Who is asking.
    pub principal: Principal,
    /// The session token (for sign-out, and the CSRF token derived from it).
    pub token: String,
    /// The account with its person and kindergarten.
    pub account: AccountView,
}

pub use vsoko_http::{RequestUser, note_user};

/// The session token a request carries, if any.
pub fn session_token(request: &HttpRequest) -> Option<String> {
    request
        .cookie(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| !token.is_empty())
}

/// Where to come back after signing in: the page asked for, when it was a plain GET.
fn return_path(request: &HttpRequest) -> Option<String> {
    (request.method() == Method::GET).then(|| request.uri().to_string())
}

impl FromRequest for Viewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Viewer, PageError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = session_token(request);
        let app = request.app_data::<web::Data<App>>().cloned();
        let next = return_path(request);
        let request = request.clone();
        Box::pin(async move {
            let sign_in = || PageError::SignIn { next: next.clone() };
            let token = token.ok_or_else(sign_in)?;
            let app =
                app.ok_or_else(|| PageError::internal("the application is not configured"))?;
            let principal = match app.principal(&token, Utc::now()).await {
                Ok(principal) => principal,
                Err(AppError::Unauthorized(_)) => return Err(sign_in()),
                Err(other) => return Err(other.into()),
            };
            note_user(&request, principal.user.id);
            let account = app.account(&principal).await?;
            Ok(Viewer {
                principal,
                token,
                account,
            })
        })
    }
}

/// The session cookie holding `token`, for as long as the session lasts.
pub fn session_cookie(token: &str, config: &WebConfig) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(CookieDuration::seconds(config.session_ttl.num_seconds()))
        .finish()
}

/// The cookie that removes the session cookie.
pub fn cleared_cookie(config: &WebConfig) -> Cookie<'static> {
    let mut cookie = session_cookie("", config);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secure: bool) -> WebConfig {
        WebConfig {
            secure_cookies: secure,
            trust_forwarded: false,
            session_ttl: chrono::Duration::hours(12),
            public_url: None,
        }
    }

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_over_tls() {
        let plain = session_cookie("abc", &config(false)).to_string();
        assert!(plain.contains("HttpOnly"), "{plain}");
        assert!(plain.contains("SameSite=Lax"), "{plain}");
        assert!(plain.contains("Path=/"), "{plain}");
        assert!(plain.contains("Max-Age=43200"), "{plain}");
        assert!(!plain.contains("Secure"), "{plain}");
        let secure = session_cookie("abc", &config(true)).to_string();
        assert!(secure.contains("Secure"), "{secure}");
    }

    #[test]
    fn signing_out_removes_the_cookie() {
        let removal = cleared_cookie(&config(false)).to_string();
        assert!(removal.starts_with("vsoko_session=;"), "{removal}");
        assert!(removal.contains("Max-Age=0"), "{removal}");
    }

    #[test]
    fn only_a_get_is_returned_to_after_signing_in() {
        let get = actix_web::test::TestRequest::get()
            .uri("/forms?period=2025-05")
            .to_http_request();
        assert_eq!(return_path(&get).as_deref(), Some("/forms?period=2025-05"));
        let post = actix_web::test::TestRequest::post()
            .uri("/forms/dc-teacher/2025-05")
            .to_http_request();
        assert_eq!(return_path(&post), None);
    }
}
