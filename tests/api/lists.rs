//! The lists of people (issue 27) over HTTP: who the survey proposes, a teacher putting herself on
//! the motivated list, the head agreeing her kindergarten's list and the methodist seeing which
//! kindergartens agreed, the agreement outdated when the list changes, a stale decision refused,
//! the tutors confirmed and designated, a dismissal without a reason refused, the file of the
//! agreed list, and every read of a named list in the audit log.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, answers_with_roles, created, september_of_this_school_year};

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The entry of `person` in a kindergarten's part of a list.
fn entry(part: &Value, person: i64) -> Option<&Value> {
    part["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["person_id"] == person)
}

/// The part of `kindergarten` in a list.
fn part(list: &Value, kindergarten: i64) -> &Value {
    list["kindergartens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|part| part["kindergarten_id"] == kindergarten)
        .unwrap()
}

crate::both!(a_head_agrees_her_list_and_the_methodist_sees_who_agreed);
async fn a_head_agrees_her_list_and_the_methodist_sees_who_agreed(app: TestApp) {
    let world = World::build(&app).await;
    let (first, second) = (&world.units[0], &world.units[1]);
    let (wants, wants_token) = &first.teachers[0];
    let (undecided, undecided_token) = &first.teachers[1];
    let (other, other_token) = &second.teachers[0];
    let period = september_of_this_school_year(&app, &world).await;
    let survey = app.instrument(wants_token, "dc-teacher").await;
    // «Да» to development, «Да, по отдельным темам» to tutoring, «Да» to a consultation; the
    // second teacher «Пока не решил(а)» and «Нет»; in the other kindergarten «Да» to development.
    for (token, roles) in [
        (wants_token, [2, 1, 1]),
        (undecided_token, [1, 0, 0]),
        (other_token, [2, 0, 0]),
    ] {
        created(
            app.submit(
                token,
                &format!("lists-{token}"),
                &json!({"instrument": "dc-teacher", "period": period, "answers": answers_with_roles(&survey, roles)}),
            )
            .await,
        )
        .await;
    }

    let own = format!("/api/v1/kindergartens/{}/lists/motivated", first.id);
    let (status, list) = json_of(app.get_as(&first.head, &own).await).await;
    assert_eq!(status, 200, "{list}");
    let mine = part(&list, first.id);
    let proposed = entry(mine, *wants).expect("«Да» puts her on the list");
    assert_eq!(proposed["state"], "proposed");
    assert!(
        proposed["grounds"][0]
            .as_str()
            .unwrap()
            .contains("ответ «Да»"),
        "{proposed}"
    );
    assert!(
        entry(mine, *undecided).is_none(),
        "«Пока не решил(а)» is not a wish: {list}"
    );
    assert_eq!(mine["may_agree"], true);
    assert!(mine["agreement"].is_null());
    // Nobody but the head and the department reads a named list (another kindergarten's head
    // does not find it); a teacher agrees nothing.
    assert_eq!(app.get_as(wants_token, &own).await.status().as_u16(), 403);
    assert_eq!(app.get_as(&second.head, &own).await.status().as_u16(), 404);
    let agreement = format!("{own}/agreement");
    let (status, problem) = json_of(
        app.put_as(wants_token, &agreement, &json!({"agree": true}))
            .await,
    )
    .await;
    assert_eq!(status, 403, "{problem}");

    // The undecided teacher puts herself on the list from her results; the head agrees it.
    let (status, her) = json_of(
        app.get_as(undecided_token, "/api/v1/me/lists/motivated")
            .await,
    )
    .await;
    assert_eq!(status, 200, "{her}");
    assert!(her["state"].is_null());
    assert_eq!(her["marks"], json!(["opted_in"]));
    let mark = |token: &str, list: &str, body: Value| {
        let app = &app;
        let token = token.to_owned();
        let path = format!("/api/v1/lists/{list}/marks");
        async move { app.post_as(&token, &path, &body).await.status().as_u16() }
    };
    assert_eq!(
        mark(
            undecided_token,
            "motivated",
            json!({"person_id": undecided, "mark": "opted_in", "based_on": her["based_on"]})
        )
        .await,
        204
    );
    // Not for a colleague: her colleagues are not hers to see.
    assert_eq!(
        mark(
            undecided_token,
            "motivated",
            json!({"person_id": wants, "mark": "withdrawn"})
        )
        .await,
        404
    );
    let (status, agreed) = json_of(
        app.put_as(
            &first.head,
            &agreement,
            &json!({"agree": true, "based_on": null}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{agreed}");
    assert_eq!(agreed["agreement"]["state"], "agreed");
    assert_eq!(agreed["entries"].as_array().unwrap().len(), 2, "{agreed}");
    // Agreeing again from the page she saw before is refused: someone decided since.
    let (status, problem) = json_of(
        app.put_as(
            &first.head,
            &agreement,
            &json!({"agree": true, "based_on": null}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "list_changed", "{problem}");

    // The methodist sees the network's list: one kindergarten agreed, the other not yet.
    let (status, network) =
        json_of(app.get_as(&world.manager, "/api/v1/lists/motivated").await).await;
    assert_eq!(status, 200, "{network}");
    assert_eq!(part(&network, first.id)["agreement"]["state"], "agreed");
    assert!(
        part(&network, second.id)["agreement"].is_null(),
        "{network}"
    );
    assert!(entry(part(&network, second.id), *other).is_some());
    // The agreed list as the department files it.
    let file = app
        .get_as(&world.manager, "/api/v1/lists/motivated?format=csv")
        .await;
    assert_eq!(file.status().as_u16(), 200);
    let text = file.text().await.unwrap();
    assert!(
        text.contains("Воспитатель 18-1,воспитатель,МДОУ № 18,согласовано заведующим,"),
        "{text}"
    );
    assert!(
        text.contains("Воспитатель 55-1,воспитатель,МДОУ № 55,не согласовано,"),
        "{text}"
    );
    let file = app
        .get_as(&world.manager, "/api/v1/lists/motivated?format=xlsx")
        .await;
    assert_eq!(file.status().as_u16(), 200);
    assert!(file.bytes().await.unwrap().starts_with(b"PK"));

    // She takes herself off: the agreement no longer stands for the list as it is.
    let (_, her) = json_of(
        app.get_as(undecided_token, "/api/v1/me/lists/motivated")
            .await,
    )
    .await;
    assert_eq!(her["marks"], json!(["withdrawn"]));
    assert_eq!(
        mark(
            undecided_token,
            "motivated",
            json!({"person_id": undecided, "mark": "withdrawn", "based_on": her["based_on"]})
        )
        .await,
        204
    );
    let (_, network) = json_of(app.get_as(&world.manager, "/api/v1/lists/motivated").await).await;
    let outdated = &part(&network, first.id)["agreement"];
    assert_eq!(outdated["state"], "outdated", "{network}");
    assert_eq!(outdated["left"], json!([undecided]));
    // The head agrees the list as it now stands.
    let (_, list) = json_of(app.get_as(&first.head, &own).await).await;
    let based_on = part(&list, first.id)["agreement_based_on"].clone();
    let (status, agreed) = json_of(
        app.put_as(
            &first.head,
            &agreement,
            &json!({"agree": true, "based_on": based_on}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{agreed}");
    assert_eq!(agreed["agreement"]["state"], "agreed");

    // Tutors: proposed from «Да, по отдельным темам»; the head confirms, the methodist designates.
    let tutors = format!("/api/v1/kindergartens/{}/lists/tutors", first.id);
    let (_, list) = json_of(app.get_as(&first.head, &tutors).await).await;
    let tutor = entry(part(&list, first.id), *wants).expect("she offered to tutor");
    assert_eq!(tutor["marks"], json!(["confirmed", "dismissed"]));
    // A teacher confirms nothing about herself; a dismissal needs a reason.
    assert_eq!(
        mark(
            wants_token,
            "tutors",
            json!({"person_id": wants, "mark": "confirmed"})
        )
        .await,
        403
    );
    let (status, problem) = json_of(
        app.post_as(
            &first.head,
            "/api/v1/lists/tutors/marks",
            &json!({"person_id": wants, "mark": "dismissed", "reason": "  "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "reason", "{problem}");
    // The methodist designates only a tutor the head confirmed.
    assert_eq!(
        mark(
            &world.manager,
            "tutors",
            json!({"person_id": wants, "mark": "designated"})
        )
        .await,
        409
    );
    assert_eq!(
        mark(
            &first.head,
            "tutors",
            json!({"person_id": wants, "mark": "confirmed"})
        )
        .await,
        204
    );
    let (_, list) = json_of(app.get_as(&world.manager, "/api/v1/lists/tutors").await).await;
    let confirmed = entry(part(&list, first.id), *wants).unwrap();
    assert_eq!(confirmed["state"], "confirmed");
    assert_eq!(confirmed["marks"], json!(["designated"]));
    assert_eq!(
        mark(
            &world.manager,
            "tutors",
            json!({"person_id": wants, "mark": "designated", "based_on": confirmed["based_on"]})
        )
        .await,
        204
    );
    let (_, list) = json_of(app.get_as(&first.head, &tutors).await).await;
    assert_eq!(
        entry(part(&list, first.id), *wants).unwrap()["state"],
        "designated"
    );

    // Needs training: every area a deficit and no course — the head dismisses with a reason.
    let needs = format!("/api/v1/kindergartens/{}/lists/needs-training", first.id);
    let (_, list) = json_of(app.get_as(&first.head, &needs).await).await;
    let need = entry(part(&list, first.id), *undecided).expect("deficits without a course");
    assert!(
        need["grounds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|ground| ground.as_str().unwrap().starts_with("дефицит без КПК")),
        "{need}"
    );
    assert_eq!(
        mark(
            &first.head,
            "needs-training",
            json!({"person_id": undecided, "mark": "dismissed", "reason": "Зачислена на КПК с января", "based_on": need["based_on"]})
        )
        .await,
        204
    );
    let (_, list) = json_of(app.get_as(&first.head, &needs).await).await;
    let dismissed = entry(part(&list, first.id), *undecided).unwrap();
    assert_eq!(dismissed["state"], "dismissed");
    assert_eq!(dismissed["decision"]["reason"], "Зачислена на КПК с января");

    // Consultation: asked by «Да», marked given by the head.
    let consultation = format!("/api/v1/kindergartens/{}/lists/consultation", first.id);
    let (_, list) = json_of(app.get_as(&first.head, &consultation).await).await;
    let asked = entry(part(&list, first.id), *wants).expect("she asked");
    assert!(entry(part(&list, first.id), *undecided).is_none());
    assert_eq!(
        mark(
            &first.head,
            "consultation",
            json!({"person_id": wants, "mark": "answered", "based_on": asked["based_on"]})
        )
        .await,
        204
    );

    // Every read of a named list is in the audit log.
    let store = vsoko_storage::Store::connect(&app.database_url)
        .await
        .unwrap();
    let trail = store.audit_trail("staff_list", "motivated").await.unwrap();
    assert!(
        trail
            .iter()
            .filter(|entry| entry.action == "staff_list.read")
            .count()
            >= 4,
        "{trail:?}"
    );
    let tutors = store.audit_trail("staff_list", "tutors").await.unwrap();
    assert!(
        tutors.iter().any(|entry| entry.action == "staff_list.read"),
        "{tutors:?}"
    );
}
