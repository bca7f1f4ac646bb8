//! Training records from a file: a kindergarten's own list (ФИО, программа, организация, часы,
//! даты, форма, номер удостоверения) or the columns of the ФИС ФРДО template where they are
//! present, as XLSX or CSV (UTF-8 or Windows-1251, `,` or `;`). A dry run names every error at its
//! cell; the rows without errors can be imported and the others written back as a file; the same
//! row imported twice adds nothing.
//!
//! # The rules
//! * Columns are recognised by their headings (case, «ё», spaces and punctuation ignored): see
//!   [`COLUMNS`]. A person is named by «ФИО» or by the ФРДО's «Фамилия» + «Имя» + «Отчество».
//! * A person is matched by full name among the kindergarten's staff; none or several is an error
//!   at the name's cell.
//! * Without a «вид» column a row with a document number is повышение квалификации; without a
//!   type of provider the type is «иная» (and the rules warn about it after 01.09.2025).
//! * «дистанционная» as a form of study is заочная with distance technologies — ФИС ФРДО knows
//!   only очная, заочная, очно-заочная; a «ДОТ» column says «да» / «нет».
//! * The row's key is its person, kind, programme, end date and document number: importing the
//!   same row again finds the record it made and adds nothing.

use chrono::NaiveDate;
use vsoko_development::{
    ProviderType, RecordContext, Severity, StudyForm, TrainingKind, TrainingRecord, validate_record,
};
use vsoko_domain::PersonId;
use vsoko_exchange::{Table, normalize};
use vsoko_storage::Person;

use super::field_name;

/// The fields a column can hold, with the headings it is recognised by (normalised).
pub const COLUMNS: [(&str, &[&str]); 19] = [
    (
        "full_name",
        &[
            "фио",
            "фио педагога",
            "фио сотрудника",
            "сотрудник",
            "педагог",
        ],
    ),
    ("surname", &["фамилия", "фамилия получателя"]),
    ("name", &["имя", "имя получателя"]),
    ("patronymic", &["отчество", "отчество получателя"]),
    (
        "kind",
        &[
            "вид",
            "вид обучения",
            "вид документа",
            "вид программы",
            "программа пк пп",
        ],
    ),
    (
        "programme",
        &[
            "программа",
            "название программы",
            "наименование программы",
            "тема",
            "наименование дополнительной профессиональной программы",
        ],
    ),
    (
        "provider",
        &[
            "организация",
            "наименование организации",
            "базовое учреждение",
            "место обучения",
        ],
    ),
    ("provider_type", &["тип организации"]),
    (
        "in_federal_register",
        &["фр дпп", "в реестре дпп", "федеральный реестр"],
    ),
    (
        "hours",
        &[
            "часы",
            "часов",
            "количество часов",
            "объем часов",
            "срок обучения часов",
            "объем",
        ],
    ),
    (
        "starts_on",
        &[
            "дата начала",
            "начало",
            "начало обучения",
            "дата начала обучения",
        ],
    ),
    (
        "ends_on",
        &[
            "дата окончания",
            "окончание",
            "окончание обучения",
            "дата окончания обучения",
        ],
    ),
    ("enrolled_on", &["дата зачисления"]),
    ("form", &["форма", "форма обучения", "формат"]),
    ("distance", &["дот", "с применением дот", "дистанционно"]),
    (
        "document_number",
        &[
            "номер",
            "номер удостоверения",
            "номер документа",
            "номер бланка",
        ],
    ),
    (
        "registration_number",
        &["регистрационный номер", "рег номер"],
    ),
    ("issued_on", &["дата выдачи", "дата выдачи документа"]),
    ("snils", &["снилс", "снилс получателя", "страховой номер"]),
];

