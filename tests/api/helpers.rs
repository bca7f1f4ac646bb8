//! `spawn_app()`, the `TestApp` client and `World`, a small network built through the API.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};

use serde_json::{Value, json};
use vsoko_api::config::Settings;
use vsoko_api::startup::Application;
use vsoko_storage::{NewUser, Role, Scope, Store};

pub const PASSWORD: &str = "correct horse battery";

/// A running server and a client pointed at it.
pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `both!(name)`: runs `async fn name(app: TestApp)` on SQLite, and on PostgreSQL when
/// `VSOKO_TEST_POSTGRES_URL` is set (otherwise the PostgreSQL variant says it was skipped).
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(
                    $crate::helpers::spawn_on($crate::helpers::Backend::Sqlite)
                        .await
                        .unwrap(),
                )
                .await;
            }

            #[tokio::test]
            async fn postgres() {
                match $crate::helpers::spawn_on($crate::helpers::Backend::Postgres).await {
                    Some(app) => super::$name(app).await,
                    None => eprintln!(
                        "skipped {}::postgres: VSOKO_TEST_POSTGRES_URL is not set",
                        stringify!($name)
                    ),
                }
            }
        }
    };
}

/// A server on the given backend; `None` for PostgreSQL without `VSOKO_TEST_POSTGRES_URL`.
pub async fn spawn_on(backend: Backend) -> Option<TestApp> {
    spawn_on_with(backend, |_| {}).await
}

