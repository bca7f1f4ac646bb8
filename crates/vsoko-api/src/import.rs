//! The database part of an import, shared by `vsoko import` and `POST /api/v1/imports`: which
//! kindergarten and subject each planned row goes to, which rows were imported before, and the
//! atomic write.
//!
//! Rules:
//! * **kindergarten**: fixed by the caller (`--kindergarten`, a head's own kindergarten) or the
//!   row's kindergarten text matched among the kindergartens the caller may import into, by short
//!   name or full name (ignoring case, spaces, punctuation and «ё»/«е»), else by number (`5`,
//!   `№ 5`, `Детский сад № 5`);
//! * **subject**: the kindergarten itself for instruments about the kindergarten; for instruments
//!   about teachers the subject column (or, without one, the respondent column) must be the full
//!   name of an active person of that kindergarten, or the login (e-mail) of that person's account;
//!   for instruments about groups the subject column must name an active group of that
//!   kindergarten. Nobody is created: a person or group not found makes the row an error;
//! * **idempotency**: a row's key comes from its content and the period and is stored per author,
//!   so the same file imported again creates nothing, and the dry run already shows those rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vsoko_checklist::{Instrument, Subject};
use vsoko_exchange::{ImportError, ImportPlan, MappingProfile, RowOutcome, normalize};
use vsoko_storage::{
    Id, Kindergarten, NewSubmission, PageRequest, Period, Scope, Store, SubjectRef,
    SubmissionFilter,
};

use crate::error::{ApiError, ApiResult};

