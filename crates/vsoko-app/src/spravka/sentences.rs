//! The справка's sentences: each a rule over a report's numbers, tested with the sentence it
//! gives (`tests.rs`); a rule with no data says «недостаточно данных».

use crate::reports::Report;
use crate::words;
use crate::words::percent;
use vsoko_checklist::{Instrument, InstrumentKind, Subject};
use vsoko_scoring::{LevelRef, NodeKind, ReportRow};

/// «Недостаточно данных»: what every rule says without its numbers.
pub const NO_DATA: &str = "недостаточно данных";

pub use crate::words::{points, signed_points};

/// The bounds a result of `instrument` is read against: every level's lower bound and the
/// deficit threshold — a figure rounded for print never crosses one of them.
pub fn bounds(instrument: &Instrument) -> Vec<f64> {
    let mut bounds: Vec<f64> = instrument
        .levels()
        .bands()
        .iter()
        .map(|band| band.from())
        .collect();
    bounds.push(instrument.deficit_threshold().get());
    bounds
}

/// A result as the справка prints it: whole percent unless a decimal keeps it on its side of one
/// of `bounds` ([`words::percent_whole`]).
pub fn score(value: f64, bounds: &[f64]) -> String {
    words::percent_whole(value, bounds)
}

/// A share of people as the справка prints it: whole percent, a decimal only short of 0 or 100.
pub fn share(value: f64) -> String {
    words::percent_whole(value, &[])
}

pub(crate) fn level_words(level: &LevelRef) -> String {
    format!("{} «{}»", level.code, level.name)
}

/// A coverage as a figure: «5 из 6 (83,3 %)», «участников в учёте нет» without a base.
pub fn coverage_figure(coverage: &vsoko_scoring::Coverage) -> String {
    match coverage.percent {
        Some(part) => format!(
            "{} из {} ({})",
            coverage.counted,
            coverage.base,
            percent(part)
        ),
        None => "участников в учёте нет".to_owned(),
    }
}

/// Rule «охват»: how many of how many took part, with the share, in the words of the kind of
/// assessment — «В анкетировании приняли участие 48 из 52 педагогов (92 %).», «Оценено 9 из 9
/// групп (100 %).»; «недостаточно данных» without a base.
pub fn coverage_sentence(instrument: &Instrument, n: u32, base: u32) -> String {
    if base == 0 {
        return format!("Охват: {NO_DATA} (в учёте нет ни одного участника этой категории).");
    }
    let [_, _, _, of_one, of_many] = subject_words(instrument);
    let of = words::plural(base as usize, of_one, of_many, of_many);
    let part = share(f64::from(n) * 100.0 / f64::from(base));
    match (instrument.kind(), instrument.subject()) {
        (InstrumentKind::Survey, _) => format!(
            "В анкетировании {} участие {n} из {base} {of} ({part}).",
            words::plural(n as usize, "принял", "приняли", "приняли")
        ),
        (InstrumentKind::ControlCard, _) => {
            format!("Наблюдениями охвачены {n} из {base} {of} ({part}).")
        }
        (InstrumentKind::IndicatorSet, _) => {
            format!("Показатели заполнены по {n} из {base} {of} ({part}).")
        }
    }
}

/// What an instrument's total is called: on a control card the share of its requirements kept
/// over the observations («доля соблюдения»), elsewhere the result.
pub fn total_words(instrument: &Instrument) -> &'static str {
    match instrument.kind() {
        InstrumentKind::ControlCard => "Доля соблюдения требований",
        _ => "Общий результат",
    }
}

/// Rule «общий результат»: the total (`what`: [`total_words`]) with the level of the mean.
pub fn total_sentence(total: Option<&ReportRow>, what: &str, bounds: &[f64]) -> String {
    match total.and_then(|row| Some((row.score?, row.level.as_ref()?))) {
        Some((value, level)) => format!(
            "{what} — {} (уровень среднего результата {}).",
            score(value, bounds),
            level_words(level)
        ),
        None => format!("{what}: {NO_DATA}."),
    }
}

