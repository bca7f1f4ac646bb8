//! The network's calendar plan of professional development for a school year (issue 28 §2).
//!
//! The department makes the plan from the proposal (`vsoko_development::propose_plan` over the
//! strengths matrix of the teachers' survey: the areas in deficit with their teachers, the
//! kindergartens strong in them and their tutors, the network's tutors and the confirmed
//! mentoring pairs of kindergartens), then edits it freely: every write is a new version kept
//! as a revision, and once a head has agreed, a change needs its reason. Each head of the network
//! agrees the version she read, once; her agreement of an earlier version reads «план изменён
//! после согласования». Marking an event held with who attended writes a training record per
//! person present in the same transaction (`vsoko_development::attendance_record`: hours
//! attended, the event's areas), so coverage («адресность») and the routes move. A tutor's own
//! calendar is the events she leads or attends. The plan's file (`export.rs`) is the seeds'
//! layout: № п/п, мероприятие, сроки, ответственный, место проведения, планируемый результат,
//! отметка о согласовании.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use vsoko_development::{
    AreaDemand, PlanInput, change_needs_reason, check_event, plan_agreement, propose_plan,
};
pub use vsoko_development::{
    Attended, COURSE_HOURS, EventFormat, Held, MAX_EVENT_HOURS, MODULE_HOURS, PlanAgreement,
    SchoolYear, Seats, TUTOR_HOURS,
};
use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId};
use vsoko_storage::{PlanWrite, StoredPlan};

use crate::error::{AppError, AppResult, FieldError};
use crate::mentoring::PairState;
use crate::report_choice::ReportAsk;
use crate::strengths::CellClass;
use crate::{App, Principal};

mod attendance;
mod export;
mod form;
mod view;

pub use crate::words::month_text;
pub use attendance::{AttendanceCandidate, AttendanceForm, AttendanceOutcome, AttendanceRequest};
pub use export::{calendar_document, calendar_sheets, plan_document, plan_file_name, plan_sheets};
pub use form::EventForm;
pub use view::school_months;
use view::{Names, event_line};

/// One event of a plan, its people and kindergartens as ids.
pub type PlanEvent = vsoko_development::PlanEvent<KindergartenId, PersonId>;

/// What the plan's row keeps: its events and the proposal's notes.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    events: Vec<PlanEvent>,
    #[serde(default)]
    notes: Vec<String>,
}

fn body_of(plan: &StoredPlan) -> AppResult<Body> {
    serde_json::from_str(&plan.events)
        .map_err(|error| AppError::Unexpected(format!("calendar plan {}: {error}", plan.id).into()))
}

fn json_of(body: &Body) -> String {
    serde_json::to_string(body).unwrap_or_else(|_| "{\"events\":[]}".to_owned())
}

/// One event as people read it.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub event: PlanEvent,
    /// «сроки»: the date, or the month («октябрь 2026 г.»).
    pub when: String,
    /// «место проведения».
    pub place: String,
    /// «ответственный»: the leaders' names and the responsible in words.
    pub responsible: String,
    /// The target areas: code and title.
    pub areas: String,
    /// Who takes part: seats per kindergarten, or the named participants.
    pub participants: String,
    /// «отметка о согласовании»: the host head's agreement (the department's own event: the
    /// plan's agreement by every head).
    pub agreement: String,
    /// «результат»: held (when, how many, hours) or not yet.
    pub result: String,
    /// Whether the caller may mark who attended.
    pub may_mark_attendance: bool,
}

/// One kindergarten's agreement.
#[derive(Debug, Clone)]
pub struct AgreementLine {
    pub kindergarten: Kindergarten,
    pub state: PlanAgreement,
    /// «согласовано 07.12.2026 (редакция 2)», or «не согласовано».
    pub text: String,
}

/// One version of the plan.
#[derive(Debug, Clone)]
pub struct RevisionLine {
    pub version: u32,
    /// What the write did, in words.
    pub action: &'static str,
    pub reason: Option<String>,
    /// The date, in words.
    pub at: String,
}

/// A plan as its page shows it.
#[derive(Debug, Clone)]
pub struct PlanDetail {
    pub id: i64,
    pub version: u32,
    /// «по результатам «…» за сентябрь 2026 г.».
    pub source: String,
    pub events: Vec<EventLine>,
    /// What the proposal could not place.
    pub notes: Vec<String>,
    pub agreements: Vec<AgreementLine>,
    pub revisions: Vec<RevisionLine>,
    /// Whether a change needs its reason now.
    pub needs_reason: bool,
}

