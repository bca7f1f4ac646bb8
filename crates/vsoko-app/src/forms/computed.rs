//! The values of a form's computed items: what the system holds (another instrument's result in
//! the same period and kindergarten), shown filled in and read-only with its source, and written
//! by the server whatever a browser sends.

use std::collections::HashMap;

use vsoko_checklist::Instrument;
use vsoko_storage::{Kindergarten, Period};

use super::{FieldValue, FormValues, format_number};
use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::submissions::AnswerInput;
use crate::{App, Principal};
use vsoko_domain::KindergartenId;

/// A computed item's value in a form.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedValue {
    /// The item's code.
    pub item: String,
    /// The value, in percent; `None` without data («недостаточно данных»).
    pub value: Option<f64>,
    /// Where it comes from, in words: «Карта анализа занятия — «Цели и содержание», среднее
    /// по картам детского сада за период».
    pub source: String,
}

/// The computed items' values written into the fields: a value as a number people read, none
/// as an empty field (the item is never required).
pub(crate) fn write_into(values: &mut FormValues, computed: &[ComputedValue]) {
    for entry in computed {
        match entry.value {
            Some(value) => {
                values.insert(
                    entry.item.clone(),
                    FieldValue {
                        value: format_number((value * 10.0).round() / 10.0),
                        comment: String::new(),
                    },
                );
            }
            None => {
                values.remove(&entry.item);
            }
        }
    }
}

impl App {
    /// The values the system computes for the computed items of an instrument's latest version
    /// in a kindergarten and period, as its form shows them: for those who read the
    /// kindergarten's results, which they come from (404 outside the caller's unit, 403 for
    /// teachers).
    pub async fn computed_form_values(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        instrument: &str,
        period: &str,
    ) -> AppResult<Vec<ComputedValue>> {
        let kindergarten = self.reported_kindergarten(principal, kindergarten).await?;
        let stored = self
            .instrument_named("instrument", instrument, None)
            .await?;
        let period = self.period_named(principal, "period", period).await?;
        self.computed_values(principal, &stored.instrument, Some(&kindergarten), &period)
            .await
    }

    /// `answers` with the computed items' answers in place of whatever was sent: the value the
    /// system holds, or no answer without data; `None` when the instrument computes nothing.
    pub(crate) async fn with_computed(
        &self,
        principal: &Principal,
        instrument: &Instrument,
        kindergarten: &Kindergarten,
        period: &Period,
        answers: &[AnswerInput],
    ) -> AppResult<Option<Vec<AnswerInput>>> {
        if instrument
            .items()
            .all(|entry| entry.item.computed().is_none())
        {
            return Ok(None);
        }
        let computed = self
            .computed_values(principal, instrument, Some(kindergarten), period)
            .await?;
        let mut answers: Vec<AnswerInput> = answers
            .iter()
            .filter(|answer| computed.iter().all(|entry| entry.item != answer.item))
            .cloned()
            .collect();
        answers.extend(computed.into_iter().filter_map(|entry| {
            Some(AnswerInput {
                item: entry.item,
                value: Some(entry.value?),
                na: false,
                comment: None,
            })
        }));
        Ok(Some(answers))
    }

    /// The value of every computed item of `instrument` in `kindergarten` and `period`: the score
    /// of its source node in the kindergarten's report of the source instrument (the version the
    /// period was filled in). A source with no data, or not registered, gives no value.
    pub(crate) async fn computed_values(
        &self,
        principal: &Principal,
        instrument: &Instrument,
        kindergarten: Option<&Kindergarten>,
        period: &Period,
    ) -> AppResult<Vec<ComputedValue>> {
        let mut reports: HashMap<String, Option<Report>> = HashMap::new();
        let mut values = Vec::new();
        for entry in instrument.items() {
            let Some(source) = entry.item.computed() else {
                continue;
            };
            let code = source.instrument().to_string();
            if !reports.contains_key(&code)
                && let Some(kindergarten) = kindergarten
            {
                let request = ReportRequest {
                    of: ReportOf::Kindergarten(kindergarten.id),
                    period: period.code.clone(),
                    instrument: code.clone(),
                    version: None,
                    compare_period: None,
                    compare_version: None,
                    items: Some(false),
                };
                let report = match self.report(principal, &request).await {
                    Ok(report) => Some(report),
                    // Not registered here, or nothing to read: no value.
                    Err(AppError::Invalid { .. } | AppError::NotFound(_)) => None,
                    Err(other) => return Err(other),
                };
                reports.insert(code.clone(), report);
            }
            let report = reports.get(&code).and_then(Option::as_ref);
            let row = report.and_then(|report| {
                report
                    .rows()
                    .iter()
                    .find(|row| row.code == source.node().as_str())
            });
            let source_title = report.map_or_else(
                || code.clone(),
                |report| report.instrument.title().to_owned(),
            );
            let node_title = if source.node() == source.instrument() {
                "итоговый результат".to_owned()
            } else {
                format!(
                    "«{}»",
                    row.map_or_else(|| source.node().to_string(), |row| row.title.clone())
                )
            };
            values.push(ComputedValue {
                item: entry.item.code().to_string(),
                value: row
                    .and_then(|row| row.score)
                    .filter(|_| report.is_some_and(|report| report.body.n_submissions > 0)),
                source: format!(
                    "{source_title}: {node_title}, среднее по формам детского сада за {}",
                    crate::words::period_in_words(period.starts_on, period.ends_on)
                ),
            });
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_writes_computed_values_over_whatever_was_sent() {
        let mut values = FormValues::new();
        let typed = |value: &str| FieldValue {
            value: value.to_owned(),
            comment: String::new(),
        };
        values.insert("A2.1.1".to_owned(), typed("100"));
        values.insert("A2.1.2".to_owned(), typed("99"));
        values.insert("A2.1.3".to_owned(), typed("1"));
        let computed = |item: &str, value| ComputedValue {
            item: item.to_owned(),
            value,
            source: String::new(),
        };
        write_into(
            &mut values,
            &[computed("A2.1.1", Some(62.54)), computed("A2.1.2", None)],
        );
        // The value rounded as the form shows it; without data, no answer at all (never 0).
        assert_eq!(values["A2.1.1"].value, "62,5");
        assert!(!values.contains_key("A2.1.2"));
        // An item that is not computed keeps what was typed.
        assert_eq!(values["A2.1.3"].value, "1");
    }
}
