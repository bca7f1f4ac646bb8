//! The аналитическая справка of a kindergarten or of the network, for an instrument and a period
//! (with an optional comparison): the document a старший воспитатель or a methodist files.
//!
//! Every sentence comes from one rule over the report's numbers — a function below, tested with
//! the sentence it gives for given numbers — and a rule with no data says «недостаточно данных».
//! Nothing is invented: the recommendations are the instrument's own `recommendation`s of the
//! nodes in deficit, and the critical items found.
//!
//! The document ([`vsoko_exchange::Document`]) is drawn as a printable HTML page by the web pages
//! and written as DOCX by `vsoko_exchange::write_docx`.

use chrono::Local;
use vsoko_checklist::{Instrument, InstrumentKind, Subject};
use vsoko_exchange::chart::{self, Bar, ChartSpec};
use vsoko_exchange::{Block, Document, DocumentProperties, DocumentTable, Section, TableCell};
use vsoko_scoring::{LevelRef, NodeKind, ReportRow};
use vsoko_storage::{Id, Period, Scope};

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::words::percent;
use crate::{App, Principal, words};

/// What справка to build.
#[derive(Debug, Clone)]
pub struct SpravkaRequest {
    /// A kindergarten's or the network's.
    pub of: ReportOf,
    /// Instrument code.
    pub instrument: String,
    /// Period code.
    pub period: String,
    /// The period compared with.
    pub compare_period: Option<String>,
}

/// «Недостаточно данных»: what every rule says without its numbers.
pub const NO_DATA: &str = "недостаточно данных";

/// `7,5 п.п.` (the absolute value).
pub fn points(value: f64) -> String {
    let rounded = (value.abs() * 10.0).round() / 10.0;
    let number = format!("{rounded:.1}").replace('.', ",");
    format!("{number}\u{a0}п.п.")
}

/// A change with its sign: `+3,2 п.п.`, `−5,1 п.п.`, `0,0 п.п.`.
pub fn signed_points(delta: f64) -> String {
    let tenths = (delta * 10.0).round();
    let sign = if tenths > 0.0 {
        "+"
    } else if tenths < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", points(delta))
}

fn level_words(level: &LevelRef) -> String {
    format!("{} «{}»", level.code, level.name)
}

/// A coverage as a figure: «5 из 6 (83,3 %)», «участников в учёте нет» without a base.
pub fn coverage_figure(coverage: &vsoko_scoring::Coverage) -> String {
    match coverage.percent {
        Some(share) => format!(
            "{} из {} ({})",
            coverage.counted,
            coverage.base,
            percent(share)
        ),
        None => "участников в учёте нет".to_owned(),
    }
}

/// Rule «охват»: `n` of `base` took part, with the share; «недостаточно данных» without a base.
pub fn coverage_sentence(who: &str, n: u32, base: u32) -> String {
    if base == 0 {
        return format!("Охват: {NO_DATA} (в учёте нет ни одного участника этой категории).");
    }
    let share = f64::from(n) * 100.0 / f64::from(base);
    format!(
        "В оценке участвовали {who}: {n} из {base} ({}).",
        percent(share)
    )
}

/// Rule «общий результат».
pub fn total_sentence(total: Option<&ReportRow>) -> String {
    match total.and_then(|row| Some((row.score?, row.level.as_ref()?))) {
        Some((score, level)) => format!(
            "Общий результат — {} (уровень {}).",
            percent(score),
            level_words(level)
        ),
        None => format!("Общий результат: {NO_DATA}."),
    }
}

/// The areas of a report with a valid score, in instrument order.
fn valid_areas(rows: &[ReportRow]) -> Vec<&ReportRow> {
    rows.iter()
        .filter(|row| row.kind == NodeKind::Area && row.score.is_some() && !row.suppressed)
        .collect()
}

fn names(rows: &[&ReportRow]) -> String {
    let quoted: Vec<String> = rows.iter().map(|row| format!("«{}»", row.title)).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        _ => format!(
            "{} и {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        ),
    }
}

/// The level from which an area is a strength: the highest band of a level table of three bands
/// or fewer (a card's «Оптимальный»), the second highest of a longer one (of A1 … C2: C1).
pub fn strength_band(instrument: &Instrument) -> &vsoko_checklist::LevelBand {
    let bands = instrument.levels().bands();
    let index = if bands.len() <= 3 {
        bands.len() - 1
    } else {
        bands.len() - 2
    };
    &bands[index]
}

