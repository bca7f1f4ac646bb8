//! Mentoring pairs (issue 28 §1) over HTTP: the department proposes a pair of teachers, both
//! heads agree it, and the teacher's route names her mentor; a proposal refused at its field; a
//! second pair for the same teacher and area refused; a head withdraws a pair of kindergartens and
//! it can no longer be agreed; who may do what; the audit log.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, created};

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

crate::both!(both_heads_confirm_a_pair_and_the_route_names_the_mentor);
async fn both_heads_confirm_a_pair_and_the_route_names_the_mentor(app: TestApp) {
    let world = World::build(&app).await;
    let (a, b) = (&world.units[0], &world.units[1]);
    let (mentee, mentee_token) = &a.teachers[0];
    let (mentor, _) = &b.teachers[0];
    let pair = json!({"instrument": "dc-teacher", "area": "A1",
        "mentee_kindergarten_id": a.id, "mentor_kindergarten_id": b.id,
        "mentee_person_id": mentee, "mentor_person_id": mentor});
    // Refused at their fields, nothing written.
    for (field, change) in [
        ("area", json!({"area": "Z9"})),
        (
            "mentor_kindergarten",
            json!({"mentor_kindergarten_id": a.id}),
        ),
        (
            "mentee_person",
            json!({"mentee_person_id": b.teachers[1].0}),
        ),
        ("mentor_person", json!({"mentor_person_id": null})),
    ] {
        let mut body = pair.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, problem) = json_of(
            app.post_as(&world.manager, "/api/v1/mentoring-pairs", &body)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{field}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // A head does not propose.
    assert_eq!(
        app.post_as(&a.head, "/api/v1/mentoring-pairs", &pair)
            .await
            .status()
            .as_u16(),
        403
    );
    let proposed = created(
        app.post_as(&world.manager, "/api/v1/mentoring-pairs", &pair)
            .await,
    )
    .await;
    assert_eq!(proposed["state"], "proposed");
    assert_eq!(proposed["mentor_name"], "Воспитатель 55-1");
    assert_eq!(
        proposed["may_agree"],
        Value::Null,
        "the department does not agree"
    );
    let id = proposed["id"].as_i64().unwrap();
    // One pair per teacher and area.
    let (status, problem) = json_of(
        app.post_as(&world.manager, "/api/v1/mentoring-pairs", &pair)
            .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "duplicate");

    // Each head sees it from her side; a teacher does not.
    let (_, mine) = json_of(
        app.get_as(
            &a.head,
            &format!("/api/v1/kindergartens/{}/mentoring-pairs", a.id),
        )
        .await,
    )
    .await;
    assert_eq!(mine[0]["may_agree"], "mentee", "{mine}");
    let (_, theirs) = json_of(
        app.get_as(
            &b.head,
            &format!("/api/v1/kindergartens/{}/mentoring-pairs", b.id),
        )
        .await,
    )
    .await;
    assert_eq!(theirs[0]["may_agree"], "mentor", "{theirs}");
    let agree = format!("/api/v1/mentoring-pairs/{id}/agreement");
    assert_eq!(
        app.post_as(mentee_token, &agree, &json!(null))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.post_as(&world.manager, &agree, &json!(null))
            .await
            .status()
            .as_u16(),
        403
    );
    let route = format!("/api/v1/people/{mentee}/route");
    let (half_state, half) = json_of(app.post_as(&a.head, &agree, &json!(null)).await).await;
    assert_eq!(half_state, 200, "{half}");
    assert_eq!(half["state"], "half_agreed");
    // Agreeing again changes nothing.
    let (_, again) = json_of(app.post_as(&a.head, &agree, &json!(null)).await).await;
    assert_eq!(again["mentee_agreed_at"], half["mentee_agreed_at"]);
    let (_, before) = json_of(app.get_as(mentee_token, &route).await).await;
    assert_eq!(before["mentor"], Value::Null, "not confirmed yet: {before}");
    let (_, confirmed) = json_of(app.post_as(&b.head, &agree, &json!(null)).await).await;
    assert_eq!(confirmed["state"], "confirmed", "{confirmed}");
    let (_, after) = json_of(app.get_as(mentee_token, &route).await).await;
    assert_eq!(after["mentor"], "Воспитатель 55-1 (МДОУ № 55)", "{after}");

    // A pair of kindergartens, withdrawn by the mentor's head: it cannot be agreed any more.
    let kindergartens = created(
        app.post_as(
            &world.manager,
            "/api/v1/mentoring-pairs",
            &json!({"instrument": "dc-teacher", "area": "A2",
                "mentee_kindergarten_id": a.id, "mentor_kindergarten_id": b.id}),
        )
        .await,
    )
    .await;
    let other = kindergartens["id"].as_i64().unwrap();
    let (status, withdrawn) = json_of(
        app.post_as(
            &b.head,
            &format!("/api/v1/mentoring-pairs/{other}/withdrawal"),
            &json!(null),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["state"], "withdrawn");
    let (status, problem) = json_of(
        app.post_as(
            &a.head,
            &format!("/api/v1/mentoring-pairs/{other}/agreement"),
            &json!(null),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "pair_withdrawn");
    // The network's list: withdrawn ones last.
    let (_, all) = json_of(app.get_as(&world.manager, "/api/v1/mentoring-pairs").await).await;
    let states: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["confirmed", "withdrawn"]);

    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store
        .audit_trail("mentoring_pair", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "mentoring_pair.create",
            "mentoring_pair.agree",
            "mentoring_pair.agree"
        ],
        "{trail:?}"
    );
}
