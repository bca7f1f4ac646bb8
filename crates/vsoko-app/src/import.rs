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
//!   so the same file imported again creates nothing, and the dry run already shows those rows;
//! * **who counts** (the instrument's counting rule, as in the API): a row of a respondent whose
//!   answer counts already in the period is a correction of it when the row's timestamp is later
//!   than that answer, and is not imported (outdated) when it is not, or has no timestamp; of two
//!   rows of one respondent in the file, the later line is imported. Timestamps without an offset
//!   are read as UTC;
//! * **another channel**: an answer that counts and was sent through the web form or the API (not
//!   by an import) is never replaced by a row unless the importer chose that row
//!   ([`ImportRequest::replace`]); otherwise the row is kept out and says why;
//! * **the future**: a row answered after today is an error at its timestamp cell (a day and a
//!   month swapped, a wrong year).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use vsoko_checklist::{Counting, Instrument, Respondent, Subject};
use vsoko_exchange::{
    ImportError, ImportPlan, MappingProfile, RowOutcome, SkipReason, SourceFormat, Unmatched,
    normalize, plan_import, read_table, suggest_profile,
};
use vsoko_storage::{
    BatchWrite, Correction, Id, Kindergarten, NewSubmission, Period, RespondentRef, Scope, Store,
    SubjectRef, SubmissionFilter,
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
    /// Lines whose answer replaces (corrects) one sent through the web form or the API: the
    /// importer's choice, row by row.
    pub replace: Vec<usize>,
    /// With `commit`: write the rows without errors and leave the rows in error out
    /// ([`ImportOutcome::rejected_rows_csv`] gives them back as a file to fix). Default: all rows
    /// or none. A file with an error of its own (a column, a header) is never written.
    pub skip_errors: bool,
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
    /// A newer answer of a respondent whose answer counts already: a new revision of it.
    Correct {
        /// The submission corrected.
        submission: Id,
    },
    /// Older than the answer that counts already: not imported.
    Outdated {
        /// The submission that counts.
        submission: Id,
    },
    /// The answer that counts was sent through the web form or the API: not replaced unless the
    /// importer chooses the line ([`ImportRequest::replace`]).
    SentElsewhere {
        /// The submission that counts.
        submission: Id,
    },
    /// Not imported.
    Skip(SkipReason),
    /// Errors, each at its line and column.
    Error(Vec<ImportError>),
}

impl RowFate {
    /// `create`, `update`, `duplicate`, `skip` or `error`.
    pub fn kind(&self) -> &'static str {
        match self {
            RowFate::Create => "create",
            RowFate::Correct { .. } => "update",
            RowFate::Duplicate { .. } => "duplicate",
            RowFate::Skip(_) | RowFate::Outdated { .. } | RowFate::SentElsewhere { .. } => "skip",
            RowFate::Error(_) => "error",
        }
    }

    /// Why a row is not simply created, in Russian (`None` for a new row and for errors, which
    /// carry their own reasons).
    pub fn reason_ru(&self) -> Option<String> {
        match self {
            RowFate::Create | RowFate::Error(_) => None,
            RowFate::Duplicate { .. } => Some("уже импортирована ранее".to_owned()),
            RowFate::Correct { submission } => Some(format!(
                "более поздний ответ того же респондента: исправит анкету {submission}"
            )),
            RowFate::Outdated { submission } => Some(format!(
                "учитывается более поздний ответ этого респондента (анкета {submission})"
            )),
            RowFate::SentElsewhere { submission } => Some(format!(
                "этот респондент уже отправил ответ через веб-форму или API (анкета {submission}); строка не импортируется, пока вы не отметите «заменить» для неё"
            )),
            RowFate::Skip(SkipReason::EmptyRow) => Some("пустая строка".to_owned()),
            RowFate::Skip(SkipReason::DuplicateRespondent { kept_line }) => Some(format!(
                "повторный ответ респондента; импортируется строка {kept_line}"
            )),
        }
    }
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

