//! Mentoring pairs (issue 28 §1) in the browser: the department has proposed a pair of teachers;
//! each head, on a phone, agrees it from «Наставничество»; the teacher's route then names her
//! mentor; a head withdraws another pair after the page that asks first.

use super::helpers::{self, PASSWORD, TestApp, World};
use super::{Browser, run};

scenario!(both_heads_agree_a_pair_and_the_route_names_the_mentor);
async fn both_heads_agree_a_pair_and_the_route_names_the_mentor(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let (a, b) = (&world.units[0], &world.units[1]);
    for (area, people) in [("A1", true), ("A2", false)] {
        let mut body = serde_json::json!({"instrument": "dc-teacher", "area": area,
            "mentee_kindergarten_id": a.id, "mentor_kindergarten_id": b.id});
        if people {
            body["mentee_person_id"] = a.teachers[0].0.into();
            body["mentor_person_id"] = b.teachers[0].0.into();
        }
        helpers::created(
            app.post_as(&world.manager, "/api/v1/mentoring-pairs", &body)
                .await,
        )
        .await;
    }
    browser.resize(360, 800).await;
    for (login, unit) in [("head18", a.id), ("head55", b.id)] {
        browser.login(login, PASSWORD).await;
        browser
            .follow(&format!("a[href='/kindergartens/{unit}/mentoring']"))
            .await;
        browser.check(&format!("mentoring-{login}")).await;
        let text = browser.text().await;
        assert!(
            text.contains("Воспитатель 18-1 (МДОУ № 18) — наставник Воспитатель 55-1 (МДОУ № 55)"),
            "{text}"
        );
        browser
            .click_text("Согласовать: Воспитатель 18-1 (МДОУ № 18) — Воспитатель 55-1 (МДОУ № 55)")
            .await;
        let text = browser.text().await;
        assert!(text.contains("Пара согласована с вашей стороны."), "{text}");
        browser.visit("/").await;
        browser.logout().await;
    }
    // Both agreed: confirmed, and her route says who her mentor is.
    browser.login("teacher18-1", PASSWORD).await;
    browser.follow("a[href='/my-route']").await;
    let text = browser.text().await;
    assert!(
        text.contains("Воспитатель 55-1 (МДОУ № 55)"),
        "the passport names the mentor: {text}"
    );
    browser.visit("/").await;
    browser.logout().await;
    // The mentor's head withdraws the pair of kindergartens — after the page that asks.
    browser.resize(1366, 900).await;
    browser.login("head55", PASSWORD).await;
    browser
        .visit(&format!("/kindergartens/{}/mentoring", b.id))
        .await;
    let text = browser.text().await;
    assert!(text.contains("подтверждена обоими заведующими"), "{text}");
    browser
        .click_text("Отозвать пару: МДОУ № 18 — МДОУ № 55")
        .await;
    browser.check("mentoring-withdraw").await;
    assert!(
        browser
            .text()
            .await
            .contains("Отозвать наставническую пару?")
    );
    browser.click_text("Отозвать пару").await;
    let text = browser.text().await;
    assert!(text.contains("Пара отозвана."), "{text}");
    assert!(text.contains("Пара отозвана. "), "{text}");
    browser
}
