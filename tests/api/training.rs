//! Training records (issue 26): a head enters a course for a teacher, corrects it (a revision,
//! never silent), withdraws one entered by mistake; errors are refused at their field, warnings
//! come back; the coverage counts the three-year window and says the department's sentence.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, created};

fn fields(ends_on: &str, hours: u32, distance: bool) -> Value {
    json!({
        "kind": "qualification_upgrade",
        "programme": "Цифровые технологии в образовательной деятельности ДОО",
        "provider": "ГАУ ДПО «Институт развития образования»",
        "provider_type": "state",
        "hours": hours,
        "starts_on": "2024-01-10",
        "ends_on": ends_on,
        "form": "full_time",
        "distance": distance,
        "document_number": "7827 00031001",
        "registration_number": "ПК-1",
        "issued_on": ends_on,
        "areas": ["A3"],
    })
}

fn course(person: i64, ends_on: &str, hours: u32, distance: bool) -> Value {
    json!({"person_id": person, "record": fields(ends_on, hours, distance)})
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(a_head_enters_corrects_and_withdraws_a_course_and_the_audit_keeps_it);
async fn a_head_enters_corrects_and_withdraws_a_course_and_the_audit_keeps_it(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (person, teacher) = &unit.teachers[0];
    let path = format!("/api/v1/kindergartens/{}/training-records", unit.id);

    // A short course is stored with a warning, not refused.
    let stored = created(
        app.post_as(&unit.head, &path, &course(*person, "2024-02-10", 12, false))
            .await,
    )
    .await;
    assert_eq!(stored["revision"], 1);
    assert_eq!(stored["person_name"], "Воспитатель 18-1");
    let warnings = stored["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|warning| warning["field"] == "hours"
            && warning["message"].as_str().unwrap().contains("16")),
        "{stored}"
    );

    // Errors are refused at their field, nothing is stored.
    let mut broken = course(*person, "2024-01-01", 36, false);
    broken["record"]["issued_on"] = json!("2023-12-31");
    let (status, problem) = json_of(app.post_as(&unit.head, &path, &broken).await).await;
    assert_eq!(status, 422, "{problem}");
    let refused: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert!(refused.contains(&"ends_on"), "{problem}");
    // A person of another kindergarten is not this kindergarten's.
    let other = world.units[1].teachers[0].0;
    let (status, problem) = json_of(
        app.post_as(&unit.head, &path, &course(other, "2024-02-10", 36, false))
            .await,
    )
    .await;
    assert!(status == 404 || status == 422, "{status} {problem}");

    // A correction is the next revision; the old revision cannot be corrected again.
    let id = stored["id"].as_i64().unwrap();
    let fixed = fields("2024-02-10", 36, false);
    let (status, corrected) = json_of(
        app.put_as(
            &unit.head,
            &format!("/api/v1/training-records/{id}"),
            &fixed,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{corrected}");
    assert_eq!(corrected["revision"], 2);
    assert_eq!(corrected["root_id"], id);
    assert_eq!(corrected["record"]["hours"], 36);
    assert!(
        corrected["warnings"].as_array().unwrap().is_empty(),
        "{corrected}"
    );
    let (status, stale) = json_of(
        app.put_as(
            &unit.head,
            &format!("/api/v1/training-records/{id}"),
            &fixed,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["code"], "not_latest_revision");

    // A teacher reads her own record, but does not correct it; another kindergarten's head does
    // not see it.
    let latest = corrected["id"].as_i64().unwrap();
    let (status, own) = json_of(
        app.get_as(teacher, &format!("/api/v1/training-records/{latest}"))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{own}");
    let (status, _) = json_of(
        app.put_as(
            teacher,
            &format!("/api/v1/training-records/{latest}"),
            &fixed,
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = json_of(
        app.get_as(
            &world.units[1].head,
            &format!("/api/v1/training-records/{latest}"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);

    let list = json_of(app.get_as(&unit.head, &path).await).await.1;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let withdrawn = app
        .client
        .delete(app.url(&format!("/api/v1/training-records/{latest}")))
        .bearer_auth(&unit.head)
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 204);
    let list = json_of(app.get_as(&unit.head, &path).await).await.1;
    assert!(list.as_array().unwrap().is_empty(), "{list}");
}

crate::both!(coverage_counts_the_three_year_window_and_says_the_departments_sentence);
async fn coverage_counts_the_three_year_window_and_says_the_departments_sentence(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let path = format!("/api/v1/kindergartens/{}/training-records", unit.id);
    let (first, second) = (unit.teachers[0].0, unit.teachers[1].0);
    // At 2025-05-15: teacher 1's course of 2022-05-15 is exactly 36 months old — out; her
    // course of 2024-10-01 is in the window and in the school year 2024/2025, with ДОТ.
    // Teacher 2's course of 2022-05-16 is one day inside the window, not in the school year.
    for body in [
        course(first, "2022-05-15", 72, false),
        course(first, "2024-10-01", 36, true),
        course(second, "2022-05-16", 36, false),
    ] {
        let mut body = body;
        body["record"]["starts_on"] = json!("2022-05-01");
        created(app.post_as(&unit.head, &path, &body).await).await;
    }
    let (status, coverage) = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/kindergartens/{}/training-coverage?at=2025-05-15",
                unit.id
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{coverage}");
    assert_eq!(coverage["school_year"], "2024/2025");
    let teachers = &coverage["teachers"];
    // Two teachers; the head is management.
    assert_eq!(teachers["active"], 2, "{coverage}");
    assert_eq!(teachers["covered"], 2, "{coverage}");
    assert_eq!(teachers["trained"], 1, "{coverage}");
    assert_eq!(teachers["distance"], 1, "{coverage}");
    assert_eq!(coverage["management"]["active"], 1, "{coverage}");
    assert_eq!(coverage["management"]["covered"], 0, "{coverage}");
    assert_eq!(
        coverage["sentence"],
        "В 2024/2025 учебном году курсы повышения квалификации прошёл 1 педагогический работник (с применением дистанционных технологий)."
    );
    // Teacher 2's course leaves the window on 2025-05-16, before the next school year; the head
    // has none.
    let forecast = coverage["forecast"].as_array().unwrap();
    let needs: Vec<(i64, &str)> = forecast
        .iter()
        .map(|entry| {
            (
                entry["person_id"].as_i64().unwrap(),
                entry["need"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(needs.contains(&(second, "out_before_year")), "{forecast:?}");
    assert!(
        !needs.iter().any(|(person, _)| *person == first),
        "{forecast:?}"
    );
    assert!(
        needs.iter().any(|(_, need)| *need == "no_training"),
        "{forecast:?}"
    );

    // The shipped targets: 100 % of teachers within 36 months — achieved (2 of 2); management —
    // 0 of 1, 100 п.п. short; the diagnosis — no teachers' survey sent in May: 0 %.
    let targets = coverage["targets"].as_array().unwrap();
    let target = |code: &str| {
        targets
            .iter()
            .find(|target| target["code"] == code)
            .unwrap_or_else(|| panic!("{code}: {targets:?}"))
    };
    assert_eq!(target("kpk-36-teachers")["status"], "достигнуто");
    assert_eq!(target("kpk-36-teachers")["actual"], "100\u{a0}%");
    assert_eq!(target("kpk-36-management")["status"], "не достигнуто");
    assert_eq!(target("kpk-36-management")["gap"], "\u{2212}100\u{a0}п.п.");
    assert_eq!(target("diagnosis-teachers")["actual"], "0\u{a0}%");

    // The same coverage as a file Russian Excel opens.
    let file = app
        .get_as(
            &unit.head,
            &format!(
                "/api/v1/kindergartens/{}/training-coverage?at=2025-05-15&format=csv-ru",
                unit.id
            ),
        )
        .await;
    assert_eq!(file.status(), 200);
    assert!(
        file.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = file.text().await.unwrap();
    assert!(
        text.trim_start_matches('\u{feff}')
            .starts_with("Детский сад;Педагогов;"),
        "{text}"
    );
    assert!(text.contains("МДОУ № 18;2;2;"), "{text}");

    // A list naming people was read: the audit log says who read it.
    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store
        .audit_trail("kindergarten", &unit.id.to_string())
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|entry| entry.action == "training_coverage.read"),
        "{trail:?}"
    );
}

async fn upload(app: &TestApp, token: &str, path: &str, file: &[u8]) -> (u16, Value) {
    let boundary = "vsoko-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kpk.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    json_of(response).await
}

crate::both!(a_list_of_courses_is_checked_then_imported_once);
async fn a_list_of_courses_is_checked_then_imported_once(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let file = "ФИО;Программа;Организация;Часы;Дата начала;Дата окончания;Номер удостоверения;Дата выдачи\n\
                Воспитатель 18-1;Цифровые технологии в ДОО;ГАУ ДПО ИРО;36;01.10.2024;20.10.2024;7827 1;20.10.2024\n\
                Воспитатель 18-2;Цифровые технологии в ДОО;ГАУ ДПО ИРО;сорок;01.10.2024;20.10.2024;7827 2;20.10.2024\n";
    let path = format!("/api/v1/kindergartens/{}/training-records/import", unit.id);
    // A dry run names the bad cell and writes nothing.
    let (status, dry) = upload(&app, &unit.head, &path, file.as_bytes()).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["written"], false);
    assert_eq!(dry["created"], 1);
    assert_eq!(dry["errors"][0]["line"], 3, "{dry}");
    assert_eq!(dry["errors"][0]["column"], "Часы", "{dry}");
    // With errors a commit writes nothing; with skip_errors the good row, once.
    let (_, refused) = upload(
        &app,
        &unit.head,
        &format!("{path}?commit=true"),
        file.as_bytes(),
    )
    .await;
    assert_eq!(refused["written"], false, "{refused}");
    let commit = format!("{path}?commit=true&skip_errors=true");
    let (_, first) = upload(&app, &unit.head, &commit, file.as_bytes()).await;
    assert_eq!(
        (first["written"].clone(), first["created"].clone()),
        (json!(true), json!(1)),
        "{first}"
    );
    let (_, again) = upload(&app, &unit.head, &commit, file.as_bytes()).await;
    assert_eq!(
        (again["created"].clone(), again["existing"].clone()),
        (json!(0), json!(1)),
        "{again}"
    );
    let list = json_of(
        app.get_as(
            &unit.head,
            &format!("/api/v1/kindergartens/{}/training-records", unit.id),
        )
        .await,
    )
    .await
    .1;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    // An empty file is refused, saying why; nothing breaks.
    let (status, empty) = upload(&app, &unit.head, &path, b"").await;
    assert_eq!(status, 422, "{empty}");
    // A teacher imports nothing.
    let (status, _) = upload(&app, &unit.teachers[0].1, &path, file.as_bytes()).await;
    assert_eq!(status, 403);
}

const OWN_TARGETS: &str = r#"#:schema targets.schema.json
[[targets]]
code = "kpk-36-teachers"
title = "Педагоги с КПК за три года"
source = { kind = "coverage", figure = "within_36_months", category = "teacher" }
comparison = "at_least"
value = 100
unit = "%"

[[targets]]
code = "eor-lessons"
title = "Занятия с использованием ЭОР"
source = { kind = "item_value", instrument = "card-ood", item = "O5.1.3", value = 1 }
comparison = "at_least"
value = 60
unit = "%"

[[targets]]
code = "dc-total"
title = "Средний результат самооценки педагогов"
source = { kind = "node", instrument = "dc-teacher", node = "dc-teacher" }
comparison = "at_least"
value = 50
unit = "%"

[[targets]]
code = "iom"
title = "Педагоги с дефицитами, у которых утверждён индивидуальный маршрут"
source = { kind = "individual_plans" }
comparison = "at_least"
value = 100
unit = "%"
"#;

async fn a_networks_own_targets_are_held_to_cards_and_surveys(backend: crate::helpers::Backend) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("targets.toml"), OWN_TARGETS).unwrap();
    let checklists = dir.path().to_path_buf();
    let Some(app) = crate::helpers::spawn_on_with(backend, |settings| {
        settings.checklists_dir = Some(checklists);
    })
    .await
    else {
        eprintln!("skipped: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    let world = World::build(&app).await;
    let unit = &world.units[0];
    // Three занятия observed in May: ЭОР used in two («да» = 1), not in one.
    let card = app.instrument(&unit.head, "card-ood").await;
    for (n, (eor, teacher)) in [(1, 0), (0, 1), (1, 0)].into_iter().enumerate() {
        let mut given = crate::helpers::answers(&card, 0);
        for answer in &mut given {
            if answer["item"] == "O5.1.3" {
                answer["value"] = json!(eor);
            }
        }
        let body = json!({"instrument": "card-ood", "period": "2025-05",
            "observed_on": format!("2025-05-1{n}"),
            "subject": {"kind": "teacher", "id": unit.teachers[teacher].0}, "answers": given});
        created(app.submit(&unit.head, &format!("card-{n}"), &body).await).await;
    }
    let (status, coverage) = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/kindergartens/{}/training-coverage?at=2025-06-01",
                unit.id
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{coverage}");
    let targets = coverage["targets"].as_array().unwrap();
    // The network's file replaced the shipped one: its three targets, in its order.
    let codes: Vec<&str> = targets
        .iter()
        .map(|target| target["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["kpk-36-teachers", "eor-lessons", "dc-total", "iom"]);
    // Nobody has taken the survey: no teacher with a deficit, no share of them.
    assert_eq!(targets[3]["status"], "недостаточно данных", "{targets:?}");
    assert!(
        targets[3]["source"].as_str().unwrap().contains("маршруты"),
        "{targets:?}"
    );
    // 2 of 3 занятия = 67 % ≥ 60 %: achieved, +7 п.п.
    assert_eq!(targets[1]["status"], "достигнуто", "{targets:?}");
    assert_eq!(targets[1]["actual"], "67\u{a0}%");
    assert_eq!(targets[1]["gap"], "+7\u{a0}п.п.");
    // Nobody took the teachers' survey: no figure, never 0.
    assert_eq!(targets[2]["status"], "недостаточно данных", "{targets:?}");
    assert!(targets[2]["actual"].is_null());

    // Both teachers take the survey: 2 teachers are under the coverage rule's minimum of 3 —
    // still «недостаточно данных», and the source says why.
    let survey = app.instrument(&unit.head, "dc-teacher").await;
    for (n, (_, token)) in unit.teachers.iter().enumerate() {
        let body = json!({"instrument": "dc-teacher", "period": "2025-05",
            "answers": crate::helpers::answers(&survey, n)});
        created(app.submit(token, &format!("survey-{n}"), &body).await).await;
    }
    let coverage = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/kindergartens/{}/training-coverage?at=2025-06-01",
                unit.id
            ),
        )
        .await,
    )
    .await
    .1;
    let total = &coverage["targets"][2];
    assert_eq!(total["status"], "недостаточно данных", "{total}");
    assert!(
        total["source"]
            .as_str()
            .unwrap()
            .contains("в оценке участвовали"),
        "{total}"
    );
}

#[tokio::test]
async fn a_networks_own_targets_are_held_to_cards_and_surveys_sqlite() {
    a_networks_own_targets_are_held_to_cards_and_surveys(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_networks_own_targets_are_held_to_cards_and_surveys_postgres() {
    a_networks_own_targets_are_held_to_cards_and_surveys(crate::helpers::Backend::Postgres).await;
}

crate::both!(a_snils_is_kept_only_when_the_network_asks_for_it);
async fn a_snils_is_kept_only_when_the_network_asks_for_it(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let path = format!("/api/v1/kindergartens/{}/training-records/import", unit.id);
    let commit = format!("{path}?commit=true&skip_errors=true");
    let list = |token: String| {
        let app = &app;
        let path = format!("/api/v1/kindergartens/{}/training-records", unit.id);
        async move { json_of(app.get_as(&token, &path).await).await.1 }
    };
    // An ФИС ФРДО-like file with a СНИЛС column; the network keeps none by default: the column
    // is not used, even a wrong number is no error, and nothing of it is stored.
    let file = "ФИО;СНИЛС;Программа;Организация;Часы;Дата начала;Дата окончания;Номер удостоверения;Дата выдачи\n\
                Воспитатель 18-1;112-233-445 95;Цифровые технологии в ДОО;ГАУ ДПО ИРО;36;01.10.2024;20.10.2024;7827 1;20.10.2024\n\
                Воспитатель 18-2;112-233-445 94;Цифровые технологии в ДОО;ГАУ ДПО ИРО;36;01.10.2024;20.10.2024;7827 2;20.10.2024\n";
    let (status, off) = upload(&app, &unit.head, &commit, file.as_bytes()).await;
    assert_eq!(status, 200, "{off}");
    assert_eq!(off["columns"][1]["header"], "СНИЛС", "{off}");
    assert!(off["columns"][1]["field"].is_null(), "{off}");
    assert_eq!(off["created"], 2, "{off}");
    let records = list(unit.head.clone()).await;
    assert!(
        records
            .as_array()
            .unwrap()
            .iter()
            .all(|record| record["snils"].is_null()),
        "{records}"
    );
    // A head does not change the setting; the department does.
    let setting = json!({"store_snils": true});
    let refused = app
        .put_as(&unit.head, "/api/v1/network/snils", &setting)
        .await;
    assert_eq!(refused.status(), 403);
    let set = app
        .put_as(&world.manager, "/api/v1/network/snils", &setting)
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(set.json::<Value>().await.unwrap()["store_snils"], true);
    // Now the column is read: a number failing its control number is an error at its cell; the
    // good one is kept with the record.
    let file = file
        .replace("7827 1", "7827 11")
        .replace("7827 2", "7827 22");
    let (_, on) = upload(&app, &unit.head, &commit, file.as_bytes()).await;
    assert_eq!(on["columns"][1]["field"], "snils", "{on}");
    assert_eq!(on["created"], 1, "{on}");
    assert_eq!(on["errors"][0]["line"], 3, "{on}");
    assert_eq!(on["errors"][0]["column"], "СНИЛС", "{on}");
    let records = list(unit.head.clone()).await;
    let kept: Vec<&Value> = records
        .as_array()
        .unwrap()
        .iter()
        .filter(|record| !record["snils"].is_null())
        .collect();
    assert_eq!(kept.len(), 1, "{records}");
    assert_eq!(kept[0]["snils"], "11223344595");
}