/// What a recognised column holds, in words («Дата окончания»).
pub fn column_label(field: &str) -> &'static str {
    match field {
        "full_name" => "ФИО",
        "surname" => "Фамилия",
        "name" => "Имя",
        "patronymic" => "Отчество",
        "kind" => "Вид обучения",
        "programme" => "Программа",
        "provider" => "Организация",
        "provider_type" => "Тип организации",
        "in_federal_register" => "Программа из федерального реестра",
        "hours" => "Часы",
        "starts_on" => "Дата начала",
        "ends_on" => "Дата окончания",
        "enrolled_on" => "Дата зачисления",
        "form" => "Форма обучения",
        "distance" => "С применением ДОТ",
        "document_number" => "Номер удостоверения",
        "registration_number" => "Регистрационный номер",
        "issued_on" => "Дата выдачи",
        "snils" => "СНИЛС",
        _ => "не используется",
    }
}

/// A cell of the file with what is wrong in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The line of the file (1-based, as Excel or a text editor shows it).
    pub line: usize,
    /// The column's heading as the file has it.
    pub column: String,
    /// What is wrong and how to fix it, in Russian.
    pub message: String,
}

/// A row read: the record it makes, or its errors.
#[derive(Debug, Clone)]
pub struct ReadRow {
    /// The line of the file.
    pub line: usize,
    /// The cells as the file has them (for the file of rows to fix).
    pub cells: Vec<String>,
    /// The person and the record, when the row has no error.
    pub record: Option<(PersonId, TrainingRecord)>,
    /// Its errors.
    pub errors: Vec<CellError>,
    /// The row's key: the same row imported again is found by it.
    pub key: String,
    /// The recipient's СНИЛС, read only where the network keeps it.
    pub snils: Option<String>,
}

fn same_name(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

/// The one member of `staff` with this full name (letter case, «ё» and spaces aside), or why
/// there is none.
pub(crate) fn person_by_name(staff: &[Person], full_name: &str) -> Result<PersonId, String> {
    let matches: Vec<&Person> = staff
        .iter()
        .filter(|person| same_name(&person.full_name, full_name))
        .collect();
    match matches.as_slice() {
        [person] => Ok(person.id),
        [] => Err(format!(
            "«{full_name}» нет среди сотрудников детского сада: проверьте ФИО или добавьте сотрудника"
        )),
        _ => Err(format!(
            "«{full_name}» — несколько сотрудников с такими ФИО: внесите эту запись вручную"
        )),
    }
}

/// Which field each column holds (`None`: not recognised, ignored).
pub fn recognise(headers: &[String]) -> Vec<Option<&'static str>> {
    headers
        .iter()
        .map(|header| {
            let header = normalize(header);
            COLUMNS
                .iter()
                .find(|(_, names)| names.iter().any(|name| normalize(name) == header))
                .map(|(field, _)| *field)
        })
        .collect()
}

fn kind_of(text: &str) -> Option<TrainingKind> {
    let text = normalize(text);
    if text.is_empty() {
        return None;
    }
    if text == "пк" || text.contains("повышени") {
        Some(TrainingKind::QualificationUpgrade)
    } else if text == "пп" || text.contains("переподготовк") {
        Some(TrainingKind::Retraining)
    } else if text.contains("семинар") {
        Some(TrainingKind::Seminar)
    } else if text.contains("стажировк") {
        Some(TrainingKind::Internship)
    } else if text.starts_with("ино") {
        Some(TrainingKind::Other)
    } else {
        None
    }
}

fn provider_of(text: &str) -> Option<ProviderType> {
    let text = normalize(text);
    if text.starts_with("государствен") {
        Some(ProviderType::State)
    } else if text.starts_with("муниципальн") {
        Some(ProviderType::Municipal)
    } else if text.starts_with("частн") || text.starts_with("негосударствен") {
        Some(ProviderType::Private)
    } else if text.starts_with("ин") {
        Some(ProviderType::Other)
    } else {
        None
    }
}

