//! The page of a form, as a signed-in person and a parent through a link both see it: its facts,
//! the instrument's instructions, the fields, and what sends it.

use askama::Template;
use vsoko_checklist::Instrument;

use crate::form::FormView;
use crate::layout::Layout;
use crate::view::choice::Choice;

/// The observation date field.
pub(crate) struct DateField {
    pub value: String,
    pub min: String,
    pub max: String,
    pub range: String,
}

/// A notice with a link.
pub(crate) struct Already {
    pub text: String,
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "form.html")]
pub(crate) struct FormPage {
    pub layout: Layout,
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub intro: Vec<String>,
    pub read_only: Option<String>,
    pub already: Option<Already>,
    pub view: FormView,
    pub action: String,
    pub idempotency_key: String,
    pub drafts: bool,
    pub draft_saved: Option<String>,
    pub subject_choices: Option<Vec<Choice>>,
    pub subject_label: &'static str,
    pub observed_on: Option<DateField>,
    pub send_label: &'static str,
    pub back: Option<String>,
}

/// The paragraphs of an instrument's instructions.
pub(crate) fn paragraphs(instrument: &Instrument) -> Vec<String> {
    instrument
        .description()
        .unwrap_or_default()
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}
