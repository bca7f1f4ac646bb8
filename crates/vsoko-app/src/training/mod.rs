//! Training records of the staff and the coverage they give (issue «professional development,
//! part 1»): who may enter, correct and read them, and the coverage report — the rules themselves
//! (validation, the three-year window, the sentence) are `vsoko_development`'s.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
/// The vocabulary of training records and coverage, as the adapters read and write it.
pub use vsoko_development::{
    CategoryCoverage, Need, Problem, ProviderType, SchoolYear, Share, StaffCategory, StudyForm,
    TrainingKind, TrainingRecord,
};
use vsoko_development::{
    CoverageInput, CoverageReport, Forecast, RecordContext, RecordField, Severity, StaffMember,
    coverage, department_sentence, forecast, validate_record,
};
use vsoko_domain::{KindergartenId, PersonId, TrainingRecordId};
use vsoko_storage::{Kindergarten, NewTrainingRecord, Person, Record, Scope, StoredTrainingRecord};

use crate::error::{AppError, AppResult, FieldError};
use crate::reports::ReportOf;
use crate::targets::TargetLine;

mod export;
mod form;
mod import;

use crate::{App, Principal};
pub use export::{coverage_chart, coverage_file_name, coverage_sections, coverage_sheets};
pub use form::TrainingForm;
pub use import::{COLUMNS, CellError, ReadRow, TrainingImport, column_label, read_rows, recognise};

/// The survey whose deficits the coverage's «адресность» compares with.
pub const DEFICIT_SURVEY: &str = "dc-teacher";

/// A record as people read it: with whose it is and the warnings its rules give.
#[derive(Debug, Clone)]
pub struct TrainingEntry {
    /// The stored record.
    pub stored: StoredTrainingRecord,
    /// Whose training (full name).
    pub person_name: String,
    /// What the rules warn about (never refused: ПК under 16 ак. ч., a private provider after
    /// 01.09.2025, a missing document number).
    pub warnings: Vec<Problem>,
}

/// A person's own training records.
#[derive(Debug, Clone, Default)]
pub struct OwnTraining {
    /// Her records (latest revisions, not withdrawn).
    pub entries: Vec<TrainingEntry>,
    /// The first day her latest ПК or ПП no longer counts (36 months after its date); `None`
    /// without one.
    pub counts_until: Option<NaiveDate>,
}

impl OwnTraining {
    /// The last day her latest ПК or ПП counts, and whether that day is past at `today`.
    pub fn last_counted_day(&self, today: NaiveDate) -> Option<(NaiveDate, bool)> {
        self.counts_until.map(|until| {
            let last = until.pred_opt().unwrap_or(until);
            (last, last < today)
        })
    }
}

/// A kindergarten's training records and who they may be about.
#[derive(Debug, Clone)]
pub struct KindergartenTraining {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// Its active staff, by name: whom a record may be about.
    pub people: Vec<Person>,
    /// Its records (latest revisions, not withdrawn).
    pub records: Vec<TrainingEntry>,
    /// Whether the caller may enter and correct them.
    pub manages: bool,
}

/// The coverage of a kindergarten or of the network at a date.
#[derive(Debug, Clone)]
pub struct CoverageView {
    /// The kindergarten, or `None` for the network.
    pub kindergarten: Option<Kindergarten>,
    /// The date of the figures.
    pub at: NaiveDate,
    /// The window of «trained in the window»: the school year containing `at`.
    pub year: SchoolYear,
    /// The figures.
    pub report: CoverageReport<KindergartenId>,
    /// The department's sentence about teachers trained in the window.
    pub sentence: String,
    /// Who needs КПК in the next school year.
    pub forecast: Forecast<PersonId, KindergartenId>,
    /// Names of the people the forecast lists (for roles that may see names).
    pub names: HashMap<PersonId, String>,
    /// Short names of the kindergartens.
    pub kindergartens: HashMap<KindergartenId, String>,
    /// The network's targets held to the figures of this scope.
    pub targets: Vec<TargetLine>,
}