/// Rule «сильные стороны»: the rule in words, then every area whose level is at or above
/// [`strength_band`] and whose score is above the deficit threshold, without a deficit or a
/// critical item; when none is, that is said — the lowest results are never named here.
pub fn strength_sentences(instrument: &Instrument, rows: &[ReportRow]) -> Vec<String> {
    let band = strength_band(instrument);
    let bands = instrument.levels().bands();
    let from = bands
        .iter()
        .position(|known| known.code() == band.code())
        .unwrap_or(usize::MAX);
    let threshold = instrument.deficit_threshold().get();
    let rule = format!(
        "Сильной стороной считается область с уровнем не ниже {} «{}» (от {}), результатом выше порога дефицита {} и без нарушений критических пунктов.",
        band.code(),
        band.name(),
        percent(band.from()),
        percent(threshold)
    );
    let areas = valid_areas(rows);
    if areas.is_empty() {
        return vec![rule, format!("Сильные стороны: {NO_DATA}.")];
    }
    let found: Vec<String> = areas
        .into_iter()
        .filter(|row| {
            let at_or_above = row.level.as_ref().is_some_and(|level| {
                bands
                    .iter()
                    .position(|known| known.code().as_str() == level.code)
                    .is_some_and(|index| index >= from)
            });
            at_or_above
                && !row.deficit
                && !row.critical
                && row.score.is_some_and(|score| score >= threshold)
        })
        .map(|row| {
            format!(
                "«{}» — {}{}.",
                row.title,
                percent(row.score.unwrap_or_default()),
                row.level
                    .as_ref()
                    .map(|level| format!(" (уровень {})", level_words(level)))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mut sentences = vec![rule];
    if found.is_empty() {
        sentences.push("По этому правилу сильных сторон не выявлено.".to_owned());
    } else {
        sentences.extend(found);
    }
    sentences
}

/// The area(s) with the highest score (ties, at one decimal, together): what the dashboards call
/// the best result — not a strength unless [`strength_sentences`] says so.
pub fn strongest_sentence(rows: &[ReportRow]) -> String {
    extreme_sentence(rows, true)
}

/// Rule «наиболее низкие результаты»: the area(s) with the lowest score.
pub fn weakest_sentence(rows: &[ReportRow]) -> String {
    extreme_sentence(rows, false)
}

fn extreme_sentence(rows: &[ReportRow], highest: bool) -> String {
    let areas = valid_areas(rows);
    let what = if highest {
        "Наиболее высокие"
    } else {
        "Наиболее низкие"
    };
    let rounded = |row: &&ReportRow| (row.score.unwrap_or(0.0) * 10.0).round() as i64;
    let best = if highest {
        areas.iter().map(rounded).max()
    } else {
        areas.iter().map(rounded).min()
    };
    let Some(best) = best else {
        return format!("{what} результаты по областям: {NO_DATA}.");
    };
    if areas.len() < 2 {
        return format!("{what} результаты по областям: {NO_DATA} (оценена одна область).");
    }
    let found: Vec<&ReportRow> = areas
        .iter()
        .filter(|row| rounded(row) == best)
        .copied()
        .collect();
    let word = if found.len() == 1 {
        "в области"
    } else {
        "в областях"
    };
    format!(
        "{what} результаты — {word} {} ({}).",
        names(&found),
        percent(best as f64 / 10.0)
    )
}

/// Rule «дефициты»: every area and indicator below the instrument's threshold, with its score.
pub fn deficit_sentences(rows: &[ReportRow], threshold: f64) -> Vec<String> {
    let deficits: Vec<String> = rows
        .iter()
        .filter(|row| row.deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
        .map(|row| {
            format!(
                "Дефицит по {} «{}»: {} при пороге {}.",
                match row.kind {
                    NodeKind::Area => "области",
                    _ => "показателю",
                },
                row.title,
                row.score.map(percent).unwrap_or_else(|| NO_DATA.to_owned()),
                percent(threshold)
            )
        })
        .collect();
    if !deficits.is_empty() {
        return deficits;
    }
    if valid_areas(rows).is_empty() {
        return vec![format!("Дефициты: {NO_DATA}.")];
    }
    vec![format!(
        "Дефицитов по областям и показателям не выявлено: все средние результаты не ниже порога {}.",
        percent(threshold)
    )]
}

/// «3 из 12 (25,0 %)»: how many of a row's subjects score below the threshold on their own;
/// «—» when none has a score.
pub fn subjects_below_text(row: &ReportRow) -> String {
    if row.subjects_scored == 0 {
        return "—".to_owned();
    }
    format!(
        "{} из {} ({})",
        row.subjects_below,
        row.subjects_scored,
        percent(f64::from(row.subjects_below) * 100.0 / f64::from(row.subjects_scored))
    )
}

/// The threshold in words, with the level it is the lower bound of when there is one: «30,0 %
/// (ниже уровня B1 «Интегратор»)» reads «ниже порога 30,0 % (ниже уровня B1 «Интегратор»)».
fn threshold_words(instrument: &Instrument) -> String {
    let threshold = instrument.deficit_threshold().get();
    match instrument
        .levels()
        .bands()
        .iter()
        .skip(1)
        .find(|band| (band.from() - threshold).abs() < 1e-9)
    {
        Some(band) => format!(
            "{} (уровня {} «{}»)",
            percent(threshold),
            band.code(),
            band.name()
        ),
        None => percent(threshold),
    }
}

/// The noun of an instrument's subjects: after a number (1, 2–4, 5+), then in the genitive after
/// «из» (1, others): педагог / педагога / педагогов, «из 1 педагога», «из 12 педагогов».
fn subject_words(instrument: &Instrument) -> [&'static str; 5] {
    match instrument.subject() {
        Subject::Group => ["группа", "группы", "групп", "группы", "групп"],
        Subject::Kindergarten => [
            "детский сад",
            "детских сада",
            "детских садов",
            "детского сада",
            "детских садов",
        ],
        Subject::Teacher if instrument.respondent() == vsoko_checklist::Respondent::Teacher => {
            ["педагог", "педагога", "педагогов", "педагога", "педагогов"]
        }
        Subject::Teacher => [
            "сотрудник",
            "сотрудника",
            "сотрудников",
            "сотрудника",
            "сотрудников",
        ],
    }
}

/// Rule «индивидуальные дефициты»: a mean at or above the threshold can hide people below it, so
/// every area with any subject below the threshold says how many («у 3 из 12 педагогов
/// (25,0 %) результат ниже порога 30,0 %»). Subjects are counted in the genitive after «из».
pub fn individual_deficit_sentences(instrument: &Instrument, rows: &[ReportRow]) -> Vec<String> {
    let of = |n: u32| {
        let [_, _, _, of_one, of_many] = subject_words(instrument);
        words::plural(n as usize, of_one, of_many, of_many)
    };
    rows.iter()
        .filter(|row| row.kind == NodeKind::Area && row.subjects_below > 0 && !row.suppressed)
        .map(|row| {
            format!(
                "Область «{}»: у {} из {} {} ({}) результат ниже порога {}.",
                row.title,
                row.subjects_below,
                row.subjects_scored,
                of(row.subjects_scored),
                percent(f64::from(row.subjects_below) * 100.0 / f64::from(row.subjects_scored)),
                threshold_words(instrument)
            )
        })
        .collect()
}

/// Rule «кто сравнивается» in words ([`vsoko_scoring::ComparedSubjects`]): whether a change is
/// of the same people or only of the mean of two different groups, with the numbers. `None`
/// without a compared period. Answers of an anonymous questionnaire are never the same people
/// as far as anyone can tell.
pub fn comparison_sentence(report: &Report) -> Option<String> {
    let compared = report.body.compared_subjects?;
    let instrument = &report.instrument;
    let count = |n: u32| {
        let [one, few, many, _, _] = subject_words(instrument);
        words::counted(n as usize, one, few, many)
    };
    Some(if instrument.respondent().is_anonymous() {
        format!(
            "Изменение — это изменение среднего по анонимным ответам: одни ли и те же люди отвечали, неизвестно (в этом периоде — {}, в периоде сравнения — {}, в обоих — {}).",
            count(compared.now),
            count(compared.before),
            count(compared.both)
        )
    } else if compared.same() {
        format!(
            "Изменение — у одних и тех же участников: {} в обоих периодах.",
            count(compared.both)
        )
    } else {
        format!(
            "Изменение — это изменение среднего: состав участников различается (в этом периоде — {}, в периоде сравнения — {}, в обоих — {}), поэтому это не изменение у одних и тех же людей.",
            count(compared.now),
            count(compared.before),
            count(compared.both)
        )
    })
}

/// Rule «динамика»: every area and indicator with a change against the compared period, a drop of
/// 5 p.p. or more marked; what cannot be compared says so.
pub fn dynamics_sentences(rows: &[ReportRow], compared: Option<&str>) -> Vec<String> {
    let Some(compared) = compared else {
        return vec!["Сравнение с другим периодом не проводилось.".to_owned()];
    };
    let mut sentences = Vec::new();
    for row in rows.iter().filter(|row| {
        matches!(
            row.kind,
            NodeKind::Total | NodeKind::Area | NodeKind::Indicator
        )
    }) {
        let what = match row.kind {
            NodeKind::Total => "по общему результату".to_owned(),
            NodeKind::Area => format!("по области «{}»", row.title),
            _ => format!("по показателю «{}»", row.title),
        };
        match (row.comparable, row.delta) {
            (Some(true), Some(delta)) if (delta * 10.0).round() > 0.0 => {
                sentences.push(format!("Рост на {} {what}.", points(delta)));
            }
            (Some(true), Some(delta)) if (delta * 10.0).round() < 0.0 => {
                sentences.push(format!(
                    "Снижение на {} {what}{}.",
                    points(delta),
                    if row.drop {
                        format!(" — значимое снижение ({} и более)", drop_words())
                    } else {
                        String::new()
                    }
                ));
            }
            (Some(true), Some(_)) => sentences.push(format!("Без изменений {what}.")),
            _ => {}
        }
    }
    if sentences.is_empty() {
        let any_comparable = rows.iter().any(|row| row.comparable == Some(true));
        return vec![if any_comparable {
            format!("Динамика по сравнению с периодом {compared}: {NO_DATA}.")
        } else {
            format!(
                "Динамика по сравнению с периодом {compared}: нет сопоставимых данных (версии инструмента несопоставимы)."
            )
        }];
    }
    let drops = rows.iter().filter(|row| row.drop).count();
    sentences.insert(
        0,
        format!(
            "По сравнению с периодом {compared}: {}.",
            if drops == 0 {
                format!("значимых снижений (на {} и более) нет", drop_words())
            } else {
                format!("значимых снижений (на {} и более) — {drops}", drop_words())
            }
        ),
    );
    sentences
}

/// The recommendations: the instrument's `recommendation` of every area and indicator in deficit,
/// and of the indicator (or else the area) of every item in deficit — each once — and the critical
/// items found.
pub fn recommendation_sentences(
    instrument: &Instrument,
    rows: &[ReportRow],
    deficit_items: &[String],
    critical: &[(String, u32)],
) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for code in deficit_items {
        let Some(item) = instrument.item(code) else {
            continue;
        };
        let (title, text) = match (item.indicator.recommendation(), item.area.recommendation()) {
            (Some(text), _) => (item.indicator.title(), text),
            (None, Some(text)) => (item.area.title(), text),
            (None, None) => continue,
        };
        let sentence = format!("«{title}» (пункты с дефицитом): {text}.").replace("..", ".");
        if !found.contains(&sentence) {
            found.push(sentence);
        }
    }
    for row in rows.iter().filter(|row| row.deficit) {
        let text = matches!(row.kind, NodeKind::Area | NodeKind::Indicator)
            .then(|| instrument.recommendation(&row.code))
            .flatten();
        if let Some(text) = text {
            let sentence = format!("«{}»: {text}.", row.title).replace("..", ".");
            if !found.contains(&sentence) {
                found.push(sentence);
            }
        }
    }
    for (item, n) in critical {
        let text = instrument
            .item(item)
            .map(|found| found.item.text().to_owned())
            .unwrap_or_default();
        found.push(format!(
            "Критический пункт {item} «{text}» нарушен в {n} {}: устранить нарушение и провести повторный контроль.",
            words::plural(*n as usize, "форме", "формах", "формах")
        ));
    }
    if found.is_empty() {
        if valid_areas(rows).is_empty() {
            return vec![format!("Рекомендации: {NO_DATA}.")];
        }
        return vec![
            "Дефицитов и критических нарушений не выявлено: рекомендаций по устранению дефицитов нет."
                .to_owned(),
        ];
    }
    found
}

/// The item-deficit rule in words (`vsoko_scoring::item_result`), from its constants.
pub fn item_deficit_rule() -> String {
    format!(
        "средний результат пункта ниже {} % или не менее {} % оценок в нижней части шкалы: для пунктов «да / нет», «соблюдено / нарушено» и трёх ступеней — низшая оценка, для четырёх и пяти ступеней — две низших",
        words::number(vsoko_scoring::ITEM_MEAN_BELOW),
        words::number(vsoko_scoring::ITEM_LOW_SHARE_AT_LEAST)
    )
}

/// «5 п.п.»: the significant drop of the dynamics rule (`vsoko_scoring::DROP_PP`).
fn drop_words() -> String {
    format!("{} п.п.", words::number(vsoko_scoring::DROP_PP))
}

/// The options of the lower part of an item's scale, as people read them: «Нет», «Скорее нет».
pub fn low_labels(instrument: &Instrument, code: &str) -> String {
    let Some(item) = instrument.item(code) else {
        return String::new();
    };
    let low = vsoko_scoring::low_options(item.scale);
    item.scale
        .options()
        .unwrap_or_default()
        .iter()
        .take(low)
        .map(|option| format!("«{}»", option.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One item deficit in words. On a control card a mean is the share of what was observed kept
/// («доля соблюдения»); elsewhere it is the mean result. The lower part of the scale is named by
/// its options, never «ступени»; a numeric item has its mean alone.
pub fn item_deficit_sentence(
    instrument: &Instrument,
    item: &crate::reports::ItemLine,
) -> Option<String> {
    let result = item.result.as_ref()?;
    let mean = match instrument.kind() {
        InstrumentKind::ControlCard => {
            format!("доля соблюдения {}", percent(result.mean))
        }
        _ => format!("средний результат {}", percent(result.mean)),
    };
    let labels = low_labels(instrument, &item.code);
    let marks = match instrument.kind() {
        InstrumentKind::ControlCard => "оценок",
        _ => "ответов",
    };
    Some(if labels.is_empty() {
        format!(
            "Пункт {} «{}»: {mean} ({} {marks}).",
            item.code, item.text, result.n
        )
    } else {
        format!(
            "Пункт {} «{}»: {mean}; {labels} — {} {marks} из {}.",
            item.code,
            item.text,
            percent(result.low_share * 100.0),
            result.n
        )
    })
}

/// The conclusions: the total's level, the number of deficits and of significant drops; for the
/// network, how many kindergartens are at each level.
pub fn conclusion_sentences(
    report_rows: &[ReportRow],
    levels: &[(LevelRef, u32)],
    units: &str,
) -> Vec<String> {
    let mut sentences = vec![total_sentence(report_rows.first())];
    let deficits = report_rows
        .iter()
        .filter(|row| row.deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
        .count();
    if !valid_areas(report_rows).is_empty() {
        sentences.push(if deficits == 0 {
            "Дефицитов не выявлено.".to_owned()
        } else {
            format!("Выявлено дефицитов (области и показатели): {deficits}.")
        });
        let individual = report_rows
            .iter()
            .filter(|row| row.kind == NodeKind::Area && row.subjects_below > 0 && !row.suppressed)
            .count();
        if individual > 0 {
            sentences.push(format!(
                "Результаты отдельных участников ниже порога — в {} (см. раздел «Дефициты»).",
                words::counted(individual, "области", "областях", "областях")
            ));
        }
    }
    let drops = report_rows.iter().filter(|row| row.drop).count();
    if drops > 0 {
        sentences.push(format!(
            "Значимое снижение (на {} и более) — по {drops} {}; требуется анализ причин.",
            drop_words(),
            words::plural(drops, "направлению", "направлениям", "направлениям")
        ));
    }
    let counted: u32 = levels.iter().map(|(_, n)| n).sum();
    if counted > 0 {
        sentences.push(format!(
            "{units} по уровням: {}.",
            levels
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(level, n)| format!("{} — {n}", level_words(level)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    sentences
}

fn shade(instrument: &Instrument, level: Option<&LevelRef>) -> Option<usize> {
    level.and_then(|level| chart::shade(instrument, &level.code))
}

fn row_cells(report: &Report, row: &ReportRow, dynamics: bool) -> Vec<TableCell> {
    let instrument = &report.instrument;
    let k = report.body.min_respondents.unwrap_or(5);
    let mut cells = vec![
        TableCell::text(&row.code),
        TableCell::text(&row.title),
        TableCell::text(match (row.score, row.suppressed) {
            (_, true) => format!("менее {k} ответов"),
            (Some(score), false) => percent(score),
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
        cells.push(TableCell::text(match (row.comparable, row.delta) {
            (Some(false), _) => "нет сопоставимых данных".to_owned(),
            (_, Some(delta)) => signed_points(delta),
            _ => NO_DATA.to_owned(),
        }));
    }
    cells
}

/// The chart of a report's areas: each bar under the area's code and name, its score and level
/// code at its end, the level bounds as marks and the levels named below — for the dashboards, a
/// teacher's results and the справка alike. A result of fewer respondents than the instrument's
/// minimum has no bar: «менее N ответов».
pub fn areas_chart(report: &Report, alt_prefix: &str) -> ChartSpec {
    let instrument = &report.instrument;
    let areas: Vec<&ReportRow> = report
        .rows()
        .iter()
        .filter(|row| row.kind == NodeKind::Area)
        .collect();
    let missing = |row: &ReportRow| {
        if row.suppressed {
            format!("менее {} ответов", report.body.min_respondents.unwrap_or(5))
        } else {
            NO_DATA.to_owned()
        }
    };
    ChartSpec {
        alt: format!(
            "{alt_prefix}: {}",
            areas
                .iter()
                .map(|row| format!(
                    "{} {} — {}",
                    row.code,
                    row.title,
                    match row.score {
                        Some(score) if !row.suppressed => percent(score),
                        _ => missing(row),
                    }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        bars: areas
            .iter()
            .map(|row| Bar {
                label: format!("{} {}", row.code, row.title),
                value: row.score.filter(|_| !row.suppressed),
                shade: shade(instrument, row.level.as_ref()).unwrap_or(0),
                text: match (row.score, &row.level) {
                    (Some(score), Some(level)) if !row.suppressed => {
                        format!("{} {}", percent(score), level.code)
                    }
                    (Some(score), None) if !row.suppressed => percent(score),
                    _ => missing(row),
                },
            })
            .collect(),
        max: 100.0,
        marks: chart::level_marks(instrument),
        legend: chart::level_legend(instrument),
    }
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

impl App {
    /// The справка of a kindergarten or of the network (heads of it, managers, admins; the
    /// network's: managers and admins) — the report's own checks decide.
    pub async fn spravka(
        &self,
        principal: &Principal,
        request: &SpravkaRequest,
    ) -> AppResult<Document> {
        if matches!(request.of, ReportOf::Teacher(_)) {
            return Err(AppError::invalid(
                "of",
                "not_supported",
                "справка составляется по детскому саду или по сети",
            ));
        }
        let report = self
            .report(
                principal,
                &ReportRequest {
                    of: request.of,
                    period: request.period.clone(),
                    instrument: request.instrument.clone(),
                    version: None,
                    compare_period: request.compare_period.clone(),
                    compare_version: None,
                    items: Some(true),
                },
            )
            .await?;
        let period: Period = self
            .period_named(principal, "period", &request.period)
            .await?;
        let network = self.store.network(principal.network_id()).await?;
        let (scope, full_name, short_name, ascii_scope) = match request.of {
            ReportOf::Kindergarten(id) => {
                let kindergarten = self.store.kindergarten(id).await?;
                (
                    Scope::Kindergarten(id),
                    kindergarten.full_name,
                    kindergarten.short_name,
                    format!("kindergarten-{id}"),
                )
            }
            _ => (
                Scope::Network(principal.network_id()),
                report.scope_name.clone(),
                network.name.clone(),
                "network".to_owned(),
            ),
        };
        let properties = DocumentProperties {
            file_name: words::file_name(
                &format!(
                    "Справка {short_name} — {} — {}",
                    words::file_name(report.instrument.title(), 80),
                    words::period_in_words(period.starts_on, period.ends_on)
                ),
                200,
            ),
            // The codes are ASCII: the instrument's id is checked by its schema, the period's
            // code by the period's form.
            ascii_file_name: format!(
                "vsoko-spravka-{ascii_scope}-{}-{}",
                report.instrument.id().code,
                period.code
            ),
            author: network.name,
            created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        let critical = match request.of {
            ReportOf::Kindergarten(id)
                if report.instrument.kind() == InstrumentKind::ControlCard =>
            {
                self.critical_items(principal, id, &request.period, &report.instrument)
                    .await?
            }
            _ => Vec::new(),
        };
        let counts = self.store.staff_counts(scope).await?;
        Ok(document(
            &report, &period, &full_name, counts, &critical, properties,
        ))
    }

    /// The critical items a kindergarten's cards of one instrument violated in a period, with how
    /// many cards each.
    async fn critical_items(
        &self,
        principal: &Principal,
        kindergarten: Id,
        period: &str,
        instrument: &Instrument,
    ) -> AppResult<Vec<(String, u32)>> {
        let mut found: Vec<(String, u32)> = Vec::new();
        for card in self
            .kindergarten_cards(principal, kindergarten, period)
            .await?
            .iter()
            .filter(|card| card.instrument.id() == instrument.id())
        {
            for item in &card.critical_items {
                match found.iter_mut().find(|(known, _)| known == item) {
                    Some(entry) => entry.1 += 1,
                    None => found.push((item.clone(), 1)),
                }
            }
        }
        Ok(found)
    }
}

/// The справка of a report.
fn document(
    report: &Report,
    period: &Period,
    full_name: &str,
    counts: vsoko_storage::StaffCounts,
    critical: &[(String, u32)],
    properties: DocumentProperties,
) -> Document {
    let instrument = &report.instrument;
    let network = report.of == ReportOf::Network;
    let rows = report.rows();
    let dynamics = report.compare_period.is_some();
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let (who, base) = match instrument.subject() {
        Subject::Teacher if instrument.respondent() == vsoko_checklist::Respondent::Teacher => {
            ("педагоги", counts.teachers)
        }
        Subject::Teacher => ("сотрудники", counts.teachers),
        Subject::Group => ("группы", counts.groups),
        Subject::Kindergarten => (
            "детские сады",
            if network {
                report.kindergartens.len() as u32 + report.suppressed_kindergartens.len() as u32
            } else {
                1
            },
        ),
    };
    let mut participants = vec![Block::Paragraph(
        if instrument.respondent().is_anonymous() {
            format!(
                "Получено анкет: {}. Результаты групп и детских садов, где ответов меньше {}, не показываются (анкета анонимная).",
                report.body.n_submissions,
                report.body.min_respondents.unwrap_or(5)
            )
        } else {
            coverage_sentence(who, report.body.n_subjects, base)
        },
    )];
    if instrument.counting() == vsoko_checklist::Counting::Observations {
        participants.push(Block::Paragraph(format!(
            "Проведено наблюдений (заполнено карт): {}.",
            report.body.n_submissions
        )));
    }
    if network {
        participants.push(Block::Paragraph(format!(
            "Детских садов с результатами: {}.",
            report.kindergartens.len()
        )));
    }
    let mut header = vec![
        "Код".to_owned(),
        "Область / показатель".to_owned(),
        "Результат".to_owned(),
        "Уровень".to_owned(),
        "n".to_owned(),
    ];
    if dynamics {
        header.push("Изменение".to_owned());
    }
    let mut results = vec![
        Block::Paragraph(total_sentence(rows.first())),
        Block::Chart(areas_chart(report, "Рисунок. Результаты по областям")),
        Block::Table(DocumentTable {
            caption: "Таблица 1. Результаты по областям и показателям".to_owned(),
            header,
            rows: rows
                .iter()
                .map(|row| row_cells(report, row, dynamics))
                .collect(),
        }),
    ];
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
                "Таблица 2. Детские сады (по итоговому результату)".to_owned()
            } else {
                "Таблица 2. Детские сады (по алфавиту: места по самооценке не присваиваются)"
                    .to_owned()
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
                        TableCell::text(percent(line.row.score)),
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
                            None => "нет сопоставимых данных".to_owned(),
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
    let items: Vec<String> = deficit_items
        .iter()
        .filter_map(|item| item_deficit_sentence(instrument, item))
        .collect();
    let deficit_codes: Vec<String> = deficit_items.iter().map(|item| item.code.clone()).collect();
    let mut weakest = deficit_sentences(rows, instrument.deficit_threshold().get());
    weakest.push(weakest_sentence(rows));
    let mut deficits = vec![Block::Bullets(weakest)];
    let individual = individual_deficit_sentences(instrument, rows);
    if !individual.is_empty() {
        deficits.push(Block::Paragraph(
            "Результаты отдельных участников ниже порога (средние их не показывают):".to_owned(),
        ));
        deficits.push(Block::Bullets(individual));
    }
    if !items.is_empty() {
        deficits.push(Block::Paragraph(format!(
            "Пункты с дефицитом ({}):",
            item_deficit_rule()
        )));
        deficits.push(Block::Bullets(items));
    }
    let units = if network {
        "Детские сады"
    } else {
        match instrument.subject() {
            Subject::Group => "Группы",
            _ => "Педагоги",
        }
    };
    let strengths = strength_sentences(instrument, rows);
    let mut document = Document {
        title: "Аналитическая справка".to_owned(),
        subtitle: vec![
            format!("по результатам оценки «{}»", instrument.title()),
            full_name.to_owned(),
            format!(
                "Период оценки {} ({} – {}){}",
                period.code,
                date(period.starts_on),
                date(period.ends_on),
                report
                    .compare_period
                    .as_ref()
                    .map(|code| format!(", сравнение с периодом {code}"))
                    .unwrap_or_default()
            ),
        ],
        sections: vec![
            Section {
                heading: "Цель и сроки".to_owned(),
                blocks: vec![
                    Block::Paragraph(purpose(instrument)),
                    Block::Paragraph(format!(
                        "Сроки: с {} по {} (период {}). Инструмент: «{}», версия {}.",
                        date(period.starts_on),
                        date(period.ends_on),
                        period.code,
                        instrument.title(),
                        instrument.version()
                    )),
                ],
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
                        report.compare_period.as_deref(),
                    ))])
                    .collect(),
            },
            Section {
                heading: "Выводы".to_owned(),
                blocks: vec![Block::Bullets(conclusion_sentences(
                    rows,
                    &report.distribution,
                    units,
                ))],
            },
            Section {
                heading: "Рекомендации".to_owned(),
                blocks: vec![
                    Block::Bullets(recommendation_sentences(
                        instrument,
                        rows,
                        &deficit_codes,
                        critical,
                    )),
                    Block::Paragraph(
                        "Рекомендации носят методический характер; решения о направлении на повышение квалификации принимаются руководителем."
                            .to_owned(),
                    ),
                ],
            },
        ],
        signature: vec![
            if network {
                "Методист управления образования ____________ / ______________________ /".to_owned()
            } else {
                "Заведующий (старший воспитатель) ____________ / ______________________ /"
                    .to_owned()
            },
            format!(
                "Дата: «___» ____________ 20__ г.   Справка сформирована {}",
                Local::now().format("%d.%m.%Y")
            ),
        ],
        properties,
    };
    limit_to_coverage(&mut document, report);
    document
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

/// What every report, page, file and справка of an open period says.
pub const PERIOD_OPEN: &str = "Период открыт: данные неполные";

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: NodeKind, code: &str, score: Option<f64>) -> ReportRow {
        ReportRow {
            kind,
            variable: false,
            code: code.to_owned(),
            title: format!("Область {code}"),
            score,
            level: score.map(|_| LevelRef {
                code: "B1".into(),
                name: "Интегратор".into(),
            }),
            n: 3,
            deficit: false,
            critical: false,
            pooled_score: None,
            subjects_scored: 0,
            subjects_below: 0,
            comparable: None,
            before: None,
            delta: None,
            drop: false,
            suppressed: false,
        }
    }

    #[test]
    fn coverage_says_how_many_of_how_many_or_that_there_is_no_base() {
        assert_eq!(
            coverage_sentence("педагоги", 48, 60),
            "В оценке участвовали педагоги: 48 из 60 (80,0\u{a0}%)."
        );
        assert!(coverage_sentence("педагоги", 0, 0).contains(NO_DATA));
    }

    #[test]
    fn the_total_is_its_score_and_level_or_no_data() {
        let total = row(NodeKind::Total, "dc", Some(45.04));
        assert_eq!(
            total_sentence(Some(&total)),
            "Общий результат — 45,0\u{a0}% (уровень B1 «Интегратор»)."
        );
        assert_eq!(
            total_sentence(Some(&row(NodeKind::Total, "dc", None))),
            "Общий результат: недостаточно данных."
        );
        assert_eq!(
            total_sentence(None),
            "Общий результат: недостаточно данных."
        );
    }

    #[test]
    fn the_strongest_and_weakest_areas_are_named_with_ties_together() {
        let rows = vec![
            row(NodeKind::Total, "dc", Some(60.0)),
            row(NodeKind::Area, "A1", Some(80.04)),
            row(NodeKind::Area, "A2", Some(79.96)),
            row(NodeKind::Area, "A3", Some(40.0)),
            row(NodeKind::Area, "A4", None),
        ];
        assert_eq!(
            strongest_sentence(&rows),
            "Наиболее высокие результаты — в областях «Область A1» и «Область A2» (80,0\u{a0}%)."
        );
        assert_eq!(
            weakest_sentence(&rows),
            "Наиболее низкие результаты — в области «Область A3» (40,0\u{a0}%)."
        );
        let none = vec![row(NodeKind::Area, "A1", None)];
        assert!(strongest_sentence(&none).contains(NO_DATA));
        let one = vec![row(NodeKind::Area, "A1", Some(50.0))];
        assert!(weakest_sentence(&one).contains(NO_DATA));
    }

    /// Issue 23 §9: a strength is an area at or above the stated level, above the deficit
    /// threshold and without a critical item — never the lowest results; none is said.
    #[test]
    fn strengths_are_areas_at_the_stated_level_and_never_the_lowest_results() {
        let catalog = vsoko_checklist::Catalog::shipped().unwrap();
        let card = catalog.get("card-ood", Some(2)).unwrap();
        let band = strength_band(card);
        let level = |percent: f64| {
            let found = card.levels().level_of(percent);
            Some(LevelRef {
                code: found.code().to_string(),
                name: found.name().to_owned(),
            })
        };
        let mut strong = row(NodeKind::Area, "O1", Some(95.0));
        strong.level = level(95.0);
        let mut critical = row(NodeKind::Area, "O2", Some(96.0));
        critical.level = level(96.0);
        critical.critical = true;
        let mut low = row(NodeKind::Area, "O5", Some(58.3));
        low.level = level(58.3);
        low.deficit = 58.3 < card.deficit_threshold().get();
        let sentences = strength_sentences(card, &[strong.clone(), critical.clone(), low.clone()]);
        assert!(sentences[0].contains(band.name()), "{sentences:?}");
        assert_eq!(sentences.len(), 2, "{sentences:?}");
        assert!(
            sentences[1].starts_with("«Область O1» — 95,0"),
            "{sentences:?}"
        );
        assert!(!sentences.iter().any(|s| s.contains("Наиболее низкие")));
        let none = strength_sentences(card, &[low.clone(), critical]);
        assert_eq!(none[1], "По этому правилу сильных сторон не выявлено.");
        assert!(!none.iter().any(|s| s.contains("58,3")), "{none:?}");
    }

    #[test]
    fn deficits_are_listed_with_score_and_threshold_or_their_absence_is_said() {
        let mut deficit = row(NodeKind::Indicator, "A1.2", Some(25.0));
        deficit.deficit = true;
        deficit.title = "Цифровые ресурсы".into();
        let rows = vec![row(NodeKind::Area, "A1", Some(70.0)), deficit];
        assert_eq!(
            deficit_sentences(&rows, 30.0),
            ["Дефицит по показателю «Цифровые ресурсы»: 25,0\u{a0}% при пороге 30,0\u{a0}%."]
        );
        assert_eq!(
            deficit_sentences(&rows[..1], 30.0),
            [
                "Дефицитов по областям и показателям не выявлено: все средние результаты не ниже порога 30,0\u{a0}%."
            ]
        );
        assert!(deficit_sentences(&[row(NodeKind::Area, "A1", None)], 30.0)[0].contains(NO_DATA));
    }

    /// Issue 23 §11: a mean above the threshold does not hide the teachers below it; the
    /// threshold is named with the level it starts (B1 for the teachers' survey).
    #[test]
    fn teachers_below_the_threshold_are_counted_where_the_mean_hides_them() {
        let catalog = vsoko_checklist::Catalog::shipped().unwrap();
        let survey = catalog.get("dc-teacher", Some(2)).unwrap();
        let mut hidden = row(NodeKind::Area, "A2", Some(55.0));
        hidden.title = "Цифровые образовательные ресурсы".into();
        (hidden.subjects_scored, hidden.subjects_below) = (12, 3);
        let mut single = row(NodeKind::Area, "A3", Some(55.0));
        single.title = "Обучение".into();
        (single.subjects_scored, single.subjects_below) = (21, 1);
        let mut none = row(NodeKind::Area, "A4", Some(60.0));
        (none.subjects_scored, none.subjects_below) = (12, 0);
        let mut indicator = row(NodeKind::Indicator, "A2.1", Some(40.0));
        (indicator.subjects_scored, indicator.subjects_below) = (12, 5);
        let rows = [hidden.clone(), single, none, indicator];
        assert_eq!(
            individual_deficit_sentences(survey, &rows),
            [
                "Область «Цифровые образовательные ресурсы»: у 3 из 12 педагогов (25,0\u{a0}%) результат ниже порога 30,0\u{a0}% (уровня B1 «Интегратор»).",
                "Область «Обучение»: у 1 из 21 педагога (4,8\u{a0}%) результат ниже порога 30,0\u{a0}% (уровня B1 «Интегратор»).",
            ]
        );
        assert_eq!(subjects_below_text(&hidden), "3 из 12 (25,0\u{a0}%)");
        assert_eq!(subjects_below_text(&row(NodeKind::Area, "A5", None)), "—");
        let conclusions = conclusion_sentences(&rows, &[], "Педагоги");
        assert!(
            conclusions.contains(
                &"Результаты отдельных участников ниже порога — в 2 областях (см. раздел «Дефициты»)."
                    .to_owned()
            ),
            "{conclusions:?}"
        );
    }

    #[test]
    fn dynamics_name_each_rise_and_drop_and_mark_drops_of_five_points() {
        let mut fall = row(NodeKind::Indicator, "A1.1", Some(50.0));
        fall.title = "Коммуникация".into();
        fall.comparable = Some(true);
        fall.delta = Some(-7.46);
        fall.drop = true;
        let mut rise = row(NodeKind::Area, "A2", Some(70.0));
        rise.comparable = Some(true);
        rise.delta = Some(3.2);
        let mut new = row(NodeKind::Area, "A0", Some(70.0));
        new.comparable = Some(false);
        let sentences = dynamics_sentences(&[fall, rise, new], Some("2024-09"));
        assert_eq!(
            sentences,
            [
                "По сравнению с периодом 2024-09: значимых снижений (на 5 п.п. и более) — 1.",
                "Снижение на 7,5\u{a0}п.п. по показателю «Коммуникация» — значимое снижение (5 п.п. и более).",
                "Рост на 3,2\u{a0}п.п. по области «Область A2».",
            ]
        );
        assert_eq!(
            dynamics_sentences(&[], None),
            ["Сравнение с другим периодом не проводилось."]
        );
        let mut incomparable = row(NodeKind::Area, "A0", Some(70.0));
        incomparable.comparable = Some(false);
        assert!(
            dynamics_sentences(&[incomparable], Some("2024-09"))[0]
                .contains("нет сопоставимых данных")
        );
        let mut no_before = row(NodeKind::Area, "A1", Some(70.0));
        no_before.comparable = Some(true);
        assert!(dynamics_sentences(&[no_before], Some("2024-09"))[0].contains(NO_DATA));
    }

    #[test]
    fn conclusions_count_deficits_drops_and_levels() {
        let mut deficit = row(NodeKind::Area, "A1", Some(20.0));
        deficit.deficit = true;
        deficit.drop = true;
        let rows = vec![row(NodeKind::Total, "dc", Some(50.0)), deficit];
        let levels = vec![
            (
                LevelRef {
                    code: "A1".into(),
                    name: "Новичок".into(),
                },
                0,
            ),
            (
                LevelRef {
                    code: "B1".into(),
                    name: "Интегратор".into(),
                },
                4,
            ),
        ];
        assert_eq!(
            conclusion_sentences(&rows, &levels, "Педагоги"),
            [
                "Общий результат — 50,0\u{a0}% (уровень B1 «Интегратор»).",
                "Выявлено дефицитов (области и показатели): 1.",
                "Значимое снижение (на 5 п.п. и более) — по 1 направлению; требуется анализ причин.",
                "Педагоги по уровням: B1 «Интегратор» — 4.",
            ]
        );
    }

    const CARD: &str = r#"
code = "t-card"
version = 1
title = "Карта"
kind = "control_card"
respondent = "head"
subject = "teacher"
scale = "c"
[levels]
deficit_threshold = 60
min_coverage = 50
bands = [{ code = "L1", name = "Критический", from = 0 }, { code = "L3", name = "Оптимальный", from = 80 }]
[scales.c]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 2, label = "Да" }]
[[areas]]
code = "A"
title = "Область А"
recommendation = "Семинар по области А"
[[areas.indicators]]
code = "A.1"
title = "Показатель А.1"
recommendation = "Наставничество по А.1"
[[areas.indicators.items]]
code = "A.1.1"
text = "Пункт один"
critical = true
[[areas.indicators]]
code = "A.2"
title = "Показатель А.2"
[[areas.indicators.items]]
code = "A.2.1"
text = "Пункт два"
"#;

    #[test]
    fn recommendations_are_the_instruments_own_for_deficits_and_critical_items() {
        let instrument = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
        let mut area = row(NodeKind::Area, "A", Some(40.0));
        area.title = "Область А".into();
        area.deficit = true;
        let mut indicator = row(NodeKind::Indicator, "A.1", Some(40.0));
        indicator.title = "Показатель А.1".into();
        indicator.deficit = true;
        let rows = vec![area, indicator];
        assert_eq!(
            recommendation_sentences(
                &instrument,
                &rows,
                &["A.2.1".to_owned()],
                &[("A.1.1".to_owned(), 3)]
            ),
            [
                "«Область А» (пункты с дефицитом): Семинар по области А.",
                "«Область А»: Семинар по области А.",
                "«Показатель А.1»: Наставничество по А.1.",
                "Критический пункт A.1.1 «Пункт один» нарушен в 3 формах: устранить нарушение и провести повторный контроль.",
            ]
        );
        let fine = vec![row(NodeKind::Area, "A", Some(90.0))];
        assert_eq!(
            recommendation_sentences(&instrument, &fine, &[], &[]),
            [
                "Дефицитов и критических нарушений не выявлено: рекомендаций по устранению дефицитов нет."
            ]
        );
        assert!(
            recommendation_sentences(&instrument, &[row(NodeKind::Area, "A", None)], &[], &[])[0]
                .contains(NO_DATA)
        );
    }

    #[test]
    fn numbers_use_the_decimal_comma() {
        assert_eq!(percent(7.46), "7,5\u{a0}%");
        assert_eq!(points(-7.46), "7,5\u{a0}п.п.");
        assert_eq!(points(11.04), "11,0\u{a0}п.п.");
        assert_eq!(signed_points(7.46), "+7,5\u{a0}п.п.");
        assert_eq!(signed_points(-5.0), "−5,0\u{a0}п.п.");
        assert_eq!(signed_points(0.01), "0,0\u{a0}п.п.");
    }
}
