//! `vsoko serve --demo`: on an empty database, a demo network — the ten kindergartens that started
//! the project — with groups, staff, two periods, accounts for every role and plausible generated
//! submissions for every shipped instrument, so a newcomer sees real reports at once.
//!
//! Generation is deterministic (fixed seed): each kindergarten has a quality baseline, each teacher
//! or group a deviation from it, and May is on average a little better than September. September
//! is closed; May and the current month (empty, for trying the forms) are open.

use std::collections::HashMap;

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use vsoko_checklist::{
    AnswerValue, Catalog, Counting, Instrument, NumericRule, RawAnswer, Respondent, ScaleKind,
    Subject, check_value,
};
use vsoko_storage::{
    Kindergarten, NewKindergarten, NewPeriod, NewSubmission, NewUser, RespondentRef, Role, Scope,
    Store, SubjectRef,
};

use crate::error::{AppError, AppResult};
use crate::submissions::Scored;
use crate::{App, Principal};
use vsoko_domain::PersonId;
use vsoko_domain::{GroupId, UserId};

mod cycle;
mod plan;

/// The kindergartens of the demo network (МДОУ №№).
pub const KINDERGARTENS: [u32; 10] = [2, 8, 18, 55, 106, 127, 130, 133, 209, 211];
/// The demo periods: code, first day, last day.
pub const PERIODS: [[&str; 3]; 2] = [
    ["2024-09", "2024-09-01", "2024-09-30"],
    ["2025-05", "2025-05-01", "2025-05-31"],
];
/// The districts of the demo's city.
const DISTRICTS: [&str; 3] = ["Центральный", "Заречный", "Северный"];
/// The chance that a teacher who attended the past plan's events answers an item of May's
/// self-assessment one option higher than in September.
const TRAINING_GAIN: f64 = 0.5;
/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "vsoko-demo";

const TEACHERS_PER_KINDERGARTEN: usize = 6;
const GROUPS: [(&str, &str); 4] = [
    ("Солнышко", "младшая"),
    ("Колокольчик", "средняя"),
    ("Радуга", "старшая"),
    ("Почемучки", "подготовительная"),
];
const SURNAMES: [&str; 12] = [
    "Иванова",
    "Петрова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
];
const NAMES: [&str; 8] = [
    "Анна",
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Ирина",
    "Светлана",
    "Мария",
];
const PATRONYMICS: [&str; 6] = [
    "Александровна",
    "Сергеевна",
    "Викторовна",
    "Николаевна",
    "Владимировна",
    "Петровна",
];

/// A demo account to print at start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login.
    pub login: String,
    /// Role.
    pub role: &'static str,
    /// Whose account it is.
    pub note: String,
}

struct Staff {
    kindergarten: Kindergarten,
    quality: f64,
    head_user: UserId,
    head_person: PersonId,
    teachers: Vec<(PersonId, UserId, f64)>,
    groups: Vec<(GroupId, f64)>,
}

