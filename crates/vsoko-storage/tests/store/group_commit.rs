//! SQLite group commit: submissions that arrive while the writer is busy share a commit; a plain
//! batch is written with multi-row statements; one that fails is answered alone.

use std::sync::atomic::Ordering;

use vsoko_storage::{NewPeriod, NewSubmission, StorageError};

use crate::support::{self, TestDb, answers, fake_score, submit, teacher_submission, world};
use vsoko_storage::{NetworkId, PeriodId, SubmissionId};

/// SQLite: submissions that arrive while the writer is busy share one commit, each in a savepoint
/// of its own: one that fails is rolled back alone and answered with its own error, the others are
/// stored and answered as created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_share_commits_and_fail_alone_on_sqlite() {
    let db = TestDb::sqlite().await;
    let counters = db.observed.clone();
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    // A closed period: submissions into it are refused, inside the batch, one by one.
    let closed = store
        .create_period(
            None,
            &NewPeriod {
                network_id: NetworkId::new(world.network),
                code: "2023-05".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2023, 5, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2023, 5, 31).unwrap(),
            },
        )
        .await
        .unwrap();
    store.close_period(None, closed.id).await.unwrap();
    let before = counters.write_transactions.load(Ordering::Relaxed);
    let mut tasks = Vec::new();
    for i in 0..32 {
        let (store, world) = (store.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            let sheet = answers(&world.instrument, (i % 3) as f64, 1.0, Some(2.0));
            let score = fake_score(&world.instrument, &sheet);
            let key = format!("key-{i}");
            let mut new = teacher_submission(&world, &key, &sheet, &score);
            if i % 8 == 3 {
                new.period_id = closed.id;
            }
            (i, store.submit(&new).await)
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        let (i, outcome) = task.await.unwrap();
        if i % 8 == 3 {
            assert!(
                matches!(outcome, Err(StorageError::PeriodClosed { .. })),
                "{i}: {outcome:?}"
            );
        } else {
            let outcome = outcome.unwrap();
            assert!(outcome.created);
            assert_eq!(outcome.submission.idempotency_key, Some(format!("key-{i}")));
            created.push(outcome.submission.id);
        }
    }
    created.sort();
    created.dedup();
    assert_eq!(created.len(), 28);
    assert_eq!(db.count("submissions").await, 28);
    assert_eq!(db.count("answers").await, 28 * 3);
    let used = counters.write_transactions.load(Ordering::Relaxed) - before;
    assert!(
        used < 28,
        "{used} write transactions for 32 concurrent submissions"
    );
    // Every stored one is complete and readable.
    for id in created {
        let detail = store.get_submission(id).await.unwrap();
        assert_eq!(detail.answers.len(), 3);
    }
}

