//! Повышение квалификации (issue 26): a head enters a course for a teacher — a wrong date shown at
//! its field first — and sees the coverage move, withdraws it after a confirmation; a methodist
//! opens the network's coverage page.

use chrono::{Days, Local};

use super::helpers::{PASSWORD, TestApp, World};
use super::{Browser, download, run};

scenario!(a_head_enters_a_course_and_sees_the_coverage_move);
async fn a_head_enters_a_course_and_sees_the_coverage_move(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = world.units[0].id;
    browser.login("head18", PASSWORD).await;
    browser
        .follow(&format!("a[href='/kindergartens/{unit}/training']"))
        .await;
    browser.check("training").await;
    let text = browser.text().await;
    assert!(text.contains("0 из 2"), "{text}");
    assert!(
        text.contains("не проходил ни один педагогический работник"),
        "{text}"
    );

    let end = Local::now().date_naive() - Days::new(1);
    let start = end - Days::new(20);
    browser
        .select("person_id", "Воспитатель 18-1 — воспитатель")
        .await;
    browser
        .fill(
            "programme",
            "Цифровые технологии в образовательной деятельности ДОО",
        )
        .await;
    browser
        .fill("provider", "ГАУ ДПО «Институт развития образования»")
        .await;
    browser.fill("hours", "36").await;
    // The end typed before the start: refused at its field, nothing stored.
    browser.set_value("starts_on", &end.to_string()).await;
    browser.set_value("ends_on", &start.to_string()).await;
    browser.click_text("Сохранить запись").await;
    assert!(
        browser.has("#ends_on-err").await,
        "{}",
        browser.text().await
    );
    browser.check("training-refused").await;
    assert!(browser.text().await.contains("0 из 2"));

    browser.set_value("starts_on", &start.to_string()).await;
    browser.set_value("ends_on", &end.to_string()).await;
    browser.set_value("issued_on", &end.to_string()).await;
    browser.click_text("Сохранить запись").await;
    let text = browser.text().await;
    assert!(text.contains("Запись об обучении сохранена"), "{text}");
    assert!(text.contains("1 из 2"), "{text}");
    assert!(
        text.contains("Цифровые технологии в образовательной деятельности ДОО"),
        "{text}"
    );

    assert!(browser.has("svg.chart").await, "the coverage has its chart");

    // A correction: the form comes filled in; the new hours are saved as the next revision.
    browser.follow("a[href$='/edit']").await;
    let edit_path = browser.path().await;
    browser.check("training-edit").await;
    assert_eq!(browser.value("hours").await, "36");
    browser.fill("hours", "72").await;
    browser.click_text("Сохранить исправление").await;
    let text = browser.text().await;
    assert!(text.contains("Исправление сохранено"), "{text}");
    assert!(text.contains("72"), "{text}");
    browser.logout().await;

    // The teacher sees her course on her own page, read only, and until when it counts.
    browser.login("teacher18-1", PASSWORD).await;
    browser.follow("a[href='/my-training']").await;
    browser.check("own-training").await;
    let text = browser.text().await;
    assert!(
        text.contains("Цифровые технологии в образовательной деятельности ДОО"),
        "{text}"
    );
    assert!(text.contains("учитывается до"), "{text}");
    assert!(
        !browser.has("a[href$='/edit']").await,
        "she corrects nothing"
    );
    browser.visit(&edit_path).await;
    assert!(browser.text().await.contains("Доступ запрещён"));
    browser.visit("/").await;
    browser.logout().await;
    // Another kindergarten's head does not find the record at all.
    browser.login("head55", PASSWORD).await;
    browser.visit(&edit_path).await;
    assert!(browser.text().await.contains("Страница не найдена"));
    browser.visit("/").await;
    browser.logout().await;
    browser.login("head18", PASSWORD).await;
    browser
        .visit(&format!("/kindergartens/{unit}/training"))
        .await;

    // Withdrawing is asked first; the coverage goes back.
    browser.follow("a[href$='/withdraw']").await;
    browser.check("training-withdraw").await;
    browser.click_text("Отозвать запись").await;
    let text = browser.text().await;
    assert!(text.contains("Запись об обучении отозвана"), "{text}");
    assert!(text.contains("0 из 2"), "{text}");
    browser.logout().await;

    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/network/training']").await;
    browser.check("network-training").await;
    let text = browser.text().await;
    assert!(
        text.contains("МДОУ № 18") && text.contains("МДОУ № 55"),
        "{text}"
    );

    // The XLSX of the page: each kindergarten's row and the network's, the figures the page says.
    let bytes = download(&app, &browser, "Скачать XLSX").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("Охват КПК").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "Детский сад", "{rows:?}");
    assert_eq!(rows.len(), 4, "two kindergartens and the network: {rows:?}");
    assert_eq!(rows[3][0], "Сеть в целом", "{rows:?}");
    // Four teachers in the network, nobody covered after the withdrawal.
    assert_eq!(
        (rows[3][1].as_str(), rows[3][2].as_str()),
        ("4", "0"),
        "{rows:?}"
    );
    assert!(workbook.worksheet_range("Нужны КПК").is_ok());

    // The network's dashboard holds the network to its targets, with a way to the coverage.
    browser.visit("/network/dashboard").await;
    let text = browser.text().await;
    assert!(text.contains("Целевые показатели сети"), "{text}");
    assert!(
        text.contains("Педагогические работники, прошедшие повышение квалификации"),
        "{text}"
    );
    browser
}

