//! Reports and raw submissions as files that open correctly in Russian Excel (XLSX, CSV-RU): the
//! same files for the API's `?format=`, `vsoko export` and the web pages' downloads. One shape per
//! report: the sheets of [`report_sheets`], written by [`FileFormat::write`].

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use vsoko_checklist::RawAnswer;
use vsoko_exchange::{Cell, Column, ColumnKind, RawSubmission, Sheet, raw_submissions_sheet};
use vsoko_scoring::NodeKind;
use vsoko_storage::{RespondentRef, Scope, SubjectRef, Submission, SubmissionFilter};

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf};
use crate::spravka::NO_DATA;
use crate::{App, Principal};
use vsoko_domain::{KindergartenId, NetworkId};

/// A file format for reports and raw data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// XLSX: one sheet per table, frozen Russian header, number formats.
    Xlsx,
    /// CSV for programs: UTF-8, `,`, decimal dot.
    Csv,
    /// CSV for Russian Excel: UTF-8 with BOM, `;`, CRLF, optional decimal comma.
    CsvRu {
        /// Write `85,5` instead of `85.5`.
        decimal_comma: bool,
    },
}

impl FileFormat {
    /// `xlsx`, `csv`, `csv-ru`; `None` for anything else.
    pub fn parse(text: &str, decimal_comma: bool) -> Option<FileFormat> {
        match text {
            "xlsx" => Some(FileFormat::Xlsx),
            "csv" => Some(FileFormat::Csv),
            "csv-ru" => Some(FileFormat::CsvRu { decimal_comma }),
            _ => None,
        }
    }

    /// The Content-Type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Csv | FileFormat::CsvRu { .. } => "text/csv; charset=utf-8",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv | FileFormat::CsvRu { .. } => "csv",
        }
    }

    /// Writes the sheets: XLSX keeps them all, CSV has one table, so the sheets are written one
    /// after another separated by an empty line (the first is the main table).
    pub fn write(self, sheets: &[Sheet]) -> AppResult<Vec<u8>> {
        let export = AppError::from;
        match self {
            FileFormat::Xlsx => vsoko_exchange::write_xlsx(sheets).map_err(export),
            FileFormat::Csv | FileFormat::CsvRu { .. } => {
                let mut out = Vec::new();
                for (index, sheet) in sheets.iter().enumerate() {
                    let mut bytes = match self {
                        FileFormat::CsvRu { decimal_comma } => {
                            vsoko_exchange::write_csv_ru(sheet, decimal_comma).map_err(export)?
                        }
                        _ => vsoko_exchange::write_csv(sheet).map_err(export)?,
                    };
                    if index > 0 {
                        // One BOM at the start of the file only.
                        if bytes.starts_with(b"\xEF\xBB\xBF") {
                            bytes.drain(..3);
                        }
                        out.extend_from_slice(match self {
                            FileFormat::CsvRu { .. } => b"\r\n",
                            _ => b"\n",
                        });
                    }
                    out.extend_from_slice(&bytes);
                }
                Ok(out)
            }
        }
    }
}

fn percent() -> ColumnKind {
    ColumnKind::Float { decimals: 1 }
}

fn yes_no(flag: bool) -> Cell {
    Cell::from(if flag { "да" } else { "нет" })
}

