//! The web interface as a browser meets it, for the benchmarks.

/// Signs in through the sign-in page: the session cookie (`name=value`).
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> anyhow::Result<String> {
    let form = client.get(format!("{base}/login")).send().await?;
    let csrf_cookie = form
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the sign-in page sets no cookie"))?;
    let token = csrf_cookie
        .split_once('=')
        .map(|(_, value)| value.to_owned());
    let signed_in = client
        .post(format!("{base}/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("_csrf", token.unwrap_or_default().as_str()),
            ("login", login),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await?;
    signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("signing in failed: {}", signed_in.status()))
}
