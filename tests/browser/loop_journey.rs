//! The professional-development loop end to end (issue 28, the browser test): a methodist goes,
//! in the web interface alone, from September's results to an agreed plan, marks an event held,
//! and in May opens the register and sees what worked — the recommendation's deficit closed, the
//! trained teachers' level rose more often than the untrained ones' — and downloads the plan and
//! the register as XLSX and DOCX. What teachers and heads do in between is theirs: the teachers
//! answer their surveys (over the API), the heads agree the plan on their phones.

use serde_json::{Value, json};

use super::helpers::{
    PASSWORD, TestApp, World, answers_high, answers_with_roles, created, strong_and_weak_with,
};
use super::{Browser, download, run};

/// The id of `name` among a kindergarten's people, read as its head.
async fn person_id(app: &TestApp, head: &str, unit: i64, name: &str) -> i64 {
    let people: Value = app
        .get_as(head, &format!("/api/v1/kindergartens/{unit}/people"))
        .await
        .json()
        .await
        .unwrap();
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["full_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {people}"))["id"]
        .as_i64()
        .unwrap()
}

/// The text of a DOCX's paragraphs and table cells, one per line, as a reader opens it.
fn docx_text(bytes: &[u8]) -> String {
    fn cell_text(cell: &docx_rs::TableCell, lines: &mut Vec<String>) {
        for content in &cell.children {
            match content {
                docx_rs::TableCellContent::Paragraph(paragraph) => {
                    lines.push(paragraph.raw_text());
                }
                docx_rs::TableCellContent::Table(table) => table_text(table, lines),
                _ => {}
            }
        }
    }
    fn table_text(table: &docx_rs::Table, lines: &mut Vec<String>) {
        for docx_rs::TableChild::TableRow(row) in &table.rows {
            for docx_rs::TableRowChild::TableCell(cell) in &row.cells {
                cell_text(cell, lines);
            }
        }
    }
    let docx = docx_rs::read_docx(bytes).expect("a DOCX a reader opens");
    let mut lines = Vec::new();
    for child in &docx.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(paragraph) => lines.push(paragraph.raw_text()),
            docx_rs::DocumentChild::Table(table) => table_text(table, &mut lines),
            _ => {}
        }
    }
    lines.join("\n")
}

/// The rows of an XLSX sheet as text.
fn sheet_rows(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader as _;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    workbook
        .worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect()
}