/// The tables of a report, with Russian headers: the areas and indicators, then the teachers or
/// the kindergartens when the report has them.
pub fn report_sheets(report: &Report) -> Vec<Sheet> {
    let dynamics = report.compare_period.is_some();
    let network = report.of == ReportOf::Network;
    let mut columns = vec![
        Column::new("Уровень", ColumnKind::Text),
        Column::new("Код", ColumnKind::Text),
        Column::new("Наименование", ColumnKind::Text),
        Column::new("Балл, %", percent()),
        Column::new("Уровень (код)", ColumnKind::Text),
        Column::new("Уровень (название)", ColumnKind::Text),
        Column::new("Число анкет", ColumnKind::Integer),
        Column::new("Дефицит", ColumnKind::Text),
        Column::new("Критично", ColumnKind::Text),
    ];
    let several = !matches!(report.of, ReportOf::Teacher(_));
    if several {
        columns.push(Column::new("Оценено", ColumnKind::Integer));
        columns.push(Column::new("Из них ниже порога", ColumnKind::Integer));
    }
    if network {
        columns.push(Column::new("Балл по всем анкетам, %", percent()));
    }
    if dynamics {
        columns.push(Column::new("Балл в периоде сравнения, %", percent()));
        columns.push(Column::new("Изменение, п. п.", percent()));
        columns.push(Column::new("Снижение", ColumnKind::Text));
        columns.push(Column::new("Сопоставимость", ColumnKind::Text));
    }
    let kind = |kind: NodeKind| {
        match kind {
            NodeKind::Total => "итог",
            NodeKind::Area => "область",
            NodeKind::Indicator => "показатель",
            NodeKind::Variable => "вариативная часть",
        }
        .to_owned()
    };
    let rows: Vec<Vec<Cell>> = report
        .rows()
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::from(kind(row.kind)),
                Cell::from(row.code.clone()),
                Cell::from(row.title.clone()),
                Cell::from(row.score),
                Cell::from(row.level.as_ref().map(|level| level.code.clone())),
                Cell::from(match (&row.level, report.body.min_respondents) {
                    (_, Some(k)) if row.suppressed => Some(format!("менее {k} ответов")),
                    (level, _) => level.as_ref().map(|level| level.name.clone()),
                }),
                Cell::Number(f64::from(row.n)),
                yes_no(row.deficit),
                yes_no(row.critical),
            ];
            if several {
                cells.push(Cell::Number(f64::from(row.subjects_scored)));
                cells.push(Cell::Number(f64::from(row.subjects_below)));
            }
            if network {
                cells.push(Cell::from(row.pooled_score));
            }
            if dynamics {
                cells.push(Cell::from(row.before));
                cells.push(Cell::from(row.delta));
                cells.push(yes_no(row.drop));
                cells.push(Cell::from(
                    match row.comparable {
                        Some(false) => "нет сопоставимых данных",
                        _ if row.before.is_none() => "недостаточно данных",
                        _ => "сопоставимо",
                    }
                    .to_owned(),
                ));
            }
            cells
        })
        .collect();
    // An open period says so in every row of the main table, where a file read months later
    // still shows it.
    let (columns, rows) = if report.period_open {
        let mut columns = columns;
        columns.push(Column::new("Полнота данных", ColumnKind::Text));
        let rows = rows
            .into_iter()
            .map(|mut cells: Vec<Cell>| {
                cells.push(Cell::from(crate::spravka::PERIOD_OPEN));
                cells
            })
            .collect();
        (columns, rows)
    } else {
        (columns, rows)
    };
    let mut sheets = vec![Sheet {
        name: "Показатели".into(),
        columns,
        rows,
    }];
    if !report.teachers.is_empty() {
        sheets.push(Sheet {
            name: "Педагоги".into(),
            columns: vec![
                Column::new("ФИО", ColumnKind::Text),
                Column::new("Балл, %", percent()),
                Column::new("Уровень", ColumnKind::Text),
                Column::new("Число анкет", ColumnKind::Integer),
                Column::new("Дефицит", ColumnKind::Text),
            ],
            rows: report
                .teachers
                .iter()
                .map(|teacher| {
                    vec![
                        Cell::from(teacher.full_name.clone()),
                        Cell::from(teacher.row.score),
                        Cell::from(teacher.row.level.as_ref().map(|level| level.name.clone())),
                        Cell::Number(f64::from(teacher.row.n)),
                        yes_no(teacher.row.deficit),
                    ]
                })
                .collect(),
        });
    }
    if !report.items.is_empty() {
        sheets.push(Sheet {
            name: "Пункты".into(),
            columns: vec![
                Column::new("Код", ColumnKind::Text),
                Column::new("Пункт", ColumnKind::Text),
                Column::new("В оценке", ColumnKind::Text),
                Column::new("Ответов", ColumnKind::Integer),
                Column::new("«Не применимо»", ColumnKind::Integer),
                Column::new("Без ответа", ColumnKind::Integer),
                Column::new("Доля «Не применимо», %", percent()),
            ],
            rows: report
                .items
                .iter()
                .map(|item| {
                    vec![
                        Cell::from(item.code.clone()),
                        Cell::from(item.text.clone()),
                        yes_no(item.scored),
                        Cell::Number(f64::from(item.answered)),
                        Cell::Number(f64::from(item.not_applicable)),
                        Cell::Number(f64::from(item.missing)),
                        Cell::from(item.na_share.map(|share| share * 100.0)),
                    ]
                })
                .collect(),
        });
    }
    if !report.kindergartens.is_empty() {
        let mut columns = vec![
            Column::new("Место", ColumnKind::Integer),
            Column::new("Детский сад", ColumnKind::Text),
            Column::new("Балл, %", percent()),
            Column::new("Уровень", ColumnKind::Text),
            Column::new("Число анкет", ColumnKind::Integer),
        ];
        if dynamics {
            columns.push(Column::new("Изменение, п. п.", percent()));
        }
        sheets.push(Sheet {
            name: "Детские сады".into(),
            columns,
            rows: report
                .kindergartens
                .iter()
                .map(|line| {
                    let row = &line.row;
                    let mut cells = vec![
                        row.rank
                            .map_or(Cell::Empty, |rank| Cell::Number(f64::from(rank))),
                        Cell::from(line.short_name.clone()),
                        Cell::Number(row.score),
                        Cell::from(
                            row.level
                                .as_ref()
                                .map_or_else(|| NO_DATA.to_owned(), |level| level.name.clone()),
                        ),
                        Cell::Number(f64::from(row.n)),
                    ];
                    if dynamics {
                        cells.push(Cell::from(row.delta));
                    }
                    cells
                })
                .collect(),
        });
    }
    sheets
}

