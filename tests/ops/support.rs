//! The `vsoko` binary as an engineer runs it: `serve` in a process of its own (so that it can be
//! sent SIGTERM and its logs read), the other commands to completion; fresh PostgreSQL databases;
//! the demo network's surveys and cards to post; every table of a database as text, to compare two.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
use serde_json::{Value, json};
use vsoko_checklist::{AnswerValue, Catalog};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_vsoko");

/// How long one command of the binary may take before the test fails (a hang fails, naming the
/// command, instead of stalling the suite).
const COMMAND_LIMIT: Duration = Duration::from_secs(180);

/// How long one HTTP request of a test may take.
const REQUEST_LIMIT: Duration = Duration::from_secs(60);

/// Runs `vsoko ARGS` to completion; killed, and the test failed, past `COMMAND_LIMIT`.
pub async fn vsoko(args: &[&str]) -> Output {
    let run = tokio::process::Command::new(BIN)
        .args(args)
        .env_remove("VSOKO_DATABASE_URL")
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(COMMAND_LIMIT, run)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "`vsoko {}` did not finish within {COMMAND_LIMIT:?}",
                args.join(" ")
            )
        })
        .expect("vsoko runs")
}

/// An HTTP client whose requests fail past `REQUEST_LIMIT` instead of waiting for ever.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(REQUEST_LIMIT)
        .build()
        .expect("an HTTP client")
}

/// Its standard output and error, for an assertion's message.
pub fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A SQLite URL for a file.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// A fresh PostgreSQL database, dropped at the end; `None` without `VSOKO_TEST_POSTGRES_URL`.
pub struct Postgres {
    admin_url: String,
    name: String,
    pub url: String,
}

