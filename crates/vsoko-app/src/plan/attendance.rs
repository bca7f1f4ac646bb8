//! Attendance of an event held: who may be marked (the people of the kindergartens with seats
//! and the named participants), the training record each new person present gets in the same
//! transaction as the plan's new version; and a person's own calendar.

use std::collections::HashMap;

use chrono::NaiveDate;
use vsoko_development::{attendance_record, credited_hours, held_day_valid};
use vsoko_domain::{Person, PersonId};
use vsoko_storage::{NewTrainingRecord, PlanWrite};

use super::{Attended, EventLine, Held, SchoolYear, body_of, json_of};
use crate::error::{AppError, AppResult, FieldError};
use crate::{App, Principal};

/// A person who may be marked present at an event.
#[derive(Debug, Clone)]
pub struct AttendanceCandidate {
    pub person: Person,
    pub kindergarten: String,
    /// Hours credited already (when marked before).
    pub credited: Option<u32>,
}

/// The attendance form of an event.
#[derive(Debug, Clone)]
pub struct AttendanceForm {
    pub plan_version: u32,
    pub event: EventLine,
    pub candidates: Vec<AttendanceCandidate>,
}

/// Attendance as marked.
#[derive(Debug, Clone)]
pub struct AttendanceRequest {
    pub version: u32,
    pub held_on: NaiveDate,
    /// Who attended, with the hours.
    pub attended: Vec<(PersonId, u32)>,
}

/// How many training records an attendance wrote.
#[derive(Debug, Clone, Copy)]
pub struct AttendanceOutcome {
    pub added: usize,
    /// People credited before (left as they were).
    pub kept: usize,
}

impl App {
    /// The attendance form of an event: the people of the kindergartens with seats and the
    /// named participants, each with what was credited already.
    pub async fn attendance_form(
        &self,
        principal: &Principal,
        id: u32,
        today: NaiveDate,
    ) -> AppResult<AttendanceForm> {
        principal.check_read_plan()?;
        let stored = self.current_plan(principal, today).await?;
        let body = body_of(&stored)?;
        let event = body
            .events
            .into_iter()
            .find(|event| event.id == id)
            .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?;
        if !principal.may_mark_attendance(event.host) {
            return Err(AppError::Forbidden(
                "участников отмечает методист или заведующий детского сада, где проходит мероприятие"
                    .to_owned(),
            ));
        }
        let names = self.plan_names(principal).await?;
        let detail = self.plan_detail(principal, &stored, &names, true).await?;
        let line = detail
            .events
            .into_iter()
            .find(|line| line.event.id == id)
            .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?;
        let credited: HashMap<PersonId, u32> = event
            .held
            .iter()
            .flat_map(|held| &held.attended)
            .map(|attended| (attended.person, attended.hours))
            .collect();
        let mut candidates: Vec<AttendanceCandidate> = Vec::new();
        let mut push = |person: &Person| {
            if person.active && !candidates.iter().any(|c| c.person.id == person.id) {
                candidates.push(AttendanceCandidate {
                    person: person.clone(),
                    kindergarten: names.unit(person.kindergarten_id),
                    credited: credited.get(&person.id).copied(),
                });
            }
        };
        for person in event
            .participants
            .iter()
            .filter_map(|id| names.people.get(id))
        {
            push(person);
        }
        let mut by_unit: Vec<&Person> = names
            .people
            .values()
            .filter(|person| {
                event
                    .seats
                    .iter()
                    .any(|seats| seats.kindergarten == person.kindergarten_id)
            })
            .collect();
        by_unit.sort_by(|a, b| {
            (names.unit(a.kindergarten_id), &a.full_name)
                .cmp(&(names.unit(b.kindergarten_id), &b.full_name))
        });
        for person in by_unit {
            push(person);
        }
        Ok(AttendanceForm {
            plan_version: stored.version,
            event: line,
            candidates,
        })
    }

