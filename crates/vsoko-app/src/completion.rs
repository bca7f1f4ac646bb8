//! Who has filled the survey: in the survey week the first thing a head checks is which of her
//! teachers have sent their self-assessment, which have a draft and which have not started; a
//! methodist checks the same per kindergarten. Read from the submissions and the drafts (only
//! that a draft exists, never what it holds).

use std::collections::{BTreeMap, BTreeSet};

use vsoko_storage::{Kindergarten, PageRequest, Period, Person, SubjectRef, SubmissionFilter};

use crate::error::AppResult;
use crate::{App, Principal};
use vsoko_domain::KindergartenId;
use vsoko_domain::{InstrumentVersionId, PersonId};

/// Where one person stands with one survey in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FillState {
    /// Nothing saved.
    NotStarted,
    /// A draft is saved on the server.
    Draft,
    /// Sent (in any version of the survey).
    Sent,
}

impl FillState {
    /// The Russian label.
    pub fn label_ru(self) -> &'static str {
        match self {
            FillState::NotStarted => "не начата",
            FillState::Draft => "черновик",
            FillState::Sent => "отправлена",
        }
    }
}

/// A survey the staff fill about themselves (the latest version's title; every version counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyColumn {
    /// Instrument code.
    pub code: String,
    /// Its title.
    pub title: String,
}

/// How many are at each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FillCounts {
    /// Sent.
    pub sent: usize,
    /// A draft saved.
    pub draft: usize,
    /// Not started.
    pub not_started: usize,
}

impl FillCounts {
    /// Everybody counted.
    pub fn total(&self) -> usize {
        self.sent + self.draft + self.not_started
    }

    /// The share sent, in percent; `None` with nobody to count.
    pub fn sent_percent(&self) -> Option<f64> {
        (self.total() > 0).then(|| 100.0 * self.sent as f64 / self.total() as f64)
    }

    fn add(&mut self, state: FillState) {
        match state {
            FillState::Sent => self.sent += 1,
            FillState::Draft => self.draft += 1,
            FillState::NotStarted => self.not_started += 1,
        }
    }
}

/// One member of staff and her state with each survey.
#[derive(Debug, Clone)]
pub struct PersonCompletion {
    /// The person.
    pub person: Person,
    /// Her state with each survey, in the order of [`KindergartenCompletion::surveys`].
    pub states: Vec<FillState>,
}

/// The completion of a kindergarten's staff in a period.
#[derive(Debug, Clone)]
pub struct KindergartenCompletion {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// The period.
    pub period: Period,
    /// The surveys staff fill about themselves.
    pub surveys: Vec<SurveyColumn>,
    /// Active staff by name, those who have not sent first.
    pub people: Vec<PersonCompletion>,
    /// The counts of each survey.
    pub counts: Vec<FillCounts>,
}

/// The completion of every kindergarten of the network in a period.
#[derive(Debug, Clone)]
pub struct NetworkCompletion {
    /// The period.
    pub period: Period,
    /// The surveys staff fill about themselves.
    pub surveys: Vec<SurveyColumn>,
    /// Each kindergarten with the counts of each survey, by name.
    pub kindergartens: Vec<(Kindergarten, Vec<FillCounts>)>,
    /// The network's counts of each survey.
    pub counts: Vec<FillCounts>,
}

impl App {
    /// The period a completion list is about: the one asked for, or the current open period
    /// (the open period whose days include today, else the latest open one, else the latest).
    pub async fn completion_period(
        &self,
        principal: &Principal,
        period: Option<&str>,
    ) -> AppResult<Option<Period>> {
        if let Some(code) = period.filter(|code| !code.is_empty()) {
            return Ok(Some(self.period_named(principal, "period", code).await?));
        }
        self.current_period(principal).await
    }

    /// The current period of the caller's network: the open one whose days include today, else
    /// the open one that started last, else the latest; `None` without periods.
    pub async fn current_period(&self, principal: &Principal) -> AppResult<Option<Period>> {
        let today = crate::today();
        let mut periods = self.periods(principal).await?;
        periods.sort_by_key(|period| (period.starts_on, period.id));
        let open = |period: &&Period| period.status == vsoko_storage::PeriodStatus::Open;
        Ok(periods
            .iter()
            .filter(open)
            .find(|period| (period.starts_on..=period.ends_on).contains(&today))
            .or_else(|| periods.iter().rev().find(open))
            .or_else(|| periods.last())
            .cloned())
    }

    /// Who of a kindergarten's active teaching staff (everybody but those with a head's account)
    /// has sent, saved a draft of or not started each survey teachers fill about themselves in a
    /// period (its head, managers, admins).
    pub async fn kindergarten_completion(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        period: &Period,
    ) -> AppResult<KindergartenCompletion> {
        let kindergarten = self.kindergarten(principal, kindergarten).await?;
        principal.check_kindergarten_report(&kindergarten)?;
        principal.check_period(period)?;
        let (surveys, code_of) = self.self_surveys().await?;
        // Staff who fill the teachers' survey: everybody active but those whose account is a
        // head's or another role's (they fill the management team's survey instead).
        let others: BTreeSet<PersonId> = self
            .store
            .users(vsoko_storage::Scope::Kindergarten(kindergarten.id))
            .await?
            .into_iter()
            .filter(|user| user.active && user.role != vsoko_storage::Role::Teacher)
            .filter_map(|user| user.person_id)
            .collect();
        let people: Vec<Person> = self
            .store
            .people(kindergarten.id)
            .await?
            .into_iter()
            .filter(|person| person.active && !others.contains(&person.id))
            .collect();
        let states = self
            .fill_states(&kindergarten, period, &people, &code_of)
            .await?;
        let mut rows: Vec<PersonCompletion> = people
            .into_iter()
            .map(|person| {
                let states = surveys
                    .iter()
                    .map(|survey| {
                        states
                            .get(&(person.id, survey.code.clone()))
                            .copied()
                            .unwrap_or(FillState::NotStarted)
                    })
                    .collect();
                PersonCompletion { person, states }
            })
            .collect();
        // Those a head has to remind first: not started, then drafts, then sent; by name.
        rows.sort_by(|a, b| {
            (&a.states, &a.person.full_name).cmp(&(&b.states, &b.person.full_name))
        });
        let mut counts = vec![FillCounts::default(); surveys.len()];
        for row in &rows {
            for (count, state) in counts.iter_mut().zip(&row.states) {
                count.add(*state);
            }
        }
        Ok(KindergartenCompletion {
            kindergarten,
            period: period.clone(),
            surveys,
            people: rows,
            counts,
        })
    }

