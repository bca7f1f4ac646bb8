//! Probes: `/healthz` (the process answers) and `/readyz` (the database answers).

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get};

use crate::dto::health::Health;
use crate::dto::problem::Problem;
use crate::state::AppState;

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Liveness: the process is up and serving requests.
#[utoipa::path(tag = "probes", responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: the database answers. 503 with `Retry-After` while it does not; the server
/// reconnects by itself.
#[utoipa::path(tag = "probes", responses(
    (status = 200, description = "Ready", body = Health),
    (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json",
        headers(("Retry-After" = u32, description = "Seconds to wait before asking again"))),
))]
#[get("/readyz")]
pub(crate) async fn readyz(state: Data<AppState>) -> HttpResponse {
    // A probe wants its answer quickly: a database that does not answer within the timeout is
    // not ready, however long a request would wait for it.
    let ping = tokio::time::timeout(READY_TIMEOUT, state.app.ping()).await;
    match ping {
        Ok(Ok(())) => HttpResponse::Ok().json(Health {
            status: "ok".into(),
        }),
        failed => {
            match failed {
                Ok(Err(error)) => tracing::warn!(error = %error, "readiness check failed"),
                _ => tracing::warn!("readiness check failed: the database did not answer in time"),
            }
            HttpResponse::ServiceUnavailable()
                .content_type("application/problem+json")
                .insert_header((actix_web::http::header::RETRY_AFTER, "5"))
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
