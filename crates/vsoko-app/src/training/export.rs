//! The coverage as the files Russian Excel opens: the figures per kindergarten, адресность, who
//! needs courses next school year, the targets, and the department's sentence.

use vsoko_exchange::{Block, Cell, Column, ColumnKind, Section, Sheet};

use super::{CategoryCoverage, CoverageView, Need};
use crate::export::FileFormat;

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn number(value: impl Into<f64>) -> Cell {
    Cell::Number(value.into())
}

fn column(header: &str, kind: ColumnKind) -> Column {
    Column {
        header: header.to_owned(),
        kind,
    }
}

fn share(coverage: &CategoryCoverage) -> Cell {
    coverage
        .covered_share()
        .map_or(Cell::Empty, |share| Cell::Number(share.percent()))
}

fn figures(name: String, teachers: &CategoryCoverage, management: &CategoryCoverage) -> Vec<Cell> {
    vec![
        text(name),
        number(teachers.active),
        number(teachers.covered),
        share(teachers),
        number(teachers.window.people),
        number(teachers.window.delivery.in_person),
        number(teachers.window.delivery.distance),
        number(teachers.window.hours as f64),
        number(management.active),
        number(management.covered),
        share(management),
    ]
}

/// The sheets of a coverage: «Охват КПК» (each kindergarten and the whole), «Адресность», «Нужны
/// КПК», «Цели», «Справка».
pub fn coverage_sheets(view: &CoverageView) -> Vec<Sheet> {
    let whole = match &view.kindergarten {
        Some(unit) => unit.short_name.clone(),
        None => "Сеть в целом".to_owned(),
    };
    let name = |id| view.kindergartens.get(id).cloned().unwrap_or_default();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    if view.kindergarten.is_none() {
        for unit in &view.report.kindergartens {
            rows.push(figures(
                name(&unit.kindergarten),
                &unit.coverage.teachers,
                &unit.coverage.management,
            ));
        }
    }
    rows.push(figures(
        whole,
        &view.report.network.teachers,
        &view.report.network.management,
    ));
    let percent = ColumnKind::Percent { decimals: 1 };
    let year = view.year.to_string();
    let coverage = Sheet {
        name: "Охват КПК".to_owned(),
        columns: vec![
            column("Детский сад", ColumnKind::Text),
            column("Педагогов", ColumnKind::Integer),
            column("Педагогов с КПК за 3 года", ColumnKind::Integer),
            column("Доля педагогов с КПК за 3 года", percent),
            column(&format!("Обучено в {year} уч. году"), ColumnKind::Integer),
            column("Из них очно", ColumnKind::Integer),
            column("Из них с применением ДОТ", ColumnKind::Integer),
            column("Часов обучения", ColumnKind::Integer),
            column("Управленческая команда", ColumnKind::Integer),
            column("С КПК за 3 года", ColumnKind::Integer),
            column("Доля управленческой команды с КПК", percent),
        ],
        rows,
    };
    let addressing = Sheet {
        name: "Адресность".to_owned(),
        columns: vec![
            column("Область", ColumnKind::Text),
            column("Педагогов с дефицитом", ColumnKind::Integer),
            column("Из них обучены по области", ColumnKind::Integer),
        ],
        rows: view
            .report
            .network
            .teachers
            .addressing
            .iter()
            .map(|area| {
                vec![
                    text(area.area.clone()),
                    number(area.with_deficit),
                    number(area.addressed),
                ]
            })
            .collect(),
    };
    let needs = Sheet {
        name: "Нужны КПК".to_owned(),
        columns: vec![
            column("ФИО", ColumnKind::Text),
            column("Детский сад", ColumnKind::Text),
            column("Категория", ColumnKind::Text),
            column("Последние КПК", ColumnKind::Text),
            column(
                &format!("Причина (на {} уч. год)", view.forecast.year),
                ColumnKind::Text,
            ),
        ],
        rows: view
            .forecast
            .kindergartens
            .iter()
            .flat_map(|unit| {
                unit.people.iter().map(move |entry| {
                    vec![
                        text(view.names.get(&entry.person).cloned().unwrap_or_default()),
                        text(name(&unit.kindergarten)),
                        text(match entry.category {
                            super::StaffCategory::Teacher => "педагог",
                            super::StaffCategory::Management => "управленческая команда",
                        }),
                        entry.latest.map_or(Cell::Empty, |date| {
                            text(date.format("%d.%m.%Y").to_string())
                        }),
                        text(match entry.need {
                            Need::NoTraining => "нет сведений о КПК".to_owned(),
                            Need::Lapsed { on } => {
                                format!("срок истёк {}", on.format("%d.%m.%Y"))
                            }
                            Need::OutBeforeYear { on } | Need::LeavesDuringYear { on } => {
                                format!("срок истекает {}", on.format("%d.%m.%Y"))
                            }
                        }),
                    ]
                })
            })
            .collect(),
    };
    let targets = Sheet {
        name: "Цели".to_owned(),
        columns: vec![
            column("Показатель", ColumnKind::Text),
            column("Цель", ColumnKind::Text),
            column("Факт", ColumnKind::Text),
            column("Достижение", ColumnKind::Text),
            column("Отклонение", ColumnKind::Text),
            column("Источник", ColumnKind::Text),
        ],
        rows: view
            .targets
            .iter()
            .map(|line| {
                vec![
                    text(line.title.clone()),
                    text(line.attainment.target_text()),
                    line.attainment.actual_text().map_or(Cell::Empty, text),
                    text(line.attainment.status_text()),
                    line.attainment.gap_text().map_or(Cell::Empty, text),
                    text(line.source.clone()),
                ]
            })
            .collect(),
    };
    let sentence = Sheet {
        name: "Справка".to_owned(),
        columns: vec![column("Текст", ColumnKind::Text)],
        rows: vec![vec![text(view.sentence.clone())]],
    };
    vec![coverage, addressing, needs, targets, sentence]
}

