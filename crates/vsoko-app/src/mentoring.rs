//! Mentoring pairs across kindergartens (issue 28 §1): the department proposes a pair the
//! strengths matrix suggested — of kindergartens, or of a teacher and her mentor — the head of
//! each kindergarten agrees her side, and a pair agreed by both is **confirmed** (ТК ст. 86: the
//! decision about a person is a person's). Either head or the department withdraws a pair. A
//! teacher's confirmed mentor of the school year stands in the passport of her route.

use chrono::{DateTime, NaiveDate, Utc};
use vsoko_development::SchoolYear;
use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId};
use vsoko_storage::{NewPair, PairSide, StoredPair};

use crate::error::{AppError, AppResult};
use crate::reports::ReportOf;
use crate::{App, Principal};

/// A pair to propose.
#[derive(Debug, Clone)]
pub struct PairRequest {
    /// The instrument's code and the area's.
    pub instrument: String,
    pub area: String,
    pub mentee_kindergarten: KindergartenId,
    pub mentor_kindergarten: KindergartenId,
    /// Both for a pair of teachers, neither for a pair of kindergartens.
    pub mentee_person: Option<PersonId>,
    pub mentor_person: Option<PersonId>,
}

/// Where a pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairState {
    /// Proposed; neither head agreed.
    Proposed,
    /// One head agreed, the other not yet.
    HalfAgreed,
    /// Both heads agreed.
    Confirmed,
    /// Withdrawn.
    Withdrawn,
}

impl PairState {
    /// Of a stored pair.
    pub fn of(pair: &StoredPair) -> PairState {
        match (&pair.withdrawn, &pair.mentee_agreed, &pair.mentor_agreed) {
            (Some(_), _, _) => PairState::Withdrawn,
            (None, Some(_), Some(_)) => PairState::Confirmed,
            (None, None, None) => PairState::Proposed,
            _ => PairState::HalfAgreed,
        }
    }

    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            PairState::Proposed => "proposed",
            PairState::HalfAgreed => "half_agreed",
            PairState::Confirmed => "confirmed",
            PairState::Withdrawn => "withdrawn",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            PairState::Proposed => "предложена, ждёт согласования обоих заведующих",
            PairState::HalfAgreed => "согласована одной стороной",
            PairState::Confirmed => "подтверждена обоими заведующими",
            PairState::Withdrawn => "отозвана",
        }
    }
}

/// A pair as people read it.
#[derive(Debug, Clone)]
pub struct PairView {
    pub pair: StoredPair,
    pub state: PairState,
    /// The area's title (its code when the instrument no longer has it).
    pub area_title: String,
    pub mentee_kindergarten: Kindergarten,
    pub mentor_kindergarten: Kindergarten,
    pub mentee: Option<Person>,
    pub mentor: Option<Person>,
    /// The side the caller agrees, when she may agree now.
    pub may_agree: Option<PairSide>,
    /// Whether the caller may withdraw it now.
    pub may_withdraw: bool,
}

/// When each side agreed, in words («МДОУ № 55: 07.12.2026»).
pub fn agreed_text(view: &PairView) -> String {
    let date = |at: &Option<(DateTime<Utc>, vsoko_domain::UserId)>| {
        at.as_ref().map_or_else(
            || "не согласовано".to_owned(),
            |(at, _)| format!("согласовано {}", crate::words::date_text(at.date_naive())),
        )
    };
    format!(
        "{}: {}; {}: {}",
        view.mentee_kindergarten.short_name,
        date(&view.pair.mentee_agreed),
        view.mentor_kindergarten.short_name,
        date(&view.pair.mentor_agreed)
    )
}