/// What a coverage is computed from (`App::coverage_inputs`).
struct CoverageInputs {
    kindergarten: Option<Kindergarten>,
    units: Vec<Kindergarten>,
    staff: Vec<StaffMember<PersonId, KindergartenId>>,
    names: HashMap<PersonId, String>,
    records: BTreeMap<PersonId, Vec<TrainingRecord>>,
    /// The periods started by the date, latest first.
    periods: Vec<vsoko_domain::Period>,
    deficits: BTreeMap<PersonId, BTreeSet<String>>,
}

impl CoverageInputs {
    /// What the targets read of them: the periods ended by `at` only — a running period's
    /// figures are incomplete, so a target is held to the last period whose figures are whole.
    fn targets(&self, at: NaiveDate) -> crate::targets::TargetInputs<'_> {
        let running = self
            .periods
            .iter()
            .take_while(|period| period.ends_on > at)
            .count();
        crate::targets::TargetInputs {
            units: &self.units,
            staff: &self.staff,
            periods: &self.periods[running..],
            deficits: &self.deficits,
        }
    }
}

/// Management team positions (заведующий, заместитель заведующего, старший воспитатель): counted
/// apart from teachers in the coverage, as the department's indicators count them.
pub fn category_of(position: &str) -> StaffCategory {
    let position = position.trim().to_lowercase();
    if position.contains("заведующ") || position.starts_with("старший воспитатель")
    {
        StaffCategory::Management
    } else {
        StaffCategory::Teacher
    }
}

/// The name a record's field has in the API and the web form.
pub fn field_name(field: RecordField) -> &'static str {
    match field {
        RecordField::Start => "starts_on",
        RecordField::End => "ends_on",
        RecordField::Enrolled => "enrolled_on",
        RecordField::Issued => "issued_on",
        other => other.name(),
    }
}

fn refusal(problems: &[Problem]) -> AppResult<()> {
    let errors: Vec<FieldError> = problems
        .iter()
        .filter(|problem| problem.severity == Severity::Error)
        .map(|problem| {
            FieldError::new(
                field_name(problem.field),
                "invalid",
                problem.message.clone(),
            )
        })
        .collect();
    AppError::check(errors)
}

fn warnings(record: &TrainingRecord, today: NaiveDate) -> Vec<Problem> {
    validate_record(record, &context(today))
        .into_iter()
        .filter(|problem| problem.severity == Severity::Warning)
        .collect()
}

fn context(today: NaiveDate) -> RecordContext {
    RecordContext {
        today,
        // Every record is of a teacher of a kindergarten's main programme (ОП ДО).
        teaches_main_programme: true,
    }
}

impl App {
    /// A kindergarten's training records: for those who manage them (its head, the department).
    pub async fn kindergarten_training(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        today: NaiveDate,
    ) -> AppResult<KindergartenTraining> {
        let kindergarten = self.kindergarten(principal, kindergarten).await?;
        principal.check_manage_training(&kindergarten)?;
        let mut people = self.store.people(kindergarten.id).await?;
        let names: HashMap<PersonId, String> = people
            .iter()
            .map(|person| (person.id, person.full_name.clone()))
            .collect();
        people.retain(|person| person.active);
        people.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        // A list naming people was read: the audit log says who read it.
        self.store
            .audit(
                Some(principal.user.id),
                "training_records.read",
                "kindergarten",
                &kindergarten.id.to_string(),
                serde_json::json!({}),
            )
            .await?;
        let records = self
            .store
            .training_records(Scope::Kindergarten(kindergarten.id), None)
            .await?
            .into_iter()
            .map(|stored| TrainingEntry {
                person_name: names.get(&stored.person_id).cloned().unwrap_or_default(),
                warnings: warnings(&stored.record, today),
                stored,
            })
            .collect();
        Ok(KindergartenTraining {
            kindergarten,
            people,
            records,
            manages: true,
        })
    }

