//! What the pages share, so that no page imports another: answers (a rendered page, a redirect,
//! the notice after an action), the choices of a select, the confirmation before something is
//! destroyed, a form in a list, a form's page, a submission's scores, a report's view, the
//! completion line. Formatting of numbers, dates and words is `crate::format`.

pub(crate) mod choice;
pub(crate) mod completion;
pub(crate) mod confirm;
pub(crate) mod entries;
pub(crate) mod form_page;
pub(crate) mod import;
pub(crate) mod lists;
pub(crate) mod refusal;
pub(crate) mod report;
mod respond;
pub(crate) mod scores;
pub(crate) mod targets;

pub(crate) use respond::{Done, attachment, docx, html, html_status, see_other, xlsx};
