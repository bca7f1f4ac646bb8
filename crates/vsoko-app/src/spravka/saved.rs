//! Saved справки: the methodist (or the head, for her kindergarten) edits the conclusions and
//! recommendations a справка's rules wrote, and saves it as a document numbered within the
//! network's calendar year and dated; its numbers are frozen — a later correction of answers
//! changes the справка made anew, never the saved one. Saved справки are listed per period.

use vsoko_exchange::{Block, Document};
use vsoko_storage::{NewSpravka, StoredSpravka};

use super::SpravkaRequest;
use crate::error::{AppError, AppResult};
use crate::reports::ReportOf;
use crate::{App, FieldError, Principal};

/// What the methodist changed before saving: the conclusions and the recommendations, one per
/// line (`None` keeps what the rules wrote), and the sections of the loop she leaves out.
#[derive(Debug, Clone, Default)]
pub struct SpravkaEdits {
    /// «Выводы», one per line.
    pub conclusions: Option<String>,
    /// The recommendations of «Рекомендации», one per line.
    pub recommendations: Option<String>,
    /// Headings of [`OPTIONAL_SECTIONS`] not to print.
    pub omit: Vec<String>,
}

/// The sections of the professional-development loop a methodist may leave out of a справка
/// (the assessment's own sections always stay).
pub const OPTIONAL_SECTIONS: [&str; 5] = [
    "Повышение квалификации",
    "Целевые показатели",
    "Индивидуальные образовательные маршруты",
    "Адресные рекомендации и управленческие решения",
    "Оценка эффективности принятых мер",
];

/// The optional sections `document` has, in its order: what the form offers to leave out.
pub fn optional_sections(document: &Document) -> Vec<String> {
    document
        .sections
        .iter()
        .filter(|section| OPTIONAL_SECTIONS.contains(&section.heading.as_str()))
        .map(|section| section.heading.clone())
        .collect()
}

/// The most a section's edited text may be, in characters.
const EDIT_LIMIT: usize = 20_000;

/// A saved справка with its document as it was saved, numbered and dated.
#[derive(Debug, Clone)]
pub struct SavedSpravka {
    /// The row.
    pub stored: StoredSpravka,
    /// The document, its date line reading «от 07.12.2026 № 3».
    pub document: Document,
}

/// The heading of the sections the methodist edits.
pub const CONCLUSIONS: &str = "Выводы";
/// See [`CONCLUSIONS`].
pub const RECOMMENDATIONS: &str = "Рекомендации";

