//! The network's calendar plan of professional development for a school year: its events, the
//! plan vsoko proposes from the network's deficits and lists, the checks of an edited event,
//! what the heads' agreements mean after a change, and the training record an attended event
//! writes.
//!
//! # The proposal ([`propose_plan`])
//! From a strengths matrix of the staff's survey (its areas with the kindergartens in deficit,
//! each kindergarten's teachers below the deficit threshold, the kindergartens strong in the area
//! and their confirmed tutors at a high level there), the network's tutors and the confirmed
//! mentoring pairs of kindergartens:
//!
//! 1. **Areas in demand**: an area with at least one teacher below the threshold, the most such
//!    teachers first (ties: the instrument's order).
//! 2. **The staff course** «Цифровая компетентность педагога ДОО», [`COURSE_HOURS`] ак. ч. in
//!    [`COURSE_MODULES`] modules of [`MODULE_HOURS`] ак. ч., one a month from October to May.
//!    Every area in demand gets a module (at most [`COURSE_MODULES`] areas; the rest are named in
//!    the notes); the modules left go one at a time to the area with the most teachers per module
//!    it would then have (the largest `teachers / (modules + 1)`, ties: the earlier area). The
//!    modules run area after area in the order of demand. Each module's seats are, per
//!    kindergarten, its teachers below the threshold in the area.
//! 3. **The host** of an event («место проведения») is, among the kindergartens strong in its
//!    area, the one that hosts the fewest events of the plan so far (so they host in turn), ties:
//!    the higher mean, then the key; it is led by that kindergarten's confirmed tutors in the area.
//!    An area without a strong kindergarten gets no host: the department's methodist leads.
//! 4. **The tutor track** «Школа педагога-тьютора», [`TUTOR_HOURS`] ак. ч. in four sessions of
//!    [`MODULE_HOURS`] ак. ч. (October, December, February, April), for the network's tutors;
//!    hosted in turn by the kindergartens with tutors (the most tutors first). None is proposed
//!    without a tutor.
//! 5. **Internships**: each confirmed mentoring pair of kindergartens gets a стажировка of
//!    [`MODULE_HOURS`] ак. ч. hosted by the mentor, the month after the area's first module
//!    (November without a module; never after May), its seats the mentee's teachers below the
//!    threshold in the area (at least one).
//!
//! Events are ordered by month, then in the order above, and numbered from 1. Every event says
//! why it is there ([`PlanEvent::reasoning`]): «3 ДОО и 41 педагог с дефицитом по области A3;
//! ведущая ДОО — № 55, сильная сторона» (the kindergartens with a teacher below the threshold,
//! and those teachers).
//!
//! # Attendance ([`attendance_record`])
//! An event marked held credits each person present with the hours she attended (1 to the
//! event's hours; partial attendance is the hours attended) as a training record dated the day
//! it was held, addressing the event's areas: a стажировка as an internship, a seminar, a
//! master class or a workshop as a seminar, a course module or mentoring as «иное обучение».
//! A module is not a document of ДПО: the course's удостоверение is recorded when its provider
//! issues it, so the 36-month coverage moves then, while «адресность» and the routes move with
//! each module.
//!
//! # Agreement ([`plan_agreement`], [`change_needs_reason`])
//! Each head of the network agrees the plan once — the version she read. An agreement of an
//! earlier version still stands as given, and says the plan changed after it. Once any head has
//! agreed, every change is a revision with its reason.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::record::{ProviderType, StudyForm, TrainingKind, TrainingRecord};
use crate::sentence::plural;

/// The staff course's hours.
pub const COURSE_HOURS: u32 = 48;
/// Its modules, one a month from October to May.
pub const COURSE_MODULES: u32 = 8;
/// A module's (and a session's, an internship's) hours.
pub const MODULE_HOURS: u32 = 6;
/// The tutor track's hours.
pub const TUTOR_HOURS: u32 = 24;
/// The most hours one event may plan.
pub const MAX_EVENT_HOURS: u32 = 144;
/// The staff course's title.
pub const COURSE_TITLE: &str = "Цифровая компетентность педагога ДОО";
/// The tutor track's title.
pub const TUTOR_TITLE: &str = "Школа педагога-тьютора";
/// Who leads an event without a host.
pub const DEPARTMENT_LEAD: &str = "методист управления образования";

