//! Metrics on their own address and JSON logs, as a monitoring system and a log collector read
//! them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Server, answers, client, sqlite_url, token};

/// The samples of an OpenMetrics text: `name{labels}` → value.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            Some((name.to_owned(), value.parse().ok()?))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_json_logs() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut server = Server::start(
        &sqlite_url(&dir.path().join("observed.db")),
        &["--metrics-bind", "127.0.0.1:0"],
        &[("VSOKO_LOG_FORMAT", "json")],
    )
    .await;
    let metrics = server.printed_address("Metrics: ").await;
    let base = &server.base;
    let client = client();

    // Not on the public address.
    let public = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("sent");
    assert_eq!(public.status(), 404);

    // Seven wrong passwords for one account: five refused, the sixth refused and blocking the
    // account (429), the seventh refused unchecked.
    let wrong = "not-the-password-7361";
    for attempt in 1..=7 {
        let response = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "teacher18-2", "password": wrong}))
            .send()
            .await
            .expect("sent");
        let expected = if attempt <= 5 { 401 } else { 429 };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
    let admin = token(&client, base, "admin").await;
    let body = answers(&client, base, &admin, "dc-teacher", 1)
        .await
        .remove(0);
    let submitted = client
        .post(format!("{base}/api/v1/submissions"))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "observed-1")
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(submitted.status(), 201);
    let submitted_id = submitted.json::<Value>().await.expect("JSON")["id"].clone();
    let period = body["period"].as_str().expect("a period");
    let report = client
        .get(format!(
            "{base}/api/v1/reports/network?instrument=dc-teacher&period={period}"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(report.status(), 200);

    let scraped = client
        .get(&metrics)
        .send()
        .await
        .expect("the metrics answer");
    assert_eq!(scraped.status(), 200);
    assert!(
        scraped.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    let text = scraped.text().await.expect("text");
    let samples = samples(&text);
    let value = |name: &str| -> f64 {
        *samples
            .get(name)
            .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
    };
    assert_eq!(value("vsoko_login_failures_total"), 6.0);
    assert_eq!(value("vsoko_login_throttled_total"), 1.0);
    assert_eq!(
        value(r#"vsoko_submissions_accepted_total{kind="survey",channel="account"}"#),
        1.0
    );
    assert_eq!(
        value(
            r#"vsoko_http_requests_total{route="/api/v1/reports/network",method="GET",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            r#"vsoko_http_requests_total{route="/api/v1/auth/login",method="POST",status="429"}"#
        ),
        2.0
    );
    assert_eq!(
        value(
            r#"vsoko_http_request_duration_seconds_count{route="/api/v1/submissions",method="POST"}"#
        ),
        1.0
    );
    assert_eq!(
        value(r#"vsoko_build_info{version="0.1.0",database="sqlite"}"#),
        1.0
    );
    assert_eq!(value("vsoko_db_pool_max_connections"), 8.0);
    assert!(value(r#"vsoko_db_pool_connections{state="idle"}"#) >= 1.0);
    assert_eq!(value("vsoko_db_pool_acquire_timeouts_total"), 0.0);
    // The demo's surveys and the one posted, through the group commit.
    assert!(value("vsoko_group_commit_batch_size_count") >= 1.0);
    assert!(value("vsoko_group_commit_duration_seconds_sum") > 0.0);
    assert_eq!(value("vsoko_group_commit_queued"), 0.0);
    // Every metric has its help line.
    for family in [
        "vsoko_http_requests",
        "vsoko_http_request_duration_seconds",
        "vsoko_db_pool_connections",
        "vsoko_group_commit_batch_size",
        "vsoko_submissions_accepted",
        "vsoko_login_failures",
        "vsoko_build",
    ] {
        assert!(text.contains(&format!("# HELP {family} ")), "{family}");
    }

    // The log: JSON lines only, one access event per request, no secret.
    let log = server.log();
    let events: Vec<Value> = log
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}"))
        })
        .collect();
    let access: Vec<&Value> = events
        .iter()
        .filter(|event| event["target"] == "vsoko::access")
        .collect();
    let submission = access
        .iter()
        .find(|event| event["route"] == "/api/v1/submissions" && event["method"] == "POST")
        .expect("the submission's access event");
    assert_eq!(submission["status"], 201);
    assert!(
        submission["duration_ms"]
            .as_f64()
            .is_some_and(|ms| ms > 0.0)
    );
    assert!(
        submission["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 36),
        "{submission}"
    );
    assert!(submission["user_id"].as_i64().is_some(), "{submission}");
    assert!(submitted_id.as_i64().is_some());
    let refused: Vec<&&Value> = access
        .iter()
        .filter(|event| event["route"] == "/api/v1/auth/login" && event["status"] == 401)
        .collect();
    assert_eq!(refused.len(), 5, "one event per request");
    assert!(refused.iter().all(|event| event.get("user_id").is_none()));
    for secret in [wrong, vsoko_app::demo::DEMO_PASSWORD, admin.as_str()] {
        assert!(!log.contains(secret), "the log holds a secret: {secret}");
    }
    // No answer of the survey either: the item codes are not in the log.
    assert!(!log.contains("\"item\""), "the log holds answers");
}