/// What the form's text area shows of a section, one item per line: its first list, or — a
/// section without one («Недостаточно данных: …») — its paragraphs.
pub fn section_lines(document: &Document, heading: &str) -> String {
    let Some(section) = document
        .sections
        .iter()
        .find(|section| section.heading == heading)
    else {
        return String::new();
    };
    section
        .blocks
        .iter()
        .find_map(|block| match block {
            Block::Bullets(items) => Some(items.join("\n")),
            _ => None,
        })
        .unwrap_or_else(|| {
            section
                .blocks
                .iter()
                .filter_map(|block| match block {
                    Block::Paragraph(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// The lines of a text, trimmed, blank ones dropped.
fn lines_of(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// The lines of an edited text: trimmed, blank ones dropped; refused when empty, too long or
/// holding control characters, naming `field`.
fn edited_lines(field: &str, what: &str, text: &str) -> Result<Vec<String>, FieldError> {
    if text.chars().count() > EDIT_LIMIT {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{what}: не более {EDIT_LIMIT} символов"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "control_characters",
            format!("{what}: недопустимые служебные символы; введите текст заново"),
        ));
    }
    let lines: Vec<String> = lines_of(text).into_iter().map(ToOwned::to_owned).collect();
    if lines.is_empty() {
        return Err(FieldError::new(
            field,
            "empty",
            format!("{what}: напишите хотя бы одну строку"),
        ));
    }
    Ok(lines)
}

/// Puts the edited lines in place of a section's first list, or of its paragraphs when it has
/// none.
fn replace_lines(document: &mut Document, heading: &str, lines: Vec<String>) {
    if let Some(section) = document
        .sections
        .iter_mut()
        .find(|section| section.heading == heading)
    {
        match section
            .blocks
            .iter_mut()
            .find(|block| matches!(block, Block::Bullets(_)))
        {
            Some(block) => *block = Block::Bullets(lines),
            None => section.blocks = vec![Block::Bullets(lines)],
        }
    }
}

/// The document as saved, with its number and date in its date line and its file name.
fn numbered(stored: &StoredSpravka) -> AppResult<Document> {
    let mut document: Document = serde_json::from_str(&stored.document).map_err(|error| {
        AppError::unexpected(format!(
            "saved справка {} does not read: {error}",
            stored.id
        ))
    })?;
    let date = crate::words::date_text(stored.made_on);
    let line = format!("от {date} № {}", stored.number);
    match document
        .subtitle
        .iter_mut()
        .find(|line| line.starts_with("от "))
    {
        Some(dated) => *dated = line,
        None => document.subtitle.push(line),
    }
    document.properties.file_name = format!(
        "{} № {} от {date}",
        document.properties.file_name, stored.number
    );
    document.properties.ascii_file_name = format!(
        "{}-no-{}-{}",
        document.properties.ascii_file_name,
        stored.number,
        stored.made_on.format("%Y-%m-%d")
    );
    Ok(document)
}

impl App {
    /// Saves a справка with the methodist's edits as a numbered, dated document (whoever may read
    /// the справка: its kindergarten's head, managers, admins).
    pub async fn save_spravka(
        &self,
        principal: &Principal,
        request: &SpravkaRequest,
        edits: &SpravkaEdits,
    ) -> AppResult<SavedSpravka> {
        let mut document = self.spravka(principal, request).await?;
        let mut errors = Vec::new();
        for (field, what, heading, text) in [
            ("conclusions", "Выводы", CONCLUSIONS, &edits.conclusions),
            (
                "recommendations",
                "Рекомендации",
                RECOMMENDATIONS,
                &edits.recommendations,
            ),
        ] {
            // What the form showed, sent back unchanged, stays as the rules wrote it.
            if let Some(text) = text
                && lines_of(text) != lines_of(&section_lines(&document, heading))
            {
                match edited_lines(field, what, text) {
                    Ok(lines) => replace_lines(&mut document, heading, lines),
                    Err(error) => errors.push(error),
                }
            }
        }
        for heading in &edits.omit {
            if OPTIONAL_SECTIONS.contains(&heading.as_str()) {
                document
                    .sections
                    .retain(|section| &section.heading != heading);
            } else {
                errors.push(FieldError::new(
                    "omit",
                    "not_optional",
                    format!(
                        "раздел «{heading}» нельзя исключить: исключаются только разделы {}",
                        OPTIONAL_SECTIONS
                            .iter()
                            .map(|heading| format!("«{heading}»"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        AppError::check(errors)?;
        let json = serde_json::to_string(&document)
            .map_err(|error| AppError::unexpected(format!("a справка as JSON: {error}")))?;
        let stored = self
            .store
            .save_spravka(
                principal.user.id,
                &NewSpravka {
                    network: principal.network_id(),
                    kindergarten: match request.of {
                        ReportOf::Kindergarten(id) => Some(id),
                        _ => None,
                    },
                    instrument: &request.instrument,
                    period: &request.period,
                    compare_period: request.compare_period.as_deref(),
                    made_on: crate::today(),
                    title: &document.properties.file_name,
                    document: &json,
                },
            )
            .await?;
        Ok(SavedSpravka {
            document: numbered(&stored)?,
            stored,
        })
    }

    /// The saved справки the caller may read, of one period when given, newest first: the
    /// network's for managers and admins, her kindergarten's for a head, none for a teacher.
    pub async fn saved_spravki(
        &self,
        principal: &Principal,
        period: Option<&str>,
    ) -> AppResult<Vec<StoredSpravka>> {
        principal.check_list_spravki()?;
        let all = self
            .store
            .saved_spravki(principal.network_id(), period)
            .await?;
        // One read per kindergarten, not per справка.
        let mut may: std::collections::HashMap<Option<vsoko_domain::KindergartenId>, bool> =
            std::collections::HashMap::new();
        let mut readable = Vec::new();
        for stored in all {
            let allowed = match may.get(&stored.kindergarten_id) {
                Some(allowed) => *allowed,
                None => {
                    let allowed = self.may_read_saved(principal, &stored).await?;
                    may.insert(stored.kindergarten_id, allowed);
                    allowed
                }
            };
            if allowed {
                readable.push(stored);
            }
        }
        Ok(readable)
    }

    /// One saved справка, numbered and dated (404 for another network's or one the caller may
    /// not read).
    pub async fn saved_spravka(&self, principal: &Principal, id: i64) -> AppResult<SavedSpravka> {
        let stored = self.store.saved_spravka(id).await?;
        if stored.network_id != principal.network_id()
            || !self.may_read_saved(principal, &stored).await?
        {
            return Err(AppError::NotFound(vsoko_storage::Record::Spravka));
        }
        Ok(SavedSpravka {
            document: numbered(&stored)?,
            stored,
        })
    }

    /// Whether the caller may read a saved справка: the same rule as the справка made anew.
    async fn may_read_saved(
        &self,
        principal: &Principal,
        stored: &StoredSpravka,
    ) -> AppResult<bool> {
        Ok(match stored.kindergarten_id {
            Some(id) => {
                let unit = self.store.kindergarten(id).await?;
                principal.check_kindergarten_report(&unit).is_ok()
            }
            None => principal.check_network_report().is_ok(),
        })
    }
}
