//! The strengths matrix (issue 28 §1) over HTTP: a kindergarten whose five teachers answer high
//! is strong in every area, one whose teachers answer low has a deficit in every area; the pairs
//! give the strong one as mentor up to its cap; a confirmed tutor counts in its cells and mentors
//! the weak one's teachers; what is
//! asked by name is read or refused; the file; only the department reads it.

use serde_json::Value;

use crate::helpers::{TestApp, World, strong_and_weak};

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(a_strong_kindergarten_mentors_a_weak_one_up_to_its_cap);
async fn a_strong_kindergarten_mentors_a_weak_one_up_to_its_cap(app: TestApp) {
    let world = World::build(&app).await;
    let (weak, strong) = (&world.units[0], &world.units[1]);
    let period = strong_and_weak(&app, &world).await;
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
        app.get_as(&weak.teachers[0].1, &path)
            .await
            .status()
            .as_u16(),
        403
    );
}

crate::both!(the_department_sets_a_kindergartens_district_for_the_pairs);
async fn the_department_sets_a_kindergartens_district_for_the_pairs(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let path = format!("/api/v1/kindergartens/{}/district", unit.id);
    let (status, kindergarten) = json_of(
        app.put_as(
            &world.manager,
            &path,
            &serde_json::json!({"district": "  Заречный   район "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{kindergarten}");
    assert_eq!(kindergarten["district"], "Заречный район");
    let (_, read) = json_of(
        app.get_as(
            &world.manager,
            &format!("/api/v1/kindergartens/{}", unit.id),
        )
        .await,
    )
    .await;
    assert_eq!(read["district"], "Заречный район");
    // A control character is refused, naming the field; nothing changes.
    let (status, problem) = json_of(
        app.put_as(
            &world.manager,
            &path,
            &serde_json::json!({"district": "Заре\u{7}чный"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "district");
    // A blank one clears it.
    let (status, cleared) = json_of(
        app.put_as(
            &world.manager,
            &path,
            &serde_json::json!({"district": "  "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{cleared}");
    assert!(cleared["district"].is_null(), "{cleared}");
    // The change is in the audit trail.
    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store
        .audit_trail("kindergarten", &unit.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|entry| entry.action == "kindergarten.district")
            .count(),
        2,
        "{trail:?}"
    );
}
