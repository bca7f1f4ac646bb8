//! The справка drawn from a report and its frame: its sections in order, each block from a
//! rule (`sentences.rs` and the rules here: the method, the level bands, comparability), its
//! table and chart as it prints them, and the coverage rule that withholds conclusions.

use chrono::Local;
use vsoko_checklist::{Instrument, InstrumentKind, Subject};
use vsoko_exchange::chart::{self, ChartSpec};
use vsoko_exchange::{Block, Document, DocumentProperties, DocumentTable, Section, TableCell};
use vsoko_scoring::{LevelRef, NodeKind, ReportRow};
use vsoko_storage::Period;

use super::sentences::level_words;
use super::sentences::*;
use super::{CRITICAL_DUE_DAYS, Frame, PERIOD_OPEN, areas_chart};
use crate::reports::{Report, ReportOf};
use crate::words;

pub(super) fn shade(instrument: &Instrument, level: Option<&LevelRef>) -> Option<usize> {
    level.and_then(|level| chart::shade(instrument, &level.code))
}

fn row_cells(report: &Report, row: &ReportRow, dynamics: bool, bounds: &[f64]) -> Vec<TableCell> {
    let instrument = &report.instrument;
    let k = report.body.min_respondents.unwrap_or(5);
    let mut cells = vec![
        TableCell::text(match row.kind {
            NodeKind::Indicator => format!("— {}", row.title),
            _ => row.title.clone(),
        }),
        TableCell::text(match (row.score, row.suppressed) {
            (_, true) => format!("менее {k} ответов"),
            (Some(value), false) => score(value, bounds),
            (None, false) => NO_DATA.to_owned(),
        }),
        TableCell::shaded(
            row.level
                .as_ref()
                .map(level_words)
                .unwrap_or_else(|| "—".to_owned()),
            shade(instrument, row.level.as_ref()),
        ),
        TableCell::text(row.n.to_string()),
    ];
    if dynamics {
        // What cannot be compared is said once, in the method (rule «сопоставимость»).
        cells.push(TableCell::text(match (row.comparable, row.delta) {
            (Some(false), _) => "—".to_owned(),
            (_, Some(delta)) => signed_points(delta),
            _ => NO_DATA.to_owned(),
        }));
    }
    cells
}

/// Rule «методика»: who assessed and how, by the kind of the instrument, with its title and
/// edition in words.
pub fn method_sentence(instrument: &Instrument) -> String {
    let what = format!(
        "«{}» (редакция {})",
        instrument.title(),
        instrument.version()
    );
    match instrument.kind() {
        InstrumentKind::Survey if instrument.respondent().is_anonymous() => format!(
            "Метод: анонимное анкетирование родителей (законных представителей) по анкете {what}."
        ),
        InstrumentKind::Survey => match instrument.subject() {
            Subject::Teacher if instrument.respondent() == vsoko_checklist::Respondent::Teacher => {
                format!("Метод: самооценка педагогов по анкете {what}.")
            }
            _ => format!("Метод: анкетирование по анкете {what}."),
        },
        InstrumentKind::ControlCard => format!(
            "Метод: наблюдение — посещение заведующим (старшим воспитателем) с заполнением карты {what}."
        ),
        InstrumentKind::IndicatorSet => {
            format!("Метод: заполнение детским садом показателей ВСОКО по набору {what}.")
        }
    }
}

/// Rule «уровни»: the level bands of the instrument with their bounds, and what a deficit is.
pub fn levels_legend(instrument: &Instrument) -> String {
    let bounds = bounds(instrument);
    let bands = instrument.levels().bands();
    let ranges: Vec<String> = bands
        .iter()
        .enumerate()
        .map(|(index, band)| {
            let name = format!("{} «{}»", band.code(), band.name());
            match bands.get(index + 1) {
                Some(next) if index == 0 => {
                    format!("{name} — ниже {}", score(next.from(), &bounds))
                }
                Some(next) => format!(
                    "{name} — от {} до {}",
                    score(band.from(), &bounds),
                    score(next.from(), &bounds)
                ),
                None => format!("{name} — от {}", score(band.from(), &bounds)),
            }
        })
        .collect();
    format!(
        "Уровни результата: {}. Уровень детского сада или сети — уровень их среднего результата, а не уровень отдельного педагога. Дефицит — результат ниже порога {}, установленного инструментом.",
        ranges.join("; "),
        score(instrument.deficit_threshold().get(), &bounds)
    )
}