/// The months of the course (October to May).
const COURSE_MONTHS: [u32; 8] = [10, 11, 12, 1, 2, 3, 4, 5];
/// The tutor track's sessions: month, format, topic.
const TUTOR_SESSIONS: [(u32, EventFormat, &str); 4] = [
    (
        10,
        EventFormat::Seminar,
        "Тьютор в ДОО: сопровождение индивидуального образовательного маршрута коллеги",
    ),
    (
        12,
        EventFormat::Workshop,
        "Диагностика цифровых дефицитов и подбор ресурсов для педагога",
    ),
    (
        2,
        EventFormat::MasterClass,
        "Мастер-класс для коллег: как показать цифровой инструмент в работе с детьми",
    ),
    (
        4,
        EventFormat::Workshop,
        "Итоги сопровождения: повторная диагностика и план на следующий год",
    ),
];

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFormat {
    /// Модуль КПК.
    CourseModule,
    /// Семинар.
    Seminar,
    /// Мастер-класс.
    MasterClass,
    /// Практикум.
    Workshop,
    /// Стажировка.
    Internship,
    /// Наставничество.
    Mentoring,
}

impl EventFormat {
    /// Every format, in display order.
    pub const ALL: [EventFormat; 6] = [
        EventFormat::CourseModule,
        EventFormat::Seminar,
        EventFormat::MasterClass,
        EventFormat::Workshop,
        EventFormat::Internship,
        EventFormat::Mentoring,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            EventFormat::CourseModule => "course_module",
            EventFormat::Seminar => "seminar",
            EventFormat::MasterClass => "master_class",
            EventFormat::Workshop => "workshop",
            EventFormat::Internship => "internship",
            EventFormat::Mentoring => "mentoring",
        }
    }

    /// The format of a code.
    pub fn parse(code: &str) -> Option<EventFormat> {
        EventFormat::ALL
            .into_iter()
            .find(|format| format.code() == code)
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            EventFormat::CourseModule => "модуль КПК",
            EventFormat::Seminar => "семинар",
            EventFormat::MasterClass => "мастер-класс",
            EventFormat::Workshop => "практикум",
            EventFormat::Internship => "стажировка",
            EventFormat::Mentoring => "наставничество",
        }
    }

    /// The kind of training record an attendance writes (see the module).
    pub fn training_kind(self) -> TrainingKind {
        match self {
            EventFormat::Internship => TrainingKind::Internship,
            EventFormat::Seminar | EventFormat::MasterClass | EventFormat::Workshop => {
                TrainingKind::Seminar
            }
            EventFormat::CourseModule | EventFormat::Mentoring => TrainingKind::Other,
        }
    }
}

/// Seats of one kindergarten at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats<K> {
    pub kindergarten: K,
    pub seats: u32,
}

/// One person's attendance of an event held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attended<P> {
    pub person: P,
    /// The hours attended: 1 to the event's hours.
    pub hours: u32,
}

/// What happened at an event held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held<P> {
    /// The day it was held.
    pub on: NaiveDate,
    /// Who attended, with the hours credited.
    pub attended: Vec<Attended<P>>,
}

/// One row of the calendar plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "K: Deserialize<'de>, P: Deserialize<'de>"))]
pub struct PlanEvent<K, P> {
    /// Its number in the plan, kept across revisions.
    pub id: u32,
    /// «Мероприятие»: the topic.
    pub topic: String,
    pub format: EventFormat,
    /// The month (its first day).
    pub month: NaiveDate,
    /// The date, when fixed.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// «Место проведения»: the hosting kindergarten; `None`: the department.
    pub host: Option<K>,
    /// The people who lead it (tutors).
    #[serde(default)]
    pub leaders: Vec<P>,
    /// «Ответственный» in words beside the leaders (e.g. the department's methodist).
    #[serde(default)]
    pub responsible: String,
    /// The target deficit areas (codes).
    #[serde(default)]
    pub areas: Vec<String>,
    /// Planned hours (ак. ч.).
    pub hours: u32,
    /// Seats per kindergarten.
    #[serde(default)]
    pub seats: Vec<Seats<K>>,
    /// Named participants (the tutor track's tutors).
    #[serde(default)]
    pub participants: Vec<P>,
    /// «Планируемый результат».
    #[serde(default)]
    pub planned_result: String,
    /// Why vsoko proposed it (empty for an event added by hand).
    #[serde(default)]
    pub reasoning: String,
    /// Attendance, once held.
    #[serde(default)]
    pub held: Option<Held<P>>,
}

