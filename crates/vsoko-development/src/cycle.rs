//! The management cycle of the department (мониторинг → анализ → адресные рекомендации →
//! управленческие решения → анализ эффективности): a recommendation addressed to a deficit, the
//! decisions taken on it, where it stands, and its effect at the next period — with the same
//! rule as an individual route's «итоги» ([`crate::effect`]); and the effect of training on the
//! teachers of an area, trained against untrained.
//!
//! # Where a recommendation stands ([`recommendation_state`])
//! * **решение принято** — at least one decision is recorded;
//! * **ответ получен** — the addressee answered, no decision yet;
//! * **просрочена** — neither, and its due date is before today;
//! * **ожидает ответа** — otherwise.
//!
//! # Its effect ([`crate::effect`])
//! The node's result in the recommendation's period against the next period with a result of
//! the same subject (the kindergarten's mean, or the teacher's own score), at the instrument's
//! deficit threshold: «дефицит закрыт» (below before, at or above after), «улучшение» (up by
//! [`crate::EFFECT_PP`] points or more), «ухудшение» (down by as much), «без изменений»; «нет
//! данных» until the next period has a result.
//!
//! # Training, trained against untrained ([`training_effect`])
//! The teachers below the threshold in an area in the first period and with a result in it in
//! the next: **trained** when a training record addressing the area is dated after the first
//! period began and on or before the next one ended, **untrained** otherwise. For each group:
//! how many of each effect, and «эффективность ПК» — the share of the group whose level (the
//! level band of their own score) in the area rose. The two groups are compared only when each
//! has at least [`MIN_GROUP`] teachers; a smaller group is «недостаточно данных». The same
//! comparison over every area together counts a teacher once per area with a deficit
//! ([`TrainingEffect::pooled_sentence`]): the network's «эффективность ПК» when each area is too
//! small on its own.

use chrono::NaiveDate;

use crate::route::Effect;
use crate::share::Share;

/// The least number of teachers in each group for trained and untrained to be compared.
pub const MIN_GROUP: u32 = 3;

/// Where a recommendation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecommendationState {
    /// Nothing yet, not overdue.
    Waiting,
    /// Nothing yet, its due date passed.
    Overdue,
    /// The addressee answered.
    Answered,
    /// A decision is recorded.
    Decided,
}

impl RecommendationState {
    /// Every state, in the register's order.
    pub const ALL: [RecommendationState; 4] = [
        RecommendationState::Waiting,
        RecommendationState::Overdue,
        RecommendationState::Answered,
        RecommendationState::Decided,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RecommendationState::Waiting => "waiting",
            RecommendationState::Overdue => "overdue",
            RecommendationState::Answered => "answered",
            RecommendationState::Decided => "decided",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            RecommendationState::Waiting => "ожидает ответа",
            RecommendationState::Overdue => "просрочена",
            RecommendationState::Answered => "ответ получен",
            RecommendationState::Decided => "решение принято",
        }
    }

    /// The state of a code.
    pub fn parse(code: &str) -> Option<RecommendationState> {
        RecommendationState::ALL
            .into_iter()
            .find(|state| state.code() == code)
    }
}

/// Where a recommendation due `due` stands `today` (see the module).
pub fn recommendation_state(
    answered: bool,
    decisions: usize,
    due: NaiveDate,
    today: NaiveDate,
) -> RecommendationState {
    if decisions > 0 {
        RecommendationState::Decided
    } else if answered {
        RecommendationState::Answered
    } else if due < today {
        RecommendationState::Overdue
    } else {
        RecommendationState::Waiting
    }
}

/// The text a recommendation is prefilled with: the instrument's own recommendation for the
/// node, else a sentence naming it.
pub fn recommendation_text(instrument_text: Option<&str>, node: &str, title: &str) -> String {
    match instrument_text
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        Some(text) => text.to_owned(),
        None => format!(
            "Спланировать и провести меры по устранению дефицита: {node} «{title}» (методическое сопровождение, повышение квалификации, наставничество)"
        ),
    }
}

/// One teacher's result in an area at two periods, and whether she was trained in between.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeacherChange {
    pub trained: bool,
    /// Percent results before and after.
    pub before: f64,
    pub after: f64,
    /// Their level bands (indices).
    pub level_before: usize,
    pub level_after: usize,
    /// The effect by [`crate::effect`].
    pub effect: Effect,
}

/// One group's effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupEffect {
    pub n: u32,
    pub closed: u32,
    pub improved: u32,
    pub unchanged: u32,
    pub worse: u32,
    /// Whose level rose.
    pub level_rose: u32,
}