/// The form of study and whether distance technologies were used.
fn form_of(text: &str) -> Option<(StudyForm, bool)> {
    let text = normalize(text);
    if text.starts_with("очнозаочн") {
        Some((StudyForm::Mixed, false))
    } else if text.starts_with("заочн") {
        Some((StudyForm::PartTime, false))
    } else if text.starts_with("дистанц") || text.starts_with("онлайн") {
        Some((StudyForm::PartTime, true))
    } else if text.contains("сприменениемдот") || text.contains("сдот") {
        Some((StudyForm::FullTime, true))
    } else if text.starts_with("очн") {
        Some((StudyForm::FullTime, false))
    } else {
        None
    }
}

fn yes(text: &str) -> Option<bool> {
    match normalize(text).as_str() {
        "" | "нет" | "н" | "0" | "no" | "false" => Some(false),
        "да" | "д" | "1" | "yes" | "true" | "+" => Some(true),
        _ => None,
    }
}

/// Reads every row of `table` against the kindergarten's `staff`, with the rules' errors of each
/// record (dates in the future against `today`).
/// `store_snils`: the network keeps the recipients' СНИЛС — a СНИЛС column is read (an error at
/// its cell when it is not one); otherwise the column is not read at all.
pub fn read_rows(
    table: &Table,
    staff: &[Person],
    today: NaiveDate,
    store_snils: bool,
) -> Vec<ReadRow> {
    let fields = recognise(&table.headers);
    let column = |field: &str| fields.iter().position(|found| *found == Some(field));
    let header = |index: usize| table.headers.get(index).cloned().unwrap_or_default();
    table
        .rows
        .iter()
        .map(|row| {
            let cell = |field: &str| {
                column(field)
                    .and_then(|index| row.cells.get(index))
                    .map(|text| text.trim().to_owned())
                    .unwrap_or_default()
            };
            let mut errors = Vec::new();
            let mut error = |field: &str, message: String| {
                let index = column(field)
                    .or_else(|| column("full_name"))
                    .or_else(|| column("surname"))
                    .unwrap_or(0);
                errors.push(CellError {
                    line: row.line,
                    column: header(index),
                    message,
                });
            };
            let full_name = match column("full_name") {
                Some(_) => cell("full_name"),
                None => [cell("surname"), cell("name"), cell("patronymic")]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let person = match person_by_name(staff, &full_name) {
                Ok(person) => Some(person),
                Err(message) => {
                    error("full_name", message);
                    None
                }
            };
            let kind = match cell("kind").as_str() {
                "" if column("kind").is_none() || !cell("document_number").is_empty() => {
                    Some(TrainingKind::QualificationUpgrade)
                }
                "" => {
                    error("kind", "укажите вид обучения: ПК, ПП, семинар или стажировка".into());
                    None
                }
                text => kind_of(text).or_else(|| {
                    error(
                        "kind",
                        format!("«{text}» — не вид обучения: укажите ПК, ПП, семинар или стажировка"),
                    );
                    None
                }),
            };
            let provider_type = match cell("provider_type").as_str() {
                "" => Some(ProviderType::Other),
                text => provider_of(text).or_else(|| {
                    error(
                        "provider_type",
                        format!(
                            "«{text}» — не тип организации: государственная, муниципальная, частная или иная"
                        ),
                    );
                    None
                }),
            };
            let hours = match cell("hours").replace(' ', "").parse::<u32>() {
                Ok(hours) => Some(hours),
                Err(_) => {
                    error(
                        "hours",
                        format!("«{}» — не число часов: введите целое число, например 36", cell("hours")),
                    );
                    None
                }
            };
            let mut date = |field: &str, required: bool| {
                let text = cell(field);
                if text.is_empty() {
                    if required {
                        error(field, "введите дату в виде 14.05.2025".into());
                    }
                    return None;
                }
                let parsed = crate::forms::parse_date(&text);
                if parsed.is_none() {
                    error(field, format!("«{text}» — не дата: введите дату в виде 14.05.2025"));
                }
                parsed
            };
            let start = date("starts_on", true);
            let end = date("ends_on", true);
            let enrolled = date("enrolled_on", false);
            let issued = date("issued_on", false);
            let (form, mut distance) = match cell("form").as_str() {
                "" => (Some(StudyForm::FullTime), false),
                text => match form_of(text) {
                    Some((form, distance)) => (Some(form), distance),
                    None => {
                        error(
                            "form",
                            format!("«{text}» — не форма обучения: очная, заочная, очно-заочная или дистанционная"),
                        );
                        (None, false)
                    }
                },
            };
            match yes(&cell("distance")) {
                Some(flag) => distance |= flag,
                None => error("distance", format!("«{}»: напишите «да» или «нет»", cell("distance"))),
            }
            let federal_register = yes(&cell("in_federal_register")).unwrap_or(false);
            let optional = |field: &str| Some(cell(field)).filter(|text| !text.is_empty());
            let record = match (person, kind, provider_type, hours, start, end, form) {
                (Some(person), Some(kind), Some(provider_type), Some(hours), Some(start), Some(end), Some(form)) => {
                    Some((
                        person,
                        TrainingRecord {
                            kind,
                            programme: cell("programme"),
                            provider: cell("provider"),
                            provider_type,
                            federal_register,
                            hours,
                            start,
                            end,
                            enrolled,
                            form,
                            distance,
                            document_number: optional("document_number"),
                            registration_number: optional("registration_number"),
                            issued,
                            areas: Vec::new(),
                        },
                    ))
                }
                _ => None,
            };
            if let Some((_, record)) = &record {
                let context = RecordContext {
                    today,
                    teaches_main_programme: true,
                };
                for problem in validate_record(record, &context) {
                    if problem.severity == Severity::Error {
                        error(field_name(problem.field), problem.message);
                    }
                }
            }
            let snils = match cell("snils").as_str() {
                "" => None,
                _ if !store_snils => None,
                text => match vsoko_development::parse_snils(text) {
                    Ok(snils) => Some(snils),
                    Err(message) => {
                        error("snils", message);
                        None
                    }
                },
            };
            let key = match &record {
                Some((person, record)) => format!(
                    "{person}|{}|{}|{}|{}",
                    record.kind.code(),
                    normalize(&record.programme),
                    record.end,
                    record.document_number.as_deref().unwrap_or("")
                ),
                None => String::new(),
            };
            ReadRow {
                line: row.line,
                cells: row.cells.clone(),
                record: record.filter(|_| errors.is_empty()),
                errors,
                key,
                snils,
            }
        })
        .collect()
}

/// What an import of training records did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct TrainingImport {
    /// Each column of the file: its heading and the field recognised in it (`None`: not used).
    pub columns: Vec<(String, Option<&'static str>)>,
    /// Every row read, with its errors.
    pub rows: Vec<ReadRow>,
    /// Rows that made a new record (in a dry run: that would).
    pub created: usize,
    /// Rows imported before: their records exist, nothing is added.
    pub existing: usize,
    /// Whether anything was written.
    pub written: bool,
    /// The rows in error with what to fix, as a sheet (the file's columns, «Строка», «Что
    /// исправить»).
    pub rejected: Option<vsoko_exchange::Sheet>,
}

impl TrainingImport {
    /// Every cell in error.
    pub fn errors(&self) -> impl Iterator<Item = &CellError> {
        self.rows.iter().flat_map(|row| row.errors.iter())
    }
}

fn rejected_sheet(table: &Table, rows: &[ReadRow]) -> Option<vsoko_exchange::Sheet> {
    use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};
    let bad: Vec<&ReadRow> = rows.iter().filter(|row| !row.errors.is_empty()).collect();
    if bad.is_empty() {
        return None;
    }
    let mut columns: Vec<Column> = table
        .headers
        .iter()
        .map(|header| Column {
            header: header.clone(),
            kind: ColumnKind::Text,
        })
        .collect();
    for header in ["Строка", "Что исправить"] {
        columns.push(Column {
            header: header.to_owned(),
            kind: ColumnKind::Text,
        });
    }
    let width = table.headers.len();
    Some(Sheet {
        name: "Исправить".to_owned(),
        columns,
        rows: bad
            .into_iter()
            .map(|row| {
                let mut cells: Vec<Cell> = (0..width)
                    .map(|index| Cell::Text(row.cells.get(index).cloned().unwrap_or_default()))
                    .collect();
                cells.push(Cell::Text(row.line.to_string()));
                cells.push(Cell::Text(
                    row.errors
                        .iter()
                        .map(|error| format!("{}: {}", error.column, error.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ));
                cells
            })
            .collect(),
    })
}

impl crate::App {
    /// Training records of a kindergarten's staff from a file (its head, the department): a dry
    /// run unless `commit`; with errors nothing is written unless `skip_errors`, and then the
    /// rows without errors are and the others come back as a sheet to fix.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_training(
        &self,
        principal: &crate::Principal,
        kindergarten: vsoko_domain::KindergartenId,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
        skip_errors: bool,
        today: NaiveDate,
    ) -> crate::error::AppResult<TrainingImport> {
        let unit = self.kindergarten(principal, kindergarten).await?;
        principal.check_manage_training(&unit)?;
        let table = vsoko_exchange::read_table(bytes, file_name).map_err(|error| {
            crate::error::AppError::invalid("file", "unreadable", error.to_string())
        })?;
        let found = recognise(&table.headers);
        let has = |field: &str| found.contains(&Some(field));
        let missing: Vec<&str> = [
            ("programme", "Программа"),
            ("provider", "Организация"),
            ("hours", "Часы"),
            ("starts_on", "Дата начала"),
            ("ends_on", "Дата окончания"),
        ]
        .into_iter()
        .filter(|(field, _)| !has(field))
        .map(|(_, heading)| heading)
        .chain((!has("full_name") && !has("surname")).then_some("ФИО"))
        .collect();
        if !missing.is_empty() {
            return Err(crate::error::AppError::invalid(
                "file",
                "missing_column",
                format!(
                    "в файле нет столбцов: {} — добавьте их (заголовок в первой строке) и загрузите файл снова",
                    missing
                        .iter()
                        .map(|heading| format!("«{heading}»"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let staff = self.store.people(unit.id).await?;
        let network = self.store.network(unit.network_id).await?;
        let rows = read_rows(&table, &staff, today, network.store_snils);
        // A СНИЛС column the network does not keep is shown as not used: nothing of it is read.
        let found: Vec<Option<&'static str>> = recognise(&table.headers)
            .into_iter()
            .map(|field| field.filter(|field| *field != "snils" || network.store_snils))
            .collect();
        let has_errors = rows.iter().any(|row| !row.errors.is_empty());
        let write = commit && (!has_errors || skip_errors);
        let mut created = 0;
        let mut existing = 0;
        let good: Vec<vsoko_storage::NewTrainingRecord<'_>> = rows
            .iter()
            .filter_map(|row| {
                row.record
                    .as_ref()
                    .map(|(person, record)| vsoko_storage::NewTrainingRecord {
                        person_id: *person,
                        record,
                        import_key: Some(&row.key),
                        snils: row.snils.as_deref(),
                    })
            })
            .collect();
        if write {
            // One transaction: a file is imported whole (its good rows) or not at all.
            for (_, new) in self
                .store
                .add_training_records(principal.user.id, &good)
                .await?
            {
                if new {
                    created += 1;
                } else {
                    existing += 1;
                }
            }
        } else {
            for new in &good {
                if self
                    .store
                    .has_training_import_key(unit.network_id, new.import_key.unwrap_or_default())
                    .await?
                {
                    existing += 1;
                } else {
                    created += 1;
                }
            }
        }
        Ok(TrainingImport {
            columns: table.headers.iter().cloned().zip(found).collect(),
            rejected: rejected_sheet(&table, &rows),
            rows,
            created,
            existing,
            written: write,
        })
    }
}