/// A file name for a report: `vsoko-<scope>-<instrument>-<period>.<ext>`.
pub fn report_file_name(report: &Report, format: FileFormat) -> String {
    format!(
        "vsoko-{}-{}-{}.{}",
        report.scope(),
        report.instrument.code(),
        report.period,
        format.extension()
    )
}

/// What raw data to export.
#[derive(Debug, Clone)]
pub struct RawQuery {
    /// One kindergarten of the caller's unit (default: the whole unit).
    pub kindergarten: Option<KindergartenId>,
    /// The period code.
    pub period: String,
    /// The instrument code; every version is exported unless `version` is given.
    pub instrument: String,
    /// Only this version.
    pub version: Option<u32>,
    /// Superseded revisions too (default: the latest revision of each submission).
    pub all_revisions: bool,
}

impl App {
    /// The raw submissions of the caller's unit (heads: their kindergarten; managers, admins: the
    /// network) in long format: one row per answer with instrument version and revision; answers
    /// to items that later versions dropped are kept.
    pub async fn raw_export(&self, principal: &Principal, query: &RawQuery) -> AppResult<Sheet> {
        let target = match query.kindergarten {
            Some(id) => Some(self.store.kindergarten(id).await?),
            None => None,
        };
        let scope = principal.check_raw_export(target.as_ref())?;
        raw_sheet(self, principal.network_id(), scope, query).await
    }
}