impl GroupEffect {
    fn add(&mut self, change: &TeacherChange) {
        self.n += 1;
        match change.effect {
            Effect::Closed => self.closed += 1,
            Effect::Improved => self.improved += 1,
            Effect::Unchanged => self.unchanged += 1,
            Effect::Worse => self.worse += 1,
            Effect::NoData => self.n -= 1,
        }
        if change.effect != Effect::NoData && change.level_after > change.level_before {
            self.level_rose += 1;
        }
    }

    /// «эффективность ПК» of the group: whose level rose, of the group; none when it is
    /// smaller than [`MIN_GROUP`].
    pub fn level_rose_share(&self) -> Option<Share> {
        (self.n >= MIN_GROUP)
            .then(|| Share::new(self.level_rose, self.n))
            .flatten()
    }

    /// Closed or improved, of the group; none when it is smaller than [`MIN_GROUP`].
    pub fn better_share(&self) -> Option<Share> {
        (self.n >= MIN_GROUP)
            .then(|| Share::new(self.closed + self.improved, self.n))
            .flatten()
    }
}

/// Trained against untrained in one area (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrainingEffect {
    pub trained: GroupEffect,
    pub untrained: GroupEffect,
}

impl TrainingEffect {
    /// Whether the groups are compared (each of at least [`MIN_GROUP`]).
    pub fn comparable(&self) -> bool {
        self.trained.n >= MIN_GROUP && self.untrained.n >= MIN_GROUP
    }

    /// The sentence of the comparison in one area, in Russian.
    pub fn sentence(&self, area: &str) -> String {
        self.sentence_of(&format!("По области {area}"))
    }

    /// The sentence of the comparison over every area together, each teacher counted once per
    /// area with a deficit.
    pub fn pooled_sentence(&self) -> String {
        self.sentence_of(
            "По всем областям вместе (педагог считается по каждой своей области с дефицитом)",
        )
    }

    fn sentence_of(&self, whose: &str) -> String {
        let (Some(trained), Some(untrained)) = (
            self.trained.level_rose_share(),
            self.untrained.level_rose_share(),
        ) else {
            return format!(
                "{whose}: недостаточно данных для сравнения — обученных педагогов с дефицитом {}, необученных {} (нужно не меньше {MIN_GROUP} в каждой группе).",
                self.trained.n, self.untrained.n
            );
        };
        let (t, u) = (trained.percent(), untrained.percent());
        let verdict = if t > u {
            "у обученных уровень повышался чаще"
        } else if t < u {
            "у обученных уровень повышался не чаще, чем у необученных: обучение эффекта не показало"
        } else {
            "разницы между обученными и необученными нет"
        };
        format!(
            "{whose}: уровень повысился у {} обученных ({} из {}) и у {} необученных ({} из {}); {verdict}.",
            trained.text(),
            trained.part,
            trained.whole,
            untrained.text(),
            untrained.part,
            untrained.whole
        )
    }
}

/// Trained against untrained over the teachers of one area (see the module).
pub fn training_effect(changes: &[TeacherChange]) -> TrainingEffect {
    let mut result = TrainingEffect::default();
    for change in changes {
        if change.trained {
            result.trained.add(change);
        } else {
            result.untrained.add(change);
        }
    }
    result
}

