//! The authorization matrix: every endpoint × every role × own and foreign unit. Another unit's
//! data answers 404; a role that may not act in its own unit gets 403; no token gets 401.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, World, answers};

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Put,
}

struct Case {
    name: String,
    method: Method,
    path: String,
    body: Value,
    /// Expected status for admin, manager, head of A, teacher 0 of A.
    expected: [u16; 4],
}

fn case(name: &str, method: Method, path: String, body: Value, expected: [u16; 4]) -> Case {
    Case {
        name: name.to_owned(),
        method,
        path,
        body,
        expected,
    }
}

async fn call(app: &TestApp, token: Option<&str>, case: &Case, unique: usize) -> u16 {
    // Bodies that create accounts need a fresh login every time.
    let body = if case.body.get("login").is_some() {
        let mut body = case.body.clone();
        body["login"] = json!(format!("user-{unique}"));
        body
    } else {
        case.body.clone()
    };
    let request = match case.method {
        Method::Get => app.client.get(app.url(&case.path)),
        Method::Post => app
            .client
            .post(app.url(&case.path))
            .header("Idempotency-Key", format!("matrix-{unique}"))
            .json(&body),
        Method::Put => app.client.put(app.url(&case.path)).json(&body),
    };
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.unwrap().status().as_u16()
}

