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

use std::collections::HashMap;

use vsoko_checklist::{AnswerValue, InstrumentKind, ScaleKind, Subject};
use vsoko_exchange::chart::{self, Bar, ChartSpec};
use vsoko_exchange::{Document, DocumentProperties};
use vsoko_scoring::{NodeKind, ReportRow};
use vsoko_storage::{Period, Scope};

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::words::percent;
use crate::{App, Principal, words};

mod cycle;
mod document;
mod saved;
mod sentences;

pub use document::{comparability_sentence, levels_legend, method_sentence};
use document::{document, shade};

pub use saved::{
    CONCLUSIONS, OPTIONAL_SECTIONS, RECOMMENDATIONS, SavedSpravka, SpravkaEdits, optional_sections,
    section_lines,
};

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

/// One observation of a card справка.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// When.
    pub on: chrono::NaiveDate,
    /// Who or what was observed: the teacher, or the group.
    pub subject: String,
    /// What the card noted about it without scoring it — the children's age at a lesson, whether
    /// electronic resources were used —, an option's label per [`Frame::observation_columns`]
    /// («—» where not answered).
    pub noted: Vec<String>,
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
    /// The observations (card справки), earliest first.
    pub observations: Vec<Observation>,
    /// What the cards note without scoring it, one column each: the items' names.
    pub observation_columns: Vec<String>,
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
        caption: None,
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
        let unit = match request.of {
            ReportOf::Kindergarten(id) => Some(self.store.kindergarten(id).await?),
            _ => None,
        };
        let (scope, full_name, short_name, ascii_scope) = match &unit {
            Some(kindergarten) => (
                Scope::Kindergarten(kindergarten.id),
                kindergarten.full_name.clone(),
                kindergarten.short_name.clone(),
                format!("kindergarten-{}", kindergarten.id),
            ),
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
        let (addressee, responsible, signer) = match &unit {
            Some(unit) => {
                let people = self.store.people(unit.id).await?;
                (
                    format!("Заведующему {}", unit.short_name),
                    crate::cycle::head_words(&people, unit),
                    crate::cycle::head_of(&people).map_or_else(
                        || "______________________".to_owned(),
                        |head| head.full_name.clone(),
                    ),
                )
            }
            None => (
                "Управлению образования (методическая служба)".to_owned(),
                executor.clone(),
                executor_name.unwrap_or_else(|| "______________________".to_owned()),
            ),
        };
        let (observation_columns, observations) = self.observations(&cards).await?;
        let mut letterhead = vec![network.name.clone()];
        if unit.is_some() {
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
            observation_columns,
            observations,
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

impl App {
    /// The observations of `cards` (one kindergarten's, of one instrument version and period),
    /// earliest first, with what each noted without scoring it (one read of those answers), and
    /// the names of those items.
    async fn observations(
        &self,
        cards: &[crate::forms::CardRow],
    ) -> AppResult<(Vec<String>, Vec<Observation>)> {
        let Some(first) = cards.first() else {
            return Ok((Vec::new(), Vec::new()));
        };
        let instrument = &first.instrument;
        let context: Vec<_> = instrument
            .items()
            .filter(|entry| !entry.item.is_scored() && entry.item.role().is_none())
            .filter(|entry| matches!(entry.scale.kind(), ScaleKind::Options(_)))
            .collect();
        let codes: Vec<String> = context
            .iter()
            .map(|entry| entry.item.code().to_string())
            .collect();
        let answers: HashMap<_, Vec<vsoko_domain::StoredAnswer>> = if codes.is_empty() {
            HashMap::new()
        } else {
            self.store
                .staff_answers(
                    Scope::Kindergarten(first.submission.kindergarten_id),
                    &[first.submission.instrument_id],
                    &[first.submission.period_id],
                    &codes,
                )
                .await?
                .into_iter()
                .map(|row| (row.listed.submission.id, row.answers))
                .collect()
        };
        // A column is named by its scale's title without the note in brackets («Возраст младших
        // детей на занятии (в расчёт не входит)»), else by the item's text.
        let columns = context
            .iter()
            .map(|entry| {
                entry
                    .scale
                    .title()
                    .map(|title| title.split(" (").next().unwrap_or(title).trim().to_owned())
                    .filter(|title| !title.is_empty())
                    .unwrap_or_else(|| entry.item.text().to_owned())
            })
            .collect();
        let observations = cards
            .iter()
            .rev()
            .filter_map(|card| {
                let given = answers.get(&card.submission.id);
                let noted = context
                    .iter()
                    .map(|entry| {
                        let ScaleKind::Options(options) = entry.scale.kind() else {
                            return None;
                        };
                        let answer = given?
                            .iter()
                            .find(|answer| answer.item == entry.item.code().as_str())?;
                        let AnswerValue::Value(value) = answer.value else {
                            return None;
                        };
                        let option = options.iter().find(|option| option.value() == value)?;
                        Some(option.label().to_owned())
                    })
                    .map(|label| label.unwrap_or_else(|| "—".to_owned()))
                    .collect();
                Some(Observation {
                    on: card.submission.observed_on?,
                    subject: card.subject.clone(),
                    noted,
                })
            })
            .collect();
        Ok((columns, observations))
    }
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

/// The days within which a breached critical item is to be put right and observed again.
pub const CRITICAL_DUE_DAYS: u64 = 30;

/// What every report, page, file and справка of an open period says.
pub const PERIOD_OPEN: &str = "Период открыт: данные неполные";

#[cfg(test)]
mod tests;