/// Fills an empty database; returns `None` (and changes nothing) when it already has accounts.
pub async fn seed(store: &Store, catalog: &Catalog) -> AppResult<Option<Vec<DemoAccount>>> {
    if store.has_users().await? {
        return Ok(None);
    }
    let mut rng = StdRng::seed_from_u64(20240901);
    let mut accounts = Vec::new();
    let network = store
        .create_network(None, "Демонстрационная сеть ДОО")
        .await?;
    let user = |login: String, role: Role, scope: Scope, person_id: Option<PersonId>| NewUser {
        login,
        password: DEMO_PASSWORD.to_owned(),
        role,
        scope,
        person_id,
    };
    store
        .create_user(
            None,
            &user(
                "admin".into(),
                Role::Admin,
                Scope::Network(network.id),
                None,
            ),
        )
        .await?;
    accounts.push(DemoAccount {
        login: "admin".into(),
        role: "admin",
        note: "администратор".into(),
    });
    let manager = store
        .create_user(
            None,
            &user(
                "manager".into(),
                Role::Manager,
                Scope::Network(network.id),
                None,
            ),
        )
        .await?;
    accounts.push(DemoAccount {
        login: "manager".into(),
        role: "manager",
        note: "методист управления образования".into(),
    });

    let mut periods = Vec::new();
    for [code, start, end] in PERIODS {
        let date = |text: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|error| AppError::unexpected(format!("demo date {text}: {error}")))
        };
        periods.push(
            store
                .create_period(
                    None,
                    &NewPeriod {
                        network_id: network.id,
                        code: code.to_owned(),
                        starts_on: date(start)?,
                        ends_on: date(end)?,
                    },
                )
                .await?,
        );
    }

    let mut staff = Vec::new();
    let mut name_index = 0usize;
    let mut next_name = || {
        let name = format!(
            "{} {} {}",
            SURNAMES[name_index % SURNAMES.len()],
            NAMES[(name_index / 3) % NAMES.len()],
            PATRONYMICS[(name_index / 5) % PATRONYMICS.len()]
        );
        name_index += 1;
        name
    };
    for (at, number) in KINDERGARTENS.into_iter().enumerate() {
        let kindergarten = store
            .create_kindergarten(
                None,
                &NewKindergarten {
                    network_id: network.id,
                    number: number.to_string(),
                    full_name: format!(
                        "Муниципальное дошкольное образовательное учреждение «Детский сад № {number}»"
                    ),
                    short_name: format!("МДОУ № {number}"),
                },
            )
            .await?;
        // The city's three districts, set by the department for the mentoring pairs.
        let kindergarten = store
            .set_kindergarten_district(None, kindergarten.id, Some(DISTRICTS[at % DISTRICTS.len()]))
            .await?;
        let quality = rng.random_range(0.45..0.85);
        let head = store
            .create_person(None, kindergarten.id, &next_name(), "заведующий")
            .await?;
        let head_login = format!("head{number}");
        let head_user = store
            .create_user(
                None,
                &user(
                    head_login.clone(),
                    Role::Head,
                    Scope::Kindergarten(kindergarten.id),
                    Some(head.id),
                ),
            )
            .await?;
        accounts.push(DemoAccount {
            login: head_login,
            role: "head",
            note: format!("заведующий МДОУ № {number}: {}", head.full_name),
        });
        let mut teachers = Vec::new();
        for index in 0..TEACHERS_PER_KINDERGARTEN {
            let person = store
                .create_person(None, kindergarten.id, &next_name(), "воспитатель")
                .await?;
            let login = format!("teacher{number}-{}", index + 1);
            let account = store
                .create_user(
                    None,
                    &user(
                        login.clone(),
                        Role::Teacher,
                        Scope::Kindergarten(kindergarten.id),
                        Some(person.id),
                    ),
                )
                .await?;
            if index == 0 {
                accounts.push(DemoAccount {
                    login,
                    role: "teacher",
                    note: format!("воспитатель МДОУ № {number}: {}", person.full_name),
                });
            }
            // Most teachers are near their kindergarten's level; in about half of the
            // kindergartens the last one is new to the work, far below it — the individual
            // deficits a kindergarten's mean hides.
            let deviation = if index + 1 == TEACHERS_PER_KINDERGARTEN && rng.random_bool(0.5) {
                rng.random_range(-0.45..-0.3)
            } else {
                rng.random_range(-0.15..0.15)
            };
            teachers.push((person.id, account.id, deviation));
        }
        let mut groups = Vec::new();
        for (name, age) in GROUPS {
            let group = store.create_group(None, kindergarten.id, name, age).await?;
            groups.push((group.id, rng.random_range(-0.1..0.1)));
        }
        staff.push(Staff {
            kindergarten: kindergarten.clone(),
            quality,
            head_user: head_user.id,
            head_person: head.id,
            teachers,
            groups,
        });
    }

    seed_training(store, &staff, &mut rng, crate::today()).await?;
    // Computed items take what the system holds, read as the department would read it.
    let app = App::new(store.clone());
    let principal = Principal {
        user: manager.clone(),
    };
    let mut key = 0u64;
    // The teachers who attended the 2024/25 plan's events between September and May: their May
    // self-assessment rises more than the others' (the register then shows training worked).
    let mut trained: HashMap<PersonId, Vec<String>> = HashMap::new();
    // Each teacher's September self-assessment, which her May one starts from.
    let mut september: HashMap<PersonId, Vec<RawAnswer>> = HashMap::new();
    for (period_index, period) in periods.iter().enumerate() {
        if period_index == 1 {
            trained = plan::seed_past_plan(store, &app, &staff, &manager).await?;
        }
        let progress = 0.06 * period_index as f64;
        let in_period = demo_versions(catalog, period_index == 0);
        for instrument in in_period {
            let stored = store
                .instrument(instrument.code().as_str(), Some(instrument.version()))
                .await?;
            let computes = instrument
                .items()
                .any(|entry| entry.item.computed().is_some());
            for unit in &staff {
                // (subject, author, quality of the subject)
                let mut targets: Vec<(SubjectRef, UserId, f64)> = Vec::new();
                let author_for = |teacher_user: UserId| match instrument.respondent() {
                    Respondent::Teacher => teacher_user,
                    Respondent::Head => unit.head_user,
                    Respondent::Manager => manager.id,
                    // Paper questionnaires, entered by the head.
                    Respondent::Parent => unit.head_user,
                };
                match instrument.subject() {
                    Subject::Teacher => {
                        if instrument.respondent() == Respondent::Head
                            && instrument.code().as_str().starts_with("dc-")
                        {
                            // A management-team survey: the head about themselves.
                            targets.push((
                                SubjectRef::Teacher(unit.head_person),
                                unit.head_user,
                                unit.quality,
                            ));
                        } else {
                            for (person, account, deviation) in &unit.teachers {
                                targets.push((
                                    SubjectRef::Teacher(*person),
                                    author_for(*account),
                                    unit.quality + deviation,
                                ));
                            }
                        }
                    }
                    Subject::Group => {
                        for (group, deviation) in &unit.groups {
                            targets.push((
                                SubjectRef::Group(*group),
                                author_for(unit.head_user),
                                unit.quality + deviation,
                            ));
                        }
                    }
                    Subject::Kindergarten => targets.push((
                        SubjectRef::Kindergarten(unit.kindergarten.id),
                        author_for(unit.head_user),
                        unit.quality,
                    )),
                }
                // Control cards: every subject observed once, every other one a second time a
                // week later, so that reports show subjects and cards apart.
                // Parents' questionnaires: seven responses a group, but three in the first group,
                // which the small-group rule then hides.
                let observations = match (instrument.respondent(), instrument.counting()) {
                    (Respondent::Parent, _) => 7,
                    (_, Counting::Observations) => 2,
                    _ => 1,
                };
                for (index, (subject, author, quality)) in targets.into_iter().enumerate() {
                    let respondent = match (instrument.respondent(), subject) {
                        (Respondent::Teacher, SubjectRef::Teacher(person)) => {
                            RespondentRef::Person(person)
                        }
                        (Respondent::Head, _) => RespondentRef::Person(unit.head_person),
                        _ => RespondentRef::User(author),
                    };
                    for observation in 0..observations {
                        let skip = match instrument.respondent() {
                            Respondent::Parent => index == 0 && observation >= 3,
                            _ => observation > 0 && index % 2 == 1,
                        };
                        if skip {
                            continue;
                        }
                        let mut answers =
                            generate_answers(instrument, quality + progress, &mut rng);
                        // A teacher's self-assessment moves little from September to May, and
                        // mostly up where she was trained.
                        if let (Respondent::Teacher, SubjectRef::Teacher(person)) =
                            (instrument.respondent(), subject)
                        {
                            if period_index == 0 {
                                september.insert(person, answers.clone());
                            } else if let Some(before) = september.get(&person) {
                                answers = carried_forward(
                                    instrument,
                                    answers,
                                    before,
                                    trained.get(&person).map_or(&[], Vec::as_slice),
                                    &mut rng,
                                );
                            }
                        }
                        if computes {
                            // What the system holds, as the form would show it.
                            let values = app
                                .computed_values(
                                    &principal,
                                    instrument,
                                    Some(&unit.kindergarten),
                                    period,
                                )
                                .await?;
                            answers.retain(|answer| {
                                values.iter().all(|value| value.item != answer.item)
                            });
                            answers.extend(values.into_iter().filter_map(|value| {
                                Some(RawAnswer {
                                    item: value.item,
                                    value: AnswerValue::Value(value.value?),
                                    comment: None,
                                })
                            }));
                        }
                        let Scored { sheet, score } =
                            Scored::of(instrument, instrument.validate_answers(answers)?)?;
                        key += 1;
                        let observed_on = (instrument.counting() == Counting::Observations)
                            .then(|| period.starts_on + chrono::Days::new(3 + 4 * observation));
                        store
                            .submit(&NewSubmission {
                                instrument_id: stored.id,
                                period_id: period.id,
                                kindergarten_id: unit.kindergarten.id,
                                subject,
                                author_user_id: author,
                                respondent: &respondent,
                                idempotency_key: &format!("demo-{key}"),
                                answers: &sheet,
                                score: &score,
                                observed_on,
                                answered_at: None,
                                respondent_email: None,
                            })
                            .await?;
                    }
                }
            }
        }
    }
    // September is history: closed. May stays open (a methodist can try closing it), and the
    // current month is open with nothing filled yet, for a teacher to fill her survey in.
    if let Some(september) = periods.first() {
        store.close_period(None, september.id).await?;
    }
    // The 2024/25 assessment is held under the department's order, which the справки cite.
    for period in &periods {
        store
            .set_period_basis(
                None,
                period.id,
                Some(&vsoko_domain::Basis {
                    title: "приказ управления образования «О проведении внутренней системы оценки качества образования в дошкольных образовательных организациях в 2024/2025 учебном году»".to_owned(),
                    number: "112".to_owned(),
                    date: NaiveDate::from_ymd_opt(2024, 9, 2).expect("a date"),
                }),
            )
            .await?;
    }
    let (code, starts_on, ends_on) = current_period(crate::today());
    if !periods.iter().any(|period| period.code == code) {
        store
            .create_period(
                None,
                &NewPeriod {
                    network_id: network.id,
                    code,
                    starts_on,
                    ends_on,
                },
            )
            .await?;
    }
    seed_routes(store, &app, &staff).await?;
    seed_lists(store, &app, &staff, &manager).await?;
    seed_pairs(store, &app, &staff, &manager).await?;
    plan::seed_plan(store, &app, &staff, &manager).await?;
    cycle::seed_recommendations(store, &app, &staff, &manager).await?;
    // The department filed May's network справка: a saved, numbered one to open under «Справки».
    let targets = crate::targets::load(None, catalog)
        .map_err(|error| AppError::unexpected(format!("the shipped targets: {error:?}")))?;
    App::new(store.clone())
        .with_targets(targets)
        .save_spravka(
            &principal,
            &crate::spravka::SpravkaRequest {
                of: crate::reports::ReportOf::Network,
                instrument: "dc-teacher".to_owned(),
                period: "2025-05".to_owned(),
                compare_period: Some("2024-09".to_owned()),
            },
            &crate::spravka::SpravkaEdits::default(),
        )
        .await?;
    tracing::info!(submissions = key, "demo network created");
    Ok(Some(accounts))
}