/// Rule «сопоставимость»: with a compared period filled on another edition of the instrument,
/// which rows can be compared and why the others cannot — one sentence instead of a mark in
/// every row.
pub fn comparability_sentence(rows: &[ReportRow], frame: &Frame, version: u32) -> Option<String> {
    let compared = frame.compared.as_ref()?;
    let comparable = rows
        .iter()
        .filter(|row| row.comparable == Some(true))
        .count();
    let not = rows
        .iter()
        .filter(|row| row.comparable == Some(false))
        .count();
    if not == 0 {
        return None;
    }
    let whole = comparable + not;
    let editions = match frame.compared_version {
        Some(before) => format!(
            "{compared} заполнялся по редакции {before} инструмента, {} — по редакции {version}",
            frame.period
        ),
        None => format!(
            "{compared} и {} заполнялись по разным редакциям инструмента",
            frame.period
        ),
    };
    Some(format!(
        "{}: сопоставимы {comparable} из {whole} {} — те, вопросы которых по таблице соответствия редакций не изменились; для остальных изменение не рассчитывается (в таблице — «—»), потому что их вопросы в редакциях различаются.",
        words::capitalized(&editions),
        words::plural(whole, "строки", "строк", "строк")
    ))
}

/// The areas' chart as the справка prints it ([`areas_chart`]): each bar under the area's name
/// without its code, its figure rounded as the справка's text rounds it, the caption naming the
/// same.
fn printed_chart(report: &Report, caption: &str, bounds: &[f64]) -> ChartSpec {
    let mut chart = areas_chart(report, caption);
    let areas = report
        .rows()
        .iter()
        .filter(|row| row.kind == NodeKind::Area);
    for (bar, row) in chart.bars.iter_mut().zip(areas) {
        bar.label = row.title.clone();
        if let Some(value) = bar.value {
            bar.text = match &row.level {
                Some(level) => format!("{} {}", score(value, bounds), level.code),
                None => score(value, bounds),
            };
        }
    }
    chart.caption = Some(caption.to_owned());
    chart.alt = format!(
        "{caption}: {}",
        chart
            .bars
            .iter()
            .map(|bar| format!("{} — {}", bar.label, bar.text))
            .collect::<Vec<_>>()
            .join("; ")
    );
    chart
}

/// What the instrument's results are for, in one sentence per kind.
fn purpose(instrument: &Instrument) -> String {
    match instrument.kind() {
        InstrumentKind::Survey if instrument.respondent().is_anonymous() => format!(
            "Цель: изучить мнение родителей (законных представителей) по анкете «{}» и определить направления работы с семьями.",
            instrument.title()
        ),
        InstrumentKind::Survey => format!(
            "Цель: определить уровень и дефициты по результатам анкетирования «{}» для планирования методической поддержки и повышения квалификации.",
            instrument.title()
        ),
        InstrumentKind::ControlCard => format!(
            "Цель: оценить качество образовательной деятельности по результатам наблюдений («{}») и выявить нарушения, требующие устранения.",
            instrument.title()
        ),
        InstrumentKind::IndicatorSet => format!(
            "Цель: оценить качество дошкольного образования по показателям ВСОКО («{}») и сопоставить результаты с целевыми значениями.",
            instrument.title()
        ),
    }
}

