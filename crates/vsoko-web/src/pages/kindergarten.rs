//! «Мой детский сад»: a kindergarten's forms and control cards of a period, its staff, groups and
//! teacher accounts, and the links of the parents' questionnaire with their QR codes.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::App;
use vsoko_domain::{Kindergarten, Period, PeriodStatus};

use crate::error::PageError;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::{Choice, period_choices};
use crate::view::entries::{EntryView, entry_view};
use crate::view::scores::{level_text, result_text};
use crate::view::{Done, html};
use vsoko_domain::KindergartenId;

#[derive(Deserialize)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
    done: Option<String>,
}

struct CardLine {
    date: String,
    title: String,
    subject: String,
    result: String,
    level: String,
    critical: String,
    href: String,
}

#[derive(Template)]
#[template(path = "kindergarten.html")]
struct Overview {
    layout: Layout,
    kindergarten: Kindergarten,
    periods: Vec<Choice>,
    period: Option<Period>,
    period_closed: bool,
    forms: Vec<EntryView>,
    card_types: Vec<EntryView>,
    cards: Vec<CardLine>,
    manages: bool,
    /// Who has filled the staff's surveys of the period, and the list's address.
    completion: Option<(String, String)>,
}

/// `GET /kindergartens/{id}`: the head's forms and control cards of a period.
pub(crate) async fn overview(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let overview = app
        .kindergarten_overview(&viewer.principal, KindergartenId::new(path.into_inner()))
        .await?;
    let kindergarten = overview.kindergarten;
    let periods = app.periods(&viewer.principal).await?;
    let period = vsoko_app::periods::shown_period(&periods, query.period.as_deref());
    let own = overview.own;
    let (mut forms, mut card_types) = (Vec::new(), Vec::new());
    if own && let Some(period) = &period {
        for entry in app.my_forms(&viewer.principal).await? {
            if entry.period.id != period.id {
                continue;
            }
            if entry.subject.is_some() {
                forms.push(entry_view(&entry));
            } else {
                card_types.push(entry_view(&entry));
            }
        }
    }
    let cards = match &period {
        Some(period) => app
            .kindergarten_cards(&viewer.principal, kindergarten.id, &period.code)
            .await?
            .into_iter()
            .map(|row| CardLine {
                date: row
                    .submission
                    .observed_on
                    .map(format::date)
                    .unwrap_or_default(),
                title: row.instrument.title().to_owned(),
                subject: row.subject,
                result: row.total.as_ref().map(result_text).unwrap_or_default(),
                level: row
                    .total
                    .as_ref()
                    .map(|total| level_text(&row.instrument, total))
                    .unwrap_or_default(),
                critical: if row.critical_items.is_empty() {
                    "нет".to_owned()
                } else {
                    format!("да: {}", row.critical_items.join(", "))
                },
                href: format!("/submissions/{}", row.submission.id),
            })
            .collect(),
        None => Vec::new(),
    };
    let completion = match &period {
        Some(period) => crate::view::completion::summary_line(
            &app.kindergarten_completion(&viewer.principal, kindergarten.id, period)
                .await?,
        ),
        None => None,
    };
    let title = format!("{} — мой детский сад", kindergarten.short_name);
    html(&Overview {
        completion,
        layout: Layout::signed_in(&viewer, title, "kindergarten")
            .with_notice(Done::from(query.done.clone()).notice()),
        periods: period_choices(&periods, period.as_ref()),
        period_closed: period
            .as_ref()
            .is_some_and(|period| period.status == PeriodStatus::Closed),
        period,
        forms,
        card_types,
        cards,
        manages: overview.manages_staff,
        kindergarten,
    })
}
