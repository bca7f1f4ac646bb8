//! Issue 4 §7: a writer killed with SIGKILL mid-stream loses no acknowledged submission and leaves
//! no partial one — on SQLite always, on PostgreSQL when `VSOKO_TEST_POSTGRES_URL` is set.
//!
//! The child is this test binary run again with `VSOKO_DURABILITY_CHILD` set: its only test then
//! submits in a loop and prints `COMMITTED <id>` after each commit returns.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vsoko_storage::{Store, SubjectRef};

use support::{TestDb, World, answers, submit, world};
use vsoko_storage::{PersonId, SubmissionId};

const CHILD_ENV: &str = "VSOKO_DURABILITY_CHILD";
/// Commits the parent waits for before it kills the child.
const KILL_AFTER: usize = 150;

/// The child's body; a no-op in a normal test run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durability_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let url = parts[0];
    let ids: Vec<i64> = parts[1..].iter().map(|p| p.parse().unwrap()).collect();
    let store = Store::connect(url).await.unwrap();
    let world = World {
        network: ids[0],
        kindergarten: ids[1],
        teacher: ids[2],
        respondent: vsoko_storage::RespondentRef::Person(PersonId::new(ids[2])),
        user: ids[3],
        period: ids[4],
        instrument_id: ids[5],
        instrument: support::survey(),
    };
    for i in 0.. {
        let value = f64::from(i % 3);
        let sheet = answers(&world.instrument, value, 2.0, Some(2.0 - value));
        let outcome = submit(&store, &world, &format!("durable-{i}"), &sheet).await;
        assert!(outcome.created);
        // Printed only after the commit returned: this line is the acknowledgement.
        println!("COMMITTED {}", outcome.submission.id);
    }
}

both!(a_killed_writer_loses_no_acknowledged_submission);
async fn a_killed_writer_loses_no_acknowledged_submission(db: &TestDb) {
    let world = world(&db.store).await;
    let spec = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        db.url,
        world.network,
        world.kindergarten,
        world.teacher,
        world.user,
        world.period,
        world.instrument_id
    );
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "durability_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child writer");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acknowledged = Vec::new();
    let started = Instant::now();
    while acknowledged.len() < KILL_AFTER {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "child too slow"
        );
        let Some(line) = lines.next() else {
            panic!("child exited early after {} commits", acknowledged.len());
        };
        if let Some(id) = line.unwrap().strip_prefix("COMMITTED ") {
            acknowledged.push(id.parse::<i64>().unwrap());
        }
    }
    child.kill().expect("SIGKILL the child"); // `Child::kill` is SIGKILL on Unix.
    // Acknowledgements already in the pipe count too.
    for line in lines {
        if let Some(id) = line.unwrap().strip_prefix("COMMITTED ") {
            acknowledged.push(id.parse::<i64>().unwrap());
        }
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed, not finished");

    // Reopen the database as after a crash.
    db.store.clone().close().await.ok();
    let store = Store::connect(&db.url).await.unwrap();
    for id in &acknowledged {
        let detail = store.get_submission(SubmissionId::new(*id)).await.unwrap();
        assert_eq!(detail.answers.len(), 3, "submission {id}");
        assert_eq!(detail.score.nodes.len(), 5, "submission {id}");
        assert_eq!(
            detail.submission.subject,
            SubjectRef::Teacher(PersonId::new(world.teacher))
        );
    }
    // No partial submission: every stored one has all of its rows.
    let submissions = db.count("submissions").await;
    assert!(submissions as usize >= acknowledged.len());
    assert!(submissions as usize <= acknowledged.len() + 1);
    assert_eq!(db.count("answers").await, submissions * 3);
    eprintln!(
        "durability: {} acknowledged, {} stored after SIGKILL",
        acknowledged.len(),
        submissions
    );
}