/// The areas of a report with a valid score, in instrument order.
pub(crate) fn valid_areas(rows: &[ReportRow]) -> Vec<&ReportRow> {
    rows.iter()
        .filter(|row| row.kind == NodeKind::Area && row.score.is_some() && !row.suppressed)
        .collect()
}

pub(crate) fn names(rows: &[&ReportRow]) -> String {
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
    let bounds = bounds(instrument);
    let rule = format!(
        "Сильной стороной считается область, средний результат которой не ниже уровня {} «{}» (от {}) и выше порога дефицита {}, без нарушений критических пунктов.",
        band.code(),
        band.name(),
        score(band.from(), &bounds),
        score(threshold, &bounds)
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
                score(row.score.unwrap_or_default(), &bounds),
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
pub fn strongest_sentence(rows: &[ReportRow], bounds: &[f64]) -> String {
    extreme_sentence(rows, true, bounds)
}

/// Rule «наиболее низкие результаты»: the area(s) with the lowest score.
pub fn weakest_sentence(rows: &[ReportRow], bounds: &[f64]) -> String {
    extreme_sentence(rows, false, bounds)
}

pub(crate) fn extreme_sentence(rows: &[ReportRow], highest: bool, bounds: &[f64]) -> String {
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
        score(best as f64 / 10.0, bounds)
    )
}

/// Rule «дефициты»: every area and indicator below the instrument's threshold, with its score.
pub fn deficit_sentences(rows: &[ReportRow], threshold: f64, bounds: &[f64]) -> Vec<String> {
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
                row.score
                    .map(|value| score(value, bounds))
                    .unwrap_or_else(|| NO_DATA.to_owned()),
                score(threshold, bounds)
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
        score(threshold, bounds)
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
pub(crate) fn threshold_words(instrument: &Instrument) -> String {
    let threshold = instrument.deficit_threshold().get();
    let bounds = bounds(instrument);
    match instrument
        .levels()
        .bands()
        .iter()
        .skip(1)
        .find(|band| (band.from() - threshold).abs() < 1e-9)
    {
        Some(band) => format!(
            "{} (уровня {} «{}»)",
            score(threshold, &bounds),
            band.code(),
            band.name()
        ),
        None => score(threshold, &bounds),
    }
}

/// The noun of an instrument's subjects: after a number (1, 2–4, 5+), then in the genitive after
/// «из» (1, others): педагог / педагога / педагогов, «из 1 педагога», «из 12 педагогов».
pub(crate) fn subject_words(instrument: &Instrument) -> [&'static str; 5] {
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
                share(f64::from(row.subjects_below) * 100.0 / f64::from(row.subjects_scored)),
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

/// A change of an area or indicator smaller than this (percentage points, after rounding to one
/// decimal) is counted in one line of «Динамика», not listed.
pub const SMALL_CHANGE_PP: f64 = 1.0;

/// Rule «динамика»: every area and indicator with a change of [`SMALL_CHANGE_PP`] or more against
/// the compared period, a drop of 5 p.p. or more marked, the smaller changes counted in one line;
/// what cannot be compared says so.
pub fn dynamics_sentences(rows: &[ReportRow], compared: Option<&str>) -> Vec<String> {
    let Some(compared) = compared else {
        return vec!["Сравнение с другим периодом не проводилось.".to_owned()];
    };
    let mut sentences = Vec::new();
    // Areas and indicators that changed by less than SMALL_CHANGE_PP: counted, not listed.
    let mut small = 0usize;
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
            (Some(true), Some(delta))
                if row.kind != NodeKind::Total
                    && (delta * 10.0).round().abs() < SMALL_CHANGE_PP * 10.0 =>
            {
                small += 1;
            }
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
    if small > 0 {
        sentences.push(format!(
            "Изменения менее чем на {} — по {} (по отдельности не приводятся).",
            points(SMALL_CHANGE_PP),
            words::counted(small, "направлению", "направлениям", "направлениям")
        ));
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
/// and of the indicator (or else the area) of every item in deficit — one line per text, naming
/// every node it answers (a text repeated for many nodes is said once) — and, after a line whose
/// node is in the register of the management cycle (`registered`: node code → its ответственный
/// and срок in words), that; then the critical items found, each with what was breached, in how
/// many of the `observations`, and the date the breach is to be put right and checked again by
/// (`due`).
pub fn recommendation_sentences(
    instrument: &Instrument,
    rows: &[ReportRow],
    deficit_items: &[String],
    critical: &[(String, u32)],
    observations: u32,
    due: chrono::NaiveDate,
    registered: &[(String, String)],
) -> Vec<String> {
    // (text, [(node code, its title in words)]) in the order first met.
    type Texts = Vec<(String, Vec<(String, String)>)>;
    fn add(texts: &mut Texts, text: &str, code: &str, title: String) {
        let text = text.trim_end_matches('.').to_owned();
        match texts.iter_mut().find(|(known, _)| *known == text) {
            Some((_, nodes)) => {
                if !nodes.iter().any(|(_, known)| *known == title) {
                    nodes.push((code.to_owned(), title));
                }
            }
            None => texts.push((text, vec![(code.to_owned(), title)])),
        }
    }
    let mut texts: Texts = Vec::new();
    for row in rows
        .iter()
        .filter(|row| row.deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
    {
        if let Some(text) = instrument.recommendation(&row.code) {
            add(&mut texts, text, &row.code, format!("«{}»", row.title));
        }
    }
    for code in deficit_items {
        let Some(item) = instrument.item(code) else {
            continue;
        };
        let (node, title, text) =
            match (item.indicator.recommendation(), item.area.recommendation()) {
                (Some(text), _) => (item.indicator.code(), item.indicator.title(), text),
                (None, Some(text)) => (item.area.code(), item.area.title(), text),
                (None, None) => continue,
            };
        // A node in deficit itself already names the text; its items add nothing.
        let whole = format!("«{title}»");
        let named = texts
            .iter()
            .any(|(_, nodes)| nodes.iter().any(|(_, known)| *known == whole));
        if !named {
            add(
                &mut texts,
                text,
                node.as_str(),
                format!("«{title}» (пункты с дефицитом)"),
            );
        }
    }
    let mut found: Vec<String> = texts
        .into_iter()
        .map(|(text, nodes)| {
            let names: Vec<&str> = nodes.iter().map(|(_, title)| title.as_str()).collect();
            let register: Vec<&str> = registered
                .iter()
                .filter(|(code, _)| nodes.iter().any(|(node, _)| node == code))
                .map(|(_, words)| words.as_str())
                .collect();
            let mut sentence = format!("{}: {text}.", names.join(", "));
            if !register.is_empty() {
                sentence.push_str(&format!(
                    " Адресная рекомендация в реестре: {}.",
                    register.join("; ")
                ));
            }
            sentence
        })
        .collect();
    for (item, n) in critical {
        let text = instrument
            .item(item)
            .map(|found| found.item.text().to_owned())
            .unwrap_or_default();
        found.push(format!(
            "Нарушено требование «{text}» — в {n} из {}: устранить нарушение и провести повторное наблюдение до {}.",
            words::counted(
                observations.max(*n) as usize,
                "наблюдения",
                "наблюдений",
                "наблюдений"
            ),
            words::date_text(due)
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

/// The critical items breached (`critical`: item code, observations it was breached in), in one
/// sentence for «Дефициты» and «Выводы»: a mean can hide them. `None` when none was.
pub fn critical_sentence(
    instrument: &Instrument,
    critical: &[(String, u32)],
    observations: u32,
) -> Option<String> {
    if critical.is_empty() {
        return None;
    }
    let breaches: Vec<String> = critical
        .iter()
        .map(|(item, n)| {
            let text = instrument
                .item(item)
                .map(|found| found.item.text().to_owned())
                .unwrap_or_else(|| item.clone());
            format!(
                "«{text}» — в {n} из {}",
                words::counted(
                    observations.max(*n) as usize,
                    "наблюдения",
                    "наблюдений",
                    "наблюдений"
                )
            )
        })
        .collect();
    Some(format!(
        "{}: {} (см. раздел «Рекомендации»).",
        if critical.len() == 1 {
            "Нарушено критическое требование"
        } else {
            "Нарушены критические требования"
        },
        breaches.join("; ")
    ))
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
pub(crate) fn drop_words() -> String {
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
/// its options, never «ступени» — or, with `labels_said` (the lead-in named them once, every
/// item sharing them), as «в нижней части шкалы»; a numeric item has its mean alone.
pub fn item_deficit_sentence(
    instrument: &Instrument,
    item: &crate::reports::ItemLine,
    labels_said: bool,
) -> Option<String> {
    let result = item.result.as_ref()?;
    let mean = match instrument.kind() {
        InstrumentKind::ControlCard => {
            format!(
                "доля соблюдения {}",
                score(result.mean, &[vsoko_scoring::ITEM_MEAN_BELOW])
            )
        }
        _ => format!(
            "средний результат {}",
            score(result.mean, &[vsoko_scoring::ITEM_MEAN_BELOW])
        ),
    };
    let labels = if labels_said {
        "в нижней части шкалы".to_owned()
    } else {
        low_labels(instrument, &item.code)
    };
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
            score(
                result.low_share * 100.0,
                &[vsoko_scoring::ITEM_LOW_SHARE_AT_LEAST]
            ),
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
    what: &str,
    bounds: &[f64],
) -> Vec<String> {
    let mut sentences = vec![total_sentence(report_rows.first(), what, bounds)];
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
            "{units}: {}.",
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

/// Rule «готовность к развитию»: how many of those who answered each role item of the survey
/// (`motivation`, `tutor_offer`, `consultation_request`) gave an answer that puts a person on its
/// list by the lists' own rule ([`vsoko_development::proposes`]) — counts only: the names are in
/// the lists, where a person decides. No role item, or nobody answered it: nothing is said of it.
pub fn readiness_sentences(
    instrument: &Instrument,
    items: &[crate::reports::ItemLine],
) -> Vec<String> {
    use vsoko_checklist::ItemRole;
    use vsoko_development::{RoleAnswer, StaffList, proposes};
    let mut sentences = Vec::new();
    for (role, list, words) in [
        (
            ItemRole::Motivation,
            StaffList::Motivated,
            "Хотят развивать цифровые компетенции",
        ),
        (
            ItemRole::TutorOffer,
            StaffList::Tutors,
            "Готовы быть тьюторами (наставниками) для коллег",
        ),
        (
            ItemRole::ConsultationRequest,
            StaffList::Consultation,
            "Просят методическую консультацию",
        ),
    ] {
        let Some(found) = instrument.item_with_role(role) else {
            continue;
        };
        let Some(line) = items
            .iter()
            .find(|line| line.code == found.item.code().as_str())
        else {
            continue;
        };
        let values: Vec<f64> = found
            .scale
            .options()
            .unwrap_or_default()
            .iter()
            .map(|option| option.value())
            .collect();
        let (Some(lowest), Some(highest)) = (
            values.iter().copied().reduce(f64::min),
            values.iter().copied().reduce(f64::max),
        ) else {
            continue;
        };
        if line.answered == 0 {
            continue;
        }
        let yes: u32 = line
            .values
            .iter()
            .filter(|(value, _)| {
                proposes(
                    list,
                    Some(RoleAnswer {
                        value: *value,
                        lowest,
                        highest,
                    }),
                )
            })
            .map(|(_, n)| n)
            .sum();
        sentences.push(format!(
            "{words}: {yes} из {} ({}).",
            words::counted(
                line.answered as usize,
                "ответившего",
                "ответивших",
                "ответивших"
            ),
            share(f64::from(yes) * 100.0 / f64::from(line.answered))
        ));
    }
    sentences
}
