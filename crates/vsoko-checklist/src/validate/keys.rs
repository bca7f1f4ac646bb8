//! Where a key of the file is: the path serde_ignored reports turned into a location and a
//! line, for the diagnostics of unknown keys.

use toml::de::{DeTable, DeValue};

use super::*;

/// Turns the path of a table into readable text and names the raw struct found there.
pub(super) fn describe(document: &DeTable<'_>, path: &[Segment]) -> (Loc, &'static str) {
    let root = Loc::root();
    let key = |i: usize| match path.get(i) {
        Some(Segment::Key(key)) => Some(key.as_str()),
        _ => None,
    };
    let index = |i: usize| match path.get(i) {
        Some(Segment::Index(index)) => Some(*index),
        _ => None,
    };
    // The code of the table at path[..=depth], or "#n" when it has none.
    let code_at = |depth: usize| {
        let mut prefix = path[..=depth].to_vec();
        prefix.push(Segment::Key("code".to_owned()));
        value_at(document, &prefix)
            .and_then(DeValue::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{}", index(depth).map_or(0, |i| i + 1)))
    };
    match key(0) {
        None => (root, "Instrument"),
        Some("levels") => match index(2) {
            Some(_) => (root.child("levels → band", &code_at(2), None), "Band"),
            None => (
                Loc {
                    text: "levels".to_owned(),
                    line: None,
                },
                "Levels",
            ),
        },
        Some("scales") => {
            let name = key(1).unwrap_or("?");
            let loc = root.child("scale", name, None);
            match (key(2), index(3)) {
                (Some("options"), Some(i)) => {
                    (loc.child("option", &(i + 1).to_string(), None), "Option")
                }
                (Some("bands"), Some(i)) => {
                    (loc.child("band", &(i + 1).to_string(), None), "PointBand")
                }
                _ => (loc, "Scale"),
            }
        }
        Some("areas") if index(1).is_some() => {
            let loc = root.child("area", &code_at(1), None);
            if index(3).is_none() {
                return (loc, "Area");
            }
            let loc = loc.child("indicator", &code_at(3), None);
            if index(5).is_none() {
                return (loc, "Indicator");
            }
            (loc.child("item", &code_at(5), None), "Item")
        }
        Some(_) => (root, "Instrument"),
    }
}
