//! Individual routes (issue 27): a teacher opens her prefilled route on a phone and sends it for
//! approval without typing; her head approves it and marks a row done; the department sees the
//! kindergarten's routes; another kindergarten's head does not find it.

use super::helpers::{PASSWORD, TestApp, World};
use super::{Browser, download, run, surveys_in_both_periods};

scenario!(a_teacher_sends_her_prefilled_route_and_her_head_approves_it);
async fn a_teacher_sends_her_prefilled_route_and_her_head_approves_it(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    surveys_in_both_periods(&app, &world).await;
    let unit = world.units[0].id;
    let (teacher, _) = &world.units[0].teachers[0];

    // On a phone: the route is there, prefilled from her May survey; she types nothing.
    browser.resize(360, 800).await;
    browser.login("teacher18-1", PASSWORD).await;
    browser.follow("a[href='/my-route']").await;
    browser.check("route-prefilled").await;
    let text = browser.text().await;
    assert!(text.contains("1. Паспорт"), "{text}");
    assert!(text.contains("Самооценка «"), "{text}");
    assert!(text.contains("май 2025"), "{text}");
    assert!(text.contains("черновик"), "{text}");
    assert!(text.contains("Ничего заполнять не нужно"), "{text}");
    assert!(
        !browser.has("button[value=approve]").await,
        "she never approves her own"
    );
    browser.click_text("Отправить на согласование").await;
    let text = browser.text().await;
    assert!(text.contains("Маршрут отправлен на согласование"), "{text}");
    assert!(text.contains("на согласовании"), "{text}");
    assert!(
        !browser.has("button[name=action]").await,
        "nothing more for her to do"
    );
    browser.visit("/").await;
    browser.logout().await;

    // Another kindergarten's head does not find it.
    browser.resize(1366, 900).await;
    browser.login("head55", PASSWORD).await;
    browser.visit(&format!("/people/{teacher}/route")).await;
    assert!(browser.text().await.contains("Страница не найдена"));
    browser.visit("/").await;
    browser.logout().await;

    // Her head sees it waiting in the kindergarten's list and approves it.
    browser.login("head18", PASSWORD).await;
    browser
        .follow(&format!("a[href='/kindergartens/{unit}/routes']"))
        .await;
    browser.check("routes-kindergarten").await;
    let text = browser.text().await;
    assert!(text.contains("Воспитатель 18-1"), "{text}");
    assert!(text.contains("на согласовании"), "{text}");
    browser
        .follow(&format!("a[href='/people/{teacher}/route']"))
        .await;
    browser.check("route-submitted").await;
    // Before approving she adds a row of her own to the plan.
    browser.follow("a[href$='/route/edit']").await;
    browser.check("route-edit").await;
    let new = browser
        .client
        .find_all(fantoccini::Locator::Css("input[id$='-task']"))
        .await
        .unwrap()
        .len()
        - 1;
    browser
        .fill(
            &format!("row-{new}-deficit"),
            "Работа с родителями в мессенджерах",
        )
        .await;
    browser
        .fill(&format!("row-{new}-task"), "Освоить чат группы")
        .await;
    browser
        .fill(
            &format!("row-{new}-activity"),
            "Семинар методического объединения",
        )
        .await;
    browser.click_text("Сохранить план").await;
    let text = browser.text().await;
    assert!(text.contains("План маршрута сохранён"), "{text}");
    assert!(text.contains("Освоить чат группы"), "{text}");
    browser.click_text("Утвердить").await;
    let text = browser.text().await;
    assert!(text.contains("Маршрут утверждён"), "{text}");
    assert!(text.contains("утверждён"), "{text}");
    // The approved route's rows can be marked done (when it has any).
    if browser.has("input[name='done-0']").await {
        browser.click("input[name='done-0']").await;
        browser.click_text("Сохранить отметки о выполнении").await;
        assert!(
            browser
                .text()
                .await
                .contains("Отметки о выполнении сохранены")
        );
    }
    // The DOCX is the same route.
    let bytes = download(&app, &browser, "Скачать DOCX").await;
    assert!(bytes.starts_with(b"PK"), "a DOCX is a zip");
    browser.visit("/").await;
    browser.logout().await;

    // The department sees each kindergarten's routes.
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/network/routes']").await;
    browser.check("routes-network").await;
    let text = browser.text().await;
    assert!(
        text.contains("МДОУ № 18") && text.contains("МДОУ № 55"),
        "{text}"
    );
    // Its XLSX: a row per kindergarten, № 18 with one route approved.
    let bytes = download(&app, &browser, "Скачать XLSX").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("Маршруты").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    let unit_18 = rows
        .iter()
        .find(|row| row[0] == "МДОУ № 18")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(unit_18[3], "1", "{rows:?}");
    assert!(
        workbook.worksheet_range("Педагоги").is_err(),
        "no names in the network's file"
    );
    browser
}