impl Postgres {
    pub async fn fresh() -> Option<Postgres> {
        let admin_url = std::env::var("VSOKO_TEST_POSTGRES_URL").ok()?;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "vsoko_ops_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let admin = Database::connect(&admin_url)
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("drop an old test database");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(Postgres {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// Replaces the database name of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
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

/// `vsoko serve` running in a process of its own; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    stdout: PathBuf,
    pub stderr: PathBuf,
    _logs: tempfile::TempDir,
}

impl Server {
    /// Starts `vsoko serve --demo` over `database_url` with `extra` arguments and environment on
    /// a port the system chooses (no other test can take it in between), and waits until
    /// `/readyz` answers 200.
    pub async fn start(database_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let logs = tempfile::tempdir().expect("a temporary directory");
        let stderr = logs.path().join("stderr.log");
        let stdout = logs.path().join("stdout.log");
        let mut command = Command::new(BIN);
        command
            .args([
                "serve",
                "--demo",
                "--database-url",
                database_url,
                "--bind",
                "127.0.0.1:0",
            ])
            .args(extra)
            .env_remove("RUST_LOG")
            .stdout(std::fs::File::create(&stdout).expect("a log file"))
            .stderr(std::fs::File::create(&stderr).expect("a log file"));
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("vsoko serve starts");
        let mut server = Server {
            child,
            base: String::new(),
            stdout,
            stderr,
            _logs: logs,
        };
        server.base = server.printed_address("vsoko listens on ").await;
        server.wait_ready().await;
        server
    }

    /// The address the server printed after `prefix` when it started listening, e.g.
    /// `http://127.0.0.1:40123`.
    pub async fn printed_address(&mut self, prefix: &str) -> String {
        let started = Instant::now();
        loop {
            let printed = std::fs::read_to_string(&self.stdout).unwrap_or_default();
            if let Some(address) = printed
                .lines()
                .find_map(|line| line.split_once(prefix))
                .and_then(|(_, rest)| rest.split_whitespace().next())
            {
                return address.to_owned();
            }
            if let Some(status) = self.child.try_wait().expect("the process is known") {
                panic!("the server exited with {status}: {}", self.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not start listening: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_ready(&self) {
        let client = client();
        let started = Instant::now();
        loop {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status() == 200
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not become ready: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the server wrote to standard error so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit (at most `limit`); its exit code.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the process is known") {
                return status.code();
            }
            assert!(
                started.elapsed() < limit,
                "the server did not exit within {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bearer token of the demo account `login`.
pub async fn token(client: &reqwest::Client, base: &str, login: &str) -> String {
    let response: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": vsoko_app::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("the login is sent")
        .json()
        .await
        .expect("a JSON answer");
    response["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {response}"))
        .to_owned()
}

/// `count` complete answers to `instrument` about the demo network's teachers in the open period
/// of this month, as API request bodies: `dc-teacher`, the survey each teacher answers once, or
/// `card-ood`, the observation card that may be filled any number of times.
pub async fn answers(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    instrument: &str,
    count: usize,
) -> Vec<Value> {
    let get = |path: String| {
        let request = client.get(format!("{base}{path}")).bearer_auth(token);
        async move {
            request
                .send()
                .await
                .expect("sent")
                .json::<Value>()
                .await
                .expect("JSON")
        }
    };
    let mut people = Vec::new();
    for kindergarten in get("/api/v1/kindergartens".into())
        .await
        .as_array()
        .expect("kindergartens")
    {
        let staff = get(format!(
            "/api/v1/kindergartens/{}/people",
            kindergarten["id"]
        ))
        .await;
        people.extend(
            staff
                .as_array()
                .expect("people")
                .iter()
                .filter(|person| {
                    person["position"]
                        .as_str()
                        .is_some_and(|position| position.contains("оспитател"))
                })
                .map(|person| person["id"].as_i64().expect("an id")),
        );
    }
    assert!(!people.is_empty(), "the demo network has teachers");
    let checklists = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("checklists");
    let catalog = Catalog::load_dir(&checklists).expect("the shipped instruments");
    let instrument = catalog.get(instrument, None).expect("a shipped instrument");
    let (period, _, _) = vsoko_app::demo::current_period(chrono::Local::now().date_naive());
    let mut rng = StdRng::seed_from_u64(18);
    (0..count)
        .map(|index| {
            let answers: Vec<Value> = vsoko_app::demo::generate_answers(instrument, 0.6, &mut rng)
                .iter()
                .map(|answer| match answer.value {
                    AnswerValue::Value(value) => json!({"item": answer.item, "value": value}),
                    AnswerValue::NotApplicable => json!({"item": answer.item, "na": true}),
                })
                .collect();
            json!({
                "instrument": instrument.id().code.to_string(),
                "version": instrument.version(),
                "period": period,
                "subject": {"kind": "teacher", "id": people[index % people.len()]},
                "answers": answers,
            })
        })
        .collect()
}

/// Every table of a database as sorted lines of text, one per row: to compare two databases of
/// the same kind value for value.
pub async fn dump(url: &str) -> Vec<(String, Vec<String>)> {
    let db = Database::connect(url).await.expect("the database opens");
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .expect("the tables")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a name"))
        .collect();
    let mut dumped = Vec::new();
    for table in tables {
        let sql = match backend {
            DatabaseBackend::Postgres => format!("SELECT t::text FROM \"{table}\" t ORDER BY 1"),
            _ => {
                let columns: Vec<String> = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{table}')"),
                    ))
                    .await
                    .expect("the columns")
                    .iter()
                    .map(|row| {
                        format!(
                            "quote(\"{}\")",
                            row.try_get_by_index::<String>(0).expect("a name")
                        )
                    })
                    .collect();
                format!(
                    "SELECT {} FROM \"{table}\" ORDER BY 1",
                    columns.join(" || '|' || ")
                )
            }
        };
        let rows: Vec<String> = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("the rows")
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("a row as text"))
            .collect();
        dumped.push((table, rows));
    }
    db.close().await.ok();
    dumped
}

/// Asserts that two dumps are equal table by table, naming the first difference.
pub fn assert_same(before: &[(String, Vec<String>)], after: &[(String, Vec<String>)]) {
    let names = |dump: &[(String, Vec<String>)]| -> Vec<String> {
        dump.iter().map(|(table, _)| table.clone()).collect()
    };
    assert_eq!(names(before), names(after), "the same tables");
    for ((table, rows), (_, copied)) in before.iter().zip(after) {
        assert_eq!(rows.len(), copied.len(), "{table}: the same number of rows");
        for (row, copy) in rows.iter().zip(copied) {
            assert_eq!(row, copy, "{table}: the same row");
        }
    }
}
