//! The last stage of a targets file: what its sources name exists in the catalog of instruments —
//! the instrument, and in its latest version the node, the item with the value among its options,
//! or the level. A target that names what no instrument has would be «недостаточно данных» for
//! ever; the file is refused instead, with the line and what the instrument has.

use vsoko_checklist::{Catalog, Instrument};

use super::diagnostic::Diagnostic;
use super::{Source, TargetSet, TargetsError, parse_targets};

/// Parses a targets file and checks its sources against `catalog`: every problem of either stage.
pub fn load_targets(
    source: &str,
    file: &str,
    catalog: &Catalog,
) -> Result<TargetSet, TargetsError> {
    let set = parse_targets(source, file)?;
    let diagnostics = check_references(&set, catalog, file);
    if diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(TargetsError {
            file: file.to_owned(),
            diagnostics,
        })
    }
}

fn check_references(set: &TargetSet, catalog: &Catalog, file: &str) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for target in set.targets() {
        let mut problem = |message: String, help: String| {
            diagnostics.push(Diagnostic {
                file: file.to_owned(),
                line: target.line,
                location: format!("target {} → source", target.code()),
                message,
                help: Some(help),
            });
        };
        let instrument_code = match target.source() {
            Source::Node { instrument, .. }
            | Source::ItemValue { instrument, .. }
            | Source::LevelShare { instrument, .. }
            | Source::SurveyCoverage { instrument } => instrument,
            Source::Coverage { .. } | Source::IndividualPlans => continue,
        };
        let Ok(instrument) = catalog.get(instrument_code, None) else {
            let known: Vec<String> = codes(catalog);
            problem(
                format!("no instrument has the code `{instrument_code}`"),
                format!("the instruments are: {}", known.join(", ")),
            );
            continue;
        };
        match target.source() {
            Source::Node { node, .. } => {
                let computed = instrument
                    .item(node)
                    .is_some_and(|item| item.item.computed().is_some());
                if !instrument.has_node(node) && !computed {
                    problem(
                        format!("{} has no node or computed item `{node}`", instrument.id()),
                        "name the instrument's code (its total), an area, an indicator or a \
                         computed item of its latest version"
                            .to_owned(),
                    );
                }
            }
            Source::ItemValue { item, value, .. } => match instrument.item(item) {
                None => problem(
                    format!("{} has no item `{item}`", instrument.id()),
                    "name an item of the instrument's latest version".to_owned(),
                ),
                Some(found) => match found.scale.options() {
                    None => problem(
                        format!(
                            "item `{item}` of {} takes a number, not options",
                            instrument.id()
                        ),
                        "a share of answers is counted on an item with options".to_owned(),
                    ),
                    Some(options) if found.scale.option(*value).is_none() => problem(
                        format!("item `{item}` has no option with the value {value}"),
                        format!(
                            "its options are: {}",
                            options
                                .iter()
                                .map(|option| format!("{} «{}»", option.value(), option.label()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                    Some(_) => {}
                },
            },
            Source::LevelShare { area, level, .. } => {
                if !is_area(instrument, area) {
                    problem(
                        format!("{} has no area `{area}`", instrument.id()),
                        "name an area of the instrument, or its own code for the total".to_owned(),
                    );
                }
                let levels: Vec<&str> = instrument
                    .levels()
                    .bands()
                    .iter()
                    .map(|band| band.code().as_str())
                    .collect();
                if !levels.contains(&level.as_str()) {
                    problem(
                        format!("{} has no level `{level}`", instrument.id()),
                        format!("its levels are: {}", levels.join(", ")),
                    );
                }
            }
            Source::SurveyCoverage { .. } | Source::Coverage { .. } | Source::IndividualPlans => {}
        }
    }
    diagnostics
}

/// The instrument's own code (its total) or one of its areas.
pub(crate) fn is_area(instrument: &Instrument, code: &str) -> bool {
    instrument.code().as_str() == code
        || instrument
            .areas()
            .iter()
            .any(|area| area.code().as_str() == code)
}

fn codes(catalog: &Catalog) -> Vec<String> {
    let mut codes: Vec<String> = catalog
        .iter()
        .map(|instrument| instrument.code().to_string())
        .collect();
    codes.dedup();
    codes
}
