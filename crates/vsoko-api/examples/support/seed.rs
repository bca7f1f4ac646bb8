//! A network of many teachers written straight through the store (as an import would), for the
//! benchmarks: `teachers` people in kindergartens of `per_kindergarten`, each with one survey per
//! period; a kindergarten's quality grows with its number, and each period adds its progress.

use rand::SeedableRng;
use rand::rngs::StdRng;
use vsoko_checklist::Instrument;
use vsoko_storage::{BatchWrite, NewKindergarten, NewSubmission, RespondentRef, Store};
use vsoko_storage::{InstrumentVersionId, NetworkId, PeriodId};

/// What was seeded.
pub struct Seeded {
    /// The kindergartens' ids.
    pub kindergartens: Vec<i64>,
    /// `(kindergarten, person)` of every teacher.
    pub teachers: Vec<(i64, i64)>,
}

/// Seeds the teachers and their surveys: one per `(period, progress)`.
pub async fn teachers(
    store: &Store,
    instrument: &Instrument,
    instrument_id: InstrumentVersionId,
    network: NetworkId,
    teachers: usize,
    per_kindergarten: usize,
    periods: &[(PeriodId, f64)],
) -> anyhow::Result<Seeded> {
    let mut seeded = Seeded {
        kindergartens: Vec::new(),
        teachers: Vec::with_capacity(teachers),
    };
    let mut rng = StdRng::seed_from_u64(7);
    let n_kindergartens = teachers.div_ceil(per_kindergarten);
    for k in 0..n_kindergartens {
        let kindergarten = store
            .create_kindergarten(
                None,
                &NewKindergarten {
                    network_id: network,
                    number: (k + 1).to_string(),
                    full_name: format!("Детский сад № {}", k + 1),
                    short_name: format!("ДС № {}", k + 1),
                },
            )
            .await?;
        seeded.kindergartens.push(kindergarten.id.get());
        let mut people = Vec::new();
        for t in 0..per_kindergarten.min(teachers - seeded.teachers.len()) {
            let person = store
                .create_person(
                    None,
                    kindergarten.id,
                    &format!("Педагог {k}-{t}"),
                    "воспитатель",
                )
                .await?;
            seeded
                .teachers
                .push((kindergarten.id.get(), person.id.get()));
            people.push(person.id);
        }
        let quality = 0.3 + 0.5 * (k as f64 / n_kindergartens as f64);
        for &(period, progress) in periods {
            let mut sheets = Vec::new();
            for &person in &people {
                let sheet = instrument.validate_answers(vsoko_app::demo::generate_answers(
                    instrument,
                    quality + progress,
                    &mut rng,
                ))?;
                let score = vsoko_scoring::score_submission(instrument, &sheet)?;
                sheets.push((person, sheet, score));
            }
            let keys: Vec<String> = sheets
                .iter()
                .map(|(person, _, _)| format!("seed-{period}-{person}"))
                .collect();
            let respondents: Vec<RespondentRef> = sheets
                .iter()
                .map(|(person, _, _)| RespondentRef::Person(*person))
                .collect();
            let batch: Vec<BatchWrite<'_>> = sheets
                .iter()
                .zip(&keys)
                .zip(&respondents)
                .map(|(((person, sheet, score), key), respondent)| {
                    BatchWrite::Create(NewSubmission {
                        instrument_id,
                        period_id: period,
                        kindergarten_id: kindergarten.id,
                        subject: vsoko_storage::SubjectRef::Teacher(*person),
                        author_user_id: vsoko_storage::UserId::new(1),
                        respondent,
                        idempotency_key: key,
                        answers: sheet,
                        score,
                        observed_on: None,
                        answered_at: None,
                        respondent_email: None,
                    })
                })
                .collect();
            store.write_batch(&batch).await?;
        }
    }
    Ok(seeded)
}
