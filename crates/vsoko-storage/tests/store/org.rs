//! Organisation records, accounts and tokens, instrument registration, connection settings.

use chrono::{Duration, Utc};
use vsoko_storage::{
    NewKindergarten, NewPeriod, NewUser, PeriodStatus, Record, Role, Scope, StorageError,
};

use crate::both;
use crate::support::{self, TestDb, world};
use vsoko_storage::{KindergartenId, NetworkId, PeriodId, UserId};

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

both!(accounts_log_in_and_tokens_expire_and_revoke);

async fn accounts_log_in_and_tokens_expire_and_revoke(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let user = store
        .authenticate("ivanova", "секрет-123")
        .await
        .unwrap()
        .expect("valid password");
    assert_eq!(user.id, UserId::new(world.user));
    assert_eq!(user.role, Role::Teacher);
    assert_eq!(
        user.scope,
        Scope::Kindergarten(KindergartenId::new(world.kindergarten))
    );
    assert_eq!(user.network_id, NetworkId::new(world.network));
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
                scope: Scope::Network(NetworkId::new(world.network)),
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
        .kindergartens(Scope::Network(NetworkId::new(world.network)))
        .await
        .unwrap();
    assert_eq!(kindergartens.len(), 1);
    assert_eq!(kindergartens[0].short_name, "МДОУ № 106");
    let duplicate = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: NetworkId::new(world.network),
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
        .create_group(
            None,
            KindergartenId::new(world.kindergarten),
            "Радуга",
            "старшая",
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .groups(KindergartenId::new(world.kindergarten))
            .await
            .unwrap(),
        vec![group]
    );
    let people = store
        .people(KindergartenId::new(world.kindergarten))
        .await
        .unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].position, "воспитатель");
    let period = store
        .period_by_code(NetworkId::new(world.network), "2024-09")
        .await
        .unwrap();
    assert_eq!(period.id, PeriodId::new(world.period));
    assert_eq!(period.status, PeriodStatus::Open);
    let duplicate = store
        .create_period(
            None,
            &NewPeriod {
                network_id: NetworkId::new(world.network),
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
        store.kindergarten(KindergartenId::new(9999)).await,
        Err(StorageError::NotFound {
            record: Record::Kindergarten,
            ..
        })
    ));
    assert_eq!(
        store
            .periods(NetworkId::new(world.network))
            .await
            .unwrap()
            .len(),
        1
    );
}

both!(a_period_overlapping_another_is_refused_and_adjacent_ones_are_not);

/// A day belongs to one period of a network: a period starting inside another (or covering it)
/// is refused naming the other, whether that one is open or closed; a period starting the day
/// after another ends, and the same days in another network, are accepted.
async fn a_period_overlapping_another_is_refused_and_adjacent_ones_are_not(db: &TestDb) {
    let store = &db.store;
    let world = world(store).await;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let new = |code: &str, starts_on, ends_on| NewPeriod {
        network_id: NetworkId::new(world.network),
        code: code.into(),
        starts_on,
        ends_on,
    };
    // The world's period is 2024-09 (01.09.2024 – 30.09.2024).
    for (code, starts_on, ends_on) in [
        ("2024-09b", day(2024, 9, 15), day(2024, 10, 15)),
        ("2024-08", day(2024, 8, 1), day(2024, 9, 1)),
        ("2024-q3", day(2024, 7, 1), day(2024, 12, 31)),
        ("2024-09-mid", day(2024, 9, 10), day(2024, 9, 12)),
    ] {
        let refused = store
            .create_period(None, &new(code, starts_on, ends_on))
            .await;
        match refused {
            Err(StorageError::PeriodOverlap {
                code: other,
                starts_on,
                ends_on,
            }) => {
                assert_eq!(other, "2024-09", "{code}");
                assert_eq!((starts_on, ends_on), (day(2024, 9, 1), day(2024, 9, 30)));
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    let october = store
        .create_period(None, &new("2024-10", day(2024, 10, 1), day(2024, 10, 31)))
        .await
        .unwrap();
    store.close_period(None, october.id).await.unwrap();
    assert!(matches!(
        store
            .create_period(None, &new("2024-10b", day(2024, 10, 31), day(2024, 11, 5)))
            .await,
        Err(StorageError::PeriodOverlap { code, .. }) if code == "2024-10"
    ));
    let other_network = store.create_network(None, "Другая сеть").await.unwrap();
    store
        .create_period(
            None,
            &NewPeriod {
                network_id: other_network.id,
                ..new("2024-09b", day(2024, 9, 15), day(2024, 10, 15))
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .periods(NetworkId::new(world.network))
            .await
            .unwrap()
            .len(),
        2
    );
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
