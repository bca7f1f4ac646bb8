//! Coverage of the staff by training, per kindergarten and for the network, at a date `at` and for
//! a window (a school year by default: [`crate::SchoolYear::range`]).
//!
//! # Who is counted
//! The **active** rows of the staff list, teachers and management separately ([`StaffCategory`]);
//! inactive rows are left out of every figure. A person is counted once per category in a scope:
//! a person with rows in two kindergartens counts in each of them and once in the network; a
//! person who is a teacher in one and management in another counts in both categories.
//!
//! # Which records count
//! Only records whose date ([`TrainingRecord::counted_date`]: the issue date, or the end of study
//! without one) is on or before `at`: the report is what was known at `at`.
//! * **Covered within 36 months**: at least one ПК or ПП dated in `(at − 36 months, at]`
//!   ([`crate::within_36_months`]). Seminars, internships and other training do not count.
//! * **Trained in the window**: ПК and ПП dated in the window (and on or before `at`). ПП is
//!   counted with ПК — both are ДПО with a document; [`WindowTraining::by_kind`] tells them
//!   apart. Figures are of people (each person once) and of records (each document once).
//! * **The department's «очно / дистанционно»** ([`Delivery`]) splits the people trained in the
//!   window by distance technologies, not by form of study: a person is «с применением ДОТ» when
//!   **any** of their window records used ДОТ, «очно» when none did, so every trained person is in
//!   exactly one group. The breakdowns by form, kind, provider type and the register are not
//!   splits of people: a person counts in every group one of their window records is in.
//! * **Адресность** ([`AreaAddressing`]): for each competence area, the active people whose latest
//!   survey shows a deficit in it, and of them those with a record of **any kind** (a seminar or
//!   an internship on the area answers a deficit as a course does) that addresses the area and
//!   is dated within the same 36 months as the coverage rule: an older training is not an answer
//!   to the deficit the latest survey found.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::calendar::{DateRange, SchoolYear, within_36_months};
use crate::record::{
    ProviderType, StaffCategory, StaffMember, StudyForm, TrainingKind, TrainingRecord,
};
use crate::share::{RoundedPercent, Share, split_percents};

/// What coverage is computed from.
#[derive(Debug, Clone, Copy)]
pub struct CoverageInput<'a, P, G> {
    /// The staff list (inactive rows are ignored).
    pub staff: &'a [StaffMember<P, G>],
    /// Each person's training records.
    pub records: &'a BTreeMap<P, Vec<TrainingRecord>>,
    /// For each person, the competence areas (codes) with a deficit in their latest survey.
    pub deficits: &'a BTreeMap<P, BTreeSet<String>>,
    /// The date of the report.
    pub at: NaiveDate,
    /// The window of the «trained in the window» figures.
    pub window: DateRange,
}

impl<'a, P, G> CoverageInput<'a, P, G> {
    /// The input at `at` with the default window: the school year containing `at`
    /// ([`SchoolYear::containing`]). Set [`CoverageInput::window`] for another.
    pub fn new(
        staff: &'a [StaffMember<P, G>],
        records: &'a BTreeMap<P, Vec<TrainingRecord>>,
        deficits: &'a BTreeMap<P, BTreeSet<String>>,
        at: NaiveDate,
    ) -> Self {
        CoverageInput {
            staff,
            records,
            deficits,
            at,
            window: SchoolYear::containing(at).range(),
        }
    }
}

/// Coverage of every kindergarten and of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageReport<G> {
    /// The date of the report.
    pub at: NaiveDate,
    /// The window.
    pub window: DateRange,
    /// Every kindergarten of the staff list (also one with inactive rows only), in key order.
    pub kindergartens: Vec<KindergartenCoverage<G>>,
    /// The network: each person once.
    pub network: ScopeCoverage,
}

/// One kindergarten's coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct KindergartenCoverage<G> {
    /// The kindergarten.
    pub kindergarten: G,
    /// Its figures.
    pub coverage: ScopeCoverage,
}

/// The figures of one scope (a kindergarten or the network), teachers and management apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeCoverage {
    /// Педагогические работники.
    pub teachers: CategoryCoverage,
    /// Руководящие работники.
    pub management: CategoryCoverage,
}

impl ScopeCoverage {
    /// The figures of one category.
    pub fn category(&self, category: StaffCategory) -> &CategoryCoverage {
        match category {
            StaffCategory::Teacher => &self.teachers,
            StaffCategory::Management => &self.management,
        }
    }
}

