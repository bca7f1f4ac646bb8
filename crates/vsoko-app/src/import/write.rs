//! An import: every row read, its kindergarten, person or group found, its answers checked and
//! scored, the fate of each row decided, and — unless a dry run — all written in one
//! transaction (or only the valid rows, when asked).

use crate::error::{AppError, AppResult};
use crate::{App, Principal};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vsoko_checklist::{Counting, Instrument, Respondent, Subject};
use vsoko_exchange::{
    ImportError, ImportPlan, MappingProfile, RowOutcome, SkipReason, normalize, plan_import,
    read_table, suggest_profile,
};
use vsoko_storage::{
    BatchWrite, Correction, Kindergarten, NewSubmission, Period, RespondentRef, Scope, Store,
    SubjectRef, SubmissionFilter,
};

use super::*;
use vsoko_domain::{GroupId, PersonId, SubmissionId};
use vsoko_domain::{InstrumentVersionId, KindergartenId, UserId};

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
    people: HashMap<String, Vec<PersonId>>,
    logins: HashMap<String, PersonId>,
    groups: HashMap<String, Vec<GroupId>>,
}

async fn staff(store: &Store, kindergarten: KindergartenId) -> AppResult<Staff> {
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

fn one<T: Copy>(ids: Option<&Vec<T>>) -> Result<T, &'static str> {
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

/// What happens to a planned row in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    /// A new submission.
    Create,
    /// Imported before (the same row): the submission made then.
    Duplicate(SubmissionId),
    /// A newer answer of someone whose answer counts already: a correction of it.
    Correct(SubmissionId),
    /// An answer older than the one that counts already: not imported.
    Outdated(SubmissionId),
    /// The answer that counts came through another channel and the importer did not choose to
    /// replace it: not imported.
    SentElsewhere(SubmissionId),
}

/// Where a planned row goes.
#[derive(Debug, Clone)]
struct Target {
    kindergarten: KindergartenId,
    subject: SubjectRef,
    respondent: RespondentRef,
    answered_at: Option<DateTime<Utc>>,
    write: Write,
}

/// Where the planned rows go, by line.
#[derive(Debug, Default)]
struct Targets {
    rows: HashMap<usize, Target>,
}

