//! SIGTERM while clients post observation cards: the server stops accepting, finishes what it took in,
//! writes what is queued and exits 0; every survey acknowledged with a 2xx is stored, and no
//! request gets a 5xx.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use vsoko_storage::Store;

use crate::support::{Postgres, Server, answers, client, sqlite_url, token};
use vsoko_domain::SubmissionId;

/// The answers the clients got: stored ids, and the statuses of everything else.
#[derive(Debug, Default)]
struct Answers {
    stored: Vec<i64>,
    server_errors: Vec<(u16, String)>,
    refused: usize,
}

async fn drain(database_url: &str) {
    let mut server = Server::start(database_url, &["--shutdown-grace", "20"], &[]).await;
    let client = client();
    let admin = token(&client, &server.base, "admin").await;
    let bodies = Arc::new(answers(&client, &server.base, &admin, "card-ood", 4000).await);
    let clients = 16;
    let mut tasks = Vec::new();
    for worker in 0..clients {
        let (client, bodies, admin, base) = (
            client.clone(),
            bodies.clone(),
            admin.clone(),
            server.base.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut answers = Answers::default();
            let mut index = worker;
            while index < bodies.len() {
                let sent = client
                    .post(format!("{base}/api/v1/submissions"))
                    .bearer_auth(&admin)
                    .header("Idempotency-Key", format!("drain-{index}"))
                    .json(&bodies[index])
                    .send()
                    .await;
                match sent {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let text = response.text().await.unwrap_or_default();
                        if (200..300).contains(&status) {
                            let body: Value = serde_json::from_str(&text).expect("JSON");
                            answers.stored.push(body["id"].as_i64().expect("an id"));
                        } else if status >= 500 {
                            answers.server_errors.push((status, text));
                        }
                    }
                    // The server no longer accepts: this client is done.
                    Err(_) => {
                        answers.refused += 1;
                        break;
                    }
                }
                index += clients;
            }
            answers
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.terminate();
    let code = server.wait_exit(Duration::from_secs(60)).await;
    let mut answers = Answers::default();
    for task in tasks {
        let part = task.await.expect("a client");
        answers.stored.extend(part.stored);
        answers.server_errors.extend(part.server_errors);
        answers.refused += part.refused;
    }
    assert_eq!(code, Some(0), "exit code after SIGTERM: {}", server.log());
    assert!(
        answers.server_errors.is_empty(),
        "5xx answers during the drain: {:?}",
        answers.server_errors
    );
    assert!(
        answers.stored.len() >= 20,
        "the load ran before the signal: {} stored",
        answers.stored.len()
    );
    assert!(
        answers.stored.len() < bodies.len(),
        "the signal came before the load ended"
    );
    let log = server.log();
    assert!(log.contains("stopped"), "the shutdown finished: {log}");
    // Every acknowledged survey is in the database.
    let store = Store::connect(database_url)
        .await
        .expect("the database opens");
    for id in &answers.stored {
        store
            .get_submission(SubmissionId::new(*id))
            .await
            .unwrap_or_else(|error| panic!("acknowledged submission {id} is not stored: {error}"));
    }
    store.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_submissions_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    drain(&sqlite_url(&dir.path().join("drain.db"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_submissions_postgres() {
    let Some(postgres) = Postgres::fresh().await else {
        eprintln!("skipped: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    drain(&postgres.url).await;
}