scenario!(from_septembers_deficits_to_what_worked_in_may);
async fn from_septembers_deficits_to_what_worked_in_may(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    // September: № 55 is strong everywhere, its tutor confirmed; № 18's six teachers are all in
    // deficit.
    let (september, weak_tokens) = strong_and_weak_with(&app, &world, 4).await;
    let weak = &world.units[0];
    assert_eq!(weak_tokens.len(), 6);
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    let area = survey["areas"][0]["code"].as_str().unwrap().to_owned();
    let today = chrono::Local::now().date_naive();
    let start: i32 = september[..4].parse().unwrap();

    // The methodist reads September's matrix and makes a recommendation from № 18's deficit.
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/network/strengths']").await;
    browser.select_value("s-instrument", "dc-teacher").await;
    browser.select_value("s-period", &september).await;
    browser.click_text("Показать").await;
    let text = browser.text().await;
    assert!(text.contains("МДОУ № 18"), "{text}");
    browser
        .click_text(&format!("Рекомендация: МДОУ № 18, {area}"))
        .await;
    browser.click_text("Сохранить рекомендацию").await;
    let text = browser.text().await;
    assert!(text.contains("Рекомендация сохранена"), "{text}");
    assert!(
        text.contains("следующего периода с результатом ещё нет"),
        "no later period yet: {text}"
    );
    let recommendation = browser.path().await;

    // The plan from the deficits, with the files a department prints.
    browser.follow("a[href='/plan']").await;
    browser
        .click_text("Составить проект плана по дефицитам")
        .await;
    let text = browser.text().await;
    assert!(
        text.contains("1 ДОО и 6 педагогов с дефицитом по области"),
        "{text}"
    );
    assert!(text.contains("Согласовано 0 из 2 ДОО."), "{text}");
    let rows = sheet_rows(
        download(&app, &browser, "Скачать план (XLSX)").await,
        "План",
    );
    assert_eq!(rows[0][0], "№ п/п", "{rows:?}");
    assert!(
        rows.iter()
            .any(|row| row.iter().any(|cell| cell.contains("МДОУ № 55"))),
        "the host is named: {rows:?}"
    );
    let docx = docx_text(&download(&app, &browser, "Скачать план (DOCX)").await);
    assert!(docx.contains("Место проведения"), "the seeds' layout");
    assert!(docx.contains("Отметка о согласовании"), "the seeds' layout");
    browser.visit("/").await;
    browser.logout().await;

    // Both heads agree on their phones.
    browser.resize(360, 800).await;
    for (head, agreed) in [("head18", 1), ("head55", 2)] {
        browser.login(head, PASSWORD).await;
        browser.follow("a[href='/plan']").await;
        browser.click_text("Согласовать план (редакция 1)").await;
        let text = browser.text().await;
        assert!(
            text.contains(&format!("Согласовано {agreed} из 2 ДОО.")),
            "{text}"
        );
        browser.visit("/").await;
        browser.logout().await;
    }

    // The first module is held today: the agreed plan takes the change with its reason, and the
    // methodist marks three of № 18's teachers present.
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/plan']").await;
    let text = browser.text().await;
    assert!(text.contains("Согласовано 2 из 2 ДОО."), "{text}");
    browser.follow("a[href='/plan/events/1/edit']").await;
    browser
        .select_value("month", &today.format("%Y-%m").to_string())
        .await;
    browser.set_value("date", &today.to_string()).await;
    browser.fill("reason", "модуль перенесён на сегодня").await;
    browser.click_text("Сохранить").await;
    let text = browser.text().await;
    assert!(text.contains("Мероприятие сохранено"), "{text}");
    browser.follow("a[href='/plan/events/1/attendance']").await;
    let text = browser.text().await;
    let area_title = survey["areas"][0]["title"].as_str().unwrap();
    assert!(text.contains(area_title), "the module of {area}: {text}");
    let mut trained = Vec::new();
    for index in 1..=3 {
        let id = person_id(
            &app,
            &weak.head,
            weak.id,
            &format!("Воспитатель 18-{index}"),
        )
        .await;
        browser.click(&format!("#present-{id}")).await;
        trained.push(id);
    }
    browser.click_text("Сохранить участников").await;
    let text = browser.text().await;
    assert!(text.contains("Участники отмечены"), "{text}");
    assert!(text.contains("3 участника"), "{text}");

    // The decision on the recommendation: the plan's event.
    browser.visit(&recommendation).await;
    browser.select_value("kind", "plan_event").await;
    browser
        .fill(
            "decision-text",
            "Педагоги МДОУ № 18 направлены на модуль 1 курса",
        )
        .await;
    browser.fill("reference", "1").await;
    browser.click_text("Записать решение").await;
    let text = browser.text().await;
    assert!(
        text.contains("мероприятие плана повышения квалификации"),
        "{text}"
    );
    browser.visit("/").await;
    browser.logout().await;

    // May: the three trained teachers answer at the top, the three others as in September.
    let may = format!("{}-05", start + 1);
    created(
        app.post_as(
            &world.manager,
            "/api/v1/periods",
            &json!({"code": may, "starts_on": format!("{}-05-01", start + 1), "ends_on": format!("{}-05-31", start + 1)}),
        )
        .await,
    )
    .await;
    for (index, token) in weak_tokens.iter().enumerate() {
        let answers = if index < 3 {
            answers_high(&survey, false)
        } else {
            answers_with_roles(&survey, [0, 0, 0])
        };
        created(
            app.submit(
                token,
                "may",
                &json!({"instrument": "dc-teacher", "period": may, "answers": answers}),
            )
            .await,
        )
        .await;
    }

    // In May the methodist opens the register and sees what worked.
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/recommendations']").await;
    let text = browser.text().await;
    assert!(text.contains("МДОУ № 18:"), "{text}");
    assert!(text.contains("Эффект: дефицит закрыт ("), "{text}");
    assert!(
        text.contains(&format!(
            "По области {area}: уровень повысился у 100 % обученных (3 из 3) и у 0 % необученных (0 из 3); у обученных уровень повышался чаще."
        )),
        "{text}"
    );
    browser.check("register-loop").await;
    let rows = sheet_rows(
        download(&app, &browser, "Скачать реестр (XLSX)").await,
        "Рекомендации",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][14], "дефицит закрыт", "{rows:?}");
    let docx = docx_text(&download(&app, &browser, "Скачать реестр (DOCX)").await);
    assert!(docx.contains("дефицит закрыт"), "the register's document");
    assert!(
        docx.contains("у обученных уровень повышался чаще"),
        "the register's document compares trained and untrained"
    );
    browser
}
