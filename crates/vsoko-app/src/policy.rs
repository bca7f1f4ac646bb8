//! Roles and scope: every authorization decision of vsoko, in one place, whichever way the
//! request came in (the JSON API, a web page, the command line).
//!
//! - **teacher**: fills own surveys, reads own submissions and own results only;
//! - **head**: manages own kindergarten's groups, staff and teacher accounts, submits control
//!   cards for it, reads everything in it including named teacher results;
//! - **manager**: reads everything in the network, manages periods (and accounts in the network);
//! - **admin**: everything.
//!
//! Data of another unit answers 404 — exactly as if it did not exist; a permitted unit with a role
//! that may not do this answers 403.

use vsoko_checklist::{Instrument, Respondent};
use vsoko_storage::{
    Kindergarten, Period, Person, Record, Role, Scope, SubjectRef, Submission, User,
};

use crate::error::{AppError, AppResult};
use vsoko_domain::{KindergartenId, NetworkId};

/// Where an account works: what its start page and its sections in the web interface are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workplace {
    /// Its own forms and results (teachers).
    OwnForms,
    /// A kindergarten (its head).
    Kindergarten(KindergartenId),
    /// The network (the department's methodists and administrators).
    Network,
}

/// The authenticated caller: an active account, found by its session or token.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user: User,
}

impl Principal {
    /// The caller's role.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Where the caller works.
    pub fn workplace(&self) -> Workplace {
        match (self.role(), self.own_kindergarten()) {
            (Role::Head, Some(id)) => Workplace::Kindergarten(id),
            (Role::Manager | Role::Admin, _) => Workplace::Network,
            _ => Workplace::OwnForms,
        }
    }

    /// The network the caller belongs to.
    pub fn network_id(&self) -> NetworkId {
        self.user.network_id
    }

    /// The caller's own kindergarten (heads and teachers).
    pub fn own_kindergarten(&self) -> Option<KindergartenId> {
        match self.user.scope {
            Scope::Kindergarten(id) => Some(id),
            Scope::Network(_) => None,
        }
    }

    /// The unit whose data the caller may see (admins: their network; listings of admins use this
    /// too, a single-network deployment being the norm).
    pub fn scope(&self) -> Scope {
        self.user.scope
    }

    /// Whether the kindergarten is inside the caller's unit.
    pub fn sees_kindergarten(&self, kindergarten: &Kindergarten) -> bool {
        match self.role() {
            Role::Admin => true,
            _ => match self.user.scope {
                Scope::Network(network) => kindergarten.network_id == network,
                Scope::Kindergarten(id) => kindergarten.id == id,
            },
        }
    }

    /// 404 unless the kindergarten is inside the caller's unit.
    pub fn check_kindergarten(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        if self.sees_kindergarten(kindergarten) {
            Ok(())
        } else {
            Err(AppError::NotFound(Record::Kindergarten))
        }
    }

