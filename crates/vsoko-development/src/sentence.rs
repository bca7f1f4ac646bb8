//! The department's sentence about КПК:
//! «Курсы повышения квалификации прошли 411 педагогических работников; из них 59 % очно и 41 %
//! с применением дистанционных технологий».
//!
//! # The rule
//! * The number is of people trained in the window ([`crate::WindowTraining::people`]), split
//!   into «очно» and «с применением дистанционных технологий» by [`Delivery`] (a person with any
//!   record with ДОТ is in the second group).
//! * The verb and the noun agree with the number as Russian wants: a number ending in 1 but not
//!   in 11 takes the singular («прошёл 1 / 21 / 101 педагогический работник»); ending in 2–4 but
//!   not in 12–14 the plural verb with the genitive singular of the noun and the genitive plural
//!   of the adjective («прошли 2 / 22 педагогических работника»); every other number the plural
//!   verb with the genitive plural («прошли 5 / 11 / 12 / 14 / 111 / 411 педагогических
//!   работников»). Management staff are «руководящий работник» in the same forms.
//! * The shares follow [`crate::split_percents`]: they add up to 100 % and show one decimal only
//!   when a whole percent would hide a group.
//! * When every trained person is in one group the sentence does not say «100 % … и 0 % …»: it
//!   says «все — очно» or «все — с применением дистанционных технологий», and for one person
//!   «(очно)» or «(с применением дистанционных технологий)».
//! * Nobody trained: «Курсы повышения квалификации не проходил ни один педагогический работник».
//! * An optional period («в 2024/2025 учебном году», [`crate::SchoolYear::phrase`]) opens the
//!   sentence: «В 2024/2025 учебном году курсы повышения квалификации прошли …».
//!
//! The sentence ends with a full stop.

use crate::coverage::Delivery;
use crate::record::StaffCategory;

/// The form of a Russian noun after a number: `one` after 1, 21, 101; `few` after 2–4, 22–24;
/// `many` after 0, 5–20, 25–30, 111, …
pub fn plural<'a>(n: u32, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, rest) if rest != 11 => one,
        (2..=4, rest) if !(12..=14).contains(&rest) => few,
        _ => many,
    }
}

/// «N педагогических работников» with the noun phrase agreeing with `n`.
pub fn staff_count(category: StaffCategory, n: u32) -> String {
    let (one, few, many) = staff_forms(category);
    format!("{n} {}", plural(n, one, few, many))
}

fn staff_forms(category: StaffCategory) -> (&'static str, &'static str, &'static str) {
    match category {
        StaffCategory::Teacher => (
            "педагогический работник",
            "педагогических работника",
            "педагогических работников",
        ),
        StaffCategory::Management => (
            "руководящий работник",
            "руководящих работника",
            "руководящих работников",
        ),
    }
}

const SUBJECT: &str = "курсы повышения квалификации";
const DISTANCE: &str = "с применением дистанционных технологий";

