//! Dates of the rules: the school year and the three-year rule.
//!
//! # The three-year rule
//! 273-ФЗ ст. 47 ч. 5 п. 2 gives a teacher the right to ДПО at least once in three years. A
//! person is **covered at `t`** when a document of ПК or ПП counts from a date `d`
//! ([`crate::TrainingRecord::counted_date`]) with `t − 36 months < d ≤ t`:
//!
//! * `t − 36 months` is calendar arithmetic ([`NaiveDate::checked_sub_months`]): the same day
//!   of the month three years earlier, or the last day of that month when it is shorter. For
//!   `t` = 31.05.2025 the bound is 31.05.2022; for `t` = 29.02.2024 it is 28.02.2021.
//! * The bound itself is **outside**: at 31.05.2025 a course dated 31.05.2022 no longer counts,
//!   one dated 01.06.2022 does. Three years after a course, on the same calendar day, the person
//!   needs the next one.
//! * A document dated after `t` does not count at `t` (the report is as of `t`).
//!
//! [`leaves_window_on`] is the first day on which a document no longer counts. It is the same
//! calendar day 36 months later, except for a document of 29 February: three years later there
//! is no 29 February, so the bound of 28 February is still before it and the document counts
//! through 28 February and leaves on 1 March.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};

/// How long a document of ДПО counts: 36 calendar months.
pub const COVERAGE_MONTHS: u32 = 36;