    /// The caller's own training records (a teacher's, or anyone's with a linked person), and
    /// until when her latest ПК or ПП counts under the three-year rule.
    pub async fn own_training(
        &self,
        principal: &Principal,
        today: NaiveDate,
    ) -> AppResult<OwnTraining> {
        let Some(person) = principal.user.person_id else {
            return Ok(OwnTraining::default());
        };
        let person = self.store.person(person).await?;
        let entries: Vec<TrainingEntry> = self
            .store
            .training_records(Scope::Kindergarten(person.kindergarten_id), Some(person.id))
            .await?
            .into_iter()
            .map(|stored| TrainingEntry {
                person_name: person.full_name.clone(),
                warnings: warnings(&stored.record, today),
                stored,
            })
            .collect();
        let counts_until = entries
            .iter()
            .filter(|entry| entry.stored.record.kind.is_dpo())
            .map(|entry| vsoko_development::leaves_window_on(entry.stored.record.counted_date()))
            .max();
        Ok(OwnTraining {
            entries,
            counts_until,
        })
    }

    /// The person a record is about, in a kindergarten the caller manages records of.
    async fn training_person(&self, principal: &Principal, person: PersonId) -> AppResult<Person> {
        let person = self
            .store
            .person(person)
            .await
            .map_err(|error| match error {
                vsoko_storage::StorageError::NotFound { .. } => AppError::invalid(
                    "person",
                    "unknown",
                    "такого сотрудника нет: выберите сотрудника детского сада из списка",
                ),
                other => other.into(),
            })?;
        let kindergarten = self.kindergarten(principal, person.kindergarten_id).await?;
        principal.check_manage_training(&kindergarten)?;
        Ok(person)
    }

    /// Adds the record a web form holds: what it cannot read and what the rules refuse, every
    /// error at its field at once.
    pub async fn add_training_form(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        form: &TrainingForm,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let unit = self.kindergarten(principal, kindergarten).await?;
        principal.check_manage_training(&unit)?;
        let (person, record) = form.parse().map_err(|errors| AppError::Invalid {
            detail: "запись об обучении не сохранена: исправьте отмеченные поля".to_owned(),
            errors,
        })?;
        self.add_training(principal, kindergarten, person, &record, today)
            .await
    }

    /// Adds the record `form` holds for `person` of `kindergarten`, named by her id or her full
    /// name (the command line): a name matching nobody or several people is refused, saying so.
    pub async fn add_training_for(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        person: &str,
        form: &TrainingForm,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let unit = self.kindergarten(principal, kindergarten).await?;
        principal.check_manage_training(&unit)?;
        let person_id = match person.trim().parse::<PersonId>() {
            Ok(id) => id,
            Err(_) => {
                let staff: Vec<Person> = self
                    .store
                    .people(unit.id)
                    .await?
                    .into_iter()
                    .filter(|person| person.active)
                    .collect();
                import::person_by_name(&staff, person.trim())
                    .map_err(|message| AppError::invalid("person_id", "unknown", message))?
            }
        };
        let form = TrainingForm {
            person_id: person_id.to_string(),
            ..form.clone()
        };
        self.add_training_form(principal, kindergarten, &form, today)
            .await
    }

    /// Adds a record of a person of `kindergarten`; refused with every error at its field,
    /// stored with its warnings.
    pub async fn add_training(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        person: PersonId,
        record: &TrainingRecord,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let unit = self.kindergarten(principal, kindergarten).await?;
        principal.check_manage_training(&unit)?;
        let person = self.training_person(principal, person).await?;
        if person.kindergarten_id != unit.id {
            return Err(AppError::invalid(
                "person_id",
                "unknown",
                "этот сотрудник не работает в выбранном детском саду: выберите сотрудника из списка",
            ));
        }
        refusal(&validate_record(record, &context(today)))?;
        let (stored, _) = self
            .store
            .add_training_record(
                principal.user.id,
                &NewTrainingRecord {
                    person_id: person.id,
                    record,
                    import_key: None,
                    snils: None,
                },
            )
            .await?;
        Ok(TrainingEntry {
            person_name: person.full_name,
            warnings: warnings(&stored.record, today),
            stored,
        })
    }

