//! An event of the plan as a form (the web page's or the API's) sends it, read into an event or
//! every field it cannot read.

use std::collections::HashMap;

use chrono::NaiveDate;
use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId};

use super::{EventFormat, PlanEvent, Seats};
use crate::error::{AppError, AppResult, FieldError};

/// An event as typed: every field as text.
#[derive(Debug, Clone, Default)]
pub struct EventForm {
    /// The plan's version the change is based on.
    pub version: String,
    /// Why (required once a head has agreed).
    pub reason: String,
    pub topic: String,
    /// [`EventFormat::code`].
    pub format: String,
    /// `2026-10`.
    pub month: String,
    /// A date (`2026-10-14` or `14.10.2026`), or empty.
    pub date: String,
    /// The host kindergarten's id, or empty for the department.
    pub host: String,
    /// The responsible in words.
    pub responsible: String,
    /// The leaders' person ids.
    pub leaders: Vec<String>,
    /// Area codes.
    pub areas: Vec<String>,
    pub hours: String,
    /// Seats per kindergarten: its id and the number as typed (empty: none).
    pub seats: Vec<(String, String)>,
    pub planned_result: String,
}

/// The version a change is based on.
pub(super) fn version(text: &str) -> AppResult<u32> {
    text.trim().parse().map_err(|_| {
        AppError::invalid(
            "version",
            "invalid",
            "не указана редакция плана: откройте план заново",
        )
    })
}

impl EventForm {
    /// The form of an event as it is (for its edit page).
    pub fn of(event: &PlanEvent, version: u32) -> EventForm {
        EventForm {
            version: version.to_string(),
            reason: String::new(),
            topic: event.topic.clone(),
            format: event.format.code().to_owned(),
            month: event.month.format("%Y-%m").to_string(),
            date: event
                .date
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            host: event.host.map(|id| id.to_string()).unwrap_or_default(),
            responsible: event.responsible.clone(),
            leaders: event.leaders.iter().map(ToString::to_string).collect(),
            areas: event.areas.clone(),
            hours: event.hours.to_string(),
            seats: event
                .seats
                .iter()
                .map(|seats| (seats.kindergarten.to_string(), seats.seats.to_string()))
                .collect(),
            planned_result: event.planned_result.clone(),
        }
    }

    /// The event the form says, over `base` (what it keeps: participants, attendance), with
    /// every field it cannot read.
    pub(super) fn read(
        &self,
        base: Option<&PlanEvent>,
        units: &[Kindergarten],
        people: &HashMap<PersonId, Person>,
    ) -> AppResult<PlanEvent> {
        let mut errors = Vec::new();
        let format = EventFormat::parse(self.format.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "format",
                "unknown",
                "выберите форму мероприятия из списка",
            ));
            EventFormat::Seminar
        });
        let month = NaiveDate::parse_from_str(&format!("{}-01", self.month.trim()), "%Y-%m-%d")
            .unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    "month",
                    "invalid",
                    "выберите месяц проведения из списка",
                ));
                NaiveDate::MIN
            });
        let date = match self.date.trim() {
            "" => None,
            text => {
                let parsed = crate::forms::parse_date(text);
                if parsed.is_none() {
                    errors.push(FieldError::new(
                        "date",
                        "invalid",
                        "дата — в виде 14.10.2026, или оставьте поле пустым",
                    ));
                }
                parsed
            }
        };
        let host = match self.host.trim() {
            "" => None,
            text => {
                let found = text
                    .parse::<i64>()
                    .ok()
                    .map(KindergartenId::new)
                    .filter(|id| units.iter().any(|unit| unit.id == *id));
                if found.is_none() {
                    errors.push(FieldError::new(
                        "host",
                        "unknown",
                        "такого детского сада нет в сети: выберите из списка",
                    ));
                }
                found
            }
        };
        let mut leaders = Vec::new();
        for text in &self.leaders {
            match text
                .trim()
                .parse::<i64>()
                .ok()
                .map(PersonId::new)
                .filter(|id| people.contains_key(id))
            {
                Some(id) if !leaders.contains(&id) => leaders.push(id),
                Some(_) => {}
                None => errors.push(FieldError::new(
                    "leaders",
                    "unknown",
                    "такого сотрудника нет в сети: выберите из списка",
                )),
            }
        }
        let hours = self.hours.trim().parse::<u32>().unwrap_or_else(|_| {
            errors.push(FieldError::new(
                "hours",
                "invalid",
                format!(
                    "часы — целое число от 1 до {} (академических часов)",
                    vsoko_development::MAX_EVENT_HOURS
                ),
            ));
            1
        });
        let mut seats = Vec::new();
        for (unit, count) in &self.seats {
            let count = count.trim();
            if count.is_empty() || count == "0" {
                continue;
            }
            let unit = unit
                .trim()
                .parse::<i64>()
                .ok()
                .map(KindergartenId::new)
                .filter(|id| units.iter().any(|known| known.id == *id));
            match (unit, count.parse::<u32>()) {
                (Some(unit), Ok(count)) => seats.push(Seats {
                    kindergarten: unit,
                    seats: count,
                }),
                (None, _) => errors.push(FieldError::new(
                    "seats",
                    "unknown",
                    "места указаны для детского сада не из сети",
                )),
                (_, Err(_)) => errors.push(FieldError::new(
                    "seats",
                    "invalid",
                    "места — целое число (или пусто, если детский сад не участвует)",
                )),
            }
        }
        AppError::check(errors)?;
        let mut areas: Vec<String> = self
            .areas
            .iter()
            .map(|code| code.trim().to_owned())
            .filter(|code| !code.is_empty())
            .collect();
        areas.dedup();
        Ok(PlanEvent {
            id: base.map_or(0, |event| event.id),
            topic: self.topic.trim().to_owned(),
            format,
            month,
            date,
            host,
            leaders,
            responsible: self.responsible.trim().to_owned(),
            areas,
            hours,
            seats,
            participants: base
                .map(|event| event.participants.clone())
                .unwrap_or_default(),
            planned_result: self.planned_result.trim().to_owned(),
            reasoning: base
                .map(|event| event.reasoning.clone())
                .unwrap_or_default(),
            held: base.and_then(|event| event.held.clone()),
        })
    }
}
