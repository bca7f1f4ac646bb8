use super::*;
use crate::fixtures::d;

/// The problems of a file, as `LINE: LOCATION: MESSAGE`.
fn problems(source: &str) -> Vec<String> {
    match parse_targets(source, "t.toml") {
        Ok(set) => panic!(
            "expected problems, parsed {} target(s)",
            set.targets().len()
        ),
        Err(error) => error
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}: {}: {}",
                    d.line.map_or("-".to_owned(), |line| line.to_string()),
                    d.location,
                    d.message
                )
            })
            .collect(),
    }
}

const VALID: &str = r#"#:schema schema.json
[[targets]]
code = "kpk-36-teachers"
title = "Педагоги, прошедшие КПК за три года"
source = { kind = "coverage", figure = "within_36_months", category = "teacher" }
comparison = "at_least"
value = 100
unit = "%"

[[targets]]
code = "ood-o2"
title = "Результат блока O2 карты анализа занятия"
source = { kind = "node", instrument = "card-ood", node = "O2" }
comparison = "at_least"
value = 70
unit = "%"
window = "2025/2026"

[[targets]]
code = "b1-a2"
title = "Педагоги на уровне B1 и выше в области A2"
comparison = "at_least"
value = 60
unit = "%"
date = 2026-05-31

[targets.source]
kind = "level_share"
instrument = "dc-teacher"
area = "A2"
level = "B1"

[[targets]]
code = "eor.reference"
title = "Занятия с ЭОР (не более)"
source = { kind = "item_value", instrument = "card-ood", item = "O5.1.3", value = 1 }
comparison = "at_most"
value = 12
unit = "count"

[[targets]]
code = "plans"
title = "Педагоги с утверждённым индивидуальным планом"
source = { kind = "individual_plans" }
comparison = "at_least"
value = 90.5
unit = "%"

[[targets]]
code = "diagnosis"
title = "Охват диагностикой"
source = { kind = "survey_coverage", instrument = "dc-teacher" }
comparison = "at_least"
value = 100
unit = "%"
"#;

#[test]
fn every_kind_of_source_is_read_into_the_model() {
    let set = parse_targets(VALID, "t.toml").expect("valid");
    let codes: Vec<&str> = set.targets().iter().map(Target::code).collect();
    assert_eq!(
        codes,
        [
            "kpk-36-teachers",
            "ood-o2",
            "b1-a2",
            "eor.reference",
            "plans",
            "diagnosis"
        ]
    );
    let first = set.get("kpk-36-teachers").expect("first");
    assert_eq!(
        first.source(),
        &Source::Coverage {
            figure: CoverageFigure::Within36Months,
            category: StaffCategory::Teacher
        }
    );
    assert_eq!(
        (
            first.comparison(),
            first.value(),
            first.unit(),
            first.period()
        ),
        (
            Comparison::AtLeast,
            100.0,
            Unit::Percent,
            TargetPeriod::EveryYear
        )
    );
    let ood = set.get("ood-o2").expect("ood");
    assert_eq!(
        ood.source(),
        &Source::Node {
            instrument: "card-ood".to_owned(),
            node: "O2".to_owned()
        }
    );
    assert_eq!(
        ood.period(),
        TargetPeriod::SchoolYear(SchoolYear::starting(2025))
    );
    let level = set.get("b1-a2").expect("level");
    assert_eq!(
        level.source(),
        &Source::LevelShare {
            instrument: "dc-teacher".to_owned(),
            area: "A2".to_owned(),
            level: "B1".to_owned()
        }
    );
    assert_eq!(level.period(), TargetPeriod::Date(d(2026, 5, 31)));
    let eor = set.get("eor.reference").expect("eor");
    assert_eq!(
        eor.source(),
        &Source::ItemValue {
            instrument: "card-ood".to_owned(),
            item: "O5.1.3".to_owned(),
            value: 1.0
        }
    );
    assert_eq!(
        (eor.comparison(), eor.unit()),
        (Comparison::AtMost, Unit::Count)
    );
    assert_eq!(
        set.get("plans").map(Target::source),
        Some(&Source::IndividualPlans)
    );
    assert_eq!(
        set.get("diagnosis").map(Target::source),
        Some(&Source::SurveyCoverage {
            instrument: "dc-teacher".to_owned()
        })
    );
}

#[test]
fn a_period_applies_in_its_school_year() {
    let year = SchoolYear::starting(2025);
    assert!(TargetPeriod::EveryYear.applies_in(year));
    assert!(TargetPeriod::SchoolYear(year).applies_in(year));
    assert!(!TargetPeriod::SchoolYear(year.next()).applies_in(year));
    assert!(TargetPeriod::Date(d(2026, 8, 31)).applies_in(year));
    assert!(!TargetPeriod::Date(d(2026, 9, 1)).applies_in(year));
}