/// Rows of an import by fate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New submissions.
    pub create: usize,
    /// Corrections of counted submissions (newer answers of the same respondent).
    pub update: usize,
    /// Imported before.
    pub duplicate: usize,
    /// Not imported: empty, repeated in the file, or older than what counts.
    pub skip: usize,
    /// In error.
    pub error: usize,
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
    /// The file as read: headers and cells by line (the wizard shows the rows with their errors
    /// in place).
    pub table: vsoko_exchange::Table,
    /// Submissions created now.
    pub created: usize,
}

/// An import error as people read it: ««Столбец»: причина», or the reason alone.
pub fn error_text(error: &ImportError) -> String {
    match &error.column {
        Some(column) => format!("«{column}»: {}", error.reason),
        None => error.reason.clone(),
    }
}

/// The header of the column the rows in error get in the file of rejected rows.
pub const REJECTED_REASON_HEADER: &str = "Что исправить";

/// The header of the column with each rejected row's line in the file uploaded.
pub const REJECTED_LINE_HEADER: &str = "Строка исходного файла";

impl ImportOutcome {
    /// Rows by fate.
    pub fn counts(&self) -> ImportCounts {
        let mut counts = ImportCounts::default();
        for row in &self.rows {
            match row.fate {
                RowFate::Create => counts.create += 1,
                RowFate::Correct { .. } => counts.update += 1,
                RowFate::Duplicate { .. } => counts.duplicate += 1,
                RowFate::Skip(_) | RowFate::Outdated { .. } | RowFate::SentElsewhere { .. } => {
                    counts.skip += 1
                }
                RowFate::Error(_) => counts.error += 1,
            }
        }
        counts
    }

    /// The cells of the file's row on `line`, as read (empty for a line the file has not).
    pub fn cells_of(&self, line: usize) -> Vec<String> {
        self.table
            .rows
            .iter()
            .find(|row| row.line == line)
            .map(|row| row.cells.clone())
            .unwrap_or_default()
    }

    /// Whether a partial import can write something: no error of the file as a whole, and at
    /// least one row to create or correct.
    pub fn can_skip_errors(&self) -> bool {
        let counts = self.counts();
        self.file_errors.is_empty() && counts.error > 0 && counts.create + counts.update > 0
    }

    /// The rows in error as a CSV file for Excel (UTF-8 with BOM, `;`): the file's own columns
    /// as uploaded, then the line they were on and what to fix, each error at its column — fix
    /// the cells, delete the two last columns or leave them (they map to nothing) and upload it
    /// again; rows imported meanwhile are recognised and not imported twice.
    pub fn rejected_rows_csv(&self) -> AppResult<Vec<u8>> {
        let mut columns: Vec<vsoko_exchange::Column> = self
            .table
            .headers
            .iter()
            .map(|header| vsoko_exchange::Column::new(header, vsoko_exchange::ColumnKind::Text))
            .collect();
        columns.push(vsoko_exchange::Column::new(
            REJECTED_LINE_HEADER,
            vsoko_exchange::ColumnKind::Integer,
        ));
        columns.push(vsoko_exchange::Column::new(
            REJECTED_REASON_HEADER,
            vsoko_exchange::ColumnKind::Text,
        ));
        let width = self.table.headers.len();
        let rows = self
            .rows
            .iter()
            .filter_map(|row| match &row.fate {
                RowFate::Error(errors) => Some((row.line, errors)),
                _ => None,
            })
            .map(|(line, errors)| {
                let mut cells: Vec<vsoko_exchange::Cell> = self
                    .cells_of(line)
                    .into_iter()
                    .map(vsoko_exchange::Cell::Text)
                    .collect();
                cells.resize(width, vsoko_exchange::Cell::Empty);
                cells.push(vsoko_exchange::Cell::Number(line as f64));
                cells.push(vsoko_exchange::Cell::Text(
                    errors.iter().map(error_text).collect::<Vec<_>>().join("; "),
                ));
                cells
            })
            .collect();
        let sheet = vsoko_exchange::Sheet {
            name: "Строки с ошибками".to_owned(),
            columns,
            rows,
        };
        Ok(vsoko_exchange::write_csv_ru(&sheet, false)?)
    }