/// Individual routes of the current school year, as heads would have handled them: in the first
/// kindergarten approved with rows done, in the second sent for approval, in the third one of
/// each status (a draft returned with a remark, sent, approved, done, closed); the others not
/// started (prefilled). A teacher whose self-assessment has no deficit gets the row her head
/// adds: deepening her lowest area.
async fn seed_routes(store: &Store, app: &App, staff: &[Staff]) -> AppResult<()> {
    use crate::individual_route::{RouteAction, RowInput};
    use vsoko_development::RouteForm;
    let today = crate::today();
    let plans: [&[&[RouteAction]]; 3] = [
        &[&[RouteAction::Submit, RouteAction::Approve]],
        &[&[RouteAction::Submit]],
        &[
            &[RouteAction::Submit, RouteAction::Return],
            &[RouteAction::Submit],
            &[RouteAction::Submit, RouteAction::Approve],
            &[
                RouteAction::Submit,
                RouteAction::Approve,
                RouteAction::Complete,
            ],
            &[
                RouteAction::Submit,
                RouteAction::Approve,
                RouteAction::Close,
            ],
        ],
    ];
    for (unit, plan) in staff.iter().zip(plans) {
        let head = Principal {
            user: store.user(unit.head_user).await?,
        };
        for (index, (person, _, _)) in unit.teachers.iter().enumerate() {
            let actions = plan[index % plan.len()];
            let mut view = app.individual_route(&head, *person, today).await?;
            if view.rows.is_empty() {
                let lowest = view.diagnosis.as_ref().and_then(|diagnosis| {
                    diagnosis
                        .areas
                        .iter()
                        .filter(|area| area.score.is_some())
                        .min_by(|a, b| {
                            a.score
                                .partial_cmp(&b.score)
                                .unwrap_or(std::cmp::Ordering::Equal)
                        })
                        .cloned()
                });
                let Some(area) = lowest else {
                    continue;
                };
                let row = RowInput {
                    from: None,
                    deficit: area.title.clone(),
                    task: format!("Углубить: «{}»", area.title),
                    activity:
                        "Открытое занятие с ЭОР для коллег и его разбор на методическом объединении"
                            .to_owned(),
                    form: RouteForm::Community.code().to_owned(),
                    due: view.year.end().to_string(),
                    result: "Конспект и материалы занятия в методической копилке детского сада"
                        .to_owned(),
                };
                view = app
                    .save_route_rows(&head, *person, view.version, &[row], today)
                    .await?;
            }
            for action in actions {
                let remark = (*action == RouteAction::Return).then(|| {
                    "Добавьте в план участие в сетевом методическом объединении".to_owned()
                });
                if *action == RouteAction::Complete {
                    let all: Vec<usize> = (0..view.rows.len()).collect();
                    view = app
                        .mark_route_rows(&head, *person, view.version, &all, today)
                        .await?;
                }
                view = app
                    .route_action(&head, *person, view.version, *action, remark, today)
                    .await?;
            }
            if view.status == vsoko_development::RouteStatus::Approved && index % 2 == 0 {
                app.mark_route_rows(&head, *person, view.version, &[0], today)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The lists' decisions of the current school year, as heads and the methodist would have made
/// them: the motivated list agreed in the first four kindergartens (in one of the last two a
/// teacher put herself on it after the agreement, so it wants agreeing again) and not in the
/// others; tutors
/// confirmed in every kindergarten but the second (so that the plan's hosts have tutors to lead
/// its events) and one designated by the methodist in the first; in the first kindergarten one teacher needing a course confirmed and one dismissed
/// with a reason, and a consultation given in the first.
async fn seed_lists(
    store: &Store,
    app: &App,
    staff: &[Staff],
    manager: &vsoko_domain::User,
) -> AppResult<()> {
    use crate::lists::{ListMark, StaffList};
    use crate::reports::ReportOf;
    let today = crate::today();
    let methodist = Principal {
        user: manager.clone(),
    };
    let mut outdated = false;
    for (index, unit) in staff.iter().enumerate() {
        let head = Principal {
            user: store.user(unit.head_user).await?,
        };
        let of = ReportOf::Kindergarten(unit.kindergarten.id);
        let entries = |view: crate::lists::StaffListView| {
            view.kindergartens
                .into_iter()
                .flat_map(|part| part.entries)
                .collect::<Vec<_>>()
        };
        if index != 1 {
            let tutors = entries(app.staff_list(&head, StaffList::Tutors, of, today).await?);
            for entry in tutors
                .iter()
                .filter(|entry| entry.marks.contains(&ListMark::Confirmed))
            {
                app.mark_list(
                    &head,
                    StaffList::Tutors,
                    entry.person.id,
                    ListMark::Confirmed,
                    None,
                    entry.based_on,
                    today,
                )
                .await?;
            }
            if index < 2 {
                let confirmed = entries(
                    app.staff_list(&methodist, StaffList::Tutors, of, today)
                        .await?,
                );
                if let Some(entry) = confirmed
                    .iter()
                    .find(|entry| entry.marks.contains(&ListMark::Designated))
                {
                    app.mark_list(
                        &methodist,
                        StaffList::Tutors,
                        entry.person.id,
                        ListMark::Designated,
                        None,
                        entry.based_on,
                        today,
                    )
                    .await?;
                }
                let asked = entries(
                    app.staff_list(&head, StaffList::Consultation, of, today)
                        .await?,
                );
                if let Some(entry) = asked
                    .iter()
                    .find(|entry| entry.marks.contains(&ListMark::Answered))
                {
                    app.mark_list(
                        &head,
                        StaffList::Consultation,
                        entry.person.id,
                        ListMark::Answered,
                        Some("Консультация старшего воспитателя проведена".to_owned()),
                        entry.based_on,
                        today,
                    )
                    .await?;
                }
            }
        }
        if index == 0 {
            let needs = entries(
                app.staff_list(&head, StaffList::NeedsTraining, of, today)
                    .await?,
            );
            let mut proposed = needs
                .iter()
                .filter(|entry| entry.marks.contains(&ListMark::Dismissed));
            if let Some(entry) = proposed.next() {
                app.mark_list(
                    &head,
                    StaffList::NeedsTraining,
                    entry.person.id,
                    ListMark::Confirmed,
                    None,
                    entry.based_on,
                    today,
                )
                .await?;
            }
            if let Some(entry) = proposed.next() {
                app.mark_list(
                    &head,
                    StaffList::NeedsTraining,
                    entry.person.id,
                    ListMark::Dismissed,
                    Some(
                        "Зачислена на КПК «Цифровые технологии в образовательной деятельности ДОО» \
                         с 12.01.2027, договор заключён"
                            .to_owned(),
                    ),
                    entry.based_on,
                    today,
                )
                .await?;
            }
        }
        if index < 4 {
            let part = app
                .staff_list(&head, StaffList::Motivated, of, today)
                .await?
                .kindergartens
                .into_iter()
                .next();
            let based_on = part.as_ref().and_then(|part| part.agreement_based_on);
            let agreed = app
                .agree_list(
                    &head,
                    StaffList::Motivated,
                    unit.kindergarten.id,
                    true,
                    based_on,
                    today,
                )
                .await?;
            if index >= 2 && !outdated {
                let listed: Vec<PersonId> = agreed.listed().map(|entry| entry.person.id).collect();
                if let Some((person, user, _)) = unit
                    .teachers
                    .iter()
                    .find(|(person, _, _)| !listed.contains(person))
                {
                    let teacher = Principal {
                        user: store.user(*user).await?,
                    };
                    let own = app.own_list_entry(&teacher, today).await?;
                    if let Some(own) = own.filter(|own| own.marks.contains(&ListMark::OptedIn)) {
                        app.mark_list(
                            &teacher,
                            StaffList::Motivated,
                            *person,
                            ListMark::OptedIn,
                            None,
                            own.based_on,
                            today,
                        )
                        .await?;
                        outdated = true;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Mentoring pairs from September's strengths matrix, as the methodist and the heads would have
/// handled them: the first pair of kindergartens confirmed by both heads; of the teachers' pairs,
/// the first confirmed (her route names her mentor), the second agreed by one head, the third
/// only proposed.
async fn seed_pairs(
    store: &Store,
    app: &App,
    staff: &[Staff],
    manager: &vsoko_domain::User,
) -> AppResult<()> {
    use crate::mentoring::PairRequest;
    use crate::report_choice::ReportAsk;
    let today = crate::today();
    let methodist = Principal {
        user: manager.clone(),
    };
    let ask = ReportAsk {
        instrument: Some("dc-teacher".to_owned()),
        period: PERIODS.first().map(|period| period[0].to_owned()),
        ..ReportAsk::default()
    };
    let Some(matrix) = app.strengths_matrix(&methodist, &ask, today).await?.matrix else {
        return Ok(());
    };
    let head_of = |unit: vsoko_domain::KindergartenId| {
        staff
            .iter()
            .find(|staff| staff.kindergarten.id == unit)
            .map(|staff| staff.head_user)
    };
    let mut requests = Vec::new();
    if let Some((pair, (mentor, ..))) = matrix
        .pairs
        .iter()
        .find_map(|pair| pair.mentor.as_ref().map(|mentor| (pair, mentor)))
    {
        requests.push((
            PairRequest {
                instrument: "dc-teacher".to_owned(),
                area: pair.area.0.clone(),
                mentee_kindergarten: pair.mentee.id,
                mentor_kindergarten: mentor.id,
                mentee_person: None,
                mentor_person: None,
            },
            2,
        ));
    }
    let mut mentees = Vec::new();
    for pair in &matrix.teacher_pairs {
        let Some(mentor) = &pair.mentor else {
            continue;
        };
        if mentees.contains(&pair.mentee.person.id) || mentees.len() == 3 {
            continue;
        }
        mentees.push(pair.mentee.person.id);
        requests.push((
            PairRequest {
                instrument: "dc-teacher".to_owned(),
                area: pair.area.0.clone(),
                mentee_kindergarten: pair.mentee.person.kindergarten_id,
                mentor_kindergarten: mentor.person.kindergarten_id,
                mentee_person: Some(pair.mentee.person.id),
                mentor_person: Some(mentor.person.id),
            },
            3 - mentees.len(),
        ));
    }
    for (request, agreements) in requests {
        let view = app.propose_pair(&methodist, &request, today).await?;
        let sides = [request.mentee_kindergarten, request.mentor_kindergarten];
        for unit in sides.into_iter().take(agreements) {
            if let Some(head) = head_of(unit) {
                let head = Principal {
                    user: store.user(head).await?,
                };
                app.agree_pair(&head, view.pair.id).await?;
            }
        }
    }
    Ok(())
}

/// Programmes of the demo's training records: title, hours, the dc-teacher areas they address.
const PROGRAMMES: [(&str, u32, &[&str]); 5] = [
    (
        "Цифровые технологии в образовательной деятельности ДОО",
        72,
        &["A2", "A3"],
    ),
    (
        "Организация образовательной деятельности в соответствии с ФОП ДО",
        36,
        &[],
    ),
    ("Безопасная цифровая среда детского сада", 24, &["A6"]),
    (
        "Электронные образовательные ресурсы: отбор и создание",
        36,
        &["A2"],
    ),
    (
        "Педагогическая диагностика в ДОО: цифровые инструменты",
        16,
        &["A4"],
    ),
];
const PROVIDERS: [(&str, vsoko_development::ProviderType); 3] = [
    (
        "ГАУ ДПО «Институт развития образования»",
        vsoko_development::ProviderType::State,
    ),
    (
        "МБУ «Городской методический центр»",
        vsoko_development::ProviderType::Municipal,
    ),
    (
        "ООО «Центр онлайн-обучения педагогов»",
        vsoko_development::ProviderType::Private,
    ),
];

/// Training records of the demo staff: most with a course within three years (some leaving the
/// window next school year), about a third with distance technologies, one private provider with
/// an enrolment after 01.09.2025 (the rule's warning), some seminars, some people with none.
async fn seed_training(
    store: &Store,
    staff: &[Staff],
    rng: &mut StdRng,
    today: NaiveDate,
) -> AppResult<()> {
    use vsoko_development::{StudyForm, TrainingKind, TrainingRecord};
    let mut number = 0u32;
    for (unit_index, unit) in staff.iter().enumerate() {
        let people = unit
            .teachers
            .iter()
            .map(|(person, _, _)| *person)
            .chain([unit.head_person]);
        for (index, person) in people.enumerate() {
            if rng.random_bool(0.12) {
                continue;
            }
            let courses = if rng.random_bool(0.25) { 2 } else { 1 };
            for course in 0..courses {
                number += 1;
                let private_after_rule = unit_index == 0 && index == 0 && course == 0;
                // A third in the current school year's first months, the rest over four years.
                let months_ago = if private_after_rule {
                    2
                } else if rng.random_bool(0.3) {
                    rng.random_range(1..4)
                } else {
                    rng.random_range(4..46)
                };
                let end = today
                    .checked_sub_months(chrono::Months::new(months_ago))
                    .unwrap_or(today);
                let (programme, hours, areas) = PROGRAMMES[rng.random_range(0..PROGRAMMES.len())];
                let (provider, provider_type) = if private_after_rule {
                    PROVIDERS[2]
                } else {
                    PROVIDERS[rng.random_range(0..2)]
                };
                let seminar = course == 1 && rng.random_bool(0.5);
                let start = end - chrono::Days::new(u64::from(hours / 6).max(2));
                let record = TrainingRecord {
                    kind: if seminar {
                        TrainingKind::Seminar
                    } else {
                        TrainingKind::QualificationUpgrade
                    },
                    programme: programme.to_owned(),
                    provider: provider.to_owned(),
                    provider_type,
                    federal_register: provider_type != vsoko_development::ProviderType::Private
                        && rng.random_bool(0.4),
                    hours: if seminar { 8 } else { hours },
                    start,
                    end,
                    enrolled: Some(start - chrono::Days::new(10)),
                    form: match rng.random_range(0..10) {
                        0..6 => StudyForm::FullTime,
                        6..8 => StudyForm::Mixed,
                        _ => StudyForm::PartTime,
                    },
                    distance: rng.random_bool(0.35),
                    document_number: (!seminar).then(|| format!("7827 {:08}", 31_000 + number)),
                    registration_number: (!seminar)
                        .then(|| format!("ПК-{}-{number}", end.format("%Y"))),
                    issued: (!seminar).then_some(end),
                    areas: areas.iter().map(|area| (*area).to_owned()).collect(),
                };
                store
                    .add_training_record(
                        unit.head_user,
                        &vsoko_storage::NewTrainingRecord {
                            person_id: person,
                            record: &record,
                            import_key: None,
                            snils: None,
                        },
                    )
                    .await?;
            }
        }
    }
    Ok(())
}

/// The instruments filled in a demo period: in May the latest version of each; in September
/// (`earlier`) the version the latest one's crosswalk names, so that May's reports compare with
/// September through it (the first version when there is no crosswalk). Instruments with
/// computed items come last, after the sources they read.
fn demo_versions(catalog: &Catalog, earlier: bool) -> Vec<&Instrument> {
    let mut chosen: Vec<&Instrument> = catalog
        .iter()
        .filter(|instrument| {
            let latest = catalog
                .iter()
                .filter(|other| other.code() == instrument.code())
                .max_by_key(|other| other.version());
            let wanted = match latest {
                Some(latest) if earlier => latest
                    .crosswalk()
                    .map(|crosswalk| crosswalk.from_version())
                    .filter(|version| {
                        catalog.iter().any(|other| {
                            other.code() == instrument.code() && other.version() == *version
                        })
                    })
                    .or_else(|| {
                        catalog
                            .iter()
                            .filter(|other| other.code() == instrument.code())
                            .map(|other| other.version())
                            .min()
                    }),
                latest => latest.map(|latest| latest.version()),
            };
            wanted == Some(instrument.version())
        })
        .collect();
    chosen.sort_by_key(|instrument| {
        instrument
            .items()
            .any(|entry| entry.item.computed().is_some())
    });
    chosen
}

/// The demo's current period: the month of `today` (`2026-12`, 1–31 December).
pub fn current_period(today: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = today.with_day(1).unwrap_or(today);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let last = next.pred_opt().unwrap_or(first);
    (first.format("%Y-%m").to_string(), first, last)
}

/// Answers around `quality` (0..1 of the scale) with noise; a few N/A where allowed.
pub fn generate_answers(instrument: &Instrument, quality: f64, rng: &mut StdRng) -> Vec<RawAnswer> {
    let mut answers = Vec::new();
    for item in instrument.items() {
        let p = (quality + rng.random_range(-0.3..0.3)).clamp(0.0, 1.0);
        let value = match item.scale.kind() {
            ScaleKind::Options(options) if item.item.role().is_some() => {
                options[role_option(item.item.role(), p, options.len())].value()
            }
            ScaleKind::Options(options) => {
                let index = (p * (options.len() - 1) as f64).round() as usize;
                options[index.min(options.len() - 1)].value()
            }
            ScaleKind::Numeric { min, max, rule, .. } => {
                let (low, high) = match (min, max, rule) {
                    (Some(low), Some(high), _) => (*low, *high),
                    (_, _, NumericRule::Target { target, .. }) => (0.0, target * 1.2),
                    (_, _, NumericRule::Bands(bands)) => (
                        bands.first().map(|band| band.from()).unwrap_or(0.0),
                        bands
                            .last()
                            .map(|band| band.from() * 1.2 + 1.0)
                            .unwrap_or(100.0),
                    ),
                };
                let value = match rule {
                    NumericRule::Target {
                        direction: vsoko_checklist::Direction::LessIsBetter,
                        ..
                    } => high - p * (high - low),
                    _ => low + p * (high - low),
                };
                value.round()
            }
        };
        let value = if item.scale.allows_na() && rng.random_bool(0.03) {
            AnswerValue::NotApplicable
        } else {
            AnswerValue::Value(value)
        };
        let value = match check_value(&item, value) {
            Ok(()) => value,
            Err(_) if item.scale.allows_na() => AnswerValue::NotApplicable,
            Err(_) if !item.item.is_required() => continue,
            Err(_) => AnswerValue::Value(value_fallback(&item)),
        };
        answers.push(RawAnswer {
            item: item.item.code().to_string(),
            value,
            comment: None,
        });
    }
    answers
}

/// May's answers of a teacher from her September ones (`before`): an item of both editions
/// keeps September's option, moved one step up with a chance of [`TRAINING_GAIN`] in an area she
/// was trained in (`trained`), else one step either way with a small chance; role items and the
/// new edition's own items keep their `fresh` draw.
fn carried_forward(
    instrument: &Instrument,
    fresh: Vec<RawAnswer>,
    before: &[RawAnswer],
    trained: &[String],
    rng: &mut StdRng,
) -> Vec<RawAnswer> {
    fresh
        .into_iter()
        .map(|answer| {
            let Some(entry) = instrument
                .items()
                .find(|entry| entry.item.code().as_str() == answer.item)
            else {
                return answer;
            };
            let ScaleKind::Options(options) = entry.scale.kind() else {
                return answer;
            };
            let earlier = before.iter().find(|earlier| earlier.item == answer.item);
            let (
                Some(RawAnswer {
                    value: AnswerValue::Value(value),
                    ..
                }),
                None,
            ) = (earlier, entry.item.role())
            else {
                return answer;
            };
            let Some(index) = options.iter().position(|option| option.value() == *value) else {
                return answer;
            };
            let step: i64 = if trained
                .iter()
                .any(|area| area.as_str() == entry.area.code().as_str())
            {
                i64::from(rng.random_bool(TRAINING_GAIN))
            } else {
                match rng.random_range(0..20) {
                    0 => -1,
                    1 => 1,
                    _ => 0,
                }
            };
            let moved = (index as i64 + step).clamp(0, options.len() as i64 - 1) as usize;
            RawAnswer {
                value: AnswerValue::Value(options[moved].value()),
                ..answer
            }
        })
        .collect()
}

/// The option of an unscored item with a role for a respondent at `p` (0..1), so that the demo's
/// lists look like a staff's: about half want to develop, a few offer to tutor (the strongest),
/// some of the weaker ask for a consultation. The draw is the same as for any item, so the scores
/// do not depend on it.
fn role_option(role: Option<vsoko_checklist::ItemRole>, p: f64, options: usize) -> usize {
    use vsoko_checklist::ItemRole;
    let top = options - 1;
    match role {
        Some(ItemRole::Motivation) if p >= 0.65 => top,
        Some(ItemRole::Motivation) if p >= 0.45 => top.min(1),
        Some(ItemRole::TutorOffer) if p >= 0.97 => top,
        Some(ItemRole::TutorOffer) if p >= 0.88 => top.min(1),
        Some(ItemRole::ConsultationRequest) if p < 0.4 => top,
        _ => 0,
    }
}

fn value_fallback(item: &vsoko_checklist::ItemRef<'_>) -> f64 {
    match item.scale.kind() {
        ScaleKind::Options(options) => options[0].value(),
        ScaleKind::Numeric { min, .. } => min.unwrap_or(0.0),
    }
}
