//! What people did in the first week that went wrong: «Назад» after sending, leaving a form
//! right after an answer, one tap that deleted or reset something. Each scenario is what the
//! person does, on both databases.

use fantoccini::Locator;
use serde_json::Value;

use super::helpers::{PASSWORD, TestApp, World};
use super::{Browser, run, submissions};

/// The form's fields as the browser would post them.
async fn form_body(browser: &Browser) -> String {
    browser
        .client
        .execute(
            "var form = document.getElementById('form');
             return new URLSearchParams(new FormData(form)).toString();",
            Vec::new(),
        )
        .await
        .expect("the form is read")
        .as_str()
        .expect("a string")
        .to_owned()
}

/// Posts `body` (with `action=send`) to `path` from the page, as a page left open in another tab
/// would; answers the final address.
async fn post_again(browser: &Browser, path: &str, body: &str) -> (u64, String) {
    browser
        .fetch(&format!(
            "var data = new URLSearchParams({body:?}); data.set('action', 'send');
             return fetch({path:?}, {{method: 'POST', body: data}});"
        ))
        .await
}

/// The status of a sign-in with the demo password.
async fn login_status(app: &TestApp, login: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "login": login, "password": PASSWORD }))
        .send()
        .await
        .expect("request sent")
        .status()
        .as_u16()
}

/// Waits (up to 5 s) for the page shown to say `text`: a page restored by «Назад» is asked for
/// again by its script.
async fn wait_for_page_text(browser: &Browser, text: &str) -> String {
    let mut said = String::new();
    for _ in 0..50 {
        said = browser.text().await;
        if said.contains(text) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    said
}

/// The position of `needle` in the page's text.
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("«{needle}» in {text}"))
}