    /// Marks an event held with who attended: each new person present gets a training record
    /// (hours attended, the event's areas) in the same transaction as the plan's new version.
    /// People credited before are kept as they were (their record stands; correct it among the
    /// training records).
    pub async fn mark_attendance(
        &self,
        principal: &Principal,
        id: u32,
        request: &AttendanceRequest,
        today: NaiveDate,
    ) -> AppResult<AttendanceOutcome> {
        let form = self.attendance_form(principal, id, today).await?;
        let stored = self.current_plan(principal, today).await?;
        let year = SchoolYear::starting(stored.school_year);
        if !held_day_valid(request.held_on, year, today) {
            return Err(AppError::invalid(
                "held_on",
                "out_of_range",
                format!(
                    "день проведения — в {year} учебном году и не позже сегодняшнего: поправьте дату"
                ),
            ));
        }
        if request.attended.is_empty() {
            return Err(AppError::invalid(
                "attended",
                "required",
                "отметьте хотя бы одного участника",
            ));
        }
        let mut body = body_of(&stored)?;
        let at = body
            .events
            .iter()
            .position(|event| event.id == id)
            .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?;
        let event = body.events[at].clone();
        let mut errors = Vec::new();
        let mut attended: Vec<Attended<PersonId>> = event
            .held
            .as_ref()
            .map(|held| held.attended.clone())
            .unwrap_or_default();
        let mut fresh = Vec::new();
        let mut kept = 0;
        for (person, hours) in &request.attended {
            if !form.candidates.iter().any(|c| c.person.id == *person) {
                errors.push(FieldError::new(
                    &format!("attended.{person}"),
                    "unknown",
                    "этого сотрудника нет среди участников мероприятия",
                ));
                continue;
            }
            if attended.iter().any(|a| a.person == *person) {
                kept += 1;
                continue;
            }
            match credited_hours(event.hours, *hours) {
                Ok(hours) => {
                    attended.push(Attended {
                        person: *person,
                        hours,
                    });
                    fresh.push((*person, hours));
                }
                Err(_) => errors.push(FieldError::new(
                    &format!("hours.{person}"),
                    "out_of_range",
                    format!(
                        "часы участия — от 1 до {} (сколько академических часов сотрудник был на мероприятии)",
                        event.hours
                    ),
                )),
            }
        }
        AppError::check(errors)?;
        if fresh.is_empty() {
            return Ok(AttendanceOutcome { added: 0, kept });
        }
        let held_on = event.held.as_ref().map_or(request.held_on, |held| held.on);
        body.events[at].held = Some(Held {
            on: held_on,
            attended,
        });
        let provider = self.store.network(principal.network_id()).await?.name;
        let records: Vec<_> = fresh
            .iter()
            .map(|(person, hours)| {
                (
                    *person,
                    attendance_record(&event, &provider, held_on, *hours),
                )
            })
            .collect();
        let keys: Vec<String> = fresh
            .iter()
            .map(|(person, _)| format!("pd-plan:{}:{}:{}", stored.id, event.id, person))
            .collect();
        let news: Vec<NewTrainingRecord<'_>> = records
            .iter()
            .zip(&keys)
            .map(|((person, record), key)| NewTrainingRecord {
                person_id: *person,
                record,
                import_key: Some(key),
                snils: None,
            })
            .collect();
        let (_, added) = self
            .store
            .write_plan(
                principal.user.id,
                stored.id,
                &PlanWrite {
                    version: request.version,
                    events: &json_of(&body),
                    action: "attendance",
                    reason: None,
                },
                &news,
            )
            .await?;
        Ok(AttendanceOutcome {
            added: added.iter().filter(|(_, new)| *new).count(),
            kept,
        })
    }

    /// The events a person leads or attends (named, or marked present) in the plan of the
    /// school year of `today`: her own calendar. Read by herself, her head and the department.
    pub async fn person_calendar(
        &self,
        principal: &Principal,
        person: PersonId,
        today: NaiveDate,
    ) -> AppResult<(Person, Vec<EventLine>)> {
        let found = self.store.person(person).await?;
        let unit = self.store.kindergarten(found.kindergarten_id).await?;
        principal.check_person(&found, &unit)?;
        let Some(stored) = self
            .store
            .plan_of(
                principal.network_id(),
                SchoolYear::containing(today).start_year(),
            )
            .await?
        else {
            return Ok((found, Vec::new()));
        };
        let names = self.plan_names(principal).await?;
        let detail = self.plan_detail(principal, &stored, &names, false).await?;
        let events = detail
            .events
            .into_iter()
            .filter(|line| {
                let event = &line.event;
                event.leaders.contains(&person)
                    || event.participants.contains(&person)
                    || event
                        .held
                        .as_ref()
                        .is_some_and(|held| held.attended.iter().any(|a| a.person == person))
            })
            .collect();
        Ok((found, events))
    }

    /// The caller's own calendar (a teacher's account linked to her person).
    pub async fn own_calendar(
        &self,
        principal: &Principal,
        today: NaiveDate,
    ) -> AppResult<(Person, Vec<EventLine>)> {
        let person = principal
            .user
            .person_id
            .ok_or(AppError::NotFound(vsoko_storage::Record::Person))?;
        self.person_calendar(principal, person, today).await
    }
}