/// The figures of one category in one scope.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CategoryCoverage {
    /// Active people.
    pub active: u32,
    /// Of them, covered within 36 months.
    pub covered: u32,
    /// Training in the window.
    pub window: WindowTraining,
    /// Адресность: one row per competence area with a deficit, in code order.
    pub addressing: Vec<AreaAddressing>,
}

impl CategoryCoverage {
    /// Covered within 36 months, of the active people.
    pub fn covered_share(&self) -> Option<Share> {
        Share::new(self.covered, self.active)
    }

    /// Trained in the window, of the active people.
    pub fn trained_share(&self) -> Option<Share> {
        Share::new(self.window.people, self.active)
    }

    /// Person-area pairs with a deficit that are addressed, of all pairs with a deficit.
    pub fn addressed_share(&self) -> Option<Share> {
        let (addressed, with_deficit) =
            self.addressing
                .iter()
                .fold((0, 0), |(addressed, with_deficit), area| {
                    (addressed + area.addressed, with_deficit + area.with_deficit)
                });
        Share::new(addressed, with_deficit)
    }
}

/// Training (ПК and ПП) in the window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WindowTraining {
    /// People with at least one record in the window.
    pub people: u32,
    /// Records in the window.
    pub records: u32,
    /// Their academic hours.
    pub hours: u64,
    /// The department's split of the people: with ДОТ or without.
    pub delivery: Delivery,
    /// Records that used ДОТ.
    pub distance_records: u32,
    /// By kind: ПК and ПП, both always present.
    pub by_kind: BTreeMap<TrainingKind, Tally>,
    /// By form of study, every form present.
    pub by_form: BTreeMap<StudyForm, Tally>,
    /// By provider type, every type present.
    pub by_provider: BTreeMap<ProviderType, Tally>,
    /// On programmes of the federal register of ДПП.
    pub on_register: Tally,
}

impl WindowTraining {
    /// Academic hours per trained person; none when nobody trained.
    pub fn hours_per_person(&self) -> Option<f64> {
        (self.people > 0).then(|| self.hours as f64 / f64::from(self.people))
    }

    /// The records by form of study as percents adding up to 100, in [`StudyForm::ALL`] order.
    pub fn form_split(&self) -> Vec<(StudyForm, RoundedPercent)> {
        let counts: Vec<u32> = StudyForm::ALL
            .iter()
            .map(|form| self.by_form.get(form).map_or(0, |tally| tally.records))
            .collect();
        StudyForm::ALL
            .into_iter()
            .zip(split_percents(&counts))
            .collect()
    }
}

/// Records and people of one group of a breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// People with at least one record in the group.
    pub people: u32,
    /// Records in the group.
    pub records: u32,
}

/// The department's «очно / с применением дистанционных технологий»: each trained person in
/// exactly one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Delivery {
    /// People none of whose window records used ДОТ.
    pub in_person: u32,
    /// People at least one of whose window records used ДОТ.
    pub distance: u32,
}

impl Delivery {
    /// Everybody trained.
    pub fn total(self) -> u32 {
        self.in_person + self.distance
    }

    /// `(очно, с ДОТ)` as percents adding up to 100.
    pub fn split(self) -> (RoundedPercent, RoundedPercent) {
        let split = split_percents(&[self.in_person, self.distance]);
        (split[0], split[1])
    }
}

/// Адресность of one competence area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaAddressing {
    /// The area's code.
    pub area: String,
    /// Active people with a deficit in it.
    pub with_deficit: u32,
    /// Of them, people with a record addressing it within 36 months.
    pub addressed: u32,
}

/// Coverage of every kindergarten of the staff list and of the network (see the module for the
/// rules).
pub fn coverage<P: Ord, G: Ord + Clone>(input: &CoverageInput<'_, P, G>) -> CoverageReport<G> {
    let mut units: BTreeMap<&G, [BTreeSet<&P>; 2]> = BTreeMap::new();
    let mut network: [BTreeSet<&P>; 2] = Default::default();
    for member in input.staff {
        let people = units.entry(&member.kindergarten).or_default();
        if member.active {
            let slot = category_slot(member.category);
            people[slot].insert(&member.person);
            network[slot].insert(&member.person);
        }
    }
    CoverageReport {
        at: input.at,
        window: input.window,
        kindergartens: units
            .into_iter()
            .map(|(kindergarten, people)| KindergartenCoverage {
                kindergarten: kindergarten.clone(),
                coverage: scope_coverage(&people, input),
            })
            .collect(),
        network: scope_coverage(&network, input),
    }
}