    /// The completion of each kindergarten of the caller's network (managers, admins).
    pub async fn network_completion(
        &self,
        principal: &Principal,
        period: &Period,
    ) -> AppResult<NetworkCompletion> {
        principal.check_network_report()?;
        principal.check_period(period)?;
        let mut kindergartens = self.kindergartens(principal).await?;
        kindergartens.sort_by(|a, b| a.short_name.cmp(&b.short_name));
        let mut rows = Vec::with_capacity(kindergartens.len());
        let mut surveys = Vec::new();
        let mut total = Vec::new();
        for kindergarten in kindergartens {
            let one = self
                .kindergarten_completion(principal, kindergarten.id, period)
                .await?;
            if total.is_empty() {
                total = vec![FillCounts::default(); one.surveys.len()];
            }
            for (sum, count) in total.iter_mut().zip(&one.counts) {
                sum.sent += count.sent;
                sum.draft += count.draft;
                sum.not_started += count.not_started;
            }
            surveys = one.surveys;
            rows.push((one.kindergarten, one.counts));
        }
        if surveys.is_empty() {
            surveys = self.self_surveys().await?.0;
            total = vec![FillCounts::default(); surveys.len()];
        }
        Ok(NetworkCompletion {
            period: period.clone(),
            surveys,
            kindergartens: rows,
            counts: total,
        })
    }

    /// The surveys staff fill about themselves — one answer per teacher and period — by title,
    /// and the code of every version's id.
    async fn self_surveys(
        &self,
    ) -> AppResult<(Vec<SurveyColumn>, BTreeMap<InstrumentVersionId, String>)> {
        let all = self.store.instruments().await?;
        let mut code_of = BTreeMap::new();
        let mut latest: BTreeMap<String, (u32, String)> = BTreeMap::new();
        for summary in &all {
            let own = summary.kind == vsoko_checklist::InstrumentKind::Survey
                && summary.respondent == vsoko_checklist::Respondent::Teacher
                && summary.subject == vsoko_checklist::Subject::Teacher;
            if !own {
                continue;
            }
            let code = summary.instrument.code.to_string();
            code_of.insert(summary.id, code.clone());
            let version = summary.instrument.version;
            let entry = latest
                .entry(code)
                .or_insert((version, summary.title.clone()));
            if version >= entry.0 {
                *entry = (version, summary.title.clone());
            }
        }
        let mut surveys: Vec<SurveyColumn> = latest
            .into_iter()
            .map(|(code, (_, title))| SurveyColumn { code, title })
            .collect();
        surveys.sort_by(|a, b| a.title.cmp(&b.title));
        Ok((surveys, code_of))
    }

    /// Each (person, survey code) that has a submission or a draft in the period.
    async fn fill_states(
        &self,
        kindergarten: &Kindergarten,
        period: &Period,
        people: &[Person],
        code_of: &BTreeMap<InstrumentVersionId, String>,
    ) -> AppResult<BTreeMap<(PersonId, String), FillState>> {
        let ids: BTreeSet<PersonId> = people.iter().map(|person| person.id).collect();
        let mut states = BTreeMap::new();
        let subjects: Vec<SubjectRef> = ids.iter().map(|id| SubjectRef::Teacher(*id)).collect();
        for (instrument, subject) in self.store.draft_subjects(period.id, &subjects).await? {
            if let (Some(code), SubjectRef::Teacher(person)) =
                (code_of.get(&InstrumentVersionId::new(instrument)), subject)
            {
                states.insert((person, code.clone()), FillState::Draft);
            }
        }
        let filter = SubmissionFilter {
            period_id: Some(period.id),
            kindergarten_id: Some(kindergarten.id),
            ..SubmissionFilter::default()
        };
        let mut offset = 0;
        loop {
            let page = self
                .store
                .list_submissions(
                    &filter,
                    PageRequest {
                        offset,
                        limit: 1000,
                    },
                )
                .await?;
            let count = page.items.len() as u64;
            for submission in page.items {
                if let (Some(code), SubjectRef::Teacher(person)) =
                    (code_of.get(&submission.instrument_id), submission.subject)
                    && ids.contains(&person)
                {
                    states.insert((person, code.clone()), FillState::Sent);
                }
            }
            offset += count;
            if count == 0 || offset >= page.total {
                break;
            }
        }
        Ok(states)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_give_the_share_sent() {
        let mut counts = FillCounts::default();
        assert_eq!(counts.sent_percent(), None, "nobody to count is no 0 %");
        for state in [
            FillState::Sent,
            FillState::Sent,
            FillState::Draft,
            FillState::NotStarted,
        ] {
            counts.add(state);
        }
        assert_eq!(counts.total(), 4);
        assert_eq!(counts.sent_percent(), Some(50.0));
        assert!(FillState::NotStarted < FillState::Draft && FillState::Draft < FillState::Sent);
    }
}
