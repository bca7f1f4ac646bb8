//! Reports as files for Russian Excel: `?format=xlsx` (read back cell by cell) and
//! `?format=csv-ru` (BOM, `;`, CRLF, decimal comma), with their Content-Type and file name.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, answers, created};

async fn world_with_surveys(app: &TestApp) -> World {
    let world = World::build(app).await;
    let form = app.instrument(&world.manager, "dc-teacher").await;
    for unit in &world.units {
        for (index, (_, token)) in unit.teachers.iter().enumerate() {
            created(
                app.submit(
                    token,
                    "survey-2025-05",
                    &json!({"instrument": "dc-teacher", "period": "2025-05",
                            "answers": answers(&form, index + unit.id as usize)}),
                )
                .await,
            )
            .await;
        }
    }
    world
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

crate::both!(network_report_as_xlsx_matches_the_json_report);
async fn network_report_as_xlsx_matches_the_json_report(app: TestApp) {
    let world = world_with_surveys(&app).await;
    let path = "/api/v1/reports/network?period=2025-05&instrument=dc-teacher";
    let report: Value = app.get_as(&world.manager, path).await.json().await.unwrap();

    let response = app
        .get_as(&world.manager, &format!("{path}&format=xlsx"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        header(&response, "content-disposition"),
        "attachment; filename=\"vsoko-network-dc-teacher-2025-05.xlsx\""
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        vec!["Показатели".to_owned(), "Детские сады".to_owned()]
    );
    let rows = workbook.worksheet_range("Показатели").unwrap();
    let rows: Vec<_> = rows.rows().collect();
    assert_eq!(rows[0][0], Data::String("Уровень".into()));
    assert_eq!(rows[0][3], Data::String("Балл, %".into()));
    assert_eq!(rows.len(), report["rows"].as_array().unwrap().len() + 1);
    for (row, expected) in rows[1..].iter().zip(report["rows"].as_array().unwrap()) {
        assert_eq!(
            row[1],
            Data::String(expected["code"].as_str().unwrap().into())
        );
        match (&row[3], expected["score"].as_f64()) {
            (Data::Float(actual), Some(expected)) => {
                assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}")
            }
            (Data::Empty, None) => {}
            (actual, expected) => panic!("{actual:?} != {expected:?}"),
        }
    }
    assert_eq!(rows[1][0], Data::String("итог".into()));
    let kindergartens = workbook.worksheet_range("Детские сады").unwrap();
    assert_eq!(kindergartens.rows().count(), world.units.len() + 1);
}

crate::both!(kindergarten_report_as_csv_ru_opens_in_russian_excel);
async fn kindergarten_report_as_csv_ru_opens_in_russian_excel(app: TestApp) {
    let world = world_with_surveys(&app).await;
    let unit = &world.units[0];
    let path = format!(
        "/api/v1/reports/kindergartens/{}?period=2025-05&instrument=dc-teacher",
        unit.id
    );
    let report: Value = app.get_as(&unit.head, &path).await.json().await.unwrap();
    let response = app
        .get_as(
            &unit.head,
            &format!("{path}&format=csv-ru&decimal_comma=true"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        header(&response, "content-disposition"),
        "attachment; filename=\"vsoko-kindergarten-dc-teacher-2025-05.csv\""
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(!text.starts_with("sep="));
    assert!(
        text.starts_with("Уровень;Код;Наименование;Балл, %"),
        "{text}"
    );
    assert!(text.contains("\r\n"));
    let total = report["rows"][0]["score"].as_f64().unwrap();
    let comma = format!("{total:.1}").replace('.', ",");
    let first = text.split("\r\n").nth(1).unwrap();
    assert!(first.contains(&comma), "{comma} not in {first}");
    // The teachers' table follows the main one.
    assert!(text.contains("ФИО;Балл, %"), "{text}");

    // A teacher may not read the kindergarten report in any format; unknown formats are refused.
    let teacher = &unit.teachers[0].1;
    let response = app.get_as(teacher, &format!("{path}&format=xlsx")).await;
    assert_eq!(response.status(), 403);
    let response = app.get_as(&unit.head, &format!("{path}&format=ods")).await;
    assert!(response.status().is_client_error());
    // Another kindergarten's head does not see it.
    let other = &world.units[1].head;
    let response = app.get_as(other, &format!("{path}&format=csv-ru")).await;
    assert_eq!(response.status(), 404);
}
