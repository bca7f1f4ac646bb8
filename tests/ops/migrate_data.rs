//! `vsoko migrate-data`: a department moves from the embedded SQLite to its PostgreSQL, and
//! back. The copy keeps ids, revisions, the audit trail and tokens (as hashes); the servers on
//! both databases answer the same; a non-empty target is refused untouched.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{
    Postgres, Server, answers, assert_same, client, dump, printed, sqlite_url, token, vsoko,
};

/// Timestamps as PostgreSQL keeps them: microseconds. (SQLite keeps what it is given.)
fn to_micros(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
                *text = time
                    .with_timezone(&chrono::Utc)
                    .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                    .to_string();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_micros),
        Value::Object(fields) => fields.values_mut().for_each(to_micros),
        _ => {}
    }
}

/// What a methodist and an administrator read through the API, with timestamps at
/// microseconds.
async fn readings(client: &reqwest::Client, base: &str, token: &str, period: &str) -> Vec<Value> {
    let mut read = Vec::new();
    for path in [
        format!("/api/v1/reports/network?instrument=dc-teacher&period={period}"),
        "/api/v1/reports/network?instrument=dc-teacher&period=2025-05&compare_period=2024-09"
            .to_owned(),
        "/api/v1/submissions?limit=100&include_superseded=true".to_owned(),
        "/api/v1/users".to_owned(),
        "/api/v1/periods".to_owned(),
        "/api/v1/survey-links".to_owned(),
    ] {
        let response = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{path}");
        let mut value: Value = response.json().await.expect("JSON");
        to_micros(&mut value);
        read.push(value);
    }
    read
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres_and_back() {
    let Some(postgres) = Postgres::fresh().await else {
        eprintln!("skipped: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = sqlite_url(&dir.path().join("vsoko.db"));
    let client = client();

    // A SQLite database in use: the demo, new answers, a correction, a parents' link, a token.
    let mut server = Server::start(&sqlite, &[], &[]).await;
    let admin = token(&client, &server.base, "admin").await;
    let bodies = answers(&client, &server.base, &admin, "dc-teacher", 6).await;
    let period = bodies[0]["period"].as_str().expect("a period").to_owned();
    let mut first = None;
    for (index, body) in bodies[..5].iter().enumerate() {
        let created: Value = client
            .post(format!("{}/api/v1/submissions", server.base))
            .bearer_auth(&admin)
            .header("Idempotency-Key", format!("move-{index}"))
            .json(body)
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("JSON");
        first.get_or_insert(created["id"].as_i64().expect("an id"));
    }
    let corrected = client
        .post(format!(
            "{}/api/v1/submissions/{}/corrections",
            server.base,
            first.expect("a submission")
        ))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "move-correction")
        .json(&json!({"answers": bodies[1]["answers"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(corrected.status(), 201);
    let corrected: Value = corrected.json().await.expect("JSON");
    let largest = corrected["id"].as_i64().expect("the newest id");
    let before = readings(&client, &server.base, &admin, &period).await;
    server.terminate();
    assert_eq!(server.wait_exit(Duration::from_secs(30)).await, Some(0));

    // Into PostgreSQL.
    let moved = vsoko(&["migrate-data", "--from", &sqlite, "--to", &postgres.url]).await;
    assert!(moved.status.success(), "{}", printed(&moved));
    let said = printed(&moved);
    assert!(said.contains("row counts equal"), "{said}");
    assert!(said.contains("network reports compared equal"), "{said}");
    assert!(
        !said.contains(" 0 network reports"),
        "reports were compared: {said}"
    );

    // Again: the target is not empty, and stays as it is.
    let copied = dump(&postgres.url).await;
    let again = vsoko(&["migrate-data", "--from", &sqlite, "--to", &postgres.url]).await;
    assert!(!again.status.success());
    assert!(printed(&again).contains("not empty"), "{}", printed(&again));
    assert_same(&copied, &dump(&postgres.url).await);

    // The server on PostgreSQL answers as the one on SQLite did, and accepts the old token.
    let server = Server::start(&postgres.url, &[], &[]).await;
    let after = readings(&client, &server.base, &admin, &period).await;
    for (was, is) in before.iter().zip(&after) {
        assert_eq!(was, is);
    }
    let created: Value = client
        .post(format!("{}/api/v1/submissions", server.base))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "after-move")
        .json(&bodies[5])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(
        created["id"].as_i64().expect("a new id") > largest,
        "new rows get new ids: {created}"
    );
    let after = readings(&client, &server.base, &admin, &period).await;
    drop(server);

    // And back into a new SQLite file: the same again.
    let back = sqlite_url(&dir.path().join("back.db"));
    let returned = vsoko(&["migrate-data", "--from", &postgres.url, "--to", &back]).await;
    assert!(returned.status.success(), "{}", printed(&returned));
    let server = Server::start(&back, &[], &[]).await;
    let again = readings(&client, &server.base, &admin, &period).await;
    for (was, is) in after.iter().zip(&again) {
        assert_eq!(was, is, "the same after the way back");
    }
}
