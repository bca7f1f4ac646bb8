//! Importing a Google Forms, Yandex Forms or Excel export: the same steps for the upload endpoint,
//! the command line and the web wizard.
//!
//! The file is read and planned by `vsoko-exchange` (read the table, take or suggest a mapping
//! profile, plan every row); here each planned row gets its kindergarten and subject, rows imported
//! before are recognised, and a clean plan is written in one transaction.
//!
//! Rules:
//! * **kindergarten**: fixed by the caller (a kindergarten asked for, or a head's own when the file
//!   has no kindergarten column) or the row's kindergarten text matched among the kindergartens the
//!   caller may import into, by short name or full name (ignoring case, spaces, punctuation and
//!   «ё»/«е»), else by number (`5`, `№ 5`, `Детский сад № 5`);
//! * **subject**: the kindergarten itself for instruments about the kindergarten; for instruments
//!   about teachers the subject column (or, without one, the respondent column) must be the full
//!   name of an active person of that kindergarten, or the login (e-mail) of that person's account;
//!   for instruments about groups the subject column must name an active group of that
//!   kindergarten. Nobody is created: a person or group not found makes the row an error;
//! * **idempotency**: a row's key comes from its content and the period and is stored per author,
//!   so the same file imported again creates nothing, and the dry run already shows those rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vsoko_checklist::{Instrument, Subject};
use vsoko_exchange::{
    ImportError, ImportPlan, MappingProfile, RowOutcome, SkipReason, SourceFormat, Unmatched,
    normalize, plan_import, read_table, suggest_profile,
};
use vsoko_storage::{
    Id, Kindergarten, NewSubmission, PageRequest, Period, Scope, Store, SubjectRef,
    SubmissionFilter,
};

use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// An import to check (a dry run) or to write.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// Instrument code.
    pub instrument: String,
    /// Instrument version (default: the latest).
    pub version: Option<u32>,
    /// Period code.
    pub period: String,
    /// Every row goes to this kindergarten (default: the file's kindergarten column; a head's own
    /// kindergarten when the file has none).
    pub kindergarten: Option<Id>,
    /// The file's name (its extension decides CSV or spreadsheet).
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// A saved mapping profile; default: one suggested from the headers.
    pub profile: Option<MappingProfile>,
    /// Write a clean plan (default: only check).
    pub commit: bool,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowFate {
    /// A new submission.
    Create,
    /// Imported before: the submission made then.
    Duplicate {
        /// Its id.
        submission: Id,
    },
    /// Not imported.
    Skip(SkipReason),
    /// Errors, each at its line and column.
    Error(Vec<ImportError>),
}

/// One row of the file and its fate.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// 1-based line.
    pub line: usize,
    /// The respondent as written in the file.
    pub respondent: Option<String>,
    /// The kindergarten as written in the file (or fixed).
    pub kindergarten: Option<String>,
    /// What happens to it.
    pub fate: RowFate,
}

/// The dry run (and, with `commit`, what was written).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// The instrument version.
    pub instrument: vsoko_checklist::InstrumentId,
    /// The period.
    pub period: String,
    /// How the file was read: encoding and separator, or a spreadsheet.
    pub source: SourceFormat,
    /// The profile used (given or suggested), to save and reuse.
    pub profile: MappingProfile,
    /// What the suggestion could not match (only when no profile was given).
    pub unmatched: Option<Unmatched>,
    /// Problems of the file as a whole.
    pub file_errors: Vec<ImportError>,
    /// Every row.
    pub rows: Vec<ImportRow>,
    /// The plan's own report, in Russian.
    pub report: String,
    /// Whether the file can be written (no errors).
    pub clean: bool,
    /// Whether it was written now.
    pub committed: bool,
    /// Submissions created now.
    pub created: usize,
}

impl ImportOutcome {
    /// Rows to create, imported before, skipped and in error.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut counts = (0, 0, 0, 0);
        for row in &self.rows {
            match row.fate {
                RowFate::Create => counts.0 += 1,
                RowFate::Duplicate { .. } => counts.1 += 1,
                RowFate::Skip(_) => counts.2 += 1,
                RowFate::Error(_) => counts.3 += 1,
            }
        }
        counts
    }

    /// Whether the suggested profile lacks something an import needs: a required item, an answer
    /// label, or (without a fixed kindergarten) the kindergarten column.
    pub fn needs_profile(&self) -> bool {
        self.unmatched.as_ref().is_some_and(|unmatched| {
            unmatched.items.iter().any(|item| item.required) || !unmatched.labels.is_empty()
        }) || (self.profile.kindergarten_column.is_none() && self.profile.kindergarten.is_none())
    }
}

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

async fn staff(store: &Store, kindergarten: Id) -> AppResult<Staff> {
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
struct Targets {
    /// Line → kindergarten id and subject, for every row still to create.
    rows: HashMap<usize, (Id, SubjectRef)>,
    /// Idempotency keys the author used before in this period and instrument version → submission.
    earlier: HashMap<String, Id>,
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
                    fate: match targets.earlier.get(&planned.idempotency_key(&period.code)) {
                        Some(&submission) => RowFate::Duplicate { submission },
                        None => RowFate::Create,
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
        };
        if request.commit && clean {
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
    instrument_id: Id,
    profile: &MappingProfile,
    plan: &mut ImportPlan,
    kindergartens: &[Kindergarten],
    fixed: Option<&Kindergarten>,
    period: &Period,
    author: Id,
    on_row: &mut (dyn FnMut() + Send),
) -> AppResult<Targets> {
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

/// Scores the planned rows and writes them all in one transaction (`Store::submit_many`); the
/// number created. The plan must be clean.
#[allow(clippy::too_many_arguments)]
async fn commit(
    store: &Store,
    instrument: &Instrument,
    instrument_id: Id,
    plan: &ImportPlan,
    targets: &Targets,
    period: &Period,
    author: Id,
    on_row: &mut (dyn FnMut() + Send),
) -> AppResult<usize> {
    if !plan.is_clean() {
        return Err(AppError::unexpected(
            "an import plan with errors is never written",
        ));
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
            AppError::unexpected(format!("line {} was not resolved", planned.line))
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
    Ok(outcomes.iter().filter(|outcome| outcome.created).count())
}
