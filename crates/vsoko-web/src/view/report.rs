//! A report as its pages show it: the filters (instrument, version, period, compared period),
//! the rows with their levels and changes, the charts, the deficits with their recommendations,
//! and the downloads. Every number comes from `vsoko_app::App::report`; this only draws it.

use serde::Deserialize;
use vsoko_app::App;
use vsoko_app::report_choice::ReportAsk;
use vsoko_app::reports::{LevelRef, NodeKind, ReportRow};
use vsoko_app::reports::{Report, ReportOf};
use vsoko_checklist::Instrument;
use vsoko_exchange::chart::{self as charts, Bar, ChartSpec};

use crate::error::PageError;
use crate::format::{self, period_text};
use crate::session::Viewer;
use crate::view::choice::Choice;

/// The filters of a report page, as the address gives them.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    instrument: Option<String>,
    version: Option<String>,
    period: Option<String>,
    compare: Option<String>,
    pub items: Option<String>,
}

/// The filter form of a report page.
pub(crate) struct Filters {
    pub action: String,
    pub instruments: Vec<Choice>,
    pub versions: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub compares: Vec<Choice>,
}

/// What a report page reads: the filters chosen and the report, if there is data.
pub(crate) struct Chosen {
    pub filters: Filters,
    pub report: Option<Report>,
    pub notice: Option<String>,
    pub query: String,
    /// The period chosen (its code), with or without a report.
    pub period: Option<String>,
}

