//! Anonymous questionnaires answered through a link: a head (or a manager) opens a link per group
//! or kindergarten, prints it (or its QR code) for parents, and withdraws it when done. A parent
//! opens the link without an account and answers once per visit. Nothing that identifies the
//! parent is stored: the submission's author is the link's owner, its respondent the link, and
//! the throttling counters keep a hash of the client address, not the address.

use std::sync::Arc;

use chrono::{Duration, Utc};
use vsoko_checklist::{Instrument, Subject};
use vsoko_storage::{
    Group, Kindergarten, LinkFilter, NewSubmission, NewSurveyLink, Period, PeriodStatus, Record,
    RespondentRef, Scope, SubjectRef, SurveyLink, ThrottleRule,
};

use crate::accounts::throttled;
use crate::error::{AppError, AppResult};
use crate::submissions::{AnswerInput, Scored, check_subject_kind};
use crate::{App, Principal};
use vsoko_domain::{KindergartenId, LinkId};

/// Answers through one link from one client (by a hash of its address): 10 within an hour, then
/// blocked for 10 minutes, doubling up to an hour. Families on one home network can still answer
/// each; a script cannot fill a group's results.
pub const LINK_CLIENT_THROTTLE: ThrottleRule = ThrottleRule {
    limit: 10,
    window: Duration::hours(1),
    base: Duration::minutes(10),
    longest: Duration::hours(1),
};

/// Answers through one link from everyone: 500 within an hour (a kindergarten's parents' meeting
/// fits), then blocked for 10 minutes, doubling up to an hour.
pub const LINK_THROTTLE: ThrottleRule = ThrottleRule {
    limit: 500,
    window: Duration::hours(1),
    base: Duration::minutes(10),
    longest: Duration::hours(1),
};

/// A link to open.
#[derive(Debug, Clone)]
pub struct LinkRequest {
    /// Instrument code; it must be an anonymous questionnaire.
    pub instrument: String,
    /// Instrument version (default: the latest).
    pub version: Option<u32>,
    /// Period code; the period must be open.
    pub period: String,
    /// A group, or the kindergarten (default for an instrument about the kindergarten filled
    /// from a head's account: her kindergarten).
    pub subject: Option<SubjectRef>,
}

/// A link with what it needs to be shown.
#[derive(Debug, Clone)]
pub struct LinkView {
    /// The stored link.
    pub link: SurveyLink,
    /// The token, only right after the link is opened (only its hash is stored).
    pub token: Option<String>,
    /// The instrument version.
    pub instrument: Arc<Instrument>,
    /// The period.
    pub period: Period,
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// The group, for a link about one.
    pub group: Option<Group>,
}

/// What a parent sees before answering: the form and whose it is, without any id.
#[derive(Debug, Clone)]
pub struct PublicSurvey {
    /// The questionnaire.
    pub instrument: Arc<Instrument>,
    /// The kindergarten's short name.
    pub kindergarten: String,
    /// The group's name, for a link about one.
    pub group: Option<String>,
    /// The period.
    pub period: Period,
}

/// One response through a link.
#[derive(Debug, Clone)]
pub struct PublicResponse {
    /// The form's idempotency key: sending the same form twice stores one response.
    pub idempotency_key: String,
    /// The answers.
    pub answers: Vec<AnswerInput>,
}

impl App {
    /// Opens a link for an anonymous questionnaire about a group or a kindergarten (heads of it,
    /// managers, admins). The token is in the answer once.
    pub async fn create_survey_link(
        &self,
        principal: &Principal,
        request: LinkRequest,
    ) -> AppResult<LinkView> {
        let resolved = self
            .instrument_named("instrument", &request.instrument, request.version)
            .await?;
        let instrument = &resolved.instrument;
        if !instrument.respondent().is_anonymous() {
            return Err(AppError::invalid(
                "instrument",
                "not_anonymous",
                format!(
                    "{} is not an anonymous questionnaire: it is filled by a {} with an account",
                    instrument.id(),
                    instrument.respondent().as_str()
                ),
            ));
        }
        let period = self
            .period_named(principal, "period", &request.period)
            .await?;
        if period.status == PeriodStatus::Closed {
            return Err(AppError::invalid(
                "period",
                "closed",
                format!(
                    "period {} is closed: a link to it would take no answers",
                    period.code
                ),
            ));
        }
        let subject = match (request.subject, instrument.subject(), principal.scope()) {
            (Some(subject), _, _) => subject,
            (None, Subject::Kindergarten, Scope::Kindergarten(unit)) => {
                SubjectRef::Kindergarten(unit)
            }
            (None, _, _) => {
                return Err(AppError::invalid(
                    "subject",
                    "required",
                    format!(
                        "say which {} the link is for",
                        instrument.subject().as_str()
                    ),
                ));
            }
        };
        check_subject_kind(instrument, subject)?;
        let (kindergarten, group) = self.link_subject(principal, subject).await?;
        principal.check_manage_links(&kindergarten)?;
        let (token, link) = self
            .store
            .create_survey_link(&NewSurveyLink {
                instrument_id: resolved.id,
                period_id: period.id,
                subject,
                created_by: principal.user.id,
            })
            .await?;
        Ok(LinkView {
            link,
            token: Some(token),
            instrument: Arc::clone(instrument),
            period,
            kindergarten,
            group,
        })
    }