/// The exclusive lower bound of the three-year window at `at`: `at − 36 months`, clamped to the
/// end of a shorter month. A document dated on this day is outside.
pub fn window_bound(at: NaiveDate) -> NaiveDate {
    at.checked_sub_months(Months::new(COVERAGE_MONTHS))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether a document dated `date` counts at `at`: `at − 36 months < date ≤ at`.
pub fn within_36_months(date: NaiveDate, at: NaiveDate) -> bool {
    window_bound(at) < date && date <= at
}

/// The first day on which a document dated `date` no longer counts (the smallest `t` with
/// `t − 36 months ≥ date`): `date + 36 months`, or the day after when that addition had to clamp
/// (a document of 29 February leaves on 1 March three years later).
pub fn leaves_window_on(date: NaiveDate) -> NaiveDate {
    let Some(candidate) = date.checked_add_months(Months::new(COVERAGE_MONTHS)) else {
        return NaiveDate::MAX;
    };
    if window_bound(candidate) >= date {
        candidate
    } else {
        candidate
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

impl DateRange {
    /// Whether `date` is in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A school year: 1 September of `start_year` to 31 August of the next year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchoolYear {
    start_year: i32,
}

impl SchoolYear {
    /// The school year starting on 1 September of `start_year`.
    pub fn starting(start_year: i32) -> SchoolYear {
        SchoolYear { start_year }
    }

    /// The school year containing `date`: from September on, the one starting that year; before
    /// September, the one that started the year before (31.08.2025 → 2024/2025, 01.09.2025 →
    /// 2025/2026).
    pub fn containing(date: NaiveDate) -> SchoolYear {
        let start_year = if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        };
        SchoolYear { start_year }
    }

    /// Reads `2025/2026` (the second year must follow the first).
    pub fn parse(text: &str) -> Option<SchoolYear> {
        let (first, second) = text.trim().split_once('/')?;
        let first: i32 = first.trim().parse().ok()?;
        let second: i32 = second.trim().parse().ok()?;
        (second == first + 1 && (1900..=9998).contains(&first))
            .then_some(SchoolYear { start_year: first })
    }

    /// The calendar year it starts in.
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 September.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 9, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 August of the next calendar year.
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 8, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Its days.
    pub fn range(self) -> DateRange {
        DateRange {
            start: self.start(),
            end: self.end(),
        }
    }

    /// The school year after this one.
    pub fn next(self) -> SchoolYear {
        SchoolYear {
            start_year: self.start_year + 1,
        }
    }

    /// The school year before this one.
    pub fn previous(self) -> SchoolYear {
        SchoolYear {
            start_year: self.start_year - 1,
        }
    }

    /// «в 2024/2025 учебном году», for sentences.
    pub fn phrase(self) -> String {
        format!("в {self} учебном году")
    }
}

impl fmt::Display for SchoolYear {
    /// `2024/2025`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.start_year, self.start_year + 1)
    }
}

/// `31.05.2025`, as dates are written in Russian documents.
pub(crate) fn ru_date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::d;

    #[test]
    fn the_bound_is_the_same_day_three_years_earlier_and_is_outside() {
        let at = d(2025, 5, 31);
        assert_eq!(window_bound(at), d(2022, 5, 31));
        // 31.05.2022 is the bound itself: out; the next day is in.
        assert!(!within_36_months(d(2022, 5, 31), at));
        assert!(within_36_months(d(2022, 6, 1), at));
        // The date itself is in, the day after it is not yet.
        assert!(within_36_months(at, at));
        assert!(!within_36_months(d(2025, 6, 1), at));
    }

    #[test]
    fn the_bound_clamps_at_the_end_of_a_shorter_month() {
        // 29.02.2024 − 36 months: 29.02.2021 does not exist → 28.02.2021.
        let at = d(2024, 2, 29);
        assert_eq!(window_bound(at), d(2021, 2, 28));
        assert!(!within_36_months(d(2021, 2, 28), at));
        assert!(within_36_months(d(2021, 3, 1), at));
        // 31.08.2025 → 31.08.2022; 30.11 → 30.11.
        assert_eq!(window_bound(d(2025, 8, 31)), d(2022, 8, 31));
        assert_eq!(window_bound(d(2025, 11, 30)), d(2022, 11, 30));
    }

    #[test]
    fn a_document_leaves_the_window_three_years_later_on_the_same_day() {
        assert_eq!(leaves_window_on(d(2022, 5, 31)), d(2025, 5, 31));
        assert!(within_36_months(d(2022, 5, 31), d(2025, 5, 30)));
        assert!(!within_36_months(d(2022, 5, 31), d(2025, 5, 31)));
        // 29.02.2020 + 36 months clamps to 28.02.2023, whose bound 28.02.2020 is before the
        // document: it still counts on 28.02.2023 and leaves on 01.03.2023.
        assert_eq!(leaves_window_on(d(2020, 2, 29)), d(2023, 3, 1));
        assert!(within_36_months(d(2020, 2, 29), d(2023, 2, 28)));
        assert!(!within_36_months(d(2020, 2, 29), d(2023, 3, 1)));
    }

    #[test]
    fn leaves_window_on_is_the_first_day_out_for_every_day_of_four_years() {
        // Every document date of 2020–2023 (a leap year included): the day before its leaving
        // day it counts, on its leaving day it does not.
        let mut date = d(2020, 1, 1);
        while date < d(2024, 1, 1) {
            let leaves = leaves_window_on(date);
            let day_before = leaves.pred_opt().expect("a day before");
            assert!(within_36_months(date, day_before), "{date}: {day_before}");
            assert!(!within_36_months(date, leaves), "{date}: {leaves}");
            date = date.succ_opt().expect("a day after");
        }
    }

    #[test]
    fn the_school_year_turns_on_the_first_of_september() {
        assert_eq!(
            SchoolYear::containing(d(2025, 8, 31)),
            SchoolYear::starting(2024)
        );
        assert_eq!(
            SchoolYear::containing(d(2025, 9, 1)),
            SchoolYear::starting(2025)
        );
        assert_eq!(
            SchoolYear::containing(d(2026, 1, 15)),
            SchoolYear::starting(2025)
        );
        let year = SchoolYear::starting(2024);
        assert_eq!(year.start(), d(2024, 9, 1));
        assert_eq!(year.end(), d(2025, 8, 31));
        assert_eq!(year.next(), SchoolYear::starting(2025));
        assert_eq!(year.previous(), SchoolYear::starting(2023));
        assert_eq!(year.to_string(), "2024/2025");
        assert_eq!(year.phrase(), "в 2024/2025 учебном году");
        assert!(year.range().contains(d(2025, 8, 31)));
        assert!(!year.range().contains(d(2025, 9, 1)));
    }

    #[test]
    fn a_school_year_is_read_as_two_consecutive_years() {
        assert_eq!(
            SchoolYear::parse("2025/2026"),
            Some(SchoolYear::starting(2025))
        );
        assert_eq!(SchoolYear::parse("2025/2027"), None);
        assert_eq!(SchoolYear::parse("2025-2026"), None);
        assert_eq!(SchoolYear::parse("2025"), None);
    }
}