    /// Creating kindergartens: admins only.
    pub fn check_manage_network(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin => Ok(()),
            _ => Err(forbidden("only an administrator manages kindergartens")),
        }
    }

    /// Groups and staff of a (visible) kindergarten: its head or an admin.
    pub fn check_manage_staff(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        match self.role() {
            Role::Admin | Role::Head => Ok(()),
            _ => Err(forbidden(
                "only the kindergarten's head manages its groups and staff",
            )),
        }
    }

    /// Entering and correcting training records: the kindergarten's head, the network's
    /// methodists and administrators (404 outside the caller's unit, 403 for teachers).
    pub fn check_manage_training(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        match self.role() {
            Role::Admin | Role::Head | Role::Manager => Ok(()),
            Role::Teacher => Err(forbidden("teachers read their own training records only")),
        }
    }

    /// Whether the network's targets may be shown beside a report (everyone who may manage a
    /// kindergarten's training: not teachers, whose page is their own).
    pub fn may_read_targets(&self) -> bool {
        self.role() != Role::Teacher
    }

    /// Reading the staff list of a (visible) kindergarten: everyone but teachers.
    pub fn check_read_staff(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        match self.role() {
            Role::Teacher => Err(forbidden("teachers do not read the staff list")),
            _ => Ok(()),
        }
    }

    /// 404 unless the period belongs to the caller's network.
    pub fn check_period(&self, period: &Period) -> AppResult<()> {
        if period.network_id == self.network_id() {
            Ok(())
        } else {
            Err(AppError::NotFound(Record::Period))
        }
    }

    /// Opening and closing periods: managers and admins.
    pub fn check_manage_periods(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(forbidden("only managers open and close periods")),
        }
    }

    /// The network's rules of its reports (the least coverage for conclusions): its methodists
    /// and administrators.
    pub fn check_network_settings(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(forbidden(
                "only managers and administrators set the network's rules",
            )),
        }
    }

    /// A person's named data: the person, their head (same kindergarten), managers of the network,
    /// admins. Another teacher's data is another unit: 404.
    pub fn check_person(&self, person: &Person, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        if self.role() == Role::Teacher && self.user.person_id != Some(person.id) {
            return Err(AppError::NotFound(Record::Person));
        }
        Ok(())
    }

    /// Who the caller is to a person's individual route: she herself, her kindergarten's head,
    /// or the network's department (who approves, as her head would, the routes of a management
    /// team); anybody else does not find it (404).
    pub fn route_actor(
        &self,
        person: &Person,
        kindergarten: &Kindergarten,
    ) -> AppResult<vsoko_development::RouteActor> {
        use vsoko_development::RouteActor;
        self.check_kindergarten(kindergarten)?;
        if self.user.person_id == Some(person.id) {
            return Ok(RouteActor::Owner);
        }
        match self.role() {
            Role::Head => Ok(RouteActor::Head),
            // A management team's routes (the head's own among them) are approved by the
            // department: there the methodist stands where the head stands for a teacher.
            Role::Manager | Role::Admin
                if crate::training::category_of(&person.position)
                    == vsoko_development::StaffCategory::Management =>
            {
                Ok(RouteActor::Head)
            }
            Role::Manager | Role::Admin => Ok(RouteActor::Methodist),
            Role::Teacher => Err(AppError::NotFound(Record::Person)),
        }
    }

    /// The side of a mentoring pair the caller agrees: the head of its mentee or its mentor
    /// kindergarten.
    pub fn pair_side(
        &self,
        mentee: KindergartenId,
        mentor: KindergartenId,
    ) -> Option<vsoko_storage::PairSide> {
        if self.role() != Role::Head {
            return None;
        }
        match self.own_kindergarten() {
            Some(own) if own == mentee => Some(vsoko_storage::PairSide::Mentee),
            Some(own) if own == mentor => Some(vsoko_storage::PairSide::Mentor),
            _ => None,
        }
    }

    /// Reading the network's calendar plan: the department and every head of the network
    /// (each agrees it); a teacher reads her own calendar.
    pub fn check_read_plan(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager | Role::Head => Ok(()),
            Role::Teacher => Err(forbidden("teachers read their own calendar of the plan")),
        }
    }

    /// Whether the caller makes and edits the calendar plan: the department.
    pub fn may_edit_plan(&self) -> bool {
        matches!(self.role(), Role::Admin | Role::Manager)
    }

    /// Making and editing the calendar plan: the department.
    pub fn check_edit_plan(&self) -> AppResult<()> {
        if self.may_edit_plan() {
            Ok(())
        } else {
            Err(forbidden("the calendar plan is made by the department"))
        }
    }

    /// The kindergarten whose agreement of the plan the caller gives: a head's own.
    pub fn plan_agreer(&self) -> Option<KindergartenId> {
        match self.role() {
            Role::Head => self.own_kindergarten(),
            _ => None,
        }
    }

    /// Whether the caller marks who attended an event hosted by `host` (`None`: the
    /// department's own): the department, or the head of the hosting kindergarten.
    pub fn may_mark_attendance(&self, host: Option<KindergartenId>) -> bool {
        self.may_edit_plan() || (host.is_some() && self.plan_agreer() == host)
    }

    /// Making addressed recommendations: the department.
    pub fn check_recommend(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(forbidden("recommendations are made by the department")),
        }
    }

    /// Reading the register of recommendations: the department and the heads (their own).
    pub fn check_read_register(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager | Role::Head => Ok(()),
            Role::Teacher => Err(forbidden(
                "the register of recommendations is for the department and the heads",
            )),
        }
    }

    /// Saved справки are listed to the department and the heads (each reads those of the
    /// scopes whose справка she may make); not to teachers.
    pub fn check_list_spravki(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager | Role::Head => Ok(()),
            Role::Teacher => Err(forbidden(
                "saved справки are for the department and the heads",
            )),
        }
    }

    /// Whether the caller sees a recommendation about `kindergarten`: the department, or its
    /// head.
    pub fn sees_recommendation(&self, kindergarten: KindergartenId) -> bool {
        matches!(self.role(), Role::Admin | Role::Manager)
            || self.plan_agreer() == Some(kindergarten)
    }

    /// Whether the caller answers a recommendation about `kindergarten`: its head.
    pub fn may_answer_recommendation(&self, kindergarten: KindergartenId) -> bool {
        self.plan_agreer() == Some(kindergarten)
    }

    /// Whether the caller sees a mentoring pair: the department, or the head of a side.
    pub fn sees_pair(&self, mentee: KindergartenId, mentor: KindergartenId) -> bool {
        matches!(self.role(), Role::Admin | Role::Manager)
            || self.pair_side(mentee, mentor).is_some()
    }

    /// Whether the caller withdraws a mentoring pair: the department, or the head of a side.
    pub fn may_withdraw_pair(&self, mentee: KindergartenId, mentor: KindergartenId) -> bool {
        self.sees_pair(mentee, mentor)
    }

    /// Whether the caller agrees `kindergarten`'s lists of people: its head.
    pub fn may_agree_list(&self, kindergarten: &Kindergarten) -> bool {
        self.role() == Role::Head && self.own_kindergarten() == Some(kindergarten.id)
    }

    /// Whether a stored submission is visible to the caller.
    pub fn sees_submission(&self, submission: &Submission) -> bool {
        match self.role() {
            Role::Admin => true,
            Role::Manager => submission.network_id == self.network_id(),
            Role::Head => self.own_kindergarten() == Some(submission.kindergarten_id),
            Role::Teacher => {
                submission.author_user_id == self.user.id
                    || matches!((submission.subject, self.user.person_id),
                        (SubjectRef::Teacher(subject), Some(person)) if subject == person)
            }
        }
    }

    /// 404 unless the submission is visible.
    pub fn check_submission(&self, submission: &Submission) -> AppResult<()> {
        if self.sees_submission(submission) {
            Ok(())
        } else {
            Err(AppError::NotFound(Record::Submission))
        }
    }

    /// Whether the caller's role fills `instrument` at all (about some subject of its unit).
    pub fn check_fill(&self, instrument: &Instrument) -> AppResult<()> {
        match (self.role(), instrument.respondent()) {
            (Role::Admin | Role::Head, _) => Ok(()),
            (Role::Manager, Respondent::Manager) => Ok(()),
            (Role::Manager, _) => Err(forbidden(
                "managers read the network; teachers and heads fill these forms",
            )),
            (Role::Teacher, Respondent::Teacher) => Ok(()),
            (Role::Teacher, _) => Err(forbidden("this form is filled by a head or a manager")),
        }
    }

    /// Submitting (or correcting) answers of `instrument` about `subject` in `kindergarten`
    /// (already checked visible).
    pub fn check_submit(&self, instrument: &Instrument, subject: SubjectRef) -> AppResult<()> {
        self.check_fill(instrument)?;
        match (self.role(), subject, self.user.person_id) {
            (Role::Teacher, SubjectRef::Teacher(id), Some(person)) if id == person => Ok(()),
            (Role::Teacher, _, _) => {
                Err(forbidden("a teacher fills surveys about themselves only"))
            }
            _ => Ok(()),
        }
    }

    /// Opening, listing and withdrawing links to anonymous questionnaires of a kindergarten
    /// (already checked visible): its head, managers, admins.
    pub fn check_manage_links(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        match self.role() {
            Role::Teacher => Err(forbidden(
                "links for parents are opened by the head of the kindergarten",
            )),
            _ => Ok(()),
        }
    }

    /// Kindergarten reports: heads of it, managers, admins.
    pub fn check_kindergarten_report(&self, kindergarten: &Kindergarten) -> AppResult<()> {
        self.check_kindergarten(kindergarten)?;
        match self.role() {
            Role::Teacher => Err(forbidden("teachers read their own results only")),
            _ => Ok(()),
        }
    }

    /// The network report: managers and admins.
    pub fn check_network_report(&self) -> AppResult<()> {
        match self.role() {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(forbidden("the network report is for the department")),
        }
    }

    /// The subject a listing of submissions is limited to: a teacher's listing is their own
    /// results (`Some(None)` for a teacher without a linked person: only what they authored);
    /// `None` for everyone else. Asking a teacher's listing for someone else is 404.
    pub fn own_subject(&self, asked: Option<SubjectRef>) -> AppResult<Option<Option<SubjectRef>>> {
        if self.role() != Role::Teacher {
            return Ok(None);
        }
        let own = self.user.person_id.map(SubjectRef::Teacher);
        if asked.is_some() && asked != own {
            return Err(AppError::NotFound(Record::Person));
        }
        Ok(Some(own))
    }

    /// The subject of a new submission when the request names none: a teacher's own person.
    pub fn default_subject(&self) -> Option<SubjectRef> {
        match (self.role(), self.user.person_id) {
            (Role::Teacher, Some(person)) => Some(SubjectRef::Teacher(person)),
            _ => None,
        }
    }

    /// The scope a listing of submissions is limited to (`None`: admins see everything).
    pub fn listing_scope(&self) -> Option<Scope> {
        (self.role() != Role::Admin).then(|| self.scope())
    }

    /// Whether teacher names may appear in a report (heads, managers, admins).
    pub fn may_see_teacher_names(&self) -> bool {
        self.role() != Role::Teacher
    }

    /// Importing answers from a file: heads into their kindergarten, managers and admins into the
    /// network. `kindergarten` narrows the target (404 outside the caller's unit, before any role
    /// check). Answers the unit the rows may go to.
    pub fn check_import(&self, kindergarten: Option<&Kindergarten>) -> AppResult<Scope> {
        if let Some(kindergarten) = kindergarten {
            self.check_kindergarten(kindergarten)?;
        }
        if self.role() == Role::Teacher {
            return Err(forbidden("answers are imported by heads and managers"));
        }
        self.exchange_scope(kindergarten)
    }

    /// Exporting raw submissions: heads of their kindergarten, managers and admins of the network.
    pub fn check_raw_export(&self, kindergarten: Option<&Kindergarten>) -> AppResult<Scope> {
        if let Some(kindergarten) = kindergarten {
            self.check_kindergarten(kindergarten)?;
        }
        if self.role() == Role::Teacher {
            return Err(forbidden("teachers read their own results only"));
        }
        self.exchange_scope(kindergarten)
    }

    fn exchange_scope(&self, kindergarten: Option<&Kindergarten>) -> AppResult<Scope> {
        match kindergarten {
            Some(kindergarten) => {
                self.check_kindergarten(kindergarten)?;
                Ok(Scope::Kindergarten(kindergarten.id))
            }
            None => Ok(match self.role() {
                Role::Admin | Role::Manager => Scope::Network(self.network_id()),
                _ => self.user.scope,
            }),
        }
    }

    /// Creating an account with `role` in `scope`: admins anything; managers non-admin accounts in
    /// their network; heads teacher accounts in their kindergarten.
    pub fn check_create_user(
        &self,
        role: Role,
        scope: Scope,
        scope_network: NetworkId,
    ) -> AppResult<()> {
        match self.role() {
            Role::Admin => Ok(()),
            Role::Manager if scope_network != self.network_id() => {
                Err(AppError::NotFound(Record::Kindergarten))
            }
            Role::Manager if role != Role::Admin => Ok(()),
            Role::Head if scope != self.user.scope => Err(AppError::NotFound(Record::Kindergarten)),
            Role::Head if role == Role::Teacher => Ok(()),
            Role::Teacher => Err(forbidden("teachers do not manage accounts")),
            _ => Err(forbidden("this role cannot create such an account")),
        }
    }

    /// Deactivating an account: the same rule as creating it; accounts outside the caller's unit
    /// are 404.
    pub fn check_manage_user(&self, target: &User) -> AppResult<()> {
        let visible = match self.role() {
            Role::Admin => true,
            Role::Manager => target.network_id == self.network_id(),
            Role::Head | Role::Teacher => target.scope == self.user.scope,
        };
        if !visible {
            return Err(AppError::NotFound(Record::User));
        }
        if target.id == self.user.id {
            return Err(forbidden("you cannot deactivate your own account"));
        }
        self.check_create_user(target.role, target.scope, target.network_id)
    }

    /// The accounts the caller may list.
    pub fn check_list_users(&self) -> AppResult<Scope> {
        match self.role() {
            Role::Teacher => Err(forbidden("teachers do not manage accounts")),
            _ => Ok(self.user.scope),
        }
    }
}

fn forbidden(message: &str) -> AppError {
    AppError::forbidden(message)
}