impl<K, P> PlanEvent<K, P> {
    /// The seats offered in all.
    pub fn capacity(&self) -> u32 {
        self.seats.iter().map(|seats| seats.seats).sum::<u32>() + self.participants.len() as u32
    }
}

/// One area of the instrument with its demand and supply, as the strengths matrix has them.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaDemand<K, P> {
    pub code: String,
    pub title: String,
    /// Per kindergarten, its teachers below the deficit threshold in the area (only those with
    /// at least one).
    pub below: Vec<(K, u32)>,
    /// The kindergartens strong in the area, with their mean.
    pub strong: Vec<(K, f64)>,
    /// Confirmed tutors at a high level in the area, with their kindergarten.
    pub tutors: Vec<(K, P)>,
}

impl<K, P> AreaDemand<K, P> {
    fn teachers(&self) -> u32 {
        self.below.iter().map(|(_, n)| n).sum()
    }
}

/// What the proposal reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput<K, P> {
    pub year: SchoolYear,
    /// The areas, in the instrument's order.
    pub areas: Vec<AreaDemand<K, P>>,
    /// The network's tutors for the tutor track, with their kindergarten.
    pub tutors: Vec<(K, P)>,
    /// Confirmed mentoring pairs of kindergartens: area, mentee, mentor.
    pub pairs: Vec<(String, K, K)>,
}

/// The proposal: its events and what it could not place.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal<K, P> {
    pub events: Vec<PlanEvent<K, P>>,
    /// Sentences about what was left out, and why.
    pub notes: Vec<String>,
}

/// The first day of `month` of the school year (September to August).
pub fn month_of(year: SchoolYear, month: u32) -> NaiveDate {
    let calendar_year = if month >= 9 {
        year.start_year()
    } else {
        year.start_year() + 1
    };
    NaiveDate::from_ymd_opt(calendar_year, month, 1).expect("a month of a school year")
}

/// «педагог», «педагога», «педагогов» after `n`.
fn teachers_word(n: u32) -> String {
    format!("{n} {}", plural(n, "педагог", "педагога", "педагогов"))
}

/// How many modules each area in demand gets (see the module).
fn modules_per_area(teachers: &[u32]) -> Vec<u32> {
    let areas = teachers.len().min(COURSE_MODULES as usize);
    let mut modules = vec![0u32; teachers.len()];
    for slot in modules.iter_mut().take(areas) {
        *slot = 1;
    }
    let mut left = COURSE_MODULES.saturating_sub(areas as u32);
    while left > 0 && areas > 0 {
        let mut best = 0;
        for at in 1..areas {
            // teachers[at] / (modules[at] + 1) > teachers[best] / (modules[best] + 1)
            if u64::from(teachers[at]) * u64::from(modules[best] + 1)
                > u64::from(teachers[best]) * u64::from(modules[at] + 1)
            {
                best = at;
            }
        }
        modules[best] += 1;
        left -= 1;
    }
    modules
}

/// The event's host among `candidates` (key, mean, tie-break rank): the one hosting the fewest
/// so far, then the higher mean, then the key.
fn pick_host<K: Ord + Clone>(candidates: &[(K, f64)], hosted: &BTreeMap<K, u32>) -> Option<K> {
    candidates
        .iter()
        .min_by(|(a, a_mean), (b, b_mean)| {
            let load = |key: &K| hosted.get(key).copied().unwrap_or(0);
            load(a)
                .cmp(&load(b))
                .then(b_mean.total_cmp(a_mean))
                .then(a.cmp(b))
        })
        .map(|(key, _)| key.clone())
}