#[test]
fn the_shipped_targets_are_valid_and_have_no_eor_target() {
    let set = default_targets();
    let codes: Vec<&str> = set.targets().iter().map(Target::code).collect();
    assert_eq!(
        codes,
        [
            "kpk-36-teachers",
            "kpk-36-management",
            "diagnosis-teachers",
            "diagnosis-management"
        ]
    );
    for target in set.targets() {
        assert_eq!(
            (target.comparison(), target.value(), target.unit()),
            (Comparison::AtLeast, 100.0, Unit::Percent),
            "{}",
            target.code()
        );
    }
    assert_eq!(
        set.get("kpk-36-management").map(Target::source),
        Some(&Source::Coverage {
            figure: CoverageFigure::Within36Months,
            category: StaffCategory::Management
        })
    );
    assert_eq!(
        set.get("diagnosis-management").map(Target::source),
        Some(&Source::SurveyCoverage {
            instrument: "dc-management".to_owned()
        })
    );
    assert!(
        !set.targets()
            .iter()
            .any(|target| matches!(target.source(), Source::ItemValue { .. }))
    );
}

/// One target with `body` in place of its value, unit and period lines.
fn one(source_line: &str, body: &str) -> String {
    format!(
        "[[targets]]\ncode = \"x\"\ntitle = \"Цель\"\n{source_line}\ncomparison = \"at_least\"\n{body}\n"
    )
}

const COVERAGE: &str =
    r#"source = { kind = "coverage", figure = "within_36_months", category = "teacher" }"#;

#[test]
fn values_out_of_range_are_refused_on_their_line() {
    assert_eq!(
        problems(&one(COVERAGE, "value = 120\nunit = \"%\"")),
        ["6: target x: value 120 is above 100 for a percent"]
    );
    assert_eq!(
        problems(&one(COVERAGE, "value = -1\nunit = \"count\"")),
        ["6: target x: value -1 is below 0"]
    );
    assert_eq!(
        problems(&one(COVERAGE, "value = 2.5\nunit = \"count\"")),
        ["6: target x: value 2.5 is not a whole number, and the unit is a count"]
    );
    // 100 itself is a valid percent, 0 a valid count.
    assert!(parse_targets(&one(COVERAGE, "value = 100\nunit = \"%\""), "t").is_ok());
    assert!(parse_targets(&one(COVERAGE, "value = 0\nunit = \"count\""), "t").is_ok());
}

#[test]
fn codes_must_be_unique_and_well_formed() {
    let file = format!(
        "{}\n{}\n{}",
        one(COVERAGE, "value = 1\nunit = \"%\""),
        one(COVERAGE, "value = 2\nunit = \"%\""),
        one(COVERAGE, "value = 3\nunit = \"%\"").replace("code = \"x\"", "code = \"Цель 3\"")
    );
    assert_eq!(
        problems(&file),
        [
            "10: target x: code `x` is already used at line 2",
            "18: target Цель 3: code \"Цель 3\" must be lowercase latin letters, digits, '-', '_' and '.'",
        ]
    );
}

#[test]
fn a_period_is_a_school_year_or_a_date_not_both() {
    assert_eq!(
        problems(&one(
            COVERAGE,
            "value = 1\nunit = \"%\"\nwindow = \"2025-2026\""
        )),
        ["8: target x: window \"2025-2026\" is not a school year"]
    );
    assert_eq!(
        problems(&one(
            COVERAGE,
            "value = 1\nunit = \"%\"\nwindow = \"2025/2026\"\ndate = 2026-05-31"
        )),
        ["9: target x: both `window` and `date` are given"]
    );
    assert_eq!(
        problems(&one(
            COVERAGE,
            "value = 1\nunit = \"%\"\ndate = 2026-05-31T10:00:00"
        )),
        ["8: target x: date 2026-05-31T10:00:00 is not a date without a time"]
    );
}

#[test]
fn a_source_takes_exactly_the_keys_of_its_kind() {
    // A node source without its node and with a level that belongs to level_share.
    let source = r#"source = { kind = "node", instrument = "card-ood", level = "B1" }"#;
    assert_eq!(
        problems(&one(source, "value = 1\nunit = \"%\"")),
        [
            "4: target x → source: `level` does not belong to a source of kind `node`",
            "4: target x → source: a source of kind `node` needs `node`",
        ]
    );
    // In a table of its own, the problems are on their lines.
    let file = "[[targets]]\ncode = \"x\"\ntitle = \"Цель\"\ncomparison = \"at_least\"\n\
                value = 1\nunit = \"count\"\n\n[targets.source]\nkind = \"node\"\n\
                instrument = \"Card OOD\"\nnode = \"O 2\"\n";
    assert_eq!(
        problems(file),
        [
            "6: target x: the result of a node is a percent, and the unit is a count",
            "10: target x → source: instrument \"Card OOD\" must be lowercase latin letters, digits and '-'",
            "11: target x → source: node \"O 2\" is not a code",
        ]
    );
    // individual_plans takes nothing else.
    let source = r#"source = { kind = "individual_plans", instrument = "dc-teacher" }"#;
    assert_eq!(
        problems(&one(source, "value = 1\nunit = \"%\"")),
        [
            "4: target x → source: `instrument` does not belong to a source of kind `individual_plans`"
        ]
    );
}