/// Same, with settings adjusted by `adjust` (the database URL is the backend's).
pub async fn spawn_on_with(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    match backend {
        Backend::Sqlite => Some(spawn_app_with(adjust).await),
        Backend::Postgres => {
            let admin_url = std::env::var("VSOKO_TEST_POSTGRES_URL").ok()?;
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let name = format!(
                "vsoko_api_test_{}_{}",
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
            let mut app = spawn_app_with(|settings| {
                adjust(settings);
                settings.database_url = url;
            })
            .await;
            app.postgres = Some((admin_url, name));
            Some(app)
        }
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

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
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

pub fn checklists_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("checklists")
}

/// Starts the server on a free port with a fresh SQLite database in a temporary directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Same, with settings adjusted by `adjust`.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        vsoko_api::telemetry::init("debug", vsoko_api::telemetry::LogFormat::Text);
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let database_url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let mut settings = Settings::new(database_url.clone(), "127.0.0.1:0");
    settings.workers = Some(2);
    settings.body_limit = 64 * 1024;
    settings.shutdown_timeout = Duration::from_secs(1);
    adjust(&mut settings);
    let database_url = settings.database_url.clone();
    let application = Application::build(settings)
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        database_url,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        _dir: dir,
        postgres: None,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn put_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn submit(&self, token: &str, key: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/submissions"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, login: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "login": login, "password": PASSWORD }))
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), 200, "login {login}");
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// The first admin, as `vsoko users create` makes it: a network and an admin account.
    pub async fn bootstrap_admin(&self) -> String {
        let store = Store::connect(&self.database_url).await.unwrap();
        let network = store.create_network(None, "Тестовая сеть").await.unwrap();
        store
            .create_user(
                None,
                &NewUser {
                    login: "admin".into(),
                    password: PASSWORD.into(),
                    role: Role::Admin,
                    scope: Scope::Network(network.id),
                    person_id: None,
                },
            )
            .await
            .unwrap();
        store.close().await.unwrap();
        self.login("admin").await
    }

    /// The latest version of an instrument, with its structure (what a submission without a
    /// version is checked against).
    pub async fn instrument(&self, token: &str, code: &str) -> Value {
        let list: Value = self
            .get_as(token, "/api/v1/instruments")
            .await
            .json()
            .await
            .unwrap();
        let version = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"] == code)
            .map(|i| i["version"].as_u64().unwrap())
            .max()
            .unwrap();
        self.instrument_version(token, code, version).await
    }

    /// One instrument version's structure.
    pub async fn instrument_version(&self, token: &str, code: &str, version: u64) -> Value {
        let response = self
            .get_as(
                token,
                &format!("/api/v1/instruments/{code}/versions/{version}"),
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

pub async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// One kindergarten of the test network: its head and two teachers, each with an account.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub head: String,
    pub teachers: Vec<(i64, String)>,
    pub group: i64,
}

/// Two kindergartens, a manager, an admin, periods 2024-09 and 2025-05 — built through the API.
pub struct World {
    pub admin: String,
    pub manager: String,
    pub units: Vec<Unit>,
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let admin = app.bootstrap_admin().await;
        created(
            app.post_as(
                &admin,
                "/api/v1/users",
                &json!({"login": "manager", "password": PASSWORD, "role": "manager"}),
            )
            .await,
        )
        .await;
        let manager = app.login("manager").await;
        for (code, start, end) in [
            ("2024-09", "2024-09-01", "2024-09-30"),
            ("2025-05", "2025-05-01", "2025-05-31"),
        ] {
            created(
                app.post_as(
                    &manager,
                    "/api/v1/periods",
                    &json!({"code": code, "starts_on": start, "ends_on": end}),
                )
                .await,
            )
            .await;
        }
        let mut units = Vec::new();
        for number in [18, 55] {
            let kindergarten = created(
                app.post_as(
                    &admin,
                    "/api/v1/kindergartens",
                    &json!({"number": number.to_string(), "full_name": format!("Детский сад № {number}"), "short_name": format!("МДОУ № {number}")}),
                )
                .await,
            )
            .await;
            let id = kindergarten["id"].as_i64().unwrap();
            let head_person = created(
                app.post_as(
                    &admin,
                    &format!("/api/v1/kindergartens/{id}/people"),
                    &json!({"full_name": format!("Заведующая {number}"), "position": "заведующий"}),
                )
                .await,
            )
            .await["id"]
                .as_i64()
                .unwrap();
            let head_login = format!("head{number}");
            created(
                app.post_as(
                    &admin,
                    "/api/v1/users",
                    &json!({"login": head_login, "password": PASSWORD, "role": "head", "kindergarten_id": id, "person_id": head_person}),
                )
                .await,
            )
            .await;
            let head = app.login(&head_login).await;
            // The head registers staff and groups and gives teachers their accounts.
            let group = created(
                app.post_as(
                    &head,
                    &format!("/api/v1/kindergartens/{id}/groups"),
                    &json!({"name": "Радуга", "age_group": "старшая"}),
                )
                .await,
            )
            .await["id"]
                .as_i64()
                .unwrap();
            let mut teachers = Vec::new();
            for index in 1..=2 {
                let person = created(
                    app.post_as(
                        &head,
                        &format!("/api/v1/kindergartens/{id}/people"),
                        &json!({"full_name": format!("Воспитатель {number}-{index}"), "position": "воспитатель"}),
                    )
                    .await,
                )
                .await["id"]
                    .as_i64()
                    .unwrap();
                let login = format!("teacher{number}-{index}");
                created(
                    app.post_as(
                        &head,
                        "/api/v1/users",
                        &json!({"login": login, "password": PASSWORD, "role": "teacher", "kindergarten_id": id, "person_id": person}),
                    )
                    .await,
                )
                .await;
                teachers.push((person, app.login(&login).await));
            }
            units.push(Unit {
                id,
                head,
                teachers,
                group,
            });
        }
        World {
            admin,
            manager,
            units,
        }
    }
}

/// Answers to every item of an instrument (as served by the API): option number
/// `(item index + shift) % options` of each item's scale; numeric items get their minimum or 0.
pub fn answers(instrument: &Value, shift: usize) -> Vec<Value> {
    let scales = instrument["scales"].as_array().unwrap();
    let mut answers = Vec::new();
    let mut index = 0;
    for area in instrument["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                let scale = scales
                    .iter()
                    .find(|scale| scale["code"] == item["scale"])
                    .unwrap();
                let value = match scale["options"].as_array() {
                    Some(options) => options[(index + shift) % options.len()]["value"].clone(),
                    None => json!(scale["min"].as_f64().unwrap_or(0.0)),
                };
                answers.push(json!({"item": item["code"], "value": value}));
                index += 1;
            }
        }
    }
    answers
}

/// Answers to `survey`: every scored item at its lowest option (every area a deficit); the items
/// with a role answered `motivation`, `tutor_offer`, `consultation_request` by option index.
pub fn answers_with_roles(survey: &Value, roles: [usize; 3]) -> Vec<Value> {
    let scales = survey["scales"].as_array().unwrap();
    let mut answers = Vec::new();
    for area in survey["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                let scale = scales
                    .iter()
                    .find(|scale| scale["code"] == item["scale"])
                    .unwrap();
                let index = match item["role"].as_str() {
                    Some("motivation") => roles[0],
                    Some("tutor_offer") => roles[1],
                    Some("consultation_request") => roles[2],
                    _ => 0,
                };
                let value = match scale["options"].as_array() {
                    Some(options) => options[index]["value"].clone(),
                    None => json!(scale["min"].as_f64().unwrap_or(0.0)),
                };
                answers.push(json!({"item": item["code"], "value": value}));
            }
        }
    }
    answers
}