/// `vsoko-kpk-<scope>-<date>.<ext>`.
pub fn coverage_file_name(view: &CoverageView, format: FileFormat) -> String {
    let scope = match &view.kindergarten {
        Some(unit) => format!("kindergarten-{}", unit.id),
        None => "network".to_owned(),
    };
    format!("vsoko-kpk-{scope}-{}.{}", view.at, format.extension())
}

/// Rule «повышение квалификации в справке»: the department's sentence; the share of teachers and
/// of the management team with a ПК or ПП within 36 months at the date of the coverage (or
/// «недостаточно данных» without staff); each competence area with deficits, how many teachers
/// have one and how many of them were trained in it; each target with its bound, actual value and
/// whether it is achieved.
pub fn coverage_sections(view: &CoverageView) -> Vec<Section> {
    let date = view.at.format("%d.%m.%Y");
    let covered = |coverage: &CategoryCoverage| match coverage.covered_share() {
        Some(share) => format!("{} из {} ({})", share.part, share.whole, share.text()),
        None => "недостаточно данных".to_owned(),
    };
    let network = &view.report.network;
    let mut blocks = vec![
        Block::Paragraph(view.sentence.clone()),
        Block::Paragraph(format!(
            "Повышение квалификации или профессиональная переподготовка за последние три года (на {date}): педагогические работники — {}, управленческая команда — {}.",
            covered(&network.teachers),
            covered(&network.management)
        )),
    ];
    let areas: Vec<String> = network
        .teachers
        .addressing
        .iter()
        .map(|area| {
            format!(
                "{}: дефицит у {} {}, из них прошли обучение по этой области — {}.",
                area.area,
                area.with_deficit,
                crate::words::plural(
                    area.with_deficit as usize,
                    "педагога",
                    "педагогов",
                    "педагогов"
                ),
                area.addressed
            )
        })
        .collect();
    if !areas.is_empty() {
        blocks.push(Block::Paragraph(
            "Адресность обучения по дефицитам последней самооценки педагогов:".to_owned(),
        ));
        blocks.push(Block::Bullets(areas));
    }
    let targets: Vec<String> = view
        .targets
        .iter()
        .map(|line| {
            let attainment = &line.attainment;
            match (attainment.actual_text(), attainment.gap_text()) {
                (Some(actual), Some(gap)) => format!(
                    "{}: цель {}, факт {} — {} ({gap}).",
                    line.title,
                    attainment.target_text(),
                    actual,
                    attainment.status_text()
                ),
                _ => format!(
                    "{}: цель {} — {}.",
                    line.title,
                    attainment.target_text(),
                    attainment.status_text()
                ),
            }
        })
        .collect();
    vec![
        Section {
            heading: "Повышение квалификации".to_owned(),
            blocks,
        },
        Section {
            heading: "Целевые показатели".to_owned(),
            blocks: if targets.is_empty() {
                vec![Block::Paragraph(
                    "Целевые показатели на этот учебный год не установлены.".to_owned(),
                )]
            } else {
                vec![Block::Bullets(targets)]
            },
        },
    ]
}