/// The calendar plan vsoko proposes (see the module). `name` gives a kindergarten's short name
/// for the reasoning.
pub fn propose_plan<K: Ord + Clone, P: Ord + Clone>(
    input: &PlanInput<K, P>,
    name: impl Fn(&K) -> String,
) -> Proposal<K, P> {
    let mut notes = Vec::new();
    let mut demand: Vec<&AreaDemand<K, P>> = input
        .areas
        .iter()
        .filter(|area| area.teachers() > 0)
        .collect();
    // A stable sort keeps the instrument's order among ties.
    demand.sort_by_key(|area| std::cmp::Reverse(area.teachers()));
    if demand.len() > COURSE_MODULES as usize {
        for area in &demand[COURSE_MODULES as usize..] {
            notes.push(format!(
                "Область {} «{}» ({}) не вошла в курс: в нём {} модулей; добавьте мероприятие вручную.",
                area.code,
                area.title,
                teachers_word(area.teachers()),
                COURSE_MODULES
            ));
        }
    }
    let counts: Vec<u32> = demand.iter().map(|area| area.teachers()).collect();
    let modules = modules_per_area(&counts);
    let mut hosted: BTreeMap<K, u32> = BTreeMap::new();
    // (month index in the school year, order of kind, event) — sorted at the end.
    let mut events: Vec<(u32, u32, PlanEvent<K, P>)> = Vec::new();
    let mut first_module: BTreeMap<&str, usize> = BTreeMap::new();
    let mut slot = 0usize;
    let mut number = 0u32;
    for (area, &count) in demand.iter().zip(&modules) {
        for index in 0..count {
            number += 1;
            let month = COURSE_MONTHS[slot];
            first_module.entry(area.code.as_str()).or_insert(slot);
            slot += 1;
            let host = pick_host(&area.strong, &hosted);
            let teachers = area.teachers();
            let mut reasoning = format!(
                "{} ДОО и {} с дефицитом по области {}",
                area.below.len(),
                teachers_word(teachers),
                area.code
            );
            let (leaders, responsible) = match &host {
                Some(host) => {
                    *hosted.entry(host.clone()).or_insert(0) += 1;
                    reasoning.push_str(&format!("; ведущая ДОО — {}, сильная сторона", name(host)));
                    let mut leaders: Vec<P> = area
                        .tutors
                        .iter()
                        .filter(|(unit, _)| unit == host)
                        .map(|(_, person)| person.clone())
                        .collect();
                    leaders.sort();
                    let responsible = if leaders.is_empty() {
                        format!("заведующий {}", name(host))
                    } else {
                        String::new()
                    };
                    (leaders, responsible)
                }
                None => {
                    reasoning.push_str("; сильной ДОО по области нет — проводит методист");
                    (Vec::new(), DEPARTMENT_LEAD.to_owned())
                }
            };
            if count > 1 {
                reasoning.push_str(&format!("; модуль {} из {count} по области", index + 1));
            }
            events.push((
                slot as u32 - 1,
                0,
                PlanEvent {
                    id: 0,
                    topic: format!(
                        "Модуль {number} курса «{COURSE_TITLE}» ({COURSE_HOURS} ак. ч.): {}",
                        area.title
                    ),
                    format: EventFormat::CourseModule,
                    month: month_of(input.year, month),
                    date: None,
                    host,
                    leaders,
                    responsible,
                    areas: vec![area.code.clone()],
                    hours: MODULE_HOURS,
                    seats: area
                        .below
                        .iter()
                        .map(|(unit, n)| Seats {
                            kindergarten: unit.clone(),
                            seats: *n,
                        })
                        .collect(),
                    participants: Vec::new(),
                    planned_result: format!(
                        "Участники освоили содержание области {} «{}»; на следующей диагностике их результат по области не ниже порогового",
                        area.code, area.title
                    ),
                    reasoning,
                    held: None,
                },
            ));
        }
    }
    if input.tutors.is_empty() {
        notes.push(
            "Трек педагогов-тьюторов не предложен: в сети нет тьюторов, подтверждённых заведующими."
                .to_owned(),
        );
    } else {
        // Kindergartens with tutors: the most tutors first.
        let mut per_unit: BTreeMap<K, u32> = BTreeMap::new();
        for (unit, _) in &input.tutors {
            *per_unit.entry(unit.clone()).or_insert(0) += 1;
        }
        let candidates: Vec<(K, f64)> = per_unit
            .iter()
            .map(|(unit, n)| (unit.clone(), f64::from(*n)))
            .collect();
        let mut tutors: Vec<P> = input
            .tutors
            .iter()
            .map(|(_, person)| person.clone())
            .collect();
        tutors.sort();
        tutors.dedup();
        let areas: Vec<String> = demand.iter().map(|area| area.code.clone()).collect();
        let n = tutors.len() as u32;
        for (session, (month, format, topic)) in TUTOR_SESSIONS.iter().enumerate() {
            let host = pick_host(&candidates, &hosted);
            if let Some(host) = &host {
                *hosted.entry(host.clone()).or_insert(0) += 1;
            }
            let school_month = COURSE_MONTHS.iter().position(|m| m == month).unwrap_or(0) as u32;
            events.push((
                school_month,
                1,
                PlanEvent {
                    id: 0,
                    topic: format!(
                        "{TUTOR_TITLE} ({TUTOR_HOURS} ак. ч.), занятие {}: {topic}",
                        session + 1
                    ),
                    format: *format,
                    month: month_of(input.year, *month),
                    date: None,
                    host,
                    leaders: Vec::new(),
                    responsible: DEPARTMENT_LEAD.to_owned(),
                    areas: areas.clone(),
                    hours: MODULE_HOURS,
                    seats: Vec::new(),
                    participants: tutors.clone(),
                    planned_result: "Тьюторы готовы сопровождать коллег своего и других ДОО по индивидуальным маршрутам".to_owned(),
                    reasoning: format!(
                        "{n} {} в {} ДОО {} заведующими; трек {TUTOR_HOURS} ак. ч. готовит тьюторов сопровождать коллег на местах",
                        plural(n, "тьютор", "тьютора", "тьюторов"),
                        per_unit.len(),
                        plural(n, "подтверждён", "подтверждены", "подтверждены"),
                    ),
                    held: None,
                },
            ));
        }
    }
    for (code, mentee, mentor) in &input.pairs {
        let area = input.areas.iter().find(|area| &area.code == code);
        let title = area.map_or(code.as_str(), |area| area.title.as_str());
        let after = first_module.get(code.as_str()).map_or(1, |slot| slot + 1);
        let school_month = after.min(COURSE_MONTHS.len() - 1);
        let seats = area
            .and_then(|area| area.below.iter().find(|(unit, _)| unit == mentee))
            .map_or(1, |(_, n)| (*n).max(1));
        *hosted.entry(mentor.clone()).or_insert(0) += 1;
        let mut leaders: Vec<P> = area
            .map(|area| {
                area.tutors
                    .iter()
                    .filter(|(unit, _)| unit == mentor)
                    .map(|(_, person)| person.clone())
                    .collect()
            })
            .unwrap_or_default();
        leaders.sort();
        events.push((
            school_month as u32,
            2,
            PlanEvent {
                id: 0,
                topic: format!("Стажировка на базе {}: {title}", name(mentor)),
                format: EventFormat::Internship,
                month: month_of(input.year, COURSE_MONTHS[school_month]),
                date: None,
                host: Some(mentor.clone()),
                responsible: if leaders.is_empty() {
                    format!("заведующий {}", name(mentor))
                } else {
                    String::new()
                },
                leaders,
                areas: vec![code.clone()],
                hours: MODULE_HOURS,
                seats: vec![Seats {
                    kindergarten: mentee.clone(),
                    seats,
                }],
                participants: Vec::new(),
                planned_result: format!(
                    "Педагоги {} увидели в работе практику {} по области {code}",
                    name(mentee),
                    name(mentor)
                ),
                reasoning: format!(
                    "подтверждённая наставническая пара: {} — дефицит по области {code}, {} — сильная сторона",
                    name(mentee),
                    name(mentor)
                ),
                held: None,
            },
        ));
    }
    if demand.is_empty() {
        notes.insert(
            0,
            "Курс для педагогов не предложен: ни у одного педагога нет дефицита ни по одной области."
                .to_owned(),
        );
    }
    events.sort_by_key(|(month, kind, _)| (*month, *kind));
    let events = events
        .into_iter()
        .enumerate()
        .map(|(at, (_, _, mut event))| {
            event.id = at as u32 + 1;
            event
        })
        .collect();
    Proposal { events, notes }
}

