//! A real browser for the tests: Debian's Chromium, headless, driven over WebDriver by
//! fantoccini through its own `chromedriver`. Every page a scenario looks at is checked with
//! axe-core (0 serious or critical violations) and photographed at 360 and 1366 px wide into
//! `target/screenshots/`, for a reviewer.
//!
//! Without Chromium and its driver the scenarios say they were skipped, unless
//! `VSOKO_BROWSER_TESTS=required` (CI), where a missing browser fails them.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// axe-core 4.14.1 (npm), vendored: see `tests/browser/axe/README.md`.
const AXE: &str = include_str!("axe/axe.min.js");

/// A browser session and the server it talks to.
pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    _profile: tempfile::TempDir,
    shots: PathBuf,
    scenario: String,
}

fn executable(variable: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    if path.is_absolute() {
        return path.exists().then_some(path);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(&path))
            .find(|candidate| candidate.exists())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl Browser {
    /// A new headless Chromium on `base`; `None` (the scenario is skipped) when Chromium or its
    /// driver is not installed and the tests are not required.
    pub async fn start(base: &str, scenario: &str) -> Option<Browser> {
        let required = std::env::var("VSOKO_BROWSER_TESTS").as_deref() == Ok("required");
        let chromium = executable("VSOKO_CHROMIUM", "/usr/bin/chromium");
        let driver = executable("VSOKO_CHROMEDRIVER", "chromedriver");
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                !required,
                "VSOKO_BROWSER_TESTS=required, but Chromium or chromedriver is missing \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "skipped {scenario}: Chromium and chromedriver are not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let webdriver = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("a profile directory");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1366,900",
                    "--lang=ru-RU",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities are an object")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut client = None;
        for _ in 0..100 {
            match ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(connected) => {
                    client = Some(connected);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("chromedriver accepts a session");
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("screenshots");
        std::fs::create_dir_all(&shots).expect("the screenshot directory");
        Some(Browser {
            client,
            base: base.to_owned(),
            driver,
            _profile: profile,
            shots,
            scenario: scenario.to_owned(),
        })
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Opens a path of the server.
    pub async fn visit(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .expect("the page opens");
    }

    /// The current path (with the query).
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("a current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The visible text of the page's header (who is signed in).
    pub async fn header(&self) -> String {
        self.client
            .find(Locator::Css("header"))
            .await
            .expect("a header")
            .text()
            .await
            .expect("its text")
    }

    /// The visible text of the page's `main`.
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("main"))
            .await
            .expect("a main element")
            .text()
            .await
            .expect("its text")
    }

    /// The HTML of the page.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("the page source")
    }

    /// Types into the field with this id (after clearing it).
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a field #{id}"));
        field.clear().await.expect("the field clears");
        field.send_keys(text).await.expect("typing");
    }

    /// The value of the field with this id.
    pub async fn value(&self, id: &str) -> String {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a field #{id}"));
        field
            .prop("value")
            .await
            .expect("the field's value")
            .unwrap_or_default()
    }

    /// Sets a field's value as a date picker does (a script: typing into a date field depends on
    /// the browser's locale).
    pub async fn set_value(&self, id: &str, value: &str) {
        self.client
            .execute(
                "var field = document.getElementById(arguments[0]); field.value = arguments[1];
                 field.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![json!(id), json!(value)],
            )
            .await
            .expect("the value is set");
    }

    /// Chooses an option of the select with this id by its value.
    pub async fn select_value(&self, id: &str, value: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a select #{id}"))
            .select_by_value(value)
            .await
            .unwrap_or_else(|_| panic!("the value «{value}» of #{id}"));
    }

    /// The visible text of the option chosen in the select with this id.
    pub async fn selected(&self, id: &str) -> String {
        self.client
            .execute(
                "var select = document.getElementById(arguments[0]);
                 return select.options[select.selectedIndex].text;",
                vec![json!(id)],
            )
            .await
            .unwrap_or_else(|_| panic!("a select #{id}"))
            .as_str()
            .expect("a string")
            .to_owned()
    }

    /// Chooses an option of the select with this id by its visible text.
    pub async fn select(&self, id: &str, text: &str) {
        let select = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("a select #{id}"));
        select
            .select_by_label(text)
            .await
            .unwrap_or_else(|_| panic!("the option «{text}» of #{id}"));
    }

    /// Clicks what a CSS selector finds first.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("an element {css}"))
            .click()
            .await
            .unwrap_or_else(|_| panic!("a click on {css}"));
    }

    /// Marks the page shown, so that [`Browser::wait_for_new_page`] knows when another replaced
    /// it.
    async fn mark(&self) {
        self.client
            .execute("window.__vsokoShown = true;", Vec::new())
            .await
            .expect("the page is marked");
    }

    /// Waits until the marked page has been replaced by a fully loaded one.
    async fn wait_for_new_page(&self) {
        for _ in 0..200 {
            let replaced = self
                .client
                .execute(
                    "return window.__vsokoShown === undefined && document.readyState === 'complete';",
                    Vec::new(),
                )
                .await;
            if let Ok(Value::Bool(true)) = replaced {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{}: no new page after 10 s", self.scenario);
    }

    /// Clicks what a CSS selector finds — a link or a button that opens another page — and
    /// waits for that page.
    pub async fn follow(&self, css: &str) {
        self.mark().await;
        self.click(css).await;
        self.wait_for_new_page().await;
    }

    /// Clicks the link or button with this text and waits for the page it opens.
    pub async fn click_text(&self, text: &str) {
        self.mark().await;
        let xpath = format!(
            "//a[normalize-space(.)='{text}' or starts-with(normalize-space(.), '{text}:')] | //button[normalize-space(.)='{text}']"
        );
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|_| panic!("a link or button «{text}» on {}", self.scenario))
            .click()
            .await
            .unwrap_or_else(|_| panic!("a click on «{text}»"));
        self.wait_for_new_page().await;
    }

    /// Waits (up to 10 s) until the element with this id says `text`.
    pub async fn wait_for_text(&self, id: &str, text: &str) {
        let mut said = String::new();
        for _ in 0..100 {
            if let Ok(element) = self.client.find(Locator::Id(id)).await {
                said = element.text().await.unwrap_or_default();
                if said.contains(text) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} never said «{text}»; it says «{said}»");
    }

    /// Whether a CSS selector finds something.
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Chooses the answer `value` of item `code` (a click on its label, as a person does).
    pub async fn answer(&self, code: &str, value: &str) {
        let id: String = self
            .client
            .find(Locator::Css(&format!(
                "input[name='a.{code}'][value='{value}']"
            )))
            .await
            .unwrap_or_else(|_| panic!("the answer {value} of {code}"))
            .attr("id")
            .await
            .expect("an id")
            .expect("the input has an id");
        self.click(&format!("label[for='{id}']")).await;
    }

    /// Answers the first `count` unanswered items (all when `None`) with their highest option —
    /// a script that clicks each option's label, for long forms.
    pub async fn answer_all(&self, count: Option<usize>) {
        self.client
            .execute(
                "var limit = arguments[0]; var done = 0;
                 document.querySelectorAll('fieldset.item').forEach(function (item) {
                   if (limit !== null && done >= limit) { return; }
                   if (item.querySelector('input:checked')) { return; }
                   var options = item.querySelectorAll('.options .option:not(.na) input');
                   if (options.length) { options[options.length - 1].click(); done++; return; }
                   var number = item.querySelector('.number input[type=text]');
                   if (number) { number.value = '1'; number.dispatchEvent(new Event('input', {bubbles: true})); done++; }
                 });",
                vec![json!(count)],
            )
            .await
            .expect("the answers are chosen");
    }

    /// The serious and critical accessibility violations axe-core finds on the page shown, and
    /// any landmark rule's.
    pub async fn violations(&self) -> Vec<String> {
        self.client
            .execute(AXE, Vec::new())
            .await
            .expect("axe-core loads");
        let violations = self
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(function (result) {
                   done(result.violations
                     .filter(function (v) {
                       // Issue 23 §23: landmarks are unique too (a moderate rule of axe).
                       return v.impact === 'serious' || v.impact === 'critical' ||
                         v.id.indexOf('landmark') === 0;
                     })
                     .map(function (v) {
                       return v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                         v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | ');
                     }));
                 }).catch(function (error) { done(['axe failed: ' + error]); });",
                Vec::new(),
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(violations).expect("a list")
    }

    /// Checks the page shown with axe-core (0 serious or critical violations) and saves its
    /// screenshots at 360 and 1366 px wide, named after the scenario and `name`.
    pub async fn check(&mut self, name: &str) {
        let violations = self.violations().await;
        let path = self.path().await;
        assert!(
            violations.is_empty(),
            "accessibility violations on {path} ({name}):\n{}",
            violations.join("\n")
        );
        for (width, height) in [(360, 800), (1366, 900)] {
            self.client
                .set_window_size(width, height)
                .await
                .expect("the window resizes");
            // Issue 23 §13: no page scrolls sideways; a wide table scrolls inside its own box.
            let fits = self
                .client
                .execute(
                    "var width = document.documentElement.clientWidth;
                     var wide = [];
                     document.querySelectorAll('body *').forEach(function (el) {
                       if (wide.length < 4 && el.getBoundingClientRect().right > width + 1
                           && !el.closest('.table-wrap, .visually-hidden')) {
                         wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                           (el.className && el.className.baseVal === undefined ? '.' + el.className : ''));
                       }
                     });
                     return [document.documentElement.scrollWidth, width, wide.join(' ')];",
                    Vec::new(),
                )
                .await
                .expect("the width is read");
            let (scroll, client) = (fits[0].as_u64().unwrap_or(0), fits[1].as_u64().unwrap_or(0));
            assert!(
                scroll <= client,
                "{path} ({name}) scrolls sideways at {width} px: {scroll} > {client}; too wide: {}",
                fits[2]
            );
            let png = self.client.screenshot().await.expect("a screenshot");
            let file = self
                .shots
                .join(format!("{}-{name}-{width}.png", self.scenario));
            std::fs::write(&file, png).expect("the screenshot is saved");
        }
    }

    /// Sets the window's size (a phone: 360 px).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window resizes");
    }

    /// Signs in through the sign-in page.
    pub async fn login(&mut self, login: &str, password: &str) {
        self.visit("/login").await;
        self.fill("login", login).await;
        self.fill("password", password).await;
        self.follow("form[action='/login'] button[type=submit]")
            .await;
        assert_ne!(
            self.path().await,
            "/login",
            "{login} could not sign in: {}",
            self.text().await
        );
    }

    /// Signs out with the header's button.
    pub async fn logout(&self) {
        self.follow("form[action='/logout'] button").await;
        assert!(self.path().await.starts_with("/login"));
    }

    /// A script's `fetch` from the page, answering `[status, final URL]`: what a request the page
    /// did not render gets (a form posted twice, a form without its token).
    pub async fn fetch(&self, script_body: &str) -> (u64, String) {
        let result = self
            .client
            .execute_async(
                &format!(
                    "var done = arguments[arguments.length - 1];
                     (async function () {{ {script_body} }})()
                       .then(function (r) {{ done([r.status, r.url]); }})
                       .catch(function (e) {{ done([0, String(e)]); }});"
                ),
                Vec::new(),
            )
            .await
            .expect("the script runs");
        (
            result[0].as_u64().unwrap_or(0),
            result[1].as_str().unwrap_or_default().to_owned(),
        )
    }
}
