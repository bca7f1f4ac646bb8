//! The справка as a document (issue 29): the основание of a period's assessment, which every
//! справка of the period prints — set by the methodist with its number and date, each missing
//! part named, cleared when blank, refused to a head; and saved справки — numbered within the
//! network's year, dated, with the methodist's edits, their numbers frozen against a later
//! correction of answers, listed per period to those who may read them.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, answers_high, answers_with_roles, created};

async fn period_id(app: &TestApp, world: &World, code: &str) -> i64 {
    let periods: Value = app
        .get_as(&world.manager, "/api/v1/periods")
        .await
        .json()
        .await
        .unwrap();
    periods
        .as_array()
        .unwrap()
        .iter()
        .find(|period| period["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {periods}"))["id"]
        .as_i64()
        .unwrap()
}

crate::both!(a_periods_basis_is_set_with_its_number_and_date_and_cleared);
async fn a_periods_basis_is_set_with_its_number_and_date_and_cleared(app: TestApp) {
    let world = World::build(&app).await;
    let id = period_id(&app, &world, "2025-05").await;
    let path = format!("/api/v1/periods/{id}/basis");
    let response = app
        .put_as(
            &world.manager,
            &path,
            &json!({"basis": {"title": "приказ управления образования «О проведении ВСОКО в 2024/2025 учебном году»", "number": " 112 ", "date": "2024-09-02"}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let period: Value = response.json().await.unwrap();
    assert_eq!(period["basis"]["number"], "112", "trimmed: {period}");
    assert_eq!(
        period["basis"]["words"],
        "приказ управления образования от 02.09.2024 № 112 «О проведении ВСОКО в 2024/2025 учебном году»"
    );
    let listed: Value = app
        .get_as(&world.units[0].head, "/api/v1/periods")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|period| period["basis"]["number"] == "112"),
        "everyone reads it: {listed}"
    );

    // A blank title or number is named; nothing is written.
    let response = app
        .put_as(
            &world.manager,
            &path,
            &json!({"basis": {"title": "  ", "number": " ", "date": "2024-09-02"}}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["basis_title", "basis_number"], "{problem}");

    // A head may not set it.
    let response = app
        .put_as(&world.units[0].head, &path, &json!({"basis": null}))
        .await;
    assert_eq!(response.status(), 403);

    // null clears it.
    let response = app
        .put_as(&world.manager, &path, &json!({"basis": null}))
        .await;
    assert_eq!(response.status(), 200);
    let period: Value = response.json().await.unwrap();
    assert_eq!(period["basis"], Value::Null, "{period}");
}

/// The text of a DOCX's table cells, row by row.
fn docx_tables(bytes: &[u8]) -> Vec<Vec<String>> {
    let docx = docx_rs::read_docx(bytes).expect("a DOCX a reader opens");
    let mut rows = Vec::new();
    for child in &docx.document.children {
        if let docx_rs::DocumentChild::Table(table) = child {
            for docx_rs::TableChild::TableRow(row) in &table.rows {
                rows.push(
                    row.cells
                        .iter()
                        .map(|docx_rs::TableRowChild::TableCell(cell)| {
                            cell.children
                                .iter()
                                .filter_map(|content| match content {
                                    docx_rs::TableCellContent::Paragraph(paragraph) => {
                                        Some(paragraph.raw_text())
                                    }
                                    _ => None,
                                })
                                .collect::<String>()
                        })
                        .collect(),
                );
            }
        }
    }
    rows
}

/// Every paragraph's text of a DOCX.
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let docx = docx_rs::read_docx(bytes).expect("a DOCX a reader opens");
    docx.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(paragraph) => Some(paragraph.raw_text()),
            _ => None,
        })
        .collect()
}

