//! Exports: XLSX read back with calamine cell by cell, CSV-RU checked byte by byte, and the raw
//! long-format table across instrument versions.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{survey, survey_v2};
use vsoko_checklist::{AnswerValue, RawAnswer};
use vsoko_exchange::{
    Cell, Column, ColumnKind, RAW_HEADERS, RawSubmission, Sheet, raw_submissions_sheet, write_csv,
    write_csv_ru, write_xlsx,
};

fn report() -> Sheet {
    Sheet {
        name: "Итоги по садам".to_owned(),
        columns: vec![
            Column::new("Детский сад", ColumnKind::Text),
            Column::new("Анкет", ColumnKind::Integer),
            Column::new("Средний балл", ColumnKind::Float { decimals: 2 }),
            Column::new("Результат, %", ColumnKind::Percent { decimals: 1 }),
        ],
        rows: vec![
            vec![
                "Детский сад № 5".into(),
                Cell::Number(12.0),
                Cell::Number(3.456),
                Cell::Number(85.25),
            ],
            vec![
                "Сад «Ромашка»; корпус 2".into(),
                Cell::Number(3.0),
                Cell::Number(2.5),
                Cell::Empty,
            ],
            vec!["=СУММ(A1:A2)".into(), Cell::Empty, Cell::Empty, Cell::Empty],
        ],
    }
}

fn read_back(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn xlsx_output_reads_back_cell_by_cell() {
    let second = Sheet {
        name: "Итоги по садам".to_owned(),
        columns: vec![Column::new("Показатель", ColumnKind::Text)],
        rows: vec![vec!["Доля занятий с ЭОР".into()]],
    };
    let bytes = write_xlsx(&[report(), second]).unwrap();
    let mut workbook = read_back(&bytes);
    assert_eq!(
        workbook.sheet_names(),
        ["Итоги по садам", "Итоги по садам (2)"],
        "one sheet per table, names made unique"
    );
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get_size(), (4, 4));
    let expected = [
        [
            Data::String("Детский сад".into()),
            Data::String("Анкет".into()),
            Data::String("Средний балл".into()),
            Data::String("Результат, %".into()),
        ],
        [
            Data::String("Детский сад № 5".into()),
            Data::Float(12.0),
            Data::Float(3.456),
            Data::Float(0.8525),
        ],
        [
            Data::String("Сад «Ромашка»; корпус 2".into()),
            Data::Float(3.0),
            Data::Float(2.5),
            Data::Empty,
        ],
        [
            Data::String("=СУММ(A1:A2)".into()),
            Data::Empty,
            Data::Empty,
            Data::Empty,
        ],
    ];
    for (row_index, expected_row) in expected.iter().enumerate() {
        for (col_index, expected_cell) in expected_row.iter().enumerate() {
            let actual = range
                .get((row_index, col_index))
                .cloned()
                .unwrap_or(Data::Empty);
            assert_eq!(&actual, expected_cell, "cell ({row_index}, {col_index})");
        }
    }
    let formulas = workbook.worksheet_formula("Итоги по садам").unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "text that looks like a formula stays text"
    );
    let second = workbook.worksheet_range_at(1).unwrap().unwrap();
    assert_eq!(
        second.get((1, 0)),
        Some(&Data::String("Доля занятий с ЭОР".into()))
    );
}

#[test]
fn xlsx_output_has_a_frozen_bold_header_number_formats_and_widths() {
    let bytes = write_xlsx(&[report()]).unwrap();
    // The parts of the package calamine does not expose: read the XML itself.
    let mut archive = zip_entries(&bytes);
    let sheet = archive.remove("xl/worksheets/sheet1.xml").unwrap();
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains(r#"<autoFilter ref="A1:D4"/>"#), "{sheet}");
    assert!(sheet.contains("<cols>"), "column widths are set: {sheet}");
    let styles = archive.remove("xl/styles.xml").unwrap();
    assert!(styles.contains("<b/>"), "bold header: {styles}");
    for format in ["0", "0.00", "0.0%"] {
        assert!(
            styles.contains(&format!("formatCode=\"{format}\"")),
            "{format}: {styles}"
        );
    }
}

/// Unzips the stored (text) parts of an XLSX; enough to look at the XML.
fn zip_entries(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entries = std::collections::BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            entries.insert(file.name().unwrap().into_owned(), text);
        }
    }
    entries
}

