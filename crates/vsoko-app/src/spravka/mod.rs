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
mod saved;
mod sentences;

pub use saved::{CONCLUSIONS, RECOMMENDATIONS, SavedSpravka, SpravkaEdits, section_lines};

use sentences::level_words;
pub use sentences::*;

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

/// What frames a справка: whose letterhead it is on, its date, the основание of the assessment,
/// its periods in words, who made it and who is to read and sign it.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The lines of the letterhead: the network, and the kindergarten for one's справка.
    pub letterhead: Vec<String>,
    /// The day it was made: the one date it carries.
    pub date: chrono::NaiveDate,
    /// The основание in words, when the methodist set it for the period.
    pub basis: Option<String>,
    /// The period in words («май 2025 г.»).
    pub period: String,
    /// The compared period in words.
    pub compared: Option<String>,
    /// The compared period's instrument version, when it differs.
    pub compared_version: Option<u32>,
    /// Who made it: name and position, as «Исполнитель» reads.
    pub executor: String,
    /// Who is to read it and sign that they have: the people observed (card справки).
    pub acquainted: Vec<String>,
    /// The observations (card справки): date and who or what was observed.
    pub observations: Vec<(chrono::NaiveDate, String)>,
    /// Who signs it: the kindergarten's head by name (a blank line when unknown), the executor
    /// for the network's.
    pub signer: String,
    /// Whom the recommendations are addressed to, in the dative («Заведующему МДОУ № 18»).
    pub addressee: String,
    /// Who answers for them by default (the head; the methodist for the network).
    pub responsible: String,
    /// By when, by default ([`crate::cycle::default_due`]).
    pub due: chrono::NaiveDate,
    /// The nodes with an addressed recommendation in the register for this instrument and
    /// period, each with whose, ответственный and срок in words.
    pub registered: Vec<(String, String)>,
}

