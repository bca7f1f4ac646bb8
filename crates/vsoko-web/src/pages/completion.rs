//! «Кто заполнил анкету»: a kindergarten's staff by their state with each survey of a period,
//! and the same counted per kindergarten for the department — printable lists.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::App;
use vsoko_app::completion::FillState;
use vsoko_domain::Period;

use crate::error::PageError;
use crate::format;
use crate::format::period_text;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::{Choice, period_choices};
use crate::view::completion::counts_text;
use crate::view::html;
use vsoko_domain::KindergartenId;

#[derive(Deserialize)]
pub(crate) struct CompletionQuery {
    period: Option<String>,
}

/// A state as a cell shows it.
pub(crate) struct StateCell {
    pub label: &'static str,
    pub class: &'static str,
}

fn cell(state: FillState) -> StateCell {
    StateCell {
        label: state.label_ru(),
        class: match state {
            FillState::Sent => "state-done",
            FillState::Draft => "state-draft",
            FillState::NotStarted => "state-new",
        },
    }
}

struct PersonRow {
    name: String,
    position: String,
    states: Vec<StateCell>,
}

#[derive(Template)]
#[template(path = "completion.html")]
struct KindergartenPage {
    layout: Layout,
    heading: String,
    periods: Vec<Choice>,
    period: String,
    surveys: Vec<String>,
    totals: Vec<String>,
    people: Vec<PersonRow>,
}

async fn period_of(
    app: &App,
    viewer: &Viewer,
    asked: Option<&str>,
) -> Result<(Vec<Period>, Period), PageError> {
    let periods = app.periods(&viewer.principal).await?;
    let period = match app.completion_period(&viewer.principal, asked).await {
        Ok(Some(period)) => period,
        Ok(None) => return Err(PageError::NotFound),
        // An unknown period in the address: the current one.
        Err(vsoko_app::AppError::Invalid { .. }) => app
            .completion_period(&viewer.principal, None)
            .await?
            .ok_or(PageError::NotFound)?,
        Err(other) => return Err(other.into()),
    };
    Ok((periods, period))
}

/// `GET /kindergartens/{id}/completion`: who has sent, saved or not started each survey.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<CompletionQuery>,
) -> Result<HttpResponse, PageError> {
    let (periods, period) = period_of(&app, &viewer, query.period.as_deref()).await?;
    let completion = app
        .kindergarten_completion(
            &viewer.principal,
            KindergartenId::new(path.into_inner()),
            &period,
        )
        .await?;
    let section = match viewer.principal.workplace() {
        vsoko_app::Workplace::Kindergarten(_) => "staff",
        _ => "network-completion",
    };
    html(&KindergartenPage {
        layout: Layout::signed_in(&viewer, "Кто заполнил анкеты", section),
        heading: format!(
            "{}: кто заполнил анкеты",
            completion.kindergarten.short_name
        ),
        periods: period_choices(&periods, Some(&period)),
        period: period_text(&period),
        surveys: completion
            .surveys
            .iter()
            .map(|survey| survey.title.clone())
            .collect(),
        totals: completion.counts.iter().map(counts_text).collect(),
        people: completion
            .people
            .iter()
            .map(|row| PersonRow {
                name: row.person.full_name.clone(),
                position: row.person.position.clone(),
                states: row.states.iter().copied().map(cell).collect(),
            })
            .collect(),
    })
}

struct KindergartenRow {
    name: String,
    href: String,
    counts: Vec<String>,
}

#[derive(Template)]
#[template(path = "completion_network.html")]
struct NetworkPage {
    layout: Layout,
    periods: Vec<Choice>,
    period: String,
    surveys: Vec<String>,
    totals: Vec<String>,
    rows: Vec<KindergartenRow>,
}

/// `GET /network/completion`: each kindergarten's completion of each survey.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<CompletionQuery>,
) -> Result<HttpResponse, PageError> {
    let (periods, period) = period_of(&app, &viewer, query.period.as_deref()).await?;
    let completion = app.network_completion(&viewer.principal, &period).await?;
    html(&NetworkPage {
        layout: Layout::signed_in(&viewer, "Заполнение анкет по сети", "network-completion"),
        periods: period_choices(&periods, Some(&period)),
        period: period_text(&period),
        surveys: completion
            .surveys
            .iter()
            .map(|survey| survey.title.clone())
            .collect(),
        totals: completion.counts.iter().map(counts_text).collect(),
        rows: completion
            .kindergartens
            .iter()
            .map(|(kindergarten, counts)| KindergartenRow {
                name: kindergarten.short_name.clone(),
                href: format!(
                    "/kindergartens/{}/completion?period={}",
                    kindergarten.id,
                    format::url_encode(&period.code)
                ),
                counts: counts.iter().map(counts_text).collect(),
            })
            .collect(),
    })
}