/// SQLite: under sustained load — several clients, each submitting again as soon as it is
/// answered — what arrives while a batch is being written goes into the next batch, so commits
/// stay far fewer than submissions. (When every waiting caller took a turn at the writer, each
/// turn committed the one or two submissions that had arrived meanwhile.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sustained_submissions_from_several_clients_share_commits_on_sqlite() {
    let db = TestDb::sqlite().await;
    let counters = db.observed.clone();
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let before = counters.write_transactions.load(Ordering::Relaxed);
    let (clients, each) = (8, 25);
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (store, world) = (store.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..each {
                let sheet = answers(&world.instrument, (i % 3) as f64, 1.0, None);
                let score = fake_score(&world.instrument, &sheet);
                let key = format!("client-{client}-{i}");
                let outcome = store
                    .submit(&teacher_submission(&world, &key, &sheet, &score))
                    .await
                    .unwrap();
                assert!(outcome.created);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let submissions = clients * each;
    assert_eq!(db.count("submissions").await, submissions as i64);
    let used = counters.write_transactions.load(Ordering::Relaxed) - before;
    assert!(
        used * 2 <= submissions as u64,
        "{used} write transactions for {submissions} submissions from {clients} clients"
    );
    assert_eq!(store.queued_submissions(), 0);
}

/// SQLite: a writer task that dies with its runtime (a server shutting one worker down) takes no
/// later submission with it: the queue is told no writer runs, and the next submission starts
/// one of its own instead of waiting for ever.
#[test]

fn a_writer_that_dies_with_its_runtime_leaves_no_submission_waiting_on_sqlite() {
    let main = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (db, world) = main.block_on(async {
        let db = TestDb::sqlite().await;
        let world = std::sync::Arc::new(world(&db.store).await);
        (db, world)
    });
    let store = db.store.clone();
    let sheet = answers(&world.instrument, 1.0, 1.0, None);
    let score = fake_score(&world.instrument, &sheet);
    // With the writer slot held, the doomed runtime's submission starts a writer that waits.
    let slot = main.block_on(store.hold_sqlite_writer()).expect("SQLite");
    let doomed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (submitter, doomed_world) = (store.clone(), world.clone());
    let (doomed_sheet, doomed_score) = (sheet.clone(), score.clone());
    doomed.spawn(async move {
        let new = teacher_submission(&doomed_world, "doomed", &doomed_sheet, &doomed_score);
        let _ = submitter.submit(&new).await;
    });
    doomed.block_on(async {
        while store.queued_submissions() == 0 {
            tokio::task::yield_now().await;
        }
    });
    drop(doomed);
    assert_eq!(
        store.queued_submissions(),
        0,
        "the dead writer's queue is emptied"
    );
    drop(slot);
    let outcome = main.block_on(async {
        let new = teacher_submission(&world, "after", &sheet, &score);
        tokio::time::timeout(std::time::Duration::from_secs(30), store.submit(&new)).await
    });
    let outcome = outcome.expect("a submission after the dead writer is answered");
    assert!(outcome.unwrap().created);
    main.block_on(async {
        assert_eq!(db.count("submissions").await, 1);
    });
}

/// One submission of [`submit_as_one_batch`]: key, answers, scores and period.
pub(crate) type Job = (
    String,
    vsoko_checklist::AnswerSheet,
    vsoko_scoring::SubmissionScore,
    i64,
);

/// Queues `jobs` (about the world's teacher) behind the held SQLite writer, so that they are
/// written as one batch, in this order, and returns each one's outcome.
pub(crate) async fn submit_as_one_batch(
    store: &vsoko_storage::Store,
    world: &std::sync::Arc<support::World>,
    jobs: Vec<Job>,
) -> Vec<Result<vsoko_storage::SubmitOutcome, StorageError>> {
    let writer = store.hold_sqlite_writer().await.expect("SQLite");
    let mut tasks = Vec::new();
    for (key, sheet, score, period_id) in jobs {
        let (submitter, world) = (store.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            submitter
                .submit(&NewSubmission {
                    period_id: PeriodId::new(period_id),
                    ..teacher_submission(&world, &key, &sheet, &score)
                })
                .await
        }));
        while store.queued_submissions() < tasks.len() {
            tokio::task::yield_now().await;
        }
    }
    drop(writer);
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

/// What a stored submission is made of, without ids, keys and times.
pub(crate) async fn stored_content(store: &vsoko_storage::Store, id: i64) -> String {
    let detail = store.get_submission(SubmissionId::new(id)).await.unwrap();
    let trail = store
        .audit_trail("submission", &id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    let mut details = trail[0].details.clone();
    details["idempotency_key"] = serde_json::Value::Null;
    format!(
        "{:?} {:?} {:?} {} {} {:?} {:?} {}",
        detail.answers,
        detail.score,
        detail.submission.subject,
        detail.submission.revision,
        detail.submission.is_latest,
        detail.submission.period_id,
        trail[0].action,
        details
    )
}

/// SQLite: a batch of plain new submissions is written with multi-row statements, and what it
/// stores is exactly what the one-by-one path (taken for a batch with a replayed key) stores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_batch_is_written_at_once_and_stores_what_one_by_one_does_on_sqlite() {
    let db = TestDb::sqlite().await;
    let counters = db.observed.clone();
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let jobs = |prefix: &str| -> Vec<Job> {
        (0..40)
            .map(|i| {
                let sheet = answers(
                    &world.instrument,
                    (i % 3) as f64,
                    ((i / 3) % 3) as f64,
                    (i % 4 != 0).then_some((i % 2) as f64),
                );
                let score = fake_score(&world.instrument, &sheet);
                (format!("{prefix}-{i}"), sheet, score, world.period)
            })
            .collect()
    };
    let (transactions, plain) = (&counters.write_transactions, &counters.plain_batches);
    let (before, plain_before) = (
        transactions.load(Ordering::Relaxed),
        plain.load(Ordering::Relaxed),
    );
    let fast = submit_as_one_batch(&store, &world, jobs("fast")).await;
    assert_eq!(transactions.load(Ordering::Relaxed) - before, 1);
    assert_eq!(
        plain.load(Ordering::Relaxed) - plain_before,
        1,
        "the multi-row path was not taken"
    );
    let fast: Vec<_> = fast.into_iter().map(|outcome| outcome.unwrap()).collect();
    for (i, outcome) in fast.iter().enumerate() {
        assert!(outcome.created);
        assert_eq!(
            outcome.submission.idempotency_key,
            Some(format!("fast-{i}"))
        );
    }

    // The same answers again, with one replayed key in the batch: written one by one.
    let mut slow_jobs = jobs("slow");
    slow_jobs.push(jobs("fast").swap_remove(7));
    let slow = submit_as_one_batch(&store, &world, slow_jobs).await;
    assert_eq!(
        plain.load(Ordering::Relaxed) - plain_before,
        1,
        "a replay must not be plain"
    );
    let replay = slow.last().unwrap().as_ref().unwrap();
    assert!(!replay.created);
    assert_eq!(replay.submission, fast[7].submission);
    for (fast, slow) in fast.iter().zip(&slow) {
        let slow = slow.as_ref().unwrap();
        assert!(slow.created);
        assert_eq!(
            stored_content(&store, fast.submission.id.get()).await,
            stored_content(&store, slow.submission.id.get()).await
        );
    }
    assert_eq!(db.count("submissions").await, 80);
    assert_eq!(db.count("answers").await, 80 * 3);
}

