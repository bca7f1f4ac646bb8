//! `vsoko import` and `vsoko export` as an operator uses them, on a fresh SQLite database with the
//! exchange crate's fixtures: dry run, real run, a re-run that creates nothing, a broken file that
//! writes nothing, exports read back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use vsoko_storage::{
    NewKindergarten, NewPeriod, NewUser, PageRequest, Role, Scope, Store, SubmissionFilter,
};

/// The survey of the exchange crate's tests (about teachers, answered by teachers).
const SURVEY: &str = include_str!("../crates/vsoko-exchange/tests/fixtures/survey-test.toml");

fn vsoko(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsoko"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run vsoko")
}

fn text(output: &Output) -> String {
    format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/vsoko-exchange/tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    url: String,
}

/// A fresh database: the survey registered, two kindergartens (№ 5 and № 12), their teachers with
/// accounts whose logins are the e-mails of the Google Forms fixture, an open period.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let checklists = path.join("checklists/survey-test");
    std::fs::create_dir_all(&checklists).unwrap();
    std::fs::write(checklists.join("v1.toml"), SURVEY).unwrap();
    let url = format!("sqlite://{}?mode=rwc", path.join("vsoko.db").display());
    let output = vsoko(&[
        "migrate",
        "--database-url",
        &url,
        "--checklists",
        path.join("checklists").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    runtime().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let network = store.create_network(None, "Тестовая сеть").await.unwrap();
        store
            .create_user(
                None,
                &NewUser {
                    login: "admin".into(),
                    password: "admin-password-1".into(),
                    role: Role::Admin,
                    scope: Scope::Network(network.id),
                    person_id: None,
                },
            )
            .await
            .unwrap();
        for (number, teachers) in [
            ("5", &["ivanova@ds5.ru", "petrov@ds5.ru"][..]),
            ("12", &["sidorova@ds12.ru"][..]),
        ] {
            let kindergarten = store
                .create_kindergarten(
                    None,
                    &NewKindergarten {
                        network_id: network.id,
                        number: number.into(),
                        full_name: format!("Муниципальное детское учреждение № {number}"),
                        short_name: format!("Детский сад № {number}"),
                    },
                )
                .await
                .unwrap();
            if number == "5" {
                // Known by full name only (no account): the Excel fixtures name them.
                for name in ["Иванова Анна Петровна", "Петров Олег Ильич"]
                {
                    store
                        .create_person(None, kindergarten.id, name, "воспитатель")
                        .await
                        .unwrap();
                }
            }
            for login in teachers {
                let person = store
                    .create_person(None, kindergarten.id, login, "воспитатель")
                    .await
                    .unwrap();
                store
                    .create_user(
                        None,
                        &NewUser {
                            login: (*login).into(),
                            password: "teacher-password-1".into(),
                            role: Role::Teacher,
                            scope: Scope::Kindergarten(kindergarten.id),
                            person_id: Some(person.id),
                        },
                    )
                    .await
                    .unwrap();
            }
        }
        store
            .create_period(
                None,
                &NewPeriod {
                    network_id: network.id,
                    code: "2025-09".into(),
                    starts_on: chrono_date(2025, 9, 1),
                    ends_on: chrono_date(2025, 9, 30),
                },
            )
            .await
            .unwrap();
        store.close().await.unwrap();
    });
    Setup {
        _dir: dir,
        dir: path,
        url,
    }
}

