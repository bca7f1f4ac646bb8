//! Probes: `/healthz` (the process answers) and `/readyz` (the database answers).

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get};

use crate::dto::health::Health;
use crate::dto::problem::Problem;
use crate::state::AppState;

/// Liveness: the process is up and serving requests.
#[utoipa::path(tag = "probes", responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: the database answers.
#[utoipa::path(tag = "probes", responses(
    (status = 200, description = "Ready", body = Health),
    (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub(crate) async fn readyz(state: Data<AppState>) -> HttpResponse {
    match state.app.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(Health {
            status: "ok".into(),
        }),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("application/problem+json")
                .json(Problem {
                    problem_type: "urn:vsoko:problem:not_ready".into(),
                    title: "Service Unavailable".into(),
                    status: 503,
                    code: "not_ready".into(),
                    detail: "the database does not answer".into(),
                    errors: Vec::new(),
                })
        }
    }
}
