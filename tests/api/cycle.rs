//! The management cycle (issue 28 §3) over HTTP: in September № 18's three teachers are below
//! the threshold in every area; the department makes a recommendation for the kindergarten and
//! one for a teacher, prefilled; the head answers hers, the department records an order; in May
//! one teacher is at the top, so the kindergarten's deficit closes and the other teacher's does
//! not; the register counts them by state and effect, compares the one trained teacher with the
//! untrained (too few to compare — it says so), and is a file; who may do what; the audit log.

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, World, answers_high, answers_with_roles, created, with_more_teachers,
};

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(a_recommendation_is_answered_decided_and_its_effect_read_in_may);
async fn a_recommendation_is_answered_decided_and_its_effect_read_in_may(app: TestApp) {
    let world = World::build(&app).await;
    let (weak, other) = (&world.units[0], &world.units[1]);
    let tokens = with_more_teachers(&app, weak, 18, 1).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    let area = survey["areas"][0]["code"].as_str().unwrap().to_owned();
    for (index, token) in tokens.iter().enumerate() {
        created(
            app.submit(
                token,
                "september",
                &json!({"instrument": "dc-teacher", "period": "2024-09", "answers": answers_with_roles(&survey, [0, 0, 0])}),
            )
            .await,
        )
        .await;
        let may = if index == 0 {
            answers_high(&survey, false)
        } else {
            answers_with_roles(&survey, [0, 0, 0])
        };
        created(
            app.submit(
                token,
                "may",
                &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": may}),
            )
            .await,
        )
        .await;
    }
    // Teacher 18-1 took a course on the area between the two.
    let (first, second) = (weak.teachers[0].0, weak.teachers[1].0);
    created(
        app.post_as(
            &weak.head,
            &format!("/api/v1/kindergartens/{}/training-records", weak.id),
            &json!({"person_id": first, "record": {
                "kind": "qualification_upgrade",
                "programme": "Цифровые технологии в образовательной деятельности ДОО",
                "provider": "ГАУ ДПО «Институт развития образования»",
                "provider_type": "state", "hours": 36,
                "starts_on": "2024-11-01", "ends_on": "2024-11-20", "form": "full_time",
                "document_number": "1", "registration_number": "ПК-1", "issued_on": "2024-11-20",
                "areas": [area]}}),
        )
        .await,
    )
    .await;

    // Only the department makes recommendations; what is not given is prefilled.
    let ask = json!({"kindergarten_id": weak.id, "instrument": "dc-teacher", "node": area,
        "period": "2024-09"});
    assert_eq!(
        app.post_as(&weak.head, "/api/v1/recommendations", &ask)
            .await
            .status()
            .as_u16(),
        403
    );
    for (field, change) in [
        ("node", json!({"node": "Z9"})),
        ("period", json!({"period": "1999-01"})),
        ("person", json!({"person_id": other.teachers[0].0})),
        ("due_on", json!({"due_on": "2000-01-01"})),
        ("addressee", json!({"addressee": "mayor"})),
    ] {
        let mut body = ask.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, problem) = json_of(
            app.post_as(&world.manager, "/api/v1/recommendations", &body)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{field}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let unit_rec = created(
        app.post_as(&world.manager, "/api/v1/recommendations", &ask)
            .await,
    )
    .await;
    assert_eq!(unit_rec["addressee"], "head");
    assert_eq!(unit_rec["score"], 0.0);
    assert_eq!(unit_rec["n"], 3);
    assert_eq!(unit_rec["state"], "waiting");
    assert!(!unit_rec["text"].as_str().unwrap().is_empty());
    assert!(
        unit_rec["due_on"].as_str().unwrap().ends_with("-05-31"),
        "{unit_rec}"
    );
    let mut teacher_ask = ask.clone();
    teacher_ask["person_id"] = json!(second);
    teacher_ask["text"] = json!("Пройти стажировку в МДОУ № 55");
    let teacher_rec = created(
        app.post_as(&world.manager, "/api/v1/recommendations", &teacher_ask)
            .await,
    )
    .await;
    assert_eq!(teacher_rec["addressee"], "teacher");
    assert_eq!(teacher_rec["subject"], "Воспитатель 18-2 (МДОУ № 18)");

    // The head of № 18 reads and answers; № 55's does not find it; a teacher has no register.
    let id = unit_rec["id"].as_i64().unwrap();
    let path = format!("/api/v1/recommendations/{id}");
    assert_eq!(app.get_as(&other.head, &path).await.status().as_u16(), 404);
    assert_eq!(
        app.get_as(&weak.teachers[0].1, "/api/v1/recommendations")
            .await
            .status()
            .as_u16(),
        403
    );
    let (_, read) = json_of(app.get_as(&weak.head, &path).await).await;
    assert_eq!(read["may_answer"], true);
    let (status, problem) = json_of(
        app.post_as(
            &weak.head,
            &format!("{path}/answer"),
            &json!({"answer": " "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        app.post_as(
            &world.manager,
            &format!("{path}/answer"),
            &json!({"answer": "x"})
        )
        .await
        .status()
        .as_u16(),
        403
    );
    let (_, answered) = json_of(
        app.post_as(
            &weak.head,
            &format!("{path}/answer"),
            &json!({"answer": "Два педагога записаны на модуль курса в октябре"}),
        )
        .await,
    )
    .await;
    assert_eq!(answered["state"], "answered");
    // An order needs its number and date.
    let (status, problem) = json_of(
        app.post_as(
            &world.manager,
            &format!("{path}/decisions"),
            &json!({"kind": "order", "text": "Направить на КПК"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "order_number");
    let decided = created(
        app.post_as(
            &world.manager,
            &format!("{path}/decisions"),
            &json!({"kind": "order", "text": "Направить педагогов МДОУ № 18 на КПК",
                "order_number": "45", "order_date": "2024-10-01"}),
        )
        .await,
    )
    .await;
    assert_eq!(decided["state"], "decided");
    assert_eq!(decided["decisions"][0]["kind_label"], "приказ");

    // In May: № 18's mean in the area is a third (one teacher at 100 %): closed; 18-2 is where
    // she was.
    assert_eq!(decided["next_period"], "май 2025");
    assert_eq!(decided["effect"], "closed", "{decided}");
    let (_, teacher_read) = json_of(
        app.get_as(
            &world.manager,
            &format!("/api/v1/recommendations/{}", teacher_rec["id"]),
        )
        .await,
    )
    .await;
    assert_eq!(teacher_read["effect"], "unchanged", "{teacher_read}");
    assert_eq!(teacher_read["state"], "waiting");

    let (status, register) =
        json_of(app.get_as(&world.manager, "/api/v1/recommendations").await).await;
    assert_eq!(status, 200, "{register}");
    let count = |list: &str, code: &str| {
        register[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|count| count["code"] == code)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(count("by_state", "decided"), 1);
    assert_eq!(count("by_state", "waiting"), 1);
    assert_eq!(count("by_effect", "closed"), 1);
    assert_eq!(count("by_effect", "unchanged"), 1);
    let training = &register["training"][0];
    assert_eq!(training["from_period"], "сентябрь 2024");
    // Every area together: a teacher once per area with a deficit — 18-1 trained in one area,
    // every other pair untrained.
    let areas = survey["areas"].as_array().unwrap().len() as u64;
    assert_eq!(training["pooled_trained"]["n"], 1);
    assert_eq!(training["pooled_untrained"]["n"], 3 * areas - 1);
    let line = training["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["area"] == area)
        .unwrap();
    assert_eq!(line["trained"]["n"], 1);
    assert_eq!(line["trained"]["level_rose"], 1);
    assert_eq!(line["untrained"]["n"], 2);
    assert_eq!(line["trained"]["level_rose_percent"], Value::Null);
    assert_eq!(
        line["sentence"],
        format!(
            "По области {area}: недостаточно данных для сравнения — обученных педагогов с дефицитом 1, необученных 2 (нужно не меньше 3 в каждой группе)."
        )
    );
    // Filters; the head's register is her kindergarten's.
    let (_, decided_only) = json_of(
        app.get_as(&world.manager, "/api/v1/recommendations?state=decided")
            .await,
    )
    .await;
    assert_eq!(decided_only["recommendations"].as_array().unwrap().len(), 1);
    let (_, closed_only) = json_of(
        app.get_as(&world.manager, "/api/v1/recommendations?effect=closed")
            .await,
    )
    .await;
    assert_eq!(closed_only["recommendations"][0]["id"], id);
    let (_, theirs) = json_of(app.get_as(&other.head, "/api/v1/recommendations").await).await;
    assert!(theirs["recommendations"].as_array().unwrap().is_empty());
    for (format, kind) in [("xlsx", "spreadsheetml"), ("docx", "wordprocessingml")] {
        let response = app
            .get_as(
                &world.manager,
                &format!("/api/v1/recommendations?format={format}"),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.contains(kind), "{content_type}");
    }

    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store
        .audit_trail("recommendation", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "recommendation.create",
            "recommendation.answer",
            "recommendation.decision"
        ],
        "{trail:?}"
    );
}