/// The department's sentence for `delivery` of people of `category` (see the module); `period`
/// is a prepositional phrase such as «в 2024/2025 учебном году».
pub fn department_sentence(
    category: StaffCategory,
    delivery: Delivery,
    period: Option<&str>,
) -> String {
    let n = delivery.total();
    let opening = match period {
        Some(period) => format!("{} {SUBJECT}", capitalize(period.trim())),
        None => capitalize(SUBJECT),
    };
    if n == 0 {
        let (one, _, _) = staff_forms(category);
        return format!("{opening} не проходил ни один {one}.");
    }
    // The verb agrees as the noun does: singular after 1, 21, 101, plural otherwise.
    let verb = plural(n, "прошёл", "прошли", "прошли");
    let who = staff_count(category, n);
    let how = match (delivery.in_person, delivery.distance) {
        (_, 0) if n == 1 => " (очно)".to_owned(),
        (0, _) if n == 1 => format!(" ({DISTANCE})"),
        (_, 0) => "; все — очно".to_owned(),
        (0, _) => format!("; все — {DISTANCE}"),
        _ => {
            let (in_person, distance) = delivery.split();
            format!("; из них {in_person} очно и {distance} {DISTANCE}")
        }
    };
    format!("{opening} {verb} {who}{how}.")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::StaffCategory::{Management, Teacher};

    /// The sentence with ordinary spaces, for reading.
    fn sentence(in_person: u32, distance: u32) -> String {
        department_sentence(
            Teacher,
            Delivery {
                in_person,
                distance,
            },
            None,
        )
        .replace('\u{a0}', " ")
    }

    #[test]
    fn the_sentence_of_the_department() {
        // 242 очно, 169 с ДОТ of 411: 58,88 / 41,12 → 59 / 41.
        assert_eq!(
            sentence(242, 169),
            "Курсы повышения квалификации прошли 411 педагогических работников; из них 59 % очно и 41 % с применением дистанционных технологий."
        );
    }

    #[test]
    fn the_verb_and_the_noun_agree_with_the_number() {
        // Everyone очно, so that only the number changes the words.
        let cases = [
            (1, "прошёл 1 педагогический работник"),
            (2, "прошли 2 педагогических работника"),
            (5, "прошли 5 педагогических работников"),
            (11, "прошли 11 педагогических работников"),
            (12, "прошли 12 педагогических работников"),
            (14, "прошли 14 педагогических работников"),
            (21, "прошёл 21 педагогический работник"),
            (22, "прошли 22 педагогических работника"),
            (111, "прошли 111 педагогических работников"),
            (411, "прошли 411 педагогических работников"),
        ];
        for (n, words) in cases {
            let text = sentence(n, 0);
            assert!(
                text.starts_with(&format!("Курсы повышения квалификации {words}")),
                "{n}: {text}"
            );
        }
    }

    #[test]
    fn nobody_trained() {
        assert_eq!(
            sentence(0, 0),
            "Курсы повышения квалификации не проходил ни один педагогический работник."
        );
        assert_eq!(
            department_sentence(
                Teacher,
                Delivery::default(),
                Some("в 2024/2025 учебном году")
            ),
            "В 2024/2025 учебном году курсы повышения квалификации не проходил ни один педагогический работник."
        );
    }

    #[test]
    fn one_group_only_is_said_in_words_not_as_one_hundred_and_zero() {
        assert_eq!(
            sentence(1, 0),
            "Курсы повышения квалификации прошёл 1 педагогический работник (очно)."
        );
        assert_eq!(
            sentence(0, 1),
            "Курсы повышения квалификации прошёл 1 педагогический работник (с применением дистанционных технологий)."
        );
        assert_eq!(
            sentence(2, 0),
            "Курсы повышения квалификации прошли 2 педагогических работника; все — очно."
        );
        assert_eq!(
            sentence(0, 21),
            "Курсы повышения квалификации прошёл 21 педагогический работник; все — с применением дистанционных технологий."
        );
    }

    #[test]
    fn a_small_group_is_shown_with_a_decimal() {
        // 410 / 1 of 411: 99,76 / 0,24 → 99,8 / 0,2 (a whole 100 / 0 would hide the one).
        assert_eq!(
            sentence(410, 1),
            "Курсы повышения квалификации прошли 411 педагогических работников; из них 99,8 % очно и 0,2 % с применением дистанционных технологий."
        );
    }

    #[test]
    fn management_and_a_period() {
        // 3 очно, 2 с ДОТ: 60 / 40.
        assert_eq!(
            department_sentence(
                Management,
                Delivery {
                    in_person: 3,
                    distance: 2
                },
                Some("в 2024/2025 учебном году"),
            )
            .replace('\u{a0}', " "),
            "В 2024/2025 учебном году курсы повышения квалификации прошли 5 руководящих работников; из них 60 % очно и 40 % с применением дистанционных технологий."
        );
        assert_eq!(staff_count(Management, 3), "3 руководящих работника");
        assert_eq!(staff_count(Management, 101), "101 руководящий работник");
    }
}
