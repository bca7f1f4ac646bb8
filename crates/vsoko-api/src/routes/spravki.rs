//! Saved справки: a справка saved as a numbered, dated document with the methodist's edits, its
//! numbers frozen; listed per period; read as JSON or as the Word file it was saved as.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get, post};
use vsoko_app::reports::ReportOf;
use vsoko_app::spravka::{SpravkaEdits, SpravkaRequest};
use vsoko_domain::KindergartenId;

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::spravki::{
    SaveSpravkaRequest, SavedFormat, SavedSpravkaDto, SavedSpravkaQuery, SavedSpravkiQuery,
};
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// The saved справки the caller may read (the department: the network's; a head: her
/// kindergarten's), of one period when asked, newest first.
#[utoipa::path(
    tag = "spravki",
    security(("bearer" = [])),
    params(SavedSpravkiQuery),
    responses(
        (status = 200, description = "Saved справки", body = Vec<SavedSpravkaDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/spravki")]
pub(crate) async fn list(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<SavedSpravkiQuery>,
) -> ApiResult<HttpResponse> {
    let saved = state
        .app
        .saved_spravki(
            &caller.principal,
            query.period.as_deref().filter(|code| !code.is_empty()),
        )
        .await?;
    Ok(HttpResponse::Ok().json(saved.iter().map(SavedSpravkaDto::from).collect::<Vec<_>>()))
}

/// Saves a справка as a numbered, dated document (whoever may read it), with the edits given.
#[utoipa::path(
    tag = "spravki",
    security(("bearer" = [])),
    request_body = SaveSpravkaRequest,
    responses(
        (status = 201, description = "Saved", body = SavedSpravkaDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/spravki")]
pub(crate) async fn save(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<SaveSpravkaRequest>,
) -> ApiResult<HttpResponse> {
    let request = SpravkaRequest {
        of: match body.kindergarten_id {
            Some(id) => ReportOf::Kindergarten(KindergartenId::new(id)),
            None => ReportOf::Network,
        },
        instrument: body.instrument.clone(),
        period: body.period.clone(),
        compare_period: body.compare_period.clone().filter(|code| !code.is_empty()),
    };
    let edits = SpravkaEdits {
        conclusions: body.conclusions.as_ref().map(|lines| lines.join("\n")),
        recommendations: body.recommendations.as_ref().map(|lines| lines.join("\n")),
        omit: body.omit.clone(),
    };
    let saved = state
        .app
        .save_spravka(&caller.principal, &request, &edits)
        .await?;
    Ok(HttpResponse::Created().json(SavedSpravkaDto::from(&saved.stored)))
}

/// One saved справка: its record, or with format=docx the Word file as it was saved.
#[utoipa::path(
    tag = "spravki",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Saved справка id"), SavedSpravkaQuery),
    responses(
        (status = 200, description = "The saved справка, or its Word file", body = SavedSpravkaDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/spravki/{id}")]
pub(crate) async fn show(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<SavedSpravkaQuery>,
) -> ApiResult<HttpResponse> {
    let saved = state.app.saved_spravka(&caller.principal, *id).await?;
    match query.format.unwrap_or(SavedFormat::Json) {
        SavedFormat::Json => Ok(HttpResponse::Ok().json(SavedSpravkaDto::from(&saved.stored))),
        SavedFormat::Docx => super::plan::docx(&saved.document),
    }
}