fn row_cells(report: &Report, row: &ReportRow, dynamics: bool, bounds: &[f64]) -> Vec<TableCell> {
    let instrument = &report.instrument;
    let k = report.body.min_respondents.unwrap_or(5);
    let mut cells = vec![
        TableCell::text(match row.kind {
            NodeKind::Indicator => format!("— {}", row.title),
            _ => row.title.clone(),
        }),
        TableCell::text(match (row.score, row.suppressed) {
            (_, true) => format!("менее {k} ответов"),
            (Some(value), false) => score(value, bounds),
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
        // What cannot be compared is said once, in the method (rule «сопоставимость»).
        cells.push(TableCell::text(match (row.comparable, row.delta) {
            (Some(false), _) => "—".to_owned(),
            (_, Some(delta)) => signed_points(delta),
            _ => NO_DATA.to_owned(),
        }));
    }
    cells
}

/// Rule «методика»: who assessed and how, by the kind of the instrument, with its title and
/// edition in words.
pub fn method_sentence(instrument: &Instrument) -> String {
    let what = format!(
        "«{}» (редакция {})",
        instrument.title(),
        instrument.version()
    );
    match instrument.kind() {
        InstrumentKind::Survey if instrument.respondent().is_anonymous() => format!(
            "Метод: анонимное анкетирование родителей (законных представителей) по анкете {what}."
        ),
        InstrumentKind::Survey => match instrument.subject() {
            Subject::Teacher if instrument.respondent() == vsoko_checklist::Respondent::Teacher => {
                format!("Метод: самооценка педагогов по анкете {what}.")
            }
            _ => format!("Метод: анкетирование по анкете {what}."),
        },
        InstrumentKind::ControlCard => format!(
            "Метод: наблюдение — посещение заведующим (старшим воспитателем) с заполнением карты {what}."
        ),
        InstrumentKind::IndicatorSet => {
            format!("Метод: заполнение детским садом показателей ВСОКО по набору {what}.")
        }
    }
}

/// Rule «уровни»: the level bands of the instrument with their bounds, and what a deficit is.
pub fn levels_legend(instrument: &Instrument) -> String {
    let bounds = bounds(instrument);
    let bands = instrument.levels().bands();
    let ranges: Vec<String> = bands
        .iter()
        .enumerate()
        .map(|(index, band)| {
            let name = format!("{} «{}»", band.code(), band.name());
            match bands.get(index + 1) {
                Some(next) if index == 0 => {
                    format!("{name} — ниже {}", score(next.from(), &bounds))
                }
                Some(next) => format!(
                    "{name} — от {} до {}",
                    score(band.from(), &bounds),
                    score(next.from(), &bounds)
                ),
                None => format!("{name} — от {}", score(band.from(), &bounds)),
            }
        })
        .collect();
    format!(
        "Уровни результата: {}. Уровень детского сада или сети — уровень их среднего результата, а не уровень отдельного педагога. Дефицит — результат ниже порога {}, установленного инструментом.",
        ranges.join("; "),
        score(instrument.deficit_threshold().get(), &bounds)
    )
}

/// Rule «сопоставимость»: with a compared period filled on another edition of the instrument,
/// which rows can be compared and why the others cannot — one sentence instead of a mark in
/// every row.
pub fn comparability_sentence(rows: &[ReportRow], frame: &Frame, version: u32) -> Option<String> {
    let compared = frame.compared.as_ref()?;
    let comparable = rows
        .iter()
        .filter(|row| row.comparable == Some(true))
        .count();
    let not = rows
        .iter()
        .filter(|row| row.comparable == Some(false))
        .count();
    if not == 0 {
        return None;
    }
    let whole = comparable + not;
    let editions = match frame.compared_version {
        Some(before) => format!(
            "{compared} заполнялся по редакции {before} инструмента, {} — по редакции {version}",
            frame.period
        ),
        None => format!(
            "{compared} и {} заполнялись по разным редакциям инструмента",
            frame.period
        ),
    };
    Some(format!(
        "{}: сопоставимы {comparable} из {whole} {} — те, вопросы которых по таблице соответствия редакций не изменились; для остальных изменение не рассчитывается (в таблице — «—»), потому что их вопросы в редакциях различаются.",
        words::capitalized(&editions),
        words::plural(whole, "строки", "строк", "строк")
    ))
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

/// The areas' chart as the справка prints it ([`areas_chart`]): each bar under the area's name
/// without its code, its figure rounded as the справка's text rounds it, the caption naming the
/// same.
fn printed_chart(report: &Report, caption: &str, bounds: &[f64]) -> ChartSpec {
    let mut chart = areas_chart(report, caption);
    let areas = report
        .rows()
        .iter()
        .filter(|row| row.kind == NodeKind::Area);
    for (bar, row) in chart.bars.iter_mut().zip(areas) {
        bar.label = row.title.clone();
        if let Some(value) = bar.value {
            bar.text = match &row.level {
                Some(level) => format!("{} {}", score(value, bounds), level.code),
                None => score(value, bounds),
            };
        }
    }
    chart.alt = format!(
        "{caption}: {}",
        chart
            .bars
            .iter()
            .map(|bar| format!("{} — {}", bar.label, bar.text))
            .collect::<Vec<_>>()
            .join("; ")
    );
    chart
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
            author: network.name.clone(),
            created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        let cards = match request.of {
            ReportOf::Kindergarten(id)
                if report.instrument.kind() == InstrumentKind::ControlCard =>
            {
                self.kindergarten_cards(principal, id, &request.period)
                    .await?
                    .into_iter()
                    .filter(|card| card.instrument.id() == report.instrument.id())
                    .collect()
            }
            _ => Vec::new(),
        };
        let critical = critical_items(&cards);
        let compared = match &request.compare_period {
            Some(code) => Some(self.period_named(principal, "compare_period", code).await?),
            None => None,
        };
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
        let (executor, executor_name) = self.executor(principal).await?;
        let (addressee, responsible, signer) = match request.of {
            ReportOf::Kindergarten(id) => {
                let unit = self.store.kindergarten(id).await?;
                let people = self.store.people(id).await?;
                (
                    format!("Заведующему {}", unit.short_name),
                    crate::cycle::head_words(&people, &unit),
                    crate::cycle::head_of(&people).map_or_else(
                        || "______________________".to_owned(),
                        |head| head.full_name.clone(),
                    ),
                )
            }
            _ => (
                "Управлению образования (методическая служба)".to_owned(),
                executor.clone(),
                executor_name.unwrap_or_else(|| "______________________".to_owned()),
            ),
        };
        let mut letterhead = vec![network.name.clone()];
        if matches!(request.of, ReportOf::Kindergarten(_)) {
            letterhead.push(full_name.clone());
        }
        let frame = Frame {
            letterhead,
            date: crate::today(),
            basis: period.basis.as_ref().map(vsoko_domain::Basis::words),
            period: words::period_dated(period.starts_on, period.ends_on),
            compared: compared
                .as_ref()
                .map(|compared| words::period_dated(compared.starts_on, compared.ends_on)),
            compared_version: report
                .body
                .compared_with
                .as_ref()
                .map(|id| id.version)
                .filter(|version| *version != report.instrument.version()),
            executor,
            acquainted: observed_people(&cards),
            observations: cards
                .iter()
                .rev()
                .filter_map(|card| Some((card.submission.observed_on?, card.subject.clone())))
                .collect(),
            signer,
            addressee,
            responsible,
            due: crate::cycle::default_due(crate::today()),
            registered: register
                .lines
                .iter()
                .filter(|line| {
                    line.stored.instrument == request.instrument
                        && line.stored.period == request.period
                })
                .map(|line| {
                    (
                        line.stored.node.clone(),
                        format!(
                            "{} — ответственный {}, срок до {}",
                            line.numbers.subject,
                            line.stored.responsible,
                            words::date_text(line.stored.due_on)
                        ),
                    )
                })
                .collect(),
        };
        let counts = self.store.staff_counts(scope).await?;
        let mut document = document(&report, &period, &frame, counts, &critical, properties);
        // The teachers' self-assessment is what training answers: its справка says how the
        // staff are covered by courses at the end of the period, before the recommendations.
        if report.instrument.kind() == InstrumentKind::Survey
            && report.instrument.subject() == Subject::Teacher
        {
            let coverage = self
                .training_coverage(principal, request.of, period.ends_on)
                .await?;
            let mut at = document.sections.len().saturating_sub(1);
            for section in crate::training::coverage_sections(&coverage) {
                document.sections.insert(at, section);
                at += 1;
            }
            // The individual routes of the school year the period ends in.
            let routes = self
                .routes_overview(principal, request.of, period.ends_on)
                .await?;
            document.sections.insert(
                at,
                crate::individual_route::routes_section(
                    &routes,
                    &vsoko_development::SchoolYear::containing(period.ends_on).to_string(),
                ),
            );
        }
        document.sections.extend(cycle::cycle_sections(
            &register,
            &request.instrument,
            report.instrument.title(),
            &request.period,
            &words::period_in_words(period.starts_on, period.ends_on),
        ));
        Ok(document)
    }

    /// Who made a справка, as «Исполнитель» reads — the person of the account with her position,
    /// or the account's role and login when it has no person — and her name, when known.
    async fn executor(&self, principal: &Principal) -> AppResult<(String, Option<String>)> {
        if let Some(id) = principal.user.person_id {
            let person = self.store.person(id).await?;
            return Ok((
                format!("{}, {}", person.full_name, person.position),
                Some(person.full_name),
            ));
        }
        let role = match principal.role() {
            vsoko_domain::Role::Manager => "методист управления образования",
            vsoko_domain::Role::Head => "заведующий",
            vsoko_domain::Role::Admin => "администратор",
            vsoko_domain::Role::Teacher => "педагог",
        };
        Ok((
            format!("{role} (учётная запись {})", principal.user.login),
            None,
        ))
    }
}

/// The critical items a kindergarten's cards of one instrument violated, with how many cards
/// each.
fn critical_items(cards: &[crate::forms::CardRow]) -> Vec<(String, u32)> {
    let mut found: Vec<(String, u32)> = Vec::new();
    for card in cards {
        for item in &card.critical_items {
            match found.iter_mut().find(|(known, _)| known == item) {
                Some(entry) => entry.1 += 1,
                None => found.push((item.clone(), 1)),
            }
        }
    }
    found
}

/// The people a kindergarten's cards observed, each once, by name: those who sign that they have
/// read the справка.
fn observed_people(cards: &[crate::forms::CardRow]) -> Vec<String> {
    let mut people: Vec<String> = cards
        .iter()
        .filter(|card| {
            matches!(
                card.submission.subject,
                vsoko_storage::SubjectRef::Teacher(_)
            )
        })
        .map(|card| card.subject.clone())
        .collect();
    people.sort();
    people.dedup();
    people
}

/// The справка of a report.
fn document(
    report: &Report,
    period: &Period,
    frame: &Frame,
    counts: vsoko_storage::StaffCounts,
    critical: &[(String, u32)],
    properties: DocumentProperties,
) -> Document {
    let instrument = &report.instrument;
    let bounds = bounds(instrument);
    let network = report.of == ReportOf::Network;
    let rows = report.rows();
    let dynamics = report.compare_period.is_some();
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let base = match instrument.subject() {
        Subject::Teacher => counts.teachers,
        Subject::Group => counts.groups,
        Subject::Kindergarten if network => {
            report.kindergartens.len() as u32 + report.suppressed_kindergartens.len() as u32
        }
        Subject::Kindergarten => 1,
    };
    let mut participants = vec![Block::Paragraph(
        if instrument.respondent().is_anonymous() {
            format!(
                "Получено анкет: {}. Результаты групп и детских садов, где ответов меньше {}, не показываются (анкета анонимная). Доля ответивших не рассчитывается: число семей воспитанников в системе не ведётся.",
                report.body.n_submissions,
                report.body.min_respondents.unwrap_or(5)
            )
        } else {
            coverage_sentence(instrument, report.body.n_subjects, base)
        },
    )];
    if instrument.counting() == vsoko_checklist::Counting::Observations {
        participants.push(Block::Paragraph(format!(
            "Проведено {} (заполнено карт: {}).",
            words::counted(
                report.body.n_submissions as usize,
                "наблюдение",
                "наблюдения",
                "наблюдений"
            ),
            report.body.n_submissions
        )));
    }
    if !frame.observations.is_empty() {
        participants.push(Block::Table(DocumentTable {
            caption: "Таблица 1. Наблюдения".to_owned(),
            header: vec!["Дата".to_owned(), "Кто или что наблюдалось".to_owned()],
            rows: frame
                .observations
                .iter()
                .map(|(date, subject)| {
                    vec![
                        TableCell::text(words::date_text(*date)),
                        TableCell::text(subject),
                    ]
                })
                .collect(),
        }));
    }
    if network {
        participants.push(Block::Paragraph(format!(
            "Детских садов с результатами: {}.",
            report.kindergartens.len()
        )));
    }
    let tables = usize::from(!frame.observations.is_empty());
    let card = instrument.kind() == InstrumentKind::ControlCard;
    let mut header = vec![
        "Область / показатель".to_owned(),
        if card {
            "Доля соблюдения"
        } else {
            "Результат"
        }
        .to_owned(),
        "Уровень".to_owned(),
        "n".to_owned(),
    ];
    if dynamics {
        header.push("Изменение".to_owned());
    }
    let mut results = vec![
        Block::Paragraph(total_sentence(
            rows.first(),
            total_words(instrument),
            &bounds,
        )),
        Block::Chart(printed_chart(
            report,
            "Рисунок 1. Результаты по областям",
            &bounds,
        )),
        Block::Table(DocumentTable {
            caption: format!(
                "Таблица {}. Результаты по областям и показателям",
                tables + 1
            ),
            header,
            rows: rows
                .iter()
                .map(|row| row_cells(report, row, dynamics, &bounds))
                .collect(),
        }),
    ];
    // The section's conclusion: where the results are highest and lowest (none from too few).
    if report.insufficient_reason().is_none() {
        results.push(Block::Paragraph(format!(
            "{} {}",
            strongest_sentence(rows, &bounds),
            weakest_sentence(rows, &bounds)
        )));
    }
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
                format!(
                    "Таблица {}. Детские сады (по итоговому результату)",
                    tables + 2
                )
            } else {
                format!(
                    "Таблица {}. Детские сады (по алфавиту: места по самооценке не присваиваются)",
                    tables + 2
                )
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
                        TableCell::text(score(line.row.score, &bounds)),
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
                            None => "—".to_owned(),
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
    let mut weakest = deficit_sentences(rows, instrument.deficit_threshold().get(), &bounds);
    weakest.push(weakest_sentence(rows, &bounds));
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
        "Детские сады по уровню среднего результата"
    } else {
        match instrument.subject() {
            Subject::Group => "Группы по уровням",
            _ => "Педагоги по уровням",
        }
    };
    let mut method = vec![
        Block::Paragraph(format!(
            "Основание: {}.",
            frame.basis.as_deref().unwrap_or("не указано")
        )),
        Block::Paragraph(purpose(instrument)),
        Block::Paragraph(format!(
            "Сроки: с {} по {} ({}).",
            date(period.starts_on),
            date(period.ends_on),
            frame.period
        )),
        Block::Paragraph(method_sentence(instrument)),
        Block::Paragraph(levels_legend(instrument)),
    ];
    method.extend(comparability_sentence(rows, frame, instrument.version()).map(Block::Paragraph));
    let mut signature = vec![
        if network {
            format!(
                "Методист управления образования ____________ / {} /",
                frame.signer
            )
        } else {
            format!("Заведующий ____________ / {} /", frame.signer)
        },
        format!("Исполнитель: {}", frame.executor),
    ];
    if !frame.acquainted.is_empty() {
        signature.push("Со справкой ознакомлены:".to_owned());
        signature.extend(
            frame
                .acquainted
                .iter()
                .map(|name| format!("{name} ____________ «___» ____________ 20__ г.")),
        );
    }
    let strengths = strength_sentences(instrument, rows);
    let mut document = Document {
        letterhead: frame.letterhead.clone(),
        title: "Аналитическая справка".to_owned(),
        subtitle: vec![
            format!("по результатам оценки «{}»", instrument.title()),
            format!(
                "за {}{}",
                frame.period,
                frame
                    .compared
                    .as_ref()
                    .map(|compared| format!(" в сравнении с периодом {compared}"))
                    .unwrap_or_default()
            ),
            format!("от {}", date(frame.date)),
        ],
        sections: vec![
            Section {
                heading: "Основание и методика".to_owned(),
                blocks: method,
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
                        frame.compared.as_deref(),
                    ))])
                    .collect(),
            },
            Section {
                heading: "Готовность к профессиональному развитию".to_owned(),
                blocks: readiness_blocks(instrument, &report.items),
            },
            Section {
                heading: "Выводы".to_owned(),
                blocks: vec![Block::Bullets(conclusion_sentences(
                    rows,
                    &report.distribution,
                    units,
                    total_words(instrument),
                    &bounds,
                ))],
            },
            Section {
                heading: "Рекомендации".to_owned(),
                blocks: vec![
                    Block::Paragraph(format!(
                        "{} (ответственный — {}; срок — до {}, если не указан другой):",
                        frame.addressee,
                        frame.responsible,
                        date(frame.due)
                    )),
                    Block::Bullets(recommendation_sentences(
                        instrument,
                        rows,
                        &deficit_codes,
                        critical,
                        report.body.n_submissions,
                        frame.date + chrono::Days::new(CRITICAL_DUE_DAYS),
                        &frame.registered,
                    )),
                    Block::Paragraph(
                        "Рекомендации носят методический характер; решения о направлении на повышение квалификации принимаются руководителем."
                            .to_owned(),
                    ),
                ],
            },
        ],
        signature,
        properties,
    };
    // A section with nothing to say of this instrument (no role items) is left out.
    document
        .sections
        .retain(|section| !section.blocks.is_empty());
    limit_to_coverage(&mut document, report);
    document
}

/// The readiness section's content: the counts, and where the names are — or nothing, and the
/// section is then dropped by [`document`].
fn readiness_blocks(instrument: &Instrument, items: &[crate::reports::ItemLine]) -> Vec<Block> {
    let sentences = readiness_sentences(instrument, items);
    if sentences.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Paragraph("По ответам анкеты (число ответивших на вопрос):".to_owned()),
        Block::Bullets(sentences),
        Block::Paragraph(
            "Поимённые списки — в разделе «Списки»: включение в них подтверждают заведующие (ТК РФ, ст. 86)."
                .to_owned(),
        ),
    ]
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

/// The days within which a breached critical item is to be put right and observed again.
pub const CRITICAL_DUE_DAYS: u64 = 30;

/// What every report, page, file and справка of an open period says.
pub const PERIOD_OPEN: &str = "Период открыт: данные неполные";

#[cfg(test)]
mod tests;
