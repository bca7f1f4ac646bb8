//! The network's four lists of people for professional development (motivated, tutors, needs
//! training, consultation), per kindergarten and for the network: who each proposes from the staff
//! surveys and the training records, and the decisions people make on them — a head confirms or
//! dismisses with a reason, marks a consultation given, agrees her kindergarten's motivated list;
//! the methodist designates the network's tutors; a teacher puts herself on the motivated list or
//! takes herself off. The rules are `vsoko_development::lists`; this module reads what they need.
//!
//! **What a list reads.** Each active person's latest survey (`dc-teacher` for teachers about
//! themselves; `dc-management` for the management team, answered by the member who filled it) of
//! the periods that began from the first day of the school year before the previous one up to
//! today (the surveys of the current and the two previous school years: a network surveys its
//! staff once or twice a year, not always every year, and an older wish is not a wish of today).
//! Of several, the period that began last decides (then the later submission); each ground names
//! its survey and period, so the person who confirms sees how old it is. Every read of a named
//! list is written to the audit log.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use vsoko_checklist::{Instrument, ItemRole};
pub use vsoko_development::{
    AgreementState, EntryState, ListActor, ListMark, StaffList, TrainingNeed,
};
use vsoko_development::{
    Need, RoleAnswer, SchoolYear, TrainingRecord, agreement_state, entry_state, list_marks,
    proposes, training_need,
};
use vsoko_domain::{Kindergarten, KindergartenId, Period, Person, PersonId, SubjectRef, UserId};
use vsoko_scoring::NodeKind;
use vsoko_storage::{NewListMark, Scope, StaffAnswers, StoredListMark};

use crate::error::{AppError, AppResult};
use crate::reports::ReportOf;
use crate::{App, Principal};

mod export;

pub use export::{list_file_name, list_sheets};

/// The surveys the lists read: the teachers' own and the management team's.
const SURVEYS: [&str; 2] = [
    crate::individual_route::ROUTE_SURVEY,
    crate::individual_route::MANAGEMENT_ROUTE_SURVEY,
];

/// The mark of a kindergarten's agreement of its list, and of its withdrawal.
const AGREED: &str = "agreed";
const AGREEMENT_WITHDRAWN: &str = "agreement_withdrawn";

/// The role of the item a list reads.
fn role_of(list: StaffList) -> Option<ItemRole> {
    match list {
        StaffList::Motivated => Some(ItemRole::Motivation),
        StaffList::Tutors => Some(ItemRole::TutorOffer),
        StaffList::Consultation => Some(ItemRole::ConsultationRequest),
        StaffList::NeedsTraining => None,
    }
}

/// A decision as a list shows it.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The mark.
    pub mark: ListMark,
    /// Its reason or note.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: UserId,
}

/// One person on a list.
#[derive(Debug, Clone)]
pub struct ListEntry {
    /// The person.
    pub person: Person,
    /// Where she stands.
    pub state: EntryState,
    /// Whether the list's rule proposes her (not only her own choice or a decision).
    pub proposed: bool,
    /// Why she is on it, in words: the answer and its survey, the deficits, the course's window.
    pub grounds: Vec<String>,
    /// The titles of her deficit areas (a consultation's and a course's subject).
    pub areas: Vec<String>,
    /// The latest decision about her.
    pub decision: Option<Decision>,
    /// The id of that decision, for the next one to be based on.
    pub based_on: Option<i64>,
    /// What the caller may decide now.
    pub marks: Vec<ListMark>,
}

/// A kindergarten's agreement of its list.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// When agreed.
    pub at: DateTime<Utc>,
    /// Where the list stands against it (names added or left since).
    pub state: AgreementState<PersonId>,
    /// The agreed people.
    pub people: BTreeSet<PersonId>,
}

/// A kindergarten's part of a list.
#[derive(Debug, Clone)]
pub struct KindergartenList {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// The people on it, by name (dismissed ones too, with their reason).
    pub entries: Vec<ListEntry>,
    /// Its agreement (the motivated list), if agreed this school year.
    pub agreement: Option<Agreement>,
    /// The id of the latest agreement mark, for the next one to be based on.
    pub agreement_based_on: Option<i64>,
    /// Whether the caller may agree it (or withdraw the agreement) now.
    pub may_agree: bool,
}