    /// A record the caller manages (its latest revision or the one named).
    pub async fn training_entry(
        &self,
        principal: &Principal,
        id: TrainingRecordId,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let stored = self.store.training_record(id).await?;
        let person = self.store.person(stored.person_id).await?;
        let kindergarten = self.kindergarten(principal, stored.kindergarten_id).await?;
        let own = principal.user.person_id == Some(person.id);
        if !own {
            principal.check_manage_training(&kindergarten)?;
        }
        Ok(TrainingEntry {
            person_name: person.full_name,
            warnings: warnings(&stored.record, today),
            stored,
        })
    }

    /// A record to correct, for a caller who manages it: the record and the form holding it.
    pub async fn training_correction(
        &self,
        principal: &Principal,
        id: TrainingRecordId,
        today: NaiveDate,
    ) -> AppResult<(TrainingEntry, TrainingForm)> {
        let stored = self.store.training_record(id).await?;
        let person = self.training_person(principal, stored.person_id).await?;
        let form = TrainingForm::of(person.id, &stored.record);
        Ok((
            TrainingEntry {
                person_name: person.full_name,
                warnings: warnings(&stored.record, today),
                stored,
            },
            form,
        ))
    }

    /// Corrects a record with what a web form holds (the person stays the record's): what it
    /// cannot read and what the rules refuse, every error at its field at once.
    pub async fn correct_training_form(
        &self,
        principal: &Principal,
        id: TrainingRecordId,
        form: &TrainingForm,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let stored = self.store.training_record(id).await?;
        let form = TrainingForm {
            person_id: stored.person_id.to_string(),
            ..form.clone()
        };
        self.training_person(principal, stored.person_id).await?;
        let (_, record) = form.parse().map_err(|errors| AppError::Invalid {
            detail: "исправление не сохранено: исправьте отмеченные поля".to_owned(),
            errors,
        })?;
        self.correct_training(principal, id, &record, today).await
    }

    /// Corrects a record: the next revision, with an audit entry of what changed.
    pub async fn correct_training(
        &self,
        principal: &Principal,
        id: TrainingRecordId,
        record: &TrainingRecord,
        today: NaiveDate,
    ) -> AppResult<TrainingEntry> {
        let stored = self.store.training_record(id).await?;
        let person = self.training_person(principal, stored.person_id).await?;
        refusal(&validate_record(record, &context(today)))?;
        let stored = self
            .store
            .correct_training_record(principal.user.id, id, record)
            .await?;
        Ok(TrainingEntry {
            person_name: person.full_name,
            warnings: warnings(&stored.record, today),
            stored,
        })
    }

    /// Withdraws a record entered by mistake (kept in the history and the audit log); answers
    /// the record as it was.
    pub async fn withdraw_training(
        &self,
        principal: &Principal,
        id: TrainingRecordId,
    ) -> AppResult<StoredTrainingRecord> {
        let stored = self.store.training_record(id).await?;
        self.training_person(principal, stored.person_id).await?;
        self.store
            .withdraw_training_record(principal.user.id, id)
            .await?;
        Ok(stored)
    }

    /// A file of training records kept by the web's import (its head, the department), checked:
    /// a dry run, or with `commit` the import (its good rows with `skip_errors`), after which the
    /// file is deleted. Answers the file's name with the outcome.
    pub async fn import_staged_training(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        staged: i64,
        commit: bool,
        skip_errors: bool,
        today: NaiveDate,
    ) -> AppResult<(String, TrainingImport)> {
        let file = self.staged_import(principal, staged).await?;
        let outcome = self
            .import_training(
                principal,
                kindergarten,
                &file.file_name,
                &file.bytes,
                commit,
                skip_errors,
                today,
            )
            .await?;
        if outcome.written {
            self.discard_import(principal, staged).await?;
        }
        Ok((file.file_name, outcome))
    }

