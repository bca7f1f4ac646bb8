//! The network's four lists of people for professional development — who wants to develop, who is
//! ready to be a tutor, who needs a course, who asks for a consultation — as advisory proposals
//! that a person turns into decisions (ТК РФ ст. 86: a decision about a person is a person's).
//!
//! # Who a list proposes ([`proposes`], [`training_need`])
//! The answers are those of the survey items with a role (`motivation`, `tutor_offer`,
//! `consultation_request`), read against their scale ([`RoleAnswer`]: the value given, the scale's
//! lowest and highest option values), compared at 6 decimals:
//!
//! * [`StaffList::Motivated`] «Мотивированы на развитие цифровых компетенций» — the `motivation`
//!   answer is the scale's **highest** option («Да»; «Пока не решил(а)» is not a wish), or she put
//!   herself on the list ([`ListMark::OptedIn`]);
//! * [`StaffList::Tutors`] «Готовы быть тьюторами» — the `tutor_offer` answer is **above the
//!   lowest** option («Да, по отдельным темам» and «Да»);
//! * [`StaffList::Consultation`] «Просят консультацию» — the `consultation_request` answer is the
//!   **highest** option («Да»);
//! * [`StaffList::NeedsTraining`] «Нуждаются в повышении квалификации» — by [`training_need`]: a
//!   deficit area of her latest survey that no document of ДПО (ПК or ПП) addressing it counts for
//!   within 36 months at the date ([`TrainingRecord::addresses`], [`within_36_months`]), **or** the
//!   three-year window of her latest ПК or ПП lapsing by the end of the next school year
//!   ([`forecast_need`] for [`SchoolYear::next`], the forecast of the coverage pages; no ПК or ПП
//!   at all counts).
//!
//! No answer proposes nobody: a list never guesses.
//!
//! # A person's decisions ([`entry_state`], [`list_marks`])
//! Marks are kept per list, school year and person; the **latest** decides, and a mark never
//! erases an earlier one (the history stays). A person's state on a list:
//!
//! | latest mark                                   | state                              |
//! |-----------------------------------------------|------------------------------------|
//! | none, [`ListMark::Cleared`]                   | proposed if the rule proposes her  |
//! | [`ListMark::OptedIn`]                         | proposed                           |
//! | [`ListMark::Withdrawn`]                       | off the list                       |
//! | [`ListMark::Confirmed`], [`ListMark::Undesignated`] | confirmed                    |
//! | [`ListMark::Dismissed`]                       | dismissed (with its reason)        |
//! | [`ListMark::Answered`]                        | answered                           |
//! | [`ListMark::Designated`]                      | designated a tutor of the network  |
//!
//! Who may mark what, in which state ([`list_marks`]; anything else is refused):
//!
//! | list           | owner (herself)                       | head of her kindergarten                                  | methodist                                  |
//! |----------------|---------------------------------------|-----------------------------------------------------------|--------------------------------------------|
//! | motivated      | off: opt in; proposed: withdraw       | proposed: dismiss; dismissed: clear                       | —                                          |
//! | tutors         | —                                     | proposed: confirm, dismiss; confirmed: dismiss, clear; dismissed: confirm, clear | confirmed: designate; designated: undesignate |
//! | needs training | —                                     | as tutors                                                 | —                                          |
//! | consultation   | —                                     | proposed: answered; answered: clear                       | as the head                                |
//!
//! * A dismissal always has a reason ([`ListMark::needs_reason`]); «answered» may carry a note.
//! * The owner acts on the motivated list only: her answers to the survey are her voice on the
//!   others, and she changes them there.
//! * The motivated list has no per-person confirmation: the head agrees it whole
//!   ([`agreement_state`]) after dismissing whom she must.
//! * Only the methodist designates tutors of the network, only from the tutors a head confirmed.
//!
//! # The agreement of a kindergarten's motivated list ([`agreement_state`])
//! The head agrees the names on her kindergarten's list as they are that day; the agreement keeps
//! them. The list is **agreed** while its names are exactly the agreed ones; when names were added
//! or left since, it is **outdated** (with who) and wants agreeing again; without an agreement it is
//! **not agreed**. An empty list can be agreed too (nobody in this kindergarten this year).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::calendar::{SchoolYear, within_36_months};
use crate::forecast::{Need, forecast_need};
use crate::record::TrainingRecord;

/// One of the four lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StaffList {
    /// «Мотивированы на развитие цифровых компетенций».
    Motivated,
    /// «Готовы быть тьюторами».
    Tutors,
    /// «Нуждаются в повышении квалификации».
    NeedsTraining,
    /// «Просят консультацию».
    Consultation,
}

impl StaffList {
    /// The four, in the order pages show them.
    pub const ALL: [StaffList; 4] = [
        StaffList::Motivated,
        StaffList::Tutors,
        StaffList::NeedsTraining,
        StaffList::Consultation,
    ];

