//! A training record as a web form sends it, read into a record or every field it cannot read.

use vsoko_domain::PersonId;

use super::{ProviderType, StudyForm, TrainingKind, TrainingRecord};
use crate::error::FieldError;

/// A training record as a web form sends it: every field as typed.
#[derive(Debug, Clone, Default)]
pub struct TrainingForm {
    /// The person's id.
    pub person_id: String,
    /// [`TrainingKind::code`].
    pub kind: String,
    /// Programme title.
    pub programme: String,
    /// Provider.
    pub provider: String,
    /// [`ProviderType::code`].
    pub provider_type: String,
    /// `on` when the programme is in the federal register.
    pub in_federal_register: bool,
    /// Hours.
    pub hours: String,
    /// Dates as typed (`2025-05-14` or `14.05.2025`).
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Enrolment date (optional).
    pub enrolled_on: String,
    /// [`StudyForm::code`].
    pub form: String,
    /// Distance technologies used.
    pub distance: bool,
    /// Document number (optional).
    pub document_number: String,
    /// Registration number (optional).
    pub registration_number: String,
    /// Date of issue (optional).
    pub issued_on: String,
    /// Area codes, separated by commas or spaces (optional).
    pub areas: String,
}

impl TrainingForm {
    /// The form holding a stored record, to correct it.
    pub fn of(person: PersonId, record: &TrainingRecord) -> TrainingForm {
        let date =
            |date: Option<chrono::NaiveDate>| date.map(|date| date.to_string()).unwrap_or_default();
        TrainingForm {
            person_id: person.to_string(),
            kind: record.kind.code().to_owned(),
            programme: record.programme.clone(),
            provider: record.provider.clone(),
            provider_type: record.provider_type.code().to_owned(),
            in_federal_register: record.federal_register,
            hours: record.hours.to_string(),
            starts_on: record.start.to_string(),
            ends_on: record.end.to_string(),
            enrolled_on: date(record.enrolled),
            form: record.form.code().to_owned(),
            distance: record.distance,
            document_number: record.document_number.clone().unwrap_or_default(),
            registration_number: record.registration_number.clone().unwrap_or_default(),
            issued_on: date(record.issued),
            areas: record.areas.join(", "),
        }
    }

    /// The person and the record the form holds, or every field it cannot read.
    pub fn parse(&self) -> Result<(PersonId, TrainingRecord), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut choice = |field: &str, text: &str, message: &str| {
            if text.trim().is_empty() {
                errors.push(FieldError::new(field, "required", message));
            }
        };
        choice("person_id", &self.person_id, "выберите сотрудника");
        let person = self.person_id.trim().parse::<PersonId>().ok();
        let kind = TrainingKind::ALL
            .into_iter()
            .find(|kind| kind.code() == self.kind.trim());
        let provider_type = ProviderType::ALL
            .into_iter()
            .find(|kind| kind.code() == self.provider_type.trim());
        let form = StudyForm::ALL
            .into_iter()
            .find(|form| form.code() == self.form.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "required", "выберите вид обучения"));
        }
        if provider_type.is_none() {
            errors.push(FieldError::new(
                "provider_type",
                "required",
                "выберите тип организации",
            ));
        }
        if form.is_none() {
            errors.push(FieldError::new(
                "form",
                "required",
                "выберите форму обучения",
            ));
        }
        let hours = self.hours.trim().parse::<u32>().ok();
        if hours.is_none() {
            errors.push(FieldError::new(
                "hours",
                "not_a_number",
                "введите число академических часов, например 36",
            ));
        }
        let mut date = |field: &str, text: &str, required: bool| {
            if text.trim().is_empty() {
                if required {
                    errors.push(FieldError::new(field, "required", "введите дату"));
                }
                return None;
            }
            let parsed = crate::forms::parse_date(text);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    field,
                    "not_a_date",
                    format!(
                        "«{}» — не дата: введите дату в виде 14.05.2025",
                        text.trim()
                    ),
                ));
            }
            parsed
        };
        let start = date("starts_on", &self.starts_on, true);
        let end = date("ends_on", &self.ends_on, true);
        let enrolled = date("enrolled_on", &self.enrolled_on, false);
        let issued = date("issued_on", &self.issued_on, false);
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        match (person, kind, provider_type, form, hours, start, end) {
            (
                Some(person),
                Some(kind),
                Some(provider_type),
                Some(form),
                Some(hours),
                Some(start),
                Some(end),
            ) if errors.is_empty() => Ok((
                person,
                TrainingRecord {
                    kind,
                    programme: self.programme.trim().to_owned(),
                    provider: self.provider.trim().to_owned(),
                    provider_type,
                    federal_register: self.in_federal_register,
                    hours,
                    start,
                    end,
                    enrolled,
                    form,
                    distance: self.distance,
                    document_number: optional(&self.document_number),
                    registration_number: optional(&self.registration_number),
                    issued,
                    areas: self
                        .areas
                        .split([',', ';', ' '])
                        .map(str::trim)
                        .filter(|code| !code.is_empty())
                        .map(str::to_owned)
                        .collect(),
                },
            )),
            _ => {
                if errors.is_empty() {
                    errors.push(FieldError::new(
                        "person_id",
                        "required",
                        "выберите сотрудника",
                    ));
                }
                Err(errors)
            }
        }
    }
}
