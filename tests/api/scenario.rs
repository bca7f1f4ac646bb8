//! The whole story: a manager opens periods, heads register staff, teachers submit surveys, heads
//! submit control cards, the manager reads the network report with dynamics — numbers checked
//! against the scoring crate.

use serde_json::{Value, json};
use vsoko_checklist::{AnswerValue, Catalog, RawAnswer};
use vsoko_scoring::{NodeKind, score_submission};

use crate::helpers::{TestApp, World, answers, checklists_dir, created};

fn total_of(instrument: &vsoko_checklist::Instrument, answers: &[Value]) -> f64 {
    let raw = answers.iter().map(|answer| RawAnswer {
        item: answer["item"].as_str().unwrap().to_owned(),
        value: AnswerValue::Value(answer["value"].as_f64().unwrap()),
        comment: None,
    });
    let sheet = instrument.validate_answers(raw).unwrap();
    let score = score_submission(instrument, &sheet).unwrap();
    score
        .node(NodeKind::Total, instrument.code().as_str())
        .unwrap()
        .percent
        .unwrap()
}

fn close(actual: &Value, expected: f64) {
    let actual = actual.as_f64().expect("a number");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

crate::both!(a_network_assesses_itself_and_the_manager_sees_the_dynamics);
async fn a_network_assesses_itself_and_the_manager_sees_the_dynamics(app: TestApp) {
    let world = World::build(&app).await;
    let catalog = Catalog::load_dir(&checklists_dir()).unwrap();
    let dc_teacher = catalog.get("dc-teacher", None).unwrap();
    let form = app.instrument(&world.manager, "dc-teacher").await;

    // Teachers fill the survey in September and in May (better in May).
    let mut expected: Vec<Vec<[f64; 2]>> = Vec::new();
    for unit in &world.units {
        let mut per_unit = Vec::new();
        for (index, (person, token)) in unit.teachers.iter().enumerate() {
            let mut totals = [0.0; 2];
            for (period_index, period) in ["2024-09", "2025-05"].into_iter().enumerate() {
                let shift = index + unit.id as usize + period_index * 2;
                let given = answers(&form, shift);
                totals[period_index] = total_of(dc_teacher, &given);
                let body = created(
                    app.submit(
                        token,
                        &format!("survey-{period}"),
                        &json!({"instrument": "dc-teacher", "period": period, "answers": given}),
                    )
                    .await,
                )
                .await;
                assert_eq!(body["subject"], json!({"kind": "teacher", "id": person}));
                close(&body["scores"][0]["score"], totals[period_index]);
            }
            per_unit.push(totals);
        }
        expected.push(per_unit);
    }

    // The head submits a lesson-observation card about a teacher.
    let unit = &world.units[0];
    let card = app.instrument(&unit.head, "card-ood").await;
    let card_answers = answers(&card, 1);
    let card_body = created(
        app.submit(
            &unit.head,
            "card-1",
            &json!({"instrument": "card-ood", "period": "2025-05", "observed_on": "2025-05-20",
                    "subject": {"kind": "teacher", "id": unit.teachers[0].0},
                    "answers": card_answers}),
        )
        .await,
    )
    .await;
    assert_eq!(card_body["subject"]["kind"], "teacher");
    assert_eq!(card_body["scores"][0]["kind"], "total");

    // The network report: mean over kindergartens of the mean over teachers.
    let response = app
        .get_as(
            &world.manager,
            "/api/v1/reports/network?period=2025-05&instrument=dc-teacher&compare_period=2024-09",
        )
        .await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    let mean = |period: usize| {
        expected
            .iter()
            .map(|unit| unit.iter().map(|t| t[period]).sum::<f64>() / unit.len() as f64)
            .sum::<f64>()
            / expected.len() as f64
    };
    let total = &report["rows"][0];
    assert_eq!(total["kind"], "total");
    assert_eq!(total["n"], 4);
    close(&total["score"], mean(1));
    close(&total["before"], mean(0));
    close(&total["delta"], mean(1) - mean(0));
    assert!(total["level"]["name"].as_str().is_some());
    assert_eq!(report["kindergartens"].as_array().unwrap().len(), 2);

    // The kindergarten report names its teachers for the head.
    let response = app
        .get_as(
            &unit.head,
            &format!(
                "/api/v1/reports/kindergartens/{}?period=2025-05&instrument=dc-teacher",
                unit.id
            ),
        )
        .await;
    let report: Value = response.json().await.unwrap();
    let teachers = report["teachers"].as_array().unwrap();
    assert_eq!(teachers.len(), 2);
    close(
        &report["rows"][0]["score"],
        (expected[0][0][1] + expected[0][1][1]) / 2.0,
    );

    // A teacher reads their own result, with dynamics; CSV works too: the same file as
    // `vsoko export --format csv` (Russian headers, one table for a teacher).
    let (person, token) = &unit.teachers[0];
    let path = format!(
        "/api/v1/reports/teachers/{person}?period=2025-05&instrument=dc-teacher&compare_period=2024-09"
    );
    let report: Value = app.get_as(token, &path).await.json().await.unwrap();
    close(&report["rows"][0]["score"], expected[0][0][1]);
    close(&report["rows"][0]["before"], expected[0][0][0]);
    let csv = app.get_as(token, &format!("{path}&format=csv")).await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("Уровень,Код,Наименование,\"Балл, %\""),
        "{text}"
    );
    // The main table first, then (after an empty line) the items with their N/A rates.
    let main_table = text.lines().take_while(|line| !line.is_empty()).count();
    assert_eq!(main_table, report["rows"].as_array().unwrap().len() + 1);
    assert!(text.contains("\nКод,Пункт,В оценке,"), "{text}");
}