    /// The code in URLs, the API and storage.
    pub fn code(self) -> &'static str {
        match self {
            StaffList::Motivated => "motivated",
            StaffList::Tutors => "tutors",
            StaffList::NeedsTraining => "needs-training",
            StaffList::Consultation => "consultation",
        }
    }

    /// The list of a code.
    pub fn parse(code: &str) -> Option<StaffList> {
        StaffList::ALL.into_iter().find(|list| list.code() == code)
    }

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            StaffList::Motivated => "Мотивированы на развитие цифровых компетенций",
            StaffList::Tutors => "Готовы быть тьюторами",
            StaffList::NeedsTraining => "Нуждаются в повышении квалификации",
            StaffList::Consultation => "Просят консультацию",
        }
    }
}

/// A decision about a person on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListMark {
    /// She put herself on the motivated list.
    OptedIn,
    /// She took herself off it.
    Withdrawn,
    /// Her head confirmed the proposal.
    Confirmed,
    /// Her head dismissed it, with a reason.
    Dismissed,
    /// The consultation was given.
    Answered,
    /// The methodist designated her a tutor of the network.
    Designated,
    /// The methodist withdrew the designation (she stays confirmed).
    Undesignated,
    /// The last decision undone: back to what the rule proposes.
    Cleared,
}

impl ListMark {
    /// Every mark.
    pub const ALL: [ListMark; 8] = [
        ListMark::OptedIn,
        ListMark::Withdrawn,
        ListMark::Confirmed,
        ListMark::Dismissed,
        ListMark::Answered,
        ListMark::Designated,
        ListMark::Undesignated,
        ListMark::Cleared,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ListMark::OptedIn => "opted_in",
            ListMark::Withdrawn => "withdrawn",
            ListMark::Confirmed => "confirmed",
            ListMark::Dismissed => "dismissed",
            ListMark::Answered => "answered",
            ListMark::Designated => "designated",
            ListMark::Undesignated => "undesignated",
            ListMark::Cleared => "cleared",
        }
    }

    /// The mark of a code.
    pub fn parse(code: &str) -> Option<ListMark> {
        ListMark::ALL.into_iter().find(|mark| mark.code() == code)
    }

    /// The button that makes it.
    pub fn label(self) -> &'static str {
        match self {
            ListMark::OptedIn => "Включить меня в список",
            ListMark::Withdrawn => "Исключить меня из списка",
            ListMark::Confirmed => "Подтвердить",
            ListMark::Dismissed => "Отклонить",
            ListMark::Answered => "Консультация проведена",
            ListMark::Designated => "Назначить тьютором сети",
            ListMark::Undesignated => "Снять назначение",
            ListMark::Cleared => "Отменить решение",
        }
    }

    /// Whether the mark needs a reason (a dismissal does).
    pub fn needs_reason(self) -> bool {
        self == ListMark::Dismissed
    }
}

/// Who marks: the person herself, the head of her kindergarten, the network's methodist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListActor {
    /// The person on the list.
    Owner,
    /// The head of her kindergarten.
    Head,
    /// A methodist of the department.
    Methodist,
}

/// Where a person stands on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryState {
    /// Proposed by the rule (or by herself), nobody decided yet.
    Proposed,
    /// Confirmed by her head.
    Confirmed,
    /// Dismissed by her head.
    Dismissed,
    /// The consultation was given.
    Answered,
    /// A tutor of the network.
    Designated,
}

impl EntryState {
    /// The state on `list` in words (the motivated list has no decision per person but a
    /// dismissal: a proposed person is simply on it).
    pub fn label(self, list: StaffList) -> &'static str {
        match self {
            EntryState::Proposed if list == StaffList::Motivated => "в списке",
            EntryState::Dismissed if list == StaffList::Motivated => "исключено заведующим",
            EntryState::Proposed => "предложен(а), решения нет",
            EntryState::Confirmed => "подтверждено",
            EntryState::Dismissed => "отклонено",
            EntryState::Answered => "консультация проведена",
            EntryState::Designated => "тьютор сети",
        }
    }

    /// Whether she counts on the list (proposed, confirmed, answered or designated).
    pub fn listed(self) -> bool {
        self != EntryState::Dismissed
    }
}

/// An answer to an item with a role, against its scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleAnswer {
    /// The value given.
    pub value: f64,
    /// The scale's lowest option value.
    pub lowest: f64,
    /// The scale's highest option value.
    pub highest: f64,
}

fn at_least(value: f64, bound: f64) -> bool {
    (value * 1e6).round() >= (bound * 1e6).round()
}

/// Whether `list` proposes a person who gave `answer` to its role's item (see the module). The
/// list of training needs is [`training_need`]'s and proposes nobody from an answer.
pub fn proposes(list: StaffList, answer: Option<RoleAnswer>) -> bool {
    let Some(answer) = answer else {
        return false;
    };
    if !answer.value.is_finite() {
        return false;
    }
    match list {
        StaffList::Motivated | StaffList::Consultation => at_least(answer.value, answer.highest),
        StaffList::Tutors => !at_least(answer.lowest, answer.value),
        StaffList::NeedsTraining => false,
    }
}