impl KindergartenList {
    /// The people who count on the list (not dismissed).
    pub fn listed(&self) -> impl Iterator<Item = &ListEntry> {
        self.entries.iter().filter(|entry| entry.state.listed())
    }

    /// Whether its list is agreed as it stands.
    pub fn agreed(&self) -> bool {
        self.agreement
            .as_ref()
            .is_some_and(|agreement| agreement.state == AgreementState::Agreed)
    }
}

/// A list, per kindergarten.
#[derive(Debug, Clone)]
pub struct StaffListView {
    /// Which list.
    pub list: StaffList,
    /// The school year.
    pub year: SchoolYear,
    /// The kindergartens (one, or the network's), each with its part.
    pub kindergartens: Vec<KindergartenList>,
}

/// One person's place on the motivated list, as she sees it on her own page.
#[derive(Debug, Clone)]
pub struct OwnListEntry {
    /// Her state, `None` when she is not on it.
    pub state: Option<EntryState>,
    /// What she may do.
    pub marks: Vec<ListMark>,
    /// The id of the latest decision about her.
    pub based_on: Option<i64>,
}

/// What the app knows about a person for the lists.
#[derive(Debug, Default)]
struct Signals {
    answer: Option<(RoleAnswer, String, String)>,
    deficit_areas: Vec<(String, String)>,
}

/// The agreed names, as the agreement's detail keeps them.
#[derive(Debug, Serialize, Deserialize)]
struct AgreedPeople {
    people: Vec<i64>,
}

impl App {
    /// The instrument versions of the staff surveys, by database id.
    async fn staff_surveys(
        &self,
    ) -> AppResult<HashMap<vsoko_domain::InstrumentVersionId, Arc<Instrument>>> {
        let mut found = HashMap::new();
        for summary in self.instruments().await? {
            if SURVEYS.contains(&summary.instrument.code.as_str()) {
                let resolved = self.resolve(&summary).await?;
                found.insert(resolved.id, resolved.instrument);
            }
        }
        Ok(found)
    }