crate::both!(every_endpoint_answers_each_role_by_unit);
async fn every_endpoint_answers_each_role_by_unit(app: TestApp) {
    let world = World::build(&app).await;
    let (a, b) = (&world.units[0], &world.units[1]);
    let form = app.instrument(&world.admin, "dc-teacher").await;
    let survey = |period: &str| json!({"instrument": "dc-teacher", "period": period, "answers": answers(&form, 0)});
    let mut submission_ids = Vec::new();
    for unit in [a, b] {
        for (_, token) in &unit.teachers {
            let response = app.submit(token, "seed", &survey("2025-05")).await;
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            submission_ids.push(body["id"].as_i64().unwrap());
        }
    }
    let (sub_a0, sub_a1, sub_b0) = (submission_ids[0], submission_ids[1], submission_ids[2]);
    let (teacher_a0, teacher_a1, teacher_b0) = (a.teachers[0].0, a.teachers[1].0, b.teachers[0].0);
    let card = app.instrument(&world.admin, "card-ood").await;
    let card_about = |person: i64| json!({"instrument": "card-ood", "period": "2025-05", "observed_on": "2025-05-14", "subject": {"kind": "teacher", "id": person}, "answers": answers(&card, 0)});
    let rpps = app.instrument(&world.admin, "card-rpps").await;
    let rpps_about = |group: i64| json!({"instrument": "card-rpps", "period": "2025-05", "observed_on": "2025-05-14", "subject": {"kind": "group", "id": group}, "answers": answers(&rpps, 0)});
    let report = "period=2025-05&instrument=dc-teacher";
    let new_teacher = |kindergarten: i64| json!({"login": "x", "password": PASSWORD, "role": "teacher", "kindergarten_id": kindergarten});
    let course = |person: i64| json!({"person_id": person, "record": {"kind": "qualification_upgrade", "programme": "Цифровые технологии в ДОО", "provider": "ГАУ ДПО ИРО", "provider_type": "state", "hours": 36, "starts_on": "2025-03-01", "ends_on": "2025-03-20", "form": "full_time", "issued_on": "2025-03-20"}});
    use Method::{Get, Post, Put};

    let cases = vec![
        case(
            "training records of A",
            Get,
            format!("/api/v1/kindergartens/{}/training-records", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "training records of B",
            Get,
            format!("/api/v1/kindergartens/{}/training-records", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "add a training record in A",
            Post,
            format!("/api/v1/kindergartens/{}/training-records", a.id),
            course(teacher_a0),
            [201, 201, 201, 403],
        ),
        case(
            "add a training record in B",
            Post,
            format!("/api/v1/kindergartens/{}/training-records", b.id),
            course(teacher_b0),
            [201, 201, 404, 404],
        ),
        case(
            "training coverage of A",
            Get,
            format!("/api/v1/kindergartens/{}/training-coverage", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "training coverage of B",
            Get,
            format!("/api/v1/kindergartens/{}/training-coverage", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "keep the СНИЛС of training records",
            Put,
            "/api/v1/network/snils".into(),
            json!({"store_snils": false}),
            [200, 200, 403, 403],
        ),
        case(
            "route of teacher 0 of A",
            Get,
            format!("/api/v1/people/{teacher_a0}/route"),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "route of teacher 1 of A",
            Get,
            format!("/api/v1/people/{teacher_a1}/route"),
            json!(null),
            [200, 200, 200, 404],
        ),
        case(
            "route of a teacher of B",
            Get,
            format!("/api/v1/people/{teacher_b0}/route"),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "routes of A",
            Get,
            format!("/api/v1/kindergartens/{}/routes", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "routes of B",
            Get,
            format!("/api/v1/kindergartens/{}/routes", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "routes of the network",
            Get,
            "/api/v1/routes".into(),
            json!(null),
            [200, 200, 403, 403],
        ),
        case(
            "approve a route of teacher 1 of A",
            Post,
            format!("/api/v1/people/{teacher_a1}/route/actions"),
            json!({"version": 0, "action": "approve"}),
            [409, 409, 409, 404],
        ),
        case(
            "motivated list of A",
            Get,
            format!("/api/v1/kindergartens/{}/lists/motivated", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "tutors list of B",
            Get,
            format!("/api/v1/kindergartens/{}/lists/tutors", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "needs-training list of the network",
            Get,
            "/api/v1/lists/needs-training".into(),
            json!(null),
            [200, 200, 403, 403],
        ),
        case(
            "own place on the motivated list",
            Get,
            "/api/v1/me/lists/motivated".into(),
            json!(null),
            [404, 404, 200, 200],
        ),
        case(
            "designate teacher 1 of A a tutor (not confirmed)",
            Post,
            "/api/v1/lists/tutors/marks".into(),
            json!({"person_id": teacher_a1, "mark": "designated"}),
            [409, 409, 409, 404],
        ),
        case(
            "withdraw the agreement of A's motivated list (none)",
            Put,
            format!("/api/v1/kindergartens/{}/lists/motivated/agreement", a.id),
            json!({"agree": false}),
            [403, 403, 409, 403],
        ),
        case(
            "strengths matrix of the network",
            Get,
            "/api/v1/strengths?instrument=dc-teacher&period=2025-05".into(),
            json!(null),
            [200, 200, 403, 403],
        ),
        case(
            "mentoring pairs of the network",
            Get,
            "/api/v1/mentoring-pairs".into(),
            json!(null),
            [200, 200, 403, 403],
        ),
        case(
            "mentoring pairs of A",
            Get,
            format!("/api/v1/kindergartens/{}/mentoring-pairs", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "mentoring pairs of B",
            Get,
            format!("/api/v1/kindergartens/{}/mentoring-pairs", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "propose a pair within one kindergarten",
            Post,
            "/api/v1/mentoring-pairs".into(),
            json!({"instrument": "dc-teacher", "area": "A1", "mentee_kindergarten_id": a.id, "mentor_kindergarten_id": a.id}),
            [422, 422, 403, 403],
        ),
        case(
            "agree a pair that does not exist",
            Post,
            "/api/v1/mentoring-pairs/999999/agreement".into(),
            json!(null),
            [404, 404, 404, 404],
        ),
        case(
            "calendar plan",
            Get,
            "/api/v1/pd-plan".into(),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "propose the calendar plan from a period without data",
            Post,
            "/api/v1/pd-plan".into(),
            json!({"period": "1999-01"}),
            [422, 422, 403, 403],
        ),
        case(
            "add an event to a plan not made",
            Post,
            "/api/v1/pd-plan/events".into(),
            json!({"version": 1, "topic": "t", "format": "seminar", "month": "2026-10", "hours": 6}),
            [404, 404, 403, 403],
        ),
        case(
            "change an event of a plan not made",
            Put,
            "/api/v1/pd-plan/events/1".into(),
            json!({"version": 1, "topic": "t", "format": "seminar", "month": "2026-10", "hours": 6}),
            [404, 404, 403, 403],
        ),
        case(
            "remove an event of a plan not made",
            Post,
            "/api/v1/pd-plan/events/1/removal".into(),
            json!({"version": 1}),
            [404, 404, 403, 403],
        ),
        case(
            "agree a plan not made",
            Post,
            "/api/v1/pd-plan/agreement".into(),
            json!({"version": 1}),
            [403, 403, 404, 403],
        ),
        case(
            "attendance of an event of a plan not made",
            Post,
            "/api/v1/pd-plan/events/1/attendance".into(),
            json!({"version": 1, "held_on": "2026-10-01", "attended": []}),
            [404, 404, 404, 403],
        ),
        case(
            "register of recommendations",
            Get,
            "/api/v1/recommendations".into(),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "recommend on a node the instrument does not have",
            Post,
            "/api/v1/recommendations".into(),
            json!({"kindergarten_id": a.id, "instrument": "dc-teacher", "node": "Z9", "period": "2024-09"}),
            [422, 422, 403, 403],
        ),
        case(
            "a recommendation that does not exist",
            Get,
            "/api/v1/recommendations/999999".into(),
            json!(null),
            [404, 404, 404, 404],
        ),
        case(
            "answer a recommendation that does not exist",
            Post,
            "/api/v1/recommendations/999999/answer".into(),
            json!({"answer": "x"}),
            [404, 404, 404, 404],
        ),
        case(
            "decide on a recommendation that does not exist",
            Post,
            "/api/v1/recommendations/999999/decisions".into(),
            json!({"kind": "other", "text": "x"}),
            [404, 404, 404, 404],
        ),
        case(
            "own teacher's calendar",
            Get,
            format!("/api/v1/people/{}/calendar", a.teachers[0].0),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "foreign teacher's calendar",
            Get,
            format!("/api/v1/people/{}/calendar", b.teachers[0].0),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "own training records",
            Get,
            "/api/v1/me/training-records".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "training coverage of the network",
            Get,
            "/api/v1/training-coverage".into(),
            json!(null),
            [200, 200, 403, 403],
        ),
        case(
            "list kindergartens",
            Get,
            "/api/v1/kindergartens".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "own kindergarten",
            Get,
            format!("/api/v1/kindergartens/{}", a.id),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "foreign kindergarten",
            Get,
            format!("/api/v1/kindergartens/{}", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "create kindergarten",
            Post,
            "/api/v1/kindergartens".into(),
            json!({"number": "999", "full_name": "x", "short_name": "x"}),
            [201, 403, 403, 403],
        ),
        case(
            "own groups",
            Get,
            format!("/api/v1/kindergartens/{}/groups", a.id),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "foreign groups",
            Get,
            format!("/api/v1/kindergartens/{}/groups", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "create own group",
            Post,
            format!("/api/v1/kindergartens/{}/groups", a.id),
            json!({"name": "g", "age_group": "a"}),
            [201, 403, 201, 403],
        ),
        case(
            "create foreign group",
            Post,
            format!("/api/v1/kindergartens/{}/groups", b.id),
            json!({"name": "g", "age_group": "a"}),
            [201, 403, 404, 404],
        ),
        case(
            "own staff",
            Get,
            format!("/api/v1/kindergartens/{}/people", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "foreign staff",
            Get,
            format!("/api/v1/kindergartens/{}/people", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "register own staff",
            Post,
            format!("/api/v1/kindergartens/{}/people", a.id),
            json!({"full_name": "n", "position": "p"}),
            [201, 403, 201, 403],
        ),
        case(
            "register foreign staff",
            Post,
            format!("/api/v1/kindergartens/{}/people", b.id),
            json!({"full_name": "n", "position": "p"}),
            [201, 403, 404, 404],
        ),
        case(
            "list periods",
            Get,
            "/api/v1/periods".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "open a period",
            Post,
            "/api/v1/periods".into(),
            json!({"code": "2026-01", "starts_on": "2026-01-01", "ends_on": "2026-01-31"}),
            [201, 409, 403, 403],
        ),
        case(
            "set a period's основание",
            Put,
            "/api/v1/periods/1/basis".into(),
            json!({"basis": {"title": "приказ управления образования", "number": "7", "date": "2024-09-02"}}),
            [200, 200, 403, 403],
        ),
        case(
            "set a kindergarten's district",
            Put,
            format!("/api/v1/kindergartens/{}/district", a.id),
            json!({"district": "Заречный"}),
            [200, 200, 403, 403],
        ),
        case(
            "list saved справки",
            Get,
            "/api/v1/spravki".into(),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "save own kindergarten's справка",
            Post,
            "/api/v1/spravki".into(),
            json!({"kindergarten_id": a.id, "instrument": "dc-teacher", "period": "2024-09"}),
            [201, 201, 201, 403],
        ),
        case(
            "save the network's справка",
            Post,
            "/api/v1/spravki".into(),
            json!({"instrument": "dc-teacher", "period": "2024-09"}),
            [201, 201, 403, 403],
        ),
        case(
            "a saved справка not made",
            Get,
            "/api/v1/spravki/999999".into(),
            json!(null),
            [404, 404, 404, 404],
        ),
        case(
            "list instruments",
            Get,
            "/api/v1/instruments".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "one instrument",
            Get,
            "/api/v1/instruments/card-ood/versions/1".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "list users",
            Get,
            "/api/v1/users".into(),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "create own teacher account",
            Post,
            "/api/v1/users".into(),
            new_teacher(a.id),
            [201, 201, 201, 403],
        ),
        case(
            "create foreign teacher account",
            Post,
            "/api/v1/users".into(),
            new_teacher(b.id),
            [201, 201, 404, 404],
        ),
        case(
            "me",
            Get,
            "/api/v1/me".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "own submission",
            Get,
            format!("/api/v1/submissions/{sub_a0}"),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "colleague's submission",
            Get,
            format!("/api/v1/submissions/{sub_a1}"),
            json!(null),
            [200, 200, 200, 404],
        ),
        case(
            "foreign submission",
            Get,
            format!("/api/v1/submissions/{sub_b0}"),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "list submissions",
            Get,
            "/api/v1/submissions".into(),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "card about own teacher",
            Post,
            "/api/v1/submissions".into(),
            card_about(teacher_a0),
            [201, 403, 201, 403],
        ),
        case(
            "card about foreign teacher",
            Post,
            "/api/v1/submissions".into(),
            card_about(teacher_b0),
            [201, 403, 404, 404],
        ),
        // The admin's correction supersedes the revision, so the head's (allowed) correction of
        // the same revision is a conflict.
        case(
            "correct a colleague's survey",
            Post,
            format!("/api/v1/submissions/{sub_a1}/corrections"),
            json!({"answers": answers(&form, 1)}),
            [201, 403, 409, 404],
        ),
        case(
            "card about own group",
            Post,
            "/api/v1/submissions".into(),
            rpps_about(a.group),
            [201, 403, 201, 403],
        ),
        case(
            "card about foreign group",
            Post,
            "/api/v1/submissions".into(),
            rpps_about(b.group),
            [201, 403, 404, 404],
        ),
        case(
            "own teacher report",
            Get,
            format!("/api/v1/reports/teachers/{teacher_a0}?{report}"),
            json!(null),
            [200, 200, 200, 200],
        ),
        case(
            "colleague's teacher report",
            Get,
            format!("/api/v1/reports/teachers/{teacher_a1}?{report}"),
            json!(null),
            [200, 200, 200, 404],
        ),
        case(
            "foreign teacher report",
            Get,
            format!("/api/v1/reports/teachers/{teacher_b0}?{report}"),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "own kindergarten report",
            Get,
            format!("/api/v1/reports/kindergartens/{}?{report}", a.id),
            json!(null),
            [200, 200, 200, 403],
        ),
        case(
            "foreign kindergarten report",
            Get,
            format!("/api/v1/reports/kindergartens/{}?{report}", b.id),
            json!(null),
            [200, 200, 404, 404],
        ),
        case(
            "network report",
            Get,
            format!("/api/v1/reports/network?{report}"),
            json!(null),
            [200, 200, 403, 403],
        ),
    ];

    let tokens = [
        world.admin.as_str(),
        world.manager.as_str(),
        a.head.as_str(),
        a.teachers[0].1.as_str(),
    ];
    let roles = ["admin", "manager", "head", "teacher"];
    let mut failures = Vec::new();
    let mut unique = 0;
    for case in &cases {
        for (role_index, token) in tokens.iter().enumerate() {
            unique += 1;
            let status = call(&app, Some(token), case, unique).await;
            if status != case.expected[role_index] {
                failures.push(format!(
                    "{} as {}: expected {}, got {status}",
                    case.name, roles[role_index], case.expected[role_index]
                ));
            }
        }
        unique += 1;
        let anonymous = call(&app, None, case, unique).await;
        if anonymous != 401 {
            failures.push(format!(
                "{} without a token: expected 401, got {anonymous}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

crate::both!(a_teacher_cannot_fill_a_survey_for_a_colleague_and_a_logged_out_token_stops_working);
async fn a_teacher_cannot_fill_a_survey_for_a_colleague_and_a_logged_out_token_stops_working(
    app: TestApp,
) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let token = &unit.teachers[0].1;
    let form = app.instrument(token, "dc-teacher").await;
    let response = app
        .submit(
            token,
            "k",
            &json!({"instrument": "dc-teacher", "period": "2025-05",
                    "subject": {"kind": "teacher", "id": unit.teachers[1].0},
                    "answers": answers(&form, 0)}),
        )
        .await;
    assert_eq!(response.status(), 403);

    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(app.get_as(token, "/api/v1/me").await.status(), 401);
}

crate::both!(accounts_are_deactivated_within_scope_only);
async fn accounts_are_deactivated_within_scope_only(app: TestApp) {
    let world = World::build(&app).await;
    let (a, b) = (&world.units[0], &world.units[1]);
    let me: Value = app
        .get_as(&b.teachers[1].1, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let foreign_teacher = me["id"].as_i64().unwrap();
    let me: Value = app
        .get_as(&a.teachers[1].1, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let own_teacher = me["id"].as_i64().unwrap();

    let path = |id: i64| format!("/api/v1/users/{id}/deactivate");
    assert_eq!(
        app.post_as(&a.head, &path(foreign_teacher), &json!({}))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.post_as(&a.teachers[0].1, &path(own_teacher), &json!({}))
            .await
            .status(),
        403
    );
    let response = app.post_as(&a.head, &path(own_teacher), &json!({})).await;
    assert_eq!(response.status(), 200);
    // The deactivated teacher's token stops working at once.
    assert_eq!(
        app.get_as(&a.teachers[1].1, "/api/v1/me").await.status(),
        401
    );
}
