//! The plan as the files a department files: the sheets (XLSX, CSV) and the Word document in the
//! layout of the network's plans (№ п/п, мероприятие, сроки, ответственный, место проведения,
//! планируемый результат, отметка о согласовании), each head's agreement beside it; and a
//! person's own calendar in the same layout.

use chrono::{NaiveDate, Utc};
use vsoko_exchange::{
    Block, Cell, Column, ColumnKind, Document, DocumentTable as Table, Section, Sheet, TableCell,
};

use super::{EventLine, PlanView, SchoolYear};

fn column(header: &str, kind: ColumnKind) -> Column {
    Column {
        header: header.to_owned(),
        kind,
    }
}

/// «Модуль 1 … (модуль КПК, 6 ак. ч.; области: A2 …)».
fn event_text(line: &EventLine) -> String {
    let mut text = format!(
        "{} ({}, {} ак. ч.",
        line.event.topic,
        line.event.format.label(),
        line.event.hours
    );
    if !line.areas.is_empty() {
        text.push_str(&format!("; области: {}", line.areas));
    }
    text.push(')');
    text
}

fn event_rows(lines: &[EventLine]) -> Vec<Vec<Cell>> {
    lines
        .iter()
        .enumerate()
        .map(|(at, line)| {
            vec![
                Cell::Number((at + 1) as f64),
                Cell::Text(line.event.topic.clone()),
                Cell::Text(line.event.format.label().to_owned()),
                Cell::Text(line.when.clone()),
                Cell::Text(line.responsible.clone()),
                Cell::Text(line.place.clone()),
                Cell::Text(line.areas.clone()),
                Cell::Text(line.participants.clone()),
                Cell::Number(f64::from(line.event.hours)),
                Cell::Text(line.event.planned_result.clone()),
                Cell::Text(line.agreement.clone()),
                Cell::Text(line.result.clone()),
                Cell::Text(line.event.reasoning.clone()),
            ]
        })
        .collect()
}

fn event_columns() -> Vec<Column> {
    vec![
        column("№ п/п", ColumnKind::Integer),
        column("Мероприятие", ColumnKind::Text),
        column("Форма", ColumnKind::Text),
        column("Сроки", ColumnKind::Text),
        column("Ответственный", ColumnKind::Text),
        column("Место проведения", ColumnKind::Text),
        column("Целевые области", ColumnKind::Text),
        column("Участники", ColumnKind::Text),
        column("Часы", ColumnKind::Integer),
        column("Планируемый результат", ColumnKind::Text),
        column("Отметка о согласовании", ColumnKind::Text),
        column("Результат", ColumnKind::Text),
        column("Обоснование", ColumnKind::Text),
    ]
}

/// The plan's sheets: «План» (an event a row) and «Согласование» (each kindergarten's head).
pub fn plan_sheets(view: &PlanView) -> Vec<Sheet> {
    let Some(plan) = &view.plan else {
        return vec![Sheet {
            name: "План".to_owned(),
            columns: event_columns(),
            rows: Vec::new(),
        }];
    };
    vec![
        Sheet {
            name: "План".to_owned(),
            columns: event_columns(),
            rows: event_rows(&plan.events),
        },
        Sheet {
            name: "Согласование".to_owned(),
            columns: vec![
                column("ДОО", ColumnKind::Text),
                column("Отметка о согласовании", ColumnKind::Text),
            ],
            rows: plan
                .agreements
                .iter()
                .map(|line| {
                    vec![
                        Cell::Text(line.kindergarten.short_name.clone()),
                        Cell::Text(line.text.clone()),
                    ]
                })
                .collect(),
        },
    ]
}

/// A person's calendar as sheets.
pub fn calendar_sheets(lines: &[EventLine]) -> Vec<Sheet> {
    vec![Sheet {
        name: "Календарь".to_owned(),
        columns: event_columns(),
        rows: event_rows(lines),
    }]
}

