//! Issue 13 §6: the security headers of every response, and failed logins throttled per account
//! and per client address — with a clear 429 and `Retry-After`, and never for good.

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/healthz",
        "/api/v1/no-such-thing",
        "/api-docs/openapi.json",
        "/docs/",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self';"), "{path}: {policy}");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        // Inline styles for the Swagger UI only; inline scripts nowhere.
        assert_eq!(
            policy.contains("'unsafe-inline'"),
            path.starts_with("/docs"),
            "{path}: {policy}"
        );
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
    }
    let tls = spawn_app_with(|settings| settings.behind_tls = true).await;
    let response = tls.get("/healthz").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

async fn login(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
}

crate::both!(failed_logins_are_throttled_per_account_and_address_but_never_for_good);
async fn failed_logins_are_throttled_per_account_and_address_but_never_for_good(app: TestApp) {
    app.bootstrap_admin().await;
    // Five wrong passwords are five 401s; the sixth is refused as too many.
    for _ in 0..5 {
        assert_eq!(login(&app, "admin", "wrong-password").await.status(), 401);
    }
    let response = login(&app, "admin", "wrong-password").await;
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "too_many_requests");
    // While blocked even the right password is refused: a guesser learns nothing.
    assert_eq!(login(&app, "admin", PASSWORD).await.status(), 429);

    // The block ends by itself (here: its end moved into the past), and a login clears it.
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared("UPDATE login_throttle SET blocked_until = first_failure_at")
        .await
        .unwrap();
    assert_eq!(login(&app, "admin", PASSWORD).await.status(), 200);
    assert_eq!(login(&app, "admin", "wrong-password").await.status(), 401);

    // From one address, 20 failures over any accounts are allowed; the next blocks that address
    // for every account.
    db.execute_unprepared("DELETE FROM login_throttle")
        .await
        .unwrap();
    for index in 0..21 {
        let status = login(&app, &format!("nobody-{index}"), "wrong-password")
            .await
            .status();
        assert_eq!(
            status,
            if index < 20 { 401 } else { 429 },
            "attempt {index}"
        );
    }
    assert_eq!(login(&app, "admin", PASSWORD).await.status(), 429);
}
