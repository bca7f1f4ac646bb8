//! The forecast: who needs КПК in a school year («кому нужны КПК в следующем учебном году»).
//!
//! For each active person, the **latest** ПК or ПП known at `at` (the greatest
//! [`TrainingRecord::counted_date`] on or before `at`) decides. It leaves the three-year window on
//! `L` = [`leaves_window_on`] of its date: from `L` on the person is not covered. For the year
//! `Y` (normally the one after the year containing `at`: [`SchoolYear::next`]) a person is in the
//! forecast when they are not covered on some day of `Y`, that is when `L ≤ Y.end`, or when they
//! have no ПК or ПП at all. [`Need`] says why:
//!
//! * [`Need::NoTraining`] — no ПК or ПП known;
//! * [`Need::Lapsed`] — `L ≤ at`: not covered already;
//! * [`Need::OutBeforeYear`] — `at < L ≤ Y.start`: covered now, not on the first day of `Y`;
//! * [`Need::LeavesDuringYear`] — `Y.start < L ≤ Y.end`: the latest document **leaves the window
//!   during `Y`**: covered on 1 September, not on 31 August.
//!
//! For `Y` = 2025/2026: a document of 31.08.2023 leaves on 31.08.2026, the last day of `Y` — in
//! the forecast; one of 01.09.2023 leaves on 01.09.2026 — not; one of 01.09.2022 leaves on
//! 01.09.2025, the first day of `Y` — out before the year; one of 02.09.2022 leaves during it.
//!
//! Inactive rows are left out. A person is listed in each kindergarten they work in and once in
//! the network (once per category, as in [`crate::coverage`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::calendar::{SchoolYear, leaves_window_on};
use crate::record::{StaffCategory, StaffMember, TrainingRecord};

/// Why a person needs КПК in the year of the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// No ПК or ПП known.
    NoTraining,
    /// The latest document left the window on `on`, on or before the date of the forecast.
    Lapsed {
        /// The first day not covered.
        on: NaiveDate,
    },
    /// The latest document leaves the window after the date of the forecast and on or before the
    /// first day of the year.
    OutBeforeYear {
        /// The first day not covered.
        on: NaiveDate,
    },
    /// The latest document leaves the window during the year.
    LeavesDuringYear {
        /// The first day not covered.
        on: NaiveDate,
    },
}

impl Need {
    /// The first day not covered, when there was a document.
    pub fn uncovered_from(self) -> Option<NaiveDate> {
        match self {
            Need::NoTraining => None,
            Need::Lapsed { on } | Need::OutBeforeYear { on } | Need::LeavesDuringYear { on } => {
                Some(on)
            }
        }
    }
}

/// One person of the forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastEntry<P> {
    /// The person.
    pub person: P,
    /// Their category.
    pub category: StaffCategory,
    /// The date of their latest ПК or ПП, if any.
    pub latest: Option<NaiveDate>,
    /// Why they are listed.
    pub need: Need,
}

/// The forecast of one kindergarten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindergartenForecast<P, G> {
    /// The kindergarten.
    pub kindergarten: G,
    /// Its people who need КПК, the most urgent first (see [`forecast`]).
    pub people: Vec<ForecastEntry<P>>,
}

/// The forecast of every kindergarten and of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast<P, G> {
    /// The school year of the forecast.
    pub year: SchoolYear,
    /// Every kindergarten of the staff list, in key order (also those where nobody is listed).
    pub kindergartens: Vec<KindergartenForecast<P, G>>,
    /// The network: each person once per category.
    pub network: Vec<ForecastEntry<P>>,
}

impl<P> ForecastEntry<P> {
    fn order_key(&self) -> (u8, Option<NaiveDate>) {
        let rank = match self.need {
            Need::NoTraining => 0,
            Need::Lapsed { .. } => 1,
            Need::OutBeforeYear { .. } => 2,
            Need::LeavesDuringYear { .. } => 3,
        };
        (rank, self.need.uncovered_from())
    }
}

/// Who needs КПК in `year`, as known at `at` (see the module). Lists are ordered: no training
/// first, then lapsed, out before the year and leaving during it, each by the day coverage ends,
/// then by person and category.
pub fn forecast<P: Ord + Clone, G: Ord + Clone>(
    staff: &[StaffMember<P, G>],
    records: &BTreeMap<P, Vec<TrainingRecord>>,
    at: NaiveDate,
    year: SchoolYear,
) -> Forecast<P, G> {
    let mut units: BTreeMap<&G, BTreeSet<(&P, StaffCategory)>> = BTreeMap::new();
    let mut network: BTreeSet<(&P, StaffCategory)> = BTreeSet::new();
    for member in staff {
        let people = units.entry(&member.kindergarten).or_default();
        if member.active {
            people.insert((&member.person, member.category));
            network.insert((&member.person, member.category));
        }
    }
    let list = |people: &BTreeSet<(&P, StaffCategory)>| {
        let mut entries: Vec<ForecastEntry<P>> = people
            .iter()
            .filter_map(|&(person, category)| {
                let latest = records
                    .get(person)
                    .into_iter()
                    .flatten()
                    .filter(|record| record.kind.is_dpo())
                    .map(TrainingRecord::counted_date)
                    .filter(|date| *date <= at)
                    .max();
                forecast_need(latest, at, year).map(|need| ForecastEntry {
                    person: person.clone(),
                    category,
                    latest,
                    need,
                })
            })
            .collect();
        // Stable: people with equal keys stay in (person, category) order.
        entries.sort_by_key(ForecastEntry::order_key);
        entries
    };
    Forecast {
        year,
        kindergartens: units
            .iter()
            .map(|(kindergarten, people)| KindergartenForecast {
                kindergarten: (*kindergarten).clone(),
                people: list(people),
            })
            .collect(),
        network: list(&network),
    }
}

