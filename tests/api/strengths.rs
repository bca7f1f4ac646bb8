//! The strengths matrix (issue 28 §1) over HTTP: a kindergarten whose five teachers answer high
//! is strong in every area, one whose teachers answer low has a deficit in every area; the pairs
//! give the strong one as mentor up to its cap; a confirmed tutor counts in its cells and mentors
//! the weak one's teachers; what is
//! asked by name is read or refused; the file; only the department reads it.

use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, World, answers_with_roles, created, september_of_this_school_year,
};

/// Every item at its highest option (or its top value), the roles answered `roles`.
fn answers_high(survey: &Value, tutor: bool) -> Vec<Value> {
    let scales = survey["scales"].as_array().unwrap();
    let mut answers = Vec::new();
    for area in survey["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                let scale = scales
                    .iter()
                    .find(|scale| scale["code"] == item["scale"])
                    .unwrap();
                let value = match (scale["options"].as_array(), item["role"].as_str()) {
                    (Some(options), Some("tutor_offer")) if tutor => {
                        options.last().unwrap()["value"].clone()
                    }
                    (Some(options), Some(_)) => options[0]["value"].clone(),
                    (Some(options), None) => options.last().unwrap()["value"].clone(),
                    (None, _) => json!(scale["max"].as_f64().unwrap_or(0.0)),
                };
                answers.push(json!({"item": item["code"], "value": value}));
            }
        }
    }
    answers
}