async fn saved_docx(app: &TestApp, token: &str, id: i64) -> Vec<u8> {
    let response = app
        .get_as(token, &format!("/api/v1/spravki/{id}?format=docx"))
        .await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

crate::both!(a_saved_spravka_keeps_its_numbers_and_edits_after_a_correction);
async fn a_saved_spravka_keeps_its_numbers_and_edits_after_a_correction(app: TestApp) {
    let world = World::build(&app).await;
    let (unit, other) = (&world.units[0], &world.units[1]);
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    let mut first = None;
    for (index, (_, token)) in unit.teachers.iter().enumerate() {
        let submission: Value = created(
            app.submit(
                token,
                &format!("may-{index}"),
                &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers_with_roles(&survey, [0, 0, 0])}),
            )
            .await,
        )
        .await;
        first.get_or_insert(submission["id"].as_i64().unwrap());
    }
    let save = |body: Value| {
        let app = &app;
        let token = world.manager.clone();
        async move { app.post_as(&token, "/api/v1/spravki", &body).await }
    };
    let response = save(json!({
        "kindergarten_id": unit.id, "instrument": "dc-teacher", "period": "2025-05",
        "conclusions": ["Педагогам с дефицитом — модули курса в октябре.", "  "],
    }))
    .await;
    assert_eq!(response.status(), 201);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["number"], 1, "{saved}");
    assert_eq!(saved["kindergarten_id"], unit.id);
    let id = saved["id"].as_i64().unwrap();
    let before = saved_docx(&app, &world.manager, id).await;
    let paragraphs = docx_paragraphs(&before);
    let date = chrono::Local::now().format("%d.%m.%Y").to_string();
    assert!(
        paragraphs.contains(&format!("от {date} № 1")),
        "numbered and dated: {paragraphs:?}"
    );
    assert!(
        paragraphs.contains(&"— Педагогам с дефицитом — модули курса в октябре.".to_owned()),
        "the methodist's conclusion, the blank line dropped: {paragraphs:?}"
    );

    // The network's, next: number 2.
    let response = save(json!({"instrument": "dc-teacher", "period": "2025-05"})).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>().await.unwrap()["number"], 2);

    // An edited section left empty is named; nothing is saved.
    let response = save(json!({
        "kindergarten_id": unit.id, "instrument": "dc-teacher", "period": "2025-05",
        "recommendations": [" "],
    }))
    .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        problem["errors"][0]["field"], "recommendations",
        "{problem}"
    );

    // A correction of answers: the saved справка keeps its numbers, a new one has the new ones.
    let correction = app
        .post_as(
            &unit.head,
            &format!("/api/v1/submissions/{}/corrections", first.unwrap()),
            &json!({"answers": answers_high(&survey, false)}),
        )
        .await;
    assert!(correction.status().is_success(), "{}", correction.status());
    let after = saved_docx(&app, &world.manager, id).await;
    assert_eq!(docx_tables(&after), docx_tables(&before), "frozen");
    let response =
        save(json!({"kindergarten_id": unit.id, "instrument": "dc-teacher", "period": "2025-05"}))
            .await;
    assert_eq!(response.status(), 201);
    let anew: Value = response.json().await.unwrap();
    assert_eq!(anew["number"], 3);
    let anew = saved_docx(&app, &world.manager, anew["id"].as_i64().unwrap()).await;
    assert_ne!(
        docx_tables(&anew),
        docx_tables(&before),
        "a справка made after the correction has its numbers"
    );

    // Listed per period; a head reads her kindergarten's, not another's.
    let listed: Value = app
        .get_as(&world.manager, "/api/v1/spravki?period=2025-05")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    let none: Value = app
        .get_as(&world.manager, "/api/v1/spravki?period=2024-09")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));
    let own: Value = app
        .get_as(&unit.head, "/api/v1/spravki")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.as_array().unwrap().len(), 2, "not the network's: {own}");
    let theirs = app
        .get_as(&other.head, &format!("/api/v1/spravki/{id}"))
        .await;
    assert_eq!(theirs.status(), 404);
}

