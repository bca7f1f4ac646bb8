//! A choice of a select (a period, an instrument, a role, a kindergarten), and the periods as a
//! page offers them.

use vsoko_domain::{Period, PeriodStatus};

use crate::format::period_text;

/// A choice of a select.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn period_choices(periods: &[Period], selected: Option<&Period>) -> Vec<Choice> {
    let mut periods: Vec<&Period> = periods.iter().collect();
    periods.sort_by_key(|period| std::cmp::Reverse((period.starts_on, period.id)));
    periods
        .into_iter()
        .map(|period| Choice {
            value: period.code.clone(),
            label: format!(
                "{}{}",
                period_text(period),
                if period.status == PeriodStatus::Closed {
                    " — закрыт"
                } else {
                    ""
                }
            ),
            selected: selected.is_some_and(|selected| selected.id == period.id),
        })
        .collect()
}
