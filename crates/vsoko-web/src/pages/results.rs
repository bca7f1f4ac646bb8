//! What people read: a teacher's results, a kindergarten's dashboard, the network's dashboard
//! (with charts, each beside the table of its numbers), and their XLSX and CSV-RU files. Every
//! number comes from `vsoko_app::App::report`; the pages only choose what to show and how.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::export::{FileFormat, report_file_name, report_sheets};
use vsoko_app::reports::{Report, ReportOf, ReportRequest};
use vsoko_app::{App, AppError, Workplace};
use vsoko_checklist::{Instrument, Respondent};
use vsoko_scoring::{LevelRef, NodeKind, ReportRow};
use vsoko_storage::{Id, Period};

use super::forms::period_text;
use super::html;
use crate::error::PageError;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use vsoko_exchange::chart::{self as charts, Bar, ChartSpec};

/// The filters of a report page, as the address gives them.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    instrument: Option<String>,
    version: Option<u32>,
    period: Option<String>,
    compare: Option<String>,
    items: Option<String>,
}

/// A choice of a filter.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The filter form of a report page.
pub(crate) struct Filters {
    pub action: String,
    pub instruments: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub compares: Vec<Choice>,
}

/// What a report page reads: the filters chosen and the report, if there is data.
struct Chosen {
    filters: Filters,
    report: Option<Report>,
    notice: Option<String>,
    query: String,
}

/// The latest version of each instrument, by code.
pub(crate) async fn latest_instruments(
    app: &App,
) -> Result<Vec<std::sync::Arc<Instrument>>, PageError> {
    Ok(app
        .latest_instruments()
        .await?
        .into_iter()
        .map(|resolved| resolved.instrument)
        .collect())
}

/// The latest version of each instrument a report of `of` can be about, by title.
async fn instruments_for(
    app: &App,
    of: ReportOf,
) -> Result<Vec<std::sync::Arc<Instrument>>, PageError> {
    let mut instruments = Vec::new();
    for resolved in app.latest_instruments().await? {
        let instrument = resolved.instrument;
        let fits = match of {
            // A teacher's results: the surveys about teachers.
            ReportOf::Teacher(_) => {
                instrument.subject() == vsoko_checklist::Subject::Teacher
                    && instrument.respondent() == Respondent::Teacher
            }
            ReportOf::Kindergarten(_) | ReportOf::Network => true,
        };
        if fits {
            instruments.push(instrument);
        }
    }
    instruments.sort_by(|a, b| {
        (a.respondent() != Respondent::Teacher, a.title())
            .cmp(&(b.respondent() != Respondent::Teacher, b.title()))
    });
    Ok(instruments)
}