async fn raw_sheet(
    app: &App,
    network_id: NetworkId,
    scope: Scope,
    query: &RawQuery,
) -> AppResult<Sheet> {
    let store = &app.store;
    let period = store
        .period_by_code(network_id, &query.period)
        .await
        .map_err(AppError::from)
        .map_err(AppError::reference(
            "period",
            format!("unknown period {}", query.period),
        ))?;
    let versions: Vec<_> = store
        .instruments()
        .await?
        .into_iter()
        .filter(|summary| summary.instrument.code.as_str() == query.instrument)
        .filter(|summary| {
            query
                .version
                .is_none_or(|version| summary.instrument.version == version)
        })
        .collect();
    if versions.is_empty() {
        return Err(AppError::invalid(
            "instrument",
            "unknown",
            "unknown instrument or version",
        ));
    }
    let mut submissions: Vec<Submission> = Vec::new();
    for summary in &versions {
        let filter = SubmissionFilter {
            scope: Some(scope),
            period_id: Some(period.id),
            instrument_id: Some(summary.id),
            include_superseded: query.all_revisions,
            ..SubmissionFilter::default()
        };
        submissions.extend(crate::submissions::every(store, &filter).await?);
    }
    submissions.sort_by_key(|submission| (submission.root_id, submission.revision));

    let mut kindergartens = HashMap::new();
    for kindergarten in store.kindergartens(Scope::Network(network_id)).await? {
        kindergartens.insert(kindergarten.id, kindergarten);
    }
    let mut people = HashMap::new();
    let mut groups = HashMap::new();
    let mut logins = HashMap::new();
    for user in store.users(Scope::Network(network_id)).await? {
        logins.insert(user.id, user.login);
    }
    let mut instruments = HashMap::new();
    let mut details = Vec::with_capacity(submissions.len());
    for submission in &submissions {
        let kindergarten_id = submission.kindergarten_id;
        if let Entry::Vacant(entry) = people.entry(kindergarten_id) {
            entry.insert(
                store
                    .people(kindergarten_id)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p.full_name))
                    .collect::<HashMap<_, _>>(),
            );
            groups.insert(
                kindergarten_id,
                store
                    .groups(kindergarten_id)
                    .await?
                    .into_iter()
                    .map(|g| (g.id, g.name))
                    .collect::<HashMap<_, _>>(),
            );
        }
        if let Entry::Vacant(entry) = instruments.entry(submission.instrument_id) {
            entry.insert(
                app.instrument_by_id(submission.instrument_id)
                    .await?
                    .instrument,
            );
        }
        let detail = store.get_submission(submission.id).await?;
        let instrument = &instruments[&submission.instrument_id];
        let sheet = instrument
            .validate_answers(detail.answers.into_iter().map(|answer| RawAnswer {
                item: answer.item,
                value: answer.value,
                comment: answer.comment,
            }))
            .map_err(|error| {
                AppError::unexpected(format!(
                    "stored answers of submission {}: {error}",
                    submission.id
                ))
            })?;
        let kindergarten = kindergartens
            .get(&kindergarten_id)
            .map(|kindergarten| kindergarten.short_name.clone())
            .unwrap_or_default();
        let subject = match submission.subject {
            SubjectRef::Teacher(id) => people[&kindergarten_id]
                .get(&id)
                .cloned()
                .unwrap_or_default(),
            SubjectRef::Group(id) => groups[&kindergarten_id]
                .get(&id)
                .cloned()
                .unwrap_or_default(),
            SubjectRef::Kindergarten(_) => kindergarten.clone(),
        };
        // Who answered: the person by name, an account by login, a name as an import gave it,
        // nobody for an answer through a survey link.
        let respondent = match submission
            .respondent
            .as_deref()
            .and_then(RespondentRef::parse)
        {
            Some(RespondentRef::Person(id)) => people[&kindergarten_id].get(&id).cloned(),
            Some(RespondentRef::Named(name)) => Some(name),
            Some(RespondentRef::Link(_)) => Some("анонимно, по ссылке".to_owned()),
            _ => None,
        }
        .or_else(|| logins.get(&submission.author_user_id).cloned())
        .unwrap_or_default();
        details.push((submission, sheet, kindergarten, respondent, subject));
    }
    Ok(raw_submissions_sheet(
        "Ответы",
        details
            .iter()
            .map(
                |(submission, answers, kindergarten, respondent, subject)| RawSubmission {
                    submission_id: submission.id.get(),
                    revision: submission.revision,
                    instrument: &instruments[&submission.instrument_id],
                    period: &period.code,
                    kindergarten,
                    respondent,
                    email: submission.respondent_email.as_deref(),
                    subject,
                    answers,
                },
            ),
    ))
}
