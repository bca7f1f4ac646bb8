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
    // Issue 23 §8: the period is open, and the file says so in every row.
    assert!(
        text.split("\r\n")
            .next()
            .unwrap()
            .ends_with(";Полнота данных"),
        "{text}"
    );
    assert!(
        first.ends_with(";Период открыт: данные неполные"),
        "{first}"
    );
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

/// A Google-Forms-like export of the teacher survey: one row per (login, kindergarten).
fn survey_csv(form: &Value, rows: &[(&str, &str)]) -> Vec<u8> {
    survey_csv_at(form, rows, "2025/05/15 10:23:45 AM GMT+3", 0)
}

/// The same export with every row answered at `timestamp`, answers shifted by `shift`.
pub(crate) fn survey_csv_at(
    form: &Value,
    rows: &[(&str, &str)],
    timestamp: &str,
    shift: usize,
) -> Vec<u8> {
    let mut header = vec![
        "Отметка времени".to_owned(),
        "Адрес электронной почты".to_owned(),
        "Детский сад".to_owned(),
    ];
    for area in form["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                header.push(item["text"].as_str().unwrap().to_owned());
            }
        }
    }
    let quote = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
    let mut out = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    for (index, (login, kindergarten)) in rows.iter().enumerate() {
        let mut cells = vec![quote(timestamp), quote(login), quote(kindergarten)];
        for answer in answers(form, index + shift) {
            cells.push(quote(&answer["value"].to_string()));
        }
        out += &(cells.join(",") + "\n");
    }
    out.into_bytes()
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    file: &[u8],
) -> reqwest::Response {
    upload_with_profile(app, token, query, file, None).await
}

/// The same upload with a mapping profile (JSON) as the `profile` part.
pub(crate) async fn upload_with_profile(
    app: &TestApp,
    token: &str,
    query: &str,
    file: &[u8],
    profile: Option<&Value>,
) -> reqwest::Response {
    let boundary = "vsoko-test-boundary";
    let mut body = String::new();
    if let Some(profile) = profile {
        body += &format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"\r\n\r\n{profile}\r\n"
        );
    }
    body += &format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"answers.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    );
    let mut body = body.into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/imports?{query}")))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

crate::both!(an_import_never_replaces_a_web_answer_unless_chosen_and_refuses_the_future);
/// Issue 23 §6: a later row of a teacher who sent her survey through the web form or the API is
/// not imported unless the importer chooses that line; a row answered after today is an error at
/// its timestamp cell.
async fn an_import_never_replaces_a_web_answer_unless_chosen_and_refuses_the_future(app: TestApp) {
    let world = World::build(&app).await;
    let form = app.instrument(&world.manager, "dc-teacher").await;
    let unit = &world.units[0];
    let sent: Value = created(
        app.submit(
            &unit.teachers[0].1,
            "sent-in-the-browser",
            &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers(&form, 1)}),
        )
        .await,
    )
    .await;
    let query = "instrument=dc-teacher&period=2025-05&commit=true";
    let later = survey_csv_at(
        &form,
        &[("teacher18-1", "МДОУ № 18"), ("teacher18-2", "МДОУ № 18")],
        "2025/05/30 10:23:45 AM GMT+3",
        3,
    );
    let kept: Value = upload(&app, &unit.head, query, &later)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["committed"], true, "{kept}");
    assert_eq!(kept["created"], 1, "only teacher18-2 is new: {kept}");
    assert_eq!(kept["rows"][0]["outcome"], "skip", "{kept}");
    let reason = kept["rows"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("через веб-форму или API"), "{reason}");
    let listed: Value = app
        .get_as(
            &unit.head,
            "/api/v1/submissions?instrument=dc-teacher&period=2025-05",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 2, "{listed}");
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["id"] == sent["id"]),
        "the web answer still counts: {listed}"
    );
    // The importer chooses line 2 (the first data row): it corrects the web answer.
    let chosen: Value = upload(
        &app,
        &unit.head,
        &format!("{query}&replace_lines=2"),
        &later,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(chosen["committed"], true, "{chosen}");
    assert_eq!(chosen["rows"][0]["outcome"], "update", "{chosen}");

    // A row dated after today: an error at its timestamp cell, nothing written.
    let future = survey_csv_at(
        &form,
        &[("teacher55-1", "МДОУ № 55")],
        "2099/05/15 10:23:45 AM GMT+3",
        0,
    );
    let refused: Value = upload(&app, &world.manager, query, &future)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refused["committed"], false, "{refused}");
    assert_eq!(refused["rows"][0]["outcome"], "error", "{refused}");
    let error = &refused["rows"][0]["errors"][0];
    assert_eq!(error["column"], "Отметка времени", "{refused}");
    assert!(
        error["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("позже сегодняшнего дня"),
        "{refused}"
    );
}