    /// The coverage of a kindergarten (its head, the department) or of the network (the
    /// department) at `at`: the three-year rule, the school year's training, «адресность»
    /// against the latest teachers' survey, the forecast for the next school year.
    pub async fn training_coverage(
        &self,
        principal: &Principal,
        of: ReportOf,
        at: NaiveDate,
    ) -> AppResult<CoverageView> {
        let inputs = self.coverage_inputs(principal, of, at, true).await?;
        let year = SchoolYear::containing(at);
        let report = coverage(&CoverageInput::new(
            &inputs.staff,
            &inputs.records,
            &inputs.deficits,
            at,
        ));
        let sentence = department_sentence(
            StaffCategory::Teacher,
            report.network.teachers.window.delivery,
            Some(&year.phrase()),
        );
        let forecast = forecast(&inputs.staff, &inputs.records, at, year.next());
        let targets = self
            .target_lines(principal, of, &inputs.targets(at), &report.network, at)
            .await?;
        // A list naming people was read: the audit log says who read it.
        let kindergarten = inputs.kindergarten;
        self.store
            .audit(
                Some(principal.user.id),
                "training_coverage.read",
                kindergarten.as_ref().map_or("network", |_| "kindergarten"),
                &kindergarten.as_ref().map_or_else(
                    || principal.user.network_id.to_string(),
                    |unit| unit.id.to_string(),
                ),
                serde_json::json!({ "at": at }),
            )
            .await?;
        Ok(CoverageView {
            targets,
            kindergarten,
            at,
            year,
            report,
            sentence,
            forecast,
            names: inputs.names,
            kindergartens: inputs
                .units
                .into_iter()
                .map(|unit| (unit.id, unit.short_name))
                .collect(),
        })
    }

    /// The network's targets held to the figures of a kindergarten (its head, the department)
    /// or of the network (the department) at `at` — what a dashboard shows: no names, so no
    /// audit entry, and the deficits read only when a target needs them.
    pub async fn targets(
        &self,
        principal: &Principal,
        of: ReportOf,
        at: NaiveDate,
    ) -> AppResult<Vec<TargetLine>> {
        let needs_deficits = self.targets.targets().iter().any(|target| {
            matches!(
                target.source(),
                vsoko_development::Source::Coverage {
                    figure: vsoko_development::CoverageFigure::AddressedDeficits,
                    ..
                } | vsoko_development::Source::IndividualPlans
            )
        });
        let inputs = self
            .coverage_inputs(principal, of, at, needs_deficits)
            .await?;
        let report = coverage(&CoverageInput::new(
            &inputs.staff,
            &inputs.records,
            &inputs.deficits,
            at,
        ));
        self.target_lines(principal, of, &inputs.targets(at), &report.network, at)
            .await
    }

