//! The основание of a period's assessment (issue 29 §1), which every справка of the period
//! prints: set by the methodist with its number and date, each missing part named, cleared when
//! blank, refused to a head.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World};

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