/// Chooses the instrument, the period (the latest with data, unless asked) and the compared
/// period (the one before it with data, unless asked; `compare=` for none), and reads the report.
async fn choose(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    action: String,
    query: &ReportQuery,
) -> Result<Chosen, PageError> {
    let instruments = instruments_for(app, of).await?;
    let instrument = query
        .instrument
        .as_deref()
        .and_then(|code| {
            instruments
                .iter()
                .find(|instrument| instrument.code().as_str() == code)
        })
        .or_else(|| instruments.first())
        .cloned();
    let Some(instrument) = instrument else {
        return Ok(Chosen {
            filters: Filters {
                action,
                instruments: Vec::new(),
                periods: Vec::new(),
                compares: Vec::new(),
            },
            report: None,
            notice: None,
            query: String::new(),
        });
    };
    let code = instrument.code().to_string();
    let periods = app.report_periods(&viewer.principal, of, &code).await?;
    let period: Option<&Period> = query
        .period
        .as_deref()
        .and_then(|asked| periods.iter().find(|period| period.code == asked))
        .or_else(|| periods.last());
    let compare: Option<&Period> = match (query.compare.as_deref(), period) {
        (Some(""), _) | (_, None) => None,
        (Some(asked), Some(period)) => periods
            .iter()
            .find(|other| other.code == asked && other.id != period.id),
        (None, Some(period)) => periods
            .iter()
            .rfind(|other| other.starts_on < period.starts_on),
    };
    let filters = Filters {
        action,
        instruments: instruments
            .iter()
            .map(|candidate| Choice {
                value: candidate.code().to_string(),
                label: candidate.title().to_owned(),
                selected: candidate.code() == instrument.code(),
            })
            .collect(),
        periods: periods
            .iter()
            .rev()
            .map(|candidate| Choice {
                value: candidate.code.clone(),
                label: period_text(candidate),
                selected: period.is_some_and(|period| period.id == candidate.id),
            })
            .collect(),
        compares: std::iter::once(Choice {
            value: String::new(),
            label: "без сравнения".to_owned(),
            selected: compare.is_none(),
        })
        .chain(
            periods
                .iter()
                .rev()
                .filter(|candidate| period.is_none_or(|period| period.id != candidate.id))
                .map(|candidate| Choice {
                    value: candidate.code.clone(),
                    label: period_text(candidate),
                    selected: compare.is_some_and(|compare| compare.id == candidate.id),
                }),
        )
        .collect(),
    };
    let Some(period) = period else {
        return Ok(Chosen {
            filters,
            report: None,
            notice: None,
            query: String::new(),
        });
    };
    let request = |compare: Option<&Period>| ReportRequest {
        of,
        period: period.code.clone(),
        instrument: code.clone(),
        version: query.version,
        compare_period: compare.map(|compare| compare.code.clone()),
        compare_version: None,
        items: Some(!matches!(of, ReportOf::Network) || query.items.is_some()),
    };
    let (report, notice) = match app.report(&viewer.principal, &request(compare)).await {
        Ok(report) => (report, None),
        // Two versions no crosswalk relates: the report without the comparison, saying so.
        Err(AppError::Invalid { errors, .. })
            if errors.iter().any(|error| error.field == "compare_period") =>
        {
            (
                app.report(&viewer.principal, &request(None)).await?,
                Some(
                    "Сравнение с выбранным периодом недоступно: версии инструмента несопоставимы."
                        .to_owned(),
                ),
            )
        }
        Err(other) => return Err(other.into()),
    };
    let query = format!(
        "instrument={}&period={}&compare={}",
        format::url_encode(&code),
        format::url_encode(&period.code),
        format::url_encode(report.compare_period.as_deref().unwrap_or_default())
    );
    Ok(Chosen {
        filters,
        report: Some(report),
        notice,
        query,
    })
}

/// One row of a results table.
pub(crate) struct RowView {
    pub code: String,
    pub title: String,
    pub indicator: bool,
    pub score: String,
    pub level: String,
    pub class: String,
    pub n: u32,
    pub flags: Vec<&'static str>,
    pub before: String,
    pub delta: String,
    pub drop: bool,
    pub pooled: String,
}

fn level_text(level: Option<&LevelRef>) -> String {
    level
        .map(|level| format!("{} «{}»", level.code, level.name))
        .unwrap_or_else(|| "—".to_owned())
}

fn score_text(score: Option<f64>, suppressed: bool, k: Option<u32>) -> String {
    match (score, suppressed) {
        (_, true) => format!("менее {} ответов", k.unwrap_or(5)),
        (Some(score), false) => format::percent(score),
        (None, false) => "недостаточно данных".to_owned(),
    }
}

/// The class of a table cell coloured by a level: `lv0`…`lv5` (the stylesheet's copy of the
/// palette), with `dark` when its text must be white.
pub(crate) fn cell_class(shade: usize) -> String {
    if charts::light_text(shade) {
        format!("lv{shade} dark")
    } else {
        format!("lv{shade}")
    }
}

fn row_view(instrument: &Instrument, row: &ReportRow, k: Option<u32>) -> RowView {
    let mut flags = Vec::new();
    if row.deficit {
        flags.push("дефицит");
    }
    if row.critical {
        flags.push("критический пункт");
    }
    let (before, delta) = match (row.comparable, row.before, row.delta) {
        (Some(false), _, _) => ("нет сопоставимых данных".to_owned(), String::new()),
        (Some(true), Some(before), Some(delta)) => {
            (format::percent(before), format::signed_points(delta))
        }
        (Some(true), None, _) => ("недостаточно данных".to_owned(), String::new()),
        _ => (String::new(), String::new()),
    };
    RowView {
        code: row.code.clone(),
        title: row.title.clone(),
        indicator: row.kind == NodeKind::Indicator,
        score: score_text(row.score, row.suppressed, k),
        level: level_text(row.level.as_ref()),
        class: row
            .level
            .as_ref()
            .and_then(|level| charts::shade(instrument, &level.code))
            .map(cell_class)
            .unwrap_or_default(),
        n: row.n,
        flags,
        before,
        delta,
        drop: row.drop,
        pooled: row.pooled_score.map(format::percent).unwrap_or_default(),
    }
}