/// Why a person whose latest document is dated `latest` needs КПК in `year`, if they do.
pub fn forecast_need(latest: Option<NaiveDate>, at: NaiveDate, year: SchoolYear) -> Option<Need> {
    let Some(latest) = latest else {
        return Some(Need::NoTraining);
    };
    let on = leaves_window_on(latest);
    if on <= at {
        Some(Need::Lapsed { on })
    } else if on <= year.start() {
        Some(Need::OutBeforeYear { on })
    } else if on <= year.end() {
        Some(Need::LeavesDuringYear { on })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{d, member, record};
    use crate::record::StaffCategory::{Management, Teacher};
    use crate::record::TrainingKind::{QualificationUpgrade as Pk, Retraining as Pp, Seminar};

    /// The date of the forecast: 20.05.2025, in the school year 2024/2025.
    fn at() -> NaiveDate {
        d(2025, 5, 20)
    }

    fn year() -> SchoolYear {
        SchoolYear::containing(at()).next()
    }

    #[test]
    fn both_edges_of_the_next_school_year() {
        assert_eq!(year(), SchoolYear::starting(2025));
        // 31.08.2023 leaves on 31.08.2026, the last day of 2025/2026: listed.
        assert_eq!(
            forecast_need(Some(d(2023, 8, 31)), at(), year()),
            Some(Need::LeavesDuringYear { on: d(2026, 8, 31) })
        );
        // 01.09.2023 leaves on 01.09.2026, after the year: not listed.
        assert_eq!(forecast_need(Some(d(2023, 9, 1)), at(), year()), None);
        // 01.09.2022 leaves on 01.09.2025, the first day of the year: out before it.
        assert_eq!(
            forecast_need(Some(d(2022, 9, 1)), at(), year()),
            Some(Need::OutBeforeYear { on: d(2025, 9, 1) })
        );
        // 02.09.2022 leaves on 02.09.2025: covered on 1 September, leaves during the year.
        assert_eq!(
            forecast_need(Some(d(2022, 9, 2)), at(), year()),
            Some(Need::LeavesDuringYear { on: d(2025, 9, 2) })
        );
        // 20.05.2022 left on 20.05.2025, the date of the forecast itself: lapsed.
        assert_eq!(
            forecast_need(Some(d(2022, 5, 20)), at(), year()),
            Some(Need::Lapsed { on: d(2025, 5, 20) })
        );
        assert_eq!(forecast_need(None, at(), year()), Some(Need::NoTraining));
    }

    #[test]
    fn each_kindergarten_lists_its_active_people_the_most_urgent_first() {
        let staff = vec![
            member("none", "a", Teacher, true),
            member("seminar", "a", Teacher, true),
            member("during", "a", Teacher, true),
            member("later", "a", Teacher, true),
            member("two", "a", Teacher, true),
            member("gone", "a", Teacher, false),
            member("head", "a", Management, true),
            member("during", "b", Teacher, true),
            member("lapsed", "b", Teacher, true),
        ];
        let records = BTreeMap::from([
            ("seminar", vec![record(Seminar, d(2025, 1, 10), |_| {})]),
            ("during", vec![record(Pk, d(2023, 8, 31), |_| {})]),
            ("later", vec![record(Pk, d(2023, 9, 1), |_| {})]),
            // Two courses: the latest (01.02.2024, leaving 01.02.2027) decides, not the first
            // (01.03.2021, which alone would have lapsed on 01.03.2024).
            (
                "two",
                vec![
                    record(Pk, d(2021, 3, 1), |_| {}),
                    record(Pk, d(2024, 2, 1), |_| {}),
                ],
            ),
            ("head", vec![record(Pp, d(2022, 9, 1), |_| {})]),
            ("lapsed", vec![record(Pk, d(2021, 12, 1), |_| {})]),
        ]);
        let forecast = forecast(&staff, &records, at(), year());
        fn names(entries: &[ForecastEntry<&'static str>]) -> Vec<&'static str> {
            entries.iter().map(|entry| entry.person).collect()
        }
        assert_eq!(forecast.kindergartens.len(), 2);
        // a: «none» and «seminar» (no ПК or ПП) first, by name; «head» out on 01.09.2025;
        // «during» leaves on 31.08.2026. Not «later», «two» nor the inactive «gone».
        assert_eq!(
            names(&forecast.kindergartens[0].people),
            ["none", "seminar", "head", "during"]
        );
        assert_eq!(forecast.kindergartens[0].people[2].category, Management);
        assert_eq!(
            forecast.kindergartens[0].people[2].latest,
            Some(d(2022, 9, 1))
        );
        // b: «lapsed» (01.12.2024) before «during».
        assert_eq!(
            names(&forecast.kindergartens[1].people),
            ["lapsed", "during"]
        );
        assert_eq!(
            forecast.kindergartens[1].people[0].need,
            Need::Lapsed { on: d(2024, 12, 1) }
        );
        // The network: «during» once.
        assert_eq!(
            names(&forecast.network),
            ["none", "seminar", "lapsed", "head", "during"]
        );
    }
}