crate::both!(an_upload_is_a_dry_run_until_committed_and_idempotent);
async fn an_upload_is_a_dry_run_until_committed_and_idempotent(app: TestApp) {
    let world = World::build(&app).await;
    let form = app.instrument(&world.manager, "dc-teacher").await;
    let (a, b) = (&world.units[0], &world.units[1]);
    let query = "instrument=dc-teacher&period=2025-05";
    let own = survey_csv(
        &form,
        &[
            ("teacher18-1", "МДОУ № 18"),
            ("teacher18-2", "Детский сад № 18"),
        ],
    );

    let dry: Value = upload(&app, &a.head, query, &own)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dry["committed"], false, "{dry}");
    assert_eq!(dry["clean"], true, "{dry}");
    assert_eq!(dry["create"], 2, "{dry}");
    assert_eq!(dry["rows"][0]["outcome"], "create", "{dry}");
    let listed: Value = app
        .get_as(&a.head, "/api/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0, "dry run wrote something: {listed}");

    let commit = format!("{query}&commit=true");
    let real: Value = upload(&app, &a.head, &commit, &own)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(real["committed"], true, "{real}");
    assert_eq!(real["created"], 2, "{real}");
    let again: Value = upload(&app, &a.head, &commit, &own)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["duplicate"], 2, "{again}");
    assert_eq!(again["rows"][1]["outcome"], "duplicate", "{again}");

    // A row of another kindergarten makes the head's file an error; nothing is written.
    let mixed = survey_csv(
        &form,
        &[("teacher55-1", "МДОУ № 55"), ("teacher18-1", "МДОУ № 18")],
    );
    let refused: Value = upload(&app, &a.head, &commit, &mixed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refused["committed"], false, "{refused}");
    assert_eq!(refused["rows"][0]["outcome"], "error", "{refused}");
    assert!(
        refused["report"].as_str().unwrap().contains("МДОУ № 55"),
        "{refused}"
    );
    // The manager imports into the whole network: teacher18-1's answer counts already (the
    // head's import), so only teacher55-1's is new; one person counts once.
    let network: Value = upload(&app, &world.manager, &commit, &mixed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(network["committed"], true, "{network}");
    assert_eq!(network["created"], 1, "{network}");
    assert_eq!(network["rows"][1]["outcome"], "skip", "{network}");

    // A form without a file part is a 400 problem document.
    let response = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/imports?{query}")))
        .bearer_auth(&a.head)
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x\r\nContent-Disposition: form-data; name=\"profile\"\r\n\r\n{}\r\n--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );

    // Teachers may not import; another kindergarten's head does not see it.
    let teacher = &a.teachers[0].1;
    assert_eq!(upload(&app, teacher, query, &own).await.status(), 403);
    let foreign = format!("{query}&kindergarten_id={}", b.id);
    assert_eq!(upload(&app, &a.head, &foreign, &own).await.status(), 404);
    assert_eq!(upload(&app, teacher, &foreign, &own).await.status(), 404);

    // Raw submissions within scope.
    let raw = "/api/v1/exports/submissions?period=2025-05&instrument=dc-teacher";
    let response = app.get_as(&world.manager, raw).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("ID анкеты".into()));
    assert_eq!(rows[0][3], Data::String("Версия инструмента".into()));
    let per_form = answers(&form, 0).len();
    assert_eq!(rows.len(), 1 + 3 * per_form);
    let head_csv = app.get_as(&a.head, &format!("{raw}&format=csv-ru")).await;
    assert_eq!(head_csv.status(), 200);
    let text = head_csv.text().await.unwrap();
    assert_eq!(text.trim_end().split("\r\n").count(), 1 + 2 * per_form);
    assert_eq!(app.get_as(teacher, raw).await.status(), 403);
    let foreign_raw = format!("{raw}&kindergarten_id={}", b.id);
    assert_eq!(app.get_as(&a.head, &foreign_raw).await.status(), 404);
}

crate::both!(an_import_with_skip_errors_writes_the_good_rows_and_reports_the_others);
/// Issue 23 §20: one unknown teacher blocks a file unless the importer asks to skip the rows in
/// error; then the others are written and the one in error is reported at its line, and a file
/// with an error of its own is still never written.
async fn an_import_with_skip_errors_writes_the_good_rows_and_reports_the_others(app: TestApp) {
    let world = World::build(&app).await;
    let form = app.instrument(&world.manager, "dc-teacher").await;
    let head = &world.units[0].head;
    let file = survey_csv(
        &form,
        &[
            ("teacher18-1", "МДОУ № 18"),
            ("nobody-here", "МДОУ № 18"),
            ("teacher18-2", "МДОУ № 18"),
        ],
    );
    let query = "instrument=dc-teacher&period=2025-05&commit=true";
    let all_or_none: Value = upload(&app, head, query, &file).await.json().await.unwrap();
    assert_eq!(all_or_none["committed"], false, "{all_or_none}");
    assert_eq!(all_or_none["error"], 1, "{all_or_none}");

    let partial: Value = upload(&app, head, &format!("{query}&skip_errors=true"), &file)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(partial["committed"], true, "{partial}");
    assert_eq!(partial["created"], 2, "{partial}");
    let rejected: Vec<&Value> = partial["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["outcome"] == "error")
        .collect();
    assert_eq!(rejected.len(), 1, "{partial}");
    assert_eq!(rejected[0]["line"], 3, "{partial}");
    let listed: Value = app
        .get_as(head, "/api/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 2, "{listed}");

    // The same file fixed: the good rows are recognised, the fixed one is created.
    let fixed = survey_csv(
        &form,
        &[
            ("teacher18-1", "МДОУ № 18"),
            ("teacher18-1", "МДОУ № 18"),
            ("teacher18-2", "МДОУ № 18"),
        ],
    );
    let again: Value = upload(&app, head, &format!("{query}&skip_errors=true"), &fixed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["error"], 0, "{again}");
}
