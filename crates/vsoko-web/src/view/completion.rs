//! Who has filled the staff's surveys, in words: the counts of one survey and the one line a
//! head's pages show with the list's address.

use vsoko_app::completion::{FillCounts, KindergartenCompletion};

use crate::format;

/// «отправили 12 из 20 (60,0 %), черновик — 3, не начата — 5».
pub(crate) fn counts_text(counts: &FillCounts) -> String {
    match counts.sent_percent() {
        None => "сотрудников нет".to_owned(),
        Some(percent) => format!(
            "отправили {} из {} ({}), черновик — {}, не начата — {}",
            counts.sent,
            counts.total(),
            format::percent(percent),
            counts.draft,
            counts.not_started
        ),
    }
}

/// The one line a head's pages show about a kindergarten's completion, with the list's address.
pub(crate) fn summary_line(completion: &KindergartenCompletion) -> Option<(String, String)> {
    let parts: Vec<String> = completion
        .surveys
        .iter()
        .zip(&completion.counts)
        .map(|(survey, counts)| format!("«{}»: {}", survey.title, counts_text(counts)))
        .collect();
    (!parts.is_empty()).then(|| {
        (
            format!(
                "Заполнение за период {}: {}.",
                completion.period.code,
                parts.join("; ")
            ),
            format!(
                "/kindergartens/{}/completion?period={}",
                completion.kindergarten.id,
                format::url_encode(&completion.period.code)
            ),
        )
    })
}
