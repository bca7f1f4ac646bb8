//! What a submission or a correction is made of, hashed: an idempotency key used again is a retry
//! only when the content is the same.

use vsoko_checklist::{AnswerSheet, AnswerValue};

use crate::model::{Correction, Id, NewSubmission};

/// SHA-256 (hex) of what a new submission is made of: instrument version, period, kindergarten,
/// subject and every answer with its comment, in the sheet's (item code) order. Two requests with
/// equal content hash equally, whatever their JSON looked like.
pub(crate) fn request_hash(new: &NewSubmission<'_>) -> String {
    content_hash(
        b"vsoko-submission-v1",
        &[
            new.instrument_id.get(),
            new.period_id.get(),
            new.kindergarten_id.get(),
            new.subject.raw_id(),
        ],
        Some(new.subject.kind()),
        new.answers,
    )
}

/// SHA-256 (hex) of what a correction is made of: the corrected revision and the new answers.
pub(crate) fn correction_hash(correction: &Correction<'_>) -> String {
    content_hash(
        b"vsoko-correction-v1",
        &[correction.supersedes.get()],
        None,
        correction.answers,
    )
}

fn content_hash(
    tag: &[u8],
    ids: &[Id],
    subject_kind: Option<&str>,
    answers: &AnswerSheet,
) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(tag);
    for id in ids {
        field(&id.to_le_bytes());
    }
    if let Some(kind) = subject_kind {
        field(kind.as_bytes());
    }
    for (item, answer) in answers.iter() {
        field(item.as_str().as_bytes());
        match answer.value {
            AnswerValue::Value(value) => field(&value.to_le_bytes()),
            AnswerValue::NotApplicable => field(b"n/a"),
        }
        match &answer.comment {
            Some(comment) => {
                field(b"comment");
                field(comment.as_bytes());
            }
            None => field(b"no comment"),
        }
    }
    crate::users::hex(&hasher.finalize())
}
