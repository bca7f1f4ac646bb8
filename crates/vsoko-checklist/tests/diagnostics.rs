//! Broken instrument files produce exactly the expected messages (snapshots in `fixtures/broken/*.expected`).
//!
//! To accept changed messages after reviewing them: `UPDATE_EXPECT=1 cargo test -p vsoko-checklist`.

use std::path::Path;

use vsoko_checklist::{ChecklistError, render_diagnostics};

#[test]
fn every_broken_fixture_reports_the_expected_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 9, "fixtures missing in {}", dir.display());

    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for fixture in fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&fixture).unwrap();
        let label = format!("broken/{name}");
        let actual = match vsoko_checklist::parse_toml(&source, &label) {
            Ok(instrument) => panic!("{name} was accepted as {}", instrument.id()),
            Err(ChecklistError::Invalid { diagnostics, .. }) => {
                format!("{}\n", render_diagnostics(&diagnostics))
            }
            Err(other) => panic!("{name}: unexpected error {other}"),
        };
        let expected_path = fixture.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).unwrap();
            } else {
                stale.push(format!(
                    "--- {name}: expected\n{expected}--- actual\n{actual}"
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "diagnostics differ from the snapshots (review, then run UPDATE_EXPECT=1 cargo test -p vsoko-checklist):\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_issue_example_path_is_reported_exactly() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken/undefined_scale.toml"),
    )
    .unwrap();
    let Err(ChecklistError::Invalid { diagnostics, .. }) =
        vsoko_checklist::parse_toml(&source, "x.toml")
    else {
        panic!("accepted");
    };
    let item = diagnostics
        .iter()
        .find(|d| d.location == "area A2 → indicator A2.3 → item A2.3.1")
        .expect("the item's problem is reported at its path");
    assert_eq!(
        item.message,
        "scale \"ladder6\" is not defined; defined scales: ladder5, yes_no"
    );
    assert_eq!(item.line, Some(40), "the line of the item's code");
    // The item that merely inherits the indicator's broken scale is not reported a second time.
    assert!(!diagnostics.iter().any(|d| d.location.ends_with("A2.3.2")));
}
