//! The аналитическая справка of a kindergarten or of the network, for an instrument and a period
//! (with an optional comparison): the document a старший воспитатель or a methodist files.
//!
//! Every sentence comes from one rule over the report's numbers — a function below, tested with
//! the sentence it gives for given numbers — and a rule with no data says «недостаточно данных».
//! Nothing is invented: the recommendations are the instrument's own `recommendation`s of the
//! nodes in deficit, and the critical items found.
//!
//! The document ([`vsoko_exchange::Document`]) is drawn as a printable HTML page by the web pages
//! and written as DOCX by `vsoko_exchange::write_docx`.

use chrono::Local;
use vsoko_checklist::{Instrument, InstrumentKind, Subject};
use vsoko_exchange::chart::{self, Bar, ChartSpec};
use vsoko_exchange::{Block, Document, DocumentProperties, DocumentTable, Section, TableCell};
use vsoko_scoring::{LevelRef, NodeKind, ReportRow};
use vsoko_storage::{Period, Scope};

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::words::percent;
use crate::{App, Principal, words};

mod cycle;
mod sentences;

use sentences::level_words;
pub use sentences::*;
use vsoko_domain::KindergartenId;

/// What справка to build.
#[derive(Debug, Clone)]
pub struct SpravkaRequest {
    /// A kindergarten's or the network's.
    pub of: ReportOf,
    /// Instrument code.
    pub instrument: String,
    /// Period code.
    pub period: String,
    /// The period compared with.
    pub compare_period: Option<String>,
}

fn shade(instrument: &Instrument, level: Option<&LevelRef>) -> Option<usize> {
    level.and_then(|level| chart::shade(instrument, &level.code))
}

fn row_cells(report: &Report, row: &ReportRow, dynamics: bool) -> Vec<TableCell> {
    let instrument = &report.instrument;
    let k = report.body.min_respondents.unwrap_or(5);
    let mut cells = vec![
        TableCell::text(&row.code),
        TableCell::text(&row.title),
        TableCell::text(match (row.score, row.suppressed) {
            (_, true) => format!("менее {k} ответов"),
            (Some(score), false) => percent(score),
            (None, false) => NO_DATA.to_owned(),
        }),
        TableCell::shaded(
            row.level
                .as_ref()
                .map(level_words)
                .unwrap_or_else(|| "—".to_owned()),
            shade(instrument, row.level.as_ref()),
        ),
        TableCell::text(row.n.to_string()),
    ];
    if dynamics {
        cells.push(TableCell::text(match (row.comparable, row.delta) {
            (Some(false), _) => "нет сопоставимых данных".to_owned(),
            (_, Some(delta)) => signed_points(delta),
            _ => NO_DATA.to_owned(),
        }));
    }
    cells
}

