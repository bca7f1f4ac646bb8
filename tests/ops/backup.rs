//! Backup and restore: `vsoko backup` of a SQLite database while the server writes to it,
//! `vsoko restore` over a stopped one, and PostgreSQL's `pg_dump` / `pg_restore` as the README
//! describes them; each round trip compared table by table, value by value.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::support::{
    Postgres, Server, answers, assert_same, client, dump, printed, sqlite_url, token, vsoko,
};

/// Posts observation cards from `clients` clients until `stop` is set; how many were stored.
fn load(
    base: &str,
    admin: &str,
    bodies: Arc<Vec<serde_json::Value>>,
    clients: usize,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<usize>> {
    (0..clients)
        .map(|worker| {
            let (base, admin, bodies, stop) = (
                base.to_owned(),
                admin.to_owned(),
                bodies.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let client = client();
                let mut stored = 0;
                let mut index = worker;
                while !stop.load(Ordering::Relaxed) && index < bodies.len() {
                    let response = client
                        .post(format!("{base}/api/v1/submissions"))
                        .bearer_auth(&admin)
                        .header("Idempotency-Key", format!("backup-{index}"))
                        .json(&bodies[index])
                        .send()
                        .await
                        .expect("sent");
                    let status = response.status();
                    assert_eq!(status, 201, "{}", response.text().await.unwrap_or_default());
                    stored += 1;
                    index += clients;
                }
                stored
            })
        })
        .collect()
}

