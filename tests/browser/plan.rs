//! The calendar plan of professional development (issue 28 §2) in the browser: from September's
//! deficits the methodist makes the plan on a laptop and downloads it; a head agrees it on a
//! phone; the methodist dates an event — the page asks for the reason the agreed plan needs — and
//! marks who attended, one for part of the hours; the tutor finds her events in «Мой календарь».

use chrono::Datelike;

use super::helpers::{PASSWORD, TestApp, World, strong_and_weak};
use super::{Browser, download, run};

scenario!(the_methodist_makes_the_plan_a_head_agrees_and_attendance_is_marked);
async fn the_methodist_makes_the_plan_a_head_agrees_and_attendance_is_marked(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    strong_and_weak(&app, &world).await;
    let weak = &world.units[0];
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/plan']").await;
    browser.check("plan-empty").await;
    browser
        .click_text("Составить проект плана по дефицитам")
        .await;
    let text = browser.text().await;
    assert!(
        text.contains("Проект плана составлен по дефицитам."),
        "{text}"
    );
    assert!(
        text.contains("1 ДОО и 3 педагога с дефицитом по области"),
        "{text}"
    );
    assert!(
        text.contains("ведущая ДОО — МДОУ № 55, сильная сторона"),
        "{text}"
    );
    assert!(text.contains("Согласовано 0 из 2 ДОО."), "{text}");
    browser.check("plan").await;
    let bytes = download(&app, &browser, "Скачать план (XLSX)").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("План").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "№ п/п",
            "Мероприятие",
            "Форма",
            "Сроки",
            "Ответственный",
            "Место проведения"
        ],
        "{rows:?}"
    );
    assert!(rows.len() > 12, "{rows:?}");
    let docx = download(&app, &browser, "Скачать план (DOCX)").await;
    assert!(docx.starts_with(b"PK"));
    browser.logout().await;

    // № 18's head agrees on her phone.
    browser.resize(360, 800).await;
    browser.login("head18", PASSWORD).await;
    browser.follow("a[href='/plan']").await;
    browser.check("plan-head-phone").await;
    browser.click_text("Согласовать план (редакция 1)").await;
    let text = browser.text().await;
    assert!(
        text.contains("План согласован от вашего детского сада."),
        "{text}"
    );
    assert!(text.contains("Согласовано 1 из 2 ДОО."), "{text}");
    browser.visit("/").await;
    browser.logout().await;

    // The methodist dates the first event: the agreed plan asks for the reason first.
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.visit("/plan").await;
    browser.follow("a[href='/plan/events/1/edit']").await;
    browser.check("plan-event").await;
    let today = chrono::Local::now().date_naive();
    let start = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let held = chrono::NaiveDate::from_ymd_opt(start, 10, 15).unwrap();
    browser.set_value("date", &held.to_string()).await;
    browser.click_text("Сохранить").await;
    let text = browser.text().await;
    assert!(text.contains("укажите причину изменения"), "{text}");
    browser.check("plan-event-error").await;
    browser.fill("reason", "дата согласована с МДОУ № 55").await;
    browser.click_text("Сохранить").await;
    let text = browser.text().await;
    assert!(text.contains("Мероприятие сохранено"), "{text}");
    assert!(text.contains("план изменён после согласования"), "{text}");
    assert!(
        text.contains("Причина: дата согласована с МДОУ № 55"),
        "{text}"
    );

    // It was held: two of № 18's teachers came, one for half the hours.
    if held <= today {
        browser.follow("a[href='/plan/events/1/attendance']").await;
        browser.check("plan-attendance").await;
        let (one, two) = (weak.teachers[0].0, weak.teachers[1].0);
        browser.click(&format!("#present-{one}")).await;
        browser.click(&format!("#present-{two}")).await;
        browser.fill(&format!("hours-{two}"), "3").await;
        browser.click_text("Сохранить участников").await;
        let text = browser.text().await;
        assert!(text.contains("Участники отмечены"), "{text}");
        assert!(
            text.contains(&format!(
                "проведено {}: 2 участника, 9 ак. ч.",
                held.format("%d.%m.%Y")
            )),
            "{text}"
        );
    }
    // A past school year: read only, with the years to choose.
    browser.visit("/plan?year=2020").await;
    let text = browser.text().await;
    assert!(
        text.contains("План прошедшего учебного года: только для чтения."),
        "{text}"
    );
    assert!(
        text.contains("План на этот учебный год не составлялся."),
        "{text}"
    );
    assert!(!text.contains("Составить проект плана"), "{text}");
    browser.check("plan-past").await;
    browser
        .follow(&format!("a[href='/plan?year={start}']"))
        .await;
    assert!(browser.text().await.contains("Составлен по результатам"));
    browser.visit("/").await;
    browser.logout().await;

    // The tutor of № 55 leads the modules and takes the tutor track: her calendar has them.
    browser.resize(360, 800).await;
    browser.login("teacher55-1", PASSWORD).await;
    browser.follow("a[href='/my-calendar']").await;
    browser.check("calendar-phone").await;
    let text = browser.text().await;
    assert!(text.contains("Модуль 1 курса"), "{text}");
    assert!(text.contains("Школа педагога-тьютора"), "{text}");
    browser
}
