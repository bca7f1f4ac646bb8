//! The demo's calendar plan of the current school year: proposed by the department from the
//! teachers' September results, agreed by four heads, changed once after that with its reason
//! (two of them agree again, two more agree the new version; the rest have not yet), and the
//! events of the months gone by marked held — most of the people with seats present, one for
//! part of the hours — which writes their training records.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use vsoko_domain::PersonId;
use vsoko_storage::Store;

use super::{PERIODS, Staff};
use crate::error::AppResult;
use crate::plan::{AttendanceRequest, EventForm};
use crate::report_choice::ReportAsk;
use crate::{App, Principal};

pub(super) async fn seed_plan(
    store: &Store,
    app: &App,
    staff: &[Staff],
    manager: &vsoko_domain::User,
) -> AppResult<()> {
    let today = crate::today();
    let methodist = Principal {
        user: manager.clone(),
    };
    let ask = ReportAsk {
        instrument: Some("dc-teacher".to_owned()),
        period: PERIODS.first().map(|period| period[0].to_owned()),
        ..ReportAsk::default()
    };
    let view = app.propose_pd_plan(&methodist, &ask, today).await?;
    let Some(plan) = view.plan else {
        return Ok(());
    };
    let mut heads = Vec::new();
    for unit in staff {
        heads.push(Principal {
            user: store.user(unit.head_user).await?,
        });
    }
    for head in heads.iter().take(4) {
        app.agree_pd_plan(head, plan.version, today).await?;
    }
    // The first event gets its date, after the agreements: a revision with its reason.
    if let Some(first) = plan.events.first() {
        let event = &first.event;
        let mut form = EventForm::of(event, plan.version);
        let day = NaiveDate::from_ymd_opt(event.month.year(), event.month.month(), 15)
            .unwrap_or(event.month);
        form.date = day.format("%Y-%m-%d").to_string();
        form.reason = "дата согласована с ведущей ДОО".to_owned();
        app.save_plan_event(&methodist, Some(event.id), &form, today)
            .await?;
    }
    let version = |view: &crate::plan::PlanView| view.plan.as_ref().map_or(0, |plan| plan.version);
    for head in heads.iter().take(6).skip(2) {
        let current = app.pd_plan(head, today).await?;
        app.agree_pd_plan(head, version(&current), today).await?;
    }
    // The months gone by: held, most people present, the third of each event for half the hours.
    let current = app.pd_plan(&methodist, today).await?;
    let Some(plan) = current.plan else {
        return Ok(());
    };
    for line in &plan.events {
        let event = &line.event;
        let held_on = event.date.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(event.month.year(), event.month.month(), 20)
                .unwrap_or(event.month)
        });
        if held_on > today {
            continue;
        }
        let form = app.attendance_form(&methodist, event.id, today).await?;
        // The named participants, and as many people of each kindergarten as it has seats.
        let mut taken: HashMap<_, u32> = HashMap::new();
        let attended: Vec<_> = form
            .candidates
            .iter()
            .filter(|candidate| {
                if event.participants.contains(&candidate.person.id) {
                    return true;
                }
                let unit = candidate.person.kindergarten_id;
                let seats = event
                    .seats
                    .iter()
                    .find(|seats| seats.kindergarten == unit)
                    .map_or(0, |seats| seats.seats);
                let count = taken.entry(unit).or_insert(0);
                *count += 1;
                *count <= seats
            })
            .enumerate()
            .filter(|(at, _)| at % 5 != 4)
            .map(|(at, candidate)| {
                let hours = if at % 5 == 2 {
                    event.hours.div_ceil(2)
                } else {
                    event.hours
                };
                (candidate.person.id, hours)
            })
            .collect();
        if attended.is_empty() {
            continue;
        }
        app.mark_attendance(
            &methodist,
            event.id,
            &AttendanceRequest {
                version: form.plan_version,
                held_on,
                attended,
            },
            today,
        )
        .await?;
    }
    Ok(())
}

/// The plan of the demo's own school year (2024/2025, the year of its September and May
/// results), as the department kept it then: proposed from September's deficits, agreed by six
/// heads, every module held with the teachers in deficit in its area — two of each three of them
/// (a third of those for half the hours) — so that May's register compares trained teachers with
/// untrained ones. Written as of 15 June 2025, when that school year's plan was done, from
/// September's answers alone (May's are not in yet). Returns the people who attended, with the
/// areas of the events they attended.
pub(super) async fn seed_past_plan(
    store: &Store,
    app: &App,
    staff: &[Staff],
    manager: &vsoko_domain::User,
) -> AppResult<HashMap<PersonId, Vec<String>>> {
    let then = NaiveDate::from_ymd_opt(2025, 6, 15).expect("a date");
    let methodist = Principal {
        user: manager.clone(),
    };
    let ask = ReportAsk {
        instrument: Some("dc-teacher".to_owned()),
        period: PERIODS.first().map(|period| period[0].to_owned()),
        ..ReportAsk::default()
    };
    let view = app.propose_pd_plan(&methodist, &ask, then).await?;
    let Some(plan) = view.plan else {
        return Ok(HashMap::new());
    };
    for unit in staff.iter().take(6) {
        let head = Principal {
            user: store.user(unit.head_user).await?,
        };
        app.agree_pd_plan(&head, plan.version, then).await?;
    }
    let Some(matrix) = app.strengths_matrix(&methodist, &ask, then).await?.matrix else {
        return Ok(HashMap::new());
    };
    let mut trained: HashMap<PersonId, Vec<String>> = HashMap::new();
    for line in &plan.events {
        let event = &line.event;
        let Some(area) = event.areas.first() else {
            continue;
        };
        let mut mentees = Vec::new();
        for pair in matrix
            .teacher_pairs
            .iter()
            .filter(|pair| &pair.area.0 == area)
        {
            if !mentees.contains(&pair.mentee.person.id) {
                mentees.push(pair.mentee.person.id);
            }
        }
        let attended: Vec<_> = mentees
            .iter()
            .enumerate()
            .filter(|(at, _)| at % 3 != 2)
            .map(|(at, person)| {
                let hours = if at % 3 == 1 && at % 2 == 1 {
                    event.hours.div_ceil(2)
                } else {
                    event.hours
                };
                (*person, hours)
            })
            .collect();
        if attended.is_empty() {
            continue;
        }
        for (person, _) in &attended {
            trained
                .entry(*person)
                .or_default()
                .extend(event.areas.iter().cloned());
        }
        let form = app.attendance_form(&methodist, event.id, then).await?;
        let held_on = NaiveDate::from_ymd_opt(event.month.year(), event.month.month(), 20)
            .unwrap_or(event.month);
        app.mark_attendance(
            &methodist,
            event.id,
            &AttendanceRequest {
                version: form.plan_version,
                held_on,
                attended,
            },
            then,
        )
        .await?;
    }
    Ok(trained)
}