/// The coverage as a bar chart: teachers covered within 36 months per kindergarten (the
/// network, lowest first, so the ones to help come first) or, for one kindergarten, teachers and
/// the management team covered within 36 months and trained in the school year. A bar is a share
/// of the active people; without active people it is «нет сотрудников», not 0.
pub fn coverage_chart(view: &CoverageView) -> vsoko_exchange::chart::ChartSpec {
    use vsoko_exchange::chart::{Bar, ChartSpec};
    let bar = |label: String, share: Option<super::Share>| Bar {
        label,
        value: share.map(super::Share::percent),
        shade: 3,
        text: share.map_or_else(
            || "нет сотрудников".to_owned(),
            |share| format!("{} ({} из {})", share.text(), share.part, share.whole),
        ),
    };
    let (alt_prefix, bars) = match &view.kindergarten {
        Some(unit) => {
            let network = &view.report.network;
            (
                format!("{}: охват повышением квалификации", unit.short_name),
                vec![
                    bar(
                        "Педагоги: КПК за последние 3 года".to_owned(),
                        network.teachers.covered_share(),
                    ),
                    bar(
                        "Управленческая команда: КПК за последние 3 года".to_owned(),
                        network.management.covered_share(),
                    ),
                    bar(
                        format!("Педагоги: обучение в {} учебном году", view.year),
                        network.teachers.trained_share(),
                    ),
                ],
            )
        }
        None => {
            let mut units: Vec<_> = view
                .report
                .kindergartens
                .iter()
                .map(|unit| {
                    (
                        view.kindergartens
                            .get(&unit.kindergarten)
                            .cloned()
                            .unwrap_or_default(),
                        unit.coverage.teachers.covered_share(),
                    )
                })
                .collect();
            units.sort_by(|a, b| {
                let percent = |share: &Option<super::Share>| share.map(super::Share::percent);
                percent(&a.1)
                    .partial_cmp(&percent(&b.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| a.0.cmp(&b.0))
            });
            (
                "Педагоги с КПК за последние 3 года по детским садам".to_owned(),
                units
                    .into_iter()
                    .map(|(name, share)| bar(name, share))
                    .collect(),
            )
        }
    };
    let alt = format!(
        "{alt_prefix}: {}",
        bars.iter()
            .map(|bar| format!("{} — {}", bar.label, bar.text))
            .collect::<Vec<_>>()
            .join("; ")
    );
    ChartSpec {
        caption: None,
        alt,
        bars,
        max: 100.0,
        marks: Vec::new(),
        legend: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use chrono::NaiveDate;
    use vsoko_development::{
        CoverageInput, SchoolYear, StaffMember, StudyForm, TrainingKind, coverage,
        department_sentence, forecast,
    };
    use vsoko_domain::{KindergartenId, PersonId};

    use super::*;
    use crate::training::{ProviderType, StaffCategory, TrainingRecord};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_spravka_says_coverage_and_addressing_by_the_stated_rule() {
        let unit = KindergartenId::new(1);
        let (first, second, head) = (PersonId::new(1), PersonId::new(2), PersonId::new(3));
        let member = |person, category| StaffMember {
            person,
            kindergarten: unit,
            category,
            active: true,
        };
        let staff = vec![
            member(first, StaffCategory::Teacher),
            member(second, StaffCategory::Teacher),
            member(head, StaffCategory::Management),
        ];
        let course = TrainingRecord {
            kind: TrainingKind::QualificationUpgrade,
            programme: "Цифровые технологии в ДОО".to_owned(),
            provider: "ГАУ ДПО ИРО".to_owned(),
            provider_type: ProviderType::State,
            federal_register: false,
            hours: 36,
            start: day("2024-10-01"),
            end: day("2024-10-20"),
            enrolled: None,
            form: StudyForm::FullTime,
            distance: false,
            document_number: None,
            registration_number: None,
            issued: None,
            areas: vec!["A2".to_owned()],
        };
        let records = BTreeMap::from([(first, vec![course])]);
        // The second teacher has a deficit in A3, nobody trained in it; the first in A2, trained.
        let deficits = BTreeMap::from([
            (first, BTreeSet::from(["A2".to_owned()])),
            (second, BTreeSet::from(["A3".to_owned()])),
        ]);
        let at = day("2025-05-31");
        let year = SchoolYear::containing(at);
        let report = coverage(&CoverageInput::new(&staff, &records, &deficits, at));
        let view = CoverageView {
            kindergarten: None,
            at,
            year,
            sentence: department_sentence(
                StaffCategory::Teacher,
                report.network.teachers.window.delivery,
                Some(&year.phrase()),
            ),
            forecast: forecast(&staff, &records, at, year.next()),
            report,
            names: HashMap::new(),
            kindergartens: HashMap::new(),
            targets: Vec::new(),
        };
        let sections = coverage_sections(&view);
        assert_eq!(sections[1].heading, "Целевые показатели");
        assert_eq!(
            sections[1].blocks,
            [Block::Paragraph(
                "Целевые показатели на этот учебный год не установлены.".to_owned()
            )]
        );
        let section = &sections[0];
        assert_eq!(section.heading, "Повышение квалификации");
        let text: Vec<String> = section
            .blocks
            .iter()
            .flat_map(|block| match block {
                Block::Paragraph(text) => vec![text.clone()],
                Block::Bullets(lines) => lines.clone(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            text[0],
            "В 2024/2025 учебном году курсы повышения квалификации прошёл 1 педагогический работник (очно)."
        );
        assert!(
            text[1].contains(
                "на 31.05.2025): педагогические работники — 1 из 2 (50\u{a0}%), управленческая команда — 0 из 1 (0\u{a0}%)."
            ),
            "{text:?}"
        );
        assert!(
            text.contains(
                &"A2: дефицит у 1 педагога, из них прошли обучение по этой области — 1.".to_owned()
            ),
            "{text:?}"
        );
        assert!(
            text.contains(
                &"A3: дефицит у 1 педагога, из них прошли обучение по этой области — 0.".to_owned()
            ),
            "{text:?}"
        );
    }
}