#[test]
fn csv_ru_is_bom_semicolon_crlf_with_decimal_comma_and_no_sep_line() {
    let bytes = write_csv_ru(&report(), true).unwrap();
    let expected = "\u{feff}Детский сад;Анкет;Средний балл;Результат, %\r\n\
                    Детский сад № 5;12;3,46;85,3\r\n\
                    \"Сад «Ромашка»; корпус 2\";3;2,50;\r\n\
                    '=СУММ(A1:A2);;;\r\n";
    assert_eq!(String::from_utf8(bytes.clone()).unwrap(), expected);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert!(!String::from_utf8_lossy(&bytes).contains("sep="));

    let dot = String::from_utf8(write_csv_ru(&report(), false).unwrap()).unwrap();
    assert!(dot.contains("Детский сад № 5;12;3.46;85.3\r\n"), "{dot}");
}

#[test]
fn plain_csv_is_utf8_comma_lf_with_decimal_dot_and_text_as_is() {
    let text = String::from_utf8(write_csv(&report()).unwrap()).unwrap();
    assert_eq!(
        text,
        "Детский сад,Анкет,Средний балл,\"Результат, %\"\n\
         Детский сад № 5,12,3.46,85.3\n\
         Сад «Ромашка»; корпус 2,3,2.50,\n\
         =СУММ(A1:A2),,,\n"
    );
}

#[test]
fn raw_submissions_keep_items_of_older_versions_with_their_own_version() {
    let v1 = survey();
    let v2 = survey_v2();
    let answer = |item: &str, value: AnswerValue, comment: Option<&str>| RawAnswer {
        item: item.to_owned(),
        value,
        comment: comment.map(str::to_owned),
    };
    let old = v1
        .validate_answers([
            answer("Q.1.1", AnswerValue::Value(4.0), None),
            answer("Q.1.2", AnswerValue::NotApplicable, None),
            answer("Q.2.1", AnswerValue::Value(7.5), None),
            answer("Q.2.2", AnswerValue::Value(1.0), Some("с родителями")),
        ])
        .unwrap();
    let new = v2
        .validate_answers([
            answer("Q.1.1", AnswerValue::Value(3.0), None),
            answer("Q.1.3", AnswerValue::Value(2.0), None),
            answer("Q.2.2", AnswerValue::Value(0.0), None),
        ])
        .unwrap();
    let sheet = raw_submissions_sheet(
        "Ответы",
        [
            RawSubmission {
                submission_id: 101,
                revision: 2,
                instrument: &v1,
                period: "2024–2025, май",
                kindergarten: "Детский сад № 5",
                respondent: "Иванова Анна Петровна",
                email: Some("ivanova@ds5.ru"),
                subject: "Иванова А. П.",
                answers: &old,
            },
            RawSubmission {
                submission_id: 202,
                revision: 1,
                instrument: &v2,
                period: "2025–2026, сентябрь",
                kindergarten: "Детский сад № 5",
                respondent: "Иванова Анна Петровна",
                email: None,
                subject: "Иванова А. П.",
                answers: &new,
            },
        ],
    );
    let headers: Vec<&str> = sheet.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, RAW_HEADERS);
    assert_eq!(sheet.rows.len(), 7);

    let bytes = write_xlsx(&[sheet]).unwrap();
    let range = read_back(&bytes).worksheet_range_at(0).unwrap().unwrap();
    let row = |index: usize| -> Vec<Data> {
        (0..15)
            .map(|col| range.get((index, col)).cloned().unwrap_or(Data::Empty))
            .collect()
    };
    let s = |text: &str| Data::String(text.to_owned());
    assert_eq!(
        row(2),
        [
            Data::Float(101.0),
            Data::Float(2.0),
            s("survey-test"),
            Data::Float(1.0),
            s("2024–2025, май"),
            s("Детский сад № 5"),
            s("Иванова Анна Петровна"),
            s("ivanova@ds5.ru"),
            s("Иванова А. П."),
            s("Q.1.2"),
            s("Использую интерактивную доску на занятиях"),
            Data::Empty,
            s("Не применимо"),
            s("да"),
            Data::Empty,
        ],
        "the item v2 dropped is kept, with v1's text and version"
    );
    assert_eq!(row(1)[11], Data::Float(4.0));
    assert_eq!(row(1)[12], s("Полностью согласен"));
    assert_eq!(row(1)[13], s("нет"));
    assert_eq!(row(3)[11], Data::Float(7.5));
    assert_eq!(row(3)[12], Data::Empty, "numeric answers have no label");
    assert_eq!(row(4)[14], s("с родителями"));
    assert_eq!(row(6)[3], Data::Float(2.0));
    assert_eq!(row(6)[7], Data::Empty, "no e-mail");
    assert_eq!(row(6)[9], s("Q.1.3"));
    assert_eq!(row(6)[10], s("Провожу онлайн-консультации для родителей"));
}
