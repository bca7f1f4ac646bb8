//! Kindergartens, their groups and staff.

use vsoko_storage::{Group, Kindergarten, NewKindergarten, Person, Record};

use crate::error::{AppError, AppResult};
use crate::validate::Checks;
use crate::{App, Principal};
use vsoko_domain::{GroupId, KindergartenId, PersonId};

/// The least minimum coverage a network may set: below a tenth of its teachers no result speaks
/// for it.
pub const MIN_COVERAGE_SETTING: u32 = 10;

/// The longest district name.
const MAX_DISTRICT: usize = 100;

/// The network's rule of coverage for conclusions, as its settings make it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverageRule {
    /// The least share of active subjects, in percent.
    pub percent: f64,
    /// Whether it is the default rule (no setting).
    pub is_default: bool,
    /// The default share, in percent.
    pub default_percent: f64,
    /// The fewest subjects a result needs, whatever the share.
    pub min_subjects: u32,
}

/// The coverage rule of `network`: its setting, else the default.
pub fn coverage_rule(network: &vsoko_storage::Network) -> CoverageRule {
    CoverageRule {
        percent: network
            .min_coverage_percent
            .map_or(vsoko_scoring::MIN_COVERAGE_PERCENT, f64::from),
        is_default: network.min_coverage_percent.is_none(),
        default_percent: vsoko_scoring::MIN_COVERAGE_PERCENT,
        min_subjects: vsoko_scoring::MIN_COVERAGE_SUBJECTS,
    }
}

/// A kindergarten to create.
#[derive(Debug, Clone)]
pub struct KindergartenInput {
    /// Its number in the network (`"106"`).
    pub number: String,
    /// Full official name.
    pub full_name: String,
    /// Short name (`МДОУ № 106`).
    pub short_name: String,
}

impl App {
    /// The caller's network, with its settings.
    pub async fn network(&self, principal: &Principal) -> AppResult<vsoko_storage::Network> {
        Ok(self.store.network(principal.network_id()).await?)
    }

    /// Sets the least share of active teachers (groups) a kindergarten's or the network's result
    /// needs for a level, a change and conclusions: a whole percent from 10 to 100, or `None`
    /// for the default rule (50 %). The fewest subjects (three) is not a setting.
    pub async fn set_min_coverage(
        &self,
        principal: &Principal,
        percent: Option<u32>,
    ) -> AppResult<vsoko_storage::Network> {
        principal.check_network_settings()?;
        if let Some(percent) = percent
            && !(MIN_COVERAGE_SETTING..=100).contains(&percent)
        {
            return Err(AppError::invalid(
                "min_coverage_percent",
                "out_of_range",
                format!(
                    "минимальный охват: целое число от {MIN_COVERAGE_SETTING} до 100 (процентов активных педагогов), например 50"
                ),
            ));
        }
        Ok(self
            .store
            .set_network_min_coverage(
                Some(principal.user.id),
                principal.network_id().get(),
                percent,
            )
            .await?)
    }

    /// Sets whether the network keeps the СНИЛС of training records' recipients (read from an
    /// import's СНИЛС column, checked by its control number). Records imported while it was on
    /// keep theirs when it is turned off.
    pub async fn set_store_snils(
        &self,
        principal: &Principal,
        store: bool,
    ) -> AppResult<vsoko_storage::Network> {
        principal.check_network_settings()?;
        Ok(self
            .store
            .set_network_store_snils(Some(principal.user.id), principal.network_id(), store)
            .await?)
    }

    /// The kindergartens the caller can see.
    pub async fn kindergartens(&self, principal: &Principal) -> AppResult<Vec<Kindergarten>> {
        let kindergartens = self.store.kindergartens(principal.scope()).await?;
        Ok(kindergartens
            .into_iter()
            .filter(|kindergarten| principal.sees_kindergarten(kindergarten))
            .collect())
    }

    /// One kindergarten, if the caller can see it (404 otherwise).
    pub async fn kindergarten(
        &self,
        principal: &Principal,
        id: KindergartenId,
    ) -> AppResult<Kindergarten> {
        let kindergarten = self.store.kindergarten(id).await?;
        principal.check_kindergarten(&kindergarten)?;
        Ok(kindergarten)
    }

    /// Creates a kindergarten in the caller's network (admins).
    pub async fn create_kindergarten(
        &self,
        principal: &Principal,
        input: KindergartenInput,
    ) -> AppResult<Kindergarten> {
        principal.check_manage_network()?;
        let mut checks = Checks::new();
        let number = checks.kindergarten_number("number", &input.number);
        let full_name = checks.name("full_name", "полное наименование", &input.full_name, 500);
        let short_name = checks.name("short_name", "краткое наименование", &input.short_name, 200);
        checks.done()?;
        Ok(self
            .store
            .create_kindergarten(
                Some(principal.user.id),
                &NewKindergarten {
                    network_id: principal.network_id(),
                    number,
                    full_name,
                    short_name,
                },
            )
            .await?)
    }