/// A field of an event that is wrong, and why (in Russian).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventProblem {
    /// The field's name (`topic`, `month`, `hours`, `areas`, `seats`).
    pub field: &'static str,
    pub message: String,
}

/// What is wrong with an event of a plan of `year` whose instrument has `areas` (codes).
pub fn check_event<K, P>(
    event: &PlanEvent<K, P>,
    year: SchoolYear,
    areas: &[&str],
) -> Vec<EventProblem> {
    let mut problems = Vec::new();
    let mut problem = |field, message: String| problems.push(EventProblem { field, message });
    if event.topic.trim().is_empty() {
        problem(
            "topic",
            "назовите мероприятие: тема нужна в плане и в приказе".to_owned(),
        );
    }
    if !year.range().contains(event.month) {
        problem(
            "month",
            format!("месяц не из {year} учебного года: выберите месяц с сентября по август"),
        );
    }
    if let Some(date) = event.date
        && (date.year() != event.month.year() || date.month() != event.month.month())
    {
        problem(
            "date",
            "дата не в выбранном месяце: поправьте дату или месяц".to_owned(),
        );
    }
    if event.hours == 0 || event.hours > MAX_EVENT_HOURS {
        problem(
            "hours",
            format!("часы — число от 1 до {MAX_EVENT_HOURS} (академических часов)"),
        );
    }
    for code in &event.areas {
        if !areas.contains(&code.as_str()) {
            problem(
                "areas",
                format!("в инструменте нет области «{code}»: выберите из списка"),
            );
        }
    }
    if event.seats.iter().any(|seats| seats.seats == 0) {
        problem(
            "seats",
            "мест у детского сада — не меньше одного; уберите детский сад без мест".to_owned(),
        );
    }
    problems
}

