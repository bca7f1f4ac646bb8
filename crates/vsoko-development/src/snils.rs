//! СНИЛС, the insurance number a ФИС ФРДО record identifies its recipient by: read from the way
//! people write it («112-233-445 95», «11223344595») and checked by its control number.
//!
//! # The rule (ПФР, the control number of a СНИЛС)
//! Eleven digits: a number of nine and a control number of two. Each of the nine digits is
//! multiplied by its position counted from the end (9 for the first, 1 for the last) and the
//! products summed; the control number is the sum when it is below 100, `00` when it is 100 or
//! 101, and otherwise the remainder of the sum divided by 101 (`00` again when that is 100).
//! Numbers up to 001-001-998 were issued before the rule and are not checked.

/// The СНИЛС as eleven digits, or why `text` is not one (in Russian, to show at its cell).
pub fn parse_snils(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let other = text
        .chars()
        .any(|c| !c.is_ascii_digit() && !matches!(c, '-' | ' ' | '\u{a0}'));
    if other || digits.len() != 11 {
        return Err(format!(
            "«{}» — не СНИЛС: нужно 11 цифр, например 112-233-445 95",
            text.trim()
        ));
    }
    let number: u64 = digits[..9].parse().unwrap_or(0);
    let given: u32 = digits[9..].parse().unwrap_or(0);
    if number > 1_001_998 && control_number(&digits[..9]) != given {
        return Err(format!(
            "«{}» — в СНИЛС ошибка: контрольное число не сходится, проверьте цифры",
            text.trim()
        ));
    }
    Ok(digits)
}

fn control_number(nine: &str) -> u32 {
    let sum: u32 = nine
        .chars()
        .zip((1..=9).rev())
        .map(|(digit, weight)| digit.to_digit(10).unwrap_or(0) * weight)
        .sum();
    match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            rest => rest,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_number_is_checked() {
        // 112-233-445: 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1 = 95.
        assert_eq!(parse_snils("112-233-445 95").as_deref(), Ok("11223344595"));
        assert_eq!(parse_snils("11223344595").as_deref(), Ok("11223344595"));
        assert!(
            parse_snils("112-233-445 94")
                .unwrap_err()
                .contains("контрольное число")
        );
        // A sum of 100 or 101 gives 00: 087-654-303 → 0·9+8·8+7·7+6·6+5·5+4·4+3·3+0·2+3·1 = 202,
        // 202 mod 101 = 0.
        assert_eq!(parse_snils("087-654-303 00").as_deref(), Ok("08765430300"));
        // Old numbers are not checked.
        assert!(parse_snils("001-001-998 77").is_ok());
    }

    #[test]
    fn what_is_not_a_snils_says_so() {
        assert!(parse_snils("112-233-445").unwrap_err().contains("11 цифр"));
        assert!(
            parse_snils("112-233-445 9x")
                .unwrap_err()
                .contains("11 цифр")
        );
    }
}
