//! The management cycle (issue 28 §3) in the browser: September's matrix shows № 18's deficits;
//! the methodist makes a recommendation from one — the form comes prefilled — and reads its
//! effect in May; the head answers it on her phone; the register filters by effect and is a file.

use super::helpers::{
    PASSWORD, TestApp, World, answers_high, answers_with_roles, created, with_more_teachers,
};
use super::{Browser, download, run};

scenario!(a_recommendation_from_the_matrix_is_answered_and_its_effect_read);
async fn a_recommendation_from_the_matrix_is_answered_and_its_effect_read(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let weak = &world.units[0];
    let tokens = with_more_teachers(&app, weak, 18, 1).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    let area = survey["areas"][0]["code"].as_str().unwrap().to_owned();
    for (index, token) in tokens.iter().enumerate() {
        for (period, high) in [("2024-09", false), ("2025-05", index == 0)] {
            let answers = if high {
                answers_high(&survey, false)
            } else {
                answers_with_roles(&survey, [0, 0, 0])
            };
            created(
                app.submit(
                    token,
                    period,
                    &serde_json::json!({"instrument": "dc-teacher", "period": period, "answers": answers}),
                )
                .await,
            )
            .await;
        }
    }
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser
        .visit("/network/strengths?instrument=dc-teacher&period=2024-09")
        .await;
    browser
        .click_text(&format!("Рекомендация: МДОУ № 18, {area}"))
        .await;
    browser.check("recommendation-new").await;
    let text = browser.text().await;
    assert!(text.contains("Новая рекомендация"), "{text}");
    assert!(!browser.value("text").await.is_empty(), "prefilled");
    assert!(
        browser.value("responsible").await.contains("МДОУ № 18"),
        "the head is responsible"
    );
    browser.click_text("Сохранить рекомендацию").await;
    let text = browser.text().await;
    assert!(text.contains("Рекомендация сохранена"), "{text}");
    assert!(text.contains("дефицит закрыт"), "May closed it: {text}");
    browser.check("recommendation").await;
    browser.visit("/").await;
    browser.logout().await;

    // The head answers on her phone.
    browser.resize(360, 800).await;
    browser.login("head18", PASSWORD).await;
    browser.follow("a[href='/recommendations']").await;
    browser.check("register-head-phone").await;
    browser.follow("ol.people a").await;
    browser.click_text("Ответить").await;
    assert!(browser.text().await.contains("напишите ответ"));
    browser
        .fill("answer", "Педагоги записаны на модуль курса в октябре")
        .await;
    browser.click_text("Ответить").await;
    let text = browser.text().await;
    assert!(text.contains("Ответ сохранён."), "{text}");
    assert!(text.contains("ответ получен"), "{text}");
    // The справка of September names it with its responsible and due date; May's says what it
    // achieved.
    browser
        .visit(&format!(
            "/kindergartens/{}/spravka?instrument=dc-teacher&period=2024-09",
            weak.id
        ))
        .await;
    let text = browser.text().await;
    assert!(
        text.contains("Адресные рекомендации и управленческие решения"),
        "{text}"
    );
    assert!(
        text.contains("Ответ: Педагоги записаны на модуль курса в октябре."),
        "{text}"
    );
    browser
        .visit(&format!(
            "/kindergartens/{}/spravka?instrument=dc-teacher&period=2025-05",
            weak.id
        ))
        .await;
    let text = browser.text().await;
    assert!(text.contains("Оценка эффективности принятых мер"), "{text}");
    assert!(
        text.contains(&format!("МДОУ № 18, {area}")) && text.contains("— дефицит закрыт."),
        "{text}"
    );
    browser.check("spravka-cycle-phone").await;
    browser.visit("/").await;
    browser.logout().await;

    // The register, filtered by effect, and its file.
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/recommendations']").await;
    browser.select_value("f-effect", "worse").await;
    browser.click_text("Показать").await;
    assert!(
        browser
            .text()
            .await
            .contains("Рекомендаций с такими условиями нет."),
    );
    browser.select_value("f-effect", "closed").await;
    browser.click_text("Показать").await;
    let text = browser.text().await;
    assert!(text.contains("МДОУ № 18:"), "{text}");
    assert!(text.contains("Оценка эффективности принятых мер"), "{text}");
    browser.check("register").await;
    let bytes = download(&app, &browser, "Скачать реестр (XLSX)").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("Рекомендации").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][14], "дефицит закрыт", "{rows:?}");
    browser
}
