//! `vsoko training import` as a methodist uses it (issue 26 §1): a kindergarten's own list in
//! Windows-1251 with `;`, a broken row named by its line and column and nothing written, the good
//! rows imported with `--skip-errors` and the broken one written back to fix, the same file twice
//! adding nothing, and the columns of a ФИС ФРДО export; the routes and the lists of people
//! exported.

use std::path::Path;
use std::process::{Command, Output};

use vsoko_storage::{NewKindergarten, NewUser, Role, Scope, Store};

fn vsoko(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsoko"))
        .args(args)
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A database with kindergarten № 7 and its staff; answers the database URL and the
/// kindergarten's id.
fn setup(dir: &Path) -> (String, i64) {
    let url = format!("sqlite://{}?mode=rwc", dir.join("vsoko.db").display());
    let output = vsoko(&["migrate", "--database-url", &url]);
    assert!(output.status.success(), "{}", text(&output));
    let id = runtime().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let network = store.create_network(None, "Сеть").await.unwrap();
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
        let unit = store
            .create_kindergarten(
                None,
                &NewKindergarten {
                    network_id: network.id,
                    number: "7".into(),
                    full_name: "Детский сад № 7".into(),
                    short_name: "МДОУ № 7".into(),
                },
            )
            .await
            .unwrap();
        for (name, position) in [
            ("Иванова Анна Петровна", "воспитатель"),
            ("Петрова Ольга Ивановна", "воспитатель"),
            ("Сидорова Мария Олеговна", "заведующий"),
        ] {
            store
                .create_person(None, unit.id, name, position)
                .await
                .unwrap();
        }
        store.close().await.unwrap();
        unit.id.get()
    });
    (url, id)
}

fn records(url: &str, kindergarten: i64) -> usize {
    runtime().block_on(async {
        let store = Store::connect(url).await.unwrap();
        let records = store
            .training_records(
                Scope::Kindergarten(vsoko_storage::KindergartenId::new(kindergarten)),
                None,
            )
            .await
            .unwrap();
        store.close().await.unwrap();
        records.len()
    })
}

#[test]
fn a_kindergartens_list_in_windows_1251_is_imported_once_with_the_broken_row_sent_back() {
    let dir = tempfile::tempdir().unwrap();
    let (url, id) = setup(dir.path());
    // The kindergarten's own list as Excel saves «CSV (разделители — точки с запятой)».
    let list = "ФИО;Программа;Организация;Часы;Дата начала;Дата окончания;Форма обучения;Номер удостоверения;Дата выдачи\r\n\
                Иванова Анна Петровна;Цифровые технологии в ДОО;ГАУ ДПО ИРО;72;01.10.2024;20.10.2024;дистанционная;7827 00031001;20.10.2024\r\n\
                Петрова Ольга Ивановна;ФОП ДО: организация образовательной деятельности;МБУ ГМЦ;36;10.03.2025;05.03.2025;очная;7827 00031002;05.03.2025\r\n\
                Сидорова Мария Олеговна;Управление ДОО в цифровой среде;ГАУ ДПО ИРО;36;01.02.2025;15.02.2025;очно-заочная;7827 00031003;15.02.2025\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(list);
    let file = dir.path().join("кпк.csv");
    std::fs::write(&file, &bytes).unwrap();
    let file = file.to_str().unwrap();
    let kindergarten = id.to_string();
    let import = |extra: &[&str]| {
        let mut args = vec![
            "training",
            "import",
            "--database-url",
            &url,
            "--kindergarten",
            &kindergarten,
            "--file",
            file,
        ];
        args.extend_from_slice(extra);
        vsoko(&args)
    };

    // The end before the start: named by line and column, nothing written.
    let refused = import(&[]);
    assert!(!refused.status.success(), "{}", text(&refused));
    let out = text(&refused);
    assert!(
        out.contains("строка 3, столбец «Дата окончания»: Окончание обучения (05.03.2025) раньше его начала (10.03.2025)"),
        "{out}"
    );
    assert_eq!(records(&url, id), 0, "nothing is half-written");

    // The good rows with --skip-errors; the broken one comes back with what to fix.
    let rejected = dir.path().join("исправить.csv");
    let partial = import(&["--skip-errors", rejected.to_str().unwrap()]);
    assert!(partial.status.success(), "{}", text(&partial));
    assert!(
        text(&partial)
            .contains("импортировано записей: 2, уже загружено раньше: 0, строк с ошибками: 1"),
        "{}",
        text(&partial)
    );
    assert_eq!(records(&url, id), 2);
    let back = std::fs::read(&rejected).unwrap();
    let back = String::from_utf8_lossy(&back);
    assert!(back.contains("Петрова Ольга Ивановна"), "{back}");
    assert!(back.contains("Строка;Что исправить"), "{back}");
    assert!(!back.contains("Иванова Анна Петровна"), "{back}");

    // The same file again adds nothing.
    let again = import(&["--skip-errors", rejected.to_str().unwrap()]);
    assert!(
        text(&again).contains("импортировано записей: 0, уже загружено раньше: 2"),
        "{}",
        text(&again)
    );
    assert_eq!(records(&url, id), 2);

    // «дистанционная» is заочная with distance technologies; the head counts as management.
    runtime().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let stored = store
            .training_records(
                Scope::Kindergarten(vsoko_storage::KindergartenId::new(id)),
                None,
            )
            .await
            .unwrap();
        let first = stored
            .iter()
            .find(|record| record.record.programme == "Цифровые технологии в ДОО")
            .unwrap();
        assert!(first.record.distance);
        assert_eq!(first.record.hours, 72);
        store.close().await.unwrap();
    });
}