scenario!(a_teacher_who_goes_back_after_sending_sees_her_result_and_sends_nothing_twice);
/// Issue 23 §2 and §17: a refused send shows the errors on a page of its own, so «Назад» after
/// sending never asks to resubmit a form and never shows a sent form as one to fill; a stale
/// page sent again keeps its answers as a correction's draft, which the list shows; forms
/// waiting for her come first.
async fn a_teacher_who_goes_back_after_sending_sees_her_result_and_sends_nothing_twice(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    browser.login("teacher18-1", PASSWORD).await;
    browser.visit("/forms/dc-teacher/2024-09").await;
    browser.answer_all(Some(10)).await;
    let stale = form_body(&browser).await;
    browser.click_text("Отправить").await;
    // The errors are a page of its own (a GET): reloading it or coming back to it sends nothing.
    assert_eq!(
        browser.path().await,
        "/forms/dc-teacher/2024-09?check=1",
        "a refused send answers with a redirect"
    );
    assert!(browser.has("#error-summary").await);
    assert_eq!(
        browser
            .client
            .find(Locator::Id("progress-count"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "10",
        "what she answered is kept"
    );
    browser.check("survey-errors-after-redirect").await;
    browser.answer_all(None).await;
    browser.click_text("Отправить").await;
    let result = browser.path().await;
    assert!(result.starts_with("/submissions/"), "{result}");
    let id: String = result["/submissions/".len()..]
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    // «Назад»: her result, with what to do — not the form, errors, a live button or autosave.
    browser.client.back().await.unwrap();
    wait_for_page_text(&browser, "уже отправлена").await;
    let path = browser.path().await;
    assert!(
        path.starts_with(&format!("/submissions/{id}")),
        "{path}: {}",
        browser.text().await
    );
    let text = browser.text().await;
    assert!(text.contains("уже отправлена"), "{text}");
    assert!(!text.contains("Исправьте"), "{text}");
    assert!(!browser.has("#form").await, "no form to send again");

    // The page she had open before sending, sent again: nothing is stored twice, and what it
    // held becomes a correction's draft that her list shows.
    let (status, url) = post_again(&browser, "/forms/dc-teacher/2024-09", &stale).await;
    assert_eq!(status, 200, "{url}");
    assert!(
        url.contains(&format!("/submissions/{id}?done=kept-correction")),
        "{url}"
    );
    assert_eq!(
        submissions(&app, &world.manager, "dc-teacher", "2024-09")
            .await
            .len(),
        1
    );
    browser.visit("/forms").await;
    browser.check("forms-with-correction-draft").await;
    let text = browser.text().await;
    assert!(text.contains("есть черновик исправления"), "{text}");
    // What waits for her comes first: May (not started) before September (sent).
    assert!(
        at(&text, "2025-05") < at(&text, "2024-09"),
        "the waiting form is first: {text}"
    );
    browser.click_text("Продолжить исправление").await;
    assert_eq!(browser.path().await, format!("/submissions/{id}/correct"));
    assert_eq!(
        browser
            .client
            .find(Locator::Id("progress-count"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "10",
        "the correction's draft holds what the stale page held"
    );

    // §5: deleting the draft asks first; «Отмена» keeps it.
    browser.click_text("Удалить черновик").await;
    assert_eq!(
        browser.path().await,
        format!("/submissions/{id}/correct/discard")
    );
    browser.check("discard-confirmation").await;
    let text = browser.text().await;
    assert!(text.contains("В черновике 10 ответов"), "{text}");
    browser.click_text("Отмена").await;
    assert!(browser.has("input[name='a.A0.1.1']:checked").await);
    browser.click_text("Удалить черновик").await;
    browser
        .follow("form[action$='/discard'] button.primary")
        .await;
    assert!(browser.text().await.contains("Черновик удалён"));
    browser.visit("/forms").await;
    let text = browser.text().await;
    assert!(!text.contains("черновик исправления"), "{text}");
    assert!(text.contains("отправлена"), "{text}");
    browser
}

scenario!(an_answer_tapped_just_before_leaving_the_survey_is_saved);
/// Issue 23 §4: she taps an answer and at once «Мои анкеты», within the two seconds autosave
/// waits: the answer is in her draft all the same.
async fn an_answer_tapped_just_before_leaving_the_survey_is_saved(
    _app: TestApp,
    _world: World,
    mut browser: Browser,
) -> Browser {
    browser.login("teacher18-1", PASSWORD).await;
    browser.visit("/forms/dc-teacher/2025-05").await;
    browser.answer("A0.1.1", "2").await;
    browser.click_text("Мои анкеты").await;
    // The page's last save travels as the page goes; give it the moment a network needs.
    let mut text = String::new();
    for _ in 0..50 {
        browser.visit("/forms").await;
        text = browser.text().await;
        if text.contains("черновик") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(text.contains("Состояние: черновик"), "{text}");
    browser.click_text("Продолжить").await;
    assert!(
        browser
            .has("input[name='a.A0.1.1'][value='2']:checked")
            .await,
        "the answer tapped before leaving is kept"
    );
    // A save that fails says so, with the reason.
    let said = browser
        .client
        .execute_async(
            "var done = arguments[arguments.length - 1];
             var form = document.getElementById('form');
             var data = new URLSearchParams(new FormData(form));
             data.set('action', 'draft'); data.set('a.A0.1.1', 'x'.repeat(100));
             fetch(form.getAttribute('action'), {method: 'POST', body: data, headers: {'X-Autosave': '1'}})
               .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); });",
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(said[0], Value::from(422), "{said:?}");
    let reason = said[1].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("Черновик не сохранён: ")
            && reason.len() > "Черновик не сохранён: ".len() + 10,
        "the reason is given: {reason}"
    );
    assert!(
        !reason.contains("Черновик не сохранён: Черновик"),
        "{reason}"
    );
    browser
}

scenario!(a_parent_who_goes_back_after_answering_is_counted_once);
/// Issue 23 §1: after sending, «Назад» shows that this device has answered — no form — and the
/// form sent again (a page kept open) is the same response: the dashboard counts one parent.
async fn a_parent_who_goes_back_after_answering_is_counted_once(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = world.units[0].id;
    browser.login("head18", PASSWORD).await;
    browser.visit(&format!("/kindergartens/{unit}/links")).await;
    // Issue 23 §18: the current period (the latest open one, none being under way) is chosen.
    assert_eq!(
        browser.selected("period").await,
        "2025-05 (01.05.2025 – 31.05.2025)"
    );
    browser.select("target", "Радуга (старшая)").await;
    browser.click_text("Открыть и распечатать").await;
    let url = browser
        .client
        .find(Locator::Css(".sheet code.url"))
        .await
        .expect("the link is printed")
        .text()
        .await
        .unwrap();
    browser.logout().await;
    browser.client.delete_all_cookies().await.unwrap();

    browser.resize(360, 740).await;
    browser.client.goto(&url).await.unwrap();
    browser.answer_all(None).await;
    let kept_open = form_body(&browser).await;
    let path = url[app.address.len()..].to_owned();
    browser.click_text("Отправить ответы").await;
    assert_eq!(browser.path().await, "/s/thanks");
    let count = || async {
        submissions(&app, &world.manager, "parent-satisfaction", "2025-05")
            .await
            .len()
    };
    assert_eq!(count().await, 1);

    // «Назад»: this device has answered; no form to send a second time.
    browser.client.back().await.unwrap();
    let text = wait_for_page_text(&browser, "Вы уже ответили").await;
    assert!(text.contains("Вы уже ответили"), "{text}");
    assert!(text.contains("отдельную ссылку"), "{text}");
    assert!(!browser.has("#form").await, "no form: {text}");
    browser.check("parent-already-answered").await;
    // Opening the link again on this device: the same.
    browser.client.goto(&url).await.unwrap();
    assert!(browser.text().await.contains("Вы уже ответили"));

    // The form kept open in another tab, sent again — even with an answer changed: the same
    // response, and the parent is told so.
    let (_, answered) = post_again(&browser, &path, &kept_open).await;
    assert!(answered.ends_with("/s/thanks?again=1"), "{answered}");
    // An answer changed, never the form's key (which may itself begin with a «3»).
    let changed = kept_open
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, "3")) if name != "idempotency_key" => format!("{name}=2"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    assert_ne!(changed, kept_open);
    assert!(changed.contains(&kept_open[..kept_open.find('&').unwrap()]));
    let (_, answered) = post_again(&browser, &path, &changed).await;
    assert!(answered.ends_with("/s/thanks?again=1"), "{answered}");
    browser.visit("/s/thanks?again=1").await;
    assert!(browser.text().await.contains("уже были приняты"));
    assert_eq!(count().await, 1, "one parent, one response");

    // Another device (no cookies: those of the link's address, deleted from there) answers
    // through the same link as a new parent.
    browser.client.goto(&url).await.unwrap();
    browser.client.delete_all_cookies().await.unwrap();
    browser.client.goto(&url).await.unwrap();
    assert!(browser.has("#form").await);
    browser.answer_all(None).await;
    browser.click_text("Отправить ответы").await;
    assert_eq!(count().await, 2);
    browser
}

scenario!(a_head_is_asked_before_a_link_is_closed_or_a_password_reset);
/// Issue 23 §5: «Закрыть» a parents' link and «Сбросить пароль» open a page that says what will
/// happen; «Отмена» changes nothing.
async fn a_head_is_asked_before_a_link_is_closed_or_a_password_reset(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = world.units[0].id;
    browser.login("head18", PASSWORD).await;
    browser.visit(&format!("/kindergartens/{unit}/links")).await;
    browser
        .select("period", "2025-05 (01.05.2025 – 31.05.2025)")
        .await;
    browser.select("target", "Радуга (старшая)").await;
    browser.click_text("Открыть и распечатать").await;
    browser.visit(&format!("/kindergartens/{unit}/links")).await;
    browser.click_text("Закрыть ссылку: группа «Радуга»").await;
    assert!(browser.path().await.ends_with("/close"));
    browser.check("link-close-confirmation").await;
    let text = browser.text().await;
    assert!(
        text.contains("ответы больше не будут приниматься"),
        "{text}"
    );
    browser.click_text("Отмена").await;
    assert!(browser.text().await.contains("принимает ответы"));
    browser.click_text("Закрыть ссылку: группа «Радуга»").await;
    browser
        .follow("form[action$='/close'] button.primary")
        .await;
    assert!(browser.text().await.contains("Ссылка закрыта"));

    // The teacher's password: one tap asks, «Отмена» keeps the old one working.
    browser.visit(&format!("/kindergartens/{unit}/staff")).await;
    browser.click_text("Сбросить пароль для teacher18-1").await;
    browser.check("password-reset-confirmation").await;
    assert!(
        browser
            .text()
            .await
            .contains("Прежний пароль перестанет действовать")
    );
    browser.click_text("Отмена").await;
    assert_eq!(login_status(&app, "teacher18-1").await, 200);
    browser.click_text("Сбросить пароль для teacher18-1").await;
    browser
        .follow("form[action$='/reset-password'] button.primary")
        .await;
    assert!(browser.text().await.contains("сброшен"));
    assert_eq!(login_status(&app, "teacher18-1").await, 401);
    browser
}

scenario!(an_address_without_its_parameters_answers_a_russian_page);
/// Issue 23 §22: a справка without its instrument or period opens the dashboard whose filters
/// choose them; an address a page cannot read answers a Russian page, never problem+json.
async fn an_address_without_its_parameters_answers_a_russian_page(
    _app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = world.units[0].id;
    browser.login("manager", PASSWORD).await;
    for (asked, opened) in [
        (
            "/network/spravka".to_owned(),
            "/network/dashboard".to_owned(),
        ),
        (
            "/network/spravka.docx?period=2025-05".to_owned(),
            "/network/dashboard?".to_owned(),
        ),
        (
            "/network/spravka?instrument=nope&period=2099-01".to_owned(),
            "/network/dashboard".to_owned(),
        ),
        (
            format!("/kindergartens/{unit}/spravka"),
            format!("/kindergartens/{unit}/dashboard"),
        ),
    ] {
        browser.visit(&asked).await;
        let path = browser.path().await;
        assert!(path.starts_with(&opened), "{asked} → {path}");
        assert!(browser.has("#f-instrument").await, "{asked}: the filters");
    }
    for asked in [
        "/kindergartens/abc",
        "/imports/abc",
        "/submissions/x/correct",
    ] {
        browser.visit(asked).await;
        let text = browser.text().await;
        assert!(text.contains("Страница не найдена"), "{asked}: {text}");
        assert!(!browser.source().await.contains("\"status\""), "{asked}");
    }
    browser.check("address-not-found").await;
    browser
}

scenario!(a_head_sees_who_has_not_filled_the_survey_and_the_department_sees_each_kindergarten);
/// Issue 23 §19: in the survey week the head sees, teacher by teacher, who has sent the survey,
/// who has a draft and who has not started — those to remind first — and the department sees
/// the same counted per kindergarten.
async fn a_head_sees_who_has_not_filled_the_survey_and_the_department_sees_each_kindergarten(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let unit = &world.units[0];
    // Воспитатель 18-2 sends her May survey; Воспитатель 18-1 saves a draft in the browser.
    let form = app.instrument(&world.manager, "dc-teacher").await;
    super::helpers::created(
        app.submit(
            &unit.teachers[1].1,
            "completion-sent",
            &serde_json::json!({"instrument": "dc-teacher", "period": "2025-05",
                "answers": super::helpers::answers(&form, 3)}),
        )
        .await,
    )
    .await;
    browser.login("teacher18-1", PASSWORD).await;
    browser.visit("/forms/dc-teacher/2025-05").await;
    browser.answer("A0.1.1", "2").await;
    browser.click_text("Сохранить черновик").await;
    browser.logout().await;

    browser.login("head18", PASSWORD).await;
    browser
        .visit(&format!("/kindergartens/{}/staff", unit.id))
        .await;
    let text = browser.text().await;
    assert!(text.contains("Кто заполнил анкеты"), "{text}");
    browser.click_text("Список по сотрудникам").await;
    assert!(
        browser
            .path()
            .await
            .starts_with(&format!("/kindergartens/{}/completion", unit.id))
    );
    browser
        .select("period", "2025-05 (01.05.2025 – 31.05.2025)")
        .await;
    browser.click_text("Показать").await;
    browser.check("completion-kindergarten").await;
    let text = browser.text().await;
    assert!(
        text.contains("отправили 1 из 2 (50,0 %), черновик — 1, не начата — 0"),
        "{text}"
    );
    let rows: Vec<String> = {
        let mut rows = Vec::new();
        for row in browser
            .client
            .find_all(Locator::Css("table tbody tr"))
            .await
            .unwrap()
        {
            rows.push(row.text().await.unwrap());
        }
        rows
    };
    assert_eq!(rows.len(), 2, "the head is not listed: {rows:?}");
    assert!(
        rows[0].contains("Воспитатель 18-1") && rows[0].contains("черновик"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Воспитатель 18-2") && rows[1].contains("отправлена"),
        "{rows:?}"
    );
    browser.logout().await;

    browser.login("manager", PASSWORD).await;
    browser.click_text("Заполнение").await;
    browser
        .select("period", "2025-05 (01.05.2025 – 31.05.2025)")
        .await;
    browser.click_text("Показать").await;
    browser.check("completion-network").await;
    let text = browser.text().await;
    assert!(
        text.contains("вся сеть: отправили 1 из 4 (25,0 %), черновик — 1, не начата — 2"),
        "{text}"
    );
    assert!(
        text.contains("МДОУ № 18") && text.contains("МДОУ № 55"),
        "{text}"
    );
    browser
}

scenario!(the_department_opens_on_the_latest_period_with_enough_data);
/// Issue 23 §18: September and May are filled by every teacher; one teacher has begun the new
/// period. The network dashboard opens on May — the latest period with enough data — not on the
/// new one with one form in four; the new one is still there to choose, and says why it has no
/// level.
async fn the_department_opens_on_the_latest_period_with_enough_data(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    super::surveys_in_both_periods(&app, &world).await;
    super::helpers::created(
        app.post_as(
            &world.manager,
            "/api/v1/periods",
            &serde_json::json!({"code": "2025-09", "starts_on": "2025-09-01", "ends_on": "2025-09-30"}),
        )
        .await,
    )
    .await;
    let form = app.instrument(&world.manager, "dc-teacher").await;
    super::helpers::created(
        app.submit(
            &world.units[0].teachers[0].1,
            "new-period",
            &serde_json::json!({"instrument": "dc-teacher", "period": "2025-09",
                "answers": super::helpers::answers(&form, 1)}),
        )
        .await,
    )
    .await;
    browser.login("manager", PASSWORD).await;
    browser.visit("/network/dashboard").await;
    browser.check("network-dashboard-default").await;
    assert!(
        browser.selected("f-period").await.starts_with("2025-05"),
        "{}",
        browser.selected("f-period").await
    );
    assert!(
        browser.source().await.contains("value=\"2025-09\""),
        "the new period can be chosen"
    );
    browser.visit("/network/dashboard?period=2025-09").await;
    let text = browser.text().await;
    assert!(
        text.contains("Недостаточно данных") || text.contains("недостаточно данных"),
        "{text}"
    );
    browser
}

/// A Forms export of the teachers' survey: the timestamp, the full name, then a column per
/// question under its own text. `rows`: (full name, shift of the answers, text of the first
/// answer instead of its number).
fn forms_export(form: &Value, rows: &[(&str, usize, Option<&str>)]) -> Vec<u8> {
    let quote = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
    let mut header = vec![quote("Отметка времени"), quote("ФИО")];
    for area in form["areas"].as_array().unwrap() {
        for indicator in area["indicators"].as_array().unwrap() {
            for item in indicator["items"].as_array().unwrap() {
                header.push(quote(item["text"].as_str().unwrap()));
            }
        }
    }
    let mut out = header.join(",") + "\n";
    for (name, shift, first) in rows {
        let mut cells = vec![quote("2025/05/15 10:23:45 AM GMT+3"), quote(name)];
        for (index, answer) in super::helpers::answers(form, *shift).iter().enumerate() {
            cells.push(match (index, first) {
                (0, Some(text)) => quote(text),
                _ => quote(&answer["value"].to_string()),
            });
        }
        out += &(cells.join(",") + "\n");
    }
    out.into_bytes()
}

scenario!(a_head_imports_the_rows_without_errors_and_downloads_the_others_to_fix);
/// Issue 23 §20: one unknown teacher does not block a file. The head gives the answer a form
/// worded its own way a place on the question's scale by choosing it, not by typing a number;
/// imports the two good rows; and downloads the one in error, with what to fix, to upload again.
async fn a_head_imports_the_rows_without_errors_and_downloads_the_others_to_fix(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let form = app.instrument(&world.manager, "dc-teacher").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Ответы.csv");
    std::fs::write(
        &file,
        forms_export(
            &form,
            &[
                ("Воспитатель 18-1", 3, Some("Иногда пробую")),
                ("Воспитатель 18-2", 4, None),
                ("Петрова Анна Сергеевна", 5, None),
            ],
        ),
    )
    .unwrap();
    browser.login("head18", PASSWORD).await;
    browser.visit("/imports/new").await;
    browser
        .client
        .find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    browser.click_text("Загрузить и проверить").await;
    browser.check("import-partial-check").await;

    // The answer label is chosen among the scale's options.
    assert!(
        browser.has("select#label-0 option[value='1']").await,
        "the scale's options to choose from: {}",
        browser.text().await
    );
    browser.select_value("label-0", "1").await;
    browser.click_text("Проверить снова").await;
    let text = browser.text().await;
    assert!(!text.contains("Нераспознанные ответы"), "{text}");
    assert!(text.contains("Петрова Анна Сергеевна"), "{text}");
    assert!(
        browser.has("button[value=commit][disabled]").await,
        "not every row can be imported: {text}"
    );
    assert!(
        text.contains("Импортировать только строки без ошибок (2)"),
        "{text}"
    );

    // The rows in error as a file to fix: the file's columns, its line and what to fix.
    let (status, csv) = browser
        .fetch(
            "var form = document.getElementById('mapping');
             var data = new URLSearchParams(new FormData(form)); data.set('action', 'rejected');
             var answer = await fetch(form.getAttribute('action'), {method: 'POST', body: data});
             return {status: answer.status, url: await answer.text()};",
        )
        .await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "a header and the one row in error: {csv}");
    assert!(lines[0].contains("Что исправить"), "{csv}");
    assert!(
        lines[1].contains("Петрова Анна Сергеевна") && lines[1].contains(";4;"),
        "{csv}"
    );

    browser
        .click_text("Импортировать только строки без ошибок (2)")
        .await;
    browser.check("import-partial-done").await;
    let text = browser.text().await;
    assert!(
        text.contains("Создано форм\n2") || text.contains("Создано форм 2"),
        "{text}"
    );
    assert!(text.contains("Не загружено из-за ошибок"), "{text}");
    assert!(
        browser.has("button[value=rejected]").await,
        "the rows in error can still be downloaded"
    );
    assert_eq!(
        submissions(&app, &world.manager, "dc-teacher", "2025-05")
            .await
            .len(),
        2
    );
    browser
}

scenario!(a_methodist_sets_the_coverage_the_network_conclusions_need);
/// Issue 23 §8: the least coverage for conclusions is the network's setting, on «Сеть»: a
/// wrong entry is refused at its field, a right one is saved and said.
async fn a_methodist_sets_the_coverage_the_network_conclusions_need(
    app: TestApp,
    _world: World,
    mut browser: Browser,
) -> Browser {
    browser.login("manager", PASSWORD).await;
    browser.visit("/network").await;
    browser.check("network-rules").await;
    assert!(
        browser
            .text()
            .await
            .contains("не менее 50,0 % (по умолчанию)")
            || browser
                .text()
                .await
                .contains("не менее 50,0\u{a0}% (по умолчанию)"),
        "{}",
        browser.text().await
    );
    browser.fill("min_coverage_percent", "сто").await;
    browser.click_text("Сохранить правило").await;
    let text = browser.text().await;
    assert!(text.contains("целое число процентов"), "{text}");
    assert!(browser.has("#error-summary").await, "{text}");
    browser.fill("min_coverage_percent", "80").await;
    browser.click_text("Сохранить правило").await;
    let text = browser.text().await;
    assert!(text.contains("Правило охвата сохранено"), "{text}");
    assert!(text.contains("не менее 80,0"), "{text}");
    let network: Value = app
        .client
        .get(app.url("/api/v1/network"))
        .bearer_auth(app.login("manager").await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(network["min_coverage_percent"], 80.0, "{network}");
    browser
}
