//! Filling forms: a teacher's «Мои анкеты», the form page (new, draft, correction), sending, and
//! the page of a sent form with its levels.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::forms::{FormContext, FormTarget, SendOutcome};
use vsoko_app::{App, AppError, FieldError};
use vsoko_checklist::InstrumentKind;
use vsoko_domain::{PeriodStatus, SubjectRef};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::{Action, FormView, parse_posted, subject_value};
use crate::format;
use crate::format::period_text;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::entries::{EntryView, entry_view, home_of, section_of};
use crate::view::form_page::{Already, DateField, FormPage, paragraphs};
use crate::view::scores::{ScoreRow, level_text, result_text, score_rows};
use crate::view::{Done, html, html_status, see_other};
use vsoko_domain::SubmissionId;

#[derive(Template)]
#[template(path = "forms_list.html")]
struct FormsList {
    layout: Layout,
    entries: Vec<EntryView>,
    history: Vec<HistoryRow>,
}

struct HistoryRow {
    title: String,
    period: String,
    sent: String,
    href: String,
}

/// `GET /forms`: the forms open to a teacher, with their state, and what she sent before.
pub(crate) async fn list(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let entries = app.my_forms(&viewer.principal).await?;
    let history = app
        .list_submissions(
            &viewer.principal,
            vsoko_app::submissions::ListRequest {
                page: vsoko_domain::PageRequest {
                    offset: 0,
                    limit: 200,
                },
                ..Default::default()
            },
        )
        .await?;
    let current: Vec<SubmissionId> = entries
        .iter()
        .filter_map(|entry| entry.submission.as_ref().map(|submission| submission.id))
        .collect();
    let mut rows = Vec::new();
    for submission in history.items.iter().rev() {
        if current.contains(&submission.id) {
            continue;
        }
        let instrument = app.instrument_by_id(submission.instrument_id).await?;
        let period = app
            .period_by_id(&viewer.principal, submission.period_id)
            .await?;
        rows.push(HistoryRow {
            title: instrument.instrument.title().to_owned(),
            period: period_text(&period),
            sent: format::datetime(submission.submitted_at),
            href: format!("/submissions/{}", submission.id),
        });
    }
    html(&FormsList {
        layout: Layout::signed_in(&viewer, "Мои анкеты", "forms").with_notice(done.notice()),
        entries: entries.iter().map(entry_view).collect(),
        history: rows,
    })
}

/// Where a form is sent.
fn action_of(target: &FormTarget) -> String {
    match target {
        FormTarget::New {
            instrument, period, ..
        } => format!(
            "/forms/{}/{}",
            format::url_encode(instrument),
            format::url_encode(period)
        ),
        FormTarget::Correction { submission } => format!("/submissions/{submission}/correct"),
    }
}