/// Finds a kindergarten by short name, full name or number.
pub fn find_kindergarten<'a>(
    kindergartens: &'a [Kindergarten],
    text: &str,
) -> Option<&'a Kindergarten> {
    let text = text.trim();
    let wanted = normalize(text);
    if wanted.is_empty() {
        return None;
    }
    let by_name = |kindergarten: &&Kindergarten| {
        normalize(&kindergarten.short_name) == wanted
            || normalize(&kindergarten.full_name) == wanted
    };
    // «Детский сад № 5», «ДС №5», «№ 5», «5»: the number after the last «№», else the whole text.
    let number = normalize(
        text.rsplit_once('№')
            .map(|(_, number)| number.trim())
            .unwrap_or(text),
    );
    kindergartens.iter().find(by_name).or_else(|| {
        let mut numbered = kindergartens
            .iter()
            .filter(|kindergarten| normalize(&kindergarten.number) == number);
        match (numbered.next(), numbered.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

/// People, accounts and groups of one kindergarten.
#[derive(Default)]
struct Staff {
    people: HashMap<String, Vec<Id>>,
    logins: HashMap<String, Id>,
    groups: HashMap<String, Vec<Id>>,
}

async fn staff(store: &Store, kindergarten: Id) -> ApiResult<Staff> {
    let mut staff = Staff::default();
    for person in store.people(kindergarten).await? {
        if person.active {
            staff
                .people
                .entry(normalize(&person.full_name))
                .or_default()
                .push(person.id);
        }
    }
    for user in store.users(Scope::Kindergarten(kindergarten)).await? {
        if let Some(person) = user.person_id {
            staff.logins.insert(user.login.to_lowercase(), person);
        }
    }
    for group in store.groups(kindergarten).await? {
        if group.active {
            staff
                .groups
                .entry(normalize(&group.name))
                .or_default()
                .push(group.id);
        }
    }
    Ok(staff)
}

fn one(ids: Option<&Vec<Id>>) -> Result<Id, &'static str> {
    match ids.map(Vec::as_slice) {
        Some([id]) => Ok(*id),
        Some([]) | None => Err("не найден"),
        Some(_) => Err("неоднозначен (несколько совпадений)"),
    }
}

fn resolve_subject(
    instrument: &Instrument,
    kindergarten: &Kindergarten,
    staff: &Staff,
    text: Option<&str>,
) -> Result<SubjectRef, String> {
    let text = text.unwrap_or("").trim();
    match instrument.subject() {
        Subject::Kindergarten => Ok(SubjectRef::Kindergarten(kindergarten.id)),
        Subject::Teacher => {
            if text.is_empty() {
                return Err("не указан педагог: нужен столбец с ФИО педагога или логином его учётной записи (respondent_column или subject_column профиля)".to_owned());
            }
            if let Some(person) = staff.logins.get(&text.to_lowercase()) {
                return Ok(SubjectRef::Teacher(*person));
            }
            one(staff.people.get(&normalize(text)))
                .map(SubjectRef::Teacher)
                .map_err(|what| {
                    format!(
                        "педагог «{text}» {what} среди сотрудников детского сада «{}»: укажите ФИО как в справочнике сотрудников или логин учётной записи педагога",
                        kindergarten.short_name
                    )
                })
        }
        Subject::Group => one(staff.groups.get(&normalize(text)))
            .map(SubjectRef::Group)
            .map_err(|what| {
                format!(
                    "группа «{text}» {what} в детском саду «{}»: укажите название группы как в справочнике (subject_column профиля)",
                    kindergarten.short_name
                )
            }),
    }
}

/// Where the planned rows go, and which of them were imported before.
#[derive(Debug, Default)]
pub struct Targets {
    /// Line → kindergarten id and subject, for every row still to create.
    pub rows: HashMap<usize, (Id, SubjectRef)>,
    /// Idempotency keys the author used before in this period and instrument version → submission.
    pub earlier: HashMap<String, Id>,
}

/// Turns rows whose kindergarten (among `kindergartens`, or `fixed`) or subject cannot be found
/// into errors, and finds where the others go. `on_row` is called once per row (progress).
#[allow(clippy::too_many_arguments)]
pub async fn resolve(
    store: &Store,
    instrument: &Instrument,
    instrument_id: Id,
    profile: &MappingProfile,
    plan: &mut ImportPlan,
    kindergartens: &[Kindergarten],
    fixed: Option<&Kindergarten>,
    period: &Period,
    author: Id,
    mut on_row: impl FnMut(),
) -> ApiResult<Targets> {
    let find = |name: &str| match fixed {
        Some(kindergarten) => Some(kindergarten),
        None => find_kindergarten(kindergartens, name),
    };
    plan.reject_unknown_kindergartens(|name| find(name).is_some());
    let used: BTreeSet<Id> = plan
        .creates()
        .filter_map(|planned| find(&planned.kindergarten).map(|k| k.id))
        .collect();
    let mut staffs = BTreeMap::new();
    for id in used {
        staffs.insert(id, staff(store, id).await?);
    }
    let column = profile
        .subject_column
        .clone()
        .or_else(|| profile.respondent_column.clone());
    let mut targets = Targets::default();
    for row in &mut plan.rows {
        on_row();
        let RowOutcome::Create(planned) = row else {
            continue;
        };
        let Some(kindergarten) = find(&planned.kindergarten) else {
            continue;
        };
        let text = planned.subject.as_deref().or(planned.respondent.as_deref());
        match resolve_subject(instrument, kindergarten, &staffs[&kindergarten.id], text) {
            Ok(subject) => {
                targets
                    .rows
                    .insert(planned.line, (kindergarten.id, subject));
            }
            Err(reason) => {
                let line = planned.line;
                *row = RowOutcome::Error {
                    line,
                    errors: vec![ImportError {
                        line,
                        column: column.clone(),
                        reason,
                    }],
                };
            }
        }
    }
    let filter = SubmissionFilter {
        period_id: Some(period.id),
        instrument_id: Some(instrument_id),
        author_user_id: Some(author),
        include_superseded: true,
        ..SubmissionFilter::default()
    };
    let mut offset = 0;
    loop {
        let page = store
            .list_submissions(
                &filter,
                PageRequest {
                    offset,
                    limit: 1000,
                },
            )
            .await?;
        let count = page.items.len() as u64;
        for submission in page.items {
            if let Some(key) = submission.idempotency_key {
                targets.earlier.insert(key, submission.id);
            }
        }
        offset += count;
        if count == 0 || offset >= page.total {
            break;
        }
    }
    Ok(targets)
}

/// What the write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Submissions created now.
    pub created: usize,
    /// Rows imported before (nothing written for them).
    pub existing: usize,
}

/// Scores the planned rows and writes them all in one transaction (`Store::submit_many`). The
/// plan must be clean. `on_row` is called once per scored row (progress).
#[allow(clippy::too_many_arguments)]
pub async fn commit(
    store: &Store,
    instrument: &Instrument,
    instrument_id: Id,
    plan: &ImportPlan,
    targets: &Targets,
    period: &Period,
    author: Id,
    mut on_row: impl FnMut(),
) -> ApiResult<Written> {
    if !plan.is_clean() {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "an import plan with errors is never written"
        )));
    }
    let creates: Vec<_> = plan.creates().collect();
    let mut prepared = Vec::with_capacity(creates.len());
    for planned in &creates {
        on_row();
        let score = vsoko_scoring::score_submission(instrument, &planned.answers)?;
        prepared.push((planned.idempotency_key(&period.code), score));
    }
    let mut batch = Vec::with_capacity(creates.len());
    for (planned, (key, score)) in creates.iter().zip(&prepared) {
        let (kindergarten_id, subject) = *targets.rows.get(&planned.line).ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!("line {} was not resolved", planned.line))
        })?;
        batch.push(NewSubmission {
            instrument_id,
            period_id: period.id,
            kindergarten_id,
            subject,
            author_user_id: author,
            idempotency_key: key,
            answers: &planned.answers,
            score,
        });
    }
    let outcomes = store.submit_many(&batch).await?;
    let created = outcomes.iter().filter(|outcome| outcome.created).count();
    Ok(Written {
        created,
        existing: outcomes.len() - created,
    })
}