crate::both!(a_card_spravka_lists_each_observation_with_what_the_card_noted_and_who_signs);
async fn a_card_spravka_lists_each_observation_with_what_the_card_noted_and_who_signs(
    app: TestApp,
) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let card = app.instrument(&unit.head, "card-ood").await;
    for (key, date) in [("card-1", "2025-05-06"), ("card-2", "2025-05-13")] {
        created(
            app.submit(
                &unit.head,
                key,
                &json!({"instrument": "card-ood", "period": "2025-05", "observed_on": date,
                        "subject": {"kind": "teacher", "id": unit.teachers[0].0},
                        "answers": crate::helpers::answers(&card, 0)}),
            )
            .await,
        )
        .await;
    }
    let response = app
        .post_as(
            &world.manager,
            "/api/v1/spravki",
            &json!({"kindergarten_id": unit.id, "instrument": "card-ood", "period": "2025-05"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let saved: Value = response.json().await.unwrap();
    let docx = saved_docx(&app, &world.manager, saved["id"].as_i64().unwrap()).await;
    let rows = docx_tables(&docx);
    // Issue 29 §3: the observations with their dates, whom, and what the card noted unscored —
    // the children's age, which stands for the group.
    let header = rows
        .iter()
        .position(|row| row.first().is_some_and(|cell| cell == "Дата"))
        .expect("the observations' table");
    assert_eq!(
        rows[header],
        [
            "Дата",
            "Кто или что наблюдалось",
            "Возраст младших детей на занятии",
            "Использовались ли ЭОР"
        ]
    );
    let age = card["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|scale| scale["code"] == "age_group")
        .unwrap();
    let answered = crate::helpers::answers(&card, 0)
        .into_iter()
        .find(|answer| answer["item"] == "O1.1.6")
        .unwrap();
    let label = age["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|option| option["value"] == answered["value"])
        .unwrap()["label"]
        .as_str()
        .unwrap()
        .to_owned();
    for (row, date) in [(header + 1, "06.05.2025"), (header + 2, "13.05.2025")] {
        assert_eq!(rows[row][0], date, "earliest first: {rows:?}");
        assert_eq!(rows[row][1], "Воспитатель 18-1");
        assert_eq!(rows[row][2], label, "{rows:?}");
        assert!(["Да", "Нет"].contains(&rows[row][3].as_str()), "{rows:?}");
    }
    let paragraphs = docx_paragraphs(&docx);
    let signs = paragraphs
        .iter()
        .position(|line| line.starts_with("Со справкой ознакомлены"))
        .expect("who signs that they have read it");
    assert!(
        paragraphs[signs..]
            .iter()
            .any(|line| line.contains("Воспитатель 18-1")),
        "{paragraphs:?}"
    );
}

crate::both!(the_methodist_leaves_a_section_of_the_loop_out_but_never_the_assessments_own);
async fn the_methodist_leaves_a_section_of_the_loop_out_but_never_the_assessments_own(
    app: TestApp,
) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    for (index, (_, token)) in unit.teachers.iter().enumerate() {
        created(
            app.submit(
                token,
                &format!("may-{index}"),
                &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers_with_roles(&survey, [0, 0, 0])}),
            )
            .await,
        )
        .await;
    }
    let save = |body: Value| {
        let app = &app;
        let token = world.manager.clone();
        async move { app.post_as(&token, "/api/v1/spravki", &body).await }
    };
    let headings = |paragraphs: &[String], heading: &str| {
        paragraphs
            .iter()
            .filter(|line| line.ends_with(heading))
            .count()
    };
    let response = save(json!({"instrument": "dc-teacher", "period": "2025-05"})).await;
    assert_eq!(response.status(), 201);
    let whole: Value = response.json().await.unwrap();
    let whole =
        docx_paragraphs(&saved_docx(&app, &world.manager, whole["id"].as_i64().unwrap()).await);
    let optional = vsoko_app::spravka::OPTIONAL_SECTIONS;
    let present: Vec<&str> = optional
        .iter()
        .copied()
        .filter(|heading| headings(&whole, heading) == 1)
        .collect();
    assert!(present.len() >= 2, "{whole:?}");

    let response =
        save(json!({"instrument": "dc-teacher", "period": "2025-05", "omit": [present[0]]})).await;
    assert_eq!(response.status(), 201);
    let part: Value = response.json().await.unwrap();
    let part =
        docx_paragraphs(&saved_docx(&app, &world.manager, part["id"].as_i64().unwrap()).await);
    assert_eq!(headings(&part, present[0]), 0, "{part:?}");
    assert_eq!(headings(&part, present[1]), 1, "{part:?}");
    assert_eq!(headings(&part, "Выводы"), 1, "{part:?}");

    // The assessment's own sections stay: refused, naming the field; nothing is saved.
    let response =
        save(json!({"instrument": "dc-teacher", "period": "2025-05", "omit": ["Выводы"]})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "omit", "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("раздел «Выводы» нельзя исключить"),
        "{problem}"
    );
    let listed: Value = app
        .get_as(&world.manager, "/api/v1/spravki")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}
