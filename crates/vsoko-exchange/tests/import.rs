//! Import: reading real-looking exports, suggesting a profile, and the dry run with every problem
//! located by line and column.

mod common;

use common::{fixture, fixture_bytes, survey};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use vsoko_checklist::{AnswerValue, parse_toml};
use vsoko_exchange::{
    ExchangeError, ImportError, MappingProfile, RowOutcome, SkipReason, SourceFormat, TextEncoding,
    plan_import, read_table, suggest_profile,
};

const Q1: &str = "1. Информирую родителей о жизни группы через официальные каналы детского сада";
const Q2: &str = "2. Использую интерактивную доску на занятиях?";
const Q3: &str = "3. Сколько часов в месяц вы тратите на самообразование?";
const Q4: &str = "4. Елочные игрушки изготавливаем вместе с детьми";

fn google_profile() -> MappingProfile {
    let json = String::from_utf8(fixture_bytes("profile-google.json")).unwrap();
    MappingProfile::from_json(&json).unwrap_or_else(|error| panic!("{error}"))
}

fn value(outcome: &RowOutcome, item: &str) -> Option<AnswerValue> {
    match outcome {
        RowOutcome::Create(planned) => planned.answers.get(item).map(|answer| answer.value),
        other => panic!("expected a created row, got {other:?}"),
    }
}

