//! The security headers of every response.
//!
//! * `Content-Security-Policy`: everything from this server only, no inline script anywhere, no
//!   framing, no plug-ins; images may be `data:` URLs. The Swagger UI at `/docs` draws with inline
//!   `style` attributes, so its pages alone also allow inline styles.
//! * `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
//! * `Strict-Transport-Security` when the server is reached over TLS (`--behind-tls`).

use actix_web::http::header::{self, HeaderMap, HeaderValue};

/// The policy of every page but the Swagger UI.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The policy of the Swagger UI (`/docs`): the same, with inline styles.
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Adds the security headers to a response's headers.
pub fn secure(headers: &mut HeaderMap, docs: bool, behind_tls: bool) {
    let policy = if docs {
        DOCS_CONTENT_SECURITY_POLICY
    } else {
        CONTENT_SECURITY_POLICY
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if behind_tls {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}
