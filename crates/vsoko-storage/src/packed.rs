//! The packed form of one revision's scores: every node score and critical item in one small binary
//! value, kept in `submissions.packed_scores` — the only stored copy of a revision's scores, written
//! in the transaction that stores its answers and rewritten by `recompute` from the answers.
//!
//! A report over a 10,000-teacher network reads one row per submission instead of one per node
//! (~20), and the network report decodes only the numbers it aggregates.
//!
//! Layout (version 2): one version byte, then [`PackedV2`] in the postcard format (serde, compact:
//! varint integers, length-prefixed strings, `f64` as 8 little-endian bytes, so percents round-trip
//! bit for bit):
//! 1. [`Numbers`]: a hash of the node layout (kinds and codes in order), the level codes used, and
//!    per node its flags, level and percent — all a network report reads, found by position when
//!    the layout hash is the instrument's;
//! 2. [`Details`], as length-prefixed bytes (skipped without parsing by the network report): per
//!    node its kind, code, coverage and counts, and the critical items — for the full [`NodeScore`]s of the
//!    other reports, and as the fallback when the layout differs.
//!
//! A value knows its own length, so values can be read one after another from a concatenation
//! (the network report fetches one concatenation per kindergarten, see `reports.rs`).
//!
//! Version 1 (one value with every node's kind, code and numbers) is still read; `vsoko recompute`
//! rewrites such values as version 2. A new layout takes the next version byte.

use std::borrow::Cow;

use crate::model::Id;

use crate::model::KindergartenId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vsoko_scoring::{NodeCell, NodeKind, NodeScore, ScoreTable, SubmissionScore};

const VERSION: u8 = 2;
const VERSION_1: u8 = 1;

/// Node flags in [`Numbers`].
const VALID: u8 = 1;
const CRITICAL: u8 = 2;
const DEFICIT: u8 = 4;
/// The level of a node that is not valid.
const NO_LEVEL: u8 = u8::MAX;

/// Why a packed value could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackError(pub(crate) String);

fn kind_code(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::Total => 0,
        NodeKind::Area => 1,
        NodeKind::Indicator => 2,
        NodeKind::Variable => 3,
    }
}

fn kind_of(code: u8) -> Result<NodeKind, PackError> {
    match code {
        0 => Ok(NodeKind::Total),
        1 => Ok(NodeKind::Area),
        2 => Ok(NodeKind::Indicator),
        3 => Ok(NodeKind::Variable),
        other => Err(PackError(format!("unknown node kind {other}"))),
    }
}

/// A hash of the nodes' kinds and codes in order: equal layouts, equal hashes.
pub(crate) fn layout_hash<'a>(nodes: impl IntoIterator<Item = (NodeKind, &'a str)>) -> u64 {
    let mut hasher = Sha256::new();
    for (kind, code) in nodes {
        hasher.update([kind_code(kind)]);
        hasher.update((code.len() as u64).to_le_bytes());
        hasher.update(code.as_bytes());
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// The first section of a version-2 value: what the network report aggregates.
#[derive(Serialize, Deserialize)]
struct Numbers<'a> {
    layout: u64,
    /// The distinct level codes of the nodes, indexed by [`NodeNumbers::level`].
    #[serde(borrow)]
    levels: Vec<Cow<'a, str>>,
    nodes: Vec<NodeNumbers>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
struct NodeNumbers {
    /// [`VALID`], [`CRITICAL`], [`DEFICIT`].
    flags: u8,
    /// Index into [`Numbers::levels`], or [`NO_LEVEL`].
    level: u8,
    /// The percent when valid (0 otherwise).
    percent: f64,
}

/// A version-2 value after the version byte.
#[derive(Serialize, Deserialize)]
struct PackedV2<'a> {
    #[serde(borrow)]
    numbers: Numbers<'a>,
    /// [`Details`] in postcard.
    #[serde(borrow)]
    details: &'a [u8],
}

/// The second section of a version-2 value: the rest of every [`NodeScore`].
#[derive(Serialize, Deserialize)]
struct Details<'a> {
    #[serde(borrow)]
    nodes: Vec<NodeDetails<'a>>,
    #[serde(borrow)]
    critical_items: Vec<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
struct NodeDetails<'a> {
    kind: u8,
    #[serde(borrow)]
    code: Cow<'a, str>,
    coverage: f64,
    n_items: u32,
    n_answered: u32,
}

/// A version-1 value (still read).
#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct PackedV1<'a> {
    #[serde(borrow)]
    nodes: Vec<NodeV1<'a>>,
    #[serde(borrow)]
    critical_items: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct NodeV1<'a> {
    kind: u8,
    #[serde(borrow)]
    code: Cow<'a, str>,
    percent: Option<f64>,
    #[serde(borrow)]
    level: Option<Cow<'a, str>>,
    coverage: f64,
    n_items: u32,
    n_answered: u32,
    critical: bool,
    deficit: bool,
}