impl App {
    /// Reads, plans and (with `commit`, when clean) writes an import: heads into their
    /// kindergarten, managers and admins into the network. `on_row` is called once per row as it
    /// is checked and once per row as it is scored (progress for long files).
    pub async fn import(
        &self,
        principal: &Principal,
        request: ImportRequest,
        on_row: &mut (dyn FnMut() + Send),
    ) -> AppResult<ImportOutcome> {
        let target = match request.kindergarten {
            Some(id) => Some(self.store.kindergarten(id).await?),
            None => None,
        };
        let scope = principal.check_import(target.as_ref())?;
        let stored = self
            .instrument_named("instrument", &request.instrument, request.version)
            .await?;
        let instrument = &stored.instrument;
        let period = self
            .period_named(principal, "period", &request.period)
            .await?;
        let kindergartens = self.store.kindergartens(scope).await?;
        let table = read_table(&request.bytes, &request.file_name)
            .map_err(|error| AppError::invalid("file", "unreadable", error.to_string()))?;
        let (mut profile, unmatched) = match request.profile {
            Some(profile) => (profile, None),
            None => {
                let (profile, unmatched) = suggest_profile(instrument, &table);
                (profile, Some(unmatched))
            }
        };
        // Every row into one kindergarten: the one asked for, or a head's own when the file has
        // none.
        let fixed = target.or_else(|| {
            let single = matches!(scope, Scope::Kindergarten(_));
            (single && profile.kindergarten_column.is_none())
                .then(|| kindergartens.first().cloned())
                .flatten()
        });
        if let Some(kindergarten) = &fixed {
            profile.kindergarten_column = None;
            profile.kindergarten = Some(kindergarten.short_name.clone());
        }
        let mut plan = plan_import(instrument, &profile, &table)
            .map_err(|error| AppError::invalid("profile", "invalid", error.to_string()))?;
        let targets = resolve(
            &self.store,
            instrument,
            stored.id,
            &profile,
            &mut plan,
            &kindergartens,
            fixed.as_ref(),
            &period,
            principal.user.id,
            &request.replace.iter().copied().collect(),
            on_row,
        )
        .await?;
        let rows = plan
            .rows
            .iter()
            .map(|row| match row {
                RowOutcome::Create(planned) => ImportRow {
                    line: planned.line,
                    respondent: planned.respondent.clone(),
                    kindergarten: Some(planned.kindergarten.clone()),
                    fate: match targets.rows.get(&planned.line).map(|target| target.write) {
                        Some(Write::Duplicate(submission)) => RowFate::Duplicate { submission },
                        Some(Write::Correct(submission)) => RowFate::Correct { submission },
                        Some(Write::Outdated(submission)) => RowFate::Outdated { submission },
                        Some(Write::SentElsewhere(submission)) => {
                            RowFate::SentElsewhere { submission }
                        }
                        Some(Write::Create) | None => RowFate::Create,
                    },
                },
                RowOutcome::Skip {
                    line,
                    respondent,
                    reason,
                } => ImportRow {
                    line: *line,
                    respondent: respondent.clone(),
                    kindergarten: None,
                    fate: RowFate::Skip(reason.clone()),
                },
                RowOutcome::Error { line, errors } => ImportRow {
                    line: *line,
                    respondent: None,
                    kindergarten: None,
                    fate: RowFate::Error(errors.clone()),
                },
            })
            .collect();
        let clean = plan.is_clean();
        let writable = clean || (request.skip_errors && plan.file_errors.is_empty());
        let mut outcome = ImportOutcome {
            instrument: instrument.id().clone(),
            period: period.code.clone(),
            source: table.source,
            profile,
            unmatched,
            file_errors: plan.file_errors.clone(),
            rows,
            report: plan.to_string(),
            clean,
            committed: false,
            created: 0,
            table,
        };
        if request.commit && writable {
            outcome.created = commit(
                &self.store,
                instrument,
                stored.id,
                &plan,
                &targets,
                &period,
                principal.user.id,
                on_row,
            )
            .await?;
            outcome.committed = true;
            let created = outcome.created;
            self.observe(|observer| {
                observer.submissions_accepted(instrument.kind(), crate::Channel::Import, created);
            });
        }
        Ok(outcome)
    }
}

