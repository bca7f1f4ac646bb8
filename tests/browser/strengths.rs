//! The strengths matrix (issue 28 §1): the methodist opens it from the menu on a phone and on a
//! laptop; with two teachers a kindergarten, no kindergarten has enough answers for a conclusion,
//! and the page says so rather than guess; its file has a row per kindergarten and area.

use super::helpers::{TestApp, World};
use super::{Browser, download, run, surveys_in_both_periods};

scenario!(the_methodist_reads_the_strengths_matrix_and_downloads_it);
async fn the_methodist_reads_the_strengths_matrix_and_downloads_it(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    surveys_in_both_periods(&app, &world).await;
    browser.resize(360, 800).await;
    browser.login("manager", super::helpers::PASSWORD).await;
    browser.follow("a[href='/network/strengths']").await;
    browser.check("strengths-phone").await;
    let text = browser.text().await;
    assert!(
        text.contains("Сильная сторона: средний результат"),
        "{text}"
    );
    assert!(text.contains("недостаточно данных"), "{text}");
    assert!(
        text.contains("Сильных сторон — 0, дефицитов — 0"),
        "two answers a kindergarten decide nothing: {text}"
    );
    assert!(text.contains("Дефицитов нет — пары не нужны."), "{text}");
    assert!(text.contains("Наставнические пары педагогов"), "{text}");
    // The earlier period, chosen in the form.
    browser.resize(1366, 900).await;
    browser.select_value("s-period", "2024-09").await;
    browser.click_text("Показать").await;
    assert!(browser.path().await.starts_with("/network/strengths"));
    assert_eq!(
        browser.selected("s-period").await,
        "2024-09 (01.09.2024 – 30.09.2024)"
    );
    browser.check("strengths").await;
    let bytes = download(&app, &browser, "Скачать XLSX").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("Матрица").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "Детский сад", "{rows:?}");
    let areas = rows.iter().filter(|row| row[0] == "МДОУ № 18").count();
    assert!(areas >= 5, "a row per area: {rows:?}");
    assert!(
        rows.iter()
            .skip(1)
            .all(|row| row[3] == "недостаточно данных"),
        "{rows:?}"
    );
    browser
}
