//! What the plan's pages and files read: names of the network's people and kindergartens, an
//! event in words, months in words.

use std::collections::HashMap;

use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId};

use super::{AgreementLine, EventLine, PlanAgreement, PlanEvent, SchoolYear};
use crate::Principal;

/// Names of people and kindergartens of a network, read once per view.
pub(super) struct Names {
    pub(super) units: Vec<Kindergarten>,
    pub(super) people: HashMap<PersonId, Person>,
}

impl Names {
    pub(super) fn unit(&self, id: KindergartenId) -> String {
        self.units
            .iter()
            .find(|unit| unit.id == id)
            .map_or_else(|| format!("ДОО {id}"), |unit| unit.short_name.clone())
    }

    pub(super) fn person(&self, id: PersonId) -> String {
        self.people.get(&id).map_or_else(
            || format!("сотрудник {id}"),
            |person| person.full_name.clone(),
        )
    }
}

/// The months of a school year: value and words.
pub fn school_months(year: SchoolYear) -> Vec<(String, String)> {
    [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]
        .into_iter()
        .map(|month| {
            let first = vsoko_development::month_of(year, month);
            (
                first.format("%Y-%m").to_string(),
                crate::words::month_text(first),
            )
        })
        .collect()
}

pub(super) fn event_line(
    principal: &Principal,
    event: &PlanEvent,
    names: &Names,
    areas: &[(String, String)],
    agreements: &[AgreementLine],
    writable: bool,
) -> EventLine {
    let when = match event.date {
        Some(date) => crate::words::date_text(date),
        None => crate::words::month_text(event.month),
    };
    let place = event.host.map_or_else(
        || "управление образования".to_owned(),
        |host| names.unit(host),
    );
    let mut responsible: Vec<String> = event
        .leaders
        .iter()
        .map(|person| names.person(*person))
        .collect();
    if !event.responsible.trim().is_empty() {
        responsible.push(event.responsible.trim().to_owned());
    }
    let area_text = event
        .areas
        .iter()
        .map(|code| {
            areas
                .iter()
                .find(|(known, _)| known == code)
                .map_or_else(|| code.clone(), |(_, title)| format!("{code} {title}"))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut participants: Vec<String> = event
        .seats
        .iter()
        .map(|seats| format!("{} — {}", names.unit(seats.kindergarten), seats.seats))
        .collect();
    if !event.participants.is_empty() {
        let n = event.participants.len();
        participants.push(format!(
            "{}: {}",
            crate::words::counted(n, "участник", "участника", "участников"),
            event
                .participants
                .iter()
                .map(|person| names.person(*person))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let capacity = event.capacity();
    let participants = if event.seats.is_empty() {
        participants.join("; ")
    } else {
        format!("{} (мест: {capacity})", participants.join("; "))
    };
    let agreement = match event.host {
        Some(host) => agreements
            .iter()
            .find(|line| line.kindergarten.id == host)
            .map_or_else(|| "не согласовано".to_owned(), |line| line.text.clone()),
        None => {
            let agreed = agreements
                .iter()
                .filter(|line| line.state == PlanAgreement::Agreed)
                .count();
            format!("согласовано {agreed} из {} ДОО", agreements.len())
        }
    };
    let result = match &event.held {
        Some(held) => {
            let hours: u32 = held.attended.iter().map(|a| a.hours).sum();
            format!(
                "проведено {}: {}, {} ак. ч. учтено в записях об обучении",
                crate::words::date_text(held.on),
                crate::words::counted(held.attended.len(), "участник", "участника", "участников"),
                hours
            )
        }
        None => "не проведено".to_owned(),
    };
    EventLine {
        may_mark_attendance: writable && principal.may_mark_attendance(event.host),
        event: event.clone(),
        when,
        place,
        responsible: responsible.join(", "),
        areas: area_text,
        participants,
        agreement,
        result,
    }
}