impl PlanDetail {
    /// How many heads agreed the current version.
    pub fn agreed(&self) -> usize {
        self.agreements
            .iter()
            .filter(|line| line.state == PlanAgreement::Agreed)
            .count()
    }
}

/// The plan page's data.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub year: SchoolYear,
    /// The network's name.
    pub network: String,
    pub plan: Option<PlanDetail>,
    /// Whether the caller makes the plan from the proposal (the department, no plan yet).
    pub may_propose: bool,
    /// Whether the caller edits it (the department).
    pub may_edit: bool,
    /// The caller's kindergarten when she agrees for it and has not agreed this version.
    pub may_agree: Option<KindergartenId>,
    /// The caller's own agreement, for a head.
    pub own_agreement: Option<AgreementLine>,
    /// A past school year's plan: read only.
    pub read_only: bool,
    /// The school years with a plan, the current one and the one shown.
    pub years: Vec<SchoolYear>,
}

/// What the form of an event offers.
#[derive(Debug, Clone)]
pub struct EventChoices {
    /// The months of the school year: value (`2026-10`) and words.
    pub months: Vec<(String, String)>,
    /// The network's kindergartens.
    pub kindergartens: Vec<Kindergarten>,
    /// The areas of the plan's instrument: code and title.
    pub areas: Vec<(String, String)>,
    /// People who may lead: the network's tutors, and the event's leaders.
    pub leaders: Vec<(Person, String)>,
}

/// What an action of a revision says.
fn action_label(code: &str) -> &'static str {
    match code {
        "proposed" => "план составлен по предложению vsoko",
        "event_added" => "добавлено мероприятие",
        "event_changed" => "изменено мероприятие",
        "event_removed" => "исключено мероприятие",
        "attendance" => "отмечено проведение и участники",
        _ => "изменение",
    }
}

impl App {
    async fn plan_names(&self, principal: &Principal) -> AppResult<Names> {
        let units = self
            .store
            .kindergartens(vsoko_storage::Scope::Network(principal.network_id()))
            .await?;
        let mut people = HashMap::new();
        for unit in &units {
            for person in self.store.people(unit.id).await? {
                people.insert(person.id, person);
            }
        }
        Ok(Names { units, people })
    }

    /// The plan of the school year of `today`, as the caller's page shows it: the department
    /// and every head of the network read it; teachers read their own calendar
    /// ([`App::own_calendar`]).
    pub async fn pd_plan(&self, principal: &Principal, today: NaiveDate) -> AppResult<PlanView> {
        self.pd_plan_of(principal, SchoolYear::containing(today), today)
            .await
    }

    /// The plan of `year` as of `today`: a past school year's is read only (its page says so).
    pub async fn pd_plan_of(
        &self,
        principal: &Principal,
        year: SchoolYear,
        today: NaiveDate,
    ) -> AppResult<PlanView> {
        principal.check_read_plan()?;
        let current = SchoolYear::containing(today);
        let read_only = year.start_year() < current.start_year();
        let network = self.store.network(principal.network_id()).await?.name;
        let may_edit = principal.may_edit_plan() && !read_only;
        let mut years: Vec<SchoolYear> = self
            .store
            .plan_years(principal.network_id())
            .await?
            .into_iter()
            .map(SchoolYear::starting)
            .collect();
        for shown in [current, year] {
            if !years.contains(&shown) {
                years.push(shown);
            }
        }
        years.sort_by_key(|year| year.start_year());
        let Some(stored) = self
            .store
            .plan_of(principal.network_id(), year.start_year())
            .await?
        else {
            return Ok(PlanView {
                year,
                network,
                plan: None,
                may_propose: may_edit,
                may_edit: false,
                may_agree: None,
                own_agreement: None,
                read_only,
                years,
            });
        };
        let names = self.plan_names(principal).await?;
        let detail = self
            .plan_detail(principal, &stored, &names, !read_only)
            .await?;
        let own = principal.plan_agreer();
        let own_agreement = own.and_then(|id| {
            detail
                .agreements
                .iter()
                .find(|line| line.kindergarten.id == id)
                .cloned()
        });
        let may_agree = own.filter(|_| {
            !read_only
                && own_agreement
                    .as_ref()
                    .is_none_or(|line| line.state != PlanAgreement::Agreed)
        });
        Ok(PlanView {
            year,
            network,
            plan: Some(detail),
            may_propose: false,
            may_edit,
            may_agree,
            own_agreement,
            read_only,
            years,
        })
    }

