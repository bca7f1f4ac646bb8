//! The report read (packed scores, a bounded number of queries, served by indexes) and
//! `recompute`.

use std::time::Instant;

use vsoko_storage::{Scope, StorageError};

use crate::both;
use crate::support::{TestDb, answers, fake_score, submit, world};
use vsoko_storage::{KindergartenId, NetworkId, SubmissionId};

both!(the_report_read_takes_the_same_number_of_queries_for_10_and_1000_submissions);

async fn the_report_read_takes_the_same_number_of_queries_for_10_and_1000_submissions(db: &TestDb) {
    let store = db.store.clone();
    let world = world(&store).await;
    let people_per_round = [10usize, 990];
    let mut counts = Vec::new();
    let mut total = 0;
    for (round, n) in people_per_round.into_iter().enumerate() {
        for i in 0..n {
            let value = (i % 3) as f64;
            let sheet = answers(&world.instrument, value, 2.0 - value, Some(1.0));
            submit(&store, &world, &format!("key-{round}-{i}"), &sheet).await;
        }
        total += n;
        let before = db.observed.statements();
        let started = Instant::now();
        let scores = store
            .load_scores(
                &store
                    .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                    .await
                    .unwrap(),
                "test-survey",
                1,
            )
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(scores.len(), total);
        assert!(scores.iter().all(|s| s.score.nodes.len() == 5));
        let queries = db.observed.statements() - before;
        eprintln!("load_scores: {total} submissions, {queries} queries, {elapsed:?}");
        counts.push(queries);
        let by_kindergarten = store
            .load_scores(
                &store
                    .score_query(
                        Scope::Kindergarten(KindergartenId::new(world.kindergarten)),
                        "2024-09",
                    )
                    .await
                    .unwrap(),
                "test-survey",
                1,
            )
            .await
            .unwrap();
        assert_eq!(by_kindergarten.len(), total);
    }
    assert_eq!(counts[0], counts[1]);
    assert!(counts[0] <= 4, "{counts:?}");
}

both!(a_report_with_a_compared_period_looks_each_period_up_once);

/// What a kindergarten's report with a compared period reads — for each period the versions it
/// was filled in, the score table and the items' answers — looks each period up once, when the
/// query is made, and never again by its code.
async fn a_report_with_a_compared_period_looks_each_period_up_once(db: &TestDb) {
    let store = db.store.clone();
    let world = world(&store).await;
    store
        .create_period(
            None,
            &vsoko_storage::NewPeriod {
                network_id: NetworkId::new(world.network),
                code: "2025-05".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2025, 5, 31).unwrap(),
            },
        )
        .await
        .unwrap();
    for i in 0..3 {
        let value = (i % 3) as f64;
        let sheet = answers(&world.instrument, value, 2.0 - value, Some(1.0));
        submit(&store, &world, &format!("key-{i}"), &sheet).await;
    }
    db.observed.record();
    let mut tables = Vec::new();
    for code in ["2025-05", "2024-09"] {
        let query = store
            .score_query(
                Scope::Kindergarten(KindergartenId::new(world.kindergarten)),
                code,
            )
            .await
            .unwrap();
        store
            .versions_in_period(&query, "test-survey")
            .await
            .unwrap();
        tables.push(
            store
                .load_score_table(&query, &world.instrument)
                .await
                .unwrap()
                .len(),
        );
        store.item_answers(&query, "test-survey", 1).await.unwrap();
    }
    let statements = db.observed.recorded();
    assert_eq!(tables, [0, 3]);
    let lookups = statements
        .iter()
        .filter(|sql| sql.contains("FROM \"periods\""))
        .count();
    assert_eq!(lookups, 2, "{statements:#?}");
}

both!(the_report_read_uses_packed_scores_and_refuses_rows_without_them);