fn unreadable(error: postcard::Error) -> PackError {
    PackError(format!("unreadable packed scores: {error}"))
}

/// Packs node scores and critical items (the instrument id is the submission's own, not repeated).
pub(crate) fn pack(score: &SubmissionScore) -> Result<Vec<u8>, PackError> {
    let mut levels: Vec<&str> = Vec::new();
    let mut nodes = Vec::with_capacity(score.nodes.len());
    for node in &score.nodes {
        let level = match (node.percent, node.level.as_deref()) {
            (Some(_), Some(code)) => {
                let index = match levels.iter().position(|l| *l == code) {
                    Some(index) => index,
                    None => {
                        levels.push(code);
                        levels.len() - 1
                    }
                };
                u8::try_from(index)
                    .ok()
                    .filter(|i| *i != NO_LEVEL)
                    .ok_or_else(|| PackError("more than 254 level codes".to_owned()))?
            }
            _ => NO_LEVEL,
        };
        let mut flags = 0;
        if node.percent.is_some() {
            flags |= VALID;
        }
        if node.critical {
            flags |= CRITICAL;
        }
        if node.deficit {
            flags |= DEFICIT;
        }
        nodes.push(NodeNumbers {
            flags,
            level,
            percent: node.percent.unwrap_or(0.0),
        });
    }
    let numbers = Numbers {
        layout: layout_hash(score.nodes.iter().map(|n| (n.kind, n.code.as_str()))),
        levels: levels.into_iter().map(Cow::Borrowed).collect(),
        nodes,
    };
    let details = Details {
        nodes: score
            .nodes
            .iter()
            .map(|node| NodeDetails {
                kind: kind_code(node.kind),
                code: Cow::Borrowed(&node.code),
                coverage: node.coverage,
                n_items: node.n_items,
                n_answered: node.n_answered,
            })
            .collect(),
        critical_items: score
            .critical_items
            .iter()
            .map(|item| Cow::Borrowed(item.as_str()))
            .collect(),
    };
    let cannot = |error: postcard::Error| PackError(format!("cannot pack scores: {error}"));
    let details = postcard::to_allocvec(&details).map_err(cannot)?;
    postcard::to_extend(
        &PackedV2 {
            numbers,
            details: &details,
        },
        vec![VERSION],
    )
    .map_err(cannot)
}

/// The version byte and the rest of a packed value.
fn version(bytes: &[u8]) -> Result<(u8, &[u8]), PackError> {
    match bytes.split_first() {
        Some((&version @ (VERSION | VERSION_1), rest)) => Ok((version, rest)),
        Some((other, _)) => Err(PackError(format!("unknown packed scores version {other}"))),
        None => Err(PackError("empty packed scores".to_owned())),
    }
}

fn nothing_after(left: &[u8]) -> Result<(), PackError> {
    if left.is_empty() {
        Ok(())
    } else {
        Err(PackError(format!(
            "{} bytes after the packed scores",
            left.len()
        )))
    }
}

/// The node scores and critical items of one packed value.
type Scores = (Vec<NodeScore>, Vec<String>);