    /// The links of the caller's kindergarten (a head) or network, optionally of one
    /// kindergarten and one period, newest first.
    pub async fn survey_links(
        &self,
        principal: &Principal,
        kindergarten: Option<KindergartenId>,
        period: Option<&str>,
    ) -> AppResult<Vec<LinkView>> {
        let kindergarten = match (kindergarten, principal.scope()) {
            (Some(id), _) => Some(self.kindergarten(principal, id).await?),
            (None, Scope::Kindergarten(id)) => Some(self.kindergarten(principal, id).await?),
            (None, Scope::Network(_)) => None,
        };
        match &kindergarten {
            Some(unit) => principal.check_manage_links(unit)?,
            None => principal.check_network_report()?,
        }
        let period_id = match period {
            Some(code) => Some(self.period_named(principal, "period", code).await?.id),
            None => None,
        };
        let links = self
            .store
            .survey_links(LinkFilter {
                network_id: principal.network_id(),
                kindergarten_id: kindergarten.map(|unit| unit.id),
                period_id,
            })
            .await?;
        let mut views = Vec::with_capacity(links.len());
        for link in links {
            views.push(self.link_view(principal, link).await?);
        }
        Ok(views)
    }

    /// One link (404 outside the caller's unit).
    pub async fn survey_link(&self, principal: &Principal, id: LinkId) -> AppResult<LinkView> {
        let link = self.store.survey_link(id).await?;
        self.link_view(principal, link).await
    }

    /// Withdraws a link: it takes no answers from now on; answers given stay counted.
    pub async fn close_survey_link(
        &self,
        principal: &Principal,
        id: LinkId,
    ) -> AppResult<LinkView> {
        let link = self.store.survey_link(id).await?;
        let view = self.link_view(principal, link).await?;
        let link = self
            .store
            .close_survey_link(Some(principal.user.id), view.link.id)
            .await?;
        Ok(LinkView { link, ..view })
    }

    /// The questionnaire a link opens, for anybody holding the link. An unknown token is «not
    /// found»; a withdrawn link or a closed period is [`AppError::Gone`], in words for a parent.
    pub async fn public_survey(&self, token: &str) -> AppResult<PublicSurvey> {
        let (link, period) = self.open_link(token).await?;
        let resolved = self.instrument_by_id(link.instrument_id).await?;
        let kindergarten = self.store.kindergarten(link.kindergarten_id).await?;
        let group = match link.subject {
            SubjectRef::Group(id) => Some(self.store.group(id).await?.name),
            _ => None,
        };
        Ok(PublicSurvey {
            instrument: resolved.instrument,
            kindergarten: kindergarten.short_name,
            group,
            period,
        })
    }

    /// Stores one response through a link, from `client` (its address, when known; only a hash
    /// of it is kept, in the throttling counters). Returns whether it was new: the same
    /// idempotency key again stores nothing more.
    pub async fn submit_public(
        &self,
        token: &str,
        client: Option<&str>,
        response: PublicResponse,
    ) -> AppResult<bool> {
        let mut checks = crate::validate::Checks::new();
        checks.idempotency_key("idempotency_key", &response.idempotency_key);
        checks.done()?;
        let (link, period) = self.open_link(token).await?;
        self.throttle_link(&link, client).await?;
        let resolved = self.instrument_by_id(link.instrument_id).await?;
        let instrument = &resolved.instrument;
        let Scored { sheet, score } = Scored::check(instrument, &response.answers)?;
        let key = format!("link:{}:{}", link.id, response.idempotency_key);
        let outcome = self
            .store
            .submit(&NewSubmission {
                instrument_id: resolved.id,
                period_id: period.id,
                kindergarten_id: link.kindergarten_id,
                subject: link.subject,
                author_user_id: link.created_by,
                respondent: &RespondentRef::Link(link.id),
                idempotency_key: &key,
                answers: &sheet,
                score: &score,
                observed_on: None,
                answered_at: None,
                respondent_email: None,
            })
            .await
            .map_err(|error| match error {
                vsoko_storage::StorageError::PeriodClosed { .. } => period_closed(&period),
                other => other.into(),
            })?;
        if outcome.created {
            self.observe(|observer| {
                observer.submissions_accepted(instrument.kind(), crate::Channel::Link, 1);
            });
        }
        Ok(outcome.created)
    }

