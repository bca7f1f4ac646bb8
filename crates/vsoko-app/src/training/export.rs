//! The coverage as the files Russian Excel opens: the figures per kindergarten, адресность, who
//! needs courses next school year, the targets, and the department's sentence.

use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};

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
