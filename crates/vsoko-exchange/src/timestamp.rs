//! Timestamps as Google Forms, Google Sheets, Yandex Forms and Excel write them.

/// Parses a form timestamp into ISO 8601 (`YYYY-MM-DDTHH:MM:SS`, with `±HH:MM` when the source
/// gives an offset). Accepted: `15.09.2025 10:23:45`, `2025-09-15 10:23:45`, `2025-09-15T10:23:45Z`,
/// `2025/09/15 10:23:45 AM GMT+3`, `9/15/2025 10:23:45`, and dates without time.
pub(crate) fn parse_timestamp(text: &str) -> Option<String> {
    // ISO's `T` between date and time, but not the one in «GMT».
    let chars: Vec<char> = text.trim().chars().collect();
    let normalized: String = chars
        .iter()
        .enumerate()
        .map(|(index, &c)| {
            let between_digits = index > 0
                && chars[index - 1].is_ascii_digit()
                && chars.get(index + 1).is_some_and(char::is_ascii_digit);
            if c == 'T' && between_digits { ' ' } else { c }
        })
        .collect();
    let mut parts = normalized.split_whitespace();
    let (year, month, day) = parse_date(parts.next()?)?;
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let mut offset = None;
    let mut meridiem = None;
    for part in parts {
        let upper = part.to_uppercase();
        if upper == "AM" || upper == "PM" {
            meridiem = Some(upper == "PM");
        } else if part.contains(':') && part.starts_with(|c: char| c.is_ascii_digit()) {
            let (time, time_offset) = split_offset(part);
            (hour, minute, second) = parse_time(time)?;
            if time_offset.is_some() {
                offset = time_offset;
            }
        } else {
            offset = Some(parse_offset(part)?);
        }
    }
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, hour) => hour + 12,
            (false, hour) => hour,
        };
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut iso = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if let Some(offset) = offset {
        iso.push_str(&offset);
    }
    Some(iso)
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let separator = ['.', '-', '/'].into_iter().find(|s| text.contains(*s))?;
    let fields: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = fields.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 && separator == '/' {
        // Google's English-locale export writes month/day/year.
        (number(c)?, number(a)?, number(b)?)
    } else if c.len() == 4 {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return None;
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&day)
        .then_some((year, month, day))
}

fn parse_time(text: &str) -> Option<(u32, u32, u32)> {
    let fields: Vec<&str> = text.split(':').collect();
    match fields.as_slice() {
        [h, m] => Some((number(h)?, number(m)?, 0)),
        [h, m, s] => {
            // Fractions of a second are dropped.
            let s = s.split(['.', ',']).next()?;
            Some((number(h)?, number(m)?, number(s)?))
        }
        _ => None,
    }
}

/// Splits `10:23:45+03:00` or `10:23:45Z` into the time and the offset.
fn split_offset(text: &str) -> (&str, Option<String>) {
    if let Some(time) = text.strip_suffix('Z') {
        return (time, Some("+00:00".to_owned()));
    }
    if let Some(position) = text.find(['+', '-'])
        && let Some(offset) = parse_offset(&text[position..])
    {
        return (&text[..position], Some(offset));
    }
    (text, None)
}

/// `GMT+3`, `UTC+03:00`, `+0300`, `+03:00`, `МСК` → `+03:00`.
fn parse_offset(text: &str) -> Option<String> {
    let upper = text.to_uppercase();
    if upper == "МСК" || upper == "MSK" {
        return Some("+03:00".to_owned());
    }
    let rest = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(&upper);
    if rest.is_empty() {
        return Some("+00:00".to_owned());
    }
    let (sign, digits) = match rest.chars().next()? {
        '+' => ('+', &rest[1..]),
        '-' => ('-', &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (number(h)?, number(m)?),
        None if digits.len() == 4 => (number(&digits[..2])?, number(&digits[2..])?),
        None => (number(digits)?, 0),
    };
    (hours <= 14 && minutes < 60).then(|| format!("{sign}{hours:02}:{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    #[test]
    fn the_usual_form_timestamps_are_understood() {
        let cases = [
            ("15.09.2025 10:23:45", Some("2025-09-15T10:23:45")),
            ("15.09.2025 9:05", Some("2025-09-15T09:05:00")),
            ("2025-09-15 10:23:45", Some("2025-09-15T10:23:45")),
            ("2025-09-15T10:23:45Z", Some("2025-09-15T10:23:45+00:00")),
            (
                "2025-09-15T10:23:45+03:00",
                Some("2025-09-15T10:23:45+03:00"),
            ),
            (
                "2025/09/15 1:23:45 PM GMT+3",
                Some("2025-09-15T13:23:45+03:00"),
            ),
            (
                "2025/09/15 12:10:00 AM GMT+3",
                Some("2025-09-15T00:10:00+03:00"),
            ),
            ("9/15/2025 10:23:45", Some("2025-09-15T10:23:45")),
            ("15.09.2025", Some("2025-09-15T00:00:00")),
            ("31.02.2025 10:00", None),
            ("вчера", None),
            ("15.09.2025 25:00", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_timestamp(text).as_deref(), expected, "{text}");
        }
    }
}
