//! «Периоды оценки»: the network's periods, opening one, and closing one after a page that says
//! what closing means.

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format::period_text;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::confirm::Confirm;
use crate::view::lists::{PeriodLine, period_lines};
use crate::view::refusal::refusal;
use crate::view::{Done, html, html_status, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::{App, AppError, FieldError};
use vsoko_domain::PeriodId;
use vsoko_domain::PeriodStatus;

#[derive(Template)]
#[template(path = "periods.html")]
struct PeriodsPage {
    layout: Layout,
    periods: Vec<PeriodLine>,
    manages: bool,
    errors: FieldErrors,
    code: String,
    starts_on: String,
    ends_on: String,
}

async fn periods_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    values: [String; 3],
    notice: Option<String>,
) -> Result<PeriodsPage, PageError> {
    let rights = app.network_rights(&viewer.principal)?;
    let periods = app.network_periods(&viewer.principal).await?;
    let [code, starts_on, ends_on] = values;
    Ok(PeriodsPage {
        layout: Layout::signed_in(viewer, "Периоды оценки", "periods").with_notice(notice),
        periods: period_lines(&periods),
        manages: rights.manages_periods,
        errors,
        code,
        starts_on,
        ends_on,
    })
}

/// `GET /network/periods`.
pub(crate) async fn periods(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(
        &periods_page(
            &app,
            &viewer,
            FieldErrors::default(),
            Default::default(),
            done.notice(),
        )
        .await?,
    )
}

/// `POST /network/periods`: opens a period.
pub(crate) async fn open_period(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = [
        form.text("code"),
        form.text("starts_on"),
        form.text("ends_on"),
    ];
    let ids = [
        ("code", "code"),
        ("starts_on", "starts_on"),
        ("ends_on", "ends_on"),
    ];
    let mut errors = Vec::new();
    let mut date = |field: &str, text: &str| {
        let parsed = vsoko_app::forms::parse_date(text);
        if parsed.is_none() {
            errors.push(FieldError::new(
                field,
                "not_a_date",
                "введите дату, например 01.09.2025",
            ));
        }
        parsed
    };
    let starts_on = date("starts_on", &values[1]);
    let ends_on = date("ends_on", &values[2]);
    let result = match (starts_on, ends_on) {
        (Some(starts_on), Some(ends_on)) => {
            app.create_period(
                &viewer.principal,
                vsoko_app::periods::PeriodInput {
                    code: values[0].trim().to_owned(),
                    starts_on,
                    ends_on,
                },
            )
            .await
        }
        _ => Err(AppError::Invalid {
            detail: String::new(),
            errors,
        }),
    };
    match refusal(result, Some(("code", "период с таким кодом уже есть")))?
    {
        Ok(_) => Ok(see_other("/network/periods?done=period-opened")),
        Err(refused) => html_status(
            refused.status,
            &periods_page(
                &app,
                &viewer,
                FieldErrors::of(&refused.errors, &ids),
                values,
                None,
            )
            .await?,
        ),
    }
}

/// `GET /periods/{id}/close`: what closing means, and the button.
pub(crate) async fn confirm_close(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let period = app
        .period_to_close(&viewer.principal, PeriodId::new(path.into_inner()))
        .await?;
    if period.status == PeriodStatus::Closed {
        return Ok(see_other("/network/periods"));
    }
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Закрытие периода", "periods"),
        heading: format!("Закрыть период {}?", period_text(&period)),
        lines: vec![
            "Педагоги и заведующие больше не смогут отправлять и исправлять анкеты, карты контроля и показатели этого периода: формы станут доступны только для просмотра.".to_owned(),
            "Ссылки для родителей этого периода перестанут принимать ответы.".to_owned(),
            "Неотправленные черновики этого периода не попадут в отчёты.".to_owned(),
            "Отчёты за период больше не изменятся. Открыть период заново в интерфейсе нельзя.".to_owned(),
        ],
        action: format!("/periods/{}/close", period.id),
        button: "Закрыть период",
        back: "/network/periods".to_owned(),
    })
}

/// `POST /periods/{id}/close`.
pub(crate) async fn close_period(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.close_period(&viewer.principal, PeriodId::new(path.into_inner()))
        .await?;
    Ok(see_other("/network/periods?done=period-closed"))
}

#[derive(Template)]
#[template(path = "period_basis.html")]
struct BasisPage {
    layout: Layout,
    period: String,
    action: String,
    errors: FieldErrors,
    title: String,
    number: String,
    date: String,
}

fn basis_page(
    viewer: &Viewer,
    period: &vsoko_domain::Period,
    errors: FieldErrors,
    input: vsoko_app::periods::BasisInput,
) -> BasisPage {
    BasisPage {
        layout: Layout::signed_in(viewer, "Основание оценки", "periods"),
        period: period_text(period),
        action: format!("/periods/{}/basis", period.id),
        errors,
        title: input.title,
        number: input.number,
        date: input.date,
    }
}

/// `GET /periods/{id}/basis`: the основание of a period's assessment, to set or change.
pub(crate) async fn basis(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let period = app
        .period_to_close(&viewer.principal, PeriodId::new(path.into_inner()))
        .await?;
    let input = period
        .basis
        .as_ref()
        .map(|basis| vsoko_app::periods::BasisInput {
            title: basis.title.clone(),
            number: basis.number.clone(),
            date: basis.date.to_string(),
        })
        .unwrap_or_default();
    html(&basis_page(&viewer, &period, FieldErrors::default(), input))
}

/// `POST /periods/{id}/basis`.
pub(crate) async fn save_basis(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = PeriodId::new(path.into_inner());
    let input = vsoko_app::periods::BasisInput {
        title: form.text("basis_title"),
        number: form.text("basis_number"),
        date: form.text("basis_date"),
    };
    match refusal(
        app.set_period_basis(&viewer.principal, id, &input).await,
        None,
    )? {
        Ok(_) => Ok(see_other("/network/periods?done=basis-saved")),
        Err(refused) => {
            let period = app.period_to_close(&viewer.principal, id).await?;
            html_status(
                refused.status,
                &basis_page(
                    &viewer,
                    &period,
                    FieldErrors::of(
                        &refused.errors,
                        &[
                            ("basis_title", "basis_title"),
                            ("basis_number", "basis_number"),
                            ("basis_date", "basis_date"),
                        ],
                    ),
                    input,
                ),
            )
        }
    }
}
