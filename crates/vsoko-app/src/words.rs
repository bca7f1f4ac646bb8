//! Russian words after numbers and at the ends of sentences: the one place every page, report
//! and справка takes them from.

/// The form of a noun after a number: `plural(3, "вопрос", "вопроса", "вопросов")` — «1 вопрос»,
/// «3 вопроса», «11 вопросов», «21 вопрос». For a case whose two plural forms agree, `few` and
/// `many` are the same word (`plural(n, "форме", "формах", "формах")`).
pub fn plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, rest) if rest != 11 => one,
        (2..=4, rest) if !(12..=14).contains(&rest) => few,
        _ => many,
    }
}

/// `n` and its noun: `counted(5, "педагог", "педагога", "педагогов")` → «5 педагогов».
pub fn counted(n: usize, one: &str, few: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, few, many))
}

/// A sentence ending with one full stop, whether its last word is an abbreviation that has one
/// already («6,4 п.п.») or not.
pub fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_agree_with_their_numbers() {
        let forms = |n| plural(n, "педагог", "педагога", "педагогов");
        for (n, expected) in [
            (0, "педагогов"),
            (1, "педагог"),
            (2, "педагога"),
            (4, "педагога"),
            (5, "педагогов"),
            (11, "педагогов"),
            (12, "педагогов"),
            (14, "педагогов"),
            (21, "педагог"),
            (22, "педагога"),
            (111, "педагогов"),
            (101, "педагог"),
        ] {
            assert_eq!(forms(n), expected, "{n}");
        }
        assert_eq!(counted(3, "группа", "группы", "групп"), "3 группы");
        assert_eq!(counted(25, "группа", "группы", "групп"), "25 групп");
    }

    #[test]
    fn a_sentence_ends_with_one_full_stop() {
        assert_eq!(
            sentence("не хватает 6,4\u{a0}п.п."),
            "не хватает 6,4\u{a0}п.п."
        );
        assert_eq!(sentence("не хватает 6,4 %"), "не хватает 6,4 %.");
        assert_eq!(sentence("Готово. "), "Готово.");
    }
}