fn chrono_date(year: i32, month: u32, day: u32) -> sea_orm::prelude::Date {
    sea_orm::prelude::Date::from_ymd_opt(year, month, day).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn count_submissions(url: &str) -> u64 {
    runtime().block_on(async {
        let store = Store::connect(url).await.unwrap();
        let page = store
            .list_submissions(
                &SubmissionFilter {
                    include_superseded: true,
                    ..SubmissionFilter::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        store.close().await.unwrap();
        page.total
    })
}

fn import(setup: &Setup, file: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "--database-url",
        &setup.url,
        "--instrument",
        "survey-test@1",
        "--period",
        "2025-09",
        "--file",
        file,
    ];
    args.extend_from_slice(extra);
    vsoko(&args)
}

#[test]
fn google_forms_export_is_checked_imported_once_and_exported() {
    let setup = setup();
    let file = fixture("google-forms.csv");

    let dry = import(&setup, &file, &["--dry-run"]);
    let out = text(&dry);
    assert!(dry.status.success(), "{out}");
    assert!(out.contains("строка 2: будет создана анкета"), "{out}");
    assert!(out.contains("Будет создано: 3"), "{out}");
    assert!(out.contains("ничего не записано"), "{out}");
    assert_eq!(count_submissions(&setup.url), 0);

    let real = import(&setup, &file, &[]);
    let out = text(&real);
    assert!(real.status.success(), "{out}");
    assert!(out.contains("создано анкет: 3"), "{out}");
    assert_eq!(count_submissions(&setup.url), 3);

    let again = import(&setup, &file, &[]);
    let out = text(&again);
    assert!(again.status.success(), "{out}");
    assert!(out.contains("пропущена как дубликат"), "{out}");
    assert!(out.contains("новых анкет не создано"), "{out}");
    assert_eq!(count_submissions(&setup.url), 3);

    // Raw data as XLSX: header, one row per answer, read back cell by cell.
    let xlsx = setup.dir.join("raw.xlsx");
    let output = vsoko(&[
        "export",
        "raw",
        "--database-url",
        &setup.url,
        "--instrument",
        "survey-test",
        "--period",
        "2025-09",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("ID анкеты".into()));
    assert_eq!(rows[0][1], Data::String("Редакция".into()));
    assert_eq!(rows[0][3], Data::String("Версия инструмента".into()));
    // 3 submissions: ivanova 4 answers, petrov 3 (no hours) , sidorova 4.
    assert_eq!(rows.len(), 1 + 4 + 3 + 4, "{rows:?}");
    let first = rows[1];
    assert_eq!(first[1], Data::Float(1.0));
    assert_eq!(first[2], Data::String("survey-test".into()));
    assert_eq!(first[3], Data::Float(1.0));
    assert_eq!(first[5], Data::String("Детский сад № 5".into()));
    // The Forms e-mail column is kept as the respondent's contact.
    assert_eq!(first[7], Data::String("ivanova@ds5.ru".into()));
    assert_eq!(first[9], Data::String("Q.1.1".into()));
    assert_eq!(first[11], Data::Float(4.0));
    assert_eq!(first[12], Data::String("Полностью согласен".into()));

    // The kindergarten report as CSV-RU with a decimal comma.
    let csv = setup.dir.join("report.csv");
    let output = vsoko(&[
        "export",
        "report",
        "--database-url",
        &setup.url,
        "--instrument",
        "survey-test",
        "--period",
        "2025-09",
        "--kindergarten",
        "5",
        "--format",
        "csv-ru",
        "--decimal-comma",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(!body.starts_with("sep="), "{body}");
    assert!(body.contains("\r\n"), "{body}");
    let header = body.lines().next().unwrap();
    assert!(header.contains(';'), "{header}");
    assert!(body.contains("Анкета педагога"), "{body}");
}

#[test]
fn a_broken_file_writes_nothing() {
    let setup = setup();
    let profile = fixture("profile-google.json");
    for broken in [
        "broken-unknown-label.csv",
        "broken-missing-column.csv",
        "broken-truncated-row.csv",
    ] {
        let output = import(&setup, &fixture(broken), &["--profile", &profile]);
        let out = text(&output);
        assert!(!output.status.success(), "{broken}: {out}");
        assert!(out.contains("Импорт не выполнен"), "{broken}: {out}");
        assert!(out.contains("строка"), "{broken}: {out}");
    }
    assert_eq!(count_submissions(&setup.url), 0);
}

#[test]
fn unknown_teachers_and_unmatched_labels_stop_the_import() {
    let setup = setup();
    // Without a profile the unknown label cannot be matched: the user is told to complete one.
    let saved = setup.dir.join("profile.json");
    let output = import(
        &setup,
        &fixture("broken-unknown-label.csv"),
        &["--save-profile", saved.to_str().unwrap()],
    );
    let out = text(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(out.contains("Иногда"), "{out}");
    assert!(out.contains("--profile"), "{out}");
    assert!(saved.exists());

    // ФИО that are not in the staff list: an error per row, nothing written.
    let output = import(&setup, &fixture("excel-utf8-bom.csv"), &[]);
    let out = text(&output);
    assert!(!output.status.success(), "{out}");
    assert!(out.contains("не найден среди сотрудников"), "{out}");
    assert_eq!(count_submissions(&setup.url), 0);
}

#[test]
fn a_windows_1251_excel_file_is_imported_by_full_names_into_a_fixed_kindergarten() {
    let setup = setup();
    let file = fixture("excel-1251.csv");
    let output = import(&setup, &file, &["--kindergarten", "5"]);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("создано анкет: 2"), "{out}");
    assert_eq!(count_submissions(&setup.url), 2);
    // An unknown kindergarten is refused before anything is read.
    let output = import(&setup, &file, &["--kindergarten", "77"]);
    assert!(!output.status.success(), "{}", text(&output));
    assert_eq!(count_submissions(&setup.url), 2);
}

#[test]
fn skip_errors_imports_the_good_rows_and_writes_the_others_to_a_file_to_fix() {
    let setup = setup();
    // The Google Forms export with one more row, of a kindergarten the network does not have.
    let mut file = std::fs::read_to_string(fixture("google-forms.csv")).unwrap();
    file.push_str(
        "\"2025/09/17 9:00:00 AM GMT+3\",\"new@ds99.ru\",\"Детский сад № 99\",\"Полностью согласен\",\"скорее согласен\",\"3\",\"Да\",\"\"\n",
    );
    let path = setup.dir.join("answers.csv");
    std::fs::write(&path, file).unwrap();
    let path = path.to_str().unwrap();

    // By default a file with an error is not imported at all.
    let output = import(&setup, path, &[]);
    assert!(!output.status.success(), "{}", text(&output));
    assert_eq!(count_submissions(&setup.url), 0);

    let rejected = setup.dir.join("rejected.csv");
    let output = import(&setup, path, &["--skip-errors", rejected.to_str().unwrap()]);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("создано анкет: 3"), "{out}");
    assert_eq!(count_submissions(&setup.url), 3);
    let bytes = std::fs::read(&rejected).unwrap();
    let rows = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = rows.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{rows}");
    assert!(
        lines[0].ends_with("Строка исходного файла;Что исправить"),
        "{rows}"
    );
    assert!(
        lines[1].contains("Детский сад № 99") && lines[1].contains(";5;"),
        "{rows}"
    );
}
