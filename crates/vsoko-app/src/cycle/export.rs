//! The register as the files a department files: the sheets (XLSX, CSV) and the Word document
//! «Адресные рекомендации и управленческие решения» with the effect of each and of training.

use chrono::Utc;
use vsoko_exchange::{
    Block, Cell, Column, ColumnKind, Document, DocumentTable as Table, Section, Sheet, TableCell,
};

use super::{RecommendationLine, Register};

fn column(header: &str, kind: ColumnKind) -> Column {
    Column {
        header: header.to_owned(),
        kind,
    }
}

fn decisions_text(line: &RecommendationLine) -> String {
    line.decisions
        .iter()
        .map(|decision| {
            let mut text = format!(
                "{} ({}): {}",
                decision.kind, decision.at, decision.stored.text
            );
            if let Some(order) = &decision.order {
                text.push_str(&format!("; {order}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "нет данных".to_owned(), crate::words::percent)
}

/// The register's sheets: «Рекомендации» (one a row) and «Эффективность ПК».
pub fn register_sheets(register: &Register) -> Vec<Sheet> {
    let rows = register
        .lines
        .iter()
        .enumerate()
        .map(|(at, line)| {
            vec![
                Cell::Number((at + 1) as f64),
                Cell::Text(line.numbers.subject.clone()),
                Cell::Text(format!("{} {}", line.numbers.node.0, line.numbers.node.1)),
                Cell::Text(line.numbers.period.clone()),
                Cell::Text(percent(line.numbers.score)),
                Cell::Text(line.stored.text.clone()),
                Cell::Text(line.addressee.to_owned()),
                Cell::Text(line.stored.responsible.clone()),
                Cell::Text(line.due.clone()),
                Cell::Text(line.state.label().to_owned()),
                Cell::Text(
                    line.stored
                        .answer
                        .as_ref()
                        .map(|(text, _, _)| text.clone())
                        .unwrap_or_default(),
                ),
                Cell::Text(decisions_text(line)),
                Cell::Text(line.next_period.clone().unwrap_or_default()),
                Cell::Text(percent(line.after)),
                Cell::Text(line.effect.label().to_owned()),
            ]
        })
        .collect();
    let mut training = Vec::new();
    let share = |group: &vsoko_development::GroupEffect| {
        group
            .level_rose_share()
            .map_or_else(|| "недостаточно данных".to_owned(), |share| share.text())
    };
    for section in &register.training {
        let periods = format!("{} → {}", section.periods.0, section.periods.1);
        let lines = std::iter::once((
            "все области вместе".to_owned(),
            &section.pooled,
            &section.pooled_sentence,
        ))
        .chain(section.areas.iter().map(|area| {
            (
                format!("{} {}", area.area.0, area.area.1),
                &area.effect,
                &area.sentence,
            )
        }));
        for (area, effect, sentence) in lines {
            training.push(vec![
                Cell::Text(periods.clone()),
                Cell::Text(area),
                Cell::Number(f64::from(effect.trained.n)),
                Cell::Text(share(&effect.trained)),
                Cell::Number(f64::from(effect.untrained.n)),
                Cell::Text(share(&effect.untrained)),
                Cell::Text(sentence.clone()),
            ]);
        }
    }
    vec![
        Sheet {
            name: "Рекомендации".to_owned(),
            columns: vec![
                column("№", ColumnKind::Integer),
                column("Кому (дефицит)", ColumnKind::Text),
                column("Область, показатель", ColumnKind::Text),
                column("Период", ColumnKind::Text),
                column("Результат", ColumnKind::Text),
                column("Рекомендация", ColumnKind::Text),
                column("Адресат", ColumnKind::Text),
                column("Ответственный", ColumnKind::Text),
                column("Срок", ColumnKind::Text),
                column("Состояние", ColumnKind::Text),
                column("Ответ", ColumnKind::Text),
                column("Управленческие решения", ColumnKind::Text),
                column("Следующий период", ColumnKind::Text),
                column("Результат в следующем периоде", ColumnKind::Text),
                column("Эффект", ColumnKind::Text),
            ],
            rows,
        },
        Sheet {
            name: "Эффективность ПК".to_owned(),
            columns: vec![
                column("Периоды", ColumnKind::Text),
                column("Область", ColumnKind::Text),
                column("Обученных с дефицитом", ColumnKind::Integer),
                column("Уровень повысился у обученных", ColumnKind::Text),
                column("Необученных с дефицитом", ColumnKind::Integer),
                column("Уровень повысился у необученных", ColumnKind::Text),
                column("Вывод", ColumnKind::Text),
            ],
            rows: training,
        },
    ]
}

/// The register as a Word document.
pub fn register_document(register: &Register, network: &str) -> Document {
    let table = Table {
        caption: "Адресные рекомендации, принятые решения и их эффект".to_owned(),
        header: [
            "№",
            "Кому, область",
            "Рекомендация",
            "Ответственный, срок",
            "Решения",
            "Эффект",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: register
            .lines
            .iter()
            .enumerate()
            .map(|(at, line)| {
                vec![
                    TableCell::text((at + 1).to_string()),
                    TableCell::text(format!(
                        "{}: {} {} ({}, {})",
                        line.numbers.subject,
                        line.numbers.node.0,
                        line.numbers.node.1,
                        line.numbers.period,
                        percent(line.numbers.score)
                    )),
                    TableCell::text(line.stored.text.clone()),
                    TableCell::text(format!("{}; до {}", line.stored.responsible, line.due)),
                    TableCell::text(match decisions_text(line) {
                        text if text.is_empty() => line.state.label().to_owned(),
                        text => text,
                    }),
                    TableCell::text(match &line.next_period {
                        Some(period) => format!(
                            "{}: {} → {} ({period})",
                            line.effect.label(),
                            percent(line.numbers.score),
                            percent(line.after)
                        ),
                        None => line.effect.label().to_owned(),
                    }),
                ]
            })
            .collect(),
    };
    let counts = |pairs: Vec<(&str, usize)>| {
        pairs
            .into_iter()
            .map(|(label, n)| format!("{label} — {n}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut sections = vec![Section {
        heading: "Адресные рекомендации и управленческие решения".to_owned(),
        blocks: vec![
            Block::Paragraph(format!(
                "Рекомендаций: {}. По состоянию: {}. По эффекту: {}.",
                register.lines.len(),
                counts(
                    register
                        .by_state
                        .iter()
                        .map(|(state, n)| (state.label(), *n))
                        .collect()
                ),
                counts(
                    register
                        .by_effect
                        .iter()
                        .map(|(effect, n)| (effect.label(), *n))
                        .collect()
                )
            )),
            Block::Table(table),
        ],
    }];
    let mut training = Vec::new();
    for section in &register.training {
        training.push(Block::Paragraph(format!(
            "«{}»: {} → {}.",
            section.instrument, section.periods.0, section.periods.1
        )));
        training.push(Block::Bullets(
            std::iter::once(section.pooled_sentence.clone())
                .chain(section.areas.iter().map(|area| area.sentence.clone()))
                .collect(),
        ));
    }
    if training.is_empty() {
        training.push(Block::Paragraph(
            "Следующего периода с результатами ещё нет: эффективность обучения оценить нельзя."
                .to_owned(),
        ));
    }
    sections.push(Section {
        heading: "Оценка эффективности принятых мер".to_owned(),
        blocks: training,
    });
    Document {
        letterhead: Vec::new(),
        title: "Реестр адресных рекомендаций и управленческих решений".to_owned(),
        subtitle: vec![network.to_owned()],
        sections,
        signature: vec![
            "Методист ____________________ / ____________________ /".to_owned(),
            "Дата «____» ____________ 20___ г.".to_owned(),
        ],
        properties: vsoko_exchange::DocumentProperties {
            file_name: crate::words::file_name("Реестр рекомендаций", 120),
            ascii_file_name: "recommendations".to_owned(),
            author: network.to_owned(),
            created: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        },
    }
}
