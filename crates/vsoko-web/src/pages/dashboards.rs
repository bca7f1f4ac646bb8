//! The dashboards of a kindergarten and of the network: results by area with charts, who is at
//! which level, the teachers × areas table and the kindergartens × areas heat map, deficits, the
//! control cards by type, the change since the compared period — each chart beside its table.

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::reports::LevelRef;
use vsoko_app::reports::{ReportOf, ReportRequest};
use vsoko_app::{App, Workplace};
use vsoko_checklist::Instrument;

use crate::error::PageError;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::html;
use crate::view::report::{
    Filters, ReportQuery, ReportView, cell_class, choose, level_text, score_text,
};
use crate::view::targets::{TargetRow, target_rows};
use vsoko_domain::{KindergartenId, PersonId};
use vsoko_exchange::chart as charts;

/// One teacher (or group) of the teachers × areas table.
struct SubjectLine {
    name: String,
    href: Option<String>,
    total: Cell,
    areas: Vec<Cell>,
}

/// A cell coloured by level.
struct Cell {
    text: String,
    class: String,
}

fn cell(instrument: &Instrument, score: Option<f64>, level: Option<&LevelRef>) -> Cell {
    Cell {
        text: match (score, level) {
            (Some(score), Some(level)) => format!("{} {}", format::percent(score), level.code),
            (Some(score), None) => format::percent(score),
            _ => "—".to_owned(),
        },
        class: level
            .and_then(|level| charts::shade(instrument, &level.code))
            .map(cell_class)
            .unwrap_or_default(),
    }
}

/// A control card type's results in a kindergarten.
struct CardSummary {
    title: String,
    result: String,
    level: String,
    subjects: u32,
    cards: u32,
    critical: Vec<String>,
}

#[derive(Template)]
#[template(path = "dashboard_kindergarten.html")]
struct KindergartenDashboard {
    layout: Layout,
    heading: String,
    filters: Filters,
    has_report: bool,
    view: ReportView,
    subject_word: &'static str,
    subjects: Vec<SubjectLine>,
    cards: Vec<CardSummary>,
    target_section: TargetsSection,
}

/// `GET /kindergartens/{id}/dashboard`.
pub(crate) async fn kindergarten_dashboard(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let kindergarten = app
        .reported_kindergarten(&viewer.principal, KindergartenId::new(path.into_inner()))
        .await?;
    let of = ReportOf::Kindergarten(kindergarten.id);
    let chosen = choose(
        &app,
        &viewer,
        of,
        format!("/kindergartens/{}/dashboard", kindergarten.id),
        &query,
    )
    .await?;
    let heading = format!("{}: результаты", kindergarten.short_name);
    let section = match viewer.principal.workplace() {
        Workplace::Kindergarten(_) => "dashboard",
        _ => "network-dashboard",
    };
    let layout = Layout::signed_in(&viewer, heading.clone(), section).with_notice(chosen.notice);
    let mut page = KindergartenDashboard {
        layout,
        heading,
        filters: chosen.filters,
        has_report: false,
        view: ReportView::default(),
        subject_word: "Педагоги",
        subjects: Vec::new(),
        cards: Vec::new(),
        target_section: TargetsSection::default(),
    };
    page.target_section = targets_section(
        &app,
        &viewer,
        of,
        chosen.period.as_deref(),
        format!("/kindergartens/{}/training", kindergarten.id),
    )
    .await?;
    let Some(report) = chosen.report else {
        return html(&page);
    };
    let instrument = &report.instrument;
    let k = report.body.min_respondents;
    page.has_report = true;
    page.subject_word = match instrument.subject() {
        vsoko_checklist::Subject::Group => "Группы",
        vsoko_checklist::Subject::Kindergarten => "Детский сад",
        vsoko_checklist::Subject::Teacher => "Педагоги",
    };
    let counted = {
        let n = report.body.n_subjects as usize;
        format!(
            "{} ({})",
            match instrument.subject() {
                vsoko_checklist::Subject::Group => {
                    format::counted(n, "группа", "группы", "групп")
                }
                vsoko_checklist::Subject::Kindergarten => format!("{n} ДОО"),
                vsoko_checklist::Subject::Teacher => {
                    format::counted(n, "педагог", "педагога", "педагогов")
                }
            },
            format::counted(report.body.n_submissions as usize, "форма", "формы", "форм"),
        )
    };
    page.view = ReportView::of(
        &report,
        of,
        &chosen.query,
        vec![("Учтено".to_owned(), counted)],
        "Результаты по областям",
        page.subject_word,
    );
    let may_open = |person: PersonId| format!("/teachers/{person}/results?{}", chosen.query);
    page.subjects = report
        .teachers
        .iter()
        .map(|line| SubjectLine {
            name: line.full_name.clone(),
            href: Some(may_open(PersonId::new(line.row.subject))),
            total: cell(instrument, line.row.score, line.row.level.as_ref()),
            areas: line
                .row
                .areas
                .iter()
                .map(|area| cell(instrument, area.score, area.level.as_ref()))
                .collect(),
        })
        .chain(report.groups.iter().map(|line| {
            SubjectLine {
                name: line.name.clone(),
                href: None,
                total: if line.row.suppressed {
                    Cell {
                        text: format!("менее {} ответов", k.unwrap_or(5)),
                        class: String::new(),
                    }
                } else {
                    cell(instrument, line.row.score, line.row.level.as_ref())
                },
                areas: line
                    .row
                    .areas
                    .iter()
                    .map(|area| cell(instrument, area.score, area.level.as_ref()))
                    .collect(),
            }
        }))
        .collect();
    page.cards = card_summaries(&app, &viewer, kindergarten.id, &report.period).await?;
    html(&page)
}