    async fn plan_detail(
        &self,
        principal: &Principal,
        stored: &StoredPlan,
        names: &Names,
        writable: bool,
    ) -> AppResult<PlanDetail> {
        let body = body_of(stored)?;
        let agreements = self.store.plan_agreements(stored.id).await?;
        let stored_revisions = self.store.plan_revisions(stored.id).await?;
        // What the heads agree is the events: marking attendance is not a change of the plan.
        let content_version = stored_revisions
            .iter()
            .filter(|revision| revision.action != "attendance")
            .map(|revision| revision.version)
            .max()
            .unwrap_or(stored.version);
        let agreement_lines: Vec<AgreementLine> = names
            .units
            .iter()
            .map(|unit| {
                let found = agreements
                    .iter()
                    .find(|agreement| agreement.kindergarten_id == unit.id);
                let state = plan_agreement(found.map(|a| a.version), content_version);
                let text = match found {
                    None => state.label().to_owned(),
                    Some(agreement) => {
                        format!(
                            "{} {} (редакция {})",
                            match state {
                                PlanAgreement::ChangedSince => "согласовано",
                                _ => state.label(),
                            },
                            crate::words::date_text(agreement.at.date_naive()),
                            agreement.version
                        ) + match state {
                            PlanAgreement::ChangedSince => "; план изменён после согласования",
                            _ => "",
                        }
                    }
                };
                AgreementLine {
                    kindergarten: unit.clone(),
                    state,
                    text,
                }
            })
            .collect();
        let areas = self.plan_areas(&stored.instrument).await;
        let events = body
            .events
            .iter()
            .map(|event| event_line(principal, event, names, &areas, &agreement_lines, writable))
            .collect();
        let revisions = stored_revisions
            .into_iter()
            .rev()
            .map(|revision| RevisionLine {
                version: revision.version,
                action: action_label(&revision.action),
                reason: revision.reason,
                at: crate::words::date_text(revision.at.date_naive()),
            })
            .collect();
        let period = self
            .store
            .periods(principal.network_id())
            .await?
            .into_iter()
            .find(|period| period.code.as_str() == stored.period);
        let instrument_title = self
            .instrument_named("instrument", &stored.instrument, None)
            .await
            .map(|resolved| resolved.instrument.title().to_owned())
            .unwrap_or_else(|_| stored.instrument.clone());
        Ok(PlanDetail {
            id: stored.id,
            version: stored.version,
            source: format!(
                "по результатам «{instrument_title}» за {}",
                period.map_or_else(
                    || stored.period.clone(),
                    |period| crate::words::period_in_words(period.starts_on, period.ends_on)
                )
            ),
            events,
            notes: body.notes,
            needs_reason: change_needs_reason(agreements.len()),
            agreements: agreement_lines,
            revisions,
        })
    }

