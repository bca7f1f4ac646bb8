//! Shares as people read them: whole percents, one decimal only where a whole would mislead.
//!
//! # One share ([`Share::text`])
//! A share is shown in whole percents, rounded half up (59,5 % → 60 %). One decimal is shown only
//! when the whole would say «nobody» or «everybody» when that is not so: a non-zero share that
//! rounds to 0 % (1 of 411 = 0,24 % → «0,2 %») or a share short of the whole that rounds to 100 %
//! (410 of 411 = 99,76 % → «99,8 %»). When even one decimal says 0,0 or 100,0 the text says
//! «менее 0,1 %» or «более 99,9 %». All rounding is on integers, exact.
//!
//! # A split ([`split_percents`])
//! The parts of one whole (очно / с ДОТ; the forms of study) are shown so that they add up to
//! exactly 100: **largest-remainder rounding** — each part gets the floor of its exact percent,
//! and the points still missing go one each to the parts with the largest remainders (ties: the
//! larger part, then the earlier one). The whole split switches to one decimal (largest remainder
//! over 1000 tenths) when whole percents would show a non-zero part as 0 %; should a non-zero part
//! still show 0,0 % (under 0,05 % of the whole), it is given 0,1 taken from the largest part, so
//! that no group that exists reads as empty.

use std::fmt;

/// A count out of a whole: 242 of 411.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share {
    /// The count.
    pub part: u32,
    /// What it is a count of; never 0.
    pub whole: u32,
}

impl Share {
    /// `part` of `whole`; none when the whole is empty (a share of nobody is no figure).
    pub fn new(part: u32, whole: u32) -> Option<Share> {
        (whole > 0).then_some(Share { part, whole })
    }

    /// The exact percent.
    pub fn percent(self) -> f64 {
        f64::from(self.part) * 100.0 / f64::from(self.whole)
    }

    /// The percent rounded by the rule of one share (see the module).
    pub fn rounded(self) -> RoundedPercent {
        let (part, whole) = (u64::from(self.part), u64::from(self.whole));
        let percent = round_half_up(part * 100, whole);
        let misleading = (part > 0 && percent == 0) || (part < whole && percent == 100);
        if misleading {
            RoundedPercent {
                tenths: to_u32(round_half_up(part * 1000, whole)),
                one_decimal: true,
            }
        } else {
            RoundedPercent {
                tenths: to_u32(percent * 10),
                one_decimal: false,
            }
        }
    }

    /// «59 %», «0,2 %», «менее 0,1 %», «более 99,9 %».
    pub fn text(self) -> String {
        let rounded = self.rounded();
        if self.part > 0 && rounded.tenths == 0 {
            format!("менее {}", RoundedPercent::tenths(1))
        } else if self.part < self.whole && rounded.tenths == 1000 {
            format!("более {}", RoundedPercent::tenths(999))
        } else {
            rounded.to_string()
        }
    }
}

/// A rounded percent: whole («59 %») or with one decimal («0,2 %»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoundedPercent {
    /// The value in tenths of a percent (59 % → 590).
    pub tenths: u32,
    /// Whether it is shown with one decimal.
    pub one_decimal: bool,
}

impl RoundedPercent {
    /// A whole percent.
    pub fn whole(percent: u32) -> RoundedPercent {
        RoundedPercent {
            tenths: percent * 10,
            one_decimal: false,
        }
    }

    /// A percent with one decimal, from tenths (2 → 0,2 %).
    pub fn tenths(tenths: u32) -> RoundedPercent {
        RoundedPercent {
            tenths,
            one_decimal: true,
        }
    }
}

impl fmt::Display for RoundedPercent {
    /// `59 %` or `0,2 %`, with a no-break space before the sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.one_decimal {
            write!(f, "{},{}\u{a0}%", self.tenths / 10, self.tenths % 10)
        } else {
            write!(f, "{}\u{a0}%", self.tenths / 10)
        }
    }
}

/// The parts of one whole as percents that add up to 100 (see the module); all 0 % when the
/// whole is empty.
pub fn split_percents(parts: &[u32]) -> Vec<RoundedPercent> {
    let whole = largest_remainder(parts, 100);
    let hides_a_part = parts
        .iter()
        .zip(&whole)
        .any(|(&part, &percent)| part > 0 && percent == 0);
    if !hides_a_part {
        return whole.into_iter().map(RoundedPercent::whole).collect();
    }
    let mut tenths = largest_remainder(parts, 1000);
    for i in 0..parts.len() {
        if parts[i] > 0 && tenths[i] == 0 {
            // The largest shown part (the first of equals) gives a tenth.
            let mut largest = 0;
            for (j, &value) in tenths.iter().enumerate() {
                if value > tenths[largest] {
                    largest = j;
                }
            }
            tenths[largest] -= 1;
            tenths[i] = 1;
        }
    }
    tenths.into_iter().map(RoundedPercent::tenths).collect()
}

