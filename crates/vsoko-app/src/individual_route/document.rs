//! The route in words: the lines the page and the DOCX share, and the DOCX itself.

use chrono::Utc;

use super::RouteView;

use crate::words::date_text;

impl RouteView {
    /// Her latest ПК or ПП in words, or that there is none.
    pub fn last_training_text(&self) -> String {
        match &self.last_training {
            Some(record) => format!(
                "{} «{}», {} ак. ч., {}",
                crate::words::capitalized(record.kind.label()),
                record.programme,
                record.hours,
                date_text(record.counted_date())
            ),
            None => "сведений нет".to_owned(),
        }
    }

    /// Where the diagnosis comes from («Самооценка «…», сентябрь 2025»); empty without one.
    pub fn diagnosis_source(&self) -> String {
        self.diagnosis
            .as_ref()
            .map(|diagnosis| {
                format!(
                    "Самооценка «{}», {}.",
                    diagnosis.instrument,
                    crate::words::period_in_words(
                        diagnosis.period.starts_on,
                        diagnosis.period.ends_on
                    )
                )
            })
            .unwrap_or_default()
    }

    /// The observations' deficits, each ««title» — 40,0 %».
    pub fn observed_lines(&self) -> Vec<String> {
        self.observed
            .iter()
            .map(|line| format!("«{}» — {}", line.node, crate::words::percent(line.score)))
            .collect()
    }

    /// Which card and period the observations are from; empty without any.
    pub fn observed_source(&self) -> String {
        self.observed
            .first()
            .map(|line| format!("{}, {}", line.card, line.period))
            .unwrap_or_default()
    }

    /// «Итоги»: where they come from; empty before the next survey.
    pub fn outcome_source(&self) -> String {
        self.outcomes
            .as_ref()
            .map(|(period, _)| {
                format!(
                    "Повторная самооценка, {}.",
                    crate::words::period_in_words(period.starts_on, period.ends_on)
                )
            })
            .unwrap_or_default()
    }

    /// Each row's effect in words («Цифровые ресурсы: дефицит закрыт»).
    pub fn outcome_lines(&self) -> Vec<String> {
        self.outcomes
            .as_ref()
            .map(|(_, effects)| {
                self.rows
                    .iter()
                    .zip(effects)
                    .map(|(row, effect)| format!("{}: {}", row.deficit_title, effect.label()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// «2 из 3 (67 %)» rows done.
    pub fn done_text(&self) -> String {
        let (done, total) = self.done();
        match vsoko_development::route_completion(done, total) {
            Some(share) => format!("{done} из {total} ({})", share.text()),
            None => "нет строк".to_owned(),
        }
    }

    /// Her mentor in words: by a confirmed mentoring pair, else «не назначен».
    pub fn mentor_text(&self) -> String {
        self.mentor
            .clone()
            .unwrap_or_else(|| "не назначен".to_owned())
    }

    /// The approval in words («утверждён 12.09.2025»); empty before.
    pub fn approved_text(&self) -> String {
        self.approved_at
            .map(|at| format!("утверждён {}", date_text(at.date_naive())))
            .unwrap_or_default()
    }

    /// The route as a document to file (DOCX), in the layout of the page: паспорт, результаты
    /// диагностики, план, итоги, and the signature lines of the teacher and the head.
    pub fn document(&self, network: &str) -> vsoko_exchange::Document {
        use vsoko_exchange::{Block, DocumentTable as Table, Section, TableCell};
        let mut sections = vec![Section {
            heading: "Паспорт".to_owned(),
            blocks: vec![Block::Bullets(vec![
                format!("ФИО: {}", self.person.full_name),
                format!("Должность: {}", self.person.position),
                format!("Детский сад: {}", self.kindergarten.short_name),
                format!(
                    "Последнее повышение квалификации: {}",
                    self.last_training_text()
                ),
                format!("Тьютор, наставник: {}", self.mentor_text()),
                format!("Период: {} учебный год", self.year),
            ])],
        }];
        let mut diagnosis = Vec::new();
        match &self.diagnosis {
            None => diagnosis.push(Block::Paragraph("Самооценка ещё не пройдена.".to_owned())),
            Some(found) => {
                diagnosis.push(Block::Paragraph(self.diagnosis_source()));
                diagnosis.push(Block::Table(Table {
                    caption: "Результаты по областям".to_owned(),
                    header: ["Область", "Результат", "Уровень", "Следующий уровень"]
                        .map(str::to_owned)
                        .to_vec(),
                    rows: found
                        .areas
                        .iter()
                        .map(|area| {
                            vec![
                                TableCell::text(if area.deficit {
                                    format!("{} (дефицит)", area.title)
                                } else {
                                    area.title.clone()
                                }),
                                TableCell::text(
                                    area.score.map(crate::words::percent).unwrap_or_default(),
                                ),
                                TableCell::text(area.level.clone().unwrap_or_default()),
                                TableCell::text(area.next.clone().unwrap_or_default()),
                            ]
                        })
                        .collect(),
                }));
            }
        }
        if !self.observed.is_empty() {
            diagnosis.push(Block::Paragraph(format!(
                "По наблюдению ({}): {}.",
                self.observed_source(),
                self.observed_lines().join("; ")
            )));
        }
        sections.push(Section {
            heading: "Результаты диагностики".to_owned(),
            blocks: diagnosis,
        });
        sections.push(Section {
            heading: "План".to_owned(),
            blocks: vec![Block::Table(Table {
                caption: "План".to_owned(),
                header: [
                    "Дефицит",
                    "Задача",
                    "Мероприятие",
                    "Форма",
                    "Срок",
                    "Результат и форма предъявления",
                    "Отметка о выполнении",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: self
                    .rows
                    .iter()
                    .map(|row| {
                        vec![
                            TableCell::text(row.deficit_title.clone()),
                            TableCell::text(row.task.clone()),
                            TableCell::text(row.activity.clone()),
                            TableCell::text(row.form.label()),
                            TableCell::text(date_text(row.due)),
                            TableCell::text(row.result.clone()),
                            TableCell::text(if row.done { "выполнено" } else { "" }),
                        ]
                    })
                    .collect(),
            })],
        });
        if self.outcomes.is_some() {
            sections.push(Section {
                heading: "Итоги".to_owned(),
                blocks: vec![
                    Block::Paragraph(self.outcome_source()),
                    Block::Bullets(self.outcome_lines()),
                ],
            });
        }
        let name = format!(
            "ИОМ {} {}",
            self.person.full_name,
            self.year.to_string().replace('/', "-")
        );
        vsoko_exchange::Document {
            letterhead: Vec::new(),
            title: "Индивидуальный образовательный маршрут".to_owned(),
            subtitle: vec![
                format!(
                    "{}, {}",
                    self.person.full_name, self.kindergarten.short_name
                ),
                format!(
                    "{} учебный год · {}{}",
                    self.year,
                    self.status.label(),
                    match self.approved_text() {
                        text if text.is_empty() => String::new(),
                        text => format!(" ({text})"),
                    }
                ),
            ],
            sections,
            signature: vec![
                format!("Педагог ____________________ / {} /", self.person.full_name),
                "Заведующий ____________________ / ____________________ /".to_owned(),
                "Дата «____» ____________ 20___ г.".to_owned(),
            ],
            properties: vsoko_exchange::DocumentProperties {
                file_name: crate::words::file_name(&name, 120),
                ascii_file_name: format!("iom-{}-{}", self.person.id, self.year.start_year()),
                author: network.to_owned(),
                created: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            },
        }
    }
}