    /// Whether the suggested profile lacks something an import needs: a required item, an answer
    /// label, or (without a fixed kindergarten) the kindergarten column.
    pub fn needs_profile(&self) -> bool {
        self.unmatched.as_ref().is_some_and(|unmatched| {
            unmatched.items.iter().any(|item| item.required) || !unmatched.labels.is_empty()
        }) || (self.profile.kindergarten_column.is_none() && self.profile.kindergarten.is_none())
    }
}

/// A file uploaded to the import wizard.
#[derive(Debug, Clone)]
pub struct StagedFile {
    /// Its id (the wizard's address).
    pub id: Id,
    /// The file name as uploaded.
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// A saved mapping profile.
#[derive(Debug, Clone)]
pub struct NamedProfile {
    /// Id.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// The profile.
    pub profile: MappingProfile,
}

/// The instrument the first step of an import offers first: the teachers' survey, the one a
/// network most often collects through Google or Yandex Forms.
pub const PRESELECTED_INSTRUMENT: &str = "dc-teacher";

/// What the first step of an import offers the caller.
#[derive(Debug, Clone)]
pub struct ImportChoices {
    /// The latest version of every instrument answers are imported for (control cards are
    /// filled by observation, never collected through a form service).
    pub instruments: Vec<Arc<Instrument>>,
    /// The code of the instrument offered first.
    pub preselected: &'static str,
    /// The open periods, the current one first.
    pub periods: Vec<Period>,
    /// The kindergartens rows may be imported into, when the caller imports for the network
    /// (a head imports into her own kindergarten only: empty).
    pub kindergartens: Vec<Kindergarten>,
    /// The mapping profiles saved in the network.
    pub profiles: Vec<NamedProfile>,
}

impl App {
    /// The first step of an import: what may be imported, when and where (heads, methodists,
    /// administrators; 403 for teachers).
    pub async fn import_choices(&self, principal: &Principal) -> AppResult<ImportChoices> {
        let scope = principal.check_import(None)?;
        let instruments = self
            .latest_instruments()
            .await?
            .into_iter()
            .map(|resolved| resolved.instrument)
            .filter(|instrument| instrument.kind() != vsoko_checklist::InstrumentKind::ControlCard)
            .collect();
        let kindergartens = match scope {
            Scope::Network(_) => self.kindergartens(principal).await?,
            Scope::Kindergarten(_) => Vec::new(),
        };
        Ok(ImportChoices {
            instruments,
            preselected: PRESELECTED_INSTRUMENT,
            periods: self.open_periods(principal).await?,
            kindergartens,
            profiles: self.import_profiles(principal, None).await?,
        })
    }