    /// What a coverage is computed from, for a caller who may read it: the scope's kindergartens,
    /// their staff and records, the periods started by `at` (latest first) and, when asked, each
    /// teacher's deficit areas.
    async fn coverage_inputs(
        &self,
        principal: &Principal,
        of: ReportOf,
        at: NaiveDate,
        with_deficits: bool,
    ) -> AppResult<CoverageInputs> {
        let (kindergarten, units) = match of {
            ReportOf::Kindergarten(id) => {
                let kindergarten = self.kindergarten(principal, id).await?;
                principal.check_manage_training(&kindergarten)?;
                (Some(kindergarten.clone()), vec![kindergarten])
            }
            ReportOf::Network => {
                principal.check_network_report()?;
                (None, self.kindergartens(principal).await?)
            }
            ReportOf::Teacher(_) => return Err(AppError::NotFound(Record::Person)),
        };
        let mut staff = Vec::new();
        let mut names = HashMap::new();
        for unit in &units {
            for person in self.store.people(unit.id).await? {
                staff.push(StaffMember {
                    person: person.id,
                    kindergarten: unit.id,
                    category: category_of(&person.position),
                    active: person.active,
                });
                names.insert(person.id, person.full_name);
            }
        }
        let scope = match &kindergarten {
            Some(unit) => Scope::Kindergarten(unit.id),
            None => principal.scope(),
        };
        let mut records: BTreeMap<PersonId, Vec<TrainingRecord>> = BTreeMap::new();
        for stored in self.store.training_records(scope, None).await? {
            records
                .entry(stored.person_id)
                .or_default()
                .push(stored.record);
        }
        // The periods that started by `at`, latest first: the deficits come from the latest
        // with teachers' surveys; the targets on instruments are measured in the latest that
        // has ended by `at` (`CoverageInputs::targets`).
        let mut periods = self.periods(principal).await?;
        periods.retain(|period| period.starts_on <= at);
        periods.sort_by_key(|period| std::cmp::Reverse(period.starts_on));
        let deficits = if with_deficits {
            self.survey_deficits(principal, &units, &periods).await?
        } else {
            BTreeMap::new()
        };
        Ok(CoverageInputs {
            kindergarten,
            units,
            staff,
            names,
            records,
            periods,
            deficits,
        })
    }

    /// Each teacher's areas with a deficit in the latest period (starting on or before `at`)
    /// with teachers' surveys of her kindergarten: her own latest submission's area scores, as
    /// her kindergarten's report lists them, read for every kindergarten at once (one read per
    /// period until each has one) rather than a report per kindergarten.
    async fn survey_deficits(
        &self,
        principal: &Principal,
        units: &[Kindergarten],
        periods: &[vsoko_domain::Period],
    ) -> AppResult<BTreeMap<PersonId, BTreeSet<String>>> {
        let mut deficits = BTreeMap::new();
        let mut versions = HashMap::new();
        for summary in self.store.instruments().await? {
            if summary.instrument.code.as_str() == DEFICIT_SURVEY
                && summary.subject == vsoko_checklist::Subject::Teacher
            {
                versions.insert(summary.id, self.resolve(&summary).await?.instrument);
            }
        }
        if versions.is_empty() {
            return Ok(deficits);
        }
        let ids: Vec<_> = versions.keys().copied().collect();
        let scope = match units {
            [unit] => Scope::Kindergarten(unit.id),
            _ => Scope::Network(principal.network_id()),
        };
        let mut pending: BTreeSet<KindergartenId> = units.iter().map(|unit| unit.id).collect();
        for period in periods {
            if pending.is_empty() {
                break;
            }
            let mut found = BTreeSet::new();
            for row in self
                .store
                .staff_answers(scope, &ids, &[period.id], &[])
                .await?
            {
                let submission = &row.listed.submission;
                let (vsoko_domain::SubjectRef::Teacher(person), Some(instrument)) =
                    (submission.subject, versions.get(&submission.instrument_id))
                else {
                    continue;
                };
                if !pending.contains(&submission.kindergarten_id) {
                    continue;
                }
                let areas: BTreeSet<String> = row
                    .listed
                    .nodes
                    .iter()
                    .filter(|node| node.kind == vsoko_scoring::NodeKind::Area)
                    .filter(|node| {
                        node.percent
                            .is_some_and(|score| instrument.is_deficit(score))
                    })
                    .map(|node| node.code.clone())
                    .collect();
                deficits.insert(person, areas);
                found.insert(submission.kindergarten_id);
            }
            pending.retain(|unit| !found.contains(unit));
        }
        Ok(deficits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn management_positions_are_counted_apart() {
        for position in [
            "заведующий",
            "Заведующая",
            "заместитель заведующего по ВМР",
            "старший воспитатель",
        ] {
            assert_eq!(
                category_of(position),
                StaffCategory::Management,
                "{position}"
            );
        }
        for position in ["воспитатель", "музыкальный руководитель", "учитель-логопед"]
        {
            assert_eq!(category_of(position), StaffCategory::Teacher, "{position}");
        }
    }
}
