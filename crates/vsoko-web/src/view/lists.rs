//! The network's periods and kindergartens as its pages list them.

use vsoko_app::overview::KindergartenEntry;
use vsoko_domain::{Period, PeriodStatus};

use crate::format;

pub(crate) struct PeriodLine {
    pub code: String,
    pub dates: String,
    pub open: bool,
    pub closed_at: String,
    pub close: String,
    /// The основание in words, or empty.
    pub basis: String,
    pub basis_href: String,
}

pub(crate) struct KindergartenLine {
    pub id: i64,
    pub number: String,
    pub short_name: String,
    pub full_name: String,
    pub heads: String,
    pub district: String,
}

pub(crate) fn kindergarten_lines(entries: &[KindergartenEntry]) -> Vec<KindergartenLine> {
    entries
        .iter()
        .map(|entry| KindergartenLine {
            heads: entry.heads.join(", "),
            id: entry.kindergarten.id.get(),
            number: entry.kindergarten.number.clone(),
            short_name: entry.kindergarten.short_name.clone(),
            full_name: entry.kindergarten.full_name.clone(),
            district: entry.kindergarten.district.clone().unwrap_or_default(),
        })
        .collect()
}

pub(crate) fn period_lines(periods: &[Period]) -> Vec<PeriodLine> {
    periods
        .iter()
        .map(|period| PeriodLine {
            code: period.code.clone(),
            dates: format!(
                "{} – {}",
                format::date(period.starts_on),
                format::date(period.ends_on)
            ),
            open: period.status == PeriodStatus::Open,
            closed_at: period.closed_at.map(format::datetime).unwrap_or_default(),
            close: format!("/periods/{}/close", period.id),
            basis: period
                .basis
                .as_ref()
                .map(vsoko_domain::Basis::words)
                .unwrap_or_default(),
            basis_href: format!("/periods/{}/basis", period.id),
        })
        .collect()
}