    /// The areas of the plan's instrument: code and title.
    async fn plan_areas(&self, instrument: &str) -> Vec<(String, String)> {
        self.instrument_named("instrument", instrument, None)
            .await
            .map(|resolved| {
                resolved
                    .instrument
                    .areas()
                    .iter()
                    .map(|area| (area.code().to_string(), area.title().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The department makes the plan of the school year of `today` from the proposal over the
    /// strengths matrix of the teachers' survey (its latest period with enough data, unless
    /// `ask` names one).
    pub async fn propose_pd_plan(
        &self,
        principal: &Principal,
        ask: &ReportAsk,
        today: NaiveDate,
    ) -> AppResult<PlanView> {
        principal.check_edit_plan()?;
        let year = SchoolYear::containing(today);
        let Some(matrix) = self.strengths_matrix(principal, ask, today).await?.matrix else {
            return Err(AppError::invalid(
                "period",
                "no_data",
                "нет результатов самооценки педагогов с достаточным охватом: план предлагается по их дефицитам. Проведите анкетирование или выберите другой период",
            ));
        };
        let areas = matrix
            .areas
            .iter()
            .map(|(code, title)| {
                let cells = || {
                    matrix.rows.iter().filter_map(move |row| {
                        row.cells
                            .iter()
                            .find(|cell| &cell.area == code)
                            .map(|cell| (row.kindergarten.id, cell))
                    })
                };
                AreaDemand {
                    code: code.clone(),
                    title: title.clone(),
                    below: cells()
                        .filter(|(_, cell)| cell.below > 0)
                        .map(|(unit, cell)| (unit, cell.below))
                        .collect(),
                    strong: cells()
                        .filter(|(_, cell)| cell.class == CellClass::Strength)
                        .filter_map(|(unit, cell)| cell.score.map(|score| (unit, score)))
                        .collect(),
                    tutors: matrix.area_tutors.get(code).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let instrument = matrix.instrument.code().to_string();
        let pairs = self
            .store
            .pairs(principal.network_id(), year.start_year())
            .await?
            .into_iter()
            .filter(|pair| {
                PairState::of(pair) == PairState::Confirmed
                    && pair.mentee_person_id.is_none()
                    && pair.instrument == instrument
            })
            .map(|pair| {
                (
                    pair.area,
                    pair.mentee_kindergarten_id,
                    pair.mentor_kindergarten_id,
                )
            })
            .collect();
        let input = PlanInput {
            year,
            areas,
            tutors: matrix.tutors.clone(),
            pairs,
        };
        let names: BTreeMap<KindergartenId, String> = matrix
            .rows
            .iter()
            .map(|row| (row.kindergarten.id, row.kindergarten.short_name.clone()))
            .collect();
        let proposal = propose_plan(&input, |id| names.get(id).cloned().unwrap_or_default());
        let body = Body {
            events: proposal.events,
            notes: proposal.notes,
        };
        self.store
            .create_plan(
                principal.user.id,
                principal.network_id(),
                year.start_year(),
                (&instrument, matrix.period.code.as_str()),
                &json_of(&body),
            )
            .await
            .map_err(|error| match error {
                vsoko_storage::StorageError::Duplicate { .. } => AppError::Conflict {
                    code: "plan_exists",
                    detail: "план этого учебного года уже составлен: измените его".to_owned(),
                    submission: None,
                },
                other => other.into(),
            })?;
        self.pd_plan(principal, today).await
    }

    /// The plan of the school year of `today`, for a write by the department.
    async fn plan_for_edit(
        &self,
        principal: &Principal,
        today: NaiveDate,
    ) -> AppResult<StoredPlan> {
        principal.check_edit_plan()?;
        self.current_plan(principal, today).await
    }

    /// The plan of the school year of `today` (none made: «not found»).
    async fn current_plan(&self, principal: &Principal, today: NaiveDate) -> AppResult<StoredPlan> {
        self.store
            .plan_of(
                principal.network_id(),
                SchoolYear::containing(today).start_year(),
            )
            .await?
            .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))
    }

    /// The reason of a change, required once a head has agreed.
    async fn change_reason(
        &self,
        stored: &StoredPlan,
        reason: Option<&str>,
    ) -> AppResult<Option<String>> {
        let reason = reason.map(str::trim).filter(|text| !text.is_empty());
        let agreements = self.store.plan_agreements(stored.id).await?.len();
        if change_needs_reason(agreements) && reason.is_none() {
            return Err(AppError::invalid(
                "reason",
                "required",
                "план уже согласован заведующими: укажите причину изменения — она останется в истории редакций",
            ));
        }
        Ok(reason.map(str::to_owned))
    }

    /// The department adds an event (`id` `None`) or changes one, at the plan's `version`.
    pub async fn save_plan_event(
        &self,
        principal: &Principal,
        id: Option<u32>,
        form: &EventForm,
        today: NaiveDate,
    ) -> AppResult<PlanEvent> {
        let stored = self.plan_for_edit(principal, today).await?;
        let year = SchoolYear::starting(stored.school_year);
        let mut body = body_of(&stored)?;
        let names = self.plan_names(principal).await?;
        let areas = self.plan_areas(&stored.instrument).await;
        let existing = match id {
            Some(id) => Some(
                body.events
                    .iter()
                    .position(|event| event.id == id)
                    .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?,
            ),
            None => None,
        };
        let version = form::version(&form.version)?;
        let reason = self.change_reason(&stored, Some(&form.reason)).await?;
        let base = existing.map(|at| body.events[at].clone());
        let mut event = form.read(base.as_ref(), &names.units, &names.people)?;
        let codes: Vec<&str> = areas.iter().map(|(code, _)| code.as_str()).collect();
        let problems: Vec<FieldError> = check_event(&event, year, &codes)
            .into_iter()
            .map(|problem| FieldError::new(problem.field, "invalid", problem.message))
            .collect();
        AppError::check(problems)?;
        let action = match existing {
            Some(at) => {
                if body.events[at].held.is_some() {
                    return Err(AppError::Conflict {
                        code: "event_held",
                        detail: "мероприятие проведено: его участники учтены, изменить его нельзя"
                            .to_owned(),
                        submission: None,
                    });
                }
                event.id = body.events[at].id;
                event.reasoning = body.events[at].reasoning.clone();
                event.participants = body.events[at].participants.clone();
                body.events[at] = event.clone();
                "event_changed"
            }
            None => {
                event.id = body.events.iter().map(|e| e.id).max().unwrap_or(0) + 1;
                body.events.push(event.clone());
                "event_added"
            }
        };
        body.events.sort_by_key(|event| (event.month, event.date));
        self.store
            .write_plan(
                principal.user.id,
                stored.id,
                &PlanWrite {
                    version,
                    events: &json_of(&body),
                    action,
                    reason: reason.as_deref(),
                },
                &[],
            )
            .await?;
        Ok(event)
    }

    /// The department removes an event not held, at the plan's `version`, with the reason a
    /// change after an agreement needs.
    pub async fn remove_plan_event(
        &self,
        principal: &Principal,
        id: u32,
        version: u32,
        reason: Option<&str>,
        today: NaiveDate,
    ) -> AppResult<()> {
        let stored = self.plan_for_edit(principal, today).await?;
        let mut body = body_of(&stored)?;
        let at = body
            .events
            .iter()
            .position(|event| event.id == id)
            .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?;
        if body.events[at].held.is_some() {
            return Err(AppError::Conflict {
                code: "event_held",
                detail: "мероприятие проведено: его участники учтены, исключить его нельзя"
                    .to_owned(),
                submission: None,
            });
        }
        let reason = self.change_reason(&stored, reason).await?;
        body.events.remove(at);
        self.store
            .write_plan(
                principal.user.id,
                stored.id,
                &PlanWrite {
                    version,
                    events: &json_of(&body),
                    action: "event_removed",
                    reason: reason.as_deref(),
                },
                &[],
            )
            .await?;
        Ok(())
    }

    /// A head agrees version `version` of the plan for her kindergarten.
    pub async fn agree_pd_plan(
        &self,
        principal: &Principal,
        version: u32,
        today: NaiveDate,
    ) -> AppResult<PlanView> {
        principal.check_read_plan()?;
        let Some(own) = principal.plan_agreer() else {
            return Err(AppError::Forbidden(
                "план согласуют заведующие детских садов сети".to_owned(),
            ));
        };
        let stored = self.current_plan(principal, today).await?;
        self.store
            .agree_plan(principal.user.id, stored.id, own, version)
            .await?;
        self.pd_plan(principal, today).await
    }

    /// What the form of an event offers, and the event itself when `id` names one.
    pub async fn plan_event_form(
        &self,
        principal: &Principal,
        id: Option<u32>,
        today: NaiveDate,
    ) -> AppResult<(u32, bool, Option<PlanEvent>, EventChoices)> {
        let stored = self.plan_for_edit(principal, today).await?;
        let body = body_of(&stored)?;
        let event = match id {
            Some(id) => Some(
                body.events
                    .into_iter()
                    .find(|event| event.id == id)
                    .ok_or(AppError::NotFound(vsoko_storage::Record::Plan))?,
            ),
            None => None,
        };
        let names = self.plan_names(principal).await?;
        let tutors = self
            .build_list(
                principal,
                crate::lists::StaffList::Tutors,
                vsoko_storage::Scope::Network(principal.network_id()),
                names.units.clone(),
                today,
            )
            .await?;
        let mut leaders: Vec<PersonId> = tutors
            .kindergartens
            .iter()
            .flat_map(|part| &part.entries)
            .filter(|entry| {
                matches!(
                    entry.state,
                    crate::lists::EntryState::Confirmed | crate::lists::EntryState::Designated
                )
            })
            .map(|entry| entry.person.id)
            .collect();
        if let Some(event) = &event {
            leaders.extend(event.leaders.iter().copied());
        }
        leaders.sort();
        leaders.dedup();
        let agreements = self.store.plan_agreements(stored.id).await?.len();
        Ok((
            stored.version,
            change_needs_reason(agreements),
            event,
            EventChoices {
                months: school_months(SchoolYear::starting(stored.school_year)),
                kindergartens: names.units.clone(),
                areas: self.plan_areas(&stored.instrument).await,
                leaders: leaders
                    .into_iter()
                    .filter_map(|id| {
                        let person = names.people.get(&id)?.clone();
                        let unit = names.unit(person.kindergarten_id);
                        Some((person, unit))
                    })
                    .collect(),
            },
        ))
    }
}