/// Reads one value from the start of `bytes`: its node scores and critical items, and the bytes
/// after it.
fn take(bytes: &[u8]) -> Result<(Scores, &[u8]), PackError> {
    let (version, rest) = version(bytes)?;
    if version == VERSION_1 {
        let (packed, left): (PackedV1<'_>, &[u8]) =
            postcard::take_from_bytes(rest).map_err(unreadable)?;
        let nodes = packed
            .nodes
            .into_iter()
            .map(|node| {
                Ok(NodeScore {
                    kind: kind_of(node.kind)?,
                    code: node.code.into_owned(),
                    percent: node.percent,
                    level: node.level.map(Cow::into_owned),
                    coverage: node.coverage,
                    n_items: node.n_items,
                    n_answered: node.n_answered,
                    critical: node.critical,
                    deficit: node.deficit,
                })
            })
            .collect::<Result<Vec<_>, PackError>>()?;
        let critical = packed
            .critical_items
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        return Ok(((nodes, critical), left));
    }
    let (packed, left): (PackedV2<'_>, &[u8]) =
        postcard::take_from_bytes(rest).map_err(unreadable)?;
    let details: Details<'_> = postcard::from_bytes(packed.details).map_err(unreadable)?;
    let numbers = packed.numbers;
    if numbers.nodes.len() != details.nodes.len() {
        return Err(PackError(format!(
            "{} node numbers for {} nodes",
            numbers.nodes.len(),
            details.nodes.len()
        )));
    }
    let nodes = numbers
        .nodes
        .iter()
        .zip(details.nodes)
        .map(|(number, detail)| {
            let valid = number.flags & VALID != 0;
            let level = match number.level {
                NO_LEVEL => None,
                index => Some(
                    numbers
                        .levels
                        .get(usize::from(index))
                        .ok_or_else(|| PackError(format!("level {index} is not in the table")))?
                        .to_string(),
                ),
            };
            Ok(NodeScore {
                kind: kind_of(detail.kind)?,
                code: detail.code.into_owned(),
                percent: valid.then_some(number.percent),
                level,
                coverage: detail.coverage,
                n_items: detail.n_items,
                n_answered: detail.n_answered,
                critical: number.flags & CRITICAL != 0,
                deficit: number.flags & DEFICIT != 0,
            })
        })
        .collect::<Result<Vec<_>, PackError>>()?;
    let critical = details
        .critical_items
        .into_iter()
        .map(Cow::into_owned)
        .collect();
    Ok(((nodes, critical), left))
}

/// Unpacks what [`pack`] wrote (either version): node scores and critical items.
pub(crate) fn unpack(bytes: &[u8]) -> Result<Scores, PackError> {
    let (scores, left) = take(bytes)?;
    nothing_after(left)?;
    Ok(scores)
}

/// Adds the first value of `bytes` to a score table as one row and returns the bytes after it. A
/// version-2 value whose layout is the table's (`layout`: [`layout_hash`] of the table's nodes) is
/// read by position from its numbers alone; any other is matched node by node on kind and code.
fn take_row<'b>(
    table: &mut ScoreTable<Id>,
    layout: u64,
    kindergarten: KindergartenId,
    subject: Id,
    bytes: &'b [u8],
) -> Result<&'b [u8], PackError> {
    let (version, rest) = version(bytes)?;
    if version == VERSION {
        let (packed, left): (PackedV2<'_>, &[u8]) =
            postcard::take_from_bytes(rest).map_err(unreadable)?;
        let numbers = packed.numbers;
        if numbers.layout == layout {
            let levels: Vec<Option<u32>> = numbers
                .levels
                .iter()
                .map(|code| table.level_index(code))
                .collect();
            table.push_positional(
                &kindergarten.get(),
                &subject,
                numbers.nodes.iter().map(|node| {
                    let valid = node.flags & VALID != 0;
                    (
                        valid.then_some(node.percent),
                        levels.get(usize::from(node.level)).copied().flatten(),
                        node.flags & DEFICIT != 0,
                        node.flags & CRITICAL != 0,
                    )
                }),
            );
            return Ok(left);
        }
    }
    let ((nodes, _), left) = take(bytes)?;
    table.push_row(
        &kindergarten.get(),
        &subject,
        nodes.iter().map(NodeCell::from),
    );
    Ok(left)
}

/// Adds one packed value to a score table as one row (see [`take_row`]).
#[cfg(test)]
pub(crate) fn push_row(
    table: &mut ScoreTable<Id>,
    layout: u64,
    kindergarten: KindergartenId,
    subject: Id,
    bytes: &[u8],
) -> Result<(), PackError> {
    nothing_after(take_row(table, layout, kindergarten, subject, bytes)?)
}

/// Adds the packed values concatenated in `bytes`, one per subject of `subjects`, to a score
/// table as rows of one kindergarten.
pub(crate) fn push_rows(
    table: &mut ScoreTable<Id>,
    layout: u64,
    kindergarten: KindergartenId,
    subjects: &[Id],
    mut bytes: &[u8],
) -> Result<(), PackError> {
    for &subject in subjects {
        bytes = take_row(table, layout, kindergarten, subject, bytes)?;
    }
    nothing_after(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsoko_checklist::{Code, InstrumentId};

    fn score() -> SubmissionScore {
        let node = |kind, code: &str, percent: Option<f64>, level: Option<&str>| NodeScore {
            kind,
            code: code.to_owned(),
            percent,
            level: level.map(str::to_owned),
            coverage: 100.0 / 3.0,
            n_items: 3,
            n_answered: 1,
            critical: percent == Some(0.0),
            deficit: percent.is_some_and(|p| p < 50.0),
        };
        SubmissionScore {
            instrument: InstrumentId {
                code: Code::parse("test-survey").unwrap(),
                version: 1,
            },
            nodes: vec![
                node(
                    NodeKind::Total,
                    "test-survey",
                    Some(59.99999999999999),
                    Some("B1"),
                ),
                node(NodeKind::Area, "A1", Some(0.0), Some("A1")),
                node(NodeKind::Indicator, "A1.1", None, None),
                node(
                    NodeKind::Indicator,
                    "Д.1",
                    Some(f64::MIN_POSITIVE),
                    Some("Ур"),
                ),
            ],
            critical_items: vec!["A1.1.1".to_owned(), "Д.1.2".to_owned()],
        }
    }

    #[test]
    fn scores_round_trip_bit_for_bit() {
        let score = score();
        let packed = pack(&score).unwrap();
        let (nodes, critical) = unpack(&packed).unwrap();
        assert_eq!(nodes, score.nodes);
        assert_eq!(critical, score.critical_items);
        for (a, b) in nodes.iter().zip(&score.nodes) {
            assert_eq!(a.percent.map(f64::to_bits), b.percent.map(f64::to_bits));
            assert_eq!(a.coverage.to_bits(), b.coverage.to_bits());
        }
    }

    #[test]
    fn truncated_or_foreign_bytes_are_errors_not_panics() {
        let packed = pack(&score()).unwrap();
        for len in 0..packed.len() {
            assert!(unpack(&packed[..len]).is_err(), "prefix of {len} bytes");
        }
        let mut longer = packed.clone();
        longer.push(0);
        assert!(unpack(&longer).is_err());
        let mut other_version = packed;
        other_version[0] = 9;
        assert!(unpack(&other_version).is_err());
    }

    /// What version 1 wrote for a score.
    fn pack_v1(score: &SubmissionScore) -> Vec<u8> {
        let packed = PackedV1 {
            nodes: score
                .nodes
                .iter()
                .map(|node| NodeV1 {
                    kind: kind_code(node.kind),
                    code: Cow::Borrowed(&node.code),
                    percent: node.percent,
                    level: node.level.as_deref().map(Cow::Borrowed),
                    coverage: node.coverage,
                    n_items: node.n_items,
                    n_answered: node.n_answered,
                    critical: node.critical,
                    deficit: node.deficit,
                })
                .collect(),
            critical_items: score
                .critical_items
                .iter()
                .map(|item| Cow::Borrowed(item.as_str()))
                .collect(),
        };
        postcard::to_extend(&packed, vec![VERSION_1]).unwrap()
    }

    #[test]
    fn version_1_values_are_still_read() {
        let score = score();
        let (nodes, critical) = unpack(&pack_v1(&score)).unwrap();
        assert_eq!(nodes, score.nodes);
        assert_eq!(critical, score.critical_items);
        assert!(pack(&score).unwrap().len() < pack_v1(&score).len() + 16);
    }

    #[test]
    fn the_network_read_by_position_equals_the_read_by_code() {
        use vsoko_checklist::{AnswerValue, RawAnswer};
        let instrument = vsoko_checklist::parse_toml(
            include_str!("../tests/support/survey_v1.toml"),
            "survey_v1.toml",
        )
        .unwrap();
        let scores: Vec<SubmissionScore> = (0..12)
            .map(|i| {
                let sheet = instrument
                    .validate_answers(instrument.items().enumerate().map(|(k, item)| RawAnswer {
                        item: item.item.code().to_string(),
                        value: if (i + k) % 5 == 0 && item.scale.allows_na() {
                            AnswerValue::NotApplicable
                        } else {
                            AnswerValue::Value(((i * 7 + k) % 3) as f64)
                        },
                        comment: None,
                    }))
                    .unwrap();
                vsoko_scoring::score_submission(&instrument, &sheet).unwrap()
            })
            .collect();
        let mut by_position = ScoreTable::new(&instrument);
        let mut by_code = ScoreTable::new(&instrument);
        let mut from_v1 = ScoreTable::new(&instrument);
        let layout = layout_hash(by_position.submission_layout());
        for (i, score) in scores.iter().enumerate() {
            let kindergarten = [1, 2, 3][i % 3];
            let subject = i as Id;
            let packed = pack(score).unwrap();
            push_row(
                &mut by_position,
                layout,
                KindergartenId::new(kindergarten),
                subject,
                &packed,
            )
            .unwrap();
            // Another layout hash: read node by node from the second section.
            push_row(
                &mut by_code,
                layout ^ 1,
                KindergartenId::new(kindergarten),
                subject,
                &packed,
            )
            .unwrap();
            push_row(
                &mut from_v1,
                layout,
                KindergartenId::new(kindergarten),
                subject,
                &pack_v1(score),
            )
            .unwrap();
        }
        let report =
            |table: &ScoreTable<Id>| vsoko_scoring::aggregate_table(&instrument, table).unwrap();
        let expected = report(&by_code);
        assert!(expected.totals.len() == 3 && !expected.network.is_empty());
        assert_eq!(report(&by_position), expected);
        assert_eq!(report(&from_v1), expected);
        for (kind, code) in by_position.submission_layout().collect::<Vec<_>>() {
            assert_eq!(
                by_position.is_critical(kind, code),
                by_code.is_critical(kind, code)
            );
        }
    }
}
