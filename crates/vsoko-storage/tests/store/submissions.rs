//! Submitting, correcting, reading: idempotency, revisions, closed periods, refused subjects,
//! the submission context, imports in one transaction, who counts.

use vsoko_checklist::AnswerValue;
use vsoko_scoring::NodeKind;
use vsoko_storage::{
    BatchWrite, Correction, NewKindergarten, NewSubmission, PageRequest, PeriodStatus, Record,
    RespondentRef, Scope, StorageError, SubjectRef, SubmissionFilter,
};

use sea_orm::ConnectionTrait;

use crate::both;
use crate::group_commit::stored_content;
use crate::support::{self, TestDb, answers, fake_score, submit, teacher_submission, world};
use vsoko_storage::{InstrumentVersionId, KindergartenId, NetworkId, PeriodId, PersonId, UserId};

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
    assert_eq!(
        stored.subject,
        SubjectRef::Teacher(PersonId::new(world.teacher))
    );

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
                period_id: Some(PeriodId::new(world.period)),
                subject: Some(SubjectRef::Teacher(PersonId::new(world.teacher))),
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
    assert_eq!(trail[0].actor_user_id, Some(UserId::new(world.user)));
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
        author_user_id: UserId::new(world.user),
        idempotency_key: Some("fix-1"),
        answers: &corrected_sheet,
        score: &score,
        answered_at: None,
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
            &store
                .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                .await
                .unwrap(),
            "test-survey",
            1,
        )
        .await
        .unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].submission, revision.id.get());
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
    assert_eq!(trail[0].details["supersedes"], original.id.get());
}

both!(a_closed_period_refuses_submissions_and_corrections);

async fn a_closed_period_refuses_submissions_and_corrections(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let sheet = answers(&world.instrument, 1.0, 1.0, None);
    let original = submit(store, &world, "key-1", &sheet).await.submission;
    let closed = store
        .close_period(Some(UserId::new(world.user)), PeriodId::new(world.period))
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
            answered_at: None,
            supersedes: original.id,
            author_user_id: UserId::new(world.user),
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
    let score = fake_score(&world.instrument, &sheet);
    // The last insert of the transaction — the audit entry, after the revision and its answers —
    // fails: a trigger refuses it.
    let raw = sea_orm::Database::connect(&db.url).await.unwrap();
    let install = if store.is_postgres() {
        vec![
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse()",
        ]
    } else {
        vec![
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ]
    };
    for sql in install {
        raw.execute_unprepared(sql).await.unwrap();
    }
    let failed = store
        .submit(&teacher_submission(&world, "key-1", &sheet, &score))
        .await;
    assert!(
        matches!(failed, Err(StorageError::Database(_))),
        "{failed:?}"
    );
    for table in ["submissions", "answers"] {
        assert_eq!(db.count(table).await, 0, "{table}");
    }
    let remove = if store.is_postgres() {
        "DROP TRIGGER refuse_audit ON audit_log"
    } else {
        "DROP TRIGGER refuse_audit"
    };
    raw.execute_unprepared(remove).await.unwrap();
    let audit_before = db.count("audit_log").await;
    // The key was not consumed: a good retry stores the submission.
    let retry = submit(store, &world, "key-1", &sheet).await;
    assert!(retry.created);
    assert_eq!(db.count("answers").await, 3);
    assert_eq!(db.count("audit_log").await, audit_before + 1);
}

both!(submissions_about_foreign_or_mismatched_subjects_are_refused);