/// The справка of a report.
pub(super) fn document(
    report: &Report,
    period: &Period,
    frame: &Frame,
    counts: vsoko_storage::StaffCounts,
    critical: &[(String, u32)],
    properties: DocumentProperties,
) -> Document {
    let instrument = &report.instrument;
    let bounds = bounds(instrument);
    let network = report.of == ReportOf::Network;
    let rows = report.rows();
    let dynamics = report.compare_period.is_some();
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let base = match instrument.subject() {
        Subject::Teacher => counts.teachers,
        Subject::Group => counts.groups,
        Subject::Kindergarten if network => {
            report.kindergartens.len() as u32 + report.suppressed_kindergartens.len() as u32
        }
        Subject::Kindergarten => 1,
    };
    let mut participants = vec![Block::Paragraph(
        if instrument.respondent().is_anonymous() {
            format!(
                "Получено анкет: {}. Результаты групп и детских садов, где ответов меньше {}, не показываются (анкета анонимная). Доля ответивших не рассчитывается: число семей воспитанников в системе не ведётся.",
                report.body.n_submissions,
                report.body.min_respondents.unwrap_or(5)
            )
        } else {
            coverage_sentence(instrument, report.body.n_subjects, base)
        },
    )];
    if instrument.counting() == vsoko_checklist::Counting::Observations {
        participants.push(Block::Paragraph(format!(
            "Проведено {} (заполнено карт: {}).",
            words::counted(
                report.body.n_submissions as usize,
                "наблюдение",
                "наблюдения",
                "наблюдений"
            ),
            report.body.n_submissions
        )));
    }
    if !frame.observations.is_empty() {
        // What the cards noted without scoring it (the children's age) stands for the group.
        let mut header = vec!["Дата".to_owned(), "Кто или что наблюдалось".to_owned()];
        header.extend(frame.observation_columns.iter().cloned());
        participants.push(Block::Table(DocumentTable {
            caption: "Таблица 1. Наблюдения".to_owned(),
            header,
            rows: frame
                .observations
                .iter()
                .map(|observation| {
                    let mut row = vec![
                        TableCell::text(words::date_text(observation.on)),
                        TableCell::text(&observation.subject),
                    ];
                    row.extend(observation.noted.iter().map(TableCell::text));
                    row
                })
                .collect(),
        }));
    }
    if network {
        participants.push(Block::Paragraph(format!(
            "Детских садов с результатами: {}.",
            report.kindergartens.len()
        )));
    }
    let tables = usize::from(!frame.observations.is_empty());
    let card = instrument.kind() == InstrumentKind::ControlCard;
    let mut header = vec![
        "Область / показатель".to_owned(),
        if card {
            "Доля соблюдения"
        } else {
            "Результат"
        }
        .to_owned(),
        "Уровень".to_owned(),
        "n".to_owned(),
    ];
    if dynamics {
        header.push("Изменение".to_owned());
    }
    let mut results = vec![
        Block::Paragraph(total_sentence(
            rows.first(),
            total_words(instrument),
            &bounds,
        )),
        Block::Chart(printed_chart(
            report,
            "Рисунок 1. Результаты по областям",
            &bounds,
        )),
        Block::Table(DocumentTable {
            caption: format!(
                "Таблица {}. Результаты по областям и показателям",
                tables + 1
            ),
            header,
            rows: rows
                .iter()
                .map(|row| row_cells(report, row, dynamics, &bounds))
                .collect(),
        }),
    ];
    // The section's conclusion: where the results are highest and lowest (none from too few).
    if report.insufficient_reason().is_none() {
        results.push(Block::Paragraph(format!(
            "{} {}",
            strongest_sentence(rows, &bounds),
            weakest_sentence(rows, &bounds)
        )));
    }
    if network && !report.kindergartens.is_empty() {
        // Places only where the instrument gives them (not by self-assessment).
        let ranks = instrument.ranks();
        let mut header = Vec::new();
        if ranks {
            header.push("Место".to_owned());
        }
        header.extend([
            "Детский сад".to_owned(),
            "Результат".to_owned(),
            "Уровень".to_owned(),
        ]);
        if dynamics {
            header.push("Изменение".to_owned());
        }
        results.push(Block::Table(DocumentTable {
            caption: if ranks {
                format!(
                    "Таблица {}. Детские сады (по итоговому результату)",
                    tables + 2
                )
            } else {
                format!(
                    "Таблица {}. Детские сады (по алфавиту: места по самооценке не присваиваются)",
                    tables + 2
                )
            },
            header,
            rows: report
                .kindergartens
                .iter()
                .map(|line| {
                    // A kindergarten without enough coverage of its own has no place: «—».
                    let mut cells: Vec<TableCell> = Vec::new();
                    if ranks {
                        cells.push(TableCell::text(
                            line.row
                                .rank
                                .map_or_else(|| "—".to_owned(), |rank| rank.to_string()),
                        ));
                    }
                    cells.extend([
                        TableCell::text(&line.short_name),
                        TableCell::text(score(line.row.score, &bounds)),
                        match &line.row.level {
                            Some(level) => TableCell::shaded(
                                level_words(level),
                                shade(instrument, Some(level)),
                            ),
                            None => TableCell::text(NO_DATA),
                        },
                    ]);
                    if dynamics {
                        cells.push(TableCell::text(match line.row.delta {
                            Some(delta) => signed_points(delta),
                            None => "—".to_owned(),
                        }));
                    }
                    cells
                })
                .collect(),
        }));
    }
    let deficit_items: Vec<&crate::reports::ItemLine> = report
        .items
        .iter()
        .filter(|item| item.result.as_ref().is_some_and(|result| result.deficit))
        .collect();
    // Items on one scale have its lower part named once, in the lead-in.
    let mut shared: Vec<String> = deficit_items
        .iter()
        .map(|item| low_labels(instrument, &item.code))
        .collect();
    shared.dedup();
    let shared = match shared.as_slice() {
        [labels] if !labels.is_empty() && deficit_items.len() > 1 => Some(labels.clone()),
        _ => None,
    };
    let items: Vec<String> = deficit_items
        .iter()
        .filter_map(|item| item_deficit_sentence(instrument, item, shared.is_some()))
        .collect();
    let deficit_codes: Vec<String> = deficit_items.iter().map(|item| item.code.clone()).collect();
    let mut weakest = deficit_sentences(rows, instrument.deficit_threshold().get(), &bounds);
    weakest.push(weakest_sentence(rows, &bounds));
    let mut deficits = vec![Block::Bullets(weakest)];
    let individual = individual_deficit_sentences(instrument, rows);
    if !individual.is_empty() {
        deficits.push(Block::Paragraph(
            "Результаты отдельных участников ниже порога (средние их не показывают):".to_owned(),
        ));
        deficits.push(Block::Bullets(individual));
    }
    if !items.is_empty() {
        deficits.push(Block::Paragraph(match &shared {
            Some(labels) => format!(
                "Пункты с дефицитом ({}; нижняя часть шкалы этих пунктов — {labels}):",
                item_deficit_rule()
            ),
            None => format!("Пункты с дефицитом ({}):", item_deficit_rule()),
        }));
        deficits.push(Block::Bullets(items));
    }
    let breached = critical_sentence(instrument, critical, report.body.n_submissions);
    if let Some(sentence) = &breached {
        deficits.push(Block::Paragraph(sentence.clone()));
    }
    let units = if network {
        "Детские сады по уровню среднего результата"
    } else {
        match instrument.subject() {
            Subject::Group => "Группы по уровням",
            _ => "Педагоги по уровням",
        }
    };
    let mut method = vec![
        Block::Paragraph(format!(
            "Основание: {}.",
            frame.basis.as_deref().unwrap_or("не указано")
        )),
        Block::Paragraph(purpose(instrument)),
        Block::Paragraph(format!(
            "Сроки: с {} по {} ({}).",
            date(period.starts_on),
            date(period.ends_on),
            frame.period
        )),
        Block::Paragraph(method_sentence(instrument)),
        Block::Paragraph(levels_legend(instrument)),
    ];
    method.extend(comparability_sentence(rows, frame, instrument.version()).map(Block::Paragraph));
    let mut signature = vec![
        if network {
            format!(
                "Методист управления образования ____________ / {} /",
                frame.signer
            )
        } else {
            format!("Заведующий ____________ / {} /", frame.signer)
        },
        format!("Исполнитель: {}", frame.executor),
    ];
    if !frame.acquainted.is_empty() {
        signature.push("Со справкой ознакомлены:".to_owned());
        signature.extend(
            frame
                .acquainted
                .iter()
                .map(|name| format!("{name} ____________ «___» ____________ 20__ г.")),
        );
    }
    let strengths = strength_sentences(instrument, rows);
    let mut document = Document {
        letterhead: frame.letterhead.clone(),
        title: "Аналитическая справка".to_owned(),
        subtitle: vec![
            format!("по результатам оценки «{}»", instrument.title()),
            format!(
                "за {}{}",
                frame.period,
                frame
                    .compared
                    .as_ref()
                    .map(|compared| format!(" в сравнении с периодом {compared}"))
                    .unwrap_or_default()
            ),
            format!("от {}", date(frame.date)),
        ],
        sections: vec![
            Section {
                heading: "Основание и методика".to_owned(),
                blocks: method,
            },
            Section {
                heading: "Участники и охват".to_owned(),
                blocks: participants,
            },
            Section {
                heading: "Результаты по направлениям".to_owned(),
                blocks: results,
            },
            Section {
                heading: "Сильные стороны".to_owned(),
                blocks: vec![Block::Bullets(strengths)],
            },
            Section {
                heading: "Дефициты".to_owned(),
                blocks: deficits,
            },
            Section {
                heading: "Динамика".to_owned(),
                blocks: comparison_sentence(report)
                    .map(Block::Paragraph)
                    .into_iter()
                    .chain([Block::Bullets(dynamics_sentences(
                        rows,
                        frame.compared.as_deref(),
                    ))])
                    .collect(),
            },
            Section {
                heading: "Готовность к профессиональному развитию".to_owned(),
                blocks: readiness_blocks(instrument, &report.items),
            },
            Section {
                heading: "Выводы".to_owned(),
                blocks: vec![Block::Bullets({
                    let mut conclusions = conclusion_sentences(
                        rows,
                        &report.distribution,
                        units,
                        total_words(instrument),
                        &bounds,
                    );
                    // After the total and the deficits: what the means do not show.
                    if let Some(sentence) = breached {
                        conclusions.insert(conclusions.len().min(2), sentence);
                    }
                    conclusions
                })],
            },
            Section {
                heading: "Рекомендации".to_owned(),
                blocks: vec![
                    Block::Paragraph(format!(
                        "{} (ответственный — {}; срок — до {}, если не указан другой):",
                        frame.addressee,
                        frame.responsible,
                        date(frame.due)
                    )),
                    Block::Bullets(recommendation_sentences(
                        instrument,
                        rows,
                        &deficit_codes,
                        critical,
                        report.body.n_submissions,
                        frame.date + chrono::Days::new(CRITICAL_DUE_DAYS),
                        &frame.registered,
                    )),
                    Block::Paragraph(
                        "Рекомендации носят методический характер; решения о направлении на повышение квалификации принимаются руководителем."
                            .to_owned(),
                    ),
                ],
            },
        ],
        signature,
        properties,
    };
    // A section with nothing to say of this instrument (no role items) is left out.
    document
        .sections
        .retain(|section| !section.blocks.is_empty());
    limit_to_coverage(&mut document, report);
    document
}