/// Reads the report the address asks for ([`App::choose_report`] chooses what is not asked)
/// and draws its filters.
pub(crate) async fn choose(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    action: String,
    query: &ReportQuery,
) -> Result<Chosen, PageError> {
    let ask = ReportAsk {
        instrument: query.instrument.clone(),
        version: query.version.clone(),
        period: query.period.clone(),
        compare: query.compare.clone(),
        items: query.items.is_some(),
    };
    let choice = app.choose_report(&viewer.principal, of, &ask).await?;
    let Some(instrument) = &choice.instrument else {
        return Ok(Chosen {
            filters: Filters {
                action,
                instruments: Vec::new(),
                versions: Vec::new(),
                periods: Vec::new(),
                compares: Vec::new(),
            },
            report: None,
            notice: None,
            query: String::new(),
            period: None,
        });
    };
    let (period, compare, version) = (
        choice.period.as_ref(),
        choice.compare.as_ref(),
        choice.version,
    );
    let filters = Filters {
        action,
        instruments: choice
            .instruments
            .iter()
            .map(|candidate| Choice {
                value: candidate.code().to_string(),
                label: candidate.title().to_owned(),
                selected: candidate.code() == instrument.code(),
            })
            .collect(),
        versions: std::iter::once(Choice {
            value: String::new(),
            label: "как заполнено в периоде".to_owned(),
            selected: version.is_none(),
        })
        .chain(choice.versions.iter().rev().map(|candidate| Choice {
            value: candidate.to_string(),
            label: format!("версия {candidate}"),
            selected: version == Some(*candidate),
        }))
        .collect(),
        periods: choice
            .periods
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
            choice
                .periods
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
    let (Some(period), Some(report)) = (period, choice.report.clone()) else {
        return Ok(Chosen {
            filters,
            report: None,
            notice: None,
            query: String::new(),
            period: period.map(|period| period.code.clone()),
        });
    };
    let notice = choice.compare_dropped.then(|| {
        "Сравнение с выбранным периодом недоступно: версии инструмента несопоставимы.".to_owned()
    });
    let mut query = format!(
        "instrument={}&period={}&compare={}",
        format::url_encode(instrument.code().as_str()),
        format::url_encode(&period.code),
        format::url_encode(report.compare_period.as_deref().unwrap_or_default())
    );
    if let Some(version) = version {
        query.push_str(&format!("&version={version}"));
    }
    Ok(Chosen {
        filters,
        report: Some(report),
        notice,
        query,
        period: Some(period.code.clone()),
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
    pub below: String,
}

pub(crate) fn level_text(level: Option<&LevelRef>) -> String {
    level
        .map(|level| format!("{} «{}»", level.code, level.name))
        .unwrap_or_else(|| "—".to_owned())
}

pub(crate) fn score_text(score: Option<f64>, suppressed: bool, k: Option<u32>) -> String {
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

pub(crate) fn row_view(instrument: &Instrument, row: &ReportRow, k: Option<u32>) -> RowView {
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
        below: vsoko_app::spravka::subjects_below_text(row),
    }
}

/// The chart of the areas of a report.
pub(crate) fn areas_chart(report: &Report, alt_prefix: &str) -> String {
    charts::svg(&vsoko_app::spravka::areas_chart(report, alt_prefix))
}

/// The chart of how many are at each level.
pub(crate) fn distribution_chart(report: &Report, what: &str) -> String {
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
            .map(|(level, n)| format!("{} «{}» — {n}", level.code, level.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bars: Vec<Bar> = report
        .distribution
        .iter()
        .map(|(level, n)| Bar {
            label: format!("{} «{}»", level.code, level.name),
            value: Some(f64::from(*n)),
            shade: charts::shade(instrument, &level.code).unwrap_or(0),
            text: n.to_string(),
        })
        .collect();
    charts::svg(&ChartSpec {
        caption: None,
        alt,
        bars,
        max: f64::from(max),
        marks: Vec::new(),
        legend: Vec::new(),
    })
}

/// A level band with how many are at it.
pub(crate) struct LevelCountView {
    pub level: String,
    pub class: String,
    pub n: u32,
}

pub(crate) fn distribution_rows(report: &Report) -> Vec<LevelCountView> {
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

/// What a report page says about its data: how many of the active subjects it covers, that the
/// period is open, and — when the coverage is not enough — why it has no levels or changes.
pub(crate) fn coverage_summary(report: &Report) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    if let Some(coverage) = report.coverage {
        lines.push((
            "Охват".to_owned(),
            vsoko_app::spravka::coverage_figure(&coverage),
        ));
    }
    if report.period_open {
        lines.push((
            "Внимание".to_owned(),
            vsoko_app::spravka::PERIOD_OPEN.to_owned(),
        ));
    }
    if let Some(reason) = report.insufficient_reason() {
        lines.push((
            "Уровни и изменения".to_owned(),
            format!("недостаточно данных: {reason}"),
        ));
    }
    lines
}

/// An item a population answered low.
pub(crate) struct ItemDeficit {
    pub code: String,
    pub text: String,
    pub mean: String,
    pub low: String,
    /// The options of the lower part of the scale: «Нет», «Скорее нет».
    pub low_label: String,
    pub n: u32,
}

pub(crate) fn item_deficits(report: &Report) -> Vec<ItemDeficit> {
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
                    low_label: vsoko_app::spravka::low_labels(&report.instrument, &item.code),
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

pub(crate) fn recommendations(report: &Report) -> Vec<Recommendation> {
    let instrument = &report.instrument;
    report
        .rows()
        .iter()
        .filter(|row| row.deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
        .map(|row| {
            let text = instrument
                .recommendation(&row.code)
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

/// The downloads of a report page: the справка (page and Word) of a kindergarten or the network,
/// and the report's files.
pub(crate) fn downloads(of: ReportOf, query: &str) -> Vec<(String, &'static str)> {
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

/// What every report page shows of a report: its facts, rows, charts, deficits and downloads.
/// The dashboards add their tables of people or kindergartens; a teacher's results its total
/// and next level.
#[derive(Default)]
pub(crate) struct ReportView {
    /// The facts: instrument, period, what was counted, coverage.
    pub summary: Vec<(String, String)>,
    pub rows: Vec<RowView>,
    /// The compared period.
    pub compared: Option<String>,
    /// Whether the change is of the same people ([`vsoko_app::spravka::comparison_sentence`]).
    pub comparison: Option<String>,
    pub chart: String,
    pub distribution_chart: String,
    pub distribution: Vec<LevelCountView>,
    /// Every area's code with its title (the heat maps' column heads).
    pub area_codes: Vec<(String, String)>,
    pub recommendations: Vec<Recommendation>,
    pub items: Vec<ItemDeficit>,
    pub downloads: Vec<(String, &'static str)>,
}

impl ReportView {
    /// The view of `report` of `of` (`query`: the filters' address, for the downloads), its
    /// facts after the instrument and the period being `facts` and the coverage; the areas'
    /// chart described as `chart_alt`, the levels' as counting `counted`.
    pub(crate) fn of(
        report: &Report,
        of: ReportOf,
        query: &str,
        facts: Vec<(String, String)>,
        chart_alt: &str,
        counted: &str,
    ) -> ReportView {
        let instrument = &report.instrument;
        let k = report.body.min_respondents;
        let mut summary = vec![
            (
                "Инструмент".to_owned(),
                format!("{} (версия {})", instrument.title(), instrument.version()),
            ),
            ("Период".to_owned(), report.period.clone()),
        ];
        summary.extend(facts);
        summary.extend(coverage_summary(report));
        ReportView {
            summary,
            rows: report
                .rows()
                .iter()
                .map(|row| row_view(instrument, row, k))
                .collect(),
            compared: report.compare_period.clone(),
            comparison: vsoko_app::spravka::comparison_sentence(report),
            chart: areas_chart(report, chart_alt),
            distribution_chart: distribution_chart(report, counted),
            distribution: distribution_rows(report),
            area_codes: instrument
                .areas()
                .iter()
                .map(|area| (area.code().to_string(), area.title().to_owned()))
                .collect(),
            recommendations: recommendations(report),
            items: item_deficits(report),
            downloads: downloads(of, query),
        }
    }
}