#[test]
fn the_columns_of_a_frdo_export_are_recognised_and_an_unknown_person_is_named_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (url, id) = setup(dir.path());
    // The ФРДО's columns, with the provider the kindergarten adds (the template has none).
    let frdo = "Вид документа,Фамилия получателя,Имя получателя,Отчество получателя,Наименование дополнительной профессиональной программы,Срок обучения (часов),Дата начала обучения,Дата окончания обучения,Форма обучения,Номер документа,Регистрационный номер,Дата выдачи документа,Наименование организации\n\
                Удостоверение о повышении квалификации,Иванова,Анна,Петровна,Безопасная цифровая среда ДОО,36,2025-01-10,2025-01-25,Очная,7827 00031010,ПК-25-10,2025-01-25,ГАУ ДПО ИРО\n\
                Удостоверение о повышении квалификации,Кузнецова,Елена,Викторовна,Безопасная цифровая среда ДОО,36,2025-01-10,2025-01-25,Очная,7827 00031011,ПК-25-11,2025-01-25,ГАУ ДПО ИРО\n";
    let file = dir.path().join("frdo.csv");
    std::fs::write(&file, frdo).unwrap();
    let dry = vsoko(&[
        "training",
        "import",
        "--database-url",
        &url,
        "--kindergarten",
        &id.to_string(),
        "--file",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    let out = text(&dry);
    assert!(
        out.contains("строка 3, столбец «Фамилия получателя»: «Кузнецова Елена Викторовна» нет среди сотрудников детского сада"),
        "{out}"
    );
    assert!(
        out.contains("к импорту записей: 1, уже загружено раньше: 0, строк с ошибками: 1"),
        "{out}"
    );
    assert_eq!(records(&url, id), 0, "a dry run writes nothing");

    // Without a column the rules need, the file is refused as a whole, naming it.
    let bare = dir.path().join("bare.csv");
    std::fs::write(&bare, "ФИО,Программа\nИванова Анна Петровна,Курс\n").unwrap();
    let refused = vsoko(&[
        "training",
        "import",
        "--database-url",
        &url,
        "--kindergarten",
        &id.to_string(),
        "--file",
        bare.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains(
            "в файле нет столбцов: «Организация», «Часы», «Дата начала», «Дата окончания»"
        ),
        "{}",
        text(&refused)
    );
}

#[test]
fn one_record_is_added_by_the_persons_name_and_every_error_names_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    let (url, id) = setup(dir.path());
    let kindergarten = id.to_string();
    let add = |person: &str, hours: &str, ends_on: &str| {
        vsoko(&[
            "training",
            "add",
            "--database-url",
            &url,
            "--kindergarten",
            &kindergarten,
            "--person",
            person,
            "--programme",
            "Цифровые технологии в ДОО",
            "--provider",
            "ГАУ ДПО ИРО",
            "--hours",
            hours,
            "--starts-on",
            "01.10.2024",
            "--ends-on",
            ends_on,
            "--distance",
            "--areas",
            "A2,A3",
        ])
    };
    // Nobody of that name; an hour count that is not a number and an end before the start.
    let unknown = add("Кузнецова Ирина", "36", "20.10.2024");
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    assert!(
        text(&unknown).contains("--person: «Кузнецова Ирина» нет среди сотрудников"),
        "{}",
        text(&unknown)
    );
    let wrong = add("Иванова Анна Петровна", "тридцать", "20.10.2024");
    assert!(
        text(&wrong).contains("--hours: введите число академических часов"),
        "{}",
        text(&wrong)
    );
    let backwards = add("иванова анна петровна", "36", "20.09.2024");
    assert_eq!(backwards.status.code(), Some(1), "{}", text(&backwards));
    assert!(
        text(&backwards).contains("--ends-on:"),
        "{}",
        text(&backwards)
    );
    assert_eq!(records(&url, id), 0, "nothing is written with an error");
    // The name in another letter case is the same person; a short course is kept with a warning.
    let added = add("иванова анна петровна", "12", "20.10.2024");
    assert!(added.status.success(), "{}", text(&added));
    let out = text(&added);
    assert!(
        out.contains("Иванова Анна Петровна, «Цифровые технологии в ДОО», 12 ак. ч."),
        "{out}"
    );
    assert!(out.contains("Проверьте:"), "{out}");
    assert_eq!(records(&url, id), 1);

    // A correction changes only the flags given; a wrong one is refused by its flag.
    let record = out
        .split_whitespace()
        .nth(1)
        .expect("«Запись N сохранена»")
        .to_owned();
    let correct = |extra: &[&str]| {
        let mut args = vec![
            "training",
            "correct",
            "--database-url",
            &url,
            "--record",
            &record,
        ];
        args.extend_from_slice(extra);
        vsoko(&args)
    };
    let wrong = correct(&["--issued-on", "вчера"]);
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    assert!(
        text(&wrong).contains("--issued-on: «вчера» — не дата"),
        "{}",
        text(&wrong)
    );
    let fixed = correct(&["--hours", "36"]);
    assert!(fixed.status.success(), "{}", text(&fixed));
    let out = text(&fixed);
    assert!(
        out.contains("исправлена (новая редакция): Иванова Анна Петровна, «Цифровые технологии в ДОО», 36 ак. ч."),
        "{out}"
    );
    assert!(
        !out.contains("16"),
        "the short-course warning is gone: {out}"
    );
    assert_eq!(
        records(&url, id),
        1,
        "a correction is a revision, not a record"
    );
}

#[test]
fn the_routes_of_a_kindergarten_are_exported_teacher_by_teacher() {
    let dir = tempfile::tempdir().unwrap();
    let (url, id) = setup(dir.path());
    let out = dir.path().join("iom.csv");
    let output = vsoko(&[
        "export",
        "routes",
        "--database-url",
        &url,
        "--kindergarten",
        &id.to_string(),
        "--format",
        "csv-ru",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("маршруты 1 детского сада"),
        "{}",
        text(&output)
    );
    let file = std::fs::read_to_string(&out).unwrap();
    // Two teachers, nobody has started a route; the head is of the management team.
    assert!(file.contains("МДОУ № 7;2;0;0;0;0;0"), "{file}");
    assert!(
        file.contains("Иванова Анна Петровна;воспитатель;МДОУ № 7;черновик (не начат);0;0"),
        "{file}"
    );
    assert!(
        file.contains("Сидорова Мария Олеговна;заведующий;"),
        "{file}"
    );
}

#[test]
fn a_list_of_a_kindergarten_is_exported_as_an_agreed_list() {
    let dir = tempfile::tempdir().unwrap();
    let (url, id) = setup(dir.path());
    // Иванова put herself on the motivated list; her head has not agreed it.
    runtime().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let unit = vsoko_storage::KindergartenId::new(id);
        let person = store
            .people(unit)
            .await
            .unwrap()
            .into_iter()
            .find(|person| person.full_name.starts_with("Иванова"))
            .unwrap();
        let admin = store
            .authenticate("admin", "admin-password-1")
            .await
            .unwrap()
            .unwrap();
        use chrono::Datelike;
        let today = chrono::Local::now().date_naive();
        let year = if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        };
        store
            .add_list_mark(
                admin.id,
                &vsoko_storage::NewListMark {
                    kindergarten: unit,
                    person: Some(person.id),
                    list: "motivated",
                    school_year: year,
                    mark: "opted_in",
                    reason: None,
                    detail: None,
                    based_on: None,
                },
            )
            .await
            .unwrap();
        store.close().await.unwrap();
    });
    let out = dir.path().join("list.csv");
    let export = |list: &str| {
        vsoko(&[
            "export",
            "lists",
            "--list",
            list,
            "--database-url",
            &url,
            "--kindergarten",
            &id.to_string(),
            "--format",
            "csv-ru",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let output = export("motivated");
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("«Мотивированы на развитие цифровых компетенций», 1 человек"),
        "{}",
        text(&output)
    );
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(
        file.trim_start_matches('\u{feff}')
            .starts_with("№;ФИО;Должность;ДОО;Отметка о согласовании;Дата"),
        "{file}"
    );
    assert!(
        file.contains("1;Иванова Анна Петровна;воспитатель;МДОУ № 7;не согласовано;"),
        "{file}"
    );
    // Nobody answered a survey: nobody is proposed for tutoring.
    let output = export("tutors");
    assert!(
        text(&output).contains("«Готовы быть тьюторами», 0 человек"),
        "{}",
        text(&output)
    );
    let output = export("mentors");
    assert!(!output.status.success());
    assert!(
        text(&output).contains("неизвестный список «mentors»"),
        "{}",
        text(&output)
    );
}

#[test]
fn the_strengths_matrix_without_answers_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = setup(dir.path());
    let out = dir.path().join("matrix.xlsx");
    let output = vsoko(&[
        "export",
        "strengths",
        "--database-url",
        &url,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("нет данных: ни в одном периоде нет ответов"),
        "{}",
        text(&output)
    );
    assert!(!out.exists());
    // A period asked by name that has no answers is named in the error.
    let output = vsoko(&[
        "export",
        "strengths",
        "--database-url",
        &url,
        "--instrument",
        "dc-teacher",
        "--period",
        "2025-05",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(text(&output).contains("«2025-05»"), "{}", text(&output));
}
