//! Mentoring pairs of teachers across kindergartens ([`TeacherPairing`]).
//!
//! Areas are taken one after another ([`TeacherPairing::area`]). In an area, a **mentee** is a
//! teacher whose own score is below the deficit threshold and a **mentor** a teacher whose own
//! score reaches the strength band. Mentees are taken from the lowest score up (ties: the
//! person's key). A mentee keeps the mentor an earlier area gave her when that mentor is a mentor
//! in this area too (one mentor for several areas, no extra load). Otherwise she gets the first
//! mentor **of another kindergarten** who mentors fewer than `cap` people so far, over all areas,
//! in this preference: a confirmed tutor first; then the higher score; then the lighter load so
//! far; then the kindergarten's and the person's key. A mentee with no free mentor gets none. A
//! proposal is advice: the heads of both kindergartens decide.

use std::collections::BTreeMap;

use vsoko_checklist::round6;

/// A teacher's own score in an area.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInArea<P, K> {
    /// The person.
    pub person: P,
    /// Her kindergarten.
    pub kindergarten: K,
    /// Her score in the area, percent.
    pub score: f64,
    /// Whether she is a tutor her head confirmed (or the department designated).
    pub tutor: bool,
}

/// A mentee and the mentor proposed for her.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherPairProposal<P, K> {
    /// The teacher below the threshold.
    pub mentee: PersonInArea<P, K>,
    /// Her proposed mentor; `None`: nobody free in another kindergarten.
    pub mentor: Option<PersonInArea<P, K>>,
}

/// The pairing of a network's teachers, area after area.
#[derive(Debug, Clone)]
pub struct TeacherPairing<P> {
    cap: u32,
    load: BTreeMap<P, u32>,
    assigned: BTreeMap<P, P>,
}

impl<P: Ord + Clone> TeacherPairing<P> {
    /// A pairing where a mentor takes at most `cap` people.
    pub fn new(cap: u32) -> Self {
        TeacherPairing {
            cap,
            load: BTreeMap::new(),
            assigned: BTreeMap::new(),
        }
    }

    /// The pairs of one area, by the rules of the module.
    pub fn area<K: Ord + Clone>(
        &mut self,
        mentors: &[PersonInArea<P, K>],
        mentees: &[PersonInArea<P, K>],
    ) -> Vec<TeacherPairProposal<P, K>> {
        let mut order: Vec<&PersonInArea<P, K>> = mentees.iter().collect();
        order.sort_by(|a, b| {
            round6(a.score)
                .total_cmp(&round6(b.score))
                .then_with(|| a.person.cmp(&b.person))
        });
        let mut pairs = Vec::new();
        for mentee in order {
            let kept = self
                .assigned
                .get(&mentee.person)
                .and_then(|person| mentors.iter().find(|mentor| &mentor.person == person));
            let mentor = kept.or_else(|| {
                let load_of =
                    |p: &PersonInArea<P, K>| self.load.get(&p.person).copied().unwrap_or(0);
                mentors
                    .iter()
                    .filter(|mentor| mentor.kindergarten != mentee.kindergarten)
                    .filter(|mentor| load_of(mentor) < self.cap)
                    .min_by(|a, b| {
                        b.tutor
                            .cmp(&a.tutor)
                            .then_with(|| round6(b.score).total_cmp(&round6(a.score)))
                            .then_with(|| load_of(a).cmp(&load_of(b)))
                            .then_with(|| a.kindergarten.cmp(&b.kindergarten))
                            .then_with(|| a.person.cmp(&b.person))
                    })
            });
            if let (None, Some(mentor)) = (kept, mentor) {
                *self.load.entry(mentor.person.clone()).or_insert(0) += 1;
                self.assigned
                    .entry(mentee.person.clone())
                    .or_insert_with(|| mentor.person.clone());
            }
            pairs.push(TeacherPairProposal {
                mentee: mentee.clone(),
                mentor: mentor.cloned(),
            });
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teacher(person: u32, kindergarten: u32, score: f64, tutor: bool) -> PersonInArea<u32, u32> {
        PersonInArea {
            person,
            kindergarten,
            score,
            tutor,
        }
    }

    fn pairs(
        mentors: &[PersonInArea<u32, u32>],
        mentees: &[PersonInArea<u32, u32>],
        cap: u32,
    ) -> Vec<(u32, Option<u32>)> {
        TeacherPairing::new(cap)
            .area(mentors, mentees)
            .into_iter()
            .map(|pair| (pair.mentee.person, pair.mentor.map(|m| m.person)))
            .collect()
    }

    #[test]
    fn a_tutor_first_then_the_higher_score_never_her_own_kindergarten() {
        let mentors = [
            teacher(1, 10, 95.0, false),
            teacher(2, 20, 75.0, true),
            teacher(3, 30, 90.0, false),
        ];
        // The lowest first: 12, of № 20 like the tutor, gets the highest of another, 1; then
        // 11 gets the tutor.
        let mentees = [teacher(11, 30, 25.0, false), teacher(12, 20, 10.0, false)];
        assert_eq!(pairs(&mentors, &mentees, 3), [(12, Some(1)), (11, Some(2))]);
    }

    #[test]
    fn the_cap_passes_mentees_on_and_leaves_the_last_without() {
        let mentors = [teacher(1, 10, 95.0, true), teacher(2, 10, 80.0, false)];
        let mentees = [
            teacher(11, 20, 5.0, false),
            teacher(12, 20, 10.0, false),
            teacher(13, 20, 15.0, false),
        ];
        assert_eq!(
            pairs(&mentors, &mentees, 1),
            [(11, Some(1)), (12, Some(2)), (13, None)]
        );
        // Equal scores: the person's key decides the order of mentees.
        let tied = [teacher(14, 20, 5.0, false), teacher(11, 20, 5.0, false)];
        assert_eq!(pairs(&mentors, &tied, 1), [(11, Some(1)), (14, Some(2))]);
    }

    #[test]
    fn a_mentee_keeps_her_mentor_in_the_next_area_without_more_load() {
        let mut pairing = TeacherPairing::new(1);
        let first = pairing.area(
            &[teacher(1, 10, 90.0, false)],
            &[teacher(11, 20, 5.0, false)],
        );
        assert_eq!(first[0].mentor.as_ref().map(|m| m.person), Some(1));
        // Mentor 1 is full, but 11 keeps her; 12 gets the other one.
        let second = pairing.area(
            &[teacher(1, 10, 85.0, false), teacher(2, 30, 99.0, true)],
            &[teacher(11, 20, 5.0, false), teacher(12, 20, 6.0, false)],
        );
        let short: Vec<_> = second
            .iter()
            .map(|pair| (pair.mentee.person, pair.mentor.as_ref().map(|m| m.person)))
            .collect();
        assert_eq!(short, [(11, Some(1)), (12, Some(2))]);
        // In an area where her mentor is not strong, she gets another — the tutor, now full.
        let third = pairing.area(
            &[teacher(2, 30, 99.0, true), teacher(3, 30, 80.0, false)],
            &[teacher(11, 20, 5.0, false)],
        );
        assert_eq!(third[0].mentor.as_ref().map(|m| m.person), Some(3));
    }

    #[test]
    fn equal_mentors_go_to_the_lighter_load() {
        let mentors = [teacher(1, 10, 80.0, false), teacher(2, 30, 80.0, false)];
        let mentees = [teacher(11, 20, 5.0, false), teacher(12, 20, 6.0, false)];
        assert_eq!(pairs(&mentors, &mentees, 2), [(11, Some(1)), (12, Some(2))]);
    }
}
