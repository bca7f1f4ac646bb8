//! The OpenAPI 3.1 document: general information here, paths and schemas collected from the
//! registered handlers by utoipa-actix-web. Committed at `openapi/openapi.json`; regenerate with
//! `cargo run -- openapi > openapi/openapi.json`.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::dto::lists::StaffListCode;
use crate::dto::problem::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "vsoko",
        description = "ВСОКО: внутренняя система оценки качества образования для сети детских садов. \
            Teachers submit surveys, heads submit control cards, managers read reports.",
        license(name = "MIT", identifier = "MIT")
    ),
    // Schemas named only by path parameters, which the handlers do not collect.
    components(schemas(Problem, FieldError, StaffListCode)),
    modifiers(&BearerAuth),
    tags(
        (name = "probes", description = "Liveness and readiness"),
        (name = "auth", description = "Login and logout"),
        (name = "users", description = "Accounts"),
        (name = "kindergartens", description = "Kindergartens, groups, staff"),
        (name = "periods", description = "Assessment periods"),
        (name = "instruments", description = "Surveys, control cards, indicator sets"),
        (name = "submissions", description = "Filled forms and their scores"),
        (name = "reports", description = "Teacher, kindergarten and network reports"),
        (name = "imports", description = "File import (Google Forms, Yandex Forms, Excel) and raw-data export"),
        (name = "survey-links", description = "Links to anonymous questionnaires (parents), opened by heads"),
        (name = "public", description = "The questionnaire behind a link, answered without an account"),
        (name = "training", description = "Training records (КПК, переподготовка, семинары), coverage and the network's targets"),
        (name = "routes", description = "Individual routes of professional development (ИОМ)"),
        (name = "strengths", description = "The network's strengths matrix and the mentoring pairs it proposes"),
        (name = "cycle", description = "The management cycle: addressed recommendations, management decisions, their effect, the register"),
        (name = "spravki", description = "Saved справки: numbered, dated documents whose numbers do not change after saving"),
        (name = "plan", description = "The network's calendar plan of professional development: proposal, edits, agreements, attendance, calendars"),
        (name = "lists", description = "Lists of people for professional development: motivated, tutors, needs training, consultation"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Token from POST /api/v1/auth/login"))
                    .build(),
            ),
        );
    }
}

/// The base document (info, shared components) before paths are collected.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The full document, as served at `/api-docs/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .configure(crate::routes::configure)
        .split_for_parts();
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the OpenAPI document always serialises");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    /// Every period code the API takes is described by the domain's own rule: utoipa wants the
    /// pattern as a literal on each field, so this holds the literals to `PeriodCode::PATTERN`.
    #[test]
    fn every_period_code_has_the_domain_pattern() {
        let document: serde_json::Value =
            serde_json::from_str(&super::document_json()).expect("the document is JSON");
        let mut found = Vec::new();
        let mut walk = vec![(String::new(), &document)];
        while let Some((name, value)) = walk.pop() {
            match value {
                serde_json::Value::Object(map) => {
                    // A parameter names itself; a property is named by its key.
                    let name = map
                        .get("name")
                        .and_then(|name| name.as_str())
                        .map_or(name, str::to_owned);
                    if matches!(name.as_str(), "period" | "compare_period")
                        && let Some(pattern) = map
                            .get("schema")
                            .unwrap_or(value)
                            .get("pattern")
                            .and_then(|pattern| pattern.as_str())
                    {
                        found.push(pattern.to_owned());
                    }
                    walk.extend(map.iter().map(|(key, child)| (key.clone(), child)));
                }
                serde_json::Value::Array(items) => {
                    walk.extend(items.iter().map(|child| (name.clone(), child)));
                }
                _ => {}
            }
        }
        assert!(found.len() >= 10, "{found:?}");
        for pattern in found {
            assert_eq!(pattern, vsoko_domain::PeriodCode::PATTERN);
        }
    }
}
