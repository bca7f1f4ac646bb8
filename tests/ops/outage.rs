//! The database goes away and comes back: the server reaches PostgreSQL through a proxy the test
//! controls. While connections break, or the database refuses them, every request touching it is
//! answered 503 with `Retry-After` (problem+json for the API, a Russian page for the browser) —
//! never 500 — and `/readyz` says 503; once it is back, the server serves again by itself.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use crate::support::{Postgres, Server, answers, token};

/// What the proxy does with connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Forwards them to PostgreSQL.
    Up,
    /// Cuts the open ones and closes new ones at once (a database restarting, a network cut).
    Broken,
}

/// A TCP proxy in front of PostgreSQL.
struct Proxy {
    port: u16,
    upstream: String,
    mode: Arc<Mutex<Mode>>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    accepting: Option<AbortHandle>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let mut proxy = Proxy {
            // Chosen by the system at the first bind, kept when listening again.
            port: 0,
            upstream,
            mode: Arc::new(Mutex::new(Mode::Up)),
            connections: Arc::default(),
            accepting: None,
        };
        proxy.listen().await;
        proxy
    }

    async fn listen(&mut self) {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket.set_reuseaddr(true).expect("SO_REUSEADDR");
        socket
            .bind(
                format!("127.0.0.1:{}", self.port)
                    .parse()
                    .expect("an address"),
            )
            .expect("the proxy's port");
        let listener: TcpListener = socket.listen(64).expect("listening");
        self.port = listener.local_addr().expect("an address").port();
        let (mode, connections, upstream) = (
            self.mode.clone(),
            self.connections.clone(),
            self.upstream.clone(),
        );
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if *mode.lock().unwrap() == Mode::Broken {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let connection = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                connections.lock().unwrap().push(connection.abort_handle());
            }
        });
        self.accepting = Some(task.abort_handle());
    }

    fn cut_connections(&self) {
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// Open connections break; new ones are closed at once.
    fn break_connections(&self) {
        *self.mode.lock().unwrap() = Mode::Broken;
        self.cut_connections();
    }

    /// Nothing listens: connections are refused (PostgreSQL stopped).
    fn refuse(&mut self) {
        self.break_connections();
        if let Some(accepting) = self.accepting.take() {
            accepting.abort();
        }
    }

    async fn restore(&mut self) {
        *self.mode.lock().unwrap() = Mode::Up;
        if self.accepting.is_none() {
            // The aborted task drops its listener when it is next polled.
            tokio::time::sleep(Duration::from_millis(100)).await;
            self.listen().await;
        }
    }
}

/// `host:port` of a PostgreSQL URL.
fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}

/// The web session of the demo teacher, as a `cookie` header value.
async fn web_session(client: &reqwest::Client, base: &str) -> String {
    let form = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("the sign-in page");
    let csrf = form
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a CSRF cookie")
        .to_owned();
    let token = csrf.split_once('=').map(|(_, value)| value.to_owned());
    let signed_in = client
        .post(format!("{base}/login"))
        .header("cookie", &csrf)
        .form(&[
            ("_csrf", token.unwrap_or_default().as_str()),
            ("login", "teacher18-1"),
            ("password", vsoko_app::demo::DEMO_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("signing in");
    signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// Checks an answer given while the database is away: 503, `Retry-After`, and the body of its
/// kind.
async fn assert_unavailable(response: reqwest::Response, what: &str, html: bool) {
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").cloned();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 503, "{what}: {body}");
    assert!(retry_after.is_some(), "{what}: Retry-After");
    if html {
        assert!(
            content_type.starts_with("text/html"),
            "{what}: {content_type}"
        );
        assert!(
            body.contains("Сервис временно недоступен"),
            "{what}: {body}"
        );
    } else {
        assert_eq!(content_type, "application/problem+json", "{what}");
        let problem: Value = serde_json::from_str(&body).expect("problem+json");
        assert_eq!(problem["status"], 503, "{what}: {problem}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_away_is_503_and_the_server_recovers() {
    let Some(postgres) = Postgres::fresh().await else {
        eprintln!("skipped: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    let upstream = host_port(&postgres.url);
    let mut proxy = Proxy::start(upstream.clone()).await;
    let through_proxy = postgres
        .url
        .replacen(&upstream, &format!("127.0.0.1:{}", proxy.port), 1);
    let server = Server::start(&through_proxy, &["--database-wait", "2"], &[]).await;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a client");
    let admin = token(&client, &base, "admin").await;
    let cookie = web_session(&client, &base).await;
    let bodies = answers(&client, &base, &admin, "card-ood", 3).await;
    let me = || {
        client
            .get(format!("{base}/api/v1/me"))
            .bearer_auth(&admin)
            .send()
    };
    let submit = |key: &str, body: &Value| {
        client
            .post(format!("{base}/api/v1/submissions"))
            .bearer_auth(&admin)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
    };
    let page = || {
        client
            .get(format!("{base}/forms"))
            .header("cookie", &cookie)
            .send()
    };
    let ready = || client.get(format!("{base}/readyz")).send();
    assert_eq!(me().await.expect("sent").status(), 200);
    assert_eq!(page().await.expect("sent").status(), 200);

    for (how, refuse) in [("connections break", false), ("connections refused", true)] {
        if refuse {
            proxy.refuse();
        } else {
            proxy.break_connections();
        }
        let started = Instant::now();
        assert_unavailable(
            ready().await.expect("sent"),
            &format!("{how}: /readyz"),
            false,
        )
        .await;
        assert_unavailable(
            me().await.expect("sent"),
            &format!("{how}: /api/v1/me"),
            false,
        )
        .await;
        assert_unavailable(
            submit(&format!("outage-{}", u8::from(refuse)), &bodies[0])
                .await
                .expect("sent"),
            &format!("{how}: a submission"),
            false,
        )
        .await;
        assert_unavailable(page().await.expect("sent"), &format!("{how}: a page"), true).await;
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{how}: answered within the database wait, not hanging"
        );

        proxy.restore().await;
        let started = Instant::now();
        loop {
            if ready().await.expect("sent").status() == 200 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{how}: /readyz did not come back: {}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(
            me().await.expect("sent").status(),
            200,
            "{how}: the API serves again"
        );
        assert_eq!(
            page().await.expect("sent").status(),
            200,
            "{how}: pages serve again"
        );
        let body = if refuse { &bodies[1] } else { &bodies[2] };
        let stored = submit(&format!("after-{}", u8::from(refuse)), body)
            .await
            .expect("sent");
        assert_eq!(stored.status(), 201, "{how}: submissions are stored again");
    }
    let log = server.log();
    assert!(
        !log.contains("\"status\":500") && !log.contains("status=500"),
        "no request was answered 500: {log}"
    );
}