/// A report reads one row per submission (its packed scores), not the per-node score rows;
/// revisions stored before the packed column existed are read from their rows, identically, and
/// `recompute` packs them.
async fn the_report_read_uses_packed_scores_and_refuses_rows_without_them(db: &TestDb) {
    use sea_orm::{ConnectionTrait, Database, Statement};

    let store = db.store.clone();
    let world = world(&store).await;
    for i in 0..4 {
        let value = (i % 3) as f64;
        let sheet = answers(
            &world.instrument,
            value,
            2.0 - value,
            (i == 1).then_some(1.0),
        );
        submit(&store, &world, &format!("key-{i}"), &sheet).await;
    }
    let scope = Scope::Network(NetworkId::new(world.network));
    db.observed.record();
    let packed = store
        .load_scores(
            &store.score_query(scope, "2024-09").await.unwrap(),
            "test-survey",
            1,
        )
        .await
        .unwrap();
    let statements = db.observed.recorded();
    assert_eq!(packed.len(), 4);
    assert!(
        statements
            .iter()
            .all(|sql| !sql.contains("submission_scores") && !sql.contains("critical_items")),
        "{statements:#?}"
    );
    for scored in &packed {
        let detail = store
            .get_submission(SubmissionId::new(scored.submission))
            .await
            .unwrap();
        assert_eq!(scored.score, detail.score);
    }
    // The network report's table read: the same scores, aggregated the same, from the same rows.
    let expected = vsoko_scoring::aggregate(&world.instrument, &packed).unwrap();
    let table_report = |table: &vsoko_scoring::ScoreTable| {
        assert_eq!(table.len(), 4);
        vsoko_scoring::aggregate_table(&world.instrument, table).unwrap()
    };
    db.observed.record();
    let table = store
        .load_score_table(
            &store.score_query(scope, "2024-09").await.unwrap(),
            &world.instrument,
        )
        .await
        .unwrap();
    assert_eq!(table_report(&table), expected);
    assert!(
        db.observed
            .recorded()
            .iter()
            .all(|sql| !sql.contains("submission_scores")),
    );

    // Rows from before migration 6: no packed copy. The report read refuses them, naming the
    // command that repairs them, and the upgrade check says a recompute is due.
    let raw = Database::connect(&db.url).await.unwrap();
    raw.execute_raw(Statement::from_string(
        raw.get_database_backend(),
        "UPDATE submissions SET packed_scores = NULL WHERE id % 2 = 0",
    ))
    .await
    .unwrap();
    assert!(store.needs_recompute().await.unwrap());
    let error = store
        .load_scores(
            &store.score_query(scope, "2024-09").await.unwrap(),
            "test-survey",
            1,
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("vsoko recompute"), "{error}");
    let error = store
        .load_score_table(
            &store.score_query(scope, "2024-09").await.unwrap(),
            &world.instrument,
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("vsoko recompute"), "{error}");

    // `recompute` packs them again without counting them as changed scores.
    let report = store
        .recompute(|instrument, sheet| Ok::<_, String>(fake_score(instrument, sheet)))
        .await
        .unwrap();
    assert_eq!((report.scanned, report.changed), (4, 0));
    let missing = raw
        .query_one_raw(Statement::from_string(
            raw.get_database_backend(),
            "SELECT COUNT(*) AS n FROM submissions WHERE packed_scores IS NULL",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(missing, 0);
    assert!(!store.needs_recompute().await.unwrap());
    db.observed.record();
    let repacked = store
        .load_scores(
            &store.score_query(scope, "2024-09").await.unwrap(),
            "test-survey",
            1,
        )
        .await
        .unwrap();
    assert_eq!(repacked, packed);
    assert!(
        db.observed
            .recorded()
            .iter()
            .all(|sql| !sql.contains("submission_scores"))
    );
}

both!(recompute_rewrites_only_the_scores_that_changed);

async fn recompute_rewrites_only_the_scores_that_changed(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    for i in 0..3 {
        submit(
            store,
            &world,
            &format!("key-{i}"),
            &answers(&world.instrument, 1.0, 2.0, None),
        )
        .await;
    }
    let report = store
        .recompute(|instrument, sheet| Ok::<_, String>(fake_score(instrument, sheet)))
        .await
        .unwrap();
    assert_eq!((report.scanned, report.changed), (3, 0));
    // A «scoring fix»: every percent rounds down to a multiple of 10.
    let report = store
        .recompute(|instrument, sheet| {
            let mut score = fake_score(instrument, sheet);
            for node in &mut score.nodes {
                node.percent = node.percent.map(|p| (p / 10.0).floor() * 10.0);
            }
            Ok::<_, String>(score)
        })
        .await
        .unwrap();
    assert_eq!((report.scanned, report.changed), (3, 3));
    let scores = store
        .load_scores(
            &store
                .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                .await
                .unwrap(),
            "test-survey",
            1,
        )
        .await
        .unwrap();
    assert_eq!(scores[0].score.total().percent, Some(70.0));
    let failing = store
        .recompute(|_, _| Err::<vsoko_scoring::SubmissionScore, _>("scoring bug"))
        .await;
    assert!(
        matches!(failing, Err(StorageError::Invalid(_))),
        "{failing:?}"
    );
}

/// SQLite only: the report reads' statements are index searches, never table scans, and the network
/// report's concatenation per kindergarten needs no temporary sort.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_read_is_served_by_indexes_on_sqlite() {
    use sea_orm::{ConnectionTrait, Database, Statement};

    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let world = world(&store).await;
    for i in 0..20 {
        submit(
            &store,
            &world,
            &format!("key-{i}"),
            &answers(&world.instrument, 1.0, 1.0, None),
        )
        .await;
    }
    db.observed.record();
    for scope in [
        Scope::Network(NetworkId::new(world.network)),
        Scope::Kindergarten(KindergartenId::new(world.kindergarten)),
    ] {
        store
            .load_scores(
                &store.score_query(scope, "2024-09").await.unwrap(),
                "test-survey",
                1,
            )
            .await
            .unwrap();
        store
            .load_score_table(
                &store.score_query(scope, "2024-09").await.unwrap(),
                &world.instrument,
            )
            .await
            .unwrap();
    }
    let statements = db.observed.recorded();
    assert!(statements.iter().any(|sql| sql.contains("group_concat")));
    let raw = Database::connect(&db.url).await.unwrap();
    for sql in statements {
        let plan: Vec<String> = raw
            .query_all_raw(Statement::from_string(
                raw.get_database_backend(),
                format!("EXPLAIN QUERY PLAN {sql}"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get::<String>("", "detail").unwrap())
            .collect();
        eprintln!("{sql}\n  {plan:?}");
        for step in &plan {
            assert!(
                !step.starts_with("SCAN ") || step.contains("USING") && step.contains("INDEX"),
                "table scan in the plan of {sql}: {plan:?}"
            );
            // The rows come in kindergarten order from the index (the only sort is the
            // concatenation's own ORDER BY id, within a kindergarten).
            if sql.contains("group_concat") {
                assert!(
                    !step.contains("TEMP B-TREE FOR GROUP BY")
                        && !step.contains("TEMP B-TREE FOR ORDER BY"),
                    "a sort of the whole read in the plan of {sql}: {plan:?}"
                );
            }
        }
    }
}
