//! The plan's rows edited, added and removed.

use chrono::NaiveDate;
use vsoko_domain::PersonId;
use vsoko_storage::RouteChange;

use super::{PlanRow, RouteForm, RouteView, to_stored};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A plan row as a form or the API sends it: every field as typed; `from` is the index of the row
/// it was (its deficit code, training record and mark stay), `None` for a new row.
#[derive(Debug, Clone, Default)]
pub struct RowInput {
    /// The row it was, by index in the route's rows.
    pub from: Option<usize>,
    /// The deficit (a new row's: what the teacher names).
    pub deficit: String,
    /// The task.
    pub task: String,
    /// The activity.
    pub activity: String,
    /// [`RouteForm::code`].
    pub form: String,
    /// The deadline as typed (`2026-05-31` or `31.05.2026`).
    pub due: String,
    /// The result and how it is shown.
    pub result: String,
}

impl App {
    /// Replaces the plan's rows of `person`'s route with `rows` (edited, added, removed), from the
    /// version the caller saw: in a draft she herself or her head, on approval her head. Every
    /// field that cannot be read is an error at its field (`row-N-task`, …), nothing is saved.
    pub async fn save_route_rows(
        &self,
        principal: &Principal,
        person: PersonId,
        version: u32,
        rows: &[RowInput],
        today: NaiveDate,
    ) -> AppResult<RouteView> {
        let view = self.individual_route(principal, person, today).await?;
        if !vsoko_development::may_edit_rows(view.status, view.actor) {
            return Err(AppError::Forbidden(format!(
                "план маршрута в статусе «{}» изменить нельзя",
                view.status.label()
            )));
        }
        view.check_version(version)?;
        let mut errors = Vec::new();
        let mut plan = Vec::new();
        for (index, input) in rows.iter().enumerate() {
            let field = |name: &str| format!("row-{index}-{name}");
            let required =
                |errors: &mut Vec<crate::error::FieldError>, name: &str, text: &str, what: &str| {
                    if text.trim().is_empty() {
                        errors.push(crate::error::FieldError::new(
                            &field(name),
                            "required",
                            format!("строка {}: {what}", index + 1),
                        ));
                    }
                };
            required(&mut errors, "deficit", &input.deficit, "назовите дефицит");
            required(&mut errors, "task", &input.task, "напишите задачу");
            required(
                &mut errors,
                "activity",
                &input.activity,
                "напишите мероприятие",
            );
            let form = RouteForm::parse(input.form.trim());
            if form.is_none() {
                errors.push(crate::error::FieldError::new(
                    &field("form"),
                    "required",
                    format!("строка {}: выберите форму", index + 1),
                ));
            }
            let due = crate::forms::parse_date(&input.due);
            if due.is_none() {
                errors.push(crate::error::FieldError::new(
                    &field("due"),
                    "not_a_date",
                    format!(
                        "строка {}: «{}» — не дата: введите срок в виде 31.05.2026",
                        index + 1,
                        input.due.trim()
                    ),
                ));
            }
            let before = input.from.and_then(|from| view.rows.get(from));
            if let (Some(form), Some(due)) = (form, due) {
                plan.push(PlanRow {
                    deficit: before.map_or_else(String::new, |row| row.deficit.clone()),
                    deficit_title: input.deficit.trim().to_owned(),
                    task: input.task.trim().to_owned(),
                    activity: input.activity.trim().to_owned(),
                    form,
                    due,
                    result: input.result.trim().to_owned(),
                    training: before.and_then(|row| row.training),
                    done: before.is_some_and(|row| row.done),
                });
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid {
                detail: "план не сохранён: исправьте отмеченные поля".to_owned(),
                errors,
            });
        }
        let stored = self.stored_route(principal, &view).await?;
        self.store
            .change_route(
                principal.user.id,
                stored.id,
                stored.version,
                &RouteChange {
                    rows: Some(&to_stored(&plan)),
                    ..RouteChange::default()
                },
            )
            .await?;
        self.individual_route(principal, person, today).await
    }
}
