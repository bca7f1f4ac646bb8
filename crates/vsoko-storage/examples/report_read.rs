//! Measures `Store::load_scores` for a network of N teachers, each with one submission of the
//! shipped `dc-teacher` survey scored by the real scorer (the report read behind issue 5's
//! «10,000-teacher network» target). SQLite by default; PostgreSQL with `VSOKO_TEST_POSTGRES_URL`.
//!
//! `cargo run --release -p vsoko-storage --example report_read -- [N]`

#[path = "../tests/support/mod.rs"]
#[allow(unused_macros)]
mod support;

use std::time::Instant;

use vsoko_checklist::{AnswerValue, Catalog, RawAnswer, ScaleKind, check_value};
use vsoko_storage::{BatchWrite, NewSubmission, RespondentRef, Scope, SubjectRef};
use vsoko_storage::{KindergartenId, NetworkId, PeriodId, UserId};

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let db = match support::TestDb::postgres().await {
        Some(db) => db,
        None => support::TestDb::sqlite().await,
    };
    let store = db.store.clone();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../checklists");
    let catalog = Catalog::load_dir(&dir).unwrap();
    store.register_catalog(&catalog, &dir).await.unwrap();
    let world = support::world(&store).await;
    let instrument = catalog.get("dc-teacher", None).unwrap();
    let stored = store
        .instrument("dc-teacher", Some(instrument.version()))
        .await
        .unwrap();

    let started = Instant::now();
    let mut people = Vec::new();
    for i in 0..n {
        let person = store
            .create_person(
                None,
                KindergartenId::new(world.kindergarten),
                &format!("Педагог {i}"),
                "воспитатель",
            )
            .await
            .unwrap();
        people.push(person.id);
    }
    let mut prepared = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let raw: Vec<RawAnswer> = instrument
            .items()
            .enumerate()
            .filter_map(|(k, item)| {
                let value = match item.scale.kind() {
                    ScaleKind::Options(options) => {
                        AnswerValue::Value(options[(i + k) % options.len()].value())
                    }
                    ScaleKind::Numeric { .. } => AnswerValue::Value(1.0),
                };
                check_value(&item, value).ok()?;
                Some(RawAnswer {
                    item: item.item.code().to_string(),
                    value,
                    comment: None,
                })
            })
            .collect();
        let sheet = instrument.validate_answers(raw).unwrap();
        let score = vsoko_scoring::score_submission(instrument, &sheet).unwrap();
        prepared.push((*person, format!("k{i}"), sheet, score));
    }
    for chunk in prepared.chunks(500) {
        let respondents: Vec<RespondentRef> = chunk
            .iter()
            .map(|(person, ..)| RespondentRef::Person(*person))
            .collect();
        let batch: Vec<_> = chunk
            .iter()
            .zip(&respondents)
            .map(|((person, key, sheet, score), respondent)| {
                BatchWrite::Create(NewSubmission {
                    instrument_id: stored.id,
                    period_id: PeriodId::new(world.period),
                    kindergarten_id: KindergartenId::new(world.kindergarten),
                    subject: SubjectRef::Teacher(*person),
                    author_user_id: UserId::new(world.user),
                    respondent,
                    idempotency_key: key,
                    answers: sheet,
                    score,
                    observed_on: None,
                    answered_at: None,
                    respondent_email: None,
                })
            })
            .collect();
        store.write_batch(&batch).await.unwrap();
    }
    println!("{n} submissions prepared in {:.1?}", started.elapsed());
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let scores = store
            .load_scores(
                &store
                    .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                    .await
                    .unwrap(),
                "dc-teacher",
                instrument.version(),
            )
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(scores.len(), n);
    }
    times.sort();
    {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let raw = Database::connect(&db.url).await.unwrap();
        let sql = "SELECT submission_id, position, node_kind, node_code, percent, level, coverage, n_items, n_answered, critical, deficit FROM submission_scores WHERE submission_id IN (SELECT id FROM submissions WHERE period_id = 1 AND instrument_id = (SELECT id FROM instruments WHERE code = 'dc-teacher') AND network_id = 1 AND is_latest = TRUE) ORDER BY submission_id, position";
        let t = Instant::now();
        let rows = raw
            .query_all_raw(Statement::from_string(raw.get_database_backend(), sql))
            .await
            .unwrap();
        println!(
            "raw scores query: {} rows in {:.1?}",
            rows.len(),
            t.elapsed()
        );
    }
    println!(
        "load_scores({n} submissions, {} nodes each): min {:.1?}, median {:.1?}, max {:.1?}",
        instrument.areas().len()
            + instrument
                .areas()
                .iter()
                .map(|a| a.indicators().len())
                .sum::<usize>()
            + 1,
        times[0],
        times[2],
        times[4]
    );
}
