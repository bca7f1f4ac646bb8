//! «Сеть»: the department's pages — periods (open, close with a confirmation that says what
//! closing means), kindergartens, head and manager accounts; administrators also create
//! kindergartens and administrators. Account actions (a new password, switching an account off)
//! serve heads for their teachers too.

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::{App, AppError, FieldError};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::lists::{KindergartenLine, PeriodLine, kindergarten_lines, period_lines};
use crate::view::refusal::refusal;
use crate::view::{Done, html, html_status, see_other};

#[derive(Template)]
#[template(path = "network.html")]
struct Overview {
    layout: Layout,
    open_periods: Vec<PeriodLine>,
    kindergartens: Vec<KindergartenLine>,
    /// Whether the caller sets the network's rules of reports.
    manages: bool,
    /// The least coverage for conclusions, as set or as typed.
    min_coverage: String,
    /// The rule in words («50 % — по умолчанию»).
    min_coverage_now: String,
    /// The field's hint, from the rule's constants.
    min_coverage_hint: String,
    /// The fewest subjects a result needs, whatever the share.
    min_subjects: u32,
    /// Whether the network keeps the СНИЛС of training records' recipients.
    store_snils: bool,
    errors: FieldErrors,
}

async fn overview_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    typed: Option<String>,
    notice: Option<String>,
) -> Result<Overview, PageError> {
    let overview = app.network_overview(&viewer.principal).await?;
    let rule = vsoko_app::org::coverage_rule(&overview.network);
    let now = rule.percent;
    Ok(Overview {
        layout: Layout::signed_in(viewer, "Сеть", "network").with_notice(notice),
        open_periods: period_lines(&overview.periods)
            .into_iter()
            .filter(|line| line.open)
            .collect(),
        kindergartens: kindergarten_lines(&overview.kindergartens),
        manages: overview.rights.sets_rules,
        min_coverage: typed.unwrap_or_else(|| format!("{now}")),
        min_coverage_now: format!(
            "{}{}",
            format::percent(now),
            if rule.is_default {
                " (по умолчанию)"
            } else {
                ""
            }
        ),
        min_coverage_hint: format!(
            "Целое число от {} до 100. Пустое поле — правило по умолчанию ({} %).",
            vsoko_app::org::MIN_COVERAGE_SETTING,
            vsoko_app::words::number(rule.default_percent)
        ),
        min_subjects: rule.min_subjects,
        store_snils: overview.network.store_snils,
        errors,
    })
}

/// `GET /network`.
pub(crate) async fn overview(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(&overview_page(&app, &viewer, FieldErrors::default(), None, done.notice()).await?)
}

/// `POST /network/snils`: whether the СНИЛС of training records' recipients is kept.
pub(crate) async fn save_snils(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.set_store_snils(&viewer.principal, form.get("store_snils").is_some())
        .await?;
    Ok(see_other("/network?done=snils"))
}

/// `POST /network/settings`: the least coverage for conclusions (empty: the default rule).
pub(crate) async fn save_settings(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let typed = form.text("min_coverage_percent");
    let ids = [("min_coverage_percent", "min_coverage_percent")];
    let percent = match typed.trim() {
        "" => Ok(None),
        text => text
            .trim_end_matches('%')
            .trim()
            .parse::<u32>()
            .map(Some)
            .map_err(|_| {
                vec![FieldError::new(
                    "min_coverage_percent",
                    "not_a_number",
                    "минимальный охват: целое число процентов, например 50",
                )]
            }),
    };
    let result = match percent {
        Ok(percent) => app.set_min_coverage(&viewer.principal, percent).await,
        Err(errors) => Err(AppError::Invalid {
            detail: String::new(),
            errors,
        }),
    };
    match refusal(result, None)? {
        Ok(_) => Ok(see_other("/network?done=settings")),
        Err(refused) => html_status(
            refused.status,
            &overview_page(
                &app,
                &viewer,
                FieldErrors::of(&refused.errors, &ids),
                Some(typed),
                None,
            )
            .await?,
        ),
    }
}