    /// Sets or, with an empty text, clears a kindergarten's district (the department: managers
    /// and administrators); the mentoring pairs prefer a kindergarten of the same district.
    pub async fn set_kindergarten_district(
        &self,
        principal: &Principal,
        id: KindergartenId,
        district: &str,
    ) -> AppResult<Kindergarten> {
        let kindergarten = self.kindergarten(principal, id).await?;
        principal.check_network_settings()?;
        let district = district.split_whitespace().collect::<Vec<_>>().join(" ");
        if district.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "district",
                "control_character",
                "район: уберите непечатаемые знаки",
            ));
        }
        if district.chars().count() > MAX_DISTRICT {
            return Err(AppError::invalid(
                "district",
                "too_long",
                format!("район: не длиннее {MAX_DISTRICT} знаков"),
            ));
        }
        Ok(self
            .store
            .set_kindergarten_district(
                Some(principal.user.id),
                kindergarten.id,
                Some(district.as_str()).filter(|text| !text.is_empty()),
            )
            .await?)
    }

    /// The groups of a visible kindergarten.
    pub async fn groups(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
    ) -> AppResult<Vec<Group>> {
        let kindergarten = self.kindergarten(principal, kindergarten).await?;
        Ok(self.store.groups(kindergarten.id).await?)
    }

    /// Creates a group (the kindergarten's head, admins).
    pub async fn create_group(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        name: &str,
        age_group: &str,
    ) -> AppResult<Group> {
        let kindergarten = self.store.kindergarten(kindergarten).await?;
        principal.check_manage_staff(&kindergarten)?;
        let mut checks = Checks::new();
        let name = checks.name("name", "название группы", name, 200);
        let age_group = checks.name("age_group", "возрастная группа", age_group, 100);
        checks.done()?;
        Ok(self
            .store
            .create_group(Some(principal.user.id), kindergarten.id, &name, &age_group)
            .await?)
    }

    /// The staff of a visible kindergarten (everyone but teachers).
    pub async fn people(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
    ) -> AppResult<Vec<Person>> {
        let kindergarten = self.store.kindergarten(kindergarten).await?;
        principal.check_read_staff(&kindergarten)?;
        Ok(self.store.people(kindergarten.id).await?)
    }

    /// Adds a member of staff (the kindergarten's head, admins).
    pub async fn create_person(
        &self,
        principal: &Principal,
        kindergarten: KindergartenId,
        full_name: &str,
        position: &str,
    ) -> AppResult<Person> {
        let kindergarten = self.store.kindergarten(kindergarten).await?;
        principal.check_manage_staff(&kindergarten)?;
        let mut checks = Checks::new();
        let full_name = checks.name("full_name", "ФИО", full_name, 200);
        let position = checks.name("position", "должность", position, 200);
        checks.done()?;
        Ok(self
            .store
            .create_person(
                Some(principal.user.id),
                kindergarten.id,
                &full_name,
                &position,
            )
            .await?)
    }

    /// A member of staff of a visible kindergarten (not for teachers).
    pub async fn person(&self, principal: &Principal, id: PersonId) -> AppResult<Person> {
        let person = self.store.person(id).await?;
        let kindergarten = self.store.kindergarten(person.kindergarten_id).await?;
        principal
            .check_read_staff(&kindergarten)
            .map_err(|error| match error {
                AppError::NotFound(_) => AppError::NotFound(Record::Person),
                other => other,
            })?;
        Ok(person)
    }

    /// A group of a visible kindergarten.
    pub async fn group(&self, principal: &Principal, id: GroupId) -> AppResult<Group> {
        let group = self.store.group(id).await?;
        let kindergarten = self.store.kindergarten(group.kindergarten_id).await?;
        principal
            .check_kindergarten(&kindergarten)
            .map_err(|_| AppError::NotFound(Record::Group))?;
        Ok(group)
    }

    /// Marks a member of staff as gone (the kindergarten's head, admins): their accounts can no
    /// longer log in; their submissions stay.
    pub async fn deactivate_person(
        &self,
        principal: &Principal,
        id: PersonId,
    ) -> AppResult<Person> {
        let person = self.store.person(id).await?;
        let kindergarten = self.store.kindergarten(person.kindergarten_id).await?;
        principal
            .check_manage_staff(&kindergarten)
            .map_err(|error| match error {
                AppError::NotFound(_) => AppError::NotFound(Record::Person),
                other => other,
            })?;
        if principal.user.person_id == Some(person.id) {
            return Err(AppError::forbidden("you cannot deactivate yourself"));
        }
        Ok(self
            .store
            .deactivate_person(Some(principal.user.id), person.id)
            .await?)
    }

    /// Marks a group as closed (the kindergarten's head, admins); its submissions stay.
    pub async fn deactivate_group(&self, principal: &Principal, id: GroupId) -> AppResult<Group> {
        let group = self.store.group(id).await?;
        let kindergarten = self.store.kindergarten(group.kindergarten_id).await?;
        principal
            .check_manage_staff(&kindergarten)
            .map_err(|error| match error {
                AppError::NotFound(_) => AppError::NotFound(Record::Group),
                other => other,
            })?;
        Ok(self
            .store
            .deactivate_group(Some(principal.user.id), group.id)
            .await?)
    }
}