    /// Stores one response through a link from a form's fields as typed: every field is checked
    /// at once (an unreadable number is its own error and hides no other answer), then
    /// [`App::submit_public`].
    pub async fn submit_public_form(
        &self,
        token: &str,
        client: Option<&str>,
        values: &crate::forms::FormValues,
        idempotency_key: String,
    ) -> AppResult<bool> {
        let (link, _) = self.open_link(token).await?;
        let resolved = self.instrument_by_id(link.instrument_id).await?;
        let (answers, errors) = crate::forms::checked_answers(&resolved.instrument, values);
        AppError::check(errors)?;
        self.submit_public(
            token,
            client,
            PublicResponse {
                idempotency_key,
                answers,
            },
        )
        .await
    }

    /// The link of a token and its period, if both still take answers.
    async fn open_link(&self, token: &str) -> AppResult<(SurveyLink, Period)> {
        if !crate::validate::lookable(token) {
            return Err(AppError::NotFound(Record::SurveyLink));
        }
        let link = self
            .store
            .survey_link_by_token(token)
            .await?
            .ok_or(AppError::NotFound(Record::SurveyLink))?;
        if link.closed_at.is_some() {
            return Err(AppError::Gone(
                "Опрос по этой ссылке завершён: детский сад больше не принимает по ней ответы."
                    .to_owned(),
            ));
        }
        let period = self.store.period(link.period_id).await?;
        if period.status == PeriodStatus::Closed {
            return Err(period_closed(&period));
        }
        Ok((link, period))
    }

    /// Counts an answer through `link` from `client`; throttled past [`LINK_CLIENT_THROTTLE`] or
    /// [`LINK_THROTTLE`].
    async fn throttle_link(&self, link: &SurveyLink, client: Option<&str>) -> AppResult<()> {
        let now = Utc::now();
        let whole = format!("survey:{}", link.id);
        let one = client.map(|client| {
            format!(
                "survey:{}:client:{}",
                link.id,
                vsoko_storage::hashed(client)
            )
        });
        let keys: Vec<String> = std::iter::once(whole.clone()).chain(one.clone()).collect();
        if let Some(until) = self.store.throttle_blocked(&keys, now).await? {
            return Err(throttled(now, until));
        }
        let events = [(Some(whole), LINK_THROTTLE), (one, LINK_CLIENT_THROTTLE)];
        match self.record_throttled(events, now).await? {
            Some(until) => {
                tracing::warn!(
                    link_id = link.id.get(),
                    "answers through a survey link throttled"
                );
                Err(throttled(now, until))
            }
            None => Ok(()),
        }
    }

    async fn link_subject(
        &self,
        principal: &Principal,
        subject: SubjectRef,
    ) -> AppResult<(Kindergarten, Option<Group>)> {
        match subject {
            SubjectRef::Group(id) => {
                let group = self.store.group(id).await?;
                let kindergarten = self
                    .kindergarten(principal, group.kindergarten_id)
                    .await
                    .map_err(|_| AppError::NotFound(Record::Group))?;
                Ok((kindergarten, Some(group)))
            }
            SubjectRef::Kindergarten(id) => Ok((self.kindergarten(principal, id).await?, None)),
            SubjectRef::Teacher(_) => Err(AppError::invalid(
                "subject.kind",
                "wrong_subject",
                "a link is for a group or a kindergarten",
            )),
        }
    }

    async fn link_view(&self, principal: &Principal, link: SurveyLink) -> AppResult<LinkView> {
        let (kindergarten, group) = self
            .link_subject(principal, link.subject)
            .await
            .map_err(|_| AppError::NotFound(Record::SurveyLink))?;
        principal.check_manage_links(&kindergarten)?;
        let instrument = self.instrument_by_id(link.instrument_id).await?.instrument;
        let period = self.store.period(link.period_id).await?;
        Ok(LinkView {
            link,
            token: None,
            instrument,
            period,
            kindergarten,
            group,
        })
    }
}

fn period_closed(period: &Period) -> AppError {
    AppError::Gone(format!(
        "Период оценки «{}» закрыт: ответы больше не принимаются.",
        period.code
    ))
}