    /// Keeps a file for the import wizard (those who import: heads, managers, admins). Only its
    /// uploader sees it; it is deleted once imported, or after a day.
    pub async fn stage_import(
        &self,
        principal: &Principal,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<Id> {
        principal.check_import(None)?;
        if bytes.is_empty() {
            return Err(AppError::invalid(
                "file",
                "empty",
                "выберите файл: выгрузку Google Форм, Яндекс Форм или таблицу Excel",
            ));
        }
        let mut checks = crate::validate::Checks::new();
        let file_name = checks.name("file", "имя файла", file_name, 200);
        checks.done()?;
        Ok(self
            .store
            .stage_upload(principal.user.id, &file_name, bytes)
            .await?)
    }

    /// A file the caller uploaded to the wizard (anybody else's is «not found»).
    pub async fn staged_import(&self, principal: &Principal, id: Id) -> AppResult<StagedFile> {
        let upload = self.store.staged_upload(principal.user.id, id).await?;
        Ok(StagedFile {
            id: upload.id,
            file_name: upload.file_name,
            bytes: upload.bytes,
        })
    }

    /// Deletes a file of the wizard (imported, or given up).
    pub async fn discard_import(&self, principal: &Principal, id: Id) -> AppResult<()> {
        Ok(self.store.discard_upload(principal.user.id, id).await?)
    }

    /// The mapping profiles saved in the caller's network, optionally of one instrument.
    pub async fn import_profiles(
        &self,
        principal: &Principal,
        instrument: Option<&str>,
    ) -> AppResult<Vec<NamedProfile>> {
        principal.check_import(None)?;
        let mut profiles = Vec::new();
        for saved in self.store.profiles(principal.network_id()).await? {
            if instrument.is_some_and(|code| code != saved.instrument_code) {
                continue;
            }
            // A profile that no longer reads is left out, not an error of the listing.
            if let Ok(profile) = MappingProfile::from_json(&saved.profile) {
                profiles.push(NamedProfile {
                    id: saved.id,
                    name: saved.name,
                    profile,
                });
            }
        }
        Ok(profiles)
    }

    /// One saved profile of the caller's network.
    pub async fn import_profile(&self, principal: &Principal, id: Id) -> AppResult<NamedProfile> {
        principal.check_import(None)?;
        let saved = self.store.profile(principal.network_id(), id).await?;
        let profile = MappingProfile::from_json(&saved.profile)
            .map_err(|error| AppError::invalid("profile", "invalid", error.to_string()))?;
        Ok(NamedProfile {
            id: saved.id,
            name: saved.name,
            profile,
        })
    }

    /// Saves a mapping profile under a name for the caller's network (replacing one of that name),
    /// so that the next export of the same form is imported without mapping it again.
    pub async fn save_import_profile(
        &self,
        principal: &Principal,
        name: &str,
        profile: &MappingProfile,
    ) -> AppResult<NamedProfile> {
        principal.check_import(None)?;
        let mut checks = crate::validate::Checks::new();
        let name = checks.name("profile_name", "название профиля", name, 200);
        checks.done()?;
        let json = profile.to_json();
        let saved = self
            .store
            .save_profile(
                principal.user.id,
                principal.network_id(),
                &name,
                (&profile.instrument, profile.version),
                &json,
            )
            .await?;
        Ok(NamedProfile {
            id: saved.id,
            name: saved.name,
            profile: profile.clone(),
        })
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

/// What happens to a planned row in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    /// A new submission.
    Create,
    /// Imported before (the same row): the submission made then.
    Duplicate(Id),
    /// A newer answer of someone whose answer counts already: a correction of it.
    Correct(Id),
    /// An answer older than the one that counts already: not imported.
    Outdated(Id),
    /// The answer that counts came through another channel and the importer did not choose to
    /// replace it: not imported.
    SentElsewhere(Id),
}

/// Where a planned row goes.
#[derive(Debug, Clone)]
struct Target {
    kindergarten: Id,
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
    instrument_id: Id,
    profile: &MappingProfile,
    plan: &mut ImportPlan,
    kindergartens: &[Kindergarten],
    fixed: Option<&Kindergarten>,
    period: &Period,
    author: Id,
    replace: &BTreeSet<usize>,
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
        let staff = &staffs[&kindergarten.id];
        let text = planned.subject.as_deref().or(planned.respondent.as_deref());
        let answered_at = planned.timestamp.as_deref().and_then(parse_answered_at);
        if let Some(at) = answered_at
            && at.date_naive() > chrono::Local::now().date_naive()
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
    let mut earlier: HashMap<String, Id> = HashMap::new();
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
    let mut counted: HashMap<(SubjectRef, String), (Id, DateTime<Utc>, bool)> = HashMap::new();
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
    author: Id,
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
    instrument_id: Id,
    plan: &ImportPlan,
    targets: &Targets,
    period: &Period,
    author: Id,
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