    /// Each person's latest staff survey in `scope` (see the module), read for `list`.
    async fn signals(
        &self,
        scope: Scope,
        network: vsoko_domain::NetworkId,
        list: StaffList,
        today: NaiveDate,
    ) -> AppResult<HashMap<PersonId, Signals>> {
        let surveys = self.staff_surveys().await?;
        let since = SchoolYear::containing(today).start() - chrono::Months::new(24);
        let periods: HashMap<_, Period> = self
            .store
            .periods(network)
            .await?
            .into_iter()
            .filter(|period| period.starts_on >= since && period.starts_on <= today)
            .map(|period| (period.id, period))
            .collect();
        let role = role_of(list);
        let items: Vec<String> = role
            .map(|role| {
                surveys
                    .values()
                    .filter_map(|instrument| instrument.item_with_role(role))
                    .map(|item| item.item.code().to_string())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default();
        let ids: Vec<_> = surveys.keys().copied().collect();
        let period_ids: Vec<_> = periods.keys().copied().collect();
        let rows = self
            .store
            .staff_answers(scope, &ids, &period_ids, &items)
            .await?;
        // The management survey is about the kindergarten: it speaks for whoever filled it.
        let mut authors: HashMap<UserId, Option<PersonId>> = HashMap::new();
        let mut latest: HashMap<PersonId, (NaiveDate, i64, StaffAnswers)> = HashMap::new();
        for row in rows {
            let submission = &row.listed.submission;
            let person = match submission.subject {
                SubjectRef::Teacher(person) => Some(person),
                SubjectRef::Kindergarten(_) => {
                    let author = submission.author_user_id;
                    if let std::collections::hash_map::Entry::Vacant(slot) = authors.entry(author) {
                        slot.insert(self.store.user(author).await?.person_id);
                    }
                    authors.get(&author).copied().flatten()
                }
                SubjectRef::Group(_) => None,
            };
            let (Some(person), Some(period)) = (person, periods.get(&submission.period_id)) else {
                continue;
            };
            let key = (period.starts_on, submission.id.get());
            if latest
                .get(&person)
                .is_none_or(|(starts, id, _)| (*starts, *id) < key)
            {
                latest.insert(person, (key.0, key.1, row));
            }
        }
        let mut signals = HashMap::new();
        for (person, (_, _, row)) in latest {
            let submission = &row.listed.submission;
            let Some(instrument) = surveys.get(&submission.instrument_id) else {
                continue;
            };
            let period = periods
                .get(&submission.period_id)
                .map(|period| crate::words::period_in_words(period.starts_on, period.ends_on))
                .unwrap_or_default();
            let answer = role
                .and_then(|role| instrument.item_with_role(role))
                .and_then(|item| {
                    let given = row
                        .answers
                        .iter()
                        .find(|answer| answer.item == item.item.code().as_str())?;
                    let vsoko_checklist::AnswerValue::Value(value) = given.value else {
                        return None;
                    };
                    let options = item.scale.options()?;
                    let lowest = options
                        .iter()
                        .map(|option| option.value())
                        .reduce(f64::min)?;
                    let highest = options
                        .iter()
                        .map(|option| option.value())
                        .reduce(f64::max)?;
                    let label = item
                        .scale
                        .option(value)
                        .map(|option| option.label().to_owned())
                        .unwrap_or_default();
                    Some((
                        RoleAnswer {
                            value,
                            lowest,
                            highest,
                        },
                        label,
                        format!("«{}», {period}", instrument.title()),
                    ))
                });
            let deficit_areas = row
                .listed
                .nodes
                .iter()
                .filter(|node| node.kind == NodeKind::Area)
                .filter(|node| {
                    node.percent
                        .is_some_and(|score| instrument.is_deficit(score))
                })
                .filter_map(|node| {
                    instrument
                        .areas()
                        .iter()
                        .find(|area| area.code().as_str() == node.code)
                        .map(|area| (node.code.clone(), area.title().to_owned()))
                })
                .collect();
            signals.insert(
                person,
                Signals {
                    answer,
                    deficit_areas,
                },
            );
        }
        Ok(signals)
    }

    /// The units a caller reads a list of: one kindergarten (its head, the department) or the
    /// network's (the department).
    async fn list_units(
        &self,
        principal: &Principal,
        of: ReportOf,
    ) -> AppResult<Vec<Kindergarten>> {
        match of {
            ReportOf::Kindergarten(id) => {
                let unit = self.kindergarten(principal, id).await?;
                principal.check_manage_training(&unit)?;
                Ok(vec![unit])
            }
            ReportOf::Network => {
                principal.check_network_report()?;
                self.kindergartens(principal).await
            }
            ReportOf::Teacher(_) => Err(AppError::NotFound(vsoko_storage::Record::Person)),
        }
    }

    /// `list` for the school year of `today` in each kindergarten of `of`, with what the caller
    /// may decide; the read is audited.
    pub async fn staff_list(
        &self,
        principal: &Principal,
        list: StaffList,
        of: ReportOf,
        today: NaiveDate,
    ) -> AppResult<StaffListView> {
        let units = self.list_units(principal, of).await?;
        let scope = match of {
            ReportOf::Kindergarten(id) => Scope::Kindergarten(id),
            _ => Scope::Network(principal.network_id()),
        };
        self.store
            .audit(
                Some(principal.user.id),
                "staff_list.read",
                "staff_list",
                list.code(),
                serde_json::json!({ "scope": match scope {
                    Scope::Kindergarten(id) => format!("kindergarten {id}"),
                    Scope::Network(id) => format!("network {id}"),
                }}),
            )
            .await?;
        self.build_list(principal, list, scope, units, today).await
    }

    pub(crate) async fn build_list(
        &self,
        principal: &Principal,
        list: StaffList,
        scope: Scope,
        units: Vec<Kindergarten>,
        today: NaiveDate,
    ) -> AppResult<StaffListView> {
        let year = SchoolYear::containing(today);
        let network = principal.network_id();
        let signals = self.signals(scope, network, list, today).await?;
        let mut trainings: HashMap<PersonId, Vec<TrainingRecord>> = HashMap::new();
        if list == StaffList::NeedsTraining {
            for stored in self.store.training_records(scope, None).await? {
                trainings
                    .entry(stored.person_id)
                    .or_default()
                    .push(stored.record);
            }
        }
        let mut decisions: HashMap<PersonId, StoredListMark> = HashMap::new();
        let mut agreements: HashMap<KindergartenId, StoredListMark> = HashMap::new();
        for mark in self
            .store
            .list_marks(scope, list.code(), year.start_year())
            .await?
        {
            match mark.person_id {
                Some(person) => decisions.insert(person, mark),
                None => agreements.insert(mark.kindergarten_id, mark),
            };
        }
        let mut kindergartens = Vec::new();
        for unit in units {
            let mut people = self.store.people(unit.id).await?;
            people.retain(|person| person.active);
            people.sort_by(|a, b| a.full_name.cmp(&b.full_name));
            let mut entries = Vec::new();
            for person in people {
                let signal = signals.get(&person.id);
                let (proposed, grounds, areas) = grounds(
                    list,
                    signal,
                    trainings.get(&person.id).map_or(&[][..], Vec::as_slice),
                    today,
                );
                let stored = decisions.get(&person.id);
                let decision = stored.and_then(|mark| {
                    ListMark::parse(&mark.mark).map(|code| Decision {
                        mark: code,
                        reason: mark.reason.clone(),
                        at: mark.marked_at,
                        by: mark.marked_by,
                    })
                });
                let Some(state) = entry_state(proposed, decision.as_ref().map(|d| d.mark)) else {
                    continue;
                };
                let mut grounds = grounds;
                if decision
                    .as_ref()
                    .is_some_and(|d| d.mark == ListMark::OptedIn)
                {
                    grounds.insert(0, "включил(а) себя в список сам(а)".to_owned());
                }
                let marks = match principal.route_actor(&person, &unit) {
                    Ok(actor) => list_marks(list, Some(state), list_actor(actor)),
                    Err(_) => Vec::new(),
                };
                entries.push(ListEntry {
                    person,
                    state,
                    proposed,
                    grounds,
                    areas,
                    decision,
                    based_on: stored.map(|mark| mark.id),
                    marks,
                });
            }
            let latest_agreement = agreements.get(&unit.id);
            let listed: BTreeSet<PersonId> = entries
                .iter()
                .filter(|entry| entry.state.listed())
                .map(|entry| entry.person.id)
                .collect();
            let agreement = latest_agreement
                .filter(|mark| mark.mark == AGREED)
                .map(|mark| {
                    let people: BTreeSet<PersonId> = mark
                        .detail
                        .as_deref()
                        .and_then(|text| serde_json::from_str::<AgreedPeople>(text).ok())
                        .map(|agreed| agreed.people.into_iter().map(PersonId::new).collect())
                        .unwrap_or_default();
                    Agreement {
                        at: mark.marked_at,
                        state: agreement_state(&listed, Some(&people)),
                        people,
                    }
                });
            kindergartens.push(KindergartenList {
                may_agree: list == StaffList::Motivated && principal.may_agree_list(&unit),
                kindergarten: unit,
                entries,
                agreement,
                agreement_based_on: latest_agreement.map(|mark| mark.id),
            });
        }
        Ok(StaffListView {
            list,
            year,
            kindergartens,
        })
    }

    /// Decides `mark` about `person` on `list` (with `reason`, required for a dismissal), based on
    /// the decision the caller saw (`based_on`, 409 `list_changed` when another came since);
    /// refused unless the caller may make it in her present state.
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_list(
        &self,
        principal: &Principal,
        list: StaffList,
        person: PersonId,
        mark: ListMark,
        reason: Option<String>,
        based_on: Option<i64>,
        today: NaiveDate,
    ) -> AppResult<()> {
        let subject = self.store.person(person).await?;
        let unit = self.store.kindergarten(subject.kindergarten_id).await?;
        let actor = list_actor(principal.route_actor(&subject, &unit)?);
        let year = SchoolYear::containing(today);
        let view = self
            .build_list(
                principal,
                list,
                Scope::Kindergarten(unit.id),
                vec![unit.clone()],
                today,
            )
            .await?;
        let entry = view
            .kindergartens
            .first()
            .and_then(|part| part.entries.iter().find(|entry| entry.person.id == person));
        let state = entry.map(|entry| entry.state);
        let allowed = list_marks(list, state, actor);
        if !allowed.contains(&mark) {
            let now = state.map_or("её нет в списке", |state| state.label(list));
            return Err(
                if allowed.is_empty() && actor == ListActor::Owner && list != StaffList::Motivated {
                    AppError::Forbidden(
                        "в этот список попадают по ответу в анкете: измените ответ в анкете"
                            .to_owned(),
                    )
                } else {
                    AppError::Conflict {
                        code: "list_mark",
                        detail: format!(
                            "решение «{}» сейчас недоступно (сейчас: {now}); откройте список снова",
                            mark.label()
                        ),
                        submission: None,
                    }
                },
            );
        }
        let reason = reason
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty());
        if mark.needs_reason() && reason.is_none() {
            return Err(AppError::invalid(
                "reason",
                "required",
                "укажите причину: её увидят заведующий и методист",
            ));
        }
        if reason
            .as_ref()
            .is_some_and(|text| text.chars().count() > 500)
        {
            return Err(AppError::invalid(
                "reason",
                "too_long",
                "причина длиннее 500 знаков: сократите её",
            ));
        }
        self.store
            .add_list_mark(
                principal.user.id,
                &NewListMark {
                    kindergarten: unit.id,
                    person: Some(person),
                    list: list.code(),
                    school_year: year.start_year(),
                    mark: mark.code(),
                    reason: reason.as_deref(),
                    detail: None,
                    based_on,
                },
            )
            .await?;
        Ok(())
    }

    /// The head agrees her kindergarten's motivated list as it stands (`agree`), or withdraws
    /// the agreement, based on the agreement mark she saw (409 `list_changed` otherwise).
    pub async fn agree_list(
        &self,
        principal: &Principal,
        list: StaffList,
        kindergarten: KindergartenId,
        agree: bool,
        based_on: Option<i64>,
        today: NaiveDate,
    ) -> AppResult<KindergartenList> {
        let unit = self.kindergarten(principal, kindergarten).await?;
        if list != StaffList::Motivated {
            return Err(AppError::invalid(
                "list",
                "not_agreed",
                "согласуется список мотивированных педагогов; в остальных списках решение принимается по каждому человеку",
            ));
        }
        if !principal.may_agree_list(&unit) {
            return Err(AppError::Forbidden(
                "список детского сада согласует его заведующий".to_owned(),
            ));
        }
        let view = self
            .build_list(
                principal,
                list,
                Scope::Kindergarten(unit.id),
                vec![unit.clone()],
                today,
            )
            .await?;
        let part =
            view.kindergartens.into_iter().next().ok_or_else(|| {
                AppError::unexpected("a kindergarten's list has its kindergarten")
            })?;
        if !agree && part.agreement.is_none() {
            return Err(AppError::Conflict {
                code: "list_mark",
                detail: "список не согласован: отзывать нечего".to_owned(),
                submission: None,
            });
        }
        let detail = agree.then(|| {
            serde_json::to_string(&AgreedPeople {
                people: part.listed().map(|entry| entry.person.id.get()).collect(),
            })
            .unwrap_or_default()
        });
        self.store
            .add_list_mark(
                principal.user.id,
                &NewListMark {
                    kindergarten: unit.id,
                    person: None,
                    list: list.code(),
                    school_year: view.year.start_year(),
                    mark: if agree { AGREED } else { AGREEMENT_WITHDRAWN },
                    reason: None,
                    detail: detail.as_deref(),
                    based_on,
                },
            )
            .await?;
        let view = self
            .build_list(
                principal,
                list,
                Scope::Kindergarten(unit.id),
                vec![unit],
                today,
            )
            .await?;
        view.kindergartens
            .into_iter()
            .next()
            .ok_or_else(|| AppError::unexpected("a kindergarten's list has its kindergarten"))
    }

    /// The caller's own place on the motivated list (her results page), `None` without a linked
    /// person.
    pub async fn own_list_entry(
        &self,
        principal: &Principal,
        today: NaiveDate,
    ) -> AppResult<Option<OwnListEntry>> {
        let Some(person) = principal.user.person_id else {
            return Ok(None);
        };
        let subject = self.store.person(person).await?;
        let unit = self.store.kindergarten(subject.kindergarten_id).await?;
        let view = self
            .build_list(
                principal,
                StaffList::Motivated,
                Scope::Kindergarten(unit.id),
                vec![unit],
                today,
            )
            .await?;
        let entry = view
            .kindergartens
            .first()
            .and_then(|part| part.entries.iter().find(|entry| entry.person.id == person));
        let state = entry.map(|entry| entry.state);
        let based_on = match entry {
            Some(entry) => entry.based_on,
            None => self
                .store
                .list_marks(
                    Scope::Kindergarten(subject.kindergarten_id),
                    StaffList::Motivated.code(),
                    view.year.start_year(),
                )
                .await?
                .into_iter()
                .rev()
                .find(|mark| mark.person_id == Some(person))
                .map(|mark| mark.id),
        };
        Ok(Some(OwnListEntry {
            state,
            marks: list_marks(StaffList::Motivated, state, ListActor::Owner),
            based_on,
        }))
    }
}

/// A route's actor as a list's: the department standing for the head of a management team's
/// member is her head here too.
fn list_actor(actor: vsoko_development::RouteActor) -> ListActor {
    match actor {
        vsoko_development::RouteActor::Owner => ListActor::Owner,
        vsoko_development::RouteActor::Head => ListActor::Head,
        vsoko_development::RouteActor::Methodist => ListActor::Methodist,
    }
}

/// Whether `list` proposes a person with `signal` and `trainings`, why in words, and her deficit
/// areas' titles.
fn grounds(
    list: StaffList,
    signal: Option<&Signals>,
    trainings: &[TrainingRecord],
    today: NaiveDate,
) -> (bool, Vec<String>, Vec<String>) {
    let areas: Vec<String> = signal
        .map(|signal| {
            signal
                .deficit_areas
                .iter()
                .map(|(_, title)| title.clone())
                .collect()
        })
        .unwrap_or_default();
    if list == StaffList::NeedsTraining {
        let codes: Vec<String> = signal
            .map(|signal| {
                signal
                    .deficit_areas
                    .iter()
                    .map(|(code, _)| code.clone())
                    .collect()
            })
            .unwrap_or_default();
        let titles: BTreeMap<&str, &str> = signal
            .map(|signal| {
                signal
                    .deficit_areas
                    .iter()
                    .map(|(code, title)| (code.as_str(), title.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let needs = training_need(&codes, trainings, today);
        let mut unaddressed = Vec::new();
        let grounds = needs
            .iter()
            .map(|need| match need {
                TrainingNeed::Unaddressed(codes) => {
                    unaddressed = codes
                        .iter()
                        .map(|code| {
                            titles
                                .get(code.as_str())
                                .copied()
                                .unwrap_or(code)
                                .to_owned()
                        })
                        .collect();
                    format!(
                        "дефицит без КПК за три года: {}",
                        unaddressed
                            .iter()
                            .map(|title| format!("«{title}»"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                TrainingNeed::Window(need) => need_text(*need),
            })
            .collect();
        return (!needs.is_empty(), grounds, unaddressed);
    }
    let answer = signal.and_then(|signal| signal.answer.as_ref());
    let proposed = proposes(list, answer.map(|(answer, _, _)| *answer));
    let grounds = answer
        .filter(|_| proposed)
        .map(|(_, label, survey)| vec![format!("ответ «{label}» в анкете {survey}")])
        .unwrap_or_default();
    (proposed, grounds, areas)
}

/// Why a course is due, in words.
fn need_text(need: Need) -> String {
    let date = crate::words::date_text;
    match need {
        Need::NoTraining => "нет сведений о КПК или переподготовке".to_owned(),
        Need::Lapsed { on } => format!("последние КПК не учитываются с {}", date(on)),
        Need::OutBeforeYear { on } | Need::LeavesDuringYear { on } => {
            format!("последние КПК перестанут учитываться {}", date(on))
        }
    }
}
