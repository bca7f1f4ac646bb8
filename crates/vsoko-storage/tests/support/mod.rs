//! Test support: a fresh database per test (a temporary SQLite file always; a PostgreSQL database
//! of its own when `VSOKO_TEST_POSTGRES_URL` is set), a small world of records, and a stand-in
//! scorer.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database, Statement};
use vsoko_checklist::{AnswerSheet, AnswerValue, Instrument, RawAnswer};
use vsoko_scoring::{NodeKind, NodeScore, SubmissionScore};
use vsoko_storage::{InstrumentVersionId, KindergartenId, PeriodId, PersonId, UserId};
use vsoko_storage::{
    NewKindergarten, NewPeriod, NewSubmission, NewUser, RespondentRef, Role, Scope, Store,
    StoreObserver, StoreOptions, SubjectRef,
};

pub const SURVEY_V1: &str = include_str!("survey_v1.toml");

/// Runs an async test body against SQLite, and against PostgreSQL when configured:
/// `both!(name)` expects `async fn name(store: Store)` in the calling module.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::TestDb::sqlite().await;
                super::$name(&db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::support::TestDb::postgres().await {
                    Some(db) => super::$name(&db).await,
                    // Written to the real stderr (not `eprintln!`, which the test harness
                    // captures) so that every run shows what was skipped.
                    None => {
                        use std::io::Write as _;
                        let _ = writeln!(
                            std::io::stderr(),
                            "skipped {}::postgres: VSOKO_TEST_POSTGRES_URL is not set",
                            stringify!($name)
                        );
                    }
                }
            }
        }
    };
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    /// What the store reported about its work.
    pub observed: std::sync::Arc<Counters>,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "vsoko_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDb {
    /// A migrated SQLite database in a temporary file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        let (store, observed) = observed_store(&url).await;
        TestDb {
            store,
            url,
            observed,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A migrated PostgreSQL database of its own, or `None` without `VSOKO_TEST_POSTGRES_URL`.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("VSOKO_TEST_POSTGRES_URL").ok()?;
        let name = unique_name();
        let admin = Database::connect(&admin_url)
            .await
            .expect("connect to VSOKO_TEST_POSTGRES_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        let (store, observed) = observed_store(&url).await;
        Some(TestDb {
            store,
            url,
            observed,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// Counts the rows of a table through a separate connection.
    pub async fn count(&self, table: &str) -> i64 {
        count_rows(&self.url, table).await
    }
}

/// A migrated store at `url` that reports to the counters returned with it.
async fn observed_store(url: &str) -> (Store, std::sync::Arc<Counters>) {
    let observed = std::sync::Arc::new(Counters::default());
    let options = StoreOptions {
        observer: Some(observed.clone()),
        ..StoreOptions::default()
    };
    let store = Store::connect_with(url, options)
        .await
        .unwrap_or_else(|error| panic!("open {url}: {error}"));
    store.migrate().await.expect("migrate");
    (store, observed)
}

pub async fn count_rows(url: &str, table: &str) -> i64 {
    let db = Database::connect(url).await.expect("connect");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("a row");
    let n: i64 = row.try_get("", "n").expect("n");
    db.close().await.ok();
    n
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: use a thread with a runtime of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// The records most tests need.
pub struct World {
    pub network: i64,
    pub kindergarten: i64,
    pub teacher: i64,
    /// The teacher as the respondent of her own survey.
    pub respondent: RespondentRef,
    pub user: i64,
    pub period: i64,
    pub instrument_id: i64,
    pub instrument: Instrument,
}

/// The test instrument: a survey of a teacher whose every submission counts (`observations`).
pub fn survey() -> Instrument {
    vsoko_checklist::parse_toml(SURVEY_V1, "tests/support/survey_v1.toml").expect("fixture")
}

/// The same survey as version 2, counting one answer per period, teacher and respondent — the
/// default of a survey.
pub fn counted_survey() -> Instrument {
    let source = SURVEY_V1
        .replace("version = 1", "version = 2")
        .replace("counting = \"observations\"\n", "");
    vsoko_checklist::parse_toml(&source, "counted survey").expect("fixture")
}

/// Counts what the store reports about its work; keeps the SQL of statements while recording.
#[derive(Debug, Default)]
pub struct Counters {
    pub write_transactions: std::sync::atomic::AtomicU64,
    pub plain_batches: std::sync::atomic::AtomicU64,
    pub batches: std::sync::atomic::AtomicU64,
    pub statements: std::sync::atomic::AtomicU64,
    recording: std::sync::atomic::AtomicBool,
    log: std::sync::Mutex<Vec<String>>,
}

impl Counters {
    /// Statements executed so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::SeqCst)
    }

    /// Starts keeping the SQL of every statement, forgetting any kept before.
    pub fn record(&self) {
        self.log.lock().unwrap().clear();
        self.recording.store(true, Ordering::SeqCst);
    }

    /// Stops keeping SQL and returns what was kept.
    pub fn recorded(&self) -> Vec<String> {
        self.recording.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl StoreObserver for Counters {
    fn write_begun(&self) {
        self.write_transactions.fetch_add(1, Ordering::Relaxed);
    }

    fn batch_committed(&self, _size: usize, plain: bool, _elapsed: std::time::Duration) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        if plain {
            self.plain_batches.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn statement_executed(&self, statement: &vsoko_storage::ExecutedStatement<'_>) {
        self.statements.fetch_add(1, Ordering::SeqCst);
        if self.recording.load(Ordering::SeqCst) {
            self.log.lock().unwrap().push(statement.sql());
        }
    }
}

pub async fn world(store: &Store) -> World {
    let network = store.create_network(None, "Тестовая сеть").await.unwrap();
    let kindergarten = store
        .create_kindergarten(
            None,
            &NewKindergarten {
                network_id: network.id,
                number: "106".into(),
                full_name: "Муниципальное дошкольное образовательное учреждение № 106".into(),
                short_name: "МДОУ № 106".into(),
            },
        )
        .await
        .unwrap();
    let teacher = store
        .create_person(
            None,
            kindergarten.id,
            "Иванова Мария Петровна",
            "воспитатель",
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            None,
            &NewUser {
                login: "ivanova".into(),
                password: "секрет-123".into(),
                role: Role::Teacher,
                scope: Scope::Kindergarten(kindergarten.id),
                person_id: Some(teacher.id),
            },
        )
        .await
        .unwrap();
    let period = store
        .create_period(
            None,
            &NewPeriod {
                network_id: network.id,
                code: "2024-09".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap(),
            },
        )
        .await
        .unwrap();
    let instrument = survey();
    store
        .register_instrument(&instrument, "tests/support/survey_v1.toml")
        .await
        .unwrap();
    let stored = store.instrument("test-survey", Some(1)).await.unwrap();
    World {
        network: network.id.get(),
        kindergarten: kindergarten.id.get(),
        teacher: teacher.id.get(),
        respondent: RespondentRef::Person(teacher.id),
        user: user.id.get(),
        period: period.id.get(),
        instrument_id: stored.id.get(),
        instrument,
    }
}

/// Answers: `A.1.1` = a, `A.1.2` = b, `B.1.1` = c (or N/A when `None`), `B.1.2` unanswered.
pub fn answers(instrument: &Instrument, a: f64, b: f64, c: Option<f64>) -> AnswerSheet {
    let raw = vec![
        RawAnswer {
            item: "A.1.1".into(),
            value: AnswerValue::Value(a),
            comment: Some("есть".into()),
        },
        RawAnswer {
            item: "A.1.2".into(),
            value: AnswerValue::Value(b),
            comment: None,
        },
        RawAnswer {
            item: "B.1.1".into(),
            value: c.map_or(AnswerValue::NotApplicable, AnswerValue::Value),
            comment: None,
        },
    ];
    instrument.validate_answers(raw).expect("valid answers")
}

/// A stand-in for `vsoko_scoring::score_submission`: every node's percent is the mean of its
/// answered items' values on the 0–2 scale.
pub fn fake_score(instrument: &Instrument, sheet: &AnswerSheet) -> SubmissionScore {
    let values = |codes: Vec<&str>| -> (Option<f64>, u32, u32) {
        let n_items = codes.len() as u32;
        let answered: Vec<f64> = codes
            .iter()
            .filter_map(|code| match sheet.get(code).map(|answer| answer.value) {
                Some(AnswerValue::Value(value)) => Some(value),
                _ => None,
            })
            .collect();
        let percent = (!answered.is_empty())
            .then(|| answered.iter().sum::<f64>() / answered.len() as f64 / 2.0 * 100.0);
        (percent, n_items, answered.len() as u32)
    };
    let node = |kind, code: &str, codes: Vec<&str>| {
        let (percent, n_items, n_answered) = values(codes);
        NodeScore {
            kind,
            code: code.to_owned(),
            percent,
            level: percent.map(|p| instrument.levels().level_of(p).code().to_string()),
            coverage: f64::from(n_answered) / f64::from(n_items) * 100.0,
            n_items,
            n_answered,
            critical: false,
            deficit: percent.is_some_and(|p| p < 60.0),
        }
    };
    let all: Vec<&str> = instrument
        .items()
        .map(|item| item.item.code().as_str())
        .collect();
    let mut nodes = vec![node(NodeKind::Total, instrument.code().as_str(), all)];
    for area in instrument.areas() {
        let codes = area
            .indicators()
            .iter()
            .flat_map(|indicator| indicator.items().iter().map(|item| item.code().as_str()))
            .collect();
        nodes.push(node(NodeKind::Area, area.code().as_str(), codes));
        for indicator in area.indicators() {
            let codes = indicator
                .items()
                .iter()
                .map(|item| item.code().as_str())
                .collect();
            nodes.push(node(NodeKind::Indicator, indicator.code().as_str(), codes));
        }
    }
    let critical_items = match sheet.get("A.1.1").map(|answer| answer.value) {
        Some(AnswerValue::Value(0.0)) => vec!["A.1.1".to_owned()],
        _ => Vec::new(),
    };
    SubmissionScore {
        instrument: instrument.id().clone(),
        nodes,
        critical_items,
    }
}

/// A submission by the world's user about its teacher in its period (adjust a field with
/// `NewSubmission { field, ..teacher_submission(…) }`).
pub fn teacher_submission<'a>(
    world: &'a World,
    key: &'a str,
    sheet: &'a AnswerSheet,
    score: &'a SubmissionScore,
) -> NewSubmission<'a> {
    NewSubmission {
        instrument_id: InstrumentVersionId::new(world.instrument_id),
        period_id: PeriodId::new(world.period),
        kindergarten_id: KindergartenId::new(world.kindergarten),
        subject: SubjectRef::Teacher(PersonId::new(world.teacher)),
        author_user_id: UserId::new(world.user),
        respondent: &world.respondent,
        idempotency_key: key,
        answers: sheet,
        score,
        observed_on: None,
        answered_at: None,
        respondent_email: None,
    }
}

/// Submits answers about the world's teacher with an idempotency key.
pub async fn submit(
    store: &Store,
    world: &World,
    key: &str,
    sheet: &AnswerSheet,
) -> vsoko_storage::SubmitOutcome {
    let score = fake_score(&world.instrument, sheet);
    store
        .submit(&teacher_submission(world, key, sheet, &score))
        .await
        .expect("submit")
}
