//! The packed form of one revision's scores: every node score and critical item in one small binary
//! value, kept in `submissions.packed_scores` next to the `submission_scores` rows it duplicates.
//!
//! A report over a 10,000-teacher network reads one row per submission instead of one per node
//! (~30), and decoding is a walk over bytes. The rows stay the reference (submission detail and
//! `recompute` compare them); both are written in one transaction and `recompute` rewrites both.
//!
//! Layout: one version byte (1), then [`Packed`] in the postcard format (serde, compact: varint
//! integers, length-prefixed strings, `f64` as 8 little-endian bytes, so percents round-trip bit for
//! bit). A new layout takes the next version byte; old values stay readable or are rewritten by
//! `vsoko recompute`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use vsoko_scoring::{NodeCell, NodeKind, NodeScore, ScoreTable, SubmissionScore};

const VERSION: u8 = 1;

/// Why a packed value could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackError(pub(crate) String);

/// The stored value after the version byte. Strings are borrowed when packing and owned when read.
#[derive(Serialize, Deserialize)]
struct Packed<'a> {
    #[serde(borrow)]
    nodes: Vec<PackedNode<'a>>,
    #[serde(borrow)]
    critical_items: Vec<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
struct PackedNode<'a> {
    /// 0 total, 1 area, 2 indicator.
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

/// Packs node scores and critical items (the instrument id is the submission's own, not repeated).
pub(crate) fn pack(score: &SubmissionScore) -> Result<Vec<u8>, PackError> {
    let packed = Packed {
        nodes: score
            .nodes
            .iter()
            .map(|node| PackedNode {
                kind: match node.kind {
                    NodeKind::Total => 0,
                    NodeKind::Area => 1,
                    NodeKind::Indicator => 2,
                },
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
    let mut out = Vec::with_capacity(8 + score.nodes.len() * 32);
    out.push(VERSION);
    postcard::to_extend(&packed, out)
        .map_err(|error| PackError(format!("cannot pack scores: {error}")))
}

/// Reads the value after the version byte, borrowing its strings from `bytes`.
fn read(bytes: &[u8]) -> Result<Packed<'_>, PackError> {
    let Some((&version, rest)) = bytes.split_first() else {
        return Err(PackError("empty packed scores".to_owned()));
    };
    if version != VERSION {
        return Err(PackError(format!(
            "unknown packed scores version {version}"
        )));
    }
    let (packed, left): (Packed<'_>, &[u8]) = postcard::take_from_bytes(rest)
        .map_err(|error| PackError(format!("unreadable packed scores: {error}")))?;
    if !left.is_empty() {
        return Err(PackError(format!(
            "{} bytes after the packed scores",
            left.len()
        )));
    }
    Ok(packed)
}

fn kind_of(code: u8) -> Result<NodeKind, PackError> {
    match code {
        0 => Ok(NodeKind::Total),
        1 => Ok(NodeKind::Area),
        2 => Ok(NodeKind::Indicator),
        other => Err(PackError(format!("unknown node kind {other}"))),
    }
}

/// Unpacks what [`pack`] wrote: node scores and critical items.
pub(crate) fn unpack(bytes: &[u8]) -> Result<(Vec<NodeScore>, Vec<String>), PackError> {
    let packed = read(bytes)?;
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
        .collect::<Result<Vec<_>, _>>()?;
    let critical = packed
        .critical_items
        .into_iter()
        .map(Cow::into_owned)
        .collect();
    Ok((nodes, critical))
}

/// Adds a packed value to a score table as one row, reading its strings in place (no allocation
/// per node: the network report reads thousands of these).
pub(crate) fn push_row(
    table: &mut ScoreTable,
    kindergarten: &str,
    bytes: &[u8],
) -> Result<(), PackError> {
    let packed = read(bytes)?;
    let kinds = packed
        .nodes
        .iter()
        .map(|node| kind_of(node.kind))
        .collect::<Result<Vec<_>, _>>()?;
    table.push_row(
        kindergarten,
        packed.nodes.iter().zip(kinds).map(|(node, kind)| NodeCell {
            kind,
            code: &node.code,
            percent: node.percent,
            level: node.level.as_deref(),
            deficit: node.deficit,
            critical: node.critical,
        }),
    );
    Ok(())
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
}