/// Turns rows whose kindergarten (among `kindergartens`, or `fixed`) or subject cannot be found
/// into errors, and finds where the others go.
#[allow(clippy::too_many_arguments)]
async fn resolve(
    store: &Store,
    instrument: &Instrument,
    instrument_id: InstrumentVersionId,
    profile: &MappingProfile,
    plan: &mut ImportPlan,
    kindergartens: &[Kindergarten],
    fixed: Option<&Kindergarten>,
    period: &Period,
    author: UserId,
    replace: &BTreeSet<usize>,
    on_row: &mut (dyn FnMut() + Send),
) -> AppResult<Targets> {
    let find = |name: &str| match fixed {
        Some(kindergarten) => Some(kindergarten),
        None => find_kindergarten(kindergartens, name),
    };
    plan.reject_unknown_kindergartens(|name| find(name).is_some());
    let used: BTreeSet<KindergartenId> = plan
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
        let staff = &staffs[&kindergarten.id];
        let text = planned.subject.as_deref().or(planned.respondent.as_deref());
        let answered_at = planned.timestamp.as_deref().and_then(parse_answered_at);
        if let Some(at) = answered_at
            && at.date_naive() > crate::today()
        {
            let line = planned.line;
            *row = RowOutcome::Error {
                line,
                errors: vec![ImportError {
                    line,
                    column: profile.timestamp_column.clone(),
                    reason: format!(
                        "дата ответа {} позже сегодняшнего дня: проверьте отметку времени (возможно, перепутаны день и месяц или год)",
                        at.format("%d.%m.%Y")
                    ),
                }],
            };
            continue;
        }
        match resolve_subject(instrument, kindergarten, staff, text) {
            Ok(subject) => {
                let respondent = respondent_of_row(
                    instrument,
                    staff,
                    subject,
                    planned.respondent.as_deref(),
                    author,
                );
                targets.rows.insert(
                    planned.line,
                    Target {
                        kindergarten: kindergarten.id,
                        subject,
                        respondent,
                        answered_at,
                        write: Write::Create,
                    },
                );
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
    // Rows imported before: the author's idempotency keys in this period and version.
    let mut earlier: HashMap<String, SubmissionId> = HashMap::new();
    let mine = SubmissionFilter {
        period_id: Some(period.id),
        instrument_id: Some(instrument_id),
        author_user_id: Some(author),
        include_superseded: true,
        ..SubmissionFilter::default()
    };
    for submission in crate::submissions::every(store, &mine).await? {
        if let Some(key) = submission.idempotency_key {
            earlier.insert(key, submission.id);
        }
    }
    // What counts already under the instrument's counting rule: (subject, respondent) →
    // (submission, when answered).
    let counting = instrument.counting();
    let key = |subject: SubjectRef, respondent: &str| match counting {
        Counting::OnePerRespondent => Some((subject, respondent.to_owned())),
        Counting::OnePerSubject => Some((subject, String::new())),
        Counting::Observations => None,
    };
    // (subject, respondent) → (submission, when answered, whether an import made it).
    let mut counted: HashMap<(SubjectRef, String), (SubmissionId, DateTime<Utc>, bool)> =
        HashMap::new();
    if counting != Counting::Observations {
        let latest = SubmissionFilter {
            period_id: Some(period.id),
            instrument_id: Some(instrument_id),
            ..SubmissionFilter::default()
        };
        for submission in crate::submissions::every(store, &latest).await? {
            let respondent = submission.respondent.clone().unwrap_or_default();
            if let Some(key) = key(submission.subject, &respondent) {
                let imported = submission
                    .idempotency_key
                    .as_deref()
                    .is_some_and(vsoko_exchange::is_import_key);
                counted.insert(key, (submission.id, submission.answered_at, imported));
            }
        }
    }
    // Lines of this file by counting key: a later line of the same person replaces an earlier.
    let mut in_file: HashMap<(SubjectRef, String), usize> = HashMap::new();
    let mut replaced = Vec::new();
    let mut lines: Vec<usize> = targets.rows.keys().copied().collect();
    lines.sort_unstable();
    for line in lines {
        let Some(planned) = plan.rows.iter().find_map(|row| match row {
            RowOutcome::Create(planned) if planned.line == line => Some(planned),
            _ => None,
        }) else {
            continue;
        };
        let idempotency_key = planned.idempotency_key(&period.code);
        let Some(target) = targets.rows.get_mut(&line) else {
            continue;
        };
        if let Some(&submission) = earlier.get(&idempotency_key) {
            target.write = Write::Duplicate(submission);
            continue;
        }
        let Some(key) = key(target.subject, &target.respondent.key()) else {
            continue;
        };
        if let Some(previous) = in_file.insert(key.clone(), line) {
            replaced.push((previous, line));
        }
        target.write = match counted.get(&key) {
            None => Write::Create,
            // Sent through the web form or the API: replaced only by the importer's choice.
            Some(&(submission, _, false)) if replace.contains(&line) => Write::Correct(submission),
            Some(&(submission, _, false)) => Write::SentElsewhere(submission),
            Some(&(submission, answered, true)) => match target.answered_at {
                Some(at) if at > answered => Write::Correct(submission),
                _ => Write::Outdated(submission),
            },
        };
    }
    for (previous, kept) in replaced {
        targets.rows.remove(&previous);
        if let Some(row) = plan
            .rows
            .iter_mut()
            .find(|row| matches!(row, RowOutcome::Create(planned) if planned.line == previous))
        {
            let respondent = match row {
                RowOutcome::Create(planned) => planned.respondent.clone(),
                _ => None,
            };
            *row = RowOutcome::Skip {
                line: previous,
                respondent,
                reason: SkipReason::DuplicateRespondent { kept_line: kept },
            };
        }
    }
    Ok(targets)
}

/// Who answered an imported row: for an anonymous questionnaire (parents) always the importing
/// account, whatever the file says; the subject of a teacher's survey about herself; else the
/// person the respondent column names (by full name or login); else the name as written; else the
/// importing account.
fn respondent_of_row(
    instrument: &Instrument,
    staff: &Staff,
    subject: SubjectRef,
    respondent: Option<&str>,
    author: UserId,
) -> RespondentRef {
    if instrument.respondent().is_anonymous() {
        return RespondentRef::User(author);
    }
    if let (Respondent::Teacher, Subject::Teacher, SubjectRef::Teacher(person)) =
        (instrument.respondent(), instrument.subject(), subject)
    {
        return RespondentRef::Person(person);
    }
    let text = respondent.unwrap_or("").trim();
    if text.is_empty() {
        return RespondentRef::User(author);
    }
    if let Some(&person) = staff.logins.get(&text.to_lowercase()) {
        return RespondentRef::Person(person);
    }
    match one(staff.people.get(&normalize(text))) {
        Ok(person) => RespondentRef::Person(person),
        Err(_) => RespondentRef::Named(normalize(text)),
    }
}

/// A form's timestamp (ISO 8601 from `vsoko-exchange`, with or without an offset) as a moment;
/// one without an offset is read as UTC.
fn parse_answered_at(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%:z") {
        return Some(at.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|at| at.and_utc())
}

/// Scores the planned rows and writes the new submissions and corrections all in one transaction
/// (`Store::write_batch`); the number written. Rows in error are never written; the plan must
/// have no error of the file as a whole.
#[allow(clippy::too_many_arguments)]
async fn commit(
    store: &Store,
    instrument: &Instrument,
    instrument_id: InstrumentVersionId,
    plan: &ImportPlan,
    targets: &Targets,
    period: &Period,
    author: UserId,
    on_row: &mut (dyn FnMut() + Send),
) -> AppResult<usize> {
    if !plan.file_errors.is_empty() {
        return Err(AppError::unexpected(
            "an import plan with errors of the file is never written",
        ));
    }
    let mut prepared = Vec::new();
    for planned in plan.creates() {
        let target = targets.rows.get(&planned.line).ok_or_else(|| {
            AppError::unexpected(format!("line {} was not resolved", planned.line))
        })?;
        if matches!(
            target.write,
            Write::Duplicate(_) | Write::Outdated(_) | Write::SentElsewhere(_)
        ) {
            continue;
        }
        on_row();
        let score = vsoko_scoring::score_submission(instrument, &planned.answers)?;
        prepared.push((
            planned,
            target,
            planned.idempotency_key(&period.code),
            score,
        ));
    }
    let observed_on = |target: &Target| {
        (instrument.counting() == Counting::Observations)
            .then(|| target.answered_at.map(|at| at.date_naive()))
            .flatten()
            .filter(|date| (period.starts_on..=period.ends_on).contains(date))
    };
    let batch: Vec<BatchWrite<'_>> = prepared
        .iter()
        .map(|(planned, target, key, score)| match target.write {
            Write::Correct(supersedes) => BatchWrite::Correct(Correction {
                supersedes,
                author_user_id: author,
                idempotency_key: Some(key),
                answers: &planned.answers,
                score,
                answered_at: target.answered_at,
            }),
            _ => BatchWrite::Create(NewSubmission {
                instrument_id,
                period_id: period.id,
                kindergarten_id: target.kindergarten,
                subject: target.subject,
                author_user_id: author,
                respondent: &target.respondent,
                idempotency_key: key,
                answers: &planned.answers,
                score,
                observed_on: observed_on(target),
                answered_at: target.answered_at,
                // Nothing identifying is kept of an anonymous respondent.
                respondent_email: planned
                    .email
                    .as_deref()
                    .filter(|_| !instrument.respondent().is_anonymous()),
            }),
        })
        .collect();
    let outcomes = store.write_batch(&batch).await?;
    Ok(outcomes.iter().filter(|outcome| outcome.created).count())
}