/// Whether a training record dated `date` counts as training between a first period starting
/// `first_start` and a next period ending `next_end`.
pub fn trained_between(date: NaiveDate, first_start: NaiveDate, next_end: NaiveDate) -> bool {
    date >= first_start && date <= next_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::effect;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_state_follows_decisions_answers_and_the_due_date() {
        let due = day(2027, 5, 31);
        assert_eq!(
            recommendation_state(false, 0, due, day(2027, 5, 31)),
            RecommendationState::Waiting
        );
        assert_eq!(
            recommendation_state(false, 0, due, day(2027, 6, 1)),
            RecommendationState::Overdue
        );
        assert_eq!(
            recommendation_state(true, 0, due, day(2027, 6, 1)),
            RecommendationState::Answered
        );
        assert_eq!(
            recommendation_state(false, 1, due, day(2027, 6, 1)),
            RecommendationState::Decided
        );
        for state in RecommendationState::ALL {
            assert_eq!(RecommendationState::parse(state.code()), Some(state));
        }
    }

    #[test]
    fn the_text_is_the_instruments_or_names_the_node() {
        assert_eq!(
            recommendation_text(
                Some(" КПК «Формы работы с семьёй» "),
                "B2",
                "Работа с семьёй"
            ),
            "КПК «Формы работы с семьёй»"
        );
        assert_eq!(
            recommendation_text(None, "A2", "Коммуникация"),
            "Спланировать и провести меры по устранению дефицита: A2 «Коммуникация» (методическое сопровождение, повышение квалификации, наставничество)"
        );
    }

    fn change(trained: bool, before: f64, after: f64, levels: (usize, usize)) -> TeacherChange {
        TeacherChange {
            trained,
            before,
            after,
            level_before: levels.0,
            level_after: levels.1,
            effect: effect(Some(before), Some(after), 30.0),
        }
    }

    #[test]
    fn trained_and_untrained_are_counted_by_the_effect_rule() {
        let changes = [
            change(true, 20.0, 35.0, (1, 2)),  // closed, level rose
            change(true, 20.0, 26.0, (1, 1)),  // improved, same level
            change(true, 25.0, 24.0, (1, 1)),  // unchanged
            change(true, 10.0, 40.0, (0, 2)),  // closed
            change(false, 20.0, 14.0, (1, 0)), // worse
            change(false, 20.0, 22.0, (1, 1)), // unchanged
            change(false, 28.0, 30.0, (1, 2)), // closed exactly at the threshold
        ];
        let result = training_effect(&changes);
        assert_eq!(
            result.trained,
            GroupEffect {
                n: 4,
                closed: 2,
                improved: 1,
                unchanged: 1,
                worse: 0,
                level_rose: 2
            }
        );
        assert_eq!(
            result.untrained,
            GroupEffect {
                n: 3,
                closed: 1,
                improved: 0,
                unchanged: 1,
                worse: 1,
                level_rose: 1
            }
        );
        assert!(result.comparable());
        assert_eq!(result.trained.level_rose_share(), Share::new(2, 4));
        assert_eq!(result.trained.better_share(), Share::new(3, 4));
        assert_eq!(
            result.sentence("A2"),
            "По области A2: уровень повысился у 50\u{a0}% обученных (2 из 4) и у 33\u{a0}% необученных (1 из 3); у обученных уровень повышался чаще."
        );
    }

    #[test]
    fn the_areas_pooled_compare_what_each_area_alone_cannot() {
        let one = [
            change(true, 20.0, 35.0, (1, 2)),
            change(true, 20.0, 22.0, (1, 1)),
            change(false, 20.0, 22.0, (1, 1)),
        ];
        let other = [
            change(true, 20.0, 35.0, (1, 2)),
            change(false, 20.0, 14.0, (1, 0)),
            change(false, 20.0, 35.0, (1, 2)),
        ];
        assert!(!training_effect(&one).comparable());
        assert!(!training_effect(&other).comparable());
        let pooled: Vec<TeacherChange> = one.iter().chain(&other).copied().collect();
        let result = training_effect(&pooled);
        assert!(result.comparable());
        assert_eq!(
            result.pooled_sentence(),
            "По всем областям вместе (педагог считается по каждой своей области с дефицитом): уровень повысился у 67\u{a0}% обученных (2 из 3) и у 33\u{a0}% необученных (1 из 3); у обученных уровень повышался чаще."
        );
    }

    #[test]
    fn a_small_group_is_not_compared() {
        let changes = [
            change(true, 20.0, 35.0, (1, 2)),
            change(true, 20.0, 35.0, (1, 2)),
            change(false, 20.0, 22.0, (1, 1)),
            change(false, 20.0, 22.0, (1, 1)),
            change(false, 20.0, 22.0, (1, 1)),
        ];
        let result = training_effect(&changes);
        assert!(!result.comparable());
        assert_eq!(result.trained.level_rose_share(), None);
        assert_eq!(
            result.sentence("A1"),
            "По области A1: недостаточно данных для сравнения — обученных педагогов с дефицитом 2, необученных 3 (нужно не меньше 3 в каждой группе)."
        );
    }

    #[test]
    fn equal_or_lower_shares_say_so() {
        let same = [
            change(true, 20.0, 35.0, (1, 2)),
            change(true, 20.0, 22.0, (1, 1)),
            change(true, 20.0, 22.0, (1, 1)),
            change(false, 20.0, 35.0, (1, 2)),
            change(false, 20.0, 22.0, (1, 1)),
            change(false, 20.0, 22.0, (1, 1)),
        ];
        assert!(
            training_effect(&same)
                .sentence("A3")
                .ends_with("разницы между обученными и необученными нет.")
        );
        let mut worse = same;
        worse[0] = change(true, 20.0, 22.0, (1, 1));
        assert!(
            training_effect(&worse)
                .sentence("A3")
                .ends_with("обучение эффекта не показало.")
        );
    }

    #[test]
    fn training_counts_from_the_first_period_to_the_end_of_the_next() {
        let (start, end) = (day(2026, 9, 1), day(2027, 5, 31));
        assert!(trained_between(day(2026, 9, 1), start, end));
        assert!(trained_between(day(2027, 5, 31), start, end));
        assert!(!trained_between(day(2026, 8, 31), start, end));
        assert!(!trained_between(day(2027, 6, 1), start, end));
    }
}
