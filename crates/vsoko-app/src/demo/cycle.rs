//! The demo's management cycle: from September's strengths matrix the department addresses a
//! recommendation to each kindergarten with a deficit (up to three) and to the first teachers
//! below the threshold (up to four); heads answer two, the department records an order, a
//! mentoring pair and a plan event as decisions. May's results then give each its effect — some
//! close their deficit, some do not — and the register compares trained and untrained teachers.

use super::{PERIODS, Staff};
use crate::cycle::{DecisionForm, RecommendationForm};
use crate::error::AppResult;
use crate::report_choice::ReportAsk;
use crate::strengths::CellClass;
use crate::{App, Principal};
use vsoko_storage::Store;

pub(super) async fn seed_recommendations(
    store: &Store,
    app: &App,
    staff: &[Staff],
    manager: &vsoko_domain::User,
) -> AppResult<()> {
    let today = crate::today();
    let methodist = Principal {
        user: manager.clone(),
    };
    let september = PERIODS[0][0];
    let ask = ReportAsk {
        instrument: Some("dc-teacher".to_owned()),
        period: Some(september.to_owned()),
        ..ReportAsk::default()
    };
    let Some(matrix) = app.strengths_matrix(&methodist, &ask, today).await?.matrix else {
        return Ok(());
    };
    let mut forms = Vec::new();
    for row in &matrix.rows {
        if let Some(cell) = row
            .cells
            .iter()
            .find(|cell| cell.class == CellClass::Deficit)
            && forms.len() < 3
        {
            forms.push(RecommendationForm {
                kindergarten: row.kindergarten.id.to_string(),
                instrument: "dc-teacher".to_owned(),
                node: cell.area.clone(),
                period: september.to_owned(),
                ..RecommendationForm::default()
            });
        }
    }
    let mut teachers = Vec::new();
    for pair in &matrix.teacher_pairs {
        if teachers.len() == 4 || teachers.contains(&pair.mentee.person.id) {
            continue;
        }
        teachers.push(pair.mentee.person.id);
        forms.push(RecommendationForm {
            kindergarten: pair.mentee.person.kindergarten_id.to_string(),
            person: pair.mentee.person.id.to_string(),
            instrument: "dc-teacher".to_owned(),
            node: pair.area.0.clone(),
            period: september.to_owned(),
            ..RecommendationForm::default()
        });
    }
    let decisions = [
        DecisionForm {
            kind: "order".to_owned(),
            text: "Направить педагогов на курсы повышения квалификации по области".to_owned(),
            order_number: "112".to_owned(),
            order_date: "2024-10-07".to_owned(),
            ..DecisionForm::default()
        },
        DecisionForm {
            kind: "mentoring_pair".to_owned(),
            text: "Закрепить наставника из детского сада, сильного в этой области".to_owned(),
            ..DecisionForm::default()
        },
        DecisionForm {
            kind: "plan_event".to_owned(),
            text: "Включить педагога в модуль курса плана повышения квалификации".to_owned(),
            reference: "1".to_owned(),
            ..DecisionForm::default()
        },
    ];
    for (index, form) in forms.iter().enumerate() {
        let line = app.add_recommendation(&methodist, form, today).await?;
        let id = line.stored.id;
        if index % 3 == 0
            && let Some(head) = staff
                .iter()
                .find(|unit| unit.kindergarten.id == line.kindergarten.id)
        {
            let head = Principal {
                user: store.user(head.head_user).await?,
            };
            app.answer_recommendation(
                &head,
                id,
                "Вопрос рассмотрен на педагогическом совете; педагоги записаны на обучение.",
                today,
            )
            .await?;
        }
        if let Some(decision) = decisions.get(index % 4) {
            app.add_decision(&methodist, id, decision, today).await?;
        }
    }
    Ok(())
}
