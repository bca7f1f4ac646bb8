//! A kindergarten's control cards of a period, as its head's page lists them.

use crate::error::AppResult;
use crate::{App, Principal};
use std::collections::BTreeMap;
use std::sync::Arc;
use vsoko_checklist::Instrument;
use vsoko_domain::KindergartenId;
use vsoko_domain::{GroupId, PersonId};
use vsoko_storage::{PageRequest, SubjectRef, Submission, SubmissionFilter};

/// One control card in a kindergarten's list.
#[derive(Debug, Clone)]
pub struct CardRow {
    /// The card's instrument version.
    pub instrument: Arc<Instrument>,
    /// The latest revision.
    pub submission: Submission,
    /// Who or what was observed.
    pub subject: String,
    /// The card's total score.
    pub total: Option<vsoko_scoring::NodeScore>,
    /// Critical items answered with their lowest option.
    pub critical_items: Vec<String>,
}

impl App {
    /// The control cards of a kindergarten in a period, newest observation first, each with its
    /// total score (heads of it, managers, admins): the head's list of what she observed. Other
    /// instruments that count every response (parents' questionnaires) are not listed.
    pub async fn kindergarten_cards(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        period: &str,
    ) -> AppResult<Vec<CardRow>> {
        let kindergarten = self.kindergarten(principal, kindergarten).await?;
        principal.check_kindergarten_report(&kindergarten)?;
        let period = self.period_named(principal, "period", period).await?;
        let people: BTreeMap<PersonId, String> = self
            .store
            .people(kindergarten.id)
            .await?
            .into_iter()
            .map(|person| (person.id, person.full_name))
            .collect();
        let groups: BTreeMap<GroupId, String> = self
            .store
            .groups(kindergarten.id)
            .await?
            .into_iter()
            .map(|group| (group.id, group.name))
            .collect();
        let mut rows = Vec::new();
        for summary in self.store.instruments().await? {
            // Control cards only: a parents' questionnaire counts every response too, but its
            // responses are anonymous and never listed one by one.
            if summary.kind != vsoko_checklist::InstrumentKind::ControlCard {
                continue;
            }
            let instrument = self.resolve(&summary).await?;
            let filter = SubmissionFilter {
                period_id: Some(period.id),
                instrument_id: Some(instrument.id),
                kindergarten_id: Some(kindergarten.id),
                ..SubmissionFilter::default()
            };
            let mut offset = 0;
            loop {
                let page = self
                    .store
                    .list_scored_submissions(
                        &filter,
                        PageRequest {
                            offset,
                            limit: 1000,
                        },
                    )
                    .await?;
                let count = page.items.len() as u64;
                for listed in page.items {
                    let subject = match listed.submission.subject {
                        SubjectRef::Teacher(id) => people.get(&id).cloned(),
                        SubjectRef::Group(id) => groups.get(&id).cloned(),
                        SubjectRef::Kindergarten(_) => Some(kindergarten.short_name.clone()),
                    }
                    .unwrap_or_else(|| "—".to_owned());
                    let total = listed.nodes.first().cloned();
                    rows.push(CardRow {
                        instrument: Arc::clone(&instrument.instrument),
                        submission: listed.submission,
                        subject,
                        total,
                        critical_items: listed.critical_items,
                    });
                }
                offset += count;
                if count == 0 || offset >= page.total {
                    break;
                }
            }
        }
        rows.sort_by(|a, b| {
            (b.submission.observed_on, b.submission.id)
                .cmp(&(a.submission.observed_on, a.submission.id))
        });
        Ok(rows)
    }
}