/// The chart of a report's areas: each bar under the area's code and name, its score and level
/// code at its end, the level bounds as marks and the levels named below — for the dashboards, a
/// teacher's results and the справка alike. A result of fewer respondents than the instrument's
/// minimum has no bar: «менее N ответов».
pub fn areas_chart(report: &Report, alt_prefix: &str) -> ChartSpec {
    let instrument = &report.instrument;
    let areas: Vec<&ReportRow> = report
        .rows()
        .iter()
        .filter(|row| row.kind == NodeKind::Area)
        .collect();
    let missing = |row: &ReportRow| {
        if row.suppressed {
            format!("менее {} ответов", report.body.min_respondents.unwrap_or(5))
        } else {
            NO_DATA.to_owned()
        }
    };
    ChartSpec {
        alt: format!(
            "{alt_prefix}: {}",
            areas
                .iter()
                .map(|row| format!(
                    "{} {} — {}",
                    row.code,
                    row.title,
                    match row.score {
                        Some(score) if !row.suppressed => percent(score),
                        _ => missing(row),
                    }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        bars: areas
            .iter()
            .map(|row| Bar {
                label: format!("{} {}", row.code, row.title),
                value: row.score.filter(|_| !row.suppressed),
                shade: shade(instrument, row.level.as_ref()).unwrap_or(0),
                text: match (row.score, &row.level) {
                    (Some(score), Some(level)) if !row.suppressed => {
                        format!("{} {}", percent(score), level.code)
                    }
                    (Some(score), None) if !row.suppressed => percent(score),
                    _ => missing(row),
                },
            })
            .collect(),
        max: 100.0,
        marks: chart::level_marks(instrument),
        legend: chart::level_legend(instrument),
    }
}

/// What the instrument's results are for, in one sentence per kind.
fn purpose(instrument: &Instrument) -> String {
    match instrument.kind() {
        InstrumentKind::Survey if instrument.respondent().is_anonymous() => format!(
            "Цель: изучить мнение родителей (законных представителей) по анкете «{}» и определить направления работы с семьями.",
            instrument.title()
        ),
        InstrumentKind::Survey => format!(
            "Цель: определить уровень и дефициты по результатам анкетирования «{}» для планирования методической поддержки и повышения квалификации.",
            instrument.title()
        ),
        InstrumentKind::ControlCard => format!(
            "Цель: оценить качество образовательной деятельности по результатам наблюдений («{}») и выявить нарушения, требующие устранения.",
            instrument.title()
        ),
        InstrumentKind::IndicatorSet => format!(
            "Цель: оценить качество дошкольного образования по показателям ВСОКО («{}») и сопоставить результаты с целевыми значениями.",
            instrument.title()
        ),
    }
}

impl App {
    /// The справка of a kindergarten or of the network (heads of it, managers, admins; the
    /// network's: managers and admins) — the report's own checks decide.
    pub async fn spravka(
        &self,
        principal: &Principal,
        request: &SpravkaRequest,
    ) -> AppResult<Document> {
        if matches!(request.of, ReportOf::Teacher(_)) {
            return Err(AppError::invalid(
                "of",
                "not_supported",
                "справка составляется по детскому саду или по сети",
            ));
        }
        let report = self
            .report(
                principal,
                &ReportRequest {
                    of: request.of,
                    period: request.period.clone(),
                    instrument: request.instrument.clone(),
                    version: None,
                    compare_period: request.compare_period.clone(),
                    compare_version: None,
                    items: Some(true),
                },
            )
            .await?;
        let period: Period = self
            .period_named(principal, "period", &request.period)
            .await?;
        let network = self.store.network(principal.network_id()).await?;
        let (scope, full_name, short_name, ascii_scope) = match request.of {
            ReportOf::Kindergarten(id) => {
                let kindergarten = self.store.kindergarten(id).await?;
                (
                    Scope::Kindergarten(id),
                    kindergarten.full_name,
                    kindergarten.short_name,
                    format!("kindergarten-{id}"),
                )
            }
            _ => (
                Scope::Network(principal.network_id()),
                report.scope_name.clone(),
                network.name.clone(),
                "network".to_owned(),
            ),
        };
        let properties = DocumentProperties {
            file_name: words::file_name(
                &format!(
                    "Справка {short_name} — {} — {}",
                    words::file_name(report.instrument.title(), 80),
                    words::period_in_words(period.starts_on, period.ends_on)
                ),
                200,
            ),
            // The codes are ASCII: the instrument's id is checked by its schema, the period's
            // code by the period's form.
            ascii_file_name: format!(
                "vsoko-spravka-{ascii_scope}-{}-{}",
                report.instrument.id().code,
                period.code
            ),
            author: network.name,
            created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        let critical = match request.of {
            ReportOf::Kindergarten(id)
                if report.instrument.kind() == InstrumentKind::ControlCard =>
            {
                self.critical_items(principal, id, &request.period, &report.instrument)
                    .await?
            }
            _ => Vec::new(),
        };
        let counts = self.store.staff_counts(scope).await?;
        let mut document = document(&report, &period, &full_name, counts, &critical, properties);
        // The teachers' self-assessment is what training answers: its справка says how the
        // staff are covered by courses at the end of the period, before the recommendations.
        if report.instrument.kind() == InstrumentKind::Survey
            && report.instrument.subject() == Subject::Teacher
        {
            let coverage = self
                .training_coverage(principal, request.of, period.ends_on)
                .await?;
            let at = document.sections.len().saturating_sub(1);
            document
                .sections
                .insert(at, crate::training::coverage_section(&coverage));
        }
        // The management cycle: what was recommended and decided on this period, and what the
        // measures of earlier periods achieved by it (the register's, in the справка's scope).
        let filter = crate::cycle::RegisterFilter {
            kindergarten: match request.of {
                ReportOf::Kindergarten(id) => Some(id),
                _ => None,
            },
            ..crate::cycle::RegisterFilter::default()
        };
        let register = self.register(principal, &filter, crate::today()).await?;
        document.sections.extend(cycle::cycle_sections(
            &register,
            &request.instrument,
            &request.period,
            &words::period_in_words(period.starts_on, period.ends_on),
        ));
        Ok(document)
    }

    /// The critical items a kindergarten's cards of one instrument violated in a period, with how
    /// many cards each.
    async fn critical_items(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        period: &str,
        instrument: &Instrument,
    ) -> AppResult<Vec<(String, u32)>> {
        let mut found: Vec<(String, u32)> = Vec::new();
        for card in self
            .kindergarten_cards(principal, kindergarten, period)
            .await?
            .iter()
            .filter(|card| card.instrument.id() == instrument.id())
        {
            for item in &card.critical_items {
                match found.iter_mut().find(|(known, _)| known == item) {
                    Some(entry) => entry.1 += 1,
                    None => found.push((item.clone(), 1)),
                }
            }
        }
        Ok(found)
    }
}

/// The справка of a report.
fn document(
    report: &Report,
    period: &Period,
    full_name: &str,
    counts: vsoko_storage::StaffCounts,
    critical: &[(String, u32)],
    properties: DocumentProperties,
) -> Document {
    let instrument = &report.instrument;
    let network = report.of == ReportOf::Network;
    let rows = report.rows();
    let dynamics = report.compare_period.is_some();
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let (who, base) = match instrument.subject() {
        Subject::Teacher if instrument.respondent() == vsoko_checklist::Respondent::Teacher => {
            ("педагоги", counts.teachers)
        }
        Subject::Teacher => ("сотрудники", counts.teachers),
        Subject::Group => ("группы", counts.groups),
        Subject::Kindergarten => (
            "детские сады",
            if network {
                report.kindergartens.len() as u32 + report.suppressed_kindergartens.len() as u32
            } else {
                1
            },
        ),
    };
    let mut participants = vec![Block::Paragraph(
        if instrument.respondent().is_anonymous() {
            format!(
                "Получено анкет: {}. Результаты групп и детских садов, где ответов меньше {}, не показываются (анкета анонимная).",
                report.body.n_submissions,
                report.body.min_respondents.unwrap_or(5)
            )
        } else {
            coverage_sentence(who, report.body.n_subjects, base)
        },
    )];
    if instrument.counting() == vsoko_checklist::Counting::Observations {
        participants.push(Block::Paragraph(format!(
            "Проведено наблюдений (заполнено карт): {}.",
            report.body.n_submissions
        )));
    }
    if network {
        participants.push(Block::Paragraph(format!(
            "Детских садов с результатами: {}.",
            report.kindergartens.len()
        )));
    }
    let mut header = vec![
        "Код".to_owned(),
        "Область / показатель".to_owned(),
        "Результат".to_owned(),
        "Уровень".to_owned(),
        "n".to_owned(),
    ];
    if dynamics {
        header.push("Изменение".to_owned());
    }
    let mut results = vec![
        Block::Paragraph(total_sentence(rows.first())),
        Block::Chart(areas_chart(report, "Рисунок. Результаты по областям")),
        Block::Table(DocumentTable {
            caption: "Таблица 1. Результаты по областям и показателям".to_owned(),
            header,
            rows: rows
                .iter()
                .map(|row| row_cells(report, row, dynamics))
                .collect(),
        }),
    ];
    if network && !report.kindergartens.is_empty() {
        // Places only where the instrument gives them (not by self-assessment).
        let ranks = instrument.ranks();
        let mut header = Vec::new();
        if ranks {
            header.push("Место".to_owned());
        }
        header.extend([
            "Детский сад".to_owned(),
            "Результат".to_owned(),
            "Уровень".to_owned(),
        ]);
        if dynamics {
            header.push("Изменение".to_owned());
        }
        results.push(Block::Table(DocumentTable {
            caption: if ranks {
                "Таблица 2. Детские сады (по итоговому результату)".to_owned()
            } else {
                "Таблица 2. Детские сады (по алфавиту: места по самооценке не присваиваются)"
                    .to_owned()
            },
            header,
            rows: report
                .kindergartens
                .iter()
                .map(|line| {
                    // A kindergarten without enough coverage of its own has no place: «—».
                    let mut cells: Vec<TableCell> = Vec::new();
                    if ranks {
                        cells.push(TableCell::text(
                            line.row
                                .rank
                                .map_or_else(|| "—".to_owned(), |rank| rank.to_string()),
                        ));
                    }
                    cells.extend([
                        TableCell::text(&line.short_name),
                        TableCell::text(percent(line.row.score)),
                        match &line.row.level {
                            Some(level) => TableCell::shaded(
                                level_words(level),
                                shade(instrument, Some(level)),
                            ),
                            None => TableCell::text(NO_DATA),
                        },
                    ]);
                    if dynamics {
                        cells.push(TableCell::text(match line.row.delta {
                            Some(delta) => signed_points(delta),
                            None => "нет сопоставимых данных".to_owned(),
                        }));
                    }
                    cells
                })
                .collect(),
        }));
    }
    let deficit_items: Vec<&crate::reports::ItemLine> = report
        .items
        .iter()
        .filter(|item| item.result.as_ref().is_some_and(|result| result.deficit))
        .collect();
    let items: Vec<String> = deficit_items
        .iter()
        .filter_map(|item| item_deficit_sentence(instrument, item))
        .collect();
    let deficit_codes: Vec<String> = deficit_items.iter().map(|item| item.code.clone()).collect();
    let mut weakest = deficit_sentences(rows, instrument.deficit_threshold().get());
    weakest.push(weakest_sentence(rows));
    let mut deficits = vec![Block::Bullets(weakest)];
    let individual = individual_deficit_sentences(instrument, rows);
    if !individual.is_empty() {
        deficits.push(Block::Paragraph(
            "Результаты отдельных участников ниже порога (средние их не показывают):".to_owned(),
        ));
        deficits.push(Block::Bullets(individual));
    }
    if !items.is_empty() {
        deficits.push(Block::Paragraph(format!(
            "Пункты с дефицитом ({}):",
            item_deficit_rule()
        )));
        deficits.push(Block::Bullets(items));
    }
    let units = if network {
        "Детские сады"
    } else {
        match instrument.subject() {
            Subject::Group => "Группы",
            _ => "Педагоги",
        }
    };
    let strengths = strength_sentences(instrument, rows);
    let mut document = Document {
        title: "Аналитическая справка".to_owned(),
        subtitle: vec![
            format!("по результатам оценки «{}»", instrument.title()),
            full_name.to_owned(),
            format!(
                "Период оценки {} ({} – {}){}",
                period.code,
                date(period.starts_on),
                date(period.ends_on),
                report
                    .compare_period
                    .as_ref()
                    .map(|code| format!(", сравнение с периодом {code}"))
                    .unwrap_or_default()
            ),
        ],
        sections: vec![
            Section {
                heading: "Цель и сроки".to_owned(),
                blocks: vec![
                    Block::Paragraph(purpose(instrument)),
                    Block::Paragraph(format!(
                        "Сроки: с {} по {} (период {}). Инструмент: «{}», версия {}.",
                        date(period.starts_on),
                        date(period.ends_on),
                        period.code,
                        instrument.title(),
                        instrument.version()
                    )),
                ],
            },
            Section {
                heading: "Участники и охват".to_owned(),
                blocks: participants,
            },
            Section {
                heading: "Результаты по направлениям".to_owned(),
                blocks: results,
            },
            Section {
                heading: "Сильные стороны".to_owned(),
                blocks: vec![Block::Bullets(strengths)],
            },
            Section {
                heading: "Дефициты".to_owned(),
                blocks: deficits,
            },
            Section {
                heading: "Динамика".to_owned(),
                blocks: comparison_sentence(report)
                    .map(Block::Paragraph)
                    .into_iter()
                    .chain([Block::Bullets(dynamics_sentences(
                        rows,
                        report.compare_period.as_deref(),
                    ))])
                    .collect(),
            },
            Section {
                heading: "Выводы".to_owned(),
                blocks: vec![Block::Bullets(conclusion_sentences(
                    rows,
                    &report.distribution,
                    units,
                ))],
            },
            Section {
                heading: "Рекомендации".to_owned(),
                blocks: vec![
                    Block::Bullets(recommendation_sentences(
                        instrument,
                        rows,
                        &deficit_codes,
                        critical,
                    )),
                    Block::Paragraph(
                        "Рекомендации носят методический характер; решения о направлении на повышение квалификации принимаются руководителем."
                            .to_owned(),
                    ),
                ],
            },
        ],
        signature: vec![
            if network {
                "Методист управления образования ____________ / ______________________ /".to_owned()
            } else {
                "Заведующий (старший воспитатель) ____________ / ______________________ /"
                    .to_owned()
            },
            format!(
                "Дата: «___» ____________ 20__ г.   Справка сформирована {}",
                Local::now().format("%d.%m.%Y")
            ),
        ],
        properties,
    };
    limit_to_coverage(&mut document, report);
    document
}

/// Rule «охват и полнота»: an open period says its data are incomplete at the top; a result of
/// too few of the active subjects draws no strength, deficit, change, conclusion or
/// recommendation — each of those sections says why instead.
fn limit_to_coverage(document: &mut Document, report: &Report) {
    if report.period_open
        && let Some(first) = document.sections.first_mut()
    {
        first.blocks.insert(
            0,
            Block::Paragraph(format!(
                "{PERIOD_OPEN}: справка отражает ответы, поступившие к {}.",
                Local::now().format("%d.%m.%Y")
            )),
        );
    }
    if let Some(reason) = report.insufficient_reason() {
        for section in &mut document.sections {
            if matches!(
                section.heading.as_str(),
                "Сильные стороны" | "Дефициты" | "Динамика" | "Выводы" | "Рекомендации"
            ) {
                section.blocks = vec![Block::Paragraph(format!(
                    "Недостаточно данных: {reason}. Уровни, изменения и выводы по этим данным не приводятся."
                ))];
            }
        }
    }
}

/// What every report, page, file and справка of an open period says.
pub const PERIOD_OPEN: &str = "Период открыт: данные неполные";

#[cfg(test)]
mod tests;
