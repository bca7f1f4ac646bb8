//! The stylesheet and the script of the pages, embedded in the binary (no CDN, no build step):
//! served at `/static/<name>?v=<hash>` and cached for a year, the hash changing with the content.

use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::PageError;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: [Asset; 2] = [
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/app.js"),
    },
];

/// A short hash of every asset's content: part of their URLs, so a new release is fetched at
/// once and an unchanged one is never fetched twice. Derived from the binary's own content.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hasher = Sha256::new();
        for asset in &ASSETS {
            hasher.update(asset.body.as_bytes());
        }
        hasher.finalize()[..6]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    })
}

/// `GET /static/{name}`.
pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let asset = ASSETS
        .iter()
        .find(|asset| asset.name == name.as_str())
        .ok_or(PageError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .body(asset.body))
}
