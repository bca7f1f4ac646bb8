//! Individual routes (issue 27) over HTTP: a route prefilled from a known result (a row per
//! deficit area, the one a training record covers linked and done), the status changes and who
//! may make each (a teacher never approves her own), a stale version refused, the rows marked
//! done, the «итоги» of the next survey by the stated rule, the kindergarten's and the network's
//! routes.

use chrono::{Datelike, Days};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, created};

/// Every item of `instrument` answered with its lowest option, except the items of the areas in
/// `high`, answered with their highest.
fn answers_low_except(instrument: &Value, high: &[&str]) -> Vec<Value> {
    let scales = instrument["scales"].as_array().unwrap();
    let mut answers = Vec::new();
    for area in instrument["areas"].as_array().unwrap() {
        let top = high.contains(&area["code"].as_str().unwrap());
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                let scale = scales
                    .iter()
                    .find(|scale| scale["code"] == item["scale"])
                    .unwrap();
                let value = match scale["options"].as_array() {
                    Some(options) if top => options.last().unwrap()["value"].clone(),
                    Some(options) => options[0]["value"].clone(),
                    None => json!(scale["min"].as_f64().unwrap_or(0.0)),
                };
                answers.push(json!({"item": item["code"], "value": value}));
            }
        }
    }
    answers
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(a_route_is_prefilled_approved_and_its_outcomes_read_by_the_rule);
async fn a_route_is_prefilled_approved_and_its_outcomes_read_by_the_rule(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (teacher, teacher_token) = &unit.teachers[0];
    // Two periods of the current school year: its diagnosis and its «итоги».
    let today = chrono::Local::now().date_naive();
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let (first, second) = (format!("{year}-09"), format!("{year}-10"));
    for (code, start, end) in [
        (&first, format!("{year}-09-01"), format!("{year}-09-30")),
        (&second, format!("{year}-10-01"), format!("{year}-10-31")),
    ] {
        created(
            app.post_as(
                &world.manager,
                "/api/v1/periods",
                &json!({"code": code, "starts_on": start, "ends_on": end}),
            )
            .await,
        )
        .await;
    }
    let survey = app.instrument(teacher_token, "dc-teacher").await;
    let areas: Vec<String> = survey["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| area["code"].as_str().unwrap().to_owned())
        .collect();
    // September: everything at the lowest step — every area is a deficit.
    created(
        app.submit(
            teacher_token,
            "september",
            &json!({"instrument": "dc-teacher", "period": first, "answers": answers_low_except(&survey, &[])}),
        )
        .await,
    )
    .await;
    // A course already covers the first area.
    let ended = today - Days::new(30);
    let course = created(
        app.post_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/training-records", unit.id),
            &json!({"person_id": teacher, "record": {"kind": "qualification_upgrade",
                "programme": "Цифровая грамотность педагога", "provider": "ГАУ ДПО ИРО",
                "provider_type": "state", "hours": 36, "starts_on": (ended - Days::new(14)).to_string(),
                "ends_on": ended.to_string(), "form": "full_time", "issued_on": ended.to_string(),
                "areas": [areas[0]]}}),
        )
        .await,
    )
    .await;

    let path = format!("/api/v1/people/{teacher}/route");
    let (status, route) = json_of(app.get_as(teacher_token, &path).await).await;
    assert_eq!(status, 200, "{route}");
    // Prefilled, not stored: a row per deficit area; the first one is the course, done.
    assert_eq!(route["status"], "draft");
    assert!(route["id"].is_null(), "{route}");
    assert_eq!(route["diagnosis_period"], first.as_str());
    let rows = route["rows"].as_array().unwrap();
    assert_eq!(rows.len(), areas.len(), "{route}");
    assert_eq!(rows[0]["deficit"], areas[0].as_str());
    assert_eq!(rows[0]["form"], "course");
    assert_eq!(rows[0]["training_record_id"], course["root_id"]);
    assert_eq!(rows[0]["done"], true);
    assert_eq!(rows[1]["training_record_id"], Value::Null);
    assert_eq!(rows[1]["done"], false);
    assert_eq!(route["actions"], json!(["submit"]));

    // She edits the plan in her draft: an empty task is refused at its field, nothing saved;
    // then the last row removed and a row of her own added.
    let edit = |rows: Value, version: u64| {
        let app = &app;
        let path = format!("{path}/rows");
        let token = teacher_token.clone();
        let body = json!({"version": version, "rows": rows});
        async move { json_of(app.put_as(&token, &path, &body).await).await }
    };
    let mut kept: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            json!({"from": index, "deficit": row["deficit_title"], "task": row["task"],
                "activity": row["activity"], "form": row["form"], "due": row["due"],
                "result": row["result"]})
        })
        .collect();
    kept.pop();
    let mut wrong = kept.clone();
    wrong.push(
        json!({"deficit": "Работа с родителями в мессенджерах", "task": " ",
        "activity": "Семинар", "form": "community", "due": "31.05.2027"}),
    );
    let (status, refused) = edit(json!(wrong), 0).await;
    assert_eq!(status, 422, "{refused}");
    let field = format!("row-{}-task", kept.len());
    assert!(
        refused["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|error| error["field"] == field.as_str()),
        "{refused}"
    );
    let mut own = kept.clone();
    own.push(
        json!({"deficit": "Работа с родителями в мессенджерах", "task": "Освоить чат группы",
        "activity": "Семинар методического объединения", "form": "community", "due": "31.05.2027"}),
    );
    let (status, edited) = edit(json!(own), 0).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        edited["rows"].as_array().unwrap().len(),
        areas.len(),
        "{edited}"
    );
    let last = &edited["rows"][areas.len() - 1];
    assert_eq!(last["form"], "community");
    assert_eq!(last["deficit_title"], "Работа с родителями в мессенджерах");
    assert_eq!(
        edited["rows"][0]["training_record_id"], course["root_id"],
        "kept with its row"
    );
    let stored_version = edited["version"].as_u64().unwrap();

    // She may not approve her own route; she sends it as it is.
    let act = |token: &str, version: u64, action: &str| {
        let app = &app;
        let path = format!("{path}/actions");
        let token = token.to_owned();
        let body = json!({"version": version, "action": action});
        async move { json_of(app.post_as(&token, &path, &body).await).await }
    };
    let (status, _) = act(teacher_token, stored_version, "approve").await;
    assert_eq!(status, 409, "approving a draft is not an action of a draft");
    let (status, sent) = act(teacher_token, stored_version, "submit").await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "submitted");
    let version = sent["version"].as_u64().unwrap();
    let (status, _) = act(teacher_token, version, "approve").await;
    assert_eq!(status, 403, "a teacher never approves her own route");
    // Her head: a stale version is refused; returning needs a remark.
    let (status, stale) = act(&unit.head, version - 1, "approve").await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["code"], "route_changed", "{stale}");
    let (status, _) = act(&unit.head, version, "return").await;
    assert_eq!(status, 422);
    let (status, approved) = act(&unit.head, version, "approve").await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert!(approved["approved_at"].is_string());
    // Another kindergarten's head does not find it; another teacher neither.
    let (status, _) = json_of(app.get_as(&world.units[1].head, &path).await).await;
    assert_eq!(status, 404);
    let (status, _) = json_of(app.get_as(&unit.teachers[1].1, &path).await).await;
    assert_eq!(status, 404);

    // She marks the second row done; a row the plan does not have is refused.
    let version = approved["version"].as_u64().unwrap();
    let (status, _) = json_of(
        app.put_as(
            teacher_token,
            &format!("{path}/done"),
            &json!({"version": version, "done": [99]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, marked) = json_of(
        app.put_as(
            teacher_token,
            &format!("{path}/done"),
            &json!({"version": version, "done": [0, 1]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["rows"][1]["done"], true);

    // October: the first area at the top (closed), the others still at the bottom (unchanged).
    created(
        app.submit(
            teacher_token,
            "october",
            &json!({"instrument": "dc-teacher", "period": second,
                "answers": answers_low_except(&survey, &[areas[0].as_str()])}),
        )
        .await,
    )
    .await;
    let (_, route) = json_of(app.get_as(teacher_token, &path).await).await;
    assert_eq!(route["outcomes_period"], second.as_str(), "{route}");
    assert_eq!(route["rows"][0]["effect"], "closed", "{route}");
    assert_eq!(route["rows"][0]["effect_label"], "дефицит закрыт");
    assert_eq!(route["rows"][1]["effect"], "unchanged", "{route}");

    // The kindergarten's routes and the network's.
    let (status, list) = json_of(
        app.get_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/routes", unit.id),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["approved"], 1, "{list}");
    assert_eq!(list["rows_done"], 2, "{list}");
    let line = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["person_id"] == *teacher)
        .unwrap();
    assert_eq!(line["status"], "approved");
    let file = app
        .get_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/routes?format=csv-ru", unit.id),
        )
        .await;
    assert_eq!(file.status(), 200);
    let text = file.text().await.unwrap();
    assert!(
        text.contains("ФИО;Должность;Детский сад;Статус маршрута"),
        "{text}"
    );
    assert!(text.contains(";утверждён;2;"), "{text}");
    let (status, network) = json_of(app.get_as(&world.manager, "/api/v1/routes").await).await;
    assert_eq!(status, 200, "{network}");
    assert_eq!(network[0]["approved"], 1, "{network}");
    assert!(
        network[0]["lines"].as_array().unwrap().is_empty(),
        "no names in the network's"
    );
}

crate::both!(a_heads_own_route_is_approved_by_the_department);
async fn a_heads_own_route_is_approved_by_the_department(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (_, people) = json_of(
        app.get_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/people", unit.id),
        )
        .await,
    )
    .await;
    let head_person = people
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["position"] == "заведующий")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/people/{head_person}/route");
    let act = |token: &str, version: u64, action: &str| {
        let app = &app;
        let path = format!("{path}/actions");
        let token = token.to_owned();
        let body = json!({"version": version, "action": action});
        async move { json_of(app.post_as(&token, &path, &body).await).await }
    };
    // She sends her own route; she may not approve it — the department does.
    let (status, sent) = act(&unit.head, 0, "submit").await;
    assert_eq!(status, 200, "{sent}");
    let version = sent["version"].as_u64().unwrap();
    let (status, _) = act(&unit.head, version, "approve").await;
    assert_eq!(status, 403);
    let (_, seen) = json_of(app.get_as(&world.manager, &path).await).await;
    assert_eq!(seen["actions"], json!(["approve", "return"]), "{seen}");
    let (status, approved) = act(&world.manager, version, "approve").await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "approved");
    // The kindergarten's list shows her apart from the teachers.
    let (_, list) = json_of(
        app.get_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/routes", unit.id),
        )
        .await,
    )
    .await;
    assert_eq!(list["teachers"], 2, "{list}");
    assert_eq!(list["approved"], 0, "the teachers' figures: {list}");
    let line = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["person_id"] == head_person)
        .unwrap();
    assert_eq!(
        (line["management"].clone(), line["status"].clone()),
        (json!(true), json!("approved"))
    );
}
