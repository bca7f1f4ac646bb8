//! Directory scans require `<code>/v<version>.toml`, wherever the scan starts, and refuse a code +
//! version defined twice.

use std::path::{Path, PathBuf};

fn shipped(code: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../checklists")
        .join(code)
}

#[test]
fn a_scan_may_start_at_the_catalog_or_at_one_instrument_directory() {
    for start in [shipped(""), shipped("dc-teacher")] {
        let reports = vsoko_checklist::check_paths(std::slice::from_ref(&start)).unwrap();
        assert!(!reports.is_empty());
        for report in reports {
            assert!(
                report.outcome.is_ok(),
                "{} from {}: {:?}",
                report.path.display(),
                start.display(),
                report.outcome.err()
            );
        }
    }
}

#[test]
fn misplaced_and_duplicate_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(shipped("card-walk/v1.toml")).unwrap();
    std::fs::create_dir_all(dir.path().join("card-walk")).unwrap();
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("card-walk/v1.toml"), &source).unwrap();
    std::fs::write(dir.path().join("card-walk/v2.toml"), &source).unwrap();
    std::fs::write(dir.path().join("other/v1.toml"), &source).unwrap();

    let reports = vsoko_checklist::check_paths(&[dir.path().to_path_buf()]).unwrap();
    let messages: Vec<String> = reports
        .iter()
        .map(|report| match &report.outcome {
            Ok(_) => "OK".to_owned(),
            Err(diagnostics) => diagnostics[0].message.clone(),
        })
        .collect();
    assert_eq!(
        messages,
        [
            "OK",
            "card-walk@1 must be stored as card-walk/v1.toml",
            "card-walk@1 must be stored as card-walk/v1.toml",
        ]
    );
    // The same file given twice explicitly is a duplicate definition.
    let file = dir.path().join("card-walk/v1.toml");
    let reports = vsoko_checklist::check_paths(&[file.clone(), file]).unwrap();
    let second = reports[1].outcome.as_ref().unwrap_err();
    assert!(
        second[0]
            .message
            .starts_with("card-walk@1 is already defined in"),
        "{}",
        second[0].message
    );
}