impl App {
    /// The department proposes a pair for the school year of `today`.
    pub async fn propose_pair(
        &self,
        principal: &Principal,
        request: &PairRequest,
        today: NaiveDate,
    ) -> AppResult<PairView> {
        principal.check_network_report()?;
        let instrument = self
            .instrument_named("instrument", &request.instrument, None)
            .await?
            .instrument;
        if !instrument
            .areas()
            .iter()
            .any(|area| area.code().as_str() == request.area)
        {
            return Err(AppError::invalid(
                "area",
                "unknown",
                format!("в инструменте нет области «{}»", request.area),
            ));
        }
        if request.mentee_kindergarten == request.mentor_kindergarten {
            return Err(AppError::invalid(
                "mentor_kindergarten",
                "same",
                "наставник — другой детский сад: пары внутри одного детского сада не составляются",
            ));
        }
        const UNKNOWN: &str = "такого детского сада нет в сети: выберите из списка";
        let mentee_unit = self
            .kindergarten(principal, request.mentee_kindergarten)
            .await
            .map_err(AppError::reference("mentee_kindergarten", UNKNOWN))?;
        let mentor_unit = self
            .kindergarten(principal, request.mentor_kindergarten)
            .await
            .map_err(AppError::reference("mentor_kindergarten", UNKNOWN))?;
        match (request.mentee_person, request.mentor_person) {
            (None, None) => {}
            (Some(mentee), Some(mentor)) => {
                for (field, person, unit) in [
                    ("mentee_person", mentee, &mentee_unit),
                    ("mentor_person", mentor, &mentor_unit),
                ] {
                    let works = self
                        .store
                        .person(person)
                        .await
                        .ok()
                        .is_some_and(|found| found.kindergarten_id == unit.id && found.active);
                    if !works {
                        return Err(AppError::invalid(
                            field,
                            "unknown",
                            format!(
                                "этот сотрудник не работает в {}: выберите из списка",
                                unit.short_name
                            ),
                        ));
                    }
                }
            }
            _ => {
                return Err(AppError::invalid(
                    "mentor_person",
                    "pair",
                    "пара педагогов называет обоих педагогов, пара детских садов — ни одного",
                ));
            }
        }
        let stored = self
            .store
            .add_pair(
                principal.user.id,
                &NewPair {
                    network: principal.network_id(),
                    school_year: SchoolYear::containing(today).start_year(),
                    instrument: &request.instrument,
                    area: &request.area,
                    mentee_kindergarten: request.mentee_kindergarten,
                    mentor_kindergarten: request.mentor_kindergarten,
                    mentee_person: request.mentee_person,
                    mentor_person: request.mentor_person,
                },
            )
            .await?;
        self.pair_view(principal, stored).await
    }

    /// The pairs of the school year of `today`: the network's (the department) or those a
    /// kindergarten is a side of (its head, the department), withdrawn ones last.
    pub async fn mentoring_pairs(
        &self,
        principal: &Principal,
        of: ReportOf,
        today: NaiveDate,
    ) -> AppResult<Vec<PairView>> {
        let only = match of {
            ReportOf::Network => {
                principal.check_network_report()?;
                None
            }
            ReportOf::Kindergarten(id) => {
                let unit = self.kindergarten(principal, id).await?;
                principal.check_manage_training(&unit)?;
                Some(id)
            }
            ReportOf::Teacher(_) => return Err(AppError::NotFound(vsoko_storage::Record::Person)),
        };
        let mut views = Vec::new();
        for pair in self
            .store
            .pairs(
                principal.network_id(),
                SchoolYear::containing(today).start_year(),
            )
            .await?
        {
            if only.is_some_and(|id| {
                pair.mentee_kindergarten_id != id && pair.mentor_kindergarten_id != id
            }) {
                continue;
            }
            views.push(self.pair_view(principal, pair).await?);
        }
        views.sort_by_key(|view| view.state == PairState::Withdrawn);
        Ok(views)
    }

    /// The head of a side agrees the pair.
    pub async fn agree_pair(&self, principal: &Principal, id: i64) -> AppResult<PairView> {
        let pair = self.visible_pair(principal, id).await?;
        let Some(side) =
            principal.pair_side(pair.mentee_kindergarten_id, pair.mentor_kindergarten_id)
        else {
            return Err(AppError::Forbidden(
                "пару согласуют заведующие обоих детских садов".to_owned(),
            ));
        };
        if pair.withdrawn.is_some() {
            return Err(AppError::Conflict {
                code: "pair_withdrawn",
                detail: "пара отозвана: согласовать её нельзя".to_owned(),
                submission: None,
            });
        }
        let stored = self.store.agree_pair(principal.user.id, id, side).await?;
        self.pair_view(principal, stored).await
    }