fn rows_of<'a>(dumped: &'a [(String, Vec<String>)], table: &str) -> &'a [String] {
    &dumped
        .iter()
        .find(|(name, _)| name == table)
        .unwrap_or_else(|| panic!("no table {table}"))
        .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backup_then_restore_round_trip_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = |name: &str| dir.path().join(name);
    let database = sqlite_url(&path("vsoko.db"));
    let mut server = Server::start(&database, &[], &[]).await;
    let client = client();
    let admin = token(&client, &server.base, "admin").await;
    let bodies = Arc::new(answers(&client, &server.base, &admin, "card-ood", 3000).await);
    let stop = Arc::new(AtomicBool::new(false));
    let writers = load(&server.base, &admin, bodies, 8, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // While the clients write.
    let online = path("online.db");
    let backup = vsoko(&[
        "backup",
        "--database-url",
        &database,
        "--out",
        online.to_str().unwrap(),
    ])
    .await;
    assert!(backup.status.success(), "{}", printed(&backup));
    assert!(printed(&backup).contains("integrity is checked"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut stored = 0;
    for writer in writers {
        stored += writer.await.expect("a writer");
    }
    assert!(stored > 0, "cards were written around the backup");
    server.terminate();
    assert_eq!(server.wait_exit(Duration::from_secs(30)).await, Some(0));

    // A second backup of the stopped database, restored into a new file: the same, table by
    // table.
    let offline = path("offline.db");
    let backup = vsoko(&[
        "backup",
        "--database-url",
        &database,
        "--out",
        offline.to_str().unwrap(),
    ])
    .await;
    assert!(backup.status.success(), "{}", printed(&backup));
    let restored = sqlite_url(&path("restored.db"));
    let restore = vsoko(&[
        "restore",
        "--from",
        offline.to_str().unwrap(),
        "--database-url",
        &restored,
    ])
    .await;
    assert!(restore.status.success(), "{}", printed(&restore));
    let original = dump(&database).await;
    assert_same(&original, &dump(&restored).await);
    assert!(rows_of(&original, "submissions").len() > 1300);

    // The online backup is a moment of the database: every row it holds is in the final
    // database as it was, and every submission in it has its answers.
    let snapshot = dump(&sqlite_url(&online)).await;
    for table in ["submissions", "answers", "people", "users"] {
        let later: BTreeSet<&String> = rows_of(&original, table).iter().collect();
        for row in rows_of(&snapshot, table) {
            assert!(later.contains(row), "{table}: {row} is not in the database");
        }
    }
    let submissions = rows_of(&snapshot, "submissions").len();
    assert!(
        submissions > 1300,
        "the backup holds cards posted before it"
    );
    assert!(submissions < rows_of(&original, "submissions").len());
    let answered: BTreeSet<&str> = rows_of(&snapshot, "answers")
        .iter()
        .filter_map(|row| row.split('|').next())
        .collect();
    assert_eq!(
        answered.len(),
        submissions,
        "every submission has its answers"
    );

    // Restoring over an existing database needs --replace, and keeps the file replaced.
    let online_path = online.to_str().unwrap();
    let refused = vsoko(&[
        "restore",
        "--from",
        online_path,
        "--database-url",
        &database,
    ])
    .await;
    assert!(!refused.status.success());
    assert!(
        printed(&refused).contains("--replace"),
        "{}",
        printed(&refused)
    );
    let replaced = vsoko(&[
        "restore",
        "--from",
        online_path,
        "--database-url",
        &database,
        "--replace",
    ])
    .await;
    assert!(replaced.status.success(), "{}", printed(&replaced));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().contains(".replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    assert_same(&snapshot, &dump(&database).await);
    assert_same(&original, &dump(&sqlite_url(&kept[0].path())).await);

    // The server starts on the restored database and serves it.
    let server = Server::start(&database, &[], &[]).await;
    let admin = token(&client, &server.base, "admin").await;
    let me = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(me.status(), 200);

    // A file that is no database is refused with its name.
    let junk = path("junk.db");
    std::fs::write(&junk, "not a database").expect("written");
    let refused = vsoko(&[
        "restore",
        "--from",
        junk.to_str().unwrap(),
        "--database-url",
        &sqlite_url(&path("other.db")),
    ])
    .await;
    assert!(!refused.status.success());
    assert!(
        printed(&refused).contains("junk.db"),
        "{}",
        printed(&refused)
    );
    assert!(!path("other.db").exists(), "nothing written");
}

/// `pg_dump` of the PostgreSQL version at hand, if installed.
fn pg_tool(name: &str) -> Option<std::path::PathBuf> {
    let candidates = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join("bin").join(name));
    let mut found: Vec<_> = candidates.filter(|path| path.exists()).collect();
    found.sort();
    found.pop().or_else(|| {
        Command::new(name)
            .arg("--version")
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|_| name.into())
    })
}

fn run(tool: &Path, args: &[&str]) {
    let output = Command::new(tool)
        .args(args)
        .output()
        .expect("the tool runs");
    assert!(output.status.success(), "{tool:?}: {}", printed(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dump_and_pg_restore_round_trip() {
    let Some(source) = Postgres::fresh().await else {
        eprintln!("skipped: VSOKO_TEST_POSTGRES_URL is not set");
        return;
    };
    let (Some(pg_dump), Some(pg_restore)) = (pg_tool("pg_dump"), pg_tool("pg_restore")) else {
        panic!("PostgreSQL is configured for the tests, but pg_dump or pg_restore is missing");
    };
    let mut server = Server::start(&source.url, &[], &[]).await;
    server.terminate();
    assert_eq!(server.wait_exit(Duration::from_secs(30)).await, Some(0));

    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("vsoko.dump");
    let file = file.to_str().unwrap();
    // The README's commands.
    run(
        &pg_dump,
        &["--format=custom", "--file", file, "--dbname", &source.url],
    );
    let target = Postgres::fresh().await.expect("a second database");
    run(
        &pg_restore,
        &[
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            &target.url,
            file,
        ],
    );
    assert_same(&dump(&source.url).await, &dump(&target.url).await);

    // The restored database serves, and new rows get new ids.
    let server = Server::start(&target.url, &[], &[]).await;
    let client = client();
    let admin = token(&client, &server.base, "admin").await;
    let body = answers(&client, &server.base, &admin, "dc-teacher", 1)
        .await
        .remove(0);
    let created = client
        .post(format!("{}/api/v1/submissions", server.base))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "after-restore")
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status(), 201);
}
