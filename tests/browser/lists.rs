//! The lists of people (issue 27): a teacher puts herself on the motivated list from her results
//! on a phone; her head agrees the kindergarten's list and confirms a tutor; another kindergarten's
//! head and a teacher do not open it; the methodist sees which kindergartens agreed and downloads
//! the network's agreed list.

use super::helpers::{self, PASSWORD, TestApp, World, answers_with_roles};
use super::{Browser, download, run};

scenario!(a_head_agrees_the_motivated_list_and_the_methodist_downloads_it);
async fn a_head_agrees_the_motivated_list_and_the_methodist_downloads_it(
    app: TestApp,
    world: World,
    mut browser: Browser,
) -> Browser {
    let period = helpers::september_of_this_school_year(&app, &world).await;
    let survey = app.instrument(&world.manager, "dc-teacher").await;
    // Teacher 18-1 wants to develop and offers to tutor; 18-2 has not decided; 55-1 wants to.
    for (token, roles) in [
        (&world.units[0].teachers[0].1, [2, 2, 0]),
        (&world.units[0].teachers[1].1, [1, 0, 0]),
        (&world.units[1].teachers[0].1, [2, 0, 0]),
    ] {
        helpers::created(
            app.submit(
                token,
                "lists",
                &serde_json::json!({"instrument": "dc-teacher", "period": period,
                    "answers": answers_with_roles(&survey, roles)}),
            )
            .await,
        )
        .await;
    }
    let unit = world.units[0].id;

    // On a phone, the undecided teacher puts herself on the list from her results.
    browser.resize(360, 800).await;
    browser.login("teacher18-2", PASSWORD).await;
    browser.visit("/results").await;
    let text = browser.text().await;
    assert!(
        text.contains("Вас нет в списке сотрудников, мотивированных"),
        "{text}"
    );
    browser.click_text("Включить меня в список").await;
    let text = browser.text().await;
    assert!(text.contains("Решение сохранено"), "{text}");
    assert!(
        text.contains("Вы в списке сотрудников, мотивированных"),
        "{text}"
    );
    browser.check("results-motivated").await;
    // The kindergarten's list is not a teacher's page.
    browser
        .visit(&format!("/kindergartens/{unit}/lists/motivated"))
        .await;
    assert!(browser.text().await.contains("Доступ запрещён"));
    browser.visit("/").await;
    browser.logout().await;

    // Another kindergarten's head does not find it.
    browser.login("head55", PASSWORD).await;
    browser
        .visit(&format!("/kindergartens/{unit}/lists/motivated"))
        .await;
    assert!(browser.text().await.contains("Страница не найдена"));
    browser.visit("/").await;
    browser.logout().await;

    // Her head, on a phone too, agrees the list as it stands and confirms the tutor.
    browser.login("head18", PASSWORD).await;
    browser
        .follow(&format!("a[href='/kindergartens/{unit}/lists/motivated']"))
        .await;
    browser.check("lists-kindergarten").await;
    let text = browser.text().await;
    assert!(
        text.contains("Воспитатель 18-1") && text.contains("Воспитатель 18-2"),
        "{text}"
    );
    assert!(text.contains("включил(а) себя в список сам(а)"), "{text}");
    assert!(text.contains("Список не согласован"), "{text}");
    browser.click_text("Согласовать список (2 человека)").await;
    let text = browser.text().await;
    assert!(text.contains("Список согласован."), "{text}");
    assert!(text.contains("Список согласован заведующим"), "{text}");
    browser
        .follow(&format!("a[href='/kindergartens/{unit}/lists/tutors']"))
        .await;
    browser.click_text("Подтвердить: Воспитатель 18-1").await;
    let text = browser.text().await;
    assert!(text.contains("Решение сохранено"), "{text}");
    assert!(text.contains("Решение: подтверждено"), "{text}");
    browser.check("lists-tutors").await;
    browser.visit("/").await;
    browser.logout().await;

    // The methodist sees № 18 agreed and № 55 not yet, and downloads the agreed list.
    browser.resize(1366, 900).await;
    browser.login("manager", PASSWORD).await;
    browser.follow("a[href='/network/lists/motivated']").await;
    browser.check("lists-network").await;
    let text = browser.text().await;
    let (agreed, pending) = (
        text.find("Список согласован заведующим")
            .expect("№ 18 agreed"),
        text.find("Список не согласован заведующим")
            .expect("№ 55 not yet"),
    );
    let (unit_18, unit_55) = (
        text.rfind("МДОУ № 18").unwrap(),
        text.rfind("МДОУ № 55").unwrap(),
    );
    assert!(
        unit_18 < agreed && agreed < unit_55 && unit_55 < pending,
        "each kindergarten's section says its own: {text}"
    );
    let bytes = download(&app, &browser, "Скачать согласованный список (XLSX)").await;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range("Список").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0][..5],
        ["№", "ФИО", "Должность", "ДОО", "Отметка о согласовании"],
        "{rows:?}"
    );
    let agreed = rows
        .iter()
        .find(|row| row[1] == "Воспитатель 18-1")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(agreed[4], "согласовано заведующим", "{rows:?}");
    assert!(!agreed[5].is_empty(), "the date of the agreement: {rows:?}");
    let pending = rows
        .iter()
        .find(|row| row[1] == "Воспитатель 55-1")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(pending[4], "не согласовано", "{rows:?}");
    // The tutors' list: the methodist designates the confirmed tutor of the network.
    browser.follow("a[href='/network/lists/tutors']").await;
    browser
        .click_text("Назначить тьютором сети: Воспитатель 18-1")
        .await;
    let text = browser.text().await;
    assert!(text.contains("Решение: тьютор сети"), "{text}");
    browser
}