/// SQLite: in a batch that is not plain, each submission gets its own answer — a replayed key,
/// a key reused for other content, a key repeated within the batch, a closed period — and the
/// others are stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_batch_answers_each_submission_on_its_own_on_sqlite() {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let closed = store
        .create_period(
            None,
            &NewPeriod {
                network_id: NetworkId::new(world.network),
                code: "2025-05".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2025, 5, 31).unwrap(),
            },
        )
        .await
        .unwrap();
    store.close_period(None, closed.id).await.unwrap();
    let sheet_a = answers(&world.instrument, 0.0, 1.0, None);
    let sheet_b = answers(&world.instrument, 2.0, 2.0, Some(1.0));
    let earlier = submit(&store, &world, "earlier", &sheet_a).await;
    let job = |key: &str, sheet: &vsoko_checklist::AnswerSheet, period: i64| -> Job {
        (
            key.to_owned(),
            sheet.clone(),
            fake_score(&world.instrument, sheet),
            period,
        )
    };
    let outcomes = submit_as_one_batch(
        &store,
        &world,
        vec![
            job("new-1", &sheet_a, world.period),
            job("earlier", &sheet_a, world.period),
            job("earlier", &sheet_b, world.period),
            job("twice", &sheet_b, world.period),
            job("twice", &sheet_b, world.period),
            job("closed", &sheet_a, closed.id.get()),
            job("new-2", &sheet_b, world.period),
        ],
    )
    .await;
    let created = |index: usize| match &outcomes[index] {
        Ok(outcome) if outcome.created => outcome.submission.clone(),
        other => panic!("{index}: expected created, got {other:?}"),
    };
    let new_1 = created(0);
    match &outcomes[1] {
        Ok(outcome) => {
            assert!(!outcome.created);
            assert_eq!(outcome.submission, earlier.submission);
        }
        other => panic!("expected the earlier submission, got {other:?}"),
    }
    assert!(
        matches!(&outcomes[2], Err(StorageError::IdempotencyKeyReused { key, .. }) if key == "earlier"),
        "{:?}",
        outcomes[2]
    );
    let twice = created(3);
    match &outcomes[4] {
        Ok(outcome) => {
            assert!(!outcome.created);
            assert_eq!(outcome.submission, twice);
        }
        other => panic!("expected the first of the repeated key, got {other:?}"),
    }
    assert!(
        matches!(&outcomes[5], Err(StorageError::PeriodClosed { period }) if period == "2025-05"),
        "{:?}",
        outcomes[5]
    );
    let new_2 = created(6);
    // earlier, new-1, twice, new-2.
    assert_eq!(db.count("submissions").await, 4);
    for stored in [new_1, twice, new_2] {
        assert_eq!(
            store.get_submission(stored.id).await.unwrap().answers.len(),
            3
        );
    }
}