#[test]
fn every_unknown_key_is_reported_with_the_keys_allowed_there() {
    let file = one(
        r#"source = { kind = "survey_coverage", instrument = "dc-teacher", period = "2025" }"#,
        "value = 1\nunit = \"%\"\ntreshold = 3",
    );
    let found = problems(&format!("version = 1\n{file}"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(
        found[0],
        "1: : unknown key `version`; allowed keys here: targets"
    );
    assert!(
        found[1].starts_with(
            "5: target x → source: unknown key `period`; allowed keys here: area, category, figure, instrument, item, kind, level, node, value"
        ),
        "{}",
        found[1]
    );
    assert_eq!(
        found[2],
        "9: target x: unknown key `treshold`; allowed keys here: code, comparison, date, source, title, unit, value, window"
    );
}

#[test]
fn syntax_and_structure_errors_have_a_line() {
    assert_eq!(
        problems("[[targets]]\ncode = \"x\n").len(),
        1,
        "one error is all a parser can give"
    );
    assert!(problems("[[targets]]\ncode = \"x\n")[0].starts_with("2: "));
    // An unknown kind: the line of the value.
    let source = r#"source = { kind = "nodes", instrument = "card-ood", node = "O2" }"#;
    let found = problems(&one(source, "value = 1\nunit = \"%\""));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("4: : unknown variant `nodes`"),
        "{}",
        found[0]
    );
    // A missing title.
    let found = problems("[[targets]]\ncode = \"x\"\n");
    assert!(found[0].contains("missing field `title`"), "{}", found[0]);
    // An empty title.
    let found = problems(&one(COVERAGE, "value = 1\nunit = \"%\"").replace("\"Цель\"", "\" \""));
    assert_eq!(found, ["3: target x: `title` is empty"]);
}

#[test]
fn a_diagnostic_reads_as_file_line_place_message_and_help() {
    let error = parse_targets(&one(COVERAGE, "value = 120\nunit = \"%\""), "targets.toml")
        .expect_err("invalid");
    assert_eq!(
        error.to_string(),
        "1 problem(s) in targets.toml:\n\
         targets.toml:6: target x: value 120 is above 100 for a percent\n  \
         help: a share is at most 100 %"
    );
}

fn reference_problems(source: &str) -> Vec<String> {
    let catalog = vsoko_checklist::Catalog::shipped().expect("the shipped instruments");
    match load_targets(source, "targets.toml", &catalog) {
        Ok(_) => Vec::new(),
        Err(error) => error
            .diagnostics
            .iter()
            .map(|diagnostic| format!("{}: {}", diagnostic.line.unwrap_or(0), diagnostic.message))
            .collect(),
    }
}

#[test]
fn the_shipped_targets_name_what_the_shipped_instruments_have() {
    assert_eq!(
        reference_problems(DEFAULT_TARGETS_TOML),
        Vec::<String>::new()
    );
}

#[test]
fn a_source_naming_what_no_instrument_has_is_refused_on_its_line() {
    let source = "\
[[targets]]
code = \"a\"
title = \"Нет такого инструмента\"
source = { kind = \"survey_coverage\", instrument = \"dc-nobody\" }
comparison = \"at_least\"
value = 100
unit = \"%\"

[[targets]]
code = \"b\"
title = \"Нет такого показателя\"
source = { kind = \"node\", instrument = \"dc-teacher\", node = \"Z9\" }
comparison = \"at_least\"
value = 60
unit = \"%\"

[[targets]]
code = \"c\"
title = \"Нет такого варианта ответа\"
source = { kind = \"item_value\", instrument = \"card-ood\", item = \"O5.1.3\", value = 7 }
comparison = \"at_least\"
value = 50
unit = \"%\"

[[targets]]
code = \"d\"
title = \"Нет такого уровня\"
source = { kind = \"level_share\", instrument = \"dc-teacher\", area = \"A2\", level = \"genius\" }
comparison = \"at_least\"
value = 50
unit = \"%\"

[[targets]]
code = \"e\"
title = \"Всё существует\"
source = { kind = \"item_value\", instrument = \"card-ood\", item = \"O5.1.3\", value = 1 }
comparison = \"at_least\"
value = 50
unit = \"%\"
";
    let found = reference_problems(source);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("2: no instrument has the code `dc-nobody`"),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("10: dc-teacher@3 has no node"),
        "{found:#?}"
    );
    assert!(
        found[2].starts_with("18: item `O5.1.3` has no option with the value 7"),
        "{found:#?}"
    );
    assert!(
        found[3].starts_with("26: dc-teacher@3 has no level `genius`"),
        "{found:#?}"
    );
}
