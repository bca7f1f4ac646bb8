//! The shipped instruments (`checklists/`) through storage with the real scoring code: register
//! (idempotently), submit answers scored by `vsoko_scoring::score_submission`, read them back for
//! reports, and recompute with nothing to change.

mod support;

use std::path::PathBuf;

use vsoko_checklist::{AnswerValue, Catalog, Instrument, RawAnswer, ScaleKind, check_value};
use vsoko_storage::{NewSubmission, NewUser, Role, Scope, SubjectRef};

use support::TestDb;
use vsoko_storage::{KindergartenId, NetworkId, PeriodId, PersonId};

fn checklists() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../checklists")
}

/// Valid answers to every item: options cycle with `seed`, numbers take the first acceptable of a
/// few candidates.
fn answers_for(instrument: &Instrument, seed: usize) -> Vec<RawAnswer> {
    instrument
        .items()
        .enumerate()
        .filter_map(|(i, item)| {
            let candidates: Vec<f64> = match item.scale.kind() {
                ScaleKind::Options(options) => {
                    vec![options[(i + seed) % options.len()].value()]
                }
                ScaleKind::Numeric { min, .. } => {
                    let mut values = vec![0.0, 1.0, 5.0, 10.0, 50.0, 100.0];
                    values.extend(*min);
                    values
                }
            };
            let value = candidates
                .into_iter()
                .map(AnswerValue::Value)
                .chain([AnswerValue::NotApplicable])
                .find(|value| check_value(&item, *value).is_ok())?;
            Some(RawAnswer {
                item: item.item.code().to_string(),
                value,
                comment: None,
            })
        })
        .collect()
}

both!(shipped_instruments_store_real_scores_that_a_recompute_keeps);
async fn shipped_instruments_store_real_scores_that_a_recompute_keeps(db: &TestDb) {
    let store = &db.store;
    let catalog = Catalog::load_dir(&checklists()).expect("shipped instruments are valid");
    assert!(!catalog.is_empty());
    let first = store
        .register_catalog(&catalog, &checklists())
        .await
        .unwrap();
    assert_eq!(first.added.len(), catalog.len());
    let again = store
        .register_catalog(&catalog, &checklists())
        .await
        .unwrap();
    assert_eq!(
        (again.added.len(), again.unchanged.len()),
        (0, catalog.len())
    );

    let world = support::world(store).await;
    let group = store
        .create_group(
            None,
            KindergartenId::new(world.kindergarten),
            "Солнышко",
            "средняя",
        )
        .await
        .unwrap();
    let head = store
        .create_user(
            None,
            &NewUser {
                login: "head".into(),
                password: "пароль".into(),
                role: Role::Head,
                scope: Scope::Kindergarten(KindergartenId::new(world.kindergarten)),
                person_id: None,
            },
        )
        .await
        .unwrap();
    let mut expected = Vec::new();
    for instrument in catalog.iter() {
        let stored = store
            .instrument(instrument.code().as_str(), Some(instrument.version()))
            .await
            .unwrap();
        assert_eq!(stored.instrument.content_hash(), instrument.content_hash());
        let subject = match instrument.subject() {
            vsoko_checklist::Subject::Teacher => SubjectRef::Teacher(PersonId::new(world.teacher)),
            vsoko_checklist::Subject::Group => SubjectRef::Group(group.id),
            vsoko_checklist::Subject::Kindergarten => {
                SubjectRef::Kindergarten(KindergartenId::new(world.kindergarten))
            }
        };
        // Three respondents each (an indicator set counts one answer per kindergarten).
        let seeds = match instrument.counting() {
            vsoko_checklist::Counting::OnePerSubject => 1,
            _ => 3,
        };
        for seed in 0..seeds {
            let respondent = vsoko_storage::RespondentRef::Named(format!("respondent-{seed}"));
            let sheet = instrument
                .validate_answers(answers_for(instrument, seed))
                .expect("generated answers are valid");
            let score = vsoko_scoring::score_submission(instrument, &sheet).unwrap();
            store
                .submit(&NewSubmission {
                    instrument_id: stored.id,
                    period_id: PeriodId::new(world.period),
                    kindergarten_id: KindergartenId::new(world.kindergarten),
                    subject,
                    author_user_id: head.id,
                    respondent: &respondent,
                    idempotency_key: &format!("{}-{seed}", instrument.id()),
                    answers: &sheet,
                    score: &score,
                    observed_on: None,
                    answered_at: None,
                    respondent_email: None,
                })
                .await
                .unwrap();
            expected.push((instrument.id().clone(), score));
        }
    }
    for instrument in catalog.iter() {
        let loaded = store
            .load_scores(
                &store
                    .score_query(Scope::Network(NetworkId::new(world.network)), "2024-09")
                    .await
                    .unwrap(),
                instrument.code().as_str(),
                instrument.version(),
            )
            .await
            .unwrap();
        let want: Vec<_> = expected
            .iter()
            .filter(|(id, _)| id == instrument.id())
            .map(|(_, score)| score.clone())
            .collect();
        let got: Vec<_> = loaded.into_iter().map(|scored| scored.score).collect();
        assert_eq!(got, want, "{}", instrument.id());
    }
    let report = store
        .recompute(vsoko_scoring::score_submission)
        .await
        .unwrap();
    assert_eq!(report.scanned, expected.len() as u64);
    assert_eq!(report.changed, 0);
}