fn only_error(outcome: &RowOutcome) -> &ImportError {
    match outcome {
        RowOutcome::Error { errors, .. } if errors.len() == 1 => &errors[0],
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn a_google_forms_export_is_read_with_lines_and_detected_format() {
    let table = fixture("google-forms.csv");
    assert_eq!(
        table.source,
        SourceFormat::Csv {
            encoding: TextEncoding::Utf8,
            separator: b','
        }
    );
    assert_eq!(table.header_line, 1);
    assert_eq!(table.headers.len(), 8);
    assert_eq!(table.headers[0], "Отметка времени");
    assert_eq!(table.headers[3], Q1);
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[1].line, 3);
    assert_eq!(table.rows[1].cells[7], "Больше курсов по ИКТ, пожалуйста");
}

#[test]
fn suggest_profile_matches_a_google_forms_export_completely() {
    let table = fixture("google-forms.csv");
    let (profile, unmatched) = suggest_profile(&survey(), &table);
    assert_eq!(
        profile.respondent_column.as_deref(),
        Some("Адрес электронной почты")
    );
    assert_eq!(profile.kindergarten_column.as_deref(), Some("Детский сад"));
    assert_eq!(profile.timestamp_column.as_deref(), Some("Отметка времени"));
    let mapped: Vec<(&str, &str)> = profile
        .items
        .iter()
        .map(|m| (m.column.as_str(), m.item.as_str()))
        .collect();
    assert_eq!(
        mapped,
        [(Q1, "Q.1.1"), (Q2, "Q.1.2"), (Q3, "Q.2.1"), (Q4, "Q.2.2")],
        "numbering prefixes, trailing «?» and «ё»/«е» do not matter"
    );
    assert_eq!(unmatched.columns, ["Что бы вы хотели добавить?"]);
    assert!(unmatched.items.is_empty());
    // «Полностью согласен!» is the option «Полностью согласен» ignoring punctuation.
    assert!(unmatched.labels.is_empty(), "{unmatched}");
}

#[test]
fn unmatched_items_and_labels_are_listed_with_column_and_lines() {
    let table = fixture("broken-unknown-label.csv");
    let (_, unmatched) = suggest_profile(&survey(), &table);
    assert_eq!(unmatched.labels.len(), 1);
    let label = &unmatched.labels[0];
    assert_eq!(label.column, Q2);
    assert_eq!(label.item, "Q.1.2");
    assert_eq!(label.label, "Иногда");
    assert_eq!(label.lines, [3]);

    let table = fixture("broken-missing-column.csv");
    let (_, unmatched) = suggest_profile(&survey(), &table);
    assert_eq!(unmatched.items.len(), 1);
    assert_eq!(unmatched.items[0].item, "Q.1.2");
    assert!(unmatched.items[0].required);
    assert_eq!(
        unmatched.to_string(),
        "Столбцы без сопоставления (1):\n  «Что бы вы хотели добавить?»\n\
         Пункты инструмента без столбца (1):\n  Q.1.2 «Использую интерактивную доску на занятиях» (обязательный)\n"
    );
}

#[test]
fn a_clean_google_forms_export_plans_one_submission_per_row() {
    let plan = plan_import(&survey(), &google_profile(), &fixture("google-forms.csv")).unwrap();
    assert!(plan.is_clean(), "{plan}");
    assert_eq!(plan.counts().create, 3);
    let created: Vec<_> = plan.creates().collect();
    assert_eq!(created[0].respondent.as_deref(), Some("ivanova@ds5.ru"));
    assert_eq!(created[0].kindergarten, "Детский сад № 5");
    assert_eq!(
        created[0].timestamp.as_deref(),
        Some("2025-09-15T10:23:45+03:00")
    );
    assert_eq!(
        created[1].timestamp.as_deref(),
        Some("2025-09-15T13:05:10+03:00")
    );
    assert_eq!(value(&plan.rows[0], "Q.1.1"), Some(AnswerValue::Value(4.0)));
    assert_eq!(value(&plan.rows[0], "Q.1.2"), Some(AnswerValue::Value(3.0)));
    assert_eq!(
        value(&plan.rows[0], "Q.2.1"),
        Some(AnswerValue::Value(12.0))
    );
    assert_eq!(value(&plan.rows[0], "Q.2.2"), Some(AnswerValue::Value(1.0)));
    assert_eq!(
        value(&plan.rows[1], "Q.1.2"),
        Some(AnswerValue::NotApplicable)
    );
    assert_eq!(value(&plan.rows[1], "Q.2.1"), None, "optional and empty");
    assert_eq!(
        created[1]
            .answers
            .get("Q.2.2")
            .and_then(|a| a.comment.as_deref()),
        Some("Больше курсов по ИКТ, пожалуйста")
    );
    assert_eq!(
        value(&plan.rows[2], "Q.2.1"),
        Some(AnswerValue::Value(7.5)),
        "decimal comma"
    );
    assert_eq!(created[0].row_hash.len(), 64);
    assert!(
        plan.to_string()
            .contains("Будет создано: 3, пропущено: 0, с ошибками: 0.")
    );
}

#[test]
fn importing_the_same_file_again_yields_the_same_keys() {
    let first = plan_import(&survey(), &google_profile(), &fixture("google-forms.csv")).unwrap();
    // The same answers re-exported as XLSX-like text with other timestamps and spacing.
    let text = String::from_utf8(fixture_bytes("google-forms.csv"))
        .unwrap()
        .replace("2025/09/15", "2025/09/20")
        .replace("\"Полностью согласен\"", "\"  полностью СОГЛАСЕН \"");
    let table = read_table(text.as_bytes(), "again.csv").unwrap();
    let second = plan_import(&survey(), &google_profile(), &table).unwrap();
    let keys = |plan: &vsoko_exchange::ImportPlan| -> Vec<String> {
        plan.creates()
            .map(|p| p.idempotency_key("2025-09"))
            .collect()
    };
    assert_eq!(keys(&first), keys(&second));
    let hashes: std::collections::BTreeSet<_> = first.creates().map(|p| &p.row_hash).collect();
    assert_eq!(hashes.len(), 3, "rows differ, so do their hashes");
    let other_period: Vec<String> = first
        .creates()
        .map(|p| p.idempotency_key("2026-05"))
        .collect();
    assert_ne!(keys(&first), other_period);
}

#[test]
fn an_unknown_label_is_an_error_at_its_line_and_column() {
    let plan = plan_import(
        &survey(),
        &google_profile(),
        &fixture("broken-unknown-label.csv"),
    )
    .unwrap();
    assert!(!plan.is_clean());
    assert_eq!(plan.counts().create, 2);
    assert_eq!(plan.counts().error, 1);
    let error = only_error(&plan.rows[1]);
    assert_eq!(error.line, 3);
    assert_eq!(error.column.as_deref(), Some(Q2));
    assert_eq!(
        error.reason,
        "неизвестный вариант ответа «Иногда» для пункта Q.1.2; допустимые варианты: «Не согласен», \
         «Скорее не согласен», «Скорее согласен», «Полностью согласен», «Не применимо»; другой вариант \
         сопоставьте значению шкалы в профиле импорта"
    );
    let report = plan.to_string();
    assert!(
        report.contains(&format!(
            "строка 3, столбец «{Q2}»: неизвестный вариант ответа «Иногда»"
        )),
        "{report}"
    );
    assert!(report.contains("Импорт не выполнен"), "{report}");
}

#[test]
fn a_label_recoded_in_the_profile_is_accepted() {
    let mut profile = google_profile();
    profile
        .item_labels
        .entry("Q.1.2".to_owned())
        .or_default()
        .insert("иногда".to_owned(), 2.0);
    let plan = plan_import(&survey(), &profile, &fixture("broken-unknown-label.csv")).unwrap();
    assert!(plan.is_clean(), "{plan}");
    assert_eq!(value(&plan.rows[1], "Q.1.2"), Some(AnswerValue::Value(2.0)));
}

#[test]
fn a_missing_column_is_a_header_error_and_blocks_every_row() {
    let plan = plan_import(
        &survey(),
        &google_profile(),
        &fixture("broken-missing-column.csv"),
    )
    .unwrap();
    assert!(!plan.is_clean());
    assert_eq!(
        plan.file_errors,
        [ImportError {
            line: 1,
            column: Some(Q2.to_owned()),
            reason: format!(
                "в файле нет столбца «{Q2}» (пункт Q.1.2); проверьте, что выгружена та же форма, или измените профиль импорта"
            ),
        }]
    );
    assert_eq!(plan.counts().error, 3);
    assert!(
        plan.rows
            .iter()
            .all(|row| matches!(row, RowOutcome::Error { errors, .. } if errors.is_empty())),
        "rows are blocked without repeating the header error: {:?}",
        plan.rows
    );
    let report = plan.to_string();
    assert!(report.contains("Ошибки в заголовке файла:"), "{report}");
    assert!(
        report.contains("Ещё строк, которые нельзя импортировать из-за ошибок в заголовке: 3."),
        "{report}"
    );
}

#[test]
fn a_duplicate_respondent_keeps_the_later_answer() {
    let plan = plan_import(
        &survey(),
        &google_profile(),
        &fixture("broken-duplicate-respondent.csv"),
    )
    .unwrap();
    assert!(
        plan.is_clean(),
        "a duplicate is a skip, not an error: {plan}"
    );
    assert_eq!(plan.counts().create, 3);
    assert_eq!(plan.counts().skip, 1);
    match &plan.rows[0] {
        RowOutcome::Skip {
            line,
            respondent,
            reason,
        } => {
            assert_eq!(*line, 2);
            assert_eq!(respondent.as_deref(), Some("ivanova@ds5.ru"));
            assert_eq!(*reason, SkipReason::DuplicateRespondent { kept_line: 5 });
        }
        other => panic!("expected a skip, got {other:?}"),
    }
    assert_eq!(
        value(&plan.rows[3], "Q.2.1"),
        Some(AnswerValue::Value(14.0))
    );
    assert!(plan.to_string().contains(
        "строка 2: повторный ответ респондента «ivanova@ds5.ru»; импортируется более поздний ответ из строки 5"
    ));
}

#[test]
fn a_truncated_row_is_reported_with_the_first_missing_column() {
    let plan = plan_import(
        &survey(),
        &google_profile(),
        &fixture("broken-truncated-row.csv"),
    )
    .unwrap();
    assert_eq!(plan.counts().create, 2);
    let error = only_error(&plan.rows[2]);
    assert_eq!(error.line, 4);
    assert_eq!(error.column.as_deref(), Some(Q2));
    assert_eq!(
        error.reason,
        format!(
            "строка обрезана: 4 ячеек из 8, нет значений начиная со столбца «{Q2}»; проверьте, что файл выгружен полностью"
        )
    );
}

#[test]
fn a_windows_1251_file_from_russian_excel_is_decoded() {
    let table = fixture("excel-1251.csv");
    assert_eq!(
        table.source,
        SourceFormat::Csv {
            encoding: TextEncoding::Windows1251,
            separator: b';'
        }
    );
    assert_eq!(table.headers[1], "ФИО");
    assert_eq!(
        table.headers[6],
        "Ёлочные игрушки изготавливаем вместе с детьми"
    );
    assert_eq!(table.rows[0].cells[1], "Иванова Анна Петровна");
    assert_eq!(
        table.rows[1].line, 3,
        "CRLF lines are counted as the user sees them"
    );

    let (profile, unmatched) = suggest_profile(&survey(), &table);
    assert!(unmatched.is_empty(), "{unmatched}");
    assert_eq!(profile.respondent_column.as_deref(), Some("ФИО"));
    let plan = plan_import(&survey(), &profile, &table).unwrap();
    assert!(plan.is_clean(), "{plan}");
    assert_eq!(
        value(&plan.rows[0], "Q.2.1"),
        Some(AnswerValue::Value(12.5))
    );
    assert_eq!(value(&plan.rows[1], "Q.2.1"), Some(AnswerValue::Value(0.0)));
    let created: Vec<_> = plan.creates().collect();
    assert_eq!(created[0].timestamp.as_deref(), Some("2025-09-15T10:23:00"));
}

#[test]
fn a_semicolon_utf8_bom_file_from_excel_keeps_quoted_separators() {
    let table = fixture("excel-utf8-bom.csv");
    assert_eq!(
        table.source,
        SourceFormat::Csv {
            encoding: TextEncoding::Utf8Bom,
            separator: b';'
        }
    );
    assert_eq!(
        table.headers[0], "Отметка времени",
        "the BOM is not part of a header"
    );
    assert_eq!(table.rows[0].line, 2);
    assert_eq!(table.rows[0].cells[1], "Иванова Анна Петровна; воспитатель");
    assert_eq!(table.rows[0].cells.len(), 7);
}

#[test]
fn a_yandex_forms_xlsx_export_is_read_and_planned() {
    // Yandex Forms: «ID», «Время создания» as a date cell, question texts; one question is a grid
    // row exported Google-style with the row in brackets; the hours answer is a number cell.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        "ID",
        "Время создания",
        "Ваш адрес электронной почты",
        "Информирую родителей о жизни группы через официальные каналы детского сада",
        "Оцените утверждения [Использую интерактивную доску на занятиях]",
        "Сколько часов в месяц вы тратите на самообразование?",
        "Ёлочные игрушки изготавливаем вместе с детьми",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    let rows = [
        (
            1_837_201.0,
            "2025-09-15 10:23:45",
            "ivanova@ds5.ru",
            "Полностью согласен",
            "Скорее согласен",
            12.0,
            "Да",
        ),
        (
            1_837_202.0,
            "2025-09-16 08:00:00",
            "petrov@ds5.ru",
            "Не согласен",
            "Не применимо",
            250.0,
            "Нет",
        ),
    ];
    for (index, (id, time, email, q1, q2, hours, q4)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number(row, 0, *id).unwrap();
        let time = ExcelDateTime::parse_from_str(time).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &time, &date)
            .unwrap();
        sheet.write_string(row, 2, *email).unwrap();
        sheet.write_string(row, 3, *q1).unwrap();
        sheet.write_string(row, 4, *q2).unwrap();
        sheet.write_number(row, 5, *hours).unwrap();
        sheet.write_string(row, 6, *q4).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();

    let table = read_table(&bytes, "yandex-forms.xlsx").unwrap();
    assert_eq!(table.source, SourceFormat::Spreadsheet);
    assert_eq!(table.headers, headers);
    assert_eq!(
        table.rows[0].cells,
        [
            "1837201",
            "2025-09-15 10:23:45",
            "ivanova@ds5.ru",
            "Полностью согласен",
            "Скорее согласен",
            "12",
            "Да"
        ]
    );
    assert_eq!(table.rows[1].line, 3);

    let (mut profile, unmatched) = suggest_profile(&survey(), &table);
    assert_eq!(unmatched.columns, ["ID"]);
    assert!(unmatched.items.is_empty(), "{unmatched}");
    assert_eq!(
        profile.respondent_column.as_deref(),
        Some("Ваш адрес электронной почты")
    );
    assert_eq!(profile.timestamp_column.as_deref(), Some("Время создания"));
    assert_eq!(profile.kindergarten_column, None);
    profile.kindergarten = Some("Детский сад № 5".to_owned());

    let plan = plan_import(&survey(), &profile, &table).unwrap();
    let created: Vec<_> = plan.creates().collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].timestamp.as_deref(), Some("2025-09-15T10:23:45"));
    assert_eq!(created[0].kindergarten, "Детский сад № 5");
    let error = only_error(&plan.rows[1]);
    assert_eq!(error.line, 3);
    assert_eq!(error.column.as_deref(), Some(headers[5]));
    assert_eq!(
        error.reason,
        "пункт «Q.2.1»: значение 250 вне допустимого диапазона; допустимо от 0 до 200"
    );
}