/// `units` shared among `parts` in proportion, the floors first and the rest by the largest
/// remainders (ties: the larger part, then the earlier).
fn largest_remainder(parts: &[u32], units: u32) -> Vec<u32> {
    let total: u64 = parts.iter().map(|&part| u64::from(part)).sum();
    if total == 0 {
        return vec![0; parts.len()];
    }
    let units64 = u64::from(units);
    let mut shares: Vec<u32> = parts
        .iter()
        .map(|&part| to_u32(u64::from(part) * units64 / total))
        .collect();
    let given: u32 = shares.iter().sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| {
        let remainder = u64::from(parts[i]) * units64 % total;
        (std::cmp::Reverse(remainder), std::cmp::Reverse(parts[i]), i)
    });
    for &i in order.iter().take((units - given) as usize) {
        shares[i] += 1;
    }
    shares
}

/// `numerator / denominator` rounded half up.
fn round_half_up(numerator: u64, denominator: u64) -> u64 {
    (2 * numerator + denominator) / (2 * denominator)
}

fn to_u32(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(parts: &[u32]) -> Vec<String> {
        split_percents(parts)
            .iter()
            .map(|percent| percent.to_string().replace('\u{a0}', " "))
            .collect()
    }

    fn share(part: u32, whole: u32) -> String {
        Share::new(part, whole)
            .expect("a whole")
            .text()
            .replace('\u{a0}', " ")
    }

    #[test]
    fn one_share_is_whole_unless_it_would_read_as_nobody_or_everybody() {
        // 242/411 = 58,88 % → 59 %; 1/8 = 12,5 % → 13 % (half up).
        assert_eq!(share(242, 411), "59 %");
        assert_eq!(share(1, 8), "13 %");
        assert_eq!(share(0, 411), "0 %");
        assert_eq!(share(411, 411), "100 %");
        // 1/411 = 0,243 % → 0 % would hide the one person: 0,2 %.
        assert_eq!(share(1, 411), "0,2 %");
        // 410/411 = 99,757 % → 100 % would say everybody: 99,8 %.
        assert_eq!(share(410, 411), "99,8 %");
        // 1/250 = 0,4 % → 0 %: 0,4 %; 1/200 = 0,5 % → 1 % (half up, not hidden).
        assert_eq!(share(1, 250), "0,4 %");
        assert_eq!(share(1, 200), "1 %");
        // 1/3000 = 0,033 % → 0,0 % even with a decimal; 2999/3000 = 99,967 % → 100,0 %.
        assert_eq!(share(1, 3000), "менее 0,1 %");
        assert_eq!(share(2999, 3000), "более 99,9 %");
        assert_eq!(Share::new(1, 0), None);
    }

    #[test]
    fn a_split_adds_up_to_one_hundred() {
        // 242 + 169 = 411: 58,88 / 41,12 → 58 + 41 = 99, the larger remainder (0,88) gets the
        // last point: 59 / 41.
        assert_eq!(texts(&[242, 169]), ["59 %", "41 %"]);
        // 3 / 3 / 2 of 8 = 37,5 / 37,5 / 25: half-up rounding of each would give 38 + 38 + 25 =
        // 101. Floors 37 + 37 + 25 = 99; remainders 4, 4, 0 (of 8): the point goes to the first
        // of the two equal ones: 38 / 37 / 25.
        assert_eq!(texts(&[3, 3, 2]), ["38 %", "37 %", "25 %"]);
        // 1 / 1 / 1 = 33,3 each: 34 / 33 / 33.
        assert_eq!(texts(&[1, 1, 1]), ["34 %", "33 %", "33 %"]);
        // A larger part wins a tie of remainders: 2 / 1 of 3 = 66,67 / 33,33 → floors 66 + 33,
        // remainders 2 and 1 (of 3): 67 / 33.
        assert_eq!(texts(&[2, 1]), ["67 %", "33 %"]);
        assert_eq!(texts(&[0, 0]), ["0 %", "0 %"]);
        assert_eq!(texts(&[5, 0]), ["100 %", "0 %"]);
    }

    #[test]
    fn a_split_that_would_hide_a_part_shows_tenths() {
        // 410 / 1 of 411: whole percents 100 / 0 hide the one. Tenths: 997,57 / 2,43 → floors
        // 997 + 2 = 999, the larger remainder (0,57) gets the last tenth: 99,8 / 0,2.
        assert_eq!(texts(&[410, 1]), ["99,8 %", "0,2 %"]);
        // 2999 / 1 of 3000: tenths 999,67 / 0,33 → 1000 / 0 still hide it: the one gets 0,1
        // from the largest part: 99,9 / 0,1.
        assert_eq!(texts(&[2999, 1]), ["99,9 %", "0,1 %"]);
        // Every shown split sums to 1000 tenths.
        for parts in [[410u32, 1, 0], [2997, 2, 1], [1, 1, 998], [7, 3, 1]] {
            let sum: u32 = split_percents(&parts).iter().map(|p| p.tenths).sum();
            assert_eq!(sum, 1000, "{parts:?}");
        }
    }
}