scenario!(a_head_imports_a_list_of_courses_checking_it_first);
async fn a_head_imports_a_list_of_courses_checking_it_first(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = world.units[0].id;
    let end = Local::now().date_naive() - Days::new(10);
    let start = end - Days::new(14);
    let date = |day: chrono::NaiveDate| day.format("%d.%m.%Y").to_string();
    // The kindergarten's own list as Excel saves it: `;`, Windows-1251; the second row names
    // somebody who does not work here.
    let list = format!(
        "ФИО;Программа;Организация;Часы;Дата начала;Дата окончания;Форма обучения;Номер удостоверения;Дата выдачи\r\n\
         Воспитатель 18-1;Цифровая образовательная среда ДОО;ГАУ ДПО ИРО;36;{s};{e};очная;7827 00041001;{e}\r\n\
         Никто Никтович;Цифровая образовательная среда ДОО;ГАУ ДПО ИРО;36;{s};{e};очная;7827 00041002;{e}\r\n",
        s = date(start),
        e = date(end)
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&list);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kpk.csv");
    std::fs::write(&file, &bytes).unwrap();

    browser.login("head18", PASSWORD).await;
    browser
        .visit(&format!("/kindergartens/{unit}/training"))
        .await;
    browser
        .client
        .find(fantoccini::Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    browser.click_text("Проверить файл").await;
    browser.check("training-import-check").await;
    let text = browser.text().await;
    // The columns as recognised; the bad row at its line and column; nothing written yet.
    assert!(text.contains("Дата окончания"), "{text}");
    assert!(text.contains("Новых записей к загрузке: 1"), "{text}");
    assert!(text.contains("Строк с ошибками: 1"), "{text}");
    assert!(
        text.contains("«Никто Никтович» нет среди сотрудников"),
        "{text}"
    );
    // The rows to fix come back as a file.
    let rejected = download(&app, &browser, "Скачать строки с ошибками (CSV для Excel)").await;
    let rejected = String::from_utf8(rejected).unwrap();
    assert!(rejected.contains("Никто Никтович"), "{rejected}");
    assert!(!rejected.contains("Воспитатель 18-1"), "{rejected}");

    browser
        .click_text("Загрузить только строки без ошибок (1)")
        .await;
    let text = browser.text().await;
    assert!(text.contains("Записи из файла загружены"), "{text}");
    assert!(text.contains("1 из 2"), "{text}");
    assert!(
        text.contains("Цифровая образовательная среда ДОО"),
        "{text}"
    );
    browser
}