async fn submissions_about_foreign_or_mismatched_subjects_are_refused(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let other = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: NetworkId::new(world.network),
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
        .create_group(
            None,
            KindergartenId::new(world.kindergarten),
            "Солнышко",
            "средняя",
        )
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
            period_id: PeriodId::new(world.period + 100),
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
    let teacher = SubjectRef::Teacher(PersonId::new(world.teacher));
    let context = store
        .submission_context(
            NetworkId::new(world.network),
            "test-survey",
            None,
            "2024-09",
            teacher,
        )
        .await
        .unwrap();
    assert_eq!(
        context.instrument().id,
        InstrumentVersionId::new(world.instrument_id)
    );
    assert_eq!(context.instrument().instrument.to_string(), "test-survey@1");
    assert_eq!(context.period().id, PeriodId::new(world.period));
    assert_eq!(context.period().status, PeriodStatus::Open);
    assert_eq!(context.subject(), teacher);
    assert_eq!(
        context.kindergarten().unwrap().id,
        KindergartenId::new(world.kindergarten)
    );
    assert_eq!(
        context.kindergarten().unwrap().network_id,
        NetworkId::new(world.network)
    );
    let same = store
        .submission_context(
            NetworkId::new(world.network),
            "test-survey",
            Some(1),
            "2024-09",
            teacher,
        )
        .await
        .unwrap();
    assert_eq!(same.instrument(), context.instrument());

    let named = |result: Result<vsoko_storage::SubmissionContext, StorageError>| match result {
        Err(StorageError::NotFound { record, id }) => format!("{record} {id}"),
        other => panic!("expected «not found», got {other:?}"),
    };
    let unknown_version = store
        .submission_context(
            NetworkId::new(world.network),
            "test-survey",
            Some(2),
            "2024-09",
            teacher,
        )
        .await;
    assert_eq!(named(unknown_version), "instrument test-survey@2");
    // The instrument is checked first, then the period.
    let unknown_both = store
        .submission_context(
            NetworkId::new(world.network),
            "no-such",
            None,
            "1999-01",
            teacher,
        )
        .await;
    assert_eq!(named(unknown_both), "instrument no-such");
    let unknown_period = store
        .submission_context(
            NetworkId::new(world.network),
            "test-survey",
            None,
            "1999-01",
            teacher,
        )
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
            NetworkId::new(world.network),
            "test-survey",
            None,
            "2024-09",
            SubjectRef::Teacher(PersonId::new(world.teacher + 1000)),
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
        .create_group(
            None,
            KindergartenId::new(world.kindergarten),
            "Солнышко",
            "средняя",
        )
        .await
        .unwrap();
    for mismatch in [
        NewSubmission {
            subject: SubjectRef::Group(group.id),
            ..teacher_submission(&world, "key-0", &sheet, &score)
        },
        NewSubmission {
            period_id: PeriodId::new(world.period + 100),
            ..teacher_submission(&world, "key-0", &sheet, &score)
        },
        NewSubmission {
            kindergarten_id: KindergartenId::new(world.kindergarten + 100),
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
        stored_content(store, in_context.submission.id.get()).await,
        stored_content(store, plain.submission.id.get()).await
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

both!(an_import_batch_is_stored_all_or_nothing);

async fn an_import_batch_is_stored_all_or_nothing(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let other = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: NetworkId::new(world.network),
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
    let item = |key: &'static str, subject| {
        BatchWrite::Create(NewSubmission {
            subject,
            ..teacher_submission(&world, key, &sheet, &score)
        })
    };
    let teacher = SubjectRef::Teacher(PersonId::new(world.teacher));
    // The third row is about a teacher of another kindergarten: nothing of the batch is stored.
    let refused = store
        .write_batch(&[
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
        .write_batch(&[item("row-1", teacher), item("row-2", teacher)])
        .await
        .unwrap();
    assert!(stored.iter().all(|outcome| outcome.created));
    // Importing the same file again creates nothing.
    let again = store
        .write_batch(&[item("row-1", teacher), item("row-2", teacher)])
        .await
        .unwrap();
    assert!(again.iter().all(|outcome| !outcome.created));
    assert_eq!(db.count("submissions").await, 2);
}

/// Registers [`support::counted_survey`] (one answer per period, teacher and respondent) in the
/// world; its database id.
async fn register_counted(store: &vsoko_storage::Store) -> (vsoko_checklist::Instrument, i64) {
    let instrument = support::counted_survey();
    store
        .register_instrument(&instrument, "counted survey")
        .await
        .unwrap();
    let stored = store.instrument("test-survey", Some(2)).await.unwrap();
    (instrument, stored.id.get())
}

both!(a_second_counted_answer_is_refused_and_names_the_one_to_correct);
async fn a_second_counted_answer_is_refused_and_names_the_one_to_correct(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let (instrument, instrument_id) = register_counted(store).await;
    let sheet = answers(&instrument, 1.0, 2.0, None);
    let score = fake_score(&instrument, &sheet);
    let new = |key| NewSubmission {
        instrument_id: InstrumentVersionId::new(instrument_id),
        ..teacher_submission(&world, key, &sheet, &score)
    };
    let first = store.submit(&new("phone")).await.unwrap().submission;
    assert_eq!(first.respondent.as_deref(), Some("p:1"));
    // The same teacher again from another device (another key): refused, naming the first.
    let again = store.submit(&new("laptop")).await;
    assert!(
        matches!(again, Err(StorageError::AlreadySubmitted { submission }) if submission == first.id),
        "{again:?}"
    );
    // A correction of it is the way; then the correction is the one to name.
    let corrected = store
        .correct(&Correction {
            supersedes: first.id,
            author_user_id: UserId::new(world.user),
            idempotency_key: Some("fix"),
            answers: &sheet,
            score: &score,
            answered_at: None,
        })
        .await
        .unwrap()
        .submission;
    let again = store.submit(&new("tablet")).await;
    assert!(
        matches!(again, Err(StorageError::AlreadySubmitted { submission }) if submission == corrected.id),
        "{again:?}"
    );
    // Another respondent about the same teacher counts on its own.
    let other = RespondentRef::Named("методист".into());
    let by_other = store
        .submit(&NewSubmission {
            respondent: &other,
            ..new("other")
        })
        .await
        .unwrap();
    assert!(by_other.created);
    let counted = store
        .load_scores(
            &store
                .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                .await
                .unwrap(),
            "test-survey",
            2,
        )
        .await
        .unwrap();
    assert_eq!(counted.len(), 2);
}

both!(concurrent_answers_of_one_person_count_once);
async fn concurrent_answers_of_one_person_count_once(db: &TestDb) {
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let (instrument, instrument_id) = register_counted(&store).await;
    let instrument = std::sync::Arc::new(instrument);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (store, world, instrument) = (store.clone(), world.clone(), instrument.clone());
        tasks.push(tokio::spawn(async move {
            let sheet = answers(&instrument, (i % 3) as f64, 1.0, None);
            let score = fake_score(&instrument, &sheet);
            let key = format!("device-{i}");
            store
                .submit(&NewSubmission {
                    instrument_id: InstrumentVersionId::new(instrument_id),
                    ..teacher_submission(&world, &key, &sheet, &score)
                })
                .await
        }));
    }
    let mut created = Vec::new();
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(outcome) => created.push(outcome.submission.id),
            Err(StorageError::AlreadySubmitted { submission }) => refused.push(submission),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(created.len(), 1, "created {created:?}, refused {refused:?}");
    assert!(refused.iter().all(|&id| id == created[0]));
    assert_eq!(db.count("submissions").await, 1);
}

both!(concurrent_posts_with_one_key_are_one_submission_never_refused);
/// A double click on a counted survey: however the two requests interleave (on PostgreSQL one may
/// commit between the other's look-up of the key and its look-up of the counted answer), every
/// request with the key gets the one submission, none «already submitted».
async fn concurrent_posts_with_one_key_are_one_submission_never_refused(db: &TestDb) {
    let store = db.store.clone();
    let world = std::sync::Arc::new(world(&store).await);
    let (instrument, instrument_id) = register_counted(&store).await;
    let instrument = std::sync::Arc::new(instrument);
    for round in 0..10 {
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (store, world, instrument) = (store.clone(), world.clone(), instrument.clone());
            tasks.push(tokio::spawn(async move {
                let sheet = answers(&instrument, 1.0, 1.0, None);
                let score = fake_score(&instrument, &sheet);
                let key = format!("double-click-{round}");
                let respondent = RespondentRef::Named(format!("respondent {round}"));
                store
                    .submit(&NewSubmission {
                        instrument_id: InstrumentVersionId::new(instrument_id),
                        respondent: &respondent,
                        ..teacher_submission(&world, &key, &sheet, &score)
                    })
                    .await
            }));
        }
        let mut ids = Vec::new();
        let mut created = 0;
        for task in tasks {
            let outcome = task.await.unwrap().unwrap_or_else(|error| {
                panic!("round {round}: a post with the same key was refused: {error:?}")
            });
            created += usize::from(outcome.created);
            ids.push(outcome.submission.id);
        }
        assert_eq!(created, 1, "round {round}: {ids:?}");
        assert!(ids.iter().all(|&id| id == ids[0]), "round {round}: {ids:?}");
    }
    assert_eq!(db.count("submissions").await, 10);
}

both!(rows_from_before_the_counting_rule_are_repaired_once);
async fn rows_from_before_the_counting_rule_are_repaired_once(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let (instrument, instrument_id) = register_counted(store).await;
    // Two answers of the teacher about herself, stored as two roots (as the old rule allowed),
    // then stripped of what migration 9 added.
    let sheet = answers(&instrument, 1.0, 2.0, None);
    let score = fake_score(&instrument, &sheet);
    let mut ids = Vec::new();
    for (key, who) in [("first", "a"), ("second", "b")] {
        let respondent = RespondentRef::Named(who.into());
        let outcome = store
            .submit(&NewSubmission {
                instrument_id: InstrumentVersionId::new(instrument_id),
                respondent: &respondent,
                ..teacher_submission(&world, key, &sheet, &score)
            })
            .await
            .unwrap();
        ids.push(outcome.submission.id);
    }
    let raw = sea_orm::Database::connect(&db.url).await.unwrap();
    for sql in [
        "UPDATE submissions SET respondent = NULL, count_key = NULL",
        "UPDATE instruments SET counting = NULL",
    ] {
        raw.execute_unprepared(sql).await.unwrap();
    }
    assert!(store.needs_repair().await.unwrap());

    let repair = store.repair_counting().await.unwrap();
    assert_eq!((repair.filled, repair.superseded), (2, 1));
    assert!(!store.needs_repair().await.unwrap());
    // Nothing deleted; the later answer counts, the earlier says why it does not.
    assert_eq!(db.count("submissions").await, 2);
    let earlier = store.get_submission(ids[0]).await.unwrap().submission;
    let later = store.get_submission(ids[1]).await.unwrap().submission;
    assert!(!earlier.is_latest && later.is_latest);
    assert_eq!(later.respondent.as_deref(), Some("p:1"));
    let trail = store
        .audit_trail("submission", &ids[0].to_string())
        .await
        .unwrap();
    let superseded = trail.last().unwrap();
    assert_eq!(superseded.action, "submission.superseded");
    assert_eq!(superseded.details["counted"], ids[1].get());
    // A correction of the earlier one names the one that counts.
    let stale = store
        .correct(&Correction {
            supersedes: ids[0],
            author_user_id: UserId::new(world.user),
            idempotency_key: None,
            answers: &sheet,
            score: &score,
            answered_at: None,
        })
        .await;
    assert!(
        matches!(stale, Err(StorageError::NotLatest { latest, .. }) if latest == ids[1]),
        "{stale:?}"
    );
    // Once more: nothing to do.
    let again = store.repair_counting().await.unwrap();
    assert_eq!((again.filled, again.superseded), (0, 0));
    // And the rule now holds for new answers.
    let third = store
        .submit(&NewSubmission {
            instrument_id: InstrumentVersionId::new(instrument_id),
            ..teacher_submission(&world, "third", &sheet, &score)
        })
        .await;
    assert!(
        matches!(third, Err(StorageError::AlreadySubmitted { submission }) if submission == ids[1]),
        "{third:?}"
    );
}
