//! Cross-site request forgery protection: every state-changing form carries a token
//! (`_csrf`) that another site cannot know, and [`PostedForm`] — the only way a page handler
//! reads a posted form — refuses a form without the right one.
//!
//! * Signed in: the token is derived from the session token (SHA-256 under a fixed label), so it
//!   needs no storage, changes with every sign-in and cannot be computed without the session
//!   cookie, which is `HttpOnly`.
//! * Not signed in (the sign-in form, the parents' questionnaire): a random token in a
//!   `SameSite=Strict` cookie, repeated in the form (the double-submit pattern).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::WebConfig;
use crate::error::PageError;
use crate::session::session_token as session_cookie_token;

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";
/// The cookie of the token of forms shown without a session.
pub const COOKIE: &str = "vsoko_csrf";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The token of a session's forms.
pub fn session_token(session: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"vsoko csrf\0");
    hasher.update(session.as_bytes());
    hex(&hasher.finalize())
}

/// The token a request's forms must carry, if it can have one: derived from its session cookie,
/// or the value of its CSRF cookie.
fn expected(request: &HttpRequest) -> Option<String> {
    match session_cookie_token(request) {
        Some(session) => Some(session_token(&session)),
        None => request
            .cookie(COOKIE)
            .map(|cookie| cookie.value().to_owned())
            .filter(|value| value.len() == 32),
    }
}

/// Equal strings, compared in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// The token for a form shown to a request, and the cookie to set when the request had none
/// (forms shown without a session).
pub fn token_for(request: &HttpRequest, config: &WebConfig) -> (String, Option<Cookie<'static>>) {
    if let Some(token) = expected(request) {
        return (token, None);
    }
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let cookie = Cookie::build(COOKIE, token.clone())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.secure_cookies)
        .finish();
    (token, Some(cookie))
}

/// A posted form whose CSRF token was checked: every field, in order.
#[derive(Debug, Clone)]
pub struct PostedForm {
    fields: Vec<(String, String)>,
}

impl PostedForm {
    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A field's value, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// Every field.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Checks a form's fields against the token the request must carry.
    pub fn check(
        request: &HttpRequest,
        fields: Vec<(String, String)>,
    ) -> Result<PostedForm, PageError> {
        let given = fields
            .iter()
            .find(|(key, _)| key == FIELD)
            .map(|(_, value)| value.as_str());
        match (expected(request), given) {
            (Some(expected), Some(given)) if same(&expected, given) => Ok(PostedForm { fields }),
            _ => Err(PageError::Csrf),
        }
    }
}

impl FromRequest for PostedForm {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<PostedForm, PageError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Vec<(String, String)>>::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let fields = form
                .await
                .map_err(|error| PageError::BadRequest(error.to_string()))?
                .into_inner();
            PostedForm::check(&request, fields)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn config() -> WebConfig {
        WebConfig {
            secure_cookies: false,
            trust_forwarded: false,
            session_ttl: chrono::Duration::hours(1),
            public_url: None,
        }
    }

    fn fields(token: &str) -> Vec<(String, String)> {
        vec![
            (FIELD.to_owned(), token.to_owned()),
            ("a.A1".to_owned(), "3".to_owned()),
        ]
    }

    #[test]
    fn a_session_token_is_derived_from_the_session_and_differs_between_sessions() {
        let one = session_token("session-one");
        assert_eq!(one, session_token("session-one"));
        assert_ne!(one, session_token("session-two"));
        assert_eq!(one.len(), 64);
        assert!(!one.contains("session"));
    }

    #[test]
    fn a_signed_in_form_needs_the_token_of_its_session() {
        let request = TestRequest::post()
            .cookie(Cookie::new(crate::session::SESSION_COOKIE, "s3cret"))
            .to_http_request();
        let good = session_token("s3cret");
        assert!(PostedForm::check(&request, fields(&good)).is_ok());
        assert!(matches!(
            PostedForm::check(&request, fields(&session_token("other"))),
            Err(PageError::Csrf)
        ));
        assert!(matches!(
            PostedForm::check(&request, vec![("a.A1".into(), "3".into())]),
            Err(PageError::Csrf)
        ));
    }

    #[test]
    fn a_form_without_a_session_needs_its_cookie_repeated() {
        let fresh = TestRequest::get().to_http_request();
        let (token, cookie) = token_for(&fresh, &config());
        let cookie = cookie.expect("a request without the cookie gets one");
        assert_eq!(cookie.value(), token);
        assert_eq!(cookie.same_site(), Some(SameSite::Strict));
        assert_eq!(cookie.http_only(), Some(true));

        let back = TestRequest::post()
            .cookie(Cookie::new(COOKIE, token.clone()))
            .to_http_request();
        assert_eq!(token_for(&back, &config()), (token.clone(), None));
        assert!(PostedForm::check(&back, fields(&token)).is_ok());
        // Another site can make the browser post, but cannot read or set the cookie's value.
        let forged = TestRequest::post().to_http_request();
        assert!(matches!(
            PostedForm::check(&forged, fields(&token)),
            Err(PageError::Csrf)
        ));
    }

    #[test]
    fn comparison_needs_equal_length_and_content() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
