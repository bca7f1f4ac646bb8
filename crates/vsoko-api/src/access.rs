//! What every request leaves behind: its tracing span (the context of anything logged while it
//! runs), one access event when it is answered, and its count and time in the metrics.
//!
//! Neither the span nor the event holds the request's path or query, only the route template
//! (`/api/v1/public/surveys/{token}`), so no token, id or answer of a URL reaches the logs; no
//! header or body is logged at all.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpMessage, HttpRequest};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use vsoko_http::RequestUser;

use crate::metrics::Metrics;

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

/// The span of a request: its id, method and route template, and the account once it is known
/// (`vsoko_http::note_user`).
#[derive(Debug)]
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().copied();
        tracing::info_span!(
            "request",
            request_id = request_id.map(tracing::field::display),
            method = %request.method(),
            route = request.match_pattern().as_deref().unwrap_or(UNMATCHED),
            user_id = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(_span: Span, _outcome: &Result<ServiceResponse<B>, Error>) {
        // The access event is written by `observe`, which knows how long the request took.
    }
}

/// Runs a request and records it: the access event (target `vsoko::access`) and the metrics.
/// Called from a `wrap_fn` inside the tracing span.
pub(crate) fn observe<S, B>(
    metrics: Arc<Metrics>,
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    let started = Instant::now();
    // For an error that comes back instead of a response (the request is not cloned: routing
    // needs it unshared).
    let route = request.match_pattern();
    let method = request.method().clone();
    let response = service.call(request);
    async move {
        let response = response.await;
        answered(&metrics, (route.as_deref(), &method), started, response)
    }
}

fn answered<B>(
    metrics: &Metrics,
    (route, method): (Option<&str>, &Method),
    started: Instant,
    response: Result<ServiceResponse<B>, Error>,
) -> Result<ServiceResponse<B>, Error> {
    let elapsed = started.elapsed();
    match &response {
        Ok(answered) => record(metrics, answered.request(), answered.status(), elapsed),
        // An error no inner layer turned into a response: actix answers it with its status.
        Err(error) => {
            let status = error.as_response_error().status_code().as_u16();
            let route = route.unwrap_or(UNMATCHED);
            metrics.request(route, method.as_str(), status, elapsed);
            tracing::info!(
                target: "vsoko::access",
                method = method.as_str(),
                route,
                status,
                duration_ms = elapsed.as_secs_f64() * 1000.0,
                "request"
            );
        }
    }
    response
}

fn record(metrics: &Metrics, request: &HttpRequest, status: StatusCode, elapsed: Duration) {
    let route = request.match_pattern();
    let route = route.as_deref().unwrap_or(UNMATCHED);
    let method = request.method().as_str();
    let status = status.as_u16();
    let extensions = request.extensions();
    let user_id = extensions.get::<RequestUser>().map(|user| user.0.get());
    let request_id = extensions.get::<RequestId>().map(ToString::to_string);
    metrics.request(route, method, status, elapsed);
    tracing::info!(
        target: "vsoko::access",
        request_id = request_id.as_deref(),
        method,
        route,
        status,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        user_id,
        "request"
    );
}
