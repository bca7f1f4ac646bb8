//! A computed item of the kindergarten's indicator set takes its value from the kindergarten's
//! control cards of the period: whatever a client sends for it, the server writes the value the
//! system holds — and no answer at all («недостаточно данных») while the cards are missing.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, World, created, spawn_on_with};

const CARD: &str = r#"
code = "card-x"
version = 1
title = "Карта наблюдения"
kind = "control_card"
respondent = "head"
subject = "teacher"
scale = "yes_no"

[levels]
deficit_threshold = 50
bands = [
  { code = "L1", name = "Низкий", from = 0 },
  { code = "L2", name = "Высокий", from = 50 },
]

[scales.yes_no]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 1, label = "Да" }]

[[areas]]
code = "X2"
title = "Цели и содержание"

[[areas.indicators]]
code = "X2.1"
title = "Цели занятия"

[[areas.indicators.items]]
code = "X2.1.1"
text = "Цель занятия понятна детям"
"#;

const SET: &str = r#"
code = "set-x"
version = 1
title = "Показатели ДОО"
kind = "indicator_set"
respondent = "head"
subject = "kindergarten"

[levels]
deficit_threshold = 50
bands = [
  { code = "L1", name = "Низкий", from = 0 },
  { code = "L2", name = "Высокий", from = 50 },
]

[scales.pct]
type = "numeric"
unit = "%"
min = 0
max = 100
target = 80
direction = "more_is_better"

[[areas]]
code = "A"
title = "Содержание"

[[areas.indicators]]
code = "A.1"
title = "Качество содержания"
scale = "pct"

[[areas.indicators.items]]
code = "A.1.1"
text = "Средний результат блока «Цели и содержание» карт наблюдения за период, %"
computed = { instrument = "card-x", node = "X2" }

[[areas.indicators.items]]
code = "A.1.2"
text = "Доля групп с планом, %"
"#;

/// The answers of a submission by item.
fn answers_of(body: &Value) -> Vec<(String, Option<f64>)> {
    body["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|answer| {
            (
                answer["item"].as_str().unwrap().to_owned(),
                answer["value"].as_f64(),
            )
        })
        .collect()
}

async fn scenario(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("card-x/v1.toml", CARD), ("set-x/v1.toml", SET)] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let checklists = dir.path().to_path_buf();
    let Some(app): Option<TestApp> = spawn_on_with(backend, |settings| {
        settings.checklists_dir = Some(checklists);
    })
    .await
    else {
        eprintln!("skipped computed::postgres: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let set =
        |answers: Value| json!({"instrument": "set-x", "period": "2025-05", "answers": answers});
    let typed = json!([{"item": "A.1.1", "value": 100}, {"item": "A.1.2", "value": 40}]);

    let computed = |token: &str| {
        let path = format!(
            "/api/v1/kindergartens/{}/computed-values?instrument=set-x&period=2025-05",
            unit.id
        );
        let token = token.to_owned();
        let app = &app;
        async move { app.get_as(&token, &path).await }
    };
    let read = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()
    };
    // No cards yet: the value is null, with its source; a teacher does not fill the set.
    let before = read(computed(&unit.head).await).await;
    assert_eq!(before[0]["item"], "A.1.1");
    assert!(before[0]["value"].is_null(), "{before}");
    assert!(
        before[0]["source"]
            .as_str()
            .unwrap()
            .contains("«Цели и содержание»"),
        "{before}"
    );
    assert_eq!(before.as_array().unwrap().len(), 1);
    assert_eq!(computed(&unit.teachers[0].1).await.status(), 403);

    // The typed 100 is not taken, and the item has no answer (never a 0).
    let first = created(app.submit(&unit.head, "set-1", &set(typed.clone())).await).await;
    assert_eq!(answers_of(&first), [("A.1.2".to_owned(), Some(40.0))]);

    // Two cards: one teacher's block at 100 %, the other's at 0 % — the kindergarten's mean is 50.
    for (index, (person, value)) in [(unit.teachers[0].0, 1), (unit.teachers[1].0, 0)]
        .into_iter()
        .enumerate()
    {
        created(
            app.submit(
                &unit.head,
                &format!("card-{index}"),
                &json!({"instrument": "card-x", "period": "2025-05", "observed_on": "2025-05-14",
                        "subject": {"kind": "teacher", "id": person},
                        "answers": [{"item": "X2.1.1", "value": value}]}),
            )
            .await,
        )
        .await;
    }
    let after = read(computed(&unit.head).await).await;
    assert_eq!(after[0]["value"], 50.0, "{after}");
    let id = first["id"].as_i64().unwrap();
    let corrected = created(
        app.post_as(
            &unit.head,
            &format!("/api/v1/submissions/{id}/corrections"),
            &json!({"answers": typed}),
        )
        .await,
    )
    .await;
    let mut answers = answers_of(&corrected);
    answers.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        answers,
        [
            ("A.1.1".to_owned(), Some(50.0)),
            ("A.1.2".to_owned(), Some(40.0))
        ]
    );
}

#[tokio::test]
async fn a_computed_item_is_written_by_the_server_from_its_source_sqlite() {
    scenario(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_computed_item_is_written_by_the_server_from_its_source_postgres() {
    scenario(Backend::Postgres).await;
}