/// The network's targets beside a dashboard: their rows at the chosen period's last day (today
/// while it runs), and the coverage page they come from.
#[derive(Default)]
struct TargetsSection {
    rows: Vec<TargetRow>,
    at: String,
    href: String,
}

async fn targets_section(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    period: Option<&str>,
    href: String,
) -> Result<TargetsSection, PageError> {
    let Some(found) = app
        .period_targets(&viewer.principal, of, period, vsoko_app::today())
        .await?
    else {
        return Ok(TargetsSection::default());
    };
    Ok(TargetsSection {
        rows: target_rows(&found.lines),
        href: format!("{href}?at={}", found.at),
        at: format::date(found.at),
    })
}

/// The control cards of a kindergarten in a period, by card type: result, level, subjects and
/// cards, and the critical items found (with how many cards).
async fn card_summaries(
    app: &App,
    viewer: &Viewer,
    kindergarten: KindergartenId,
    period: &str,
) -> Result<Vec<CardSummary>, PageError> {
    let cards = app
        .kindergarten_cards(&viewer.principal, kindergarten, period)
        .await?;
    let mut codes: Vec<String> = cards
        .iter()
        .map(|card| card.instrument.code().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    let mut summaries = Vec::new();
    for code in codes {
        let report = app
            .report(
                &viewer.principal,
                &ReportRequest {
                    of: ReportOf::Kindergarten(kindergarten),
                    period: period.to_owned(),
                    instrument: code.clone(),
                    version: None,
                    compare_period: None,
                    compare_version: None,
                    items: Some(false),
                },
            )
            .await?;
        let mut critical: Vec<(String, u32)> = Vec::new();
        for card in cards
            .iter()
            .filter(|card| card.instrument.code().as_str() == code)
        {
            for item in &card.critical_items {
                match critical.iter_mut().find(|(known, _)| known == item) {
                    Some(entry) => entry.1 += 1,
                    None => critical.push((item.clone(), 1)),
                }
            }
        }
        let total = report.rows().first();
        summaries.push(CardSummary {
            title: report.instrument.title().to_owned(),
            result: total
                .map(|row| score_text(row.score, row.suppressed, None))
                .unwrap_or_default(),
            level: level_text(total.and_then(|row| row.level.as_ref())),
            subjects: report.body.n_subjects,
            cards: report.body.n_submissions,
            critical: critical
                .into_iter()
                .map(|(item, n)| {
                    let text = report
                        .instrument
                        .item(&item)
                        .map(|found| found.item.text().to_owned())
                        .unwrap_or_default();
                    format!(
                        "{item} «{text}» — {n} {}",
                        format::plural(n as usize, "карта", "карты", "карт")
                    )
                })
                .collect(),
        });
    }
    Ok(summaries)
}

/// A kindergarten of the heat map.
struct UnitLine {
    /// The place, when the instrument gives places.
    rank: Option<u32>,
    name: String,
    href: String,
    total: Cell,
    areas: Vec<Cell>,
    n: u32,
    /// Its own coverage («5 из 6 (83,3 %)»), with «недостаточно данных» when too low for a
    /// level; empty where the rule does not apply.
    coverage: String,
    delta: String,
    drop: bool,
}

#[derive(Template)]
#[template(path = "dashboard_network.html")]
struct NetworkDashboard {
    /// Whether the kindergartens' own coverage is shown (the coverage rule applies).
    show_coverage: bool,
    layout: Layout,
    filters: Filters,
    has_report: bool,
    view: ReportView,
    units: Vec<UnitLine>,
    /// Whether the instrument gives kindergartens places.
    ranks: bool,
    suppressed: Vec<String>,
    items_href: Option<String>,
    target_section: TargetsSection,
}

/// `GET /network/dashboard`.
pub(crate) async fn network_dashboard(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let of = ReportOf::Network;
    let chosen = choose(&app, &viewer, of, "/network/dashboard".to_owned(), &query).await?;
    let layout = Layout::signed_in(&viewer, "Сводка по сети", "network-dashboard")
        .with_notice(chosen.notice);
    let mut page = NetworkDashboard {
        show_coverage: false,
        layout,
        filters: chosen.filters,
        has_report: false,
        view: ReportView::default(),
        units: Vec::new(),
        ranks: false,
        suppressed: Vec::new(),
        items_href: None,
        target_section: TargetsSection::default(),
    };
    page.target_section = targets_section(
        &app,
        &viewer,
        of,
        chosen.period.as_deref(),
        "/network/training".to_owned(),
    )
    .await?;
    let Some(report) = chosen.report else {
        return html(&page);
    };
    let instrument = &report.instrument;
    page.ranks = instrument.ranks();
    page.has_report = true;
    let total = report.rows().first();
    let mean = |score: Option<f64>| {
        score
            .map(format::percent)
            .unwrap_or_else(|| "недостаточно данных".to_owned())
    };
    page.view = ReportView::of(
        &report,
        of,
        &chosen.query,
        vec![
            (
                "Детских садов с данными".to_owned(),
                report.kindergartens.len().to_string(),
            ),
            (
                "Среднее по детским садам".to_owned(),
                mean(total.and_then(|row| row.score)),
            ),
            (
                "Среднее по всем формам".to_owned(),
                mean(total.and_then(|row| row.pooled_score)),
            ),
        ],
        "Результаты сети по областям (среднее по детским садам)",
        "Детские сады",
    );
    page.show_coverage = report
        .kindergartens
        .iter()
        .any(|line| line.coverage.is_some());
    page.units = report
        .kindergartens
        .iter()
        .map(|line| UnitLine {
            rank: line.row.rank,
            name: line.short_name.clone(),
            href: format!(
                "/kindergartens/{}/dashboard?{}",
                line.row.kindergarten, chosen.query
            ),
            total: cell(instrument, Some(line.row.score), line.row.level.as_ref()),
            areas: line
                .row
                .areas
                .iter()
                .map(|area| cell(instrument, area.score, area.level.as_ref()))
                .collect(),
            n: line.row.n,
            coverage: line
                .coverage
                .map(|coverage| {
                    let figure = vsoko_app::spravka::coverage_figure(&coverage);
                    if coverage.enough {
                        figure
                    } else {
                        format!("{figure}: недостаточно данных")
                    }
                })
                .unwrap_or_default(),
            delta: line
                .row
                .delta
                .map(format::signed_points)
                .unwrap_or_default(),
            drop: line.row.drop,
        })
        .collect();
    page.suppressed = report
        .suppressed_kindergartens
        .iter()
        .map(|line| line.short_name.clone())
        .collect();
    if query.items.is_none() {
        page.items_href = Some(format!("/network/dashboard?{}&items=1", chosen.query));
    }
    html(&page)
}
