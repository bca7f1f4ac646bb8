//! Whether a kindergarten's or the network's result may speak for it: how many of its active
//! teachers (or groups, or kindergartens) took part. One survey of a network of two hundred
//! teachers is one person's view, not the network's level, change or strength.

use vsoko_checklist::{Counting, Instrument, Subject};

use crate::scope::{ReportScope, ScopeReport};

/// The least share of the active subjects a result needs to have a level, a change and
/// conclusions, unless the network sets its own.
pub const MIN_COVERAGE_PERCENT: f64 = 50.0;
/// … and the fewest subjects (teachers, groups): below three a mean is one or two people's.
pub const MIN_COVERAGE_SUBJECTS: u32 = 3;

/// How many of the active subjects a result is made of, and whether that is enough.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// Subjects with a counted submission.
    pub counted: u32,
    /// Active subjects of the scope (teachers, groups, kindergartens).
    pub base: u32,
    /// `counted / base`, percent; `None` without a base.
    pub percent: Option<f64>,
    /// Whether the result may have a level, a change and conclusions.
    pub enough: bool,
    /// The least share it was held to (the network's setting or [`MIN_COVERAGE_PERCENT`]).
    pub min_percent: f64,
}

/// Whether the coverage rule applies to a report of `instrument` over `scope`: kindergarten and
/// network reports of instruments that count one answer per respondent or per subject (surveys,
/// indicator sets). A teacher's own report is hers whatever the others did; control cards count
/// observations, which are a sample by design; anonymous questionnaires have the small-group
/// rule instead; a kindergarten's own indicator set is its one form.
pub fn coverage_applies(instrument: &Instrument, scope: ReportScope) -> bool {
    let counts_people = matches!(
        instrument.counting(),
        Counting::OnePerRespondent | Counting::OnePerSubject
    );
    let own_form =
        scope == ReportScope::Kindergarten && instrument.subject() == Subject::Kindergarten;
    counts_people
        && !instrument.respondent().is_anonymous()
        && scope != ReportScope::Subject
        && !own_form
}

/// The coverage of `counted` of `base` subjects: enough at `min_percent` (the network's setting,
/// by default [`MIN_COVERAGE_PERCENT`]) or more of the base and at least
/// [`MIN_COVERAGE_SUBJECTS`] subjects (for kindergartens in a network report, the share alone).
pub fn coverage(counted: u32, base: u32, of_kindergartens: bool, min_percent: f64) -> Coverage {
    let percent = (base > 0).then(|| f64::from(counted) * 100.0 / f64::from(base));
    let least = if of_kindergartens {
        1
    } else {
        MIN_COVERAGE_SUBJECTS
    };
    Coverage {
        counted,
        base,
        percent,
        enough: percent.is_some_and(|percent| {
            vsoko_checklist::round6(percent) >= min_percent && counted >= least
        }),
        min_percent,
    }
}

/// A kindergarten of a network report made of too few of its own subjects keeps its scores and
/// loses its level, the levels of its areas, its change and its place.
pub fn withhold_unit_conclusions<K>(unit: &mut crate::UnitRow<K>) {
    unit.level = None;
    unit.delta = None;
    unit.drop = false;
    unit.rank = None;
    for area in &mut unit.areas {
        area.level = None;
    }
}

/// What a result without enough coverage keeps: its scores, each with its `n`; what it loses:
/// levels, changes and the flags conclusions are drawn from (deficit, drop), and the level of
/// each kindergarten of a network report.
pub fn withhold_conclusions<K>(report: &mut ScopeReport<K>) {
    for row in &mut report.rows {
        row.level = None;
        row.deficit = false;
        row.delta = None;
        row.drop = false;
    }
    for unit in &mut report.kindergartens {
        unit.delta = None;
        unit.drop = false;
        unit.rank = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_needs_half_of_its_subjects_and_at_least_three() {
        let one_of_many = coverage(1, 200, false, MIN_COVERAGE_PERCENT);
        assert_eq!(one_of_many.percent, Some(0.5));
        assert!(!one_of_many.enough);
        assert!(
            !coverage(2, 3, false, MIN_COVERAGE_PERCENT).enough,
            "two people are no kindergarten"
        );
        assert!(
            coverage(3, 6, false, MIN_COVERAGE_PERCENT).enough,
            "half, three"
        );
        assert!(
            !coverage(3, 7, false, MIN_COVERAGE_PERCENT).enough,
            "three of seven is under half"
        );
        assert!(coverage(12, 20, false, MIN_COVERAGE_PERCENT).enough);
        let none = coverage(0, 0, false, MIN_COVERAGE_PERCENT);
        assert_eq!(none.percent, None);
        assert!(!none.enough, "no base is no result");
        assert!(
            coverage(1, 2, true, MIN_COVERAGE_PERCENT).enough,
            "kindergartens: the share alone"
        );
        assert!(!coverage(4, 10, true, MIN_COVERAGE_PERCENT).enough);
        // A network that asks for more: three of five is not enough at 80 %, four is.
        assert!(!coverage(3, 5, false, 80.0).enough);
        assert!(coverage(4, 5, false, 80.0).enough);
        assert_eq!(coverage(4, 5, false, 80.0).min_percent, 80.0);
    }
}
