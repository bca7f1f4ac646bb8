//! Drafts of half-filled forms, new passwords, and a person registered with an account.

use chrono::Utc;
use vsoko_storage::{NewDraft, NewUser, Record, Role, Scope, StorageError, SubjectRef};

use crate::both;
use crate::support::{TestDb, world};
use vsoko_storage::{InstrumentVersionId, KindergartenId, PeriodId, PersonId, UserId};

both!(a_draft_is_replaced_on_save_keeps_its_key_and_goes_when_deleted);

async fn a_draft_is_replaced_on_save_keeps_its_key_and_goes_when_deleted(db: &TestDb) {
    let store = &db.store;
    let w = world(store).await;
    let draft = |fields: &'static str, key: &'static str| NewDraft {
        user_id: UserId::new(w.user),
        form_key: "new:1:1:teacher:1",
        instrument_id: InstrumentVersionId::new(w.instrument_id),
        period_id: PeriodId::new(w.period),
        subject: Some(SubjectRef::Teacher(PersonId::new(w.teacher))),
        corrects: None,
        observed_on: None,
        idempotency_key: key,
        fields,
    };
    let first = store
        .save_draft(&draft(r#"{"A.1.1":{"value":"2"}}"#, "key-one"))
        .await
        .unwrap();
    assert_eq!(first.idempotency_key, "key-one");
    // Odd text survives both databases alike.
    let odd = r#"{"A.1.1":{"value":"3","comment":"«кавычки», emoji 🧒, tab\t, 'quote'"}}"#;
    let second = store.save_draft(&draft(odd, "key-two")).await.unwrap();
    assert_eq!(second.id, first.id, "one draft per author and form");
    assert_eq!(second.fields, odd);
    assert_eq!(
        second.idempotency_key, "key-one",
        "a resumed draft is sent with the key it started with"
    );
    assert_eq!(
        second.subject,
        Some(SubjectRef::Teacher(PersonId::new(w.teacher)))
    );
    assert_eq!(store.drafts(UserId::new(w.user)).await.unwrap().len(), 1);
    assert!(
        store
            .draft(UserId::new(w.user + 1000), "new:1:1:teacher:1")
            .await
            .unwrap()
            .is_none(),
        "another account has no such draft"
    );
    assert!(
        store
            .delete_draft(UserId::new(w.user), "new:1:1:teacher:1")
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_draft(UserId::new(w.user), "new:1:1:teacher:1")
            .await
            .unwrap()
    );
    assert!(
        store
            .draft(UserId::new(w.user), "new:1:1:teacher:1")
            .await
            .unwrap()
            .is_none()
    );
}

both!(a_new_password_ends_every_other_session);

async fn a_new_password_ends_every_other_session(db: &TestDb) {
    let store = &db.store;
    let w = world(store).await;
    let (kept, _) = store
        .issue_token(UserId::new(w.user), chrono::Duration::hours(1))
        .await
        .unwrap();
    let (other, _) = store
        .issue_token(UserId::new(w.user), chrono::Duration::hours(1))
        .await
        .unwrap();
    assert!(
        store
            .verify_password(UserId::new(w.user), "секрет-123")
            .await
            .unwrap()
    );
    store
        .set_password(
            Some(UserId::new(w.user)),
            w.user,
            "новый пароль",
            Some(&kept),
        )
        .await
        .unwrap();
    assert!(
        !store
            .verify_password(UserId::new(w.user), "секрет-123")
            .await
            .unwrap()
    );
    assert!(
        store
            .verify_password(UserId::new(w.user), "новый пароль")
            .await
            .unwrap()
    );
    let now = Utc::now();
    assert!(store.user_by_token(&kept, now).await.unwrap().is_some());
    assert!(store.user_by_token(&other, now).await.unwrap().is_none());
    assert!(
        store
            .authenticate("ivanova", "новый пароль")
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.set_password(None, w.user + 1000, "x", None).await,
        Err(StorageError::NotFound {
            record: Record::User,
            ..
        })
    ));
}

both!(a_person_and_their_account_are_written_together_or_not_at_all);

async fn a_person_and_their_account_are_written_together_or_not_at_all(db: &TestDb) {
    let store = &db.store;
    let w = world(store).await;
    let account = |login: &str| NewUser {
        login: login.to_owned(),
        password: "первый пароль".to_owned(),
        role: Role::Teacher,
        scope: Scope::Kindergarten(KindergartenId::new(w.kindergarten)),
        person_id: None,
    };
    let (person, user) = store
        .create_person_with_user(
            None,
            KindergartenId::new(w.kindergarten),
            "Орлова Вера Игоревна",
            "воспитатель",
            &account("orlova"),
        )
        .await
        .unwrap();
    assert_eq!(user.person_id, Some(person.id));
    let staff = store
        .people(KindergartenId::new(w.kindergarten))
        .await
        .unwrap()
        .len();
    // The login «ivanova» is taken: no person is left behind.
    let refused = store
        .create_person_with_user(
            None,
            KindergartenId::new(w.kindergarten),
            "Другая Вера",
            "воспитатель",
            &account("ivanova"),
        )
        .await;
    assert!(matches!(refused, Err(StorageError::Duplicate { .. })));
    assert_eq!(
        store
            .people(KindergartenId::new(w.kindergarten))
            .await
            .unwrap()
            .len(),
        staff
    );
    // Marking the person as gone switches her account off.
    store.deactivate_person(None, person.id).await.unwrap();
    assert!(!store.user(user.id).await.unwrap().active);
    assert!(
        store
            .authenticate("orlova", "первый пароль")
            .await
            .unwrap()
            .is_none()
    );
}
