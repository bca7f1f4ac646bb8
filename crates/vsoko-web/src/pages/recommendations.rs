//! The management cycle's pages: the register of addressed recommendations with its filters,
//! counts and the effect of training; a new recommendation prefilled from a deficit; one
//! recommendation with the head's answer and the decisions. Who may do what is the use case's
//! (`vsoko_app::cycle`).

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::cycle::{
    ADDRESSEES, DECISION_KINDS, DecisionForm, EFFECTS, Numbers, RecommendationForm,
    RecommendationLine, RecommendationState, RegisterFilter, register_document, register_sheets,
};
use vsoko_app::{App, AppError, today};
use vsoko_domain::KindergartenId;

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::{html, html_status, see_other};

fn section(viewer: &Viewer) -> &'static str {
    match viewer.principal.workplace() {
        vsoko_app::Workplace::Network => "network-recommendations",
        _ => "recommendations",
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(
        || "недостаточно данных".to_owned(),
        vsoko_app::words::percent,
    )
}

fn choices(all: &[(&str, &str)], selected: &str, empty: Option<&str>) -> Vec<Choice> {
    let mut list = Vec::new();
    if let Some(label) = empty {
        list.push(Choice {
            value: String::new(),
            label: label.to_owned(),
            selected: selected.is_empty(),
        });
    }
    list.extend(all.iter().map(|(value, label)| Choice {
        value: (*value).to_owned(),
        label: (*label).to_owned(),
        selected: *value == selected,
    }));
    list
}

struct Line {
    id: i64,
    subject: String,
    node: String,
    text: String,
    addressee: &'static str,
    responsible: String,
    due: String,
    state: &'static str,
    effect: String,
}

fn effect_text(line: &RecommendationLine) -> String {
    match &line.next_period {
        Some(period) => format!(
            "{} ({} → {}, {period})",
            line.effect.label(),
            percent(line.numbers.score),
            percent(line.after)
        ),
        None => "нет данных: следующего периода с результатом ещё нет".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    by_state: String,
    by_effect: String,
    kindergartens: Vec<Choice>,
    states: Vec<Choice>,
    effects: Vec<Choice>,
    lines: Vec<Line>,
    filtered: bool,
    may_create: bool,
    training: Vec<vsoko_app::cycle::TrainingSection>,
}

/// The register's filter, as asked.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct RegisterQuery {
    kindergarten: Option<String>,
    state: Option<String>,
    effect: Option<String>,
    format: Option<String>,
}

impl RegisterQuery {
    fn filter(&self) -> RegisterFilter {
        RegisterFilter {
            kindergarten: self
                .kindergarten
                .as_deref()
                .and_then(|text| text.parse().ok())
                .map(KindergartenId::new),
            state: self.state.as_deref().and_then(RecommendationState::parse),
            effect: self.effect.clone().filter(|code| !code.is_empty()),
        }
    }
}

