//! The packed form of one revision's scores: every node score and critical item in one small binary
//! value, kept in `submissions.packed_scores` next to the `submission_scores` rows it duplicates.
//!
//! A report over a 10,000-teacher network reads one row per submission instead of one per node
//! (~30), and decoding is a walk over bytes. The rows stay the reference (submission detail and
//! `recompute` compare them); both are written in one transaction and `recompute` rewrites both.
//!
//! Layout (little endian), version 1:
//!
//! ```text
//! u8  version (1)
//! u16 node count
//!   per node: u8 kind (0 total, 1 area, 2 indicator)
//!             u8 flags (1 percent, 2 level, 4 critical, 8 deficit)
//!             str code, [f64 percent], [str level], f64 coverage, u32 n_items, u32 n_answered
//! u16 critical item count, per item: str code
//! str = u16 byte length + UTF-8 bytes
//! ```

use vsoko_scoring::{NodeKind, NodeScore, SubmissionScore};

const VERSION: u8 = 1;
const PERCENT: u8 = 1;
const LEVEL: u8 = 2;
const CRITICAL: u8 = 4;
const DEFICIT: u8 = 8;

/// Why a packed value could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackError(pub(crate) String);

/// Packs node scores and critical items (the instrument id is the submission's own, not repeated).
pub(crate) fn pack(score: &SubmissionScore) -> Result<Vec<u8>, PackError> {
    let mut out = Vec::with_capacity(8 + score.nodes.len() * 40);
    out.push(VERSION);
    put_len(&mut out, score.nodes.len(), "node count")?;
    for node in &score.nodes {
        out.push(match node.kind {
            NodeKind::Total => 0,
            NodeKind::Area => 1,
            NodeKind::Indicator => 2,
        });
        let mut flags = 0;
        if node.percent.is_some() {
            flags |= PERCENT;
        }
        if node.level.is_some() {
            flags |= LEVEL;
        }
        if node.critical {
            flags |= CRITICAL;
        }
        if node.deficit {
            flags |= DEFICIT;
        }
        out.push(flags);
        put_str(&mut out, &node.code)?;
        if let Some(percent) = node.percent {
            out.extend_from_slice(&percent.to_le_bytes());
        }
        if let Some(level) = &node.level {
            put_str(&mut out, level)?;
        }
        out.extend_from_slice(&node.coverage.to_le_bytes());
        out.extend_from_slice(&node.n_items.to_le_bytes());
        out.extend_from_slice(&node.n_answered.to_le_bytes());
    }
    put_len(&mut out, score.critical_items.len(), "critical item count")?;
    for item in &score.critical_items {
        put_str(&mut out, item)?;
    }
    Ok(out)
}

/// Unpacks what [`pack`] wrote: node scores and critical items.
pub(crate) fn unpack(bytes: &[u8]) -> Result<(Vec<NodeScore>, Vec<String>), PackError> {
    let mut reader = Reader { bytes, at: 0 };
    let version = reader.u8()?;
    if version != VERSION {
        return Err(PackError(format!(
            "unknown packed scores version {version}"
        )));
    }
    let count = usize::from(reader.u16()?);
    let mut nodes = Vec::with_capacity(count);
    for _ in 0..count {
        let kind = match reader.u8()? {
            0 => NodeKind::Total,
            1 => NodeKind::Area,
            2 => NodeKind::Indicator,
            other => return Err(PackError(format!("unknown node kind {other}"))),
        };
        let flags = reader.u8()?;
        let code = reader.string()?;
        let percent = if flags & PERCENT != 0 {
            Some(reader.f64()?)
        } else {
            None
        };
        let level = if flags & LEVEL != 0 {
            Some(reader.string()?)
        } else {
            None
        };
        nodes.push(NodeScore {
            kind,
            code,
            percent,
            level,
            coverage: reader.f64()?,
            n_items: reader.u32()?,
            n_answered: reader.u32()?,
            critical: flags & CRITICAL != 0,
            deficit: flags & DEFICIT != 0,
        });
    }
    let count = usize::from(reader.u16()?);
    let mut critical = Vec::with_capacity(count);
    for _ in 0..count {
        critical.push(reader.string()?);
    }
    if reader.at != bytes.len() {
        return Err(PackError(format!(
            "{} bytes after the packed scores",
            bytes.len() - reader.at
        )));
    }
    Ok((nodes, critical))
}

fn put_len(out: &mut Vec<u8>, len: usize, what: &str) -> Result<(), PackError> {
    let len = u16::try_from(len).map_err(|_| PackError(format!("{what} {len} is too large")))?;
    out.extend_from_slice(&len.to_le_bytes());
    Ok(())
}

fn put_str(out: &mut Vec<u8>, text: &str) -> Result<(), PackError> {
    put_len(out, text.len(), "code length")?;
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PackError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len());
        let Some(end) = end else {
            return Err(PackError(format!(
                "packed scores end early at byte {}",
                self.at
            )));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PackError> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u8(&mut self) -> Result<u8, PackError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, PackError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, PackError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f64(&mut self) -> Result<f64, PackError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    fn string(&mut self) -> Result<String, PackError> {
        let len = usize::from(self.u16()?);
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| PackError(format!("a code that is not UTF-8 at byte {}", self.at)))
    }
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