/// Why a person needs a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingNeed {
    /// Deficit areas (their codes, in the order given) no ПК or ПП of the last 36 months
    /// addresses.
    Unaddressed(Vec<String>),
    /// Her latest ПК or ПП leaves the three-year window by the end of the next school year, or
    /// there is none.
    Window(Need),
}

/// Why a person with `deficit_areas` (codes of her latest survey's deficit areas) and
/// `trainings` needs a course at `today` (see the module); empty: she does not.
pub fn training_need(
    deficit_areas: &[String],
    trainings: &[TrainingRecord],
    today: NaiveDate,
) -> Vec<TrainingNeed> {
    let dpo: Vec<&TrainingRecord> = trainings
        .iter()
        .filter(|record| record.kind.is_dpo() && record.counted_date() <= today)
        .collect();
    let unaddressed: Vec<String> = deficit_areas
        .iter()
        .filter(|area| {
            !dpo.iter().any(|record| {
                record.addresses(area) && within_36_months(record.counted_date(), today)
            })
        })
        .cloned()
        .collect();
    let mut needs = Vec::new();
    if !unaddressed.is_empty() {
        needs.push(TrainingNeed::Unaddressed(unaddressed));
    }
    let latest = dpo.iter().map(|record| record.counted_date()).max();
    let next = SchoolYear::containing(today).next();
    if let Some(need) = forecast_need(latest, today, next) {
        needs.push(TrainingNeed::Window(need));
    }
    needs
}

/// Her state on `list`: `proposed` by its rule, with `latest` her latest mark (see the module);
/// `None` when she is not on it.
pub fn entry_state(proposed: bool, latest: Option<ListMark>) -> Option<EntryState> {
    match latest {
        None | Some(ListMark::Cleared) => proposed.then_some(EntryState::Proposed),
        Some(ListMark::OptedIn) => Some(EntryState::Proposed),
        Some(ListMark::Withdrawn) => None,
        Some(ListMark::Confirmed | ListMark::Undesignated) => Some(EntryState::Confirmed),
        Some(ListMark::Dismissed) => Some(EntryState::Dismissed),
        Some(ListMark::Answered) => Some(EntryState::Answered),
        Some(ListMark::Designated) => Some(EntryState::Designated),
    }
}

/// The marks `actor` may make on `list` for a person in `state` (`None`: not on it), in the order
/// a page shows them.
pub fn list_marks(list: StaffList, state: Option<EntryState>, actor: ListActor) -> Vec<ListMark> {
    use EntryState as S;
    use ListMark as M;
    match (list, actor, state) {
        (StaffList::Motivated, ListActor::Owner, None) => vec![M::OptedIn],
        (StaffList::Motivated, ListActor::Owner, Some(S::Proposed)) => vec![M::Withdrawn],
        (StaffList::Motivated, ListActor::Head, Some(S::Proposed)) => vec![M::Dismissed],
        (StaffList::Motivated, ListActor::Head, Some(S::Dismissed)) => vec![M::Cleared],
        (StaffList::Tutors | StaffList::NeedsTraining, ListActor::Head, Some(state)) => match state
        {
            S::Proposed => vec![M::Confirmed, M::Dismissed],
            S::Confirmed => vec![M::Dismissed, M::Cleared],
            S::Dismissed => vec![M::Confirmed, M::Cleared],
            S::Answered | S::Designated => Vec::new(),
        },
        (StaffList::Tutors, ListActor::Methodist, Some(S::Confirmed)) => vec![M::Designated],
        (StaffList::Tutors, ListActor::Methodist, Some(S::Designated)) => vec![M::Undesignated],
        (StaffList::Consultation, ListActor::Head | ListActor::Methodist, Some(S::Proposed)) => {
            vec![M::Answered]
        }
        (StaffList::Consultation, ListActor::Head | ListActor::Methodist, Some(S::Answered)) => {
            vec![M::Cleared]
        }
        _ => Vec::new(),
    }
}

/// Where a kindergarten's list stands against its agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementState<P> {
    /// Never agreed this school year (or the agreement was withdrawn).
    NotAgreed,
    /// Agreed: the names are exactly the agreed ones.
    Agreed,
    /// Agreed once; names were added or left since.
    Outdated {
        /// On the list now, not agreed.
        added: Vec<P>,
        /// Agreed, not on the list now.
        left: Vec<P>,
    },
}

/// The list of `listed` names against `agreed` (the names of its agreement, if any).
pub fn agreement_state<P: Ord + Clone>(
    listed: &BTreeSet<P>,
    agreed: Option<&BTreeSet<P>>,
) -> AgreementState<P> {
    let Some(agreed) = agreed else {
        return AgreementState::NotAgreed;
    };
    let added: Vec<P> = listed.difference(agreed).cloned().collect();
    let left: Vec<P> = agreed.difference(listed).cloned().collect();
    if added.is_empty() && left.is_empty() {
        AgreementState::Agreed
    } else {
        AgreementState::Outdated { added, left }
    }
}

#[cfg(test)]
mod tests;