/// The chart of the areas of a report.
fn areas_chart(report: &Report, alt_prefix: &str) -> String {
    let instrument = &report.instrument;
    let areas: Vec<&ReportRow> = report
        .rows()
        .iter()
        .filter(|row| row.kind == NodeKind::Area)
        .collect();
    let alt = format!(
        "{alt_prefix}: {}",
        areas
            .iter()
            .map(|row| format!(
                "{} {}",
                row.code,
                score_text(row.score, row.suppressed, report.body.min_respondents)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bars: Vec<Bar> = areas
        .iter()
        .map(|row| Bar {
            label: row.code.clone(),
            value: row.score,
            shade: row
                .level
                .as_ref()
                .and_then(|level| charts::shade(instrument, &level.code))
                .unwrap_or(0),
            text: match (&row.level, row.score) {
                (Some(level), Some(score)) => format!("{} {}", format::percent(score), level.code),
                _ => score_text(row.score, row.suppressed, report.body.min_respondents),
            },
        })
        .collect();
    charts::svg(&ChartSpec {
        alt,
        bars,
        max: 100.0,
        marks: charts::level_marks(instrument),
    })
}

/// The chart of how many are at each level.
fn distribution_chart(report: &Report, what: &str) -> String {
    let instrument = &report.instrument;
    let max = report
        .distribution
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let alt = format!(
        "{what} по уровням: {}",
        report
            .distribution
            .iter()
            .map(|(level, n)| format!("{} — {n}", level.code))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bars: Vec<Bar> = report
        .distribution
        .iter()
        .map(|(level, n)| Bar {
            label: level.code.clone(),
            value: Some(f64::from(*n)),
            shade: charts::shade(instrument, &level.code).unwrap_or(0),
            text: n.to_string(),
        })
        .collect();
    charts::svg(&ChartSpec {
        alt,
        bars,
        max: f64::from(max),
        marks: Vec::new(),
    })
}

/// A level band with how many are at it.
pub(crate) struct LevelCountView {
    pub level: String,
    pub class: String,
    pub n: u32,
}

fn distribution_rows(report: &Report) -> Vec<LevelCountView> {
    report
        .distribution
        .iter()
        .map(|(level, n)| LevelCountView {
            level: format!("{} «{}»", level.code, level.name),
            class: charts::shade(&report.instrument, &level.code)
                .map(cell_class)
                .unwrap_or_default(),
            n: *n,
        })
        .collect()
}

/// An item a population answered low.
pub(crate) struct ItemDeficit {
    pub code: String,
    pub text: String,
    pub mean: String,
    pub low: String,
    pub n: u32,
}

fn item_deficits(report: &Report) -> Vec<ItemDeficit> {
    let mut items: Vec<(f64, ItemDeficit)> = report
        .items
        .iter()
        .filter_map(|item| {
            let result = item.result.as_ref().filter(|result| result.deficit)?;
            Some((
                result.mean,
                ItemDeficit {
                    code: item.code.clone(),
                    text: item.text.clone(),
                    mean: format::percent(result.mean),
                    low: format::percent(result.low_share * 100.0),
                    n: result.n,
                },
            ))
        })
        .collect();
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    items.into_iter().map(|(_, item)| item).collect()
}

/// A deficit with what to do about it: the recommendation the instrument gives for the node.
pub(crate) struct Recommendation {
    pub code: String,
    pub title: String,
    pub score: String,
    pub text: String,
}

fn recommendations(report: &Report) -> Vec<Recommendation> {
    let instrument = &report.instrument;
    report
        .rows()
        .iter()
        .filter(|row| row.deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
        .map(|row| {
            let text = instrument
                .areas()
                .iter()
                .find_map(|area| {
                    if area.code().as_str() == row.code {
                        return Some(area.recommendation());
                    }
                    area.indicators()
                        .iter()
                        .find(|indicator| indicator.code().as_str() == row.code)
                        .map(|indicator| indicator.recommendation())
                })
                .flatten()
                .unwrap_or_default()
                .to_owned();
            Recommendation {
                code: row.code.clone(),
                title: row.title.clone(),
                score: row.score.map(format::percent).unwrap_or_default(),
                text,
            }
        })
        .collect()
}

/// The next level of a total and what it takes, in words; `None` at the highest level or
/// without a valid total.
fn next_level(report: &Report) -> Option<String> {
    let total = report.rows().first()?;
    let score = total.score?;
    let bands = report.instrument.levels().bands();
    let level = total.level.as_ref()?;
    let index = bands
        .iter()
        .position(|band| band.code().as_str() == level.code)?;
    if total.critical {
        return Some(format!(
            "Уровень ограничен уровнем {} «{}»: по критическому пункту выставлена низшая оценка. Следующий уровень станет доступен, когда критический пункт будет выполнен.",
            level.code, level.name
        ));
    }
    let next = bands.get(index + 1)?;
    Some(format!(
        "Следующий уровень — {} «{}» — от {}: не хватает {}.",
        next.code(),
        next.name(),
        format::percent(next.from()),
        vsoko_app::spravka::points(next.from() - score)
    ))
}

/// The downloads of a report page: the справка (page and Word) of a kindergarten or the network,
/// and the report's files.
fn downloads(of: ReportOf, query: &str) -> Vec<(String, &'static str)> {
    let mut links = match of {
        ReportOf::Teacher(_) => Vec::new(),
        ReportOf::Kindergarten(id) => vec![
            (
                format!("/kindergartens/{id}/spravka?{query}"),
                "Аналитическая справка",
            ),
            (
                format!("/kindergartens/{id}/spravka.docx?{query}"),
                "Справка в Word (DOCX)",
            ),
        ],
        ReportOf::Network => vec![
            (format!("/network/spravka?{query}"), "Аналитическая справка"),
            (
                format!("/network/spravka.docx?{query}"),
                "Справка в Word (DOCX)",
            ),
        ],
    };
    let of = match of {
        ReportOf::Teacher(id) => format!("teacher-{id}"),
        ReportOf::Kindergarten(id) => format!("kindergarten-{id}"),
        ReportOf::Network => "network".to_owned(),
    };
    links.extend([
        (
            format!("/reports/file?of={of}&{query}&format=xlsx"),
            "Скачать XLSX",
        ),
        (
            format!("/reports/file?of={of}&{query}&format=csv-ru"),
            "Скачать CSV для Excel",
        ),
    ]);
    links
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    layout: Layout,
    heading: String,
    filters: Filters,
    has_report: bool,
    total: Option<RowView>,
    rows: Vec<RowView>,
    compared: Option<String>,
    chart: String,
    next_level: Option<String>,
    recommendations: Vec<Recommendation>,
    downloads: Vec<(String, &'static str)>,
}

async fn results_page(
    app: &App,
    viewer: &Viewer,
    person: Id,
    action: String,
    query: &ReportQuery,
    heading: String,
    section: &'static str,
) -> Result<HttpResponse, PageError> {
    let of = ReportOf::Teacher(person);
    let chosen = choose(app, viewer, of, action, query).await?;
    let heading = match &chosen.report {
        Some(report) if viewer.principal.user.person_id != Some(person) => {
            format!("Результаты: {}", report.scope_name)
        }
        _ => heading,
    };
    let layout = Layout::signed_in(viewer, heading.clone(), section).with_notice(chosen.notice);
    let Some(report) = chosen.report else {
        return html(&ResultsPage {
            layout,
            heading,
            filters: chosen.filters,
            has_report: false,
            total: None,
            rows: Vec::new(),
            compared: None,
            chart: String::new(),
            next_level: None,
            recommendations: Vec::new(),
            downloads: Vec::new(),
        });
    };
    let k = report.body.min_respondents;
    let rows: Vec<RowView> = report
        .rows()
        .iter()
        .filter(|row| row.kind != NodeKind::Total)
        .map(|row| row_view(&report.instrument, row, k))
        .collect();
    html(&ResultsPage {
        layout,
        heading,
        total: report
            .rows()
            .first()
            .map(|row| row_view(&report.instrument, row, k)),
        rows,
        compared: report.compare_period.clone(),
        chart: areas_chart(&report, "Результаты по областям"),
        next_level: next_level(&report),
        recommendations: recommendations(&report),
        downloads: downloads(of, &chosen.query),
        filters: chosen.filters,
        has_report: true,
    })
}

/// `GET /results`: a teacher's own results.
pub(crate) async fn own_results(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let person = viewer.principal.user.person_id.ok_or(PageError::NotFound)?;
    results_page(
        &app,
        &viewer,
        person,
        "/results".to_owned(),
        &query,
        "Мои результаты".to_owned(),
        "results",
    )
    .await
}

/// `GET /teachers/{id}/results`: a teacher's results as her head or a methodist reads them (the
/// report's own check: another teacher, or another kindergarten's, is «not found»).
pub(crate) async fn teacher_results(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let person = path.into_inner();
    let section = match viewer.principal.workplace() {
        Workplace::OwnForms => "results",
        Workplace::Kindergarten(_) => "dashboard",
        Workplace::Network => "network-dashboard",
    };
    results_page(
        &app,
        &viewer,
        person,
        format!("/teachers/{person}/results"),
        &query,
        "Результаты педагога".to_owned(),
        section,
    )
    .await
}

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
    summary: Vec<(String, String)>,
    rows: Vec<RowView>,
    compared: Option<String>,
    chart: String,
    distribution_chart: String,
    distribution: Vec<LevelCountView>,
    subject_word: &'static str,
    area_codes: Vec<(String, String)>,
    subjects: Vec<SubjectLine>,
    recommendations: Vec<Recommendation>,
    items: Vec<ItemDeficit>,
    cards: Vec<CardSummary>,
    downloads: Vec<(String, &'static str)>,
}

/// `GET /kindergartens/{id}/dashboard`.
pub(crate) async fn kindergarten_dashboard(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let kindergarten = app
        .kindergarten(&viewer.principal, path.into_inner())
        .await?;
    viewer.principal.check_kindergarten_report(&kindergarten)?;
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
        summary: Vec::new(),
        rows: Vec::new(),
        compared: None,
        chart: String::new(),
        distribution_chart: String::new(),
        distribution: Vec::new(),
        subject_word: "Педагоги",
        area_codes: Vec::new(),
        subjects: Vec::new(),
        recommendations: Vec::new(),
        items: Vec::new(),
        cards: Vec::new(),
        downloads: Vec::new(),
    };
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
    page.summary = vec![
        (
            "Инструмент".to_owned(),
            format!("{} (версия {})", instrument.title(), instrument.version()),
        ),
        ("Период".to_owned(), report.period.clone()),
        (
            "Учтено".to_owned(),
            format!(
                "{} {} ({} {})",
                report.body.n_subjects,
                match instrument.subject() {
                    vsoko_checklist::Subject::Group => "групп(ы)",
                    vsoko_checklist::Subject::Kindergarten => "ДОО",
                    vsoko_checklist::Subject::Teacher => "педагог(ов)",
                },
                report.body.n_submissions,
                format::plural(report.body.n_submissions as usize, "форма", "формы", "форм"),
            ),
        ),
    ];
    page.rows = report
        .rows()
        .iter()
        .map(|row| row_view(instrument, row, k))
        .collect();
    page.compared = report.compare_period.clone();
    page.chart = areas_chart(&report, "Результаты по областям");
    page.distribution_chart = distribution_chart(&report, page.subject_word);
    page.distribution = distribution_rows(&report);
    page.area_codes = instrument
        .areas()
        .iter()
        .map(|area| (area.code().to_string(), area.title().to_owned()))
        .collect();
    let may_open = |person: Id| format!("/teachers/{person}/results?{}", chosen.query);
    page.subjects = report
        .teachers
        .iter()
        .map(|line| SubjectLine {
            name: line.full_name.clone(),
            href: Some(may_open(line.row.subject)),
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
    page.recommendations = recommendations(&report);
    page.items = item_deficits(&report);
    page.downloads = downloads(of, &chosen.query);
    page.cards = card_summaries(&app, &viewer, kindergarten.id, &report.period).await?;
    html(&page)
}

/// The control cards of a kindergarten in a period, by card type: result, level, subjects and
/// cards, and the critical items found (with how many cards).
async fn card_summaries(
    app: &App,
    viewer: &Viewer,
    kindergarten: Id,
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
    rank: u32,
    name: String,
    href: String,
    total: Cell,
    areas: Vec<Cell>,
    n: u32,
    delta: String,
    drop: bool,
}

#[derive(Template)]
#[template(path = "dashboard_network.html")]
struct NetworkDashboard {
    layout: Layout,
    filters: Filters,
    has_report: bool,
    summary: Vec<(String, String)>,
    rows: Vec<RowView>,
    compared: Option<String>,
    chart: String,
    distribution_chart: String,
    distribution: Vec<LevelCountView>,
    area_codes: Vec<(String, String)>,
    units: Vec<UnitLine>,
    suppressed: Vec<String>,
    recommendations: Vec<Recommendation>,
    items: Vec<ItemDeficit>,
    items_href: Option<String>,
    downloads: Vec<(String, &'static str)>,
}

/// `GET /network/dashboard`.
pub(crate) async fn network_dashboard(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    viewer.principal.check_network_report()?;
    let of = ReportOf::Network;
    let chosen = choose(&app, &viewer, of, "/network/dashboard".to_owned(), &query).await?;
    let layout = Layout::signed_in(&viewer, "Сводка по сети", "network-dashboard")
        .with_notice(chosen.notice);
    let mut page = NetworkDashboard {
        layout,
        filters: chosen.filters,
        has_report: false,
        summary: Vec::new(),
        rows: Vec::new(),
        compared: None,
        chart: String::new(),
        distribution_chart: String::new(),
        distribution: Vec::new(),
        area_codes: Vec::new(),
        units: Vec::new(),
        suppressed: Vec::new(),
        recommendations: Vec::new(),
        items: Vec::new(),
        items_href: None,
        downloads: Vec::new(),
    };
    let Some(report) = chosen.report else {
        return html(&page);
    };
    let instrument = &report.instrument;
    let k = report.body.min_respondents;
    page.has_report = true;
    let total = report.rows().first();
    page.summary = vec![
        (
            "Инструмент".to_owned(),
            format!("{} (версия {})", instrument.title(), instrument.version()),
        ),
        ("Период".to_owned(), report.period.clone()),
        (
            "Детских садов с данными".to_owned(),
            report.kindergartens.len().to_string(),
        ),
        (
            "Среднее по детским садам".to_owned(),
            total
                .and_then(|row| row.score)
                .map(format::percent)
                .unwrap_or_else(|| "недостаточно данных".to_owned()),
        ),
        (
            "Среднее по всем формам".to_owned(),
            total
                .and_then(|row| row.pooled_score)
                .map(format::percent)
                .unwrap_or_else(|| "недостаточно данных".to_owned()),
        ),
    ];
    page.rows = report
        .rows()
        .iter()
        .map(|row| row_view(instrument, row, k))
        .collect();
    page.compared = report.compare_period.clone();
    page.chart = areas_chart(
        &report,
        "Результаты сети по областям (среднее по детским садам)",
    );
    page.distribution_chart = distribution_chart(&report, "Детские сады");
    page.distribution = distribution_rows(&report);
    page.area_codes = instrument
        .areas()
        .iter()
        .map(|area| (area.code().to_string(), area.title().to_owned()))
        .collect();
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
            total: cell(instrument, Some(line.row.score), Some(&line.row.level)),
            areas: line
                .row
                .areas
                .iter()
                .map(|area| cell(instrument, area.score, area.level.as_ref()))
                .collect(),
            n: line.row.n,
            delta: line
                .row
                .delta
                .map(format::signed_points)
                .unwrap_or_default(),
            drop: line
                .row
                .delta
                .is_some_and(|delta| vsoko_checklist::round6(delta) <= -vsoko_scoring::DROP_PP),
        })
        .collect();
    page.suppressed = report
        .suppressed_kindergartens
        .iter()
        .map(|line| line.short_name.clone())
        .collect();
    page.recommendations = recommendations(&report);
    page.items = item_deficits(&report);
    if query.items.is_none() {
        page.items_href = Some(format!("/network/dashboard?{}&items=1", chosen.query));
    }
    page.downloads = downloads(of, &chosen.query);
    html(&page)
}

#[derive(Deserialize)]
pub(crate) struct FileQuery {
    of: String,
    instrument: String,
    period: String,
    compare: Option<String>,
    format: String,
}

/// `GET /reports/file`: a report as the same XLSX or CSV-RU file as `vsoko export`.
pub(crate) async fn report_file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let of = match query.of.split_once('-') {
        Some(("teacher", id)) => ReportOf::Teacher(id.parse().map_err(|_| PageError::NotFound)?),
        Some(("kindergarten", id)) => {
            ReportOf::Kindergarten(id.parse().map_err(|_| PageError::NotFound)?)
        }
        None if query.of == "network" => ReportOf::Network,
        _ => return Err(PageError::NotFound),
    };
    let format = FileFormat::parse(&query.format, true).ok_or(PageError::NotFound)?;
    let report = app
        .report(
            &viewer.principal,
            &ReportRequest {
                of,
                period: query.period.clone(),
                instrument: query.instrument.clone(),
                version: None,
                compare_period: query.compare.clone().filter(|code| !code.is_empty()),
                compare_version: None,
                items: None,
            },
        )
        .await?;
    let body = format.write(&report_sheets(&report))?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                report_file_name(&report, format)
            ),
        ))
        .body(body))
}