/// The form page of a context, with the values and errors to show.
async fn form_page(
    app: &App,
    viewer: &Viewer,
    context: &FormContext,
    input: Option<&vsoko_app::forms::FormInput>,
    errors: &[FieldError],
    notice: Option<String>,
) -> Result<FormPage, PageError> {
    let instrument = &context.instrument.instrument;
    let values = input.map_or(&context.values, |input| &input.values);
    let view = FormView::build(instrument, values, errors, true, &context.computed);
    let mut facts = vec![("Период".to_owned(), period_text(&context.period))];
    if let Some(kindergarten) = &context.kindergarten {
        facts.push(("Детский сад".to_owned(), kindergarten.short_name.clone()));
    }
    if let (Some(subject), None) = (context.subject, &context.subject_choices) {
        let label = match subject {
            SubjectRef::Teacher(_) => "Педагог",
            SubjectRef::Group(_) => "Группа",
            SubjectRef::Kindergarten(_) => "О ком",
        };
        if !matches!(subject, SubjectRef::Kindergarten(_)) {
            facts.push((
                label.to_owned(),
                app.subject_label(&viewer.principal, subject).await?,
            ));
        }
    }
    if let Some(earlier) = &context.corrects {
        facts.push((
            "Исправляется".to_owned(),
            format!(
                "редакция {} от {}",
                earlier.revision,
                format::datetime(earlier.submitted_at)
            ),
        ));
        if let Some(date) = earlier.observed_on {
            facts.push(("Дата наблюдения".to_owned(), format::date(date)));
        }
    }
    let chosen = input.and_then(|input| input.subject).or(context.subject);
    let subject_choices = context.subject_choices.as_ref().map(|choices| {
        choices
            .iter()
            .map(|choice| Choice {
                value: subject_value(choice.subject),
                label: choice.label.clone(),
                selected: Some(choice.subject) == chosen,
            })
            .collect()
    });
    let observed_on = context.asks_date().then(|| DateField {
        value: input
            .and_then(|input| input.observed_on.clone())
            .or_else(|| context.observed_on.clone())
            .unwrap_or_else(|| {
                let today = vsoko_app::today();
                if (context.period.starts_on..=context.period.ends_on).contains(&today) {
                    today.format("%Y-%m-%d").to_string()
                } else {
                    String::new()
                }
            }),
        min: context.period.starts_on.format("%Y-%m-%d").to_string(),
        max: context.period.ends_on.format("%Y-%m-%d").to_string(),
        range: format!(
            "с {} по {}",
            format::date(context.period.starts_on),
            format::date(context.period.ends_on)
        ),
    });
    let already = context.submitted.as_ref().map(|submission| Already {
        text: "Эта форма за период уже отправлена; повторно её не заполняют, а исправляют."
            .to_owned(),
        href: format!("/submissions/{}", submission.id),
        label: "Открыть отправленные ответы".to_owned(),
    });
    Ok(FormPage {
        layout: Layout::signed_in(viewer, instrument.title(), section_of(viewer))
            .with_notice(notice),
        heading: match &context.corrects {
            Some(_) => format!("{}: исправление ответов", instrument.title()),
            None => instrument.title().to_owned(),
        },
        facts,
        intro: paragraphs(instrument),
        read_only: context.read_only.clone(),
        already,
        view,
        action: action_of(&context.target),
        idempotency_key: input
            .map(|input| input.idempotency_key.clone())
            .filter(|key| !key.is_empty())
            .unwrap_or_else(|| context.idempotency_key.clone()),
        drafts: true,
        draft_saved: context.draft_saved_at.map(format::datetime),
        subject_choices,
        subject_label: match instrument.subject() {
            vsoko_checklist::Subject::Group => "Группа, в которой проводилось наблюдение",
            _ => "Педагог, у которого проводилось наблюдение",
        },
        observed_on,
        send_label: match (&context.corrects, instrument.kind()) {
            (Some(_), _) => "Сохранить исправление",
            (None, InstrumentKind::ControlCard) => "Сохранить карту",
            (None, _) => "Отправить",
        },
        back: Some(home_of(viewer)),
    })
}

#[derive(Deserialize)]
pub(crate) struct NewFormQuery {
    subject: Option<String>,
    done: Option<String>,
    /// Set by a refused send: the draft is shown with its errors.
    check: Option<String>,
}

/// `GET /forms/{instrument}/{period}`: a new form, resumed from its draft when there is one. A
/// one-answer form already sent opens its answers instead.
pub(crate) async fn show_new(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    query: web::Query<NewFormQuery>,
) -> Result<HttpResponse, PageError> {
    let (instrument, period) = path.into_inner();
    let target = FormTarget::New {
        instrument,
        version: None,
        period,
    };
    let mut context = open(&app, &viewer, &target).await?;
    if let Some(submission) = &context.submitted {
        // One answer a period: what was sent is corrected, not filled again.
        return Ok(see_other(&format!(
            "/submissions/{}?done=already",
            submission.id
        )));
    }
    if context.subject_choices.is_some()
        && let Some(subject) = query
            .subject
            .as_deref()
            .and_then(crate::form::parse_subject)
    {
        context.subject = Some(subject);
    }
    let notice = Done::from(query.done.clone()).notice();
    let errors = match query.check {
        Some(_) => vsoko_app::forms::form_errors(&context),
        None => Vec::new(),
    };
    html(&form_page(&app, &viewer, &context, None, &errors, notice).await?)
}

