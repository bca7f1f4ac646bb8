//! Storage behaviour, on SQLite always and on PostgreSQL when `VSOKO_TEST_POSTGRES_URL` is set.

mod support;

use std::sync::atomic::Ordering;
use std::time::Instant;

use chrono::{Duration, Utc};
use vsoko_checklist::AnswerValue;
use vsoko_scoring::NodeKind;
use vsoko_storage::{
    Correction, NewKindergarten, NewPeriod, NewSubmission, NewUser, PageRequest, PeriodStatus,
    Record, Role, Scope, ScoreQuery, StorageError, SubjectRef, SubmissionFilter,
};

use support::{TestDb, answers, fake_score, submit, teacher_submission, world};

both!(a_submission_round_trips_with_answers_scores_and_an_audit_entry);
async fn a_submission_round_trips_with_answers_scores_and_an_audit_entry(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let sheet = answers(&world.instrument, 0.0, 1.0, None);
    let outcome = submit(store, &world, "key-1", &sheet).await;
    assert!(outcome.created);
    let stored = outcome.submission;
    assert_eq!(stored.revision, 1);
    assert_eq!(stored.root_id, stored.id);
    assert!(stored.is_latest);
    assert_eq!(stored.subject, SubjectRef::Teacher(world.teacher));

    let detail = store.get_submission(stored.id).await.unwrap();
    assert_eq!(detail.submission, stored);
    assert_eq!(detail.instrument, *world.instrument.id());
    let got: Vec<_> = detail
        .answers
        .iter()
        .map(|a| (a.item.as_str(), a.value, a.comment.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("A.1.1", AnswerValue::Value(0.0), Some("есть")),
            ("A.1.2", AnswerValue::Value(1.0), None),
            ("B.1.1", AnswerValue::NotApplicable, None),
        ]
    );
    assert_eq!(detail.score, fake_score(&world.instrument, &sheet));
    assert_eq!(detail.score.critical_items, vec!["A.1.1".to_owned()]);

    let page = store
        .list_submissions(
            &SubmissionFilter {
                period_id: Some(world.period),
                subject: Some(SubjectRef::Teacher(world.teacher)),
                ..SubmissionFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items, vec![stored.clone()]);

    let trail = store
        .audit_trail("submission", &stored.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "submission.create");
    assert_eq!(trail[0].actor_user_id, Some(world.user));
    assert_eq!(trail[0].details["idempotency_key"], "key-1");
}

both!(the_same_idempotency_key_returns_the_first_submission);
async fn the_same_idempotency_key_returns_the_first_submission(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let first = submit(
        store,
        &world,
        "key-1",
        &answers(&world.instrument, 2.0, 2.0, Some(2.0)),
    )
    .await;
    // A retry (the same content) returns what was stored the first time.
    let retry = submit(
        store,
        &world,
        "key-1",
        &answers(&world.instrument, 2.0, 2.0, Some(2.0)),
    )
    .await;
    assert!(first.created);
    assert!(!retry.created);
    assert_eq!(retry.submission, first.submission);
    // The same key with other answers is not a retry: refused, naming the key, nothing stored.
    let sheet = answers(&world.instrument, 0.0, 0.0, None);
    let score = fake_score(&world.instrument, &sheet);
    let reused = store
        .submit(&teacher_submission(&world, "key-1", &sheet, &score))
        .await;
    match reused {
        Err(StorageError::IdempotencyKeyReused { key, submission }) => {
            assert_eq!((key.as_str(), submission), ("key-1", first.submission.id));
        }
        other => panic!("expected IdempotencyKeyReused, got {other:?}"),
    }
    assert_eq!(db.count("submissions").await, 1);
    let other = submit(
        store,
        &world,
        "key-2",
        &answers(&world.instrument, 0.0, 0.0, None),
    )
    .await;
    assert!(other.created);
    assert_ne!(other.submission.id, first.submission.id);
    assert_eq!(db.count("submissions").await, 2);
    assert_eq!(db.count("answers").await, 6);
}

both!(a_correction_is_a_new_revision_and_reports_see_only_the_latest);
async fn a_correction_is_a_new_revision_and_reports_see_only_the_latest(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let original = submit(
        store,
        &world,
        "key-1",
        &answers(&world.instrument, 0.0, 0.0, None),
    )
    .await
    .submission;
    let corrected_sheet = answers(&world.instrument, 2.0, 2.0, Some(2.0));
    let score = fake_score(&world.instrument, &corrected_sheet);
    let correction = Correction {
        supersedes: original.id,
        author_user_id: world.user,
        idempotency_key: Some("fix-1"),
        answers: &corrected_sheet,
        score: &score,
    };
    let outcome = store.correct(&correction).await.unwrap();
    assert!(outcome.created);
    let revision = outcome.submission;
    assert_eq!(revision.revision, 2);
    assert_eq!(revision.root_id, original.id);
    assert_eq!(revision.supersedes_id, Some(original.id));
    assert!(revision.is_latest);

    // A retry of the same correction returns it.
    let retry = store.correct(&correction).await.unwrap();
    assert!(!retry.created);
    assert_eq!(retry.submission, revision);

    // The same key with other answers is not a retry: refused, nothing stored.
    let other_sheet = answers(&world.instrument, 1.0, 1.0, None);
    let other_score = fake_score(&world.instrument, &other_sheet);
    let reused = store
        .correct(&Correction {
            answers: &other_sheet,
            score: &other_score,
            ..correction
        })
        .await;
    assert!(
        matches!(
            reused,
            Err(StorageError::IdempotencyKeyReused { ref key, submission })
                if key == "fix-1" && submission == revision.id
        ),
        "{reused:?}"
    );
    assert!(
        store
            .get_submission(revision.id)
            .await
            .unwrap()
            .submission
            .is_latest
    );

    // The original is kept, unchanged but for the superseded marker.
    let old = store.get_submission(original.id).await.unwrap();
    assert!(!old.submission.is_latest);
    assert_eq!(old.answers[0].value, AnswerValue::Value(0.0));
    let history = store.submission_history(revision.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|s| (s.id, s.revision))
            .collect::<Vec<_>>(),
        vec![(original.id, 1), (revision.id, 2)]
    );

    // Correcting the superseded revision again is a conflict naming the latest one.
    let again = store
        .correct(&Correction {
            idempotency_key: None,
            ..correction
        })
        .await;
    match again {
        Err(StorageError::NotLatest { submission, latest }) => {
            assert_eq!((submission, latest), (original.id, revision.id));
        }
        other => panic!("expected NotLatest, got {other:?}"),
    }

    let scores = store
        .load_scores(
            &ScoreQuery::of(Scope::Network(world.network), "2024-09"),
            "test-survey",
            1,
        )
        .await
        .unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].submission, revision.id);
    assert_eq!(scores[0].subject, world.teacher);
    assert_eq!(scores[0].kindergarten, world.kindergarten);
    assert_eq!(scores[0].period, "2024-09");
    assert_eq!(scores[0].score, score);
    assert_eq!(scores[0].score.total().kind, NodeKind::Total);

    let latest_only = store
        .list_submissions(&SubmissionFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(latest_only.total, 1);
    let all = store
        .list_submissions(
            &SubmissionFilter {
                include_superseded: true,
                ..SubmissionFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 2);

    let trail = store
        .audit_trail("submission", &revision.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail[0].action, "submission.correct");
    assert_eq!(trail[0].details["supersedes"], original.id);
}

both!(a_closed_period_refuses_submissions_and_corrections);
async fn a_closed_period_refuses_submissions_and_corrections(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let sheet = answers(&world.instrument, 1.0, 1.0, None);
    let original = submit(store, &world, "key-1", &sheet).await.submission;
    let closed = store
        .close_period(Some(world.user), world.period)
        .await
        .unwrap();
    assert_eq!(closed.status, PeriodStatus::Closed);
    assert!(closed.closed_at.is_some());

    let score = fake_score(&world.instrument, &sheet);
    let refused = store
        .submit(&teacher_submission(&world, "key-2", &sheet, &score))
        .await;
    assert!(
        matches!(&refused, Err(StorageError::PeriodClosed { period }) if period == "2024-09"),
        "{refused:?}"
    );
    let refused = store
        .correct(&Correction {
            supersedes: original.id,
            author_user_id: world.user,
            idempotency_key: None,
            answers: &sheet,
            score: &score,
        })
        .await;
    assert!(
        matches!(refused, Err(StorageError::PeriodClosed { .. })),
        "{refused:?}"
    );
    // Nothing changed: the original is still the latest.
    assert!(
        store
            .get_submission(original.id)
            .await
            .unwrap()
            .submission
            .is_latest
    );
    assert_eq!(db.count("submissions").await, 1);
}

both!(a_failed_submit_leaves_no_partial_rows);
async fn a_failed_submit_leaves_no_partial_rows(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let sheet = answers(&world.instrument, 0.0, 1.0, Some(2.0));
    let mut score = fake_score(&world.instrument, &sheet);
    // The same critical item twice violates a primary key in the last insert of the transaction,
    // after the submission, its answers and its scores were written.
    score.critical_items = vec!["A.1.1".into(), "A.1.1".into()];
    let failed = store
        .submit(&teacher_submission(&world, "key-1", &sheet, &score))
        .await;
    assert!(
        matches!(failed, Err(StorageError::Database(_))),
        "{failed:?}"
    );
    for table in [
        "submissions",
        "answers",
        "submission_scores",
        "submission_critical_items",
    ] {
        assert_eq!(db.count(table).await, 0, "{table}");
    }
    let audit_before = db.count("audit_log").await;
    // The key was not consumed: a good retry stores the submission.
    let retry = submit(store, &world, "key-1", &sheet).await;
    assert!(retry.created);
    assert_eq!(db.count("answers").await, 3);
    assert_eq!(db.count("audit_log").await, audit_before + 1);
}

/// SQLite: submissions that arrive while the writer is busy share one commit, each in a savepoint
/// of its own: one that fails is rolled back alone and answered with its own error, the others are
/// stored and answered as created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_share_commits_and_fail_alone_on_sqlite() {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let transactions = store.sqlite_write_transactions();
    let before = transactions.load(Ordering::Relaxed);
    let mut tasks = Vec::new();
    for i in 0..32 {
        let (store, world) = (store.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            let sheet = answers(&world.instrument, (i % 3) as f64, 1.0, Some(2.0));
            let mut score = fake_score(&world.instrument, &sheet);
            if i % 8 == 3 {
                // A primary-key violation in the last insert of this submission.
                score.critical_items = vec!["A.1.1".into(), "A.1.1".into()];
            }
            let key = format!("key-{i}");
            let outcome = store
                .submit(&teacher_submission(&world, &key, &sheet, &score))
                .await;
            (i, outcome)
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        let (i, outcome) = task.await.unwrap();
        if i % 8 == 3 {
            assert!(
                matches!(outcome, Err(StorageError::Database(_))),
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
    let used = transactions.load(Ordering::Relaxed) - before;
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
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let transactions = store.sqlite_write_transactions();
    let before = transactions.load(Ordering::Relaxed);
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
    let used = transactions.load(Ordering::Relaxed) - before;
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
type Job = (
    String,
    vsoko_checklist::AnswerSheet,
    vsoko_scoring::SubmissionScore,
    i64,
);

/// Queues `jobs` (about the world's teacher) behind the held SQLite writer, so that they are
/// written as one batch, in this order, and returns each one's outcome.
async fn submit_as_one_batch(
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
                    period_id,
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
async fn stored_content(store: &vsoko_storage::Store, id: i64) -> String {
    let detail = store.get_submission(id).await.unwrap();
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
    let (transactions, plain) = (
        store.sqlite_write_transactions(),
        store.sqlite_plain_batches(),
    );
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
            stored_content(&store, fast.submission.id).await,
            stored_content(&store, slow.submission.id).await
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
                network_id: world.network,
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
            job("closed", &sheet_a, closed.id),
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

both!(submissions_about_foreign_or_mismatched_subjects_are_refused);
async fn submissions_about_foreign_or_mismatched_subjects_are_refused(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let other = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: world.network,
                number: "2".into(),
                full_name: "МДОУ № 2".into(),
                short_name: "МДОУ № 2".into(),
            },
        )
        .await
        .unwrap();
    let stranger = store
        .create_person(None, other.id, "Петрова Анна", "воспитатель")
        .await
        .unwrap();
    let group = store
        .create_group(None, world.kindergarten, "Солнышко", "средняя")
        .await
        .unwrap();
    let sheet = answers(&world.instrument, 1.0, 1.0, None);
    let score = fake_score(&world.instrument, &sheet);
    for subject in [
        SubjectRef::Teacher(stranger.id),
        SubjectRef::Group(group.id),
    ] {
        let refused = store
            .submit(&NewSubmission {
                subject,
                ..teacher_submission(&world, "key-1", &sheet, &score)
            })
            .await;
        assert!(
            matches!(refused, Err(StorageError::Invalid(_))),
            "{refused:?}"
        );
    }
    let missing = store
        .submit(&NewSubmission {
            period_id: world.period + 100,
            ..teacher_submission(&world, "key-1", &sheet, &score)
        })
        .await;
    assert!(
        matches!(
            missing,
            Err(StorageError::NotFound {
                record: Record::Period,
                ..
            })
        ),
        "{missing:?}"
    );
    assert_eq!(db.count("submissions").await, 0);
}

both!(the_submission_context_is_read_in_one_query_and_trusted_only_for_its_own_rows);
/// What the API reads before a submission: the instrument version, the period of the caller's
/// network and the subject's kindergarten, in one query; unknown references are named; a
/// submission made in that context stores what `submit` stores, and one naming other rows than
/// its context is refused.
async fn the_submission_context_is_read_in_one_query_and_trusted_only_for_its_own_rows(
    db: &TestDb,
) {
    let store = &db.store;
    let world = world(store).await;
    let teacher = SubjectRef::Teacher(world.teacher);
    let context = store
        .submission_context(world.network, "test-survey", None, "2024-09", teacher)
        .await
        .unwrap();
    assert_eq!(context.instrument().id, world.instrument_id);
    assert_eq!(context.instrument().instrument.to_string(), "test-survey@1");
    assert_eq!(context.period().id, world.period);
    assert_eq!(context.period().status, PeriodStatus::Open);
    assert_eq!(context.subject(), teacher);
    assert_eq!(context.kindergarten().unwrap().id, world.kindergarten);
    assert_eq!(context.kindergarten().unwrap().network_id, world.network);
    let same = store
        .submission_context(world.network, "test-survey", Some(1), "2024-09", teacher)
        .await
        .unwrap();
    assert_eq!(same.instrument(), context.instrument());

    let named = |result: Result<vsoko_storage::SubmissionContext, StorageError>| match result {
        Err(StorageError::NotFound { record, id }) => format!("{record} {id}"),
        other => panic!("expected «not found», got {other:?}"),
    };
    let unknown_version = store
        .submission_context(world.network, "test-survey", Some(2), "2024-09", teacher)
        .await;
    assert_eq!(named(unknown_version), "instrument test-survey@2");
    // The instrument is checked first, then the period.
    let unknown_both = store
        .submission_context(world.network, "no-such", None, "1999-01", teacher)
        .await;
    assert_eq!(named(unknown_both), "instrument no-such");
    let unknown_period = store
        .submission_context(world.network, "test-survey", None, "1999-01", teacher)
        .await;
    assert_eq!(named(unknown_period), "period 1999-01");
    // A period of another network is not this network's.
    let elsewhere = store.create_network(None, "Другая сеть").await.unwrap();
    let foreign_period = store
        .submission_context(elsewhere.id, "test-survey", None, "2024-09", teacher)
        .await;
    assert_eq!(named(foreign_period), "period 2024-09");
    // An unknown subject is reported by the context, after the caller's own checks.
    let ghost = store
        .submission_context(
            world.network,
            "test-survey",
            None,
            "2024-09",
            SubjectRef::Teacher(world.teacher + 1000),
        )
        .await
        .unwrap();
    assert!(matches!(
        ghost.kindergarten(),
        Err(StorageError::NotFound {
            record: Record::Person,
            ..
        })
    ));

    let sheet = answers(&world.instrument, 2.0, 1.0, None);
    let score = fake_score(&world.instrument, &sheet);
    let group = store
        .create_group(None, world.kindergarten, "Солнышко", "средняя")
        .await
        .unwrap();
    for mismatch in [
        NewSubmission {
            subject: SubjectRef::Group(group.id),
            ..teacher_submission(&world, "key-0", &sheet, &score)
        },
        NewSubmission {
            period_id: world.period + 100,
            ..teacher_submission(&world, "key-0", &sheet, &score)
        },
        NewSubmission {
            kindergarten_id: world.kindergarten + 100,
            ..teacher_submission(&world, "key-0", &sheet, &score)
        },
    ] {
        let refused = store.submit_in_context(&context, &mismatch).await;
        assert!(
            matches!(refused, Err(StorageError::Invalid(_))),
            "{refused:?}"
        );
    }
    assert!(matches!(
        store
            .submit_in_context(&ghost, &teacher_submission(&world, "key-0", &sheet, &score))
            .await,
        Err(StorageError::NotFound { .. })
    ));
    assert_eq!(db.count("submissions").await, 0);

    let in_context = store
        .submit_in_context(
            &context,
            &teacher_submission(&world, "key-1", &sheet, &score),
        )
        .await
        .unwrap();
    assert!(in_context.created);
    let plain = store
        .submit(&teacher_submission(&world, "key-2", &sheet, &score))
        .await
        .unwrap();
    assert_eq!(
        stored_content(store, in_context.submission.id).await,
        stored_content(store, plain.submission.id).await
    );
    let again = store
        .submit_in_context(
            &context,
            &teacher_submission(&world, "key-1", &sheet, &score),
        )
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.submission.id, in_context.submission.id);
}

both!(a_changed_instrument_under_a_registered_version_is_refused);
async fn a_changed_instrument_under_a_registered_version_is_refused(db: &TestDb) {
    let store = &db.store;
    let instrument = support::survey();
    assert!(
        store
            .register_instrument(&instrument, "checklists/test-survey/v1.toml")
            .await
            .unwrap()
    );
    // Registering the same content again is a no-op.
    assert!(
        !store
            .register_instrument(&instrument, "checklists/test-survey/v1.toml")
            .await
            .unwrap()
    );
    let changed_source = support::SURVEY_V1.replace("Есть план", "Есть годовой план");
    let changed = vsoko_checklist::parse_toml(&changed_source, "changed").unwrap();
    let refused = store
        .register_instrument(&changed, "checklists/test-survey/v1.toml")
        .await;
    match refused {
        Err(error @ StorageError::InstrumentChanged { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("checklists/test-survey/v1.toml"),
                "{message}"
            );
            assert!(message.contains("test-survey@1"), "{message}");
        }
        other => panic!("expected InstrumentChanged, got {other:?}"),
    }
    // A new version of the same code is added.
    let v2 =
        vsoko_checklist::parse_toml(&changed_source.replace("version = 1", "version = 2"), "v2")
            .unwrap();
    assert!(
        store
            .register_instrument(&v2, "checklists/test-survey/v2.toml")
            .await
            .unwrap()
    );
    let listed = store.instruments().await.unwrap();
    assert_eq!(listed.len(), 2);
    let latest = store.instrument("test-survey", None).await.unwrap();
    assert_eq!(latest.instrument.version(), 2);
    assert_eq!(latest.instrument.content_hash(), v2.content_hash());
}

both!(the_report_read_takes_the_same_number_of_queries_for_10_and_1000_submissions);
async fn the_report_read_takes_the_same_number_of_queries_for_10_and_1000_submissions(db: &TestDb) {
    let mut store = db.store.clone();
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
        let counter = store.count_queries();
        let started = Instant::now();
        let scores = store
            .load_scores(
                &ScoreQuery::of(Scope::Network(world.network), "2024-09"),
                "test-survey",
                1,
            )
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(scores.len(), total);
        assert!(scores.iter().all(|s| s.score.nodes.len() == 5));
        let queries = counter.load(Ordering::Relaxed);
        eprintln!("load_scores: {total} submissions, {queries} queries, {elapsed:?}");
        counts.push(queries);
        let by_kindergarten = store
            .load_scores(
                &ScoreQuery::of(Scope::Kindergarten(world.kindergarten), "2024-09"),
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

both!(the_report_read_uses_packed_scores_and_refuses_rows_without_them);
/// A report reads one row per submission (its packed scores), not the per-node score rows;
/// revisions stored before the packed column existed are read from their rows, identically, and
/// `recompute` packs them.
async fn the_report_read_uses_packed_scores_and_refuses_rows_without_them(db: &TestDb) {
    use sea_orm::{ConnectionTrait, Database, Statement};

    let mut store = db.store.clone();
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
    let scope = Scope::Network(world.network);
    let log = store.record_queries();
    let packed = store
        .load_scores(&ScoreQuery::of(scope, "2024-09"), "test-survey", 1)
        .await
        .unwrap();
    let statements = std::mem::take(&mut *log.lock().unwrap());
    assert_eq!(packed.len(), 4);
    assert!(
        statements
            .iter()
            .all(|sql| !sql.contains("submission_scores") && !sql.contains("critical_items")),
        "{statements:#?}"
    );
    for scored in &packed {
        let detail = store.get_submission(scored.submission).await.unwrap();
        assert_eq!(scored.score, detail.score);
    }
    // The network report's table read: the same scores, aggregated the same, from the same rows.
    let expected = vsoko_scoring::aggregate(&world.instrument, &packed).unwrap();
    let table_report = |table: &vsoko_scoring::ScoreTable| {
        assert_eq!(table.len(), 4);
        vsoko_scoring::aggregate_table(&world.instrument, table).unwrap()
    };
    log.lock().unwrap().clear();
    let table = store
        .load_score_table(&ScoreQuery::of(scope, "2024-09"), &world.instrument)
        .await
        .unwrap();
    assert_eq!(table_report(&table), expected);
    assert!(
        log.lock()
            .unwrap()
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
        .load_scores(&ScoreQuery::of(scope, "2024-09"), "test-survey", 1)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("vsoko recompute"), "{error}");
    let error = store
        .load_score_table(&ScoreQuery::of(scope, "2024-09"), &world.instrument)
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
    log.lock().unwrap().clear();
    let repacked = store
        .load_scores(&ScoreQuery::of(scope, "2024-09"), "test-survey", 1)
        .await
        .unwrap();
    assert_eq!(repacked, packed);
    assert!(
        log.lock()
            .unwrap()
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
            &ScoreQuery::of(Scope::Network(world.network), "2024-09"),
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

both!(accounts_log_in_and_tokens_expire_and_revoke);
async fn accounts_log_in_and_tokens_expire_and_revoke(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let user = store
        .authenticate("ivanova", "секрет-123")
        .await
        .unwrap()
        .expect("valid password");
    assert_eq!(user.id, world.user);
    assert_eq!(user.role, Role::Teacher);
    assert_eq!(user.scope, Scope::Kindergarten(world.kindergarten));
    assert_eq!(user.network_id, world.network);
    assert!(
        store
            .authenticate("ivanova", "wrong")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .authenticate("nobody", "секрет-123")
            .await
            .unwrap()
            .is_none()
    );

    let duplicate = store
        .create_user(
            None,
            &NewUser {
                login: "ivanova".into(),
                password: "x".into(),
                role: Role::Manager,
                scope: Scope::Network(world.network),
                person_id: None,
            },
        )
        .await;
    assert!(
        matches!(
            duplicate,
            Err(StorageError::Duplicate {
                record: Record::User,
                ..
            })
        ),
        "{duplicate:?}"
    );

    let (token, stored) = store
        .issue_token(user.id, Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(token.len(), 64);
    assert_eq!(db.count("api_tokens").await, 1);
    let now = Utc::now();
    assert_eq!(
        store
            .user_by_token(&token, now)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(user.id)
    );
    assert!(
        store
            .user_by_token(&token, stored.expires_at)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .user_by_token("not-a-token", now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.revoke_token(&token).await.unwrap());
    assert!(store.user_by_token(&token, now).await.unwrap().is_none());
    assert!(!store.revoke_token(&token).await.unwrap());

    store.deactivate_user(None, user.id).await.unwrap();
    assert!(
        store
            .authenticate("ivanova", "секрет-123")
            .await
            .unwrap()
            .is_none()
    );
}

both!(organisation_records_and_periods_round_trip);
async fn organisation_records_and_periods_round_trip(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let kindergartens = store
        .kindergartens(Scope::Network(world.network))
        .await
        .unwrap();
    assert_eq!(kindergartens.len(), 1);
    assert_eq!(kindergartens[0].short_name, "МДОУ № 106");
    let duplicate = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: world.network,
                number: "106".into(),
                full_name: "x".into(),
                short_name: "x".into(),
            },
        )
        .await;
    assert!(
        matches!(duplicate, Err(StorageError::Duplicate { .. })),
        "{duplicate:?}"
    );
    let group = store
        .create_group(None, world.kindergarten, "Радуга", "старшая")
        .await
        .unwrap();
    assert_eq!(store.groups(world.kindergarten).await.unwrap(), vec![group]);
    let people = store.people(world.kindergarten).await.unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].position, "воспитатель");
    let period = store
        .period_by_code(world.network, "2024-09")
        .await
        .unwrap();
    assert_eq!(period.id, world.period);
    assert_eq!(period.status, PeriodStatus::Open);
    let duplicate = store
        .create_period(
            None,
            &NewPeriod {
                network_id: world.network,
                code: "2024-09".into(),
                starts_on: period.starts_on,
                ends_on: period.ends_on,
            },
        )
        .await;
    assert!(
        matches!(
            duplicate,
            Err(StorageError::Duplicate {
                record: Record::Period,
                ..
            })
        ),
        "{duplicate:?}"
    );
    assert!(matches!(
        store.kindergarten(9999).await,
        Err(StorageError::NotFound {
            record: Record::Kindergarten,
            ..
        })
    ));
    assert_eq!(store.periods(world.network).await.unwrap().len(), 1);
}

both!(an_import_batch_is_stored_all_or_nothing);
async fn an_import_batch_is_stored_all_or_nothing(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let other = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: world.network,
                number: "8".into(),
                full_name: "МДОУ № 8".into(),
                short_name: "МДОУ № 8".into(),
            },
        )
        .await
        .unwrap();
    let stranger = store
        .create_person(None, other.id, "Сидорова Ольга", "воспитатель")
        .await
        .unwrap();
    let sheet = answers(&world.instrument, 1.0, 2.0, None);
    let score = fake_score(&world.instrument, &sheet);
    let item = |key: &'static str, subject| NewSubmission {
        instrument_id: world.instrument_id,
        period_id: world.period,
        kindergarten_id: world.kindergarten,
        subject,
        author_user_id: world.user,
        idempotency_key: key,
        answers: &sheet,
        score: &score,
    };
    let teacher = SubjectRef::Teacher(world.teacher);
    // The third row is about a teacher of another kindergarten: nothing of the batch is stored.
    let refused = store
        .submit_many(&[
            item("row-1", teacher),
            item("row-2", teacher),
            item("row-3", SubjectRef::Teacher(stranger.id)),
        ])
        .await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(db.count("submissions").await, 0);
    assert_eq!(db.count("answers").await, 0);

    let stored = store
        .submit_many(&[item("row-1", teacher), item("row-2", teacher)])
        .await
        .unwrap();
    assert!(stored.iter().all(|outcome| outcome.created));
    // Importing the same file again creates nothing.
    let again = store
        .submit_many(&[item("row-1", teacher), item("row-2", teacher)])
        .await
        .unwrap();
    assert!(again.iter().all(|outcome| !outcome.created));
    assert_eq!(db.count("submissions").await, 2);
}

/// SQLite only: the report reads' statements are index searches, never table scans, and the network
/// report's concatenation per kindergarten needs no temporary sort.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_read_is_served_by_indexes_on_sqlite() {
    use sea_orm::{ConnectionTrait, Database, Statement};

    let db = TestDb::sqlite().await;
    let mut store = db.store.clone();
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
    let log = store.record_queries();
    for scope in [
        Scope::Network(world.network),
        Scope::Kindergarten(world.kindergarten),
    ] {
        store
            .load_scores(&ScoreQuery::of(scope, "2024-09"), "test-survey", 1)
            .await
            .unwrap();
        store
            .load_score_table(&ScoreQuery::of(scope, "2024-09"), &world.instrument)
            .await
            .unwrap();
    }
    let statements = log.lock().unwrap().clone();
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

/// SQLite connections get WAL, `synchronous = NORMAL` (1), foreign keys and a busy timeout; running
/// the migrations again changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_connections_are_configured_and_migrations_are_idempotent() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    for _ in 0..4 {
        assert_eq!(store.sqlite_pragma("journal_mode").await.unwrap(), "wal");
        assert_eq!(store.sqlite_pragma("synchronous").await.unwrap(), "1");
        assert_eq!(store.sqlite_pragma("foreign_keys").await.unwrap(), "1");
        assert_eq!(store.sqlite_pragma("busy_timeout").await.unwrap(), "10000");
    }
    store.migrate().await.unwrap();
    world(store).await;
    store.migrate().await.unwrap();
}
