//! The справка's sections of the management cycle, from the register: «Адресные рекомендации и
//! управленческие решения» — the recommendations made on this instrument and period in the
//! справка's scope, each with its ответственный and срок, what was answered and decided; and
//! «Оценка эффективности принятых мер» — the recommendations of earlier periods whose effect
//! this period gives, and for a teachers' survey the training of the teachers in deficit,
//! trained against untrained. A section without data says so in one line.

use vsoko_exchange::{Block, Section};

use crate::cycle::{RecommendationLine, Register};

/// A recommendation as a line of the справка.
fn recommendation_line(line: &RecommendationLine) -> String {
    let mut text = format!(
        "{}, {} «{}»: {} Ответственный: {}; срок — {}.",
        line.numbers.subject,
        line.numbers.node.0,
        line.numbers.node.1,
        crate::words::sentence(&line.stored.text),
        line.stored.responsible,
        line.due
    );
    if let Some((answer, _, _)) = &line.stored.answer {
        text.push_str(&format!(" Ответ: {}", crate::words::sentence(answer)));
    }
    for decision in &line.decisions {
        text.push_str(&format!(
            " Решение ({}, {}): {}",
            decision.kind,
            decision
                .order
                .clone()
                .unwrap_or_else(|| decision.at.clone()),
            crate::words::sentence(&decision.stored.text)
        ));
    }
    text
}

/// The two sections for a справка of `instrument` (its title: `title`) in `period` (its words:
/// `period_words`); the comparison of trained with untrained teachers only where it is of the
/// same instrument.
pub(super) fn cycle_sections(
    register: &Register,
    instrument: &str,
    title: &str,
    period: &str,
    period_words: &str,
) -> Vec<Section> {
    let made: Vec<String> = register
        .lines
        .iter()
        .filter(|line| line.stored.instrument == instrument && line.stored.period == period)
        .map(recommendation_line)
        .collect();
    let made = if made.is_empty() {
        vec![Block::Paragraph(
            "Адресные рекомендации по результатам этого периода ещё не составлены.".to_owned(),
        )]
    } else {
        vec![Block::Bullets(made)]
    };
    let mut effects: Vec<String> = register
        .lines
        .iter()
        .filter(|line| {
            line.stored.instrument == instrument
                && line.next_period.as_deref() == Some(period_words)
        })
        .map(|line| {
            format!(
                "{}, {} «{}» ({}): {} → {} — {}.",
                line.numbers.subject,
                line.numbers.node.0,
                line.numbers.node.1,
                line.numbers.period,
                line.numbers.score.map_or_else(
                    || "нет данных".to_owned(),
                    |value| { super::score(value, &[line.numbers.threshold]) }
                ),
                line.after.map_or_else(
                    || "нет данных".to_owned(),
                    |value| super::score(value, &[line.numbers.threshold])
                ),
                line.effect.label()
            )
        })
        .collect();
    for section in register
        .training
        .iter()
        .filter(|section| section.instrument == title && section.periods.1 == period_words)
    {
        effects.push(section.pooled_sentence.clone());
        effects.extend(section.areas.iter().map(|area| area.sentence.clone()));
    }
    let effects = if effects.is_empty() {
        vec![Block::Paragraph(
            "Мер, эффект которых виден по результатам этого периода, нет.".to_owned(),
        )]
    } else {
        vec![Block::Bullets(effects)]
    };
    vec![
        Section {
            heading: "Адресные рекомендации и управленческие решения".to_owned(),
            blocks: made,
        },
        Section {
            heading: "Оценка эффективности принятых мер".to_owned(),
            blocks: effects,
        },
    ]
}