#[test]
fn a_profile_for_another_instrument_or_with_unknown_items_is_refused() {
    let mut profile = google_profile();
    profile.version = 2;
    let error = plan_import(&survey(), &profile, &fixture("google-forms.csv")).unwrap_err();
    assert!(matches!(
        error,
        ExchangeError::ProfileInstrumentMismatch { .. }
    ));
    assert_eq!(
        error.to_string(),
        "профиль импорта составлен для инструмента survey-test@2, а импорт выполняется в survey-test@1; выберите подходящий профиль"
    );

    let mut profile = google_profile();
    profile.items[0].item = "Q.9.9".to_owned();
    profile.kindergarten = Some("Детский сад № 5".to_owned());
    match plan_import(&survey(), &profile, &fixture("google-forms.csv")).unwrap_err() {
        ExchangeError::InvalidProfile { problems } => assert_eq!(
            problems,
            [
                "детский сад указан и столбцом, и значением для всего файла; оставьте одно",
                &format!(
                    "столбец «{Q1}» сопоставлен пункту «Q.9.9», которого нет в инструменте survey-test@1"
                ),
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_profile_survives_a_json_round_trip() {
    let profile = google_profile();
    let again = MappingProfile::from_json(&profile.to_json()).unwrap();
    assert_eq!(profile, again);
    assert!(matches!(
        MappingProfile::from_json(r#"{"instrument": "x", "version": 1, "colums": []}"#),
        Err(ExchangeError::ProfileJson(_))
    ));
}

#[test]
fn empty_rows_are_skipped_and_an_empty_file_is_refused() {
    let text = String::from_utf8(fixture_bytes("google-forms.csv")).unwrap() + ",,,,,,,\n";
    let table = read_table(text.as_bytes(), "with-blank.csv").unwrap();
    let plan = plan_import(&survey(), &google_profile(), &table).unwrap();
    assert!(plan.is_clean(), "{plan}");
    assert!(matches!(
        plan.rows[3],
        RowOutcome::Skip {
            line: 5,
            reason: SkipReason::EmptyRow,
            ..
        }
    ));
    let error = read_table(b"\r\n\r\n", "empty.csv").unwrap_err();
    assert_eq!(
        error.to_string(),
        "файл «empty.csv» пуст: нет строки заголовков"
    );
}

#[test]
fn an_unknown_kindergarten_can_be_rejected_by_the_caller() {
    let mut plan = plan_import(&survey(), &google_profile(), &fixture("google-forms.csv")).unwrap();
    plan.reject_unknown_kindergartens(|name| name == "Детский сад № 5");
    assert_eq!(plan.counts().create, 2);
    let error = only_error(&plan.rows[2]);
    assert_eq!(error.line, 4);
    assert_eq!(error.column.as_deref(), Some("Детский сад"));
    assert_eq!(
        error.reason,
        "детский сад «Детский сад № 12» не найден среди доступных вам; проверьте название"
    );
}

/// End to end with the shipped teacher survey: a Google Forms export with numbered questions, all
/// 24 practices answered with the ladder's labels (one N/A), plus one respondent who skipped a
/// required practice.
#[test]
fn the_shipped_teacher_survey_imports_from_a_google_forms_export() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../checklists/dc-teacher/v1.toml"
    );
    let source = std::fs::read_to_string(path).unwrap();
    let instrument = parse_toml(&source, "dc-teacher/v1.toml").unwrap();
    let items: Vec<_> = instrument.items().collect();
    assert_eq!(items.len(), 24);
    let options = items[0].scale.options().unwrap();
    let na = items[0].scale.na_label().unwrap();

    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut header = vec![
        quote("Отметка времени"),
        quote("Адрес электронной почты"),
        quote("Ваше ФИО"),
        quote("Ваш детский сад"),
    ];
    for (index, item) in items.iter().enumerate() {
        header.push(quote(&format!("{}. {}", index + 1, item.item.text())));
    }
    let mut csv = header.join(",") + "\n";
    for (respondent, email) in ["ivanova@ds5.ru", "petrov@ds5.ru", "orlova@ds7.ru"]
        .iter()
        .enumerate()
    {
        let mut row = vec![
            quote(&format!("2025/09/1{} 10:00:00 AM GMT+3", respondent + 1)),
            quote(email),
            quote(["Иванова Анна", "Петров Иван", "Орлова Ольга"][respondent]),
            quote("МАДОУ «Детский сад № 5»"),
        ];
        for (index, _) in items.iter().enumerate() {
            let cell = if respondent == 1 && index == 7 {
                na.to_owned()
            } else if respondent == 2 && index == 23 {
                String::new()
            } else {
                options[(index + respondent) % options.len()]
                    .label()
                    .to_owned()
            };
            row.push(quote(&cell));
        }
        csv += &(row.join(",") + "\n");
    }

    let table = read_table(csv.as_bytes(), "Цифровые компетенции (ответы).csv").unwrap();
    let (profile, unmatched) = suggest_profile(&instrument, &table);
    assert_eq!(profile.items.len(), 24);
    assert!(unmatched.columns.is_empty(), "{:?}", unmatched.columns);
    assert_eq!(profile.respondent_column.as_deref(), Some("Ваше ФИО"));
    assert_eq!(
        profile.email_column.as_deref(),
        Some("Адрес электронной почты")
    );
    assert!(unmatched.items.is_empty() && unmatched.labels.is_empty());
    assert_eq!(
        profile.kindergarten_column.as_deref(),
        Some("Ваш детский сад")
    );

    let plan = plan_import(&instrument, &profile, &table).unwrap();
    assert_eq!(plan.counts().create, 2);
    let created: Vec<_> = plan.creates().collect();
    assert_eq!(created[0].answers.len(), 24);
    assert_eq!(
        created[1]
            .answers
            .get(items[7].item.code().as_str())
            .unwrap()
            .value,
        AnswerValue::NotApplicable
    );
    let error = only_error(&plan.rows[2]);
    assert_eq!(error.line, 4);
    assert_eq!(
        error.column.as_deref(),
        Some(format!("24. {}", items[23].item.text()).as_str())
    );
    assert_eq!(
        error.reason,
        format!(
            "пункт «{}»: нет ответа на обязательный пункт",
            items[23].item.code()
        )
    );
}

#[test]
fn headers_starting_with_the_item_code_are_matched() {
    let csv = "Email,ДОО,Q.1.1 Информирование родителей,Q.1.2. Доска,Q.2.1 (часы),Q.2.2 Ёлка,Q.2 итог\n\
               a@b.ru,ДС 5,Скорее согласен,Не согласен,3,Да,\n";
    let table = read_table(csv.as_bytes(), "coded.csv").unwrap();
    let (profile, unmatched) = suggest_profile(&survey(), &table);
    let items: Vec<&str> = profile.items.iter().map(|m| m.item.as_str()).collect();
    assert_eq!(items, ["Q.1.1", "Q.1.2", "Q.2.1", "Q.2.2"]);
    assert_eq!(
        unmatched.columns,
        ["Q.2 итог"],
        "an indicator code is not an item"
    );
    assert_eq!(profile.respondent_column.as_deref(), Some("Email"));
    assert_eq!(profile.kindergarten_column.as_deref(), Some("ДОО"));
    let plan = plan_import(&survey(), &profile, &table).unwrap();
    assert!(plan.is_clean(), "{plan}");
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let text = "ФИО\tДетский сад\r\nИванова Анна\tДС № 5\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let table = read_table(&bytes, "ответы.txt").unwrap();
    assert_eq!(
        table.source,
        SourceFormat::Csv {
            encoding: TextEncoding::Utf16,
            separator: b'\t'
        }
    );
    assert_eq!(table.headers, ["ФИО", "Детский сад"]);
    assert_eq!(table.rows[0].cells, ["Иванова Анна", "ДС № 5"]);
}

#[test]
fn a_damaged_spreadsheet_is_refused_in_russian() {
    let error = read_table(b"PK\x03\x04 not really a zip", "ответы.xlsx").unwrap_err();
    assert!(
        matches!(error, ExchangeError::Spreadsheet { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("не удалось прочитать таблицу «ответы.xlsx»: "),
        "{message}"
    );
    assert!(
        message.ends_with("; сохраните её в Excel как .xlsx или .csv и загрузите снова"),
        "{message}"
    );
}

/// Issue 13 §2: a `;` file whose header cells contain commas (every Russian question does) is
/// read with `;`, the separator that gives every record the same number of fields.
#[test]
fn a_semicolon_file_with_commas_in_its_headers_is_read_with_semicolons() {
    let csv = format!(
        "Отметка времени;ФИО (полностью);Ваша ДОО;{Q1}, с примерами;{Q2}, часто ли;\"{Q3}, часов\"\n\
         15.09.2025 10:00:00;Иванова Анна Петровна;МДОУ № 5;Скорее согласен;Да;12,5\n\
         15.09.2025 11:00:00;Петров Иван;МДОУ № 5;Не согласен;Нет;3\n"
    );
    let table = read_table(csv.as_bytes(), "export.csv").unwrap();
    assert!(
        matches!(
            table.source,
            SourceFormat::Csv {
                separator: b';',
                ..
            }
        ),
        "{:?}",
        table.source
    );
    assert_eq!(table.headers.len(), 6, "{:?}", table.headers);
    assert_eq!(table.rows[0].cells.len(), 6);
    assert_eq!(table.rows[1].cells[5], "3");
    // A plain comma file stays a comma file, and a tab file a tab file.
    let commas = read_table(b"a,b,c\n1,2,3\n4,5,6\n", "x.csv").unwrap();
    assert!(matches!(
        commas.source,
        SourceFormat::Csv {
            separator: b',',
            ..
        }
    ));
    let tabs = read_table(b"a;x\tb\tc\n1\t2\t3\n", "x.csv").unwrap();
    assert!(matches!(
        tabs.source,
        SourceFormat::Csv {
            separator: b'\t',
            ..
        }
    ));
}

/// Issue 13 §2: the respondent's name and the kindergarten under the headings Google and Yandex
/// Forms usually give them, and the e-mail column kept as the respondent's contact.
#[test]
fn name_kindergarten_and_e_mail_columns_are_recognised_under_their_usual_headings() {
    for name in [
        "ФИО",
        "ФИО (полностью)",
        "Фамилия, имя, отчество",
        "Ваше ФИО",
    ] {
        for kindergarten in [
            "ДОО",
            "Ваша ДОО",
            "Детский сад",
            "Образовательная организация",
            "Номер детского сада",
        ] {
            let csv = format!(
                "Отметка времени,Адрес электронной почты,\"{name}\",\"{kindergarten}\",{Q1},{Q2},\"{Q3}\",{Q4}\n\
                 2025/09/15 10:23:45 AM GMT+3,ivanova@ds5.ru,Иванова Анна Петровна,МДОУ № 5,\
                 Полностью согласен,Не согласен,3,Да\n"
            );
            let table = read_table(csv.as_bytes(), "x.csv").unwrap();
            let (profile, _) = suggest_profile(&survey(), &table);
            assert_eq!(
                profile.respondent_column.as_deref(),
                Some(name),
                "{name} / {kindergarten}"
            );
            assert_eq!(
                profile.kindergarten_column.as_deref(),
                Some(kindergarten),
                "{name} / {kindergarten}"
            );
            assert_eq!(
                profile.email_column.as_deref(),
                Some("Адрес электронной почты")
            );
            let plan = plan_import(&survey(), &profile, &table).unwrap();
            match &plan.rows[0] {
                RowOutcome::Create(planned) => {
                    assert_eq!(planned.respondent.as_deref(), Some("Иванова Анна Петровна"));
                    assert_eq!(planned.email.as_deref(), Some("ivanova@ds5.ru"));
                }
                other => panic!("{other:?}"),
            }
        }
    }
    // Without a name column the e-mail names the respondent (an account's login) too.
    let csv = format!(
        "Адрес электронной почты,Детский сад,{Q1}\nivanova@ds5.ru,МДОУ № 5,Полностью согласен\n"
    );
    let table = read_table(csv.as_bytes(), "x.csv").unwrap();
    let (profile, _) = suggest_profile(&survey(), &table);
    assert_eq!(
        profile.respondent_column.as_deref(),
        Some("Адрес электронной почты")
    );
}

/// Issue 13 §3: a NUL (which PostgreSQL cannot store) or another control character in a cell is
/// removed on reading, on every database alike; line breaks and tabs inside a cell stay.
#[test]
fn control_characters_in_cells_are_removed() {
    let csv = "a,b\n\"x\u{0}y\",\"line\nbreak\u{c}\"\n";
    let table = read_table(csv.as_bytes(), "x.csv").unwrap();
    assert_eq!(table.rows[0].cells[0], "xy");
    assert_eq!(table.rows[0].cells[1], "line\nbreak");
}