fn category_slot(category: StaffCategory) -> usize {
    match category {
        StaffCategory::Teacher => 0,
        StaffCategory::Management => 1,
    }
}

fn scope_coverage<P: Ord, G>(
    people: &[BTreeSet<&P>; 2],
    input: &CoverageInput<'_, P, G>,
) -> ScopeCoverage {
    ScopeCoverage {
        teachers: category_coverage(&people[0], input),
        management: category_coverage(&people[1], input),
    }
}

fn category_coverage<P: Ord, G>(
    people: &BTreeSet<&P>,
    input: &CoverageInput<'_, P, G>,
) -> CategoryCoverage {
    let mut result = CategoryCoverage {
        window: WindowTraining {
            by_kind: [TrainingKind::QualificationUpgrade, TrainingKind::Retraining]
                .into_iter()
                .map(|kind| (kind, Tally::default()))
                .collect(),
            by_form: StudyForm::ALL
                .into_iter()
                .map(|form| (form, Tally::default()))
                .collect(),
            by_provider: ProviderType::ALL
                .into_iter()
                .map(|provider| (provider, Tally::default()))
                .collect(),
            ..WindowTraining::default()
        },
        ..CategoryCoverage::default()
    };
    let mut addressing: BTreeMap<&str, AreaAddressing> = BTreeMap::new();
    let no_deficits = BTreeSet::new();
    for &person in people {
        result.active += 1;
        let known: Vec<&TrainingRecord> = input
            .records
            .get(person)
            .into_iter()
            .flatten()
            .filter(|record| record.counted_date() <= input.at)
            .collect();
        let recent: Vec<&TrainingRecord> = known
            .iter()
            .copied()
            .filter(|record| within_36_months(record.counted_date(), input.at))
            .collect();
        if recent.iter().any(|record| record.kind.is_dpo()) {
            result.covered += 1;
        }
        let in_window: Vec<&TrainingRecord> = known
            .iter()
            .copied()
            .filter(|record| record.kind.is_dpo() && input.window.contains(record.counted_date()))
            .collect();
        add_window(&mut result.window, &in_window);
        for area in input.deficits.get(person).unwrap_or(&no_deficits) {
            let row = addressing
                .entry(area.as_str())
                .or_insert_with(|| AreaAddressing {
                    area: area.clone(),
                    with_deficit: 0,
                    addressed: 0,
                });
            row.with_deficit += 1;
            if recent.iter().any(|record| record.addresses(area)) {
                row.addressed += 1;
            }
        }
    }
    result.addressing = addressing.into_values().collect();
    result
}

/// Adds one person's window records to the window figures.
fn add_window(window: &mut WindowTraining, records: &[&TrainingRecord]) {
    if records.is_empty() {
        return;
    }
    window.people += 1;
    window.records += count(records.len());
    window.hours += records
        .iter()
        .map(|record| u64::from(record.hours))
        .sum::<u64>();
    let distance = count(records.iter().filter(|record| record.distance).count());
    window.distance_records += distance;
    if distance > 0 {
        window.delivery.distance += 1;
    } else {
        window.delivery.in_person += 1;
    }
    tally(&mut window.by_kind, records, |record| record.kind);
    tally(&mut window.by_form, records, |record| record.form);
    tally(&mut window.by_provider, records, |record| {
        record.provider_type
    });
    let on_register = count(records.iter().filter(|r| r.federal_register).count());
    if on_register > 0 {
        window.on_register.people += 1;
        window.on_register.records += on_register;
    }
}

/// Counts one person's records into the groups of a breakdown: every record once, the person once
/// in each group one of their records is in.
fn tally<K: Ord + Copy>(
    groups: &mut BTreeMap<K, Tally>,
    records: &[&TrainingRecord],
    key: impl Fn(&TrainingRecord) -> K,
) {
    let mut seen = BTreeSet::new();
    for record in records {
        let group = key(record);
        let tally = groups.entry(group).or_default();
        tally.records += 1;
        if seen.insert(group) {
            tally.people += 1;
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
