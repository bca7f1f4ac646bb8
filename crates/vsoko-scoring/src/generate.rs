//! A deterministic generator of batch answer files, for the benchmark and tests.

use std::io::{self, Write};

use vsoko_checklist::{Instrument, NumericRule, ScaleKind};

/// SplitMix64: tiny, fast, deterministic for a seed on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Respondents per kindergarten in generated data.
pub const RESPONDENTS_PER_KINDERGARTEN: u64 = 20;

/// Writes `rows` answer rows (plus the header) for `instrument`: one submission per respondent,
/// [`RESPONDENTS_PER_KINDERGARTEN`] respondents per kindergarten (so about rows / (items × 20)
/// kindergartens), one period (`period`), about 5 %
/// N/A (where the scale allows it), 3 % missing answers, and about 2 % of submissions followed by a
/// higher-numbered resubmission of the same respondent (the latest revision rule). The same
/// arguments always give the same bytes.
pub fn generate_answers(
    instrument: &Instrument,
    rows: u64,
    seed: u64,
    period: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    let items: Vec<_> = instrument.items().collect();
    let id = instrument.id().to_string();
    writeln!(
        out,
        "submission_id,kindergarten,respondent,period,instrument,item,value"
    )?;
    let mut written = 0u64;
    let mut submission = 0u64;
    let mut value = String::new();
    while written < rows {
        submission += 1;
        // Respondents are visited in order; a resubmission repeats the previous respondent.
        let resubmit = submission > 1 && rng.below(50) == 0;
        let slot = if resubmit {
            submission - 2
        } else {
            submission - 1
        };
        let kg = slot / RESPONDENTS_PER_KINDERGARTEN;
        let respondent = slot % RESPONDENTS_PER_KINDERGARTEN;
        // Each kindergarten has its own quality level, so results differ between them.
        let quality = (kg * 7919 % 100) as f64 / 100.0;
        for item in &items {
            if written >= rows {
                break;
            }
            if rng.below(100) < 3 {
                continue;
            }
            value.clear();
            let na = item.scale.allows_na() && rng.below(100) < 5;
            if !na {
                let r = (rng.unit() + quality) / 2.0;
                match item.scale.kind() {
                    ScaleKind::Options(options) => {
                        let k = ((r * options.len() as f64) as usize).min(options.len() - 1);
                        value.push_str(&options[k].value().to_string());
                    }
                    ScaleKind::Numeric { min, max, rule, .. } => {
                        let (lo, hi) = match rule {
                            NumericRule::Target { target, .. } => {
                                (min.unwrap_or(0.0), max.unwrap_or(target * 2.0))
                            }
                            NumericRule::Bands(bands) => {
                                let lo = min.unwrap_or(bands[0].from());
                                let last = bands[bands.len() - 1].from();
                                (lo, max.unwrap_or(last + (last - lo).max(1.0)))
                            }
                        };
                        let v = (lo + r * (hi - lo)).round();
                        value.push_str(&v.clamp(lo, hi).to_string());
                    }
                }
            }
            writeln!(
                out,
                "{submission},kg{kg:05},r{kg:05}-{respondent:02},{period},{id},{},{value}",
                item.item.code()
            )?;
            written += 1;
        }
    }
    Ok(())
}