/// What a head's agreement is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAgreement {
    /// She has not agreed.
    NotAgreed,
    /// She agreed the current version.
    Agreed,
    /// She agreed an earlier version; the plan changed after.
    ChangedSince,
}

impl PlanAgreement {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            PlanAgreement::NotAgreed => "не согласовано",
            PlanAgreement::Agreed => "согласовано",
            PlanAgreement::ChangedSince => "согласовано; план изменён после согласования",
        }
    }

    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            PlanAgreement::NotAgreed => "not_agreed",
            PlanAgreement::Agreed => "agreed",
            PlanAgreement::ChangedSince => "changed_since",
        }
    }
}

/// The state of an agreement of version `agreed` (none: not agreed) of a plan now at `current`.
pub fn plan_agreement(agreed: Option<u32>, current: u32) -> PlanAgreement {
    match agreed {
        None => PlanAgreement::NotAgreed,
        Some(version) if version >= current => PlanAgreement::Agreed,
        Some(_) => PlanAgreement::ChangedSince,
    }
}

/// Whether a change needs its reason: once any head has agreed the plan.
pub fn change_needs_reason(agreements: usize) -> bool {
    agreements > 0
}

/// Why an attendance cannot be credited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttendanceError {
    /// Hours outside 1 to the event's hours.
    Hours { planned: u32, given: u32 },
    /// The day is outside the event's school year, or in the future.
    Day,
}

/// The hours credited for `given` hours attended of an event of `planned` hours.
pub fn credited_hours(planned: u32, given: u32) -> Result<u32, AttendanceError> {
    if given == 0 || given > planned {
        return Err(AttendanceError::Hours { planned, given });
    }
    Ok(given)
}

/// Whether `held_on` may be the day an event of a plan of `year` was held, `today`.
pub fn held_day_valid(held_on: NaiveDate, year: SchoolYear, today: NaiveDate) -> bool {
    year.range().contains(held_on) && held_on <= today
}

/// The training record an attendance writes (see the module): `provider` is the network's
/// name, the record dated the day held.
pub fn attendance_record<K, P>(
    event: &PlanEvent<K, P>,
    provider: &str,
    held_on: NaiveDate,
    hours: u32,
) -> TrainingRecord {
    TrainingRecord {
        kind: event.format.training_kind(),
        programme: format!("{} ({})", event.topic.trim(), event.format.label()),
        provider: provider.to_owned(),
        provider_type: ProviderType::Municipal,
        federal_register: false,
        hours,
        start: held_on,
        end: held_on,
        enrolled: None,
        form: StudyForm::FullTime,
        distance: false,
        document_number: None,
        registration_number: None,
        issued: None,
        areas: event.areas.clone(),
    }
}

#[cfg(test)]
mod tests;
