//! The calendar plan of professional development (issue 28 §2) over HTTP: the department makes
//! it from September's deficits (the rows and their reasoning), a head agrees, a change after
//! that needs its reason and leaves her agreement «изменён после согласования», an event added
//! and held writes the attendees' training records (partial attendance as the hours attended,
//! nothing written when one line is wrong) and moves the coverage's «адресность»; what each
//! role may do; the files; a tutor's calendar; the audit log.

use chrono::Datelike;
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, created, strong_and_weak};

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn person_id(app: &TestApp, token: &str, unit: i64, name: &str) -> i64 {
    let (_, people) = json_of(
        app.get_as(token, &format!("/api/v1/kindergartens/{unit}/people"))
            .await,
    )
    .await;
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["full_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {people}"))["id"]
        .as_i64()
        .unwrap()
}

crate::both!(the_plan_is_proposed_agreed_revised_and_attended);
async fn the_plan_is_proposed_agreed_revised_and_attended(app: TestApp) {
    let world = World::build(&app).await;
    let (weak, strong) = (&world.units[0], &world.units[1]);
    strong_and_weak(&app, &world).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    let areas: Vec<String> = survey["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| area["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        areas.len() < 8,
        "the test counts on fewer areas than modules"
    );

    // Nothing yet: the department may make it, a head may not, a teacher reads her calendar.
    let (status, empty) = json_of(app.get_as(&world.manager, "/api/v1/pd-plan").await).await;
    assert_eq!(status, 200, "{empty}");
    assert_eq!(empty["plan"], Value::Null);
    assert_eq!(empty["may_propose"], true);
    // A past school year's plan is read only: nothing to propose there.
    let (_, past) = json_of(
        app.get_as(&world.manager, "/api/v1/pd-plan?school_year=2020")
            .await,
    )
    .await;
    assert_eq!(past["school_year"], "2020/2021");
    assert_eq!(past["read_only"], true);
    assert_eq!(past["may_propose"], false);
    let (status, problem) = json_of(
        app.get_as(&world.manager, "/api/v1/pd-plan?school_year=1999")
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "school_year");
    let (_, for_head) = json_of(app.get_as(&weak.head, "/api/v1/pd-plan").await).await;
    assert_eq!(for_head["may_propose"], false);
    let teacher = &weak.teachers[0].1;
    assert_eq!(
        app.get_as(teacher, "/api/v1/pd-plan")
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        app.post_as(&weak.head, "/api/v1/pd-plan", &json!({}))
            .await
            .status()
            .as_u16(),
        403
    );

    let made = created(
        app.post_as(&world.manager, "/api/v1/pd-plan", &json!({}))
            .await,
    )
    .await;
    let plan = &made["plan"];
    assert_eq!(plan["version"], 1);
    assert_eq!(made["read_only"], false);
    assert_eq!(made["years"], json!([made["school_year"]]));
    let events = plan["events"].as_array().unwrap();
    let modules: Vec<&Value> = events
        .iter()
        .filter(|event| event["format"] == "course_module")
        .collect();
    assert_eq!(modules.len(), 8);
    assert_eq!(
        modules
            .iter()
            .map(|e| e["hours"].as_u64().unwrap())
            .sum::<u64>(),
        48
    );
    // Every area has three teachers of № 18 below the threshold: one module each, the modules
    // left to the first areas; № 55, strong everywhere, hosts them, led by its tutor.
    let first = &events[0];
    assert_eq!(first["format"], "course_module");
    assert_eq!(first["month"].as_str().unwrap()[5..], *"10");
    assert_eq!(first["host_kindergarten_id"], strong.id);
    assert_eq!(first["place"], "МДОУ № 55");
    assert_eq!(first["responsible"], "Воспитатель 55-1");
    assert_eq!(first["areas"], json!([areas[0]]));
    assert_eq!(
        first["seats"],
        json!([{"kindergarten_id": weak.id, "seats": 3}])
    );
    assert_eq!(
        first["reasoning"],
        format!(
            "1 ДОО и 3 педагога с дефицитом по области {}; ведущая ДОО — МДОУ № 55, сильная сторона; модуль 1 из 2 по области",
            areas[0]
        )
    );
    let track = &events[1];
    assert_eq!(track["format"], "seminar");
    assert_eq!(
        track["reasoning"],
        "1 тьютор в 1 ДОО подтверждён заведующими; трек 24 ак. ч. готовит тьюторов сопровождать коллег на местах"
    );
    let tutor = track["participants"][0].as_i64().unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e["participants"] == json!([tutor]))
            .map(|e| e["hours"].as_u64().unwrap())
            .sum::<u64>(),
        24
    );
    let (status, problem) = json_of(
        app.post_as(&world.manager, "/api/v1/pd-plan", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "plan_exists");

    // № 18's head agrees version 1; an agreement of a stale version is refused; the department
    // does not agree.
    let agree = |version: u64| json!({ "version": version });
    let (status, problem) = json_of(
        app.post_as(&weak.head, "/api/v1/pd-plan/agreement", &agree(7))
            .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "plan_changed");
    assert_eq!(
        app.post_as(&world.manager, "/api/v1/pd-plan/agreement", &agree(1))
            .await
            .status()
            .as_u16(),
        403
    );
    let (status, agreed) = json_of(
        app.post_as(&weak.head, "/api/v1/pd-plan/agreement", &agree(1))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{agreed}");
    assert_eq!(agreed["may_agree"], false);
    let state_of = |view: &Value, unit: i64| {
        view["plan"]["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["kindergarten_id"] == unit)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state_of(&agreed, weak.id), "agreed");
    assert_eq!(state_of(&agreed, strong.id), "not_agreed");
    assert_eq!(agreed["plan"]["needs_reason"], true);

    // A change after an agreement needs its reason; a head does not edit; bad fields are named.
    let today = chrono::Local::now().date_naive();
    let this_month = today.format("%Y-%m").to_string();
    let seminar = json!({"version": 1, "topic": "Семинар: цифровые игры в режимных моментах",
        "format": "seminar", "month": this_month, "date": today,
        "host_kindergarten_id": weak.id, "areas": [areas[1]], "hours": 6,
        "seats": [{"kindergarten_id": weak.id, "seats": 3}],
        "planned_result": "Педагоги используют цифровые игры"});
    let (status, problem) = json_of(
        app.post_as(&world.manager, "/api/v1/pd-plan/events", &seminar)
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "reason");
    let mut wrong = seminar.clone();
    wrong["reason"] = json!("по заявке ДОО");
    wrong["hours"] = json!(0);
    wrong["month"] = json!(format!("{}-09", today.year() + 1));
    wrong["date"] = Value::Null;
    wrong["areas"] = json!(["Z9"]);
    let (status, problem) = json_of(
        app.post_as(&world.manager, "/api/v1/pd-plan/events", &wrong)
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["month", "hours", "areas"], "{problem}");
    let mut with_reason = seminar.clone();
    with_reason["reason"] = json!("по заявке МДОУ № 18");
    assert_eq!(
        app.post_as(&weak.head, "/api/v1/pd-plan/events", &with_reason)
            .await
            .status()
            .as_u16(),
        403
    );
    let revised = created(
        app.post_as(&world.manager, "/api/v1/pd-plan/events", &with_reason)
            .await,
    )
    .await;
    assert_eq!(revised["plan"]["version"], 2);
    assert_eq!(state_of(&revised, weak.id), "changed_since");
    assert_eq!(
        revised["plan"]["revisions"][0]["reason"],
        "по заявке МДОУ № 18"
    );
    let added = revised["plan"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["topic"] == seminar["topic"])
        .unwrap()
        .clone();
    let id = added["id"].as_u64().unwrap();
    // Stale version: refused, not overwritten.
    let (status, problem) = json_of(
        app.post_as(&world.manager, "/api/v1/pd-plan/events", &with_reason)
            .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "plan_changed");

    // Attendance: № 18 hosts, so its head marks it (№ 55's may not); one wrong line writes
    // nothing; then two of three present, one for half the hours.
    let one = person_id(&app, &weak.head, weak.id, "Воспитатель 18-1").await;
    let two = person_id(&app, &weak.head, weak.id, "Воспитатель 18-2").await;
    let coverage_path = format!("/api/v1/kindergartens/{}/training-coverage", weak.id);
    let addressed = |coverage: &Value| {
        coverage["teachers"]["addressing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["area"] == areas[1])
            .map(|line| (line["with_deficit"].clone(), line["addressed"].clone()))
    };
    let (_, before) = json_of(app.get_as(&weak.head, &coverage_path).await).await;
    assert_eq!(addressed(&before), Some((json!(3), json!(0))), "{before}");
    let attendance = format!("/api/v1/pd-plan/events/{id}/attendance");
    let marks = |hours_two: u32| {
        json!({"version": 2, "held_on": today,
            "attended": [{"person_id": one, "hours": 6}, {"person_id": two, "hours": hours_two}]})
    };
    assert_eq!(
        app.post_as(&strong.head, &attendance, &marks(3))
            .await
            .status()
            .as_u16(),
        403
    );
    let (status, problem) = json_of(app.post_as(&weak.head, &attendance, &marks(7)).await).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], format!("hours.{two}"));
    let (_, unchanged) = json_of(app.get_as(&weak.head, &coverage_path).await).await;
    assert_eq!(addressed(&unchanged), Some((json!(3), json!(0))));
    let (status, outcome) = json_of(app.post_as(&weak.head, &attendance, &marks(3)).await).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome, json!({"added": 2, "kept": 0}));
    let (_, after) = json_of(app.get_as(&weak.head, &coverage_path).await).await;
    assert_eq!(addressed(&after), Some((json!(3), json!(2))), "{after}");
    let (_, records) = json_of(
        app.get_as(
            &weak.head,
            &format!("/api/v1/kindergartens/{}/training-records", weak.id),
        )
        .await,
    )
    .await;
    let hours: Vec<(i64, u64)> = records
        .as_array()
        .unwrap()
        .iter()
        .filter(|record| {
            record["record"]["programme"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Семинар: цифровые игры")
        })
        .map(|record| {
            (
                record["person_id"].as_i64().unwrap(),
                record["record"]["hours"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(hours.len(), 2, "{records}");
    assert!(
        hours.contains(&(one, 6)) && hours.contains(&(two, 3)),
        "{hours:?}"
    );
    // Marked again: kept, nothing added, no new version. Marking attendance is not a change of
    // what was agreed.
    let (_, again) = json_of(
        app.post_as(
            &weak.head,
            &attendance,
            &json!({"version": 3, "held_on": today, "attended": [{"person_id": one, "hours": 6}]}),
        )
        .await,
    )
    .await;
    assert_eq!(again, json!({"added": 0, "kept": 1}));
    let (_, view) = json_of(app.get_as(&world.manager, "/api/v1/pd-plan").await).await;
    let held = view["plan"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(held["held"]["attended"].as_array().unwrap().len(), 2);
    assert!(
        held["result"]
            .as_str()
            .unwrap()
            .contains("2 участника, 9 ак. ч."),
        "{held}"
    );
    assert_eq!(view["plan"]["version"], 3);
    // № 18 agrees again, version 3 (the attendance's).
    let (_, again_agreed) = json_of(
        app.post_as(&weak.head, "/api/v1/pd-plan/agreement", &agree(3))
            .await,
    )
    .await;
    assert_eq!(state_of(&again_agreed, weak.id), "agreed");

    // A held event is neither changed nor removed; another is removed with its reason.
    let (status, problem) = json_of(
        app.post_as(
            &world.manager,
            &format!("/api/v1/pd-plan/events/{id}/removal"),
            &json!({"version": 3, "reason": "ошибка"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "event_held");
    let last = events.last().unwrap()["id"].as_u64().unwrap();
    let (status, removed) = json_of(
        app.post_as(
            &world.manager,
            &format!("/api/v1/pd-plan/events/{last}/removal"),
            &json!({"version": 3, "reason": "перенесено на следующий год"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{removed}");
    assert_eq!(removed["plan"]["version"], 4);
    assert_eq!(state_of(&removed, weak.id), "changed_since");
    assert!(
        !removed["plan"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|event| event["id"] == last)
    );

    // The tutor's calendar: her modules and her track; her head and the department read it,
    // the other kindergarten's head does not find it.
    let calendar = format!("/api/v1/people/{tutor}/calendar");
    let (status, own) = json_of(app.get_as(&strong.head, &calendar).await).await;
    assert_eq!(status, 200, "{own}");
    assert!(own.as_array().unwrap().len() >= 8, "{own}");
    assert_eq!(
        app.get_as(&weak.head, &calendar).await.status().as_u16(),
        404
    );
    let docx = app
        .get_as(&world.manager, &format!("{calendar}?format=docx"))
        .await;
    assert_eq!(docx.status().as_u16(), 200);
    assert!(docx.bytes().await.unwrap().starts_with(b"PK"));

    // The files of the plan.
    for (format, kind) in [
        ("xlsx", "spreadsheetml"),
        ("docx", "wordprocessingml"),
        ("csv", "text/csv"),
    ] {
        let response = app
            .get_as(&weak.head, &format!("/api/v1/pd-plan?format={format}"))
            .await;
        assert_eq!(response.status().as_u16(), 200, "{format}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.contains(kind), "{format}: {content_type}");
    }
    // The Word plan is the seeds' layout: a real table, its header the columns they use.
    let bytes = app
        .get_as(&world.manager, "/api/v1/pd-plan?format=docx")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let docx = docx_rs::read_docx(&bytes).expect("a DOCX a reader opens");
    let table = docx
        .document
        .children
        .iter()
        .find_map(|child| match child {
            docx_rs::DocumentChild::Table(table) => Some(table.as_ref()),
            _ => None,
        })
        .expect("the plan is a Word table");
    let row_text = |row: usize| -> Vec<String> {
        let docx_rs::TableChild::TableRow(row) = &table.rows[row];
        row.cells
            .iter()
            .map(|cell| {
                let docx_rs::TableRowChild::TableCell(cell) = cell;
                cell.children
                    .iter()
                    .filter_map(|child| match child {
                        docx_rs::TableCellContent::Paragraph(paragraph) => {
                            Some(paragraph.raw_text())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    };
    assert_eq!(
        row_text(0),
        [
            "№ п/п",
            "Мероприятие",
            "Сроки",
            "Ответственный",
            "Место проведения",
            "Планируемый результат",
            "Отметка о согласовании"
        ]
    );
    let first_row = row_text(1);
    assert!(first_row[1].starts_with("Модуль 1 курса"), "{first_row:?}");
    assert_eq!(first_row[4], "МДОУ № 55");
    let csv = app
        .get_as(&world.manager, "/api/v1/pd-plan?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("№ п/п,Мероприятие,Форма,Сроки,Ответственный,Место проведения"),
        "{csv}"
    );

    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let plan_id = plan["id"].as_i64().unwrap();
    let trail = store
        .audit_trail("pd_plan", &plan_id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "pd_plan.create",
            "pd_plan.agree",
            "pd_plan.change",
            "pd_plan.change",
            "pd_plan.agree",
            "pd_plan.change"
        ],
        "{trail:?}"
    );
}