    /// The department or the head of a side withdraws the pair.
    pub async fn withdraw_pair(&self, principal: &Principal, id: i64) -> AppResult<PairView> {
        let pair = self.visible_pair(principal, id).await?;
        if !principal.may_withdraw_pair(pair.mentee_kindergarten_id, pair.mentor_kindergarten_id) {
            return Err(AppError::Forbidden(
                "пару отзывает методист или заведующий одного из детских садов".to_owned(),
            ));
        }
        let stored = self.store.withdraw_pair(principal.user.id, id).await?;
        self.pair_view(principal, stored).await
    }

    /// The teacher's mentor of the school year of `today` by a confirmed pair, with her
    /// kindergarten's short name (the latest confirmed, if several).
    pub async fn confirmed_mentor(
        &self,
        person: &Person,
        network: vsoko_domain::NetworkId,
        year: SchoolYear,
    ) -> AppResult<Option<(Person, String)>> {
        let confirmed = self
            .store
            .pairs(network, year.start_year())
            .await?
            .into_iter()
            .rfind(|pair| {
                pair.mentee_person_id == Some(person.id)
                    && PairState::of(pair) == PairState::Confirmed
            });
        let Some(pair) = confirmed else {
            return Ok(None);
        };
        let Some(mentor) = pair.mentor_person_id else {
            return Ok(None);
        };
        let mentor = self.store.person(mentor).await?;
        let unit = self.store.kindergarten(pair.mentor_kindergarten_id).await?;
        Ok(Some((mentor, unit.short_name)))
    }

    /// A pair of the caller's network that she may see (the department; the head of a side);
    /// anything else is «not found».
    async fn visible_pair(&self, principal: &Principal, id: i64) -> AppResult<StoredPair> {
        let pair = self.store.pair(id).await?;
        let hidden = pair.network_id != principal.network_id()
            || !principal.sees_pair(pair.mentee_kindergarten_id, pair.mentor_kindergarten_id);
        if hidden {
            return Err(AppError::NotFound(vsoko_storage::Record::MentoringPair));
        }
        Ok(pair)
    }

    async fn pair_view(&self, principal: &Principal, pair: StoredPair) -> AppResult<PairView> {
        let state = PairState::of(&pair);
        let area_title = self
            .instrument_named("instrument", &pair.instrument, None)
            .await
            .ok()
            .and_then(|resolved| {
                resolved
                    .instrument
                    .areas()
                    .iter()
                    .find(|area| area.code().as_str() == pair.area)
                    .map(|area| area.title().to_owned())
            })
            .unwrap_or_else(|| pair.area.clone());
        let person = |id: Option<PersonId>| async move {
            match id {
                Some(id) => self.store.person(id).await.map(Some),
                None => Ok(None),
            }
        };
        let side = principal.pair_side(pair.mentee_kindergarten_id, pair.mentor_kindergarten_id);
        let may_agree = side.filter(|side| {
            state != PairState::Withdrawn
                && match side {
                    PairSide::Mentee => pair.mentee_agreed.is_none(),
                    PairSide::Mentor => pair.mentor_agreed.is_none(),
                }
        });
        Ok(PairView {
            may_withdraw: state != PairState::Withdrawn
                && principal
                    .may_withdraw_pair(pair.mentee_kindergarten_id, pair.mentor_kindergarten_id),
            may_agree,
            mentee_kindergarten: self.store.kindergarten(pair.mentee_kindergarten_id).await?,
            mentor_kindergarten: self.store.kindergarten(pair.mentor_kindergarten_id).await?,
            mentee: person(pair.mentee_person_id).await?,
            mentor: person(pair.mentor_person_id).await?,
            area_title,
            state,
            pair,
        })
    }
}
