//! Parents answer an anonymous questionnaire through a link a head opened: no account, one
//! response per sending of the form, throttled per link and client, nothing identifying kept; a
//! withdrawn link or a closed period answers 410 with a message for the parent.

use serde_json::{Value, json};

use crate::exchange::upload_with_profile;
use crate::helpers::{TestApp, World, answers, created};

/// Opens a link for the parents' questionnaire about `group` in 2025-05.
async fn open_link(app: &TestApp, head: &str, group: i64) -> Value {
    created(
        app.post_as(
            head,
            "/api/v1/survey-links",
            &json!({"instrument": "parent-satisfaction", "period": "2025-05",
                    "subject": {"kind": "group", "id": group}}),
        )
        .await,
    )
    .await
}

/// A parent sends the form of `token` with idempotency key `key`.
async fn answer(app: &TestApp, token: &str, key: &str, answers: &[Value]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/public/surveys/{token}/responses")))
        .header("Idempotency-Key", key)
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap()
}

async fn listed(app: &TestApp, head: &str) -> Value {
    app.get_as(
        head,
        "/api/v1/submissions?instrument=parent-satisfaction&period=2025-05",
    )
    .await
    .json()
    .await
    .unwrap()
}

crate::both!(parents_answer_through_a_link_without_an_account);
async fn parents_answer_through_a_link_without_an_account(app: TestApp) {
    let world = World::build(&app).await;
    let (own, other) = (&world.units[0], &world.units[1]);

    // Who may open a link, and for what.
    let teacher = &own.teachers[0].1;
    let body = json!({"instrument": "parent-satisfaction", "period": "2025-05",
                      "subject": {"kind": "group", "id": own.group}});
    let response = app.post_as(teacher, "/api/v1/survey-links", &body).await;
    assert_eq!(response.status(), 403);
    let response = app
        .post_as(&other.head, "/api/v1/survey-links", &body)
        .await;
    assert_eq!(response.status(), 404, "another kindergarten's group");
    let response = app
        .post_as(
            &own.head,
            "/api/v1/survey-links",
            &json!({"instrument": "dc-teacher", "period": "2025-05"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "not_anonymous", "{problem}");

    let link = open_link(&app, &own.head, own.group).await;
    let token = link["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 48, "{link}");
    assert_eq!(link["group"], "Радуга");
    assert_eq!(link["kindergarten"], "МДОУ № 18");
    assert!(link["closed_at"].is_null());

    // The form, without logging in, and with no id of anybody in it.
    let response = app.get(&format!("/api/v1/public/surveys/{token}")).await;
    assert_eq!(response.status(), 200);
    let survey: Value = response.json().await.unwrap();
    assert_eq!(survey["instrument"]["code"], "parent-satisfaction");
    assert_eq!(survey["kindergarten"], "МДОУ № 18");
    assert_eq!(survey["group"], "Радуга");
    assert_eq!(survey["period"], "2025-05");
    for field in ["kindergarten_id", "group_id", "created_by", "token"] {
        assert!(!survey.to_string().contains(field), "{field} in {survey}");
    }
    let form = &survey["instrument"];

    // Five parents answer; one sends the form twice (a double tap): one response.
    for parent in 0..5 {
        let response = answer(
            &app,
            &token,
            &format!("form-{parent}"),
            &answers(form, parent),
        )
        .await;
        assert_eq!(response.status(), 201);
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["status"], "accepted");
        assert!(receipt.get("id").is_none(), "{receipt}");
    }
    let again = answer(&app, &token, "form-0", &answers(form, 0)).await;
    assert_eq!(again.status(), 200);
    let listing = listed(&app, &own.head).await;
    assert_eq!(listing["total"], 5, "{listing}");
    assert_eq!(listing["items"][0]["subject"]["id"], own.group);

    // Wrong answers are named by item, in Russian; nothing is stored.
    let first_item = form["areas"][0]["indicators"][0]["items"][0]["code"]
        .as_str()
        .unwrap();
    let wrong = answer(
        &app,
        &token,
        "form-wrong",
        &[json!({"item": first_item, "value": 99})],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    let problem: Value = wrong.json().await.unwrap();
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|error| error["field"] == format!("answers.{first_item}")),
        "{problem}"
    );
    assert_eq!(listed(&app, &own.head).await["total"], 5);

    // The group's five responses meet k = 5: the kindergarten report shows them.
    let report: Value = app
        .get_as(
            &own.head,
            &format!(
                "/api/v1/reports/kindergartens/{}?instrument=parent-satisfaction&period=2025-05",
                own.id
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(report["rows"][0]["score"].is_number(), "{report}");

    // The raw export says who answered: nobody.
    let raw = app
        .get_as(
            &own.head,
            "/api/v1/exports/submissions?instrument=parent-satisfaction&period=2025-05&format=csv",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(raw.contains("анонимно, по ссылке"), "{raw}");
    assert!(
        !raw.contains("head18"),
        "the head's login is not the respondent: {raw}"
    );

    // Unknown tokens are 404; the other head neither sees nor withdraws the link.
    let unknown = "0".repeat(48);
    assert_eq!(
        app.get(&format!("/api/v1/public/surveys/{unknown}"))
            .await
            .status(),
        404
    );
    assert_eq!(answer(&app, &unknown, "x", &[]).await.status(), 404);
    let id = link["id"].as_i64().unwrap();
    let links: Value = app
        .get_as(&own.head, "/api/v1/survey-links")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(links.as_array().unwrap().len(), 1, "{links}");
    assert!(
        links[0].get("token").is_none(),
        "a token is shown once: {links}"
    );
    let theirs: Value = app
        .get_as(&other.head, "/api/v1/survey-links")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, json!([]));
    let response = app
        .post_as(
            &other.head,
            &format!("/api/v1/survey-links/{id}/close"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 404);

    // Withdrawn: the form and its answers are 410 with a message for the parent.
    let closed: Value = app
        .post_as(
            &own.head,
            &format!("/api/v1/survey-links/{id}/close"),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(closed["closed_at"].is_string(), "{closed}");
    let response = app.get(&format!("/api/v1/public/surveys/{token}")).await;
    assert_eq!(response.status(), 410);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("завершён"),
        "{problem}"
    );
    let late = answer(&app, &token, "form-late", &answers(form, 1)).await;
    assert_eq!(late.status(), 410);
    assert_eq!(listed(&app, &own.head).await["total"], 5);
}

crate::both!(answers_through_a_link_are_throttled_per_client);
async fn answers_through_a_link_are_throttled_per_client(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let link = open_link(&app, &unit.head, unit.group).await;
    let token = link["token"].as_str().unwrap();
    let form = app.instrument(&unit.head, "parent-satisfaction").await;
    for parent in 0..10 {
        let response = answer(&app, token, &format!("p-{parent}"), &answers(&form, parent)).await;
        assert_eq!(response.status(), 201, "answer {parent}");
    }
    let blocked = answer(&app, token, "p-10", &answers(&form, 10)).await;
    assert_eq!(blocked.status(), 429);
    let wait: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait), "Retry-After {wait}");
    assert_eq!(listed(&app, &unit.head).await["total"], 10);
    // Another group's link is counted on its own.
    let other = open_link(&app, &world.units[1].head, world.units[1].group).await;
    let response = answer(
        &app,
        other["token"].as_str().unwrap(),
        "q-0",
        &answers(&form, 0),
    )
    .await;
    assert_eq!(response.status(), 201);
}

crate::both!(a_closed_period_closes_its_links);
async fn a_closed_period_closes_its_links(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let link = open_link(&app, &unit.head, unit.group).await;
    let token = link["token"].as_str().unwrap();
    let periods: Value = app
        .get_as(&world.manager, "/api/v1/periods")
        .await
        .json()
        .await
        .unwrap();
    let may = periods
        .as_array()
        .unwrap()
        .iter()
        .find(|period| period["code"] == "2025-05")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = app
        .post_as(
            &world.manager,
            &format!("/api/v1/periods/{may}/close"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = app.get(&format!("/api/v1/public/surveys/{token}")).await;
    assert_eq!(response.status(), 410);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("закрыт"),
        "{problem}"
    );
    // And no new link opens on it.
    let response = app
        .post_as(
            &unit.head,
            "/api/v1/survey-links",
            &json!({"instrument": "parent-satisfaction", "period": "2025-05",
                    "subject": {"kind": "group", "id": unit.group}}),
        )
        .await;
    assert_eq!(response.status(), 422);
}

crate::both!(an_imported_parents_questionnaire_keeps_no_email_or_name);
async fn an_imported_parents_questionnaire_keeps_no_email_or_name(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let form = app.instrument(&unit.head, "parent-satisfaction").await;
    // A Forms export that collected e-mails and names although it should not have.
    let mut header = vec![
        "Отметка времени".to_owned(),
        "Адрес электронной почты".to_owned(),
        "ФИО".to_owned(),
        "Группа".to_owned(),
    ];
    for area in form["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                header.push(item["text"].as_str().unwrap().to_owned());
            }
        }
    }
    let quote = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
    let mut csv = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    for parent in 0..5 {
        let mut cells = vec![
            quote("2025/05/15 10:23:45 AM GMT+3"),
            quote(&format!("mama{parent}@example.ru")),
            quote(&format!("Петрова Мария {parent}")),
            quote("Радуга"),
        ];
        for answer in answers(&form, parent) {
            cells.push(quote(&answer["value"].to_string()));
        }
        csv += &(cells.join(",") + "\n");
    }
    let query = "instrument=parent-satisfaction&period=2025-05";
    let dry: Value = upload_with_profile(&app, &unit.head, query, csv.as_bytes(), None)
        .await
        .json()
        .await
        .unwrap();
    let mut profile = dry["profile"].clone();
    profile["subject_column"] = json!("Группа");
    profile["respondent_column"] = json!("ФИО");
    profile["email_column"] = json!("Адрес электронной почты");
    profile["kindergarten"] = json!(unit.id.to_string());
    let done: Value = upload_with_profile(
        &app,
        &unit.head,
        &format!("{query}&commit=true"),
        csv.as_bytes(),
        Some(&profile),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(done["committed"], true, "{done}");
    assert_eq!(done["created"], 5, "{done}");
    let raw = app
        .get_as(
            &unit.head,
            "/api/v1/exports/submissions?instrument=parent-satisfaction&period=2025-05&format=csv",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(raw.lines().count() > 5, "{raw}");
    assert!(!raw.contains("example.ru"), "an e-mail was kept: {raw}");
    assert!(!raw.contains("Петрова"), "a name was kept: {raw}");
}