/// Opens September of the current school year (a period that has begun) and returns its code.
pub async fn september_of_this_school_year(app: &TestApp, world: &World) -> String {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let code = format!("{year}-09");
    created(
        app.post_as(
            &world.manager,
            "/api/v1/periods",
            &json!({"code": code, "starts_on": format!("{year}-09-01"), "ends_on": format!("{year}-09-30")}),
        )
        .await,
    )
    .await;
    code
}

/// Every item at its highest option (or its top value), the roles answered `roles`.
pub fn answers_high(survey: &Value, tutor: bool) -> Vec<Value> {
    let scales = survey["scales"].as_array().unwrap();
    let mut answers = Vec::new();
    for area in survey["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                let scale = scales
                    .iter()
                    .find(|scale| scale["code"] == item["scale"])
                    .unwrap();
                let value = match (scale["options"].as_array(), item["role"].as_str()) {
                    (Some(options), Some("tutor_offer")) if tutor => {
                        options.last().unwrap()["value"].clone()
                    }
                    (Some(options), Some(_)) => options[0]["value"].clone(),
                    (Some(options), None) => options.last().unwrap()["value"].clone(),
                    (None, _) => json!(scale["max"].as_f64().unwrap_or(0.0)),
                };
                answers.push(json!({"item": item["code"], "value": value}));
            }
        }
    }
    answers
}

/// The tokens of the unit's teachers after `more` are added (numbered on from its own).
pub async fn with_more_teachers(
    app: &TestApp,
    unit: &Unit,
    number: u32,
    more: usize,
) -> Vec<String> {
    let mut tokens: Vec<String> = unit.teachers.iter().map(|(_, t)| t.clone()).collect();
    for index in unit.teachers.len() + 1..=unit.teachers.len() + more {
        let person = created(
            app.post_as(
                &unit.head,
                &format!("/api/v1/kindergartens/{}/people", unit.id),
                &json!({"full_name": format!("Воспитатель {number}-{index}"), "position": "воспитатель"}),
            )
            .await,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let login = format!("teacher{number}-{index}");
        created(
            app.post_as(
                &unit.head,
                "/api/v1/users",
                &json!({"login": login, "password": PASSWORD, "role": "teacher", "kindergarten_id": unit.id, "person_id": person}),
            )
            .await,
        )
        .await;
        tokens.push(app.login(&login).await);
    }
    tokens
}

/// September of this school year, in which № 55 (five teachers answering high, its head's
/// confirmed tutor «Воспитатель 55-1» among them) is strong in every area and № 18 (three
/// teachers answering low) has a deficit in every area. Returns the period's code.
pub async fn strong_and_weak(app: &TestApp, world: &World) -> String {
    strong_and_weak_with(app, world, 1).await.0
}

/// [`strong_and_weak`] with `weak_more` more teachers at № 18 (one gives the three a
/// kindergarten's own result is drawn from). Returns the period's code and № 18's teachers'
/// tokens in the order of their accounts.
pub async fn strong_and_weak_with(
    app: &TestApp,
    world: &World,
    weak_more: usize,
) -> (String, Vec<String>) {
    let (weak, strong) = (&world.units[0], &world.units[1]);
    let period = september_of_this_school_year(app, world).await;
    // № 55 takes on three more teachers (five answer, enough for a strength).
    let strong_tokens = with_more_teachers(app, strong, 55, 3).await;
    let weak_tokens = with_more_teachers(app, weak, 18, weak_more).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    for (index, token) in strong_tokens.iter().enumerate() {
        created(
            app.submit(
                token,
                "strengths",
                &json!({"instrument": "dc-teacher", "period": period, "answers": answers_high(&survey, index == 0)}),
            )
            .await,
        )
        .await;
    }
    for token in &weak_tokens {
        created(
            app.submit(
                token,
                "strengths",
                &json!({"instrument": "dc-teacher", "period": period, "answers": answers_with_roles(&survey, [0, 0, 0])}),
            )
            .await,
        )
        .await;
    }
    // № 55's head confirms the teacher who offered to tutor.
    let tutors: Value = app
        .get_as(
            &strong.head,
            &format!("/api/v1/kindergartens/{}/lists/tutors", strong.id),
        )
        .await
        .json()
        .await
        .unwrap();
    let offered = &tutors["kindergartens"][0]["entries"][0];
    assert_eq!(offered["person_name"], "Воспитатель 55-1", "{tutors}");
    assert_eq!(
        app.post_as(
            &strong.head,
            "/api/v1/lists/tutors/marks",
            &json!({"person_id": offered["person_id"], "mark": "confirmed"}),
        )
        .await
        .status()
        .as_u16(),
        204
    );

    (period, weak_tokens)
}