/// The readiness section's content: the counts, and where the names are — or nothing, and the
/// section is then dropped by [`document`].
fn readiness_blocks(instrument: &Instrument, items: &[crate::reports::ItemLine]) -> Vec<Block> {
    let sentences = readiness_sentences(instrument, items);
    if sentences.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Paragraph("По ответам анкеты (число ответивших на вопрос):".to_owned()),
        Block::Bullets(sentences),
        Block::Paragraph(
            "Поимённые списки — в разделе «Списки»: включение в них подтверждают заведующие (ТК РФ, ст. 86)."
                .to_owned(),
        ),
    ]
}

/// Rule «охват и полнота»: an open period says its data are incomplete at the top; a result of
/// too few of the active subjects draws no strength, deficit, change, conclusion or
/// recommendation — each of those sections says why instead.
fn limit_to_coverage(document: &mut Document, report: &Report) {
    if report.period_open
        && let Some(first) = document.sections.first_mut()
    {
        first.blocks.insert(
            0,
            Block::Paragraph(format!(
                "{PERIOD_OPEN}: справка отражает ответы, поступившие к {}.",
                Local::now().format("%d.%m.%Y")
            )),
        );
    }
    if let Some(reason) = report.insufficient_reason() {
        for section in &mut document.sections {
            if matches!(
                section.heading.as_str(),
                "Сильные стороны" | "Дефициты" | "Динамика" | "Выводы" | "Рекомендации"
            ) {
                section.blocks = vec![Block::Paragraph(format!(
                    "Недостаточно данных: {reason}. Уровни, изменения и выводы по этим данным не приводятся."
                ))];
            }
        }
    }
}