/// A form's context; a reference the form cannot have (an unknown instrument or period in the
/// address) is «not found», not a form error.
async fn open(app: &App, viewer: &Viewer, target: &FormTarget) -> Result<FormContext, PageError> {
    match app.open_form(&viewer.principal, target).await {
        Ok(context) => Ok(context),
        Err(AppError::Invalid { .. }) => Err(PageError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// Whether the request is the script's autosave (answered without a page): its header, or the
/// field of a save sent with `sendBeacon` as the page is left (a beacon sets no header).
fn autosave(request: &actix_web::HttpRequest, form: &PostedForm) -> bool {
    request.headers().contains_key("x-autosave") || form.get("autosave") == Some("1")
}

/// `POST /forms/{instrument}/{period}`.
pub(crate) async fn post_new(
    app: web::Data<App>,
    viewer: Viewer,
    request: actix_web::HttpRequest,
    path: web::Path<(String, String)>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (instrument, period) = path.into_inner();
    let version = form.get("version").and_then(|text| text.parse().ok());
    let target = FormTarget::New {
        instrument,
        version,
        period,
    };
    post(&app, &viewer, &request, &target, &form).await
}

/// `POST /submissions/{id}/correct`.
pub(crate) async fn post_correction(
    app: web::Data<App>,
    viewer: Viewer,
    request: actix_web::HttpRequest,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let target = FormTarget::Correction {
        submission: SubmissionId::new(path.into_inner()),
    };
    post(&app, &viewer, &request, &target, &form).await
}

#[derive(Deserialize)]
pub(crate) struct CorrectionQuery {
    done: Option<String>,
    /// Set by a refused send: the draft is shown with its errors.
    check: Option<String>,
}

/// `GET /submissions/{id}/correct`.
pub(crate) async fn show_correction(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<CorrectionQuery>,
) -> Result<HttpResponse, PageError> {
    let target = FormTarget::Correction {
        submission: SubmissionId::new(path.into_inner()),
    };
    let context = match app.open_form(&viewer.principal, &target).await {
        Err(AppError::Conflict {
            code: "not_latest_revision",
            ..
        }) => {
            // An older revision: the correction is of the latest one.
            let view = app
                .submission(&viewer.principal, SubmissionId::new(path_id(&target)))
                .await?;
            let history = app
                .submission_history(&viewer.principal, view.detail.submission.id)
                .await?;
            let latest = history
                .last()
                .map_or(view.detail.submission.id, |latest| latest.id);
            return Ok(see_other(&format!("/submissions/{latest}/correct")));
        }
        other => other?,
    };
    let errors = match query.check {
        Some(_) => vsoko_app::forms::form_errors(&context),
        None => Vec::new(),
    };
    let notice = Done::from(query.done.clone()).notice();
    html(&form_page(&app, &viewer, &context, None, &errors, notice).await?)
}

fn path_id(target: &FormTarget) -> i64 {
    match target {
        FormTarget::Correction { submission } => (*submission).get(),
        FormTarget::New { .. } => 0,
    }
}

async fn post(
    app: &App,
    viewer: &Viewer,
    request: &actix_web::HttpRequest,
    target: &FormTarget,
    form: &PostedForm,
) -> Result<HttpResponse, PageError> {
    let (action, input) = parse_posted(form);
    let back_to_form = |done: &str| {
        let base = action_of(target);
        see_other(&format!("{base}?done={done}"))
    };
    let back_to_form_checked = || {
        let base = action_of(target);
        see_other(&format!("{base}?check=1"))
    };
    match action {
        Action::Draft => match app.save_draft(&viewer.principal, target, &input).await {
            Ok(draft) if autosave(request, form) => Ok(HttpResponse::Ok()
                .content_type("text/plain; charset=utf-8")
                .body(format!(
                    "Черновик сохранён {}",
                    format::time(draft.updated_at)
                ))),
            Ok(_) => Ok(back_to_form("draft")),
            Err(error) if autosave(request, form) => {
                let reason = match &error {
                    AppError::Invalid { errors, .. } => errors
                        .first()
                        .map_or_else(String::new, |error| error.message.clone()),
                    AppError::Conflict { detail, .. } => detail.clone(),
                    AppError::Unauthorized(_) => "сеанс завершён, войдите снова".to_owned(),
                    _ => "сервер не ответил, ответы остались на этой странице".to_owned(),
                };
                Ok(HttpResponse::build(PageError::from(error).status_code_of())
                    .content_type("text/plain; charset=utf-8")
                    .body(format!("Черновик не сохранён: {reason}")))
            }
            Err(AppError::Invalid { errors, .. }) => {
                let context = open(app, viewer, target).await?;
                let page = form_page(app, viewer, &context, Some(&input), &errors, None).await?;
                html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            Err(AppError::Conflict {
                code: "already_submitted",
                submission: Some(id),
                ..
            }) => Ok(see_other(&format!("/submissions/{id}?done=already"))),
            Err(other) => Err(other.into()),
        },
        Action::Discard => {
            // What was typed since the last save is kept, so «Отмена» loses nothing.
            if let Err(error) = app.save_draft(&viewer.principal, target, &input).await {
                tracing::info!(%error, "a draft was not saved before asking to delete it");
            }
            Ok(see_other(&format!("{}/discard", action_of(target))))
        }
        Action::Send => match app
            .send_form(&viewer.principal, target, input.clone())
            .await?
        {
            SendOutcome::Stored(view) => {
                let card = view.instrument.kind() == InstrumentKind::ControlCard;
                let done = match (target, view.created, card) {
                    (FormTarget::Correction { .. }, _, _) => "corrected",
                    (_, true, true) => "card",
                    (_, true, false) => "sent",
                    (_, false, _) => "resent",
                };
                Ok(see_other(&format!(
                    "/submissions/{}?done={done}",
                    view.detail.submission.id
                )))
            }
            // The fields are the draft now: the form shows them with their errors, on a page
            // of its own (reloading it or coming back to it sends nothing).
            SendOutcome::Refused { kept: true, .. } => Ok(back_to_form_checked()),
            SendOutcome::Refused {
                errors,
                kept: false,
            } => {
                let context = open(app, viewer, target).await?;
                let page = form_page(app, viewer, &context, Some(&input), &errors, None).await?;
                html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            SendOutcome::AlreadySent { submission, kept } => Ok(see_other(&format!(
                "/submissions/{submission}?done={}",
                if kept { "kept-correction" } else { "already" }
            ))),
            SendOutcome::Superseded { latest, kept } => Ok(see_other(&format!(
                "/submissions/{latest}{}",
                if kept {
                    "/correct?done=superseded"
                } else {
                    "?done=superseded-lost"
                }
            ))),
        },
    }
}

/// The confirmation of deleting a form's draft.
async fn confirm_discard(
    app: &App,
    viewer: &Viewer,
    target: &FormTarget,
) -> Result<HttpResponse, PageError> {
    let context = open(app, viewer, target).await?;
    let form = action_of(target);
    if context.draft_saved_at.is_none() {
        return Ok(see_other(&form));
    }
    let answered = context
        .values
        .values()
        .filter(|field| !field.value.trim().is_empty())
        .count();
    html(&crate::view::confirm::Confirm {
        layout: Layout::signed_in(viewer, "Удаление черновика", section_of(viewer)),
        heading: format!(
            "Удалить черновик «{}»?",
            context.instrument.instrument.title()
        ),
        lines: vec![
            format!(
                "В черновике {} {}; они будут удалены, восстановить их нельзя.",
                answered,
                format::plural(answered, "ответ", "ответа", "ответов")
            ),
            match context.corrects {
                Some(_) => "Отправленные ранее ответы не изменятся.".to_owned(),
                None => "Форму можно будет заполнить заново.".to_owned(),
            },
        ],
        action: format!("{form}/discard"),
        button: "Удалить черновик",
        back: form,
    })
}

/// `GET /forms/{instrument}/{period}/discard`.
pub(crate) async fn confirm_discard_new(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (instrument, period) = path.into_inner();
    let target = FormTarget::New {
        instrument,
        version: None,
        period,
    };
    confirm_discard(&app, &viewer, &target).await
}

/// `POST /forms/{instrument}/{period}/discard`.
pub(crate) async fn discard_new(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(String, String)>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (instrument, period) = path.into_inner();
    let target = FormTarget::New {
        instrument,
        version: None,
        period,
    };
    app.discard_draft(&viewer.principal, &target).await?;
    Ok(see_other(&format!("{}?done=discarded", action_of(&target))))
}

/// `GET /submissions/{id}/correct/discard`.
pub(crate) async fn confirm_discard_correction(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let target = FormTarget::Correction {
        submission: SubmissionId::new(path.into_inner()),
    };
    confirm_discard(&app, &viewer, &target).await
}

/// `POST /submissions/{id}/correct/discard`.
pub(crate) async fn discard_correction(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let target = FormTarget::Correction {
        submission: SubmissionId::new(path.into_inner()),
    };
    app.discard_draft(&viewer.principal, &target).await?;
    Ok(see_other(&format!("{}?done=discarded", action_of(&target))))
}

impl PageError {
    fn status_code_of(&self) -> StatusCode {
        actix_web::ResponseError::status_code(self)
    }
}

#[derive(Template)]
#[template(path = "submission.html")]
struct SubmissionPage {
    layout: Layout,
    heading: String,
    facts: Vec<(String, String)>,
    total_result: String,
    total_level: String,
    critical: Vec<String>,
    rows: Vec<ScoreRow>,
    answers: Vec<(String, String, String)>,
    correct_href: Option<String>,
    closed: Option<String>,
    back: String,
}

/// `GET /submissions/{id}`: a sent form with its total and area levels, its answers, and the way
/// to correct it.
pub(crate) async fn show_submission(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .submission(&viewer.principal, SubmissionId::new(path.into_inner()))
        .await?;
    let instrument = &view.instrument;
    let submission = &view.detail.submission;
    let period = app
        .period_by_id(&viewer.principal, submission.period_id)
        .await?;
    let mut facts = vec![("Период".to_owned(), period_text(&period))];
    if !matches!(submission.subject, SubjectRef::Kindergarten(_)) {
        facts.push((
            match submission.subject {
                SubjectRef::Group(_) => "Группа",
                _ => "Педагог",
            }
            .to_owned(),
            app.subject_label(&viewer.principal, submission.subject)
                .await?,
        ));
    }
    if let Some(date) = submission.observed_on {
        facts.push(("Дата наблюдения".to_owned(), format::date(date)));
    }
    facts.push((
        "Отправлено".to_owned(),
        format::datetime(submission.submitted_at),
    ));
    if submission.revision > 1 {
        facts.push((
            "Редакция".to_owned(),
            format!("{} (ответы исправлялись)", submission.revision),
        ));
    }
    if !submission.is_latest {
        facts.push((
            "Внимание".to_owned(),
            "это прежняя редакция: ответы исправлены позже".to_owned(),
        ));
    }
    let total = view.detail.score.total();
    let critical = view
        .detail
        .score
        .critical_items
        .iter()
        .map(|code| match instrument.item(code) {
            Some(item) => format!("{code}: {}", item.item.text()),
            None => code.clone(),
        })
        .collect();
    let answers = instrument
        .items()
        .map(|item| {
            let answer = view
                .detail
                .answers
                .iter()
                .find(|answer| answer.item == item.item.code().as_str());
            let text = match answer.map(|answer| answer.value) {
                None => "нет ответа".to_owned(),
                Some(vsoko_checklist::AnswerValue::NotApplicable) => {
                    item.scale.na_label().unwrap_or("не применимо").to_owned()
                }
                Some(vsoko_checklist::AnswerValue::Value(value)) => {
                    match item.scale.option(value) {
                        Some(option) => option.label().to_owned(),
                        None => vsoko_app::forms::format_number(value),
                    }
                }
            };
            let comment = answer
                .and_then(|answer| answer.comment.clone())
                .unwrap_or_default();
            (item.item.text().to_owned(), text, comment)
        })
        .collect();
    let open = period.status == PeriodStatus::Open;
    html(&SubmissionPage {
        layout: Layout::signed_in(&viewer, instrument.title(), section_of(&viewer))
            .with_notice(done.notice()),
        heading: instrument.title().to_owned(),
        facts,
        total_result: result_text(total),
        total_level: level_text(instrument, total),
        critical,
        rows: score_rows(instrument, &view.detail.score.nodes),
        answers,
        correct_href: (open && view.correctable)
            .then(|| format!("/submissions/{}/correct", submission.id)),
        closed: (!open).then(|| vsoko_app::forms::closed_reason(&period)),
        back: home_of(&viewer),
    })
}

/// The fields of a form alone, as the form page draws them (the renderer's unit tests read it).
#[cfg(test)]
#[derive(Template)]
#[template(path = "form_fields.html")]
struct FieldsOnly<'a> {
    view: &'a FormView,
}

/// Renders the fields of a form view.
#[cfg(test)]
pub(crate) fn render_fields(view: &FormView) -> askama::Result<String> {
    FieldsOnly { view }.render()
}
