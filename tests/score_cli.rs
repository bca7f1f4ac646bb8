//! `vsoko score …` as a methodist uses it: generate answers, score them into CSV tables, and see a
//! bad row named by its line with nothing written (or skipped with `--skip-invalid`).

use std::path::Path;
use std::process::{Command, Output};

const CARD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/vsoko-scoring/tests/fixtures/card.toml"
);

fn vsoko(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsoko"))
        .args(args)
        .output()
        .expect("run vsoko")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn generate_then_score_writes_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.csv");
    let out = dir.path().join("out");
    let generated = vsoko(&[
        "score",
        "generate",
        "--instrument",
        CARD,
        "--rows",
        "3000",
        "--seed",
        "3",
        "--out",
        path(&answers),
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let again = dir.path().join("again.csv");
    vsoko(&[
        "score",
        "generate",
        "--instrument",
        CARD,
        "--rows",
        "3000",
        "--seed",
        "3",
        "--out",
        path(&again),
    ]);
    assert_eq!(
        std::fs::read(&answers).unwrap(),
        std::fs::read(&again).unwrap(),
        "the generator is deterministic"
    );

    let score = |extra: &[&str]| {
        let mut args = vec![
            "score",
            "--instrument",
            CARD,
            "--answers",
            path(&answers),
            "--out",
            path(&out),
        ];
        args.extend_from_slice(extra);
        let scored = vsoko(&args);
        assert!(scored.status.success(), "{}", text(&scored.stderr));
        text(&scored.stdout)
    };
    let summary = score(&[]);
    // No per-submission table was asked for, so none is counted (a «0» would read as «nothing
    // scored»).
    assert!(summary.contains("детских садов"), "{summary}");
    assert!(!summary.contains("строк оценок заявок"), "{summary}");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert!(read("kg_area.csv").starts_with("kindergarten,area,mean,n,std,deficit_share\n"));
    assert!(read("kg_total.csv").starts_with("kindergarten,mean,n,L1,L2,L3\n"));
    let network = read("network_area.csv");
    assert!(network.starts_with("area,mean_of_kindergartens,pooled_mean\n"));
    assert_eq!(network.lines().count(), 3, "{network}");
    for name in [
        "kg_nodes.csv",
        "kg_rank.csv",
        "network_nodes.csv",
        "network_levels.csv",
        "item_deficits.csv",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert!(
        !out.join("submissions.csv").exists(),
        "per-submission scores only on request"
    );
    let summary = score(&["--submissions"]);
    let submissions = read("submissions.csv");
    let rows = submissions.lines().count() - 1;
    assert!(
        summary.contains(&format!("{rows} строк оценок заявок")),
        "{summary}"
    );
    assert!(
        submissions.starts_with("period,kindergarten,respondent,submission_id,kind,code,percent,"),
        "{submissions}"
    );
}

#[test]
fn a_bad_row_writes_nothing_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.csv");
    std::fs::write(
        &answers,
        "submission_id,kindergarten,respondent,period,instrument,item,value\n\
         1,kg1,r1,2026-05,t-card,A.1.1,2\n\
         1,kg1,r1,2026-05,t-card,A.1.2,2\n\
         1,kg1,r1,2026-05,t-card,A.2.2,5\n\
         2,kg1,r2,2026-05,t-card,A.1.1,1\n\
         2,kg1,r2,2026-05,t-card,A.1.2,x\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let failed = vsoko(&[
        "score",
        "--instrument",
        CARD,
        "--answers",
        path(&answers),
        "--out",
        path(&out),
    ]);
    assert!(!failed.status.success());
    let stderr = text(&failed.stderr);
    assert!(stderr.contains("строка 4"), "{stderr}");
    assert!(stderr.contains("строка 6"), "{stderr}");
    assert!(!out.exists(), "nothing may be written");

    let skipped = vsoko(&[
        "score",
        "--instrument",
        CARD,
        "--answers",
        path(&answers),
        "--out",
        path(&out),
        "--skip-invalid",
    ]);
    assert!(skipped.status.success(), "{}", text(&skipped.stderr));
    let stderr = text(&skipped.stderr);
    assert!(
        stderr.contains("строка 4") && stderr.contains("строка 6"),
        "{stderr}"
    );
    assert!(out.join("kg_area.csv").is_file());
}

#[test]
fn a_computed_item_is_read_from_its_column_and_its_absence_is_reported() {
    let set = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/checklists/vsoko-kindergarten/v3.toml"
    );
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.csv");
    // A2.1.1 is computed from the control cards' block O2: the first kindergarten's file holds
    // the value its report gave, the second's does not.
    std::fs::write(
        &answers,
        "submission_id,kindergarten,respondent,period,instrument,item,value\n\
         1,kg1,head1,2026-05,vsoko-kindergarten,A2.1.1,72.5\n\
         1,kg1,head1,2026-05,vsoko-kindergarten,A1.1.5,1\n\
         2,kg2,head2,2026-05,vsoko-kindergarten,A1.1.5,1\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let scored = vsoko(&[
        "score",
        "--instrument",
        set,
        "--answers",
        path(&answers),
        "--out",
        path(&out),
    ]);
    assert!(scored.status.success(), "{}", text(&scored.stderr));
    let stdout = text(&scored.stdout);
    assert!(
        stdout.contains("вычисляемый пункт A2.1.1 (card-ood, O2): значение есть в 1 анкете"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("вычисляемый пункт A3.1.5 (card-walk, card-walk): значение есть в 0 анкетах"),
        "{stdout}"
    );
}