/// `GET /recommendations`.
pub(crate) async fn register(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<RegisterQuery>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let filter = query.filter();
    let register = app.register(&viewer.principal, &filter, today()).await?;
    let counts = |pairs: Vec<(&str, usize)>| {
        pairs
            .into_iter()
            .map(|(label, n)| format!("{label} — {n}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let selected_unit = filter
        .kindergarten
        .map(|id| id.to_string())
        .unwrap_or_default();
    let mut kindergartens = Vec::new();
    if register.kindergartens.len() > 1 {
        kindergartens.push(Choice {
            value: String::new(),
            label: "все".to_owned(),
            selected: selected_unit.is_empty(),
        });
        kindergartens.extend(register.kindergartens.iter().map(|unit| Choice {
            value: unit.id.to_string(),
            label: unit.short_name.clone(),
            selected: unit.id.to_string() == selected_unit,
        }));
    }
    let states: Vec<(&str, &str)> = RecommendationState::ALL
        .iter()
        .map(|state| (state.code(), state.label()))
        .collect();
    let effects: Vec<(&str, &str)> = EFFECTS
        .iter()
        .map(|effect| (effect.code(), effect.label()))
        .collect();
    html(&RegisterPage {
        layout: Layout::signed_in(&viewer, "Рекомендации и решения", section(&viewer))
            .with_notice(done.notice()),
        by_state: counts(
            register
                .by_state
                .iter()
                .map(|(state, n)| (state.label(), *n))
                .collect(),
        ),
        by_effect: counts(
            register
                .by_effect
                .iter()
                .map(|(effect, n)| (effect.label(), *n))
                .collect(),
        ),
        kindergartens,
        states: choices(
            &states,
            filter.state.map(|state| state.code()).unwrap_or_default(),
            Some("все"),
        ),
        effects: choices(
            &effects,
            filter.effect.as_deref().unwrap_or_default(),
            Some("все"),
        ),
        filtered: filter.kindergarten.is_some()
            || filter.state.is_some()
            || filter.effect.is_some(),
        may_create: register.may_create,
        lines: register
            .lines
            .iter()
            .map(|line| Line {
                id: line.stored.id,
                subject: line.numbers.subject.clone(),
                node: format!("{} «{}»", line.numbers.node.0, line.numbers.node.1),
                text: line.stored.text.clone(),
                addressee: line.addressee,
                responsible: line.stored.responsible.clone(),
                due: line.due.clone(),
                state: line.state.label(),
                effect: effect_text(line),
            })
            .collect(),
        training: register.training,
    })
}

/// `GET /recommendations/file?format=xlsx|docx`.
pub(crate) async fn file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<RegisterQuery>,
) -> Result<HttpResponse, PageError> {
    let register = app
        .register(&viewer.principal, &query.filter(), today())
        .await?;
    match query.format.as_deref() {
        Some("docx") => {
            let network = app.network(&viewer.principal).await?.name;
            crate::view::docx(&register_document(&register, &network))
        }
        Some("xlsx") => crate::view::xlsx(
            &register_sheets(&register),
            &format!("vsoko-recommendations-{}.xlsx", today()),
        ),
        _ => Err(PageError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "recommendation_new.html")]
struct NewPage {
    layout: Layout,
    errors: FieldErrors,
    values: RecommendationForm,
    numbers: Numbers,
    score: String,
    threshold: String,
    addressees: Vec<Choice>,
}

const FIELDS: [&str; 4] = ["text", "addressee", "responsible", "due_on"];

fn new_page(
    viewer: &Viewer,
    values: RecommendationForm,
    numbers: Numbers,
    errors: FieldErrors,
) -> NewPage {
    NewPage {
        layout: Layout::signed_in(viewer, "Новая рекомендация", section(viewer)),
        errors,
        score: percent(numbers.score),
        threshold: vsoko_app::words::percent(numbers.threshold),
        addressees: choices(&ADDRESSEES, &values.addressee, None),
        numbers,
        values,
    }
}

/// The deficit a new recommendation answers, as the link from the matrix gives it.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DeficitQuery {
    kindergarten: Option<String>,
    person: Option<String>,
    instrument: Option<String>,
    period: Option<String>,
    node: Option<String>,
}

/// `GET /recommendations/new?kindergarten=&person=&instrument=&period=&node=`: the form,
/// prefilled.
pub(crate) async fn new(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<DeficitQuery>,
) -> Result<HttpResponse, PageError> {
    let asked = RecommendationForm {
        kindergarten: query.kindergarten.clone().unwrap_or_default(),
        person: query.person.clone().unwrap_or_default(),
        instrument: query.instrument.clone().unwrap_or_default(),
        period: query.period.clone().unwrap_or_default(),
        node: query.node.clone().unwrap_or_default(),
        ..RecommendationForm::default()
    };
    let (values, numbers) = match app
        .recommendation_draft(&viewer.principal, &asked, today())
        .await
    {
        Err(AppError::Invalid { .. }) => return Err(PageError::NotFound),
        other => other?,
    };
    html(&new_page(&viewer, values, numbers, FieldErrors::default()))
}

fn posted(form: &PostedForm) -> RecommendationForm {
    RecommendationForm {
        kindergarten: form.text("kindergarten"),
        person: form.text("person"),
        instrument: form.text("instrument"),
        node: form.text("node"),
        period: form.text("period"),
        text: form.text("text"),
        addressee: form.text("addressee"),
        responsible: form.text("responsible"),
        due_on: form.text("due_on"),
    }
}

/// `POST /recommendations`.
pub(crate) async fn create(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = posted(&form);
    match app
        .add_recommendation(&viewer.principal, &values, today())
        .await
    {
        Ok(line) => Ok(see_other(&format!(
            "/recommendations/{}?done=recommendation",
            line.stored.id
        ))),
        Err(AppError::Invalid { errors, .. }) => {
            let (_, numbers) = app
                .recommendation_draft(&viewer.principal, &values, today())
                .await
                .map_err(|_| PageError::NotFound)?;
            let placed = FieldErrors::of(&errors, &FIELDS.map(|field| (field, field)));
            html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &new_page(&viewer, values, numbers, placed),
            )
        }
        Err(other) => Err(other.into()),
    }
}

struct LineView {
    id: i64,
    text: String,
    addressee: &'static str,
    responsible: String,
    due: String,
    state: &'static str,
    effect: String,
    answer: Option<String>,
    decisions: Vec<String>,
    may_answer: bool,
    may_decide: bool,
}

#[derive(Template)]
#[template(path = "recommendation.html")]
struct RecommendationPage {
    layout: Layout,
    errors: FieldErrors,
    line: LineView,
    subject: String,
    node: String,
    period: String,
    score: String,
    threshold: String,
    link: String,
    answer_value: String,
    kinds: Vec<Choice>,
    decision: DecisionForm,
}

fn recommendation_page(
    viewer: &Viewer,
    line: &RecommendationLine,
    errors: FieldErrors,
    answer_value: String,
    decision: DecisionForm,
    notice: Option<String>,
) -> RecommendationPage {
    RecommendationPage {
        layout: Layout::signed_in(viewer, "Рекомендация", section(viewer)).with_notice(notice),
        errors,
        subject: line.numbers.subject.clone(),
        node: format!("{} «{}»", line.numbers.node.0, line.numbers.node.1),
        period: line.numbers.period.clone(),
        score: percent(line.numbers.score),
        threshold: vsoko_app::words::percent(line.numbers.threshold),
        link: line.numbers.link.clone(),
        answer_value,
        kinds: choices(&DECISION_KINDS, &decision.kind, None),
        decision,
        line: LineView {
            id: line.stored.id,
            text: line.stored.text.clone(),
            addressee: line.addressee,
            responsible: line.stored.responsible.clone(),
            due: line.due.clone(),
            state: line.state.label(),
            effect: effect_text(line),
            answer: line.stored.answer.as_ref().map(|(text, _, _)| text.clone()),
            decisions: line
                .decisions
                .iter()
                .map(|decision| {
                    let mut text = format!(
                        "{}, {}: {}",
                        decision.kind, decision.at, decision.stored.text
                    );
                    if let Some(order) = &decision.order {
                        text.push_str(&format!(" ({order})"));
                    }
                    text
                })
                .collect(),
            may_answer: line.may_answer,
            may_decide: line.may_decide,
        },
    }
}

/// `GET /recommendations/{id}`.
pub(crate) async fn show(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let line = app
        .recommendation_view(&viewer.principal, path.into_inner(), today())
        .await?;
    html(&recommendation_page(
        &viewer,
        &line,
        FieldErrors::default(),
        String::new(),
        DecisionForm::default(),
        done.notice(),
    ))
}

/// `POST /recommendations/{id}/answer`.
pub(crate) async fn answer(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let text = form.text("answer");
    match app
        .answer_recommendation(&viewer.principal, id, &text, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/recommendations/{id}?done=recommendation-answer"
        ))),
        Err(AppError::Invalid { errors, .. }) => {
            let line = app
                .recommendation_view(&viewer.principal, id, today())
                .await?;
            let placed = FieldErrors::of(&errors, &[("answer", "answer")]);
            html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &recommendation_page(&viewer, &line, placed, text, DecisionForm::default(), None),
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /recommendations/{id}/decisions`.
pub(crate) async fn decide(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let decision = DecisionForm {
        kind: form.text("kind"),
        reference: form.text("reference"),
        order_number: form.text("order_number"),
        order_date: form.text("order_date"),
        text: form.text("text"),
    };
    match app
        .add_decision(&viewer.principal, id, &decision, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/recommendations/{id}?done=recommendation-decision"
        ))),
        Err(AppError::Invalid { errors, .. }) => {
            let line = app
                .recommendation_view(&viewer.principal, id, today())
                .await?;
            let placed = FieldErrors::of(
                &errors,
                &[
                    ("kind", "kind"),
                    ("text", "decision-text"),
                    ("order_number", "order_number"),
                    ("order_date", "order_date"),
                ],
            );
            html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &recommendation_page(&viewer, &line, placed, String::new(), decision, None),
            )
        }
        Err(other) => Err(other.into()),
    }
}