fn plan_table(caption: &str, lines: &[EventLine]) -> Table {
    Table {
        caption: caption.to_owned(),
        header: [
            "№ п/п",
            "Мероприятие",
            "Сроки",
            "Ответственный",
            "Место проведения",
            "Планируемый результат",
            "Отметка о согласовании",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: lines
            .iter()
            .enumerate()
            .map(|(at, line)| {
                vec![
                    TableCell::text((at + 1).to_string()),
                    TableCell::text(event_text(line)),
                    TableCell::text(line.when.clone()),
                    TableCell::text(line.responsible.clone()),
                    TableCell::text(line.place.clone()),
                    TableCell::text(line.event.planned_result.clone()),
                    TableCell::text(line.agreement.clone()),
                ]
            })
            .collect(),
    }
}

fn properties(name: &str, ascii: &str, network: &str) -> vsoko_exchange::DocumentProperties {
    vsoko_exchange::DocumentProperties {
        file_name: crate::words::file_name(name, 120),
        ascii_file_name: ascii.to_owned(),
        author: network.to_owned(),
        created: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// The plan as a Word document.
pub fn plan_document(view: &PlanView) -> Document {
    let year = view.year;
    let title = format!(
        "Календарный план мероприятий по повышению квалификации педагогических работников на {year} учебный год"
    );
    let mut sections = Vec::new();
    let mut subtitle = vec![view.network.clone()];
    if let Some(plan) = &view.plan {
        subtitle.push(format!(
            "Составлен {}; редакция {}",
            plan.source, plan.version
        ));
        sections.push(Section {
            heading: "Мероприятия".to_owned(),
            blocks: vec![Block::Table(plan_table(
                &format!("Мероприятия плана на {year} учебный год"),
                &plan.events,
            ))],
        });
        sections.push(Section {
            heading: "Согласование с заведующими".to_owned(),
            blocks: vec![Block::Table(Table {
                caption: format!(
                    "Согласовано {} из {} ДОО",
                    plan.agreed(),
                    plan.agreements.len()
                ),
                header: vec!["ДОО".to_owned(), "Отметка о согласовании".to_owned()],
                rows: plan
                    .agreements
                    .iter()
                    .map(|line| {
                        vec![
                            TableCell::text(line.kindergarten.short_name.clone()),
                            TableCell::text(line.text.clone()),
                        ]
                    })
                    .collect(),
            })],
        });
        if !plan.notes.is_empty() {
            sections.push(Section {
                heading: "Примечания".to_owned(),
                blocks: vec![Block::Bullets(plan.notes.clone())],
            });
        }
    } else {
        sections.push(Section {
            heading: "Мероприятия".to_owned(),
            blocks: vec![Block::Paragraph("План ещё не составлен.".to_owned())],
        });
    }
    Document {
        letterhead: Vec::new(),
        title,
        subtitle,
        sections,
        signature: vec![
            "Начальник управления образования ____________________ / ____________________ /"
                .to_owned(),
            "Дата «____» ____________ 20___ г.".to_owned(),
        ],
        properties: properties(
            &format!("План ПК {}", year.to_string().replace('/', "-")),
            &format!("pd-plan-{}", year.start_year()),
            &view.network,
        ),
    }
}

/// A person's own calendar as a Word document.
pub fn calendar_document(
    person: &vsoko_domain::Person,
    year: SchoolYear,
    network: &str,
    lines: &[EventLine],
) -> Document {
    let blocks = if lines.is_empty() {
        vec![Block::Paragraph(
            "В плане нет мероприятий, которые сотрудник ведёт или посещает.".to_owned(),
        )]
    } else {
        vec![Block::Table(plan_table(
            &format!("Мероприятия: {}", person.full_name),
            lines,
        ))]
    };
    Document {
        letterhead: Vec::new(),
        title: format!("Календарь мероприятий на {year} учебный год"),
        subtitle: vec![person.full_name.clone(), network.to_owned()],
        sections: vec![Section {
            heading: "Мероприятия".to_owned(),
            blocks,
        }],
        signature: Vec::new(),
        properties: properties(
            &format!(
                "Календарь {} {}",
                person.full_name,
                year.to_string().replace('/', "-")
            ),
            &format!("calendar-{}-{}", person.id, year.start_year()),
            network,
        ),
    }
}

/// The plan's file name.
pub fn plan_file_name(year: SchoolYear, today: NaiveDate, extension: &str) -> String {
    format!("vsoko-pd-plan-{}-{today}.{extension}", year.start_year())
}
