//! Who counts in a report (issue 13 §1): a teacher who sends her survey twice, a Forms export of
//! teachers who answered in the API, several lesson cards of one teacher.

use serde_json::{Value, json};

use crate::exchange::{survey_csv_at, upload};
use crate::helpers::{TestApp, World, answers, created};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

crate::both!(a_teacher_who_sends_her_survey_twice_counts_once);
async fn a_teacher_who_sends_her_survey_twice_counts_once(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (person, token) = &unit.teachers[0];
    let form = app.instrument(token, "dc-teacher").await;
    let body = |shift| json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers(&form, shift)});
    let first = created(app.submit(token, "phone", &body(0)).await).await;
    let id = first["id"].as_i64().unwrap();

    // Filled again on another device: not a second survey, but a 409 naming the one to correct.
    let again = app.submit(token, "laptop", &body(1)).await;
    assert_eq!(again.status(), 409);
    let problem = json_of(again).await;
    assert_eq!(problem["code"], "already_submitted", "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("/api/v1/submissions/{id}/corrections")),
        "{detail}"
    );

    let report_path = format!(
        "/api/v1/reports/kindergartens/{}?period=2025-05&instrument=dc-teacher",
        unit.id
    );
    let report = json_of(app.get_as(&unit.head, &report_path).await).await;
    assert_eq!(report["n_submissions"], 1, "{report}");
    assert_eq!(report["n_subjects"], 1, "{report}");

    // The correction she was pointed to: still one survey, now with the new answers.
    let corrected = created(
        app.post_as(
            token,
            &format!("/api/v1/submissions/{id}/corrections"),
            &json!({"answers": answers(&form, 1)}),
        )
        .await,
    )
    .await;
    let own = json_of(
        app.get_as(
            token,
            &format!("/api/v1/reports/teachers/{person}?period=2025-05&instrument=dc-teacher"),
        )
        .await,
    )
    .await;
    assert_eq!(own["n_submissions"], 1, "{own}");
    assert_eq!(own["rows"][0]["score"], corrected["scores"][0]["score"]);
    let report = json_of(app.get_as(&unit.head, &report_path).await).await;
    assert_eq!(report["n_submissions"], 1, "{report}");
}

crate::both!(a_forms_import_for_teachers_who_answered_in_the_api_counts_each_once);
async fn a_forms_import_for_teachers_who_answered_in_the_api_counts_each_once(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let form = app.instrument(&unit.head, "dc-teacher").await;
    for (index, (_, token)) in unit.teachers.iter().enumerate() {
        created(
            app.submit(
                token,
                "api",
                &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": answers(&form, index)}),
            )
            .await,
        )
        .await;
    }
    let teachers = [("teacher18-1", "МДОУ № 18"), ("teacher18-2", "МДОУ № 18")];
    let commit = "instrument=dc-teacher&period=2025-05&commit=true";
    let report_path = format!(
        "/api/v1/reports/kindergartens/{}?period=2025-05&instrument=dc-teacher",
        unit.id
    );

    // The export of the same teachers, answered before they answered in the API: nothing new.
    let older = survey_csv_at(&form, &teachers, "2025/05/15 10:23:45 AM GMT+3", 2);
    let outcome = json_of(upload(&app, &unit.head, commit, &older).await).await;
    assert_eq!(outcome["created"], 0, "{outcome}");
    assert_eq!(outcome["skip"], 2, "{outcome}");
    let report = json_of(app.get_as(&unit.head, &report_path).await).await;
    assert_eq!(report["n_submissions"], 2, "{report}");

    // A later export: each row corrects that teacher's counted survey.
    let later = survey_csv_at(&form, &teachers, "2030/01/10 09:00:00 AM GMT+3", 2);
    let outcome = json_of(upload(&app, &unit.head, commit, &later).await).await;
    assert_eq!(outcome["update"], 2, "{outcome}");
    assert_eq!(outcome["rows"][0]["outcome"], "update", "{outcome}");
    assert_eq!(outcome["created"], 2, "{outcome}");
    let report = json_of(app.get_as(&unit.head, &report_path).await).await;
    assert_eq!(report["n_submissions"], 2, "{report}");
    assert_eq!(report["teachers"].as_array().unwrap().len(), 2, "{report}");
    let listed = json_of(
        app.get_as(
            &unit.head,
            "/api/v1/submissions?period=2025-05&instrument=dc-teacher",
        )
        .await,
    )
    .await;
    assert_eq!(listed["total"], 2, "{listed}");
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["revision"] == 2),
        "{listed}"
    );
    // The same file again changes nothing.
    let again = json_of(upload(&app, &unit.head, commit, &later).await).await;
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["duplicate"], 2, "{again}");
}

crate::both!(lesson_cards_are_averaged_per_teacher_and_counted_apart);
async fn lesson_cards_are_averaged_per_teacher_and_counted_apart(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let card = app.instrument(&unit.head, "card-ood").await;
    let (a, b) = (unit.teachers[0].0, unit.teachers[1].0);
    let mut totals: Vec<(i64, f64)> = Vec::new();
    for (key, teacher, shift, date) in [
        ("a-1", a, 0, "2025-05-05"),
        ("a-2", a, 1, "2025-05-12"),
        ("a-3", a, 2, "2025-05-19"),
        ("b-1", b, 1, "2025-05-06"),
    ] {
        let stored = created(
            app.submit(
                &unit.head,
                key,
                &json!({"instrument": "card-ood", "period": "2025-05", "observed_on": date,
                        "subject": {"kind": "teacher", "id": teacher},
                        "answers": answers(&card, shift)}),
            )
            .await,
        )
        .await;
        assert_eq!(stored["observed_on"], date);
        totals.push((teacher, stored["scores"][0]["score"].as_f64().unwrap()));
    }
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len() as f64;
    let of = |teacher| {
        mean(
            totals
                .iter()
                .filter(|t| t.0 == teacher)
                .map(|t| t.1)
                .collect(),
        )
    };
    let expected = mean(vec![of(a), of(b)]);

    let report = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/reports/kindergartens/{}?period=2025-05&instrument=card-ood",
                unit.id
            ),
        )
        .await,
    )
    .await;
    assert_eq!(report["n_submissions"], 4, "{report}");
    assert_eq!(report["n_subjects"], 2, "{report}");
    let total = &report["rows"][0];
    assert_eq!(total["n"], 2, "{total}");
    let score = total["score"].as_f64().unwrap();
    assert!((score - expected).abs() < 1e-9, "{score} vs {expected}");
    // Her own report: the mean of her three cards.
    let teachers = report["teachers"].as_array().unwrap();
    let row = teachers.iter().find(|t| t["person_id"] == a).unwrap();
    assert_eq!(row["n"], 3);
    assert!((row["score"].as_f64().unwrap() - of(a)).abs() < 1e-9);

    // An observation outside the period is refused, naming the field.
    let outside = app
        .submit(
            &unit.head,
            "late",
            &json!({"instrument": "card-ood", "period": "2025-05", "observed_on": "2025-06-02",
                    "subject": {"kind": "teacher", "id": a}, "answers": answers(&card, 0)}),
        )
        .await;
    assert_eq!(outside.status(), 422);
    let problem = json_of(outside).await;
    assert_eq!(problem["errors"][0]["field"], "observed_on", "{problem}");
}
