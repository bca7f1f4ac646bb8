//! `vsoko checklists …` as a methodist uses it: validate the shipped set, see a planted mistake
//! reported with its exact path, show an instrument as a tree.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vsoko(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsoko"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run vsoko")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn validate_accepts_the_shipped_checklists() {
    let output = vsoko(&["checklists", "validate", "checklists"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("0 with problems"), "{text}");
    for code in ["dc-teacher@1", "card-ood@1", "vsoko-kindergarten@1"] {
        assert!(text.contains(code), "{code} missing from:\n{text}");
    }
}

#[test]
fn a_planted_mistake_is_reported_with_its_exact_path_and_fails_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let copy: PathBuf = dir.path().join("checklists");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists"),
        &copy,
    );
    // Plant a reference to an undefined scale on the first item of the teacher survey's second area.
    let file = copy.join("dc-teacher/v1.toml");
    let source = std::fs::read_to_string(&file).unwrap();
    let instrument = vsoko_checklist_probe(&source);
    let marker = format!("code = \"{}\"", instrument.item);
    let planted = source.replacen(&marker, &format!("{marker}\nscale = \"ladder9\""), 1);
    assert_ne!(planted, source, "marker {marker} not found");
    std::fs::write(&file, planted).unwrap();

    let output = vsoko(&["checklists", "validate", copy.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let expected = format!(
        "area {} → indicator {} → item {}: scale \"ladder9\" is not defined; defined scales:",
        instrument.area, instrument.indicator, instrument.item
    );
    assert!(
        text.contains(&expected),
        "expected «{expected}» in:\n{text}"
    );
    assert!(text.contains("1 with problems"), "{text}");
}

#[test]
fn show_prints_the_tree_of_an_instrument() {
    let output = vsoko(&["checklists", "show", "card-ood@1"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.starts_with("card-ood@1 — "), "{text}");
    assert!(
        text.contains("критический"),
        "critical items are marked:\n{text}"
    );

    let output = vsoko(&["checklists", "show", "no-such-thing"]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("no-such-thing"), "{error}");
    assert!(
        error.contains("dc-teacher@1"),
        "known instruments are listed: {error}"
    );
}

/// Codes of the first item of the second area, read from the file text without the crate under test.
struct Probe {
    area: String,
    indicator: String,
    item: String,
}

fn vsoko_checklist_probe(source: &str) -> Probe {
    let value: toml::Table = toml::from_str(source).unwrap();
    let area = &value["areas"].as_array().unwrap()[1];
    let indicator = &area["indicators"].as_array().unwrap()[0];
    let item = &indicator["items"].as_array().unwrap()[0];
    Probe {
        area: area["code"].as_str().unwrap().to_owned(),
        indicator: indicator["code"].as_str().unwrap().to_owned(),
        item: item["code"].as_str().unwrap().to_owned(),
    }
}

/// Issue 13 §5: the shipped instruments are built into the binary. From any folder a copied binary
/// and a database URL make a working server; `checklists export` writes the files out, and an
/// unreadable `--checklists` folder is reported with each cause once.
#[test]
fn the_binary_carries_its_instruments_and_runs_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("vsoko");
    std::fs::copy(env!("CARGO_BIN_EXE_vsoko"), &binary).unwrap();
    let run = |args: &[&str]| {
        Command::new(&binary)
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run the copied vsoko")
    };
    let shipped = run(&["checklists", "validate"]);
    assert!(shipped.status.success(), "{}", stdout(&shipped));
    assert!(
        stdout(&shipped).contains("shipped dc-teacher@1"),
        "{}",
        stdout(&shipped)
    );

    let exported = dir.path().join("mine");
    let output = run(&["checklists", "export", exported.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(exported.join("dc-teacher/v1.toml").is_file());
    assert!(exported.join("schema.json").is_file());
    let output = run(&["checklists", "validate", exported.to_str().unwrap()]);
    assert!(
        stdout(&output).contains("0 with problems"),
        "{}",
        stdout(&output)
    );

    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("db.sqlite").display()
    );
    let output = run(&["migrate", "--database-url", &url]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout(&output).contains("registered dc-teacher@1"),
        "{}",
        stdout(&output)
    );

    // A folder that does not exist: one message, each cause once.
    let output = run(&["migrate", "--database-url", &url, "--checklists", "nowhere"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stderr.contains("cannot read nowhere"), "{stderr}");
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn the_networks_targets_are_checked_against_the_instruments_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let copy: PathBuf = dir.path().join("checklists");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists"),
        &copy,
    );
    // The shipped targets file is checked with the folder and is fine.
    let output = vsoko(&["checklists", "validate", copy.to_str().unwrap()]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("targets.toml (4 targets)"), "{text}");
    // A level no instrument has: refused at the target's line, with the levels there are.
    let file = copy.join("targets.toml");
    let mut source = std::fs::read_to_string(&file).unwrap();
    let line = source.lines().count() + 3;
    source.push_str(
        "\n[[targets]]\ncode = \"high-a2\"\ntitle = \"Высокий уровень в области A2\"\n\
         source = { kind = \"level_share\", instrument = \"dc-teacher\", area = \"A2\", level = \"Z9\" }\n\
         comparison = \"at_least\"\nvalue = 30\nunit = \"%\"\n",
    );
    std::fs::write(&file, source).unwrap();
    let output = vsoko(&["checklists", "validate", copy.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let expected =
        format!("targets.toml:{line}: target high-a2 → source: dc-teacher@3 has no level `Z9`");
    assert!(
        text.contains(&expected),
        "expected «{expected}» in:\n{text}"
    );
    assert!(
        text.contains("its levels are: A1, A2, B1, B2, C1, C2"),
        "{text}"
    );
    // The instruments themselves are not read as the targets file, nor the other way round.
    assert!(text.contains("1 with problems"), "{text}");
}
