//! What every page's frame shows: the title, the role-aware navigation, who is signed in, the
//! sign-out form, and a notice after an action.

use vsoko_app::Workplace;

use crate::session::Viewer;

/// One link of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub label: &'static str,
    /// Whether it is the page shown (`aria-current="page"`).
    pub current: bool,
}

/// The frame of a page (`templates/base.html`).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title (also the `<title>`).
    pub title: String,
    /// Who is signed in, as shown in the header.
    pub user_line: Option<String>,
    /// The navigation.
    pub nav: Vec<NavItem>,
    /// The CSRF token of the page's forms (the sign-out form included).
    pub csrf: String,
    /// A notice after an action («Черновик сохранён»).
    pub notice: Option<String>,
    /// The asset version of the stylesheet and script URLs.
    pub assets: &'static str,
}

/// The sections of where the viewer works: `(href, label, key)`; the key marks the current one.
fn sections(viewer: &Viewer) -> Vec<(String, &'static str, &'static str)> {
    let mut items = Vec::new();
    match viewer.principal.workplace() {
        Workplace::OwnForms => {
            items.push(("/forms".to_owned(), "Мои анкеты", "forms"));
            items.push(("/results".to_owned(), "Мои результаты", "results"));
            items.push(("/my-training".to_owned(), "Моё обучение", "own-training"));
            items.push(("/my-route".to_owned(), "Мой маршрут", "route"));
            items.push(("/my-calendar".to_owned(), "Мой календарь", "calendar"));
        }
        Workplace::Kindergarten(id) => {
            items.push((
                format!("/kindergartens/{id}"),
                "Мой детский сад",
                "kindergarten",
            ));
            items.push((
                format!("/kindergartens/{id}/dashboard"),
                "Результаты",
                "dashboard",
            ));
            items.push((
                format!("/kindergartens/{id}/staff"),
                "Сотрудники и группы",
                "staff",
            ));
            items.push((
                format!("/kindergartens/{id}/links"),
                "Опросы родителей",
                "links",
            ));
            items.push((
                format!("/kindergartens/{id}/training"),
                "Повышение квалификации",
                "training",
            ));
            items.push((
                format!("/kindergartens/{id}/routes"),
                "Маршруты педагогов",
                "routes",
            ));
            items.push((
                format!("/kindergartens/{id}/lists/motivated"),
                "Списки",
                "lists",
            ));
            items.push((
                format!("/kindergartens/{id}/mentoring"),
                "Наставничество",
                "mentoring",
            ));
            items.push(("/plan".to_owned(), "План ПК", "plan"));
            items.push((
                "/recommendations".to_owned(),
                "Рекомендации",
                "recommendations",
            ));
            items.push(("/spravki".to_owned(), "Справки", "spravki"));
            items.push(("/imports/new".to_owned(), "Импорт", "imports"));
        }
        Workplace::Network => {
            items.push(("/network".to_owned(), "Сеть", "network"));
            items.push((
                "/network/dashboard".to_owned(),
                "Сводка по сети",
                "network-dashboard",
            ));
            items.push((
                "/network/completion".to_owned(),
                "Заполнение",
                "network-completion",
            ));
            items.push((
                "/network/training".to_owned(),
                "Повышение квалификации",
                "network-training",
            ));
            items.push((
                "/network/routes".to_owned(),
                "Маршруты педагогов",
                "network-routes",
            ));
            items.push((
                "/network/lists/motivated".to_owned(),
                "Списки",
                "network-lists",
            ));
            items.push((
                "/network/strengths".to_owned(),
                "Сильные стороны",
                "network-strengths",
            ));
            items.push(("/plan".to_owned(), "План ПК", "network-plan"));
            items.push((
                "/recommendations".to_owned(),
                "Рекомендации",
                "network-recommendations",
            ));
            items.push(("/spravki".to_owned(), "Справки", "spravki"));
            items.push(("/network/periods".to_owned(), "Периоды", "periods"));
            items.push((
                "/network/kindergartens".to_owned(),
                "Детские сады",
                "kindergartens",
            ));
            items.push(("/network/accounts".to_owned(), "Учётные записи", "accounts"));
            items.push(("/imports/new".to_owned(), "Импорт", "imports"));
        }
    }
    items.push(("/profile".to_owned(), "Мой профиль", "profile"));
    items
}

impl Layout {
    /// The frame of a signed-in page; `current` is the key of its section.
    pub fn signed_in(viewer: &Viewer, title: impl Into<String>, current: &str) -> Layout {
        let account = &viewer.account;
        let name = account
            .person
            .as_ref()
            .map(|person| person.full_name.clone())
            .unwrap_or_else(|| account.user.login.clone());
        let mut line = format!("{name}, {}", crate::format::role(viewer.principal.role()));
        if let Some(kindergarten) = &account.kindergarten {
            line.push_str(", ");
            line.push_str(&kindergarten.short_name);
        }
        Layout {
            title: title.into(),
            user_line: Some(line),
            nav: sections(viewer)
                .into_iter()
                .map(|(href, label, key)| NavItem {
                    href,
                    label,
                    current: key == current,
                })
                .collect(),
            csrf: crate::csrf::session_token(&viewer.token),
            notice: None,
            assets: crate::assets::version(),
        }
    }

    /// The frame of a page shown without signing in (the sign-in page, a parents' questionnaire).
    pub fn public(title: impl Into<String>, csrf: String) -> Layout {
        Layout {
            title: title.into(),
            user_line: None,
            nav: Vec::new(),
            csrf,
            notice: None,
            assets: crate::assets::version(),
        }
    }

    /// With a notice shown at the top.
    pub fn with_notice(mut self, notice: Option<String>) -> Layout {
        self.notice = notice;
        self
    }
}
