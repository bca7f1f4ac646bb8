//! 405 for a known path asked with a method it does not have, naming the allowed ones; 404 for a
//! path that is not there. The paths and their methods are those of the OpenAPI document, so the
//! answer can never disagree with the contract.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use crate::error::ApiError;

/// Every documented path template (`/api/v1/submissions/{id}`) with its methods.
#[derive(Debug, Clone, Default)]
pub struct KnownPaths {
    paths: Vec<(Vec<String>, Vec<String>)>,
}

impl KnownPaths {
    /// The paths of the OpenAPI document.
    pub fn of_document() -> KnownPaths {
        let document = crate::openapi::document();
        let mut paths = Vec::new();
        for (template, item) in document.paths.paths {
            let methods: BTreeMap<&str, bool> = [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ]
            .into_iter()
            .collect();
            let mut allowed: Vec<String> = methods
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(method, _)| method.to_owned())
                .collect();
            if allowed.iter().any(|method| method == "GET") {
                allowed.push("HEAD".to_owned());
            }
            allowed.sort();
            paths.push((segments(&template), allowed));
        }
        KnownPaths { paths }
    }

    /// The methods of the template `path` matches, if one does.
    fn allowed(&self, path: &str) -> Option<&[String]> {
        let asked = segments(path);
        self.paths
            .iter()
            .find(|(template, _)| {
                template.len() == asked.len()
                    && template.iter().zip(&asked).all(|(expected, segment)| {
                        (expected.starts_with('{') && !segment.is_empty()) || expected == segment
                    })
            })
            .map(|(_, allowed)| allowed.as_slice())
    }

    /// Whether the path is one of the document's (whatever the method).
    pub fn knows(&self, path: &str) -> bool {
        self.allowed(path).is_some()
    }

    /// The answer to a request no route took.
    pub fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        match self.allowed(request.path()) {
            Some(allowed) => Ok(HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, allowed.join(", ")))
                .content_type("application/problem+json")
                .json(
                    ApiError::MethodNotAllowed(format!(
                        "{} is not allowed here; allowed: {}",
                        request.method(),
                        allowed.join(", ")
                    ))
                    .problem(),
                )),
            None => Err(ApiError::NotFound("resource".into())),
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}
