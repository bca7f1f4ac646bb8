//! What asks before something is destroyed (a page of its own with one button), and an account
//! just made or reset, its password shown once.

use askama::Template;

use crate::layout::Layout;

#[derive(Template)]
#[template(path = "confirm.html")]
pub(crate) struct Confirm {
    pub layout: Layout,
    pub heading: String,
    pub lines: Vec<String>,
    pub action: String,
    pub button: &'static str,
    pub back: String,
}

/// An account just made or reset: its password is shown once.
pub(crate) struct Created {
    pub heading: String,
    pub login: String,
    pub password: String,
}
