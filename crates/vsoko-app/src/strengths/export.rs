//! The strengths matrix as the files a department keeps: «Матрица» (a row per kindergarten and
//! area), «Пары» (the kindergartens' pairs), «Пары педагогов» and «Правила».

use super::{StrengthsMatrix, teacher_pair_rule};

/// The matrix as sheets: «Матрица» (a row per kindergarten and area), «Пары» (the proposed
/// pairs) and «Правила» (the rules in words).
pub fn strengths_sheets(matrix: &StrengthsMatrix) -> Vec<vsoko_exchange::Sheet> {
    use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};
    let column = |header: &str, kind: ColumnKind| Column {
        header: header.to_owned(),
        kind,
    };
    let score = |value: Option<f64>| value.map_or(Cell::Empty, Cell::Number);
    let title = |code: &str| {
        matrix
            .areas
            .iter()
            .find(|(area, _)| area == code)
            .map(|(area, title)| format!("{area} {title}"))
            .unwrap_or_else(|| code.to_owned())
    };
    let cells = matrix
        .rows
        .iter()
        .flat_map(|row| {
            row.cells.iter().map(|cell| {
                vec![
                    Cell::Text(row.kindergarten.short_name.clone()),
                    Cell::Text(title(&cell.area)),
                    score(cell.score),
                    Cell::Text(cell.class.label().to_owned()),
                    Cell::Number(f64::from(cell.n)),
                    Cell::Number(f64::from(cell.high)),
                    Cell::Number(f64::from(cell.tutors)),
                ]
            })
        })
        .collect();
    let pairs = matrix
        .pairs
        .iter()
        .map(|pair| {
            let (mentor, mentor_score, high, tutors) = match &pair.mentor {
                Some((unit, value, high, tutors)) => (
                    Cell::Text(unit.short_name.clone()),
                    Cell::Number(*value),
                    Cell::Number(f64::from(*high)),
                    Cell::Number(f64::from(*tutors)),
                ),
                None => (
                    Cell::Text("нет свободной ДОО с сильной стороной".to_owned()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ),
            };
            vec![
                Cell::Text(pair.mentee.short_name.clone()),
                Cell::Text(format!("{} {}", pair.area.0, pair.area.1)),
                Cell::Number(pair.mentee_score),
                mentor,
                mentor_score,
                high,
                tutors,
                Cell::Text(
                    pair.alternatives
                        .iter()
                        .map(|unit| unit.short_name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]
        })
        .collect();
    vec![
        Sheet {
            name: "Матрица".to_owned(),
            columns: vec![
                column("Детский сад", ColumnKind::Text),
                column("Область", ColumnKind::Text),
                column("Результат", ColumnKind::Percent { decimals: 1 }),
                column("Оценка", ColumnKind::Text),
                column("Анкет", ColumnKind::Integer),
                column("Педагогов высокого уровня", ColumnKind::Integer),
                column("Из них тьюторов", ColumnKind::Integer),
            ],
            rows: cells,
        },
        Sheet {
            name: "Пары".to_owned(),
            columns: vec![
                column("ДОО с дефицитом", ColumnKind::Text),
                column("Область", ColumnKind::Text),
                column("Результат", ColumnKind::Percent { decimals: 1 }),
                column("ДОО-наставник", ColumnKind::Text),
                column("Результат наставника", ColumnKind::Percent { decimals: 1 }),
                column("Педагогов высокого уровня", ColumnKind::Integer),
                column("Из них тьюторов", ColumnKind::Integer),
                column("Другие варианты", ColumnKind::Text),
            ],
            rows: pairs,
        },
        Sheet {
            name: "Пары педагогов".to_owned(),
            columns: vec![
                column("Область", ColumnKind::Text),
                column("Педагог", ColumnKind::Text),
                column("ДОО", ColumnKind::Text),
                column("Результат", ColumnKind::Percent { decimals: 1 }),
                column("Наставник", ColumnKind::Text),
                column("ДОО наставника", ColumnKind::Text),
                column("Результат наставника", ColumnKind::Percent { decimals: 1 }),
                column("Тьютор", ColumnKind::Text),
            ],
            rows: matrix
                .teacher_pairs
                .iter()
                .map(|pair| {
                    let mut row = vec![
                        Cell::Text(format!("{} {}", pair.area.0, pair.area.1)),
                        Cell::Text(pair.mentee.person.full_name.clone()),
                        Cell::Text(pair.mentee.kindergarten.clone()),
                        Cell::Number(pair.mentee.score),
                    ];
                    match &pair.mentor {
                        Some(mentor) => row.extend([
                            Cell::Text(mentor.person.full_name.clone()),
                            Cell::Text(mentor.kindergarten.clone()),
                            Cell::Number(mentor.score),
                            Cell::Text(if mentor.tutor { "да" } else { "нет" }.to_owned()),
                        ]),
                        None => row.push(Cell::Text(
                            "нет свободного наставника в другом детском саду".to_owned(),
                        )),
                    }
                    row
                })
                .collect(),
        },
        Sheet {
            name: "Правила".to_owned(),
            columns: vec![column("Правило", ColumnKind::Text)],
            rows: vec![
                vec![Cell::Text(matrix.rules.text())],
                vec![Cell::Text(format!(
                    "Пары: детский сад с дефицитом по области — детскому саду с сильной стороной по ней, сначала с более высоким результатом, затем с меньшей нагрузкой; один детский сад наставляет не больше {}.",
                    crate::words::counted(
                        matrix.pair_rules.cap as usize,
                        "дефицита",
                        "дефицитов",
                        "дефицитов"
                    )
                ))],
                vec![Cell::Text(teacher_pair_rule())],
            ],
        },
    ]
}

/// The file name of the matrix.
pub fn strengths_file_name(matrix: &StrengthsMatrix, format: crate::export::FileFormat) -> String {
    format!(
        "vsoko-strengths-{}-{}.{}",
        matrix.instrument.code(),
        matrix.period.code,
        format.extension()
    )
}