/// The tokens of the unit's teachers after `more` are added (numbered on from its own).
async fn with_more_teachers(
    app: &TestApp,
    unit: &crate::helpers::Unit,
    number: u32,
    more: usize,
) -> Vec<String> {
    let mut tokens: Vec<String> = unit.teachers.iter().map(|(_, t)| t.clone()).collect();
    for index in unit.teachers.len() + 1..=unit.teachers.len() + more {
        let person = created(
            app.post_as(
                &unit.head,
                &format!("/api/v1/kindergartens/{}/people", unit.id),
                &json!({"full_name": format!("Воспитатель {number}-{index}"), "position": "воспитатель"}),
            )
            .await,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let login = format!("teacher{number}-{index}");
        created(
            app.post_as(
                &unit.head,
                "/api/v1/users",
                &json!({"login": login, "password": PASSWORD, "role": "teacher", "kindergarten_id": unit.id, "person_id": person}),
            )
            .await,
        )
        .await;
        tokens.push(app.login(&login).await);
    }
    tokens
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(a_strong_kindergarten_mentors_a_weak_one_up_to_its_cap);
async fn a_strong_kindergarten_mentors_a_weak_one_up_to_its_cap(app: TestApp) {
    let world = World::build(&app).await;
    let (weak, strong) = (&world.units[0], &world.units[1]);
    let period = september_of_this_school_year(&app, &world).await;
    // № 55 takes on three more teachers (five answer, enough for a strength), № 18 one more
    // (three answer: the least a kindergarten's own result is drawn from).
    let strong_tokens = with_more_teachers(&app, strong, 55, 3).await;
    let weak_tokens = with_more_teachers(&app, weak, 18, 1).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    for (index, token) in strong_tokens.iter().enumerate() {
        created(
            app.submit(
                token,
                "strengths",
                &json!({"instrument": "dc-teacher", "period": period, "answers": answers_high(&survey, index == 0)}),
            )
            .await,
        )
        .await;
    }
    for token in &weak_tokens {
        created(
            app.submit(
                token,
                "strengths",
                &json!({"instrument": "dc-teacher", "period": period, "answers": answers_with_roles(&survey, [0, 0, 0])}),
            )
            .await,
        )
        .await;
    }
    // № 55's head confirms the teacher who offered to tutor.
    let (_, tutors) = json_of(
        app.get_as(
            &strong.head,
            &format!("/api/v1/kindergartens/{}/lists/tutors", strong.id),
        )
        .await,
    )
    .await;
    let offered = &tutors["kindergartens"][0]["entries"][0];
    assert_eq!(offered["person_name"], "Воспитатель 55-1", "{tutors}");
    assert_eq!(
        app.post_as(
            &strong.head,
            "/api/v1/lists/tutors/marks",
            &json!({"person_id": offered["person_id"], "mark": "confirmed"}),
        )
        .await
        .status()
        .as_u16(),
        204
    );

    let path = format!("/api/v1/strengths?instrument=dc-teacher&period={period}");
    let (status, matrix) = json_of(app.get_as(&world.manager, &path).await).await;
    assert_eq!(status, 200, "{matrix}");
    assert_eq!(matrix["strength_level"], "Лидер");
    assert_eq!(matrix["strength_from"], 70.0);
    assert_eq!(matrix["deficit_below"], 30.0);
    let areas = matrix["areas"].as_array().unwrap().len();
    let row = |id: i64| {
        matrix["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["kindergarten_id"] == id)
            .unwrap()
            .clone()
    };
    for cell in row(strong.id)["cells"].as_array().unwrap() {
        assert_eq!(cell["class"], "strength", "{cell}");
        assert_eq!(cell["n"], 5);
        assert_eq!(cell["high_level_teachers"], 5);
        assert_eq!(cell["tutors"], 1);
    }
    for cell in row(weak.id)["cells"].as_array().unwrap() {
        assert_eq!(cell["class"], "deficit", "{cell}");
        assert_eq!(cell["score"], 0.0);
        assert_eq!(cell["high_level_teachers"], 0);
    }
    // Every area of № 18 is a deficit; № 55 mentors two (the cap), the rest find nobody free.
    let pairs = matrix["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), areas);
    assert_eq!(matrix["pair_cap"], 2);
    let mentored: Vec<&Value> = pairs
        .iter()
        .filter(|pair| pair["mentor_id"] == strong.id)
        .collect();
    assert_eq!(mentored.len(), 2, "{pairs:?}");
    assert_eq!(mentored[0]["mentor_high_level_teachers"], 5);
    assert_eq!(mentored[0]["mentor_tutors"], 1);
    assert!(pairs[2]["mentor_id"].is_null(), "{pairs:?}");

    // Teachers: each of № 18's three, in every area, gets the tutor of № 55 — the tutor first, and
    // kept area after area without more load (three, the cap).
    let teacher_pairs = matrix["teacher_pairs"].as_array().unwrap();
    assert_eq!(teacher_pairs.len(), 3 * areas, "{teacher_pairs:?}");
    assert_eq!(matrix["teacher_cap"], 3);
    for pair in teacher_pairs {
        assert_eq!(pair["mentee"]["kindergarten_name"], "МДОУ № 18", "{pair}");
        assert_eq!(pair["mentor"]["person_name"], "Воспитатель 55-1", "{pair}");
        assert_eq!(pair["mentor"]["tutor"], true);
    }
    assert_eq!(
        teacher_pairs[0]["mentee"]["person_name"],
        "Воспитатель 18-1"
    );
    // It names people: the read is audited.
    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store
        .audit_trail("strengths_matrix", &format!("dc-teacher/{period}"))
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|entry| entry.action == "strengths_matrix.read"),
        "{trail:?}"
    );

    // The file: a row per kindergarten and area.
    let file = app
        .get_as(&world.manager, &format!("{path}&format=csv-ru"))
        .await;
    assert_eq!(file.status().as_u16(), 200);
    let text = file.text().await.unwrap();
    assert!(
        text.trim_start_matches('\u{feff}').starts_with(
            "Детский сад;Область;Результат;Оценка;Анкет;Педагогов высокого уровня;Из них тьюторов"
        ),
        "{text}"
    );
    assert!(text.contains(";сильная сторона;5;5;1"), "{text}");
    assert!(text.contains("МДОУ № 18;"), "{text}");

    // What is asked by name is read or refused.
    let (status, problem) = json_of(
        app.get_as(&world.manager, "/api/v1/strengths?instrument=no-such")
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "instrument");
    let (status, problem) = json_of(
        app.get_as(
            &world.manager,
            "/api/v1/strengths?instrument=dc-teacher&period=2024-09",
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "period");
    // The department's only.
    assert_eq!(app.get_as(&weak.head, &path).await.status().as_u16(), 403);
    assert_eq!(
        app.get_as(&weak_tokens[0], &path).await.status().as_u16(),
        403
    );
}
