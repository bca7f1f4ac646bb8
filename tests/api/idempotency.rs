//! Submissions are idempotent by key; corrections make new revisions.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, answers};

crate::both!(the_same_key_returns_the_same_submission_and_corrections_make_revisions);
async fn the_same_key_returns_the_same_submission_and_corrections_make_revisions(app: TestApp) {
    let world = World::build(&app).await;
    let token = &world.units[0].teachers[0].1;
    let form = app.instrument(token, "dc-teacher").await;
    let body =
        json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers(&form, 0)});

    let first = app.submit(token, "key-1", &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = app.submit(token, "key-1", &body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);

    // The same key with other answers is not a retry: 409 naming the key, nothing stored.
    let other =
        json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers(&form, 1)});
    let reused = app.submit(token, "key-1", &other).await;
    assert_eq!(reused.status(), 409);
    assert_eq!(reused.headers()["content-type"], "application/problem+json");
    let problem: Value = reused.json().await.unwrap();
    assert_eq!(problem["code"], "idempotency_key_reused");
    assert!(
        problem["detail"].as_str().unwrap().contains("key-1"),
        "{problem}"
    );

    let listed: Value = app
        .get_as(
            token,
            "/api/v1/submissions?period=2025-05&instrument=dc-teacher",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);

    let id = first["id"].as_i64().unwrap();
    let correction = json!({"answers": answers(&form, 3)});
    let corrected = app
        .post_as(
            token,
            &format!("/api/v1/submissions/{id}/corrections"),
            &correction,
        )
        .await;
    assert_eq!(corrected.status(), 201);
    let corrected: Value = corrected.json().await.unwrap();
    assert_eq!(corrected["revision"], 2);
    assert_eq!(corrected["root_id"], id);
    assert_eq!(corrected["supersedes_id"], id);

    // Correcting the superseded revision again is a conflict.
    let stale = app
        .post_as(
            token,
            &format!("/api/v1/submissions/{id}/corrections"),
            &correction,
        )
        .await;
    assert_eq!(stale.status(), 409);
    let problem: Value = stale.json().await.unwrap();
    assert_eq!(problem["code"], "not_latest_revision");

    // The old revision is still readable and marked superseded.
    let old: Value = app
        .get_as(token, &format!("/api/v1/submissions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old["is_latest"], false);
}
