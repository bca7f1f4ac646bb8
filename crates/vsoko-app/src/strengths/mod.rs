//! The network's strengths matrix (issue 28 §1): its kindergartens × the areas of an instrument
//! in a period, each cell a strength, the norm or a deficit by `vsoko_development::classify_area`,
//! with the number of teachers at a high level in the area and how many of them are tutors a head
//! confirmed; and the mentoring pairs of kindergartens it proposes
//! (`vsoko_development::propose_pairs`). For the department only: it reads the network report.
//!
//! **The rules' data.** A strength is a mean at or above the level band two steps above the band
//! the instrument's deficit threshold falls in (for the teachers' survey: «Лидер», 70 %, two above
//! «Интегратор», where the deficit threshold is), or in the network's top quarter; at least
//! [`MIN_N`] submissions; the network's coverage rule. A deficit is a mean below the threshold or
//! [`DEFICIT_SHARE`] of the kindergarten's teachers below it in the area (their own latest
//! submissions of the period). A teacher is «at a high level» in an area when her own score there
//! reaches the strength band. Each kindergarten mentors at most
//! [`PAIR_CAP`] deficits. Among equally strong kindergartens (the same step of 10 percentage
//! points) the pairs prefer one of the mentee's district ([`district_distance`]), then the
//! lighter load.
//!
//! The cell's `n` is the kindergarten's counted submissions of the instrument (its report's), the
//! same for each of its areas.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use vsoko_checklist::Instrument;
use vsoko_development::{
    Cell, CellInput, PersonInArea, TeacherPairing, classify_area, propose_pairs,
};
pub use vsoko_development::{CellClass, MatrixRules, PairRules};
use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId, SubjectRef};
use vsoko_scoring::NodeKind;
use vsoko_storage::{Period, Scope};

use crate::error::{AppError, AppResult};
use crate::lists::{EntryState, StaffList};
use crate::report_choice::{ReportAsk, ReportChoice};
use crate::reports::ReportOf;
use crate::{App, Principal};

mod export;

pub use export::{strengths_file_name, strengths_sheets};

/// The least number of submissions of a strength.
pub const MIN_N: u32 = 5;
/// The share of a kindergarten's teachers below the deficit threshold that makes its cell a
/// deficit.
pub const DEFICIT_SHARE: f64 = 0.25;
/// The most deficits one kindergarten is proposed to mentor.
pub const PAIR_CAP: u32 = 2;
/// The most teachers one teacher is proposed to mentor.
pub const TEACHER_CAP: u32 = 3;

/// One cell of the matrix.
#[derive(Debug, Clone)]
pub struct MatrixCell {
    /// The area's code.
    pub area: String,
    /// The kindergarten's mean there; `None`: «недостаточно данных».
    pub score: Option<f64>,
    /// What the cell is.
    pub class: CellClass,
    /// The kindergarten's counted submissions.
    pub n: u32,
    /// Its teachers at a high level in the area.
    pub high: u32,
    /// Of them, tutors confirmed by the head (or designated by the department).
    pub tutors: u32,
    /// Its teachers below the deficit threshold in the area.
    pub below: u32,
}

/// One kindergarten's row.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// A cell per area, in the instrument's order.
    pub cells: Vec<MatrixCell>,
}

/// A proposed mentoring pair of kindergartens.
#[derive(Debug, Clone)]
pub struct PairLine {
    /// The kindergarten with the deficit.
    pub mentee: Kindergarten,
    /// The area's code and title.
    pub area: (String, String),
    /// Its mean there.
    pub mentee_score: f64,
    /// Its teachers in the area.
    pub mentee_n: u32,
    /// The proposed mentor kindergarten, its mean, its teachers at a high level and tutors.
    pub mentor: Option<(Kindergarten, f64, u32, u32)>,
    /// Other free strong kindergartens.
    pub alternatives: Vec<Kindergarten>,
    /// Where the pair the department proposed for this deficit stands, if it did (not withdrawn).
    pub proposed: Option<crate::mentoring::PairState>,
}

/// A teacher in a proposed pair of teachers.
#[derive(Debug, Clone)]
pub struct PairedTeacher {
    /// The person.
    pub person: Person,
    /// Her kindergarten's short name.
    pub kindergarten: String,
    /// Her own score in the area.
    pub score: f64,
    /// Whether she is a confirmed (or designated) tutor.
    pub tutor: bool,
}

/// A proposed pair of teachers of different kindergartens in an area.
#[derive(Debug, Clone)]
pub struct TeacherPairLine {
    /// The area's code and title.
    pub area: (String, String),
    /// The teacher below the deficit threshold.
    pub mentee: PairedTeacher,
    /// Her proposed mentor; `None`: nobody free.
    pub mentor: Option<PairedTeacher>,
    /// Where the pair the department proposed for her in this area stands, if it did.
    pub proposed: Option<crate::mentoring::PairState>,
}

/// The matrix of one instrument and period.
#[derive(Debug, Clone)]
pub struct StrengthsMatrix {
    /// The instrument.
    pub instrument: Arc<Instrument>,
    /// The period.
    pub period: Period,
    /// The rules, as data.
    pub rules: MatrixRules,
    /// The pairs' rules.
    pub pair_rules: PairRules,
    /// The areas: code and title.
    pub areas: Vec<(String, String)>,
    /// Each kindergarten of the network.
    pub rows: Vec<MatrixRow>,
    /// The pairs proposed, the worst deficit first.
    pub pairs: Vec<PairLine>,
    /// The pairs of teachers proposed, area by area, the lowest score first.
    pub teacher_pairs: Vec<TeacherPairLine>,
    /// Per area, the confirmed (or designated) tutors at a high level there, with their
    /// kindergarten.
    pub area_tutors: HashMap<String, Vec<(KindergartenId, PersonId)>>,
    /// The network's confirmed (or designated) tutors, with their kindergarten.
    pub tutors: Vec<(KindergartenId, PersonId)>,
}

impl StrengthsMatrix {
    /// How many cells are of `class`.
    pub fn count(&self, class: CellClass) -> usize {
        self.rows
            .iter()
            .flat_map(|row| &row.cells)
            .filter(|cell| cell.class == class)
            .count()
    }
}

/// What the matrix page reads: the choices of instrument and period, and the matrix when there
/// is data.
#[derive(Debug, Clone)]
pub struct StrengthsChoice {
    /// The instruments and periods to choose from, and the chosen ones.
    pub choice: ReportChoice,
    /// The matrix of the chosen ones.
    pub matrix: Option<StrengthsMatrix>,
}

/// The rules of `instrument`'s matrix (see the module).
pub fn matrix_rules(instrument: &Instrument) -> MatrixRules {
    let levels = instrument.levels();
    let threshold = instrument.deficit_threshold().get();
    let bands = levels.bands();
    let index = (levels.level_index(threshold) + 2).min(bands.len() - 1);
    MatrixRules {
        strength_from: bands[index].from(),
        strength_level: bands[index].name().to_owned(),
        top_quarter: true,
        min_n: MIN_N,
        deficit_below: threshold,
        deficit_share_from: DEFICIT_SHARE,
    }
}

impl App {
    /// The strengths matrix of the network for what `ask` asks (unless asked: the first
    /// teachers' instrument and its latest period with enough data), with the pairs it proposes.
    pub async fn strengths_matrix(
        &self,
        principal: &Principal,
        ask: &ReportAsk,
        today: NaiveDate,
    ) -> AppResult<StrengthsChoice> {
        principal.check_network_report()?;
        let ask = ReportAsk {
            compare: Some(String::new()),
            items: false,
            ..ask.clone()
        };
        let mut choice = self
            .choose_report(principal, ReportOf::Network, &ask)
            .await?;
        // What was asked by name is what is read, or refused: never another instrument or period.
        if let Some(asked) = ask.instrument.as_deref() {
            let chosen = choice.instrument.as_ref().map(|i| i.code().to_string());
            if chosen.as_deref() != Some(asked) {
                return Err(AppError::invalid(
                    "instrument",
                    "unknown",
                    format!("нет инструмента «{asked}»: выберите инструмент из списка"),
                ));
            }
        }
        if let Some(asked) = ask.period.as_deref()
            && choice.period.as_ref().map(|p| p.code.as_str()) != Some(asked)
        {
            return Err(AppError::invalid(
                "period",
                "no_data",
                format!(
                    "за период «{asked}» по этому инструменту нет данных: выберите период из списка"
                ),
            ));
        }
        let (Some(report), Some(period)) = (choice.report.take(), choice.period.clone()) else {
            return Ok(StrengthsChoice {
                choice,
                matrix: None,
            });
        };
        let instrument = Arc::clone(&report.instrument);
        let rules = matrix_rules(&instrument);
        let areas: Vec<(String, String)> = instrument
            .areas()
            .iter()
            .map(|area| (area.code().to_string(), area.title().to_owned()))
            .collect();
        let units = self.kindergartens(principal).await?;
        let lines: HashMap<i64, &crate::reports::KindergartenLine> = report
            .kindergartens
            .iter()
            .map(|line| (line.row.kindergarten, line))
            .collect();
        let people = self
            .people_levels(
                principal,
                &instrument,
                &period,
                &rules,
                units.clone(),
                today,
            )
            .await?;
        let (high, tutors) = (&people.high, &people.tutors);
        // Each area's cells over every kindergarten, then classified together.
        let mut classes: Vec<Vec<CellClass>> = Vec::new();
        for (area, _) in &areas {
            let inputs: Vec<CellInput> = units
                .iter()
                .map(|unit| match lines.get(&unit.id.get()) {
                    Some(line) => CellInput {
                        score: line
                            .row
                            .areas
                            .iter()
                            .find(|cell| &cell.code == area)
                            .and_then(|cell| cell.score),
                        n: line.row.n,
                        coverage_enough: line.coverage.as_ref().is_none_or(|c| c.enough),
                        deficit_share: people.deficit_share(unit.id, area),
                    },
                    None => CellInput {
                        score: None,
                        n: 0,
                        coverage_enough: false,
                        deficit_share: None,
                    },
                })
                .collect();
            classes.push(classify_area(&rules, &inputs));
        }
        let rows: Vec<MatrixRow> = units
            .iter()
            .enumerate()
            .map(|(index, unit)| {
                let line = lines.get(&unit.id.get());
                MatrixRow {
                    kindergarten: unit.clone(),
                    cells: areas
                        .iter()
                        .enumerate()
                        .map(|(at, (area, _))| {
                            let key = (unit.id, area.clone());
                            MatrixCell {
                                area: area.clone(),
                                score: line.and_then(|line| {
                                    line.row
                                        .areas
                                        .iter()
                                        .find(|cell| &cell.code == area)
                                        .and_then(|cell| cell.score)
                                }),
                                class: classes[at][index],
                                n: line.map_or(0, |line| line.row.n),
                                high: high.get(&key).copied().unwrap_or(0),
                                tutors: tutors.get(&key).copied().unwrap_or(0),
                                below: people.below.get(&key).copied().unwrap_or(0),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let pair_rules = PairRules {
            cap: PAIR_CAP,
            ..PairRules::default()
        };
        let cells: Vec<Cell<KindergartenId>> = rows
            .iter()
            .flat_map(|row| {
                row.cells.iter().map(|cell| Cell {
                    kindergarten: row.kindergarten.id,
                    area: cell.area.clone(),
                    score: cell.score,
                    class: cell.class,
                })
            })
            .collect();
        let by_id: HashMap<KindergartenId, &MatrixRow> =
            rows.iter().map(|row| (row.kindergarten.id, row)).collect();
        let cell_of = |unit: KindergartenId, area: &str| {
            by_id
                .get(&unit)
                .and_then(|row| row.cells.iter().find(|cell| cell.area == area))
        };
        let pairs = propose_pairs(&cells, pair_rules, |mentee, mentor| {
            district_distance(
                &by_id.get(mentee)?.kindergarten,
                &by_id.get(mentor)?.kindergarten,
            )
        })
        .into_iter()
        .filter_map(|pair| {
            let mentee = by_id.get(&pair.mentee)?.kindergarten.clone();
            let title = areas
                .iter()
                .find(|(code, _)| *code == pair.area)
                .map(|(_, title)| title.clone())
                .unwrap_or_default();
            let mentor = pair.mentor.and_then(|(id, score)| {
                let cell = cell_of(id, &pair.area)?;
                Some((
                    by_id.get(&id)?.kindergarten.clone(),
                    score,
                    cell.high,
                    cell.tutors,
                ))
            });
            Some(PairLine {
                proposed: None,
                mentee_n: cell_of(pair.mentee, &pair.area).map_or(0, |cell| cell.n),
                mentee,
                area: (pair.area, title),
                mentee_score: pair.mentee_score,
                mentor,
                alternatives: pair
                    .alternatives
                    .iter()
                    .filter_map(|(id, _)| by_id.get(id).map(|row| row.kindergarten.clone()))
                    .collect(),
            })
        })
        .collect();
        let mut people_by_id: HashMap<PersonId, Person> = HashMap::new();
        for unit in &units {
            for person in self.store.people(unit.id).await? {
                people_by_id.insert(person.id, person);
            }
        }
        let unit_name = |id: KindergartenId| {
            units
                .iter()
                .find(|unit| unit.id == id)
                .map(|unit| unit.short_name.clone())
                .unwrap_or_default()
        };
        let paired = |found: &PersonInArea<PersonId, KindergartenId>| {
            people_by_id.get(&found.person).map(|person| PairedTeacher {
                person: person.clone(),
                kindergarten: unit_name(found.kindergarten),
                score: found.score,
                tutor: found.tutor,
            })
        };
        let area_tutors: HashMap<String, Vec<(KindergartenId, PersonId)>> = people
            .mentors
            .iter()
            .map(|(area, found)| {
                let tutors = found
                    .iter()
                    .filter(|found| found.tutor)
                    .map(|found| (found.kindergarten, found.person))
                    .collect();
                (area.clone(), tutors)
            })
            .collect();
        let mut pairing = TeacherPairing::new(TEACHER_CAP);
        let mut teacher_pairs = Vec::new();
        for (code, title) in &areas {
            let none = Vec::new();
            let proposals = pairing.area(
                people.mentors.get(code).unwrap_or(&none),
                people.mentees.get(code).unwrap_or(&none),
            );
            for proposal in proposals {
                let Some(mentee) = paired(&proposal.mentee) else {
                    continue;
                };
                teacher_pairs.push(TeacherPairLine {
                    proposed: None,
                    area: (code.clone(), title.clone()),
                    mentee,
                    mentor: proposal.mentor.as_ref().and_then(&paired),
                });
            }
        }
        // What the department proposed already this school year, not withdrawn.
        let year = vsoko_development::SchoolYear::containing(today).start_year();
        let proposed: Vec<vsoko_storage::StoredPair> = self
            .store
            .pairs(principal.network_id(), year)
            .await?
            .into_iter()
            .filter(|pair| {
                pair.withdrawn.is_none() && pair.instrument == instrument.code().as_str()
            })
            .collect();
        let state_of = |area: &str, unit: KindergartenId, person: Option<PersonId>| {
            proposed
                .iter()
                .find(|pair| {
                    pair.area == area
                        && pair.mentee_kindergarten_id == unit
                        && pair.mentee_person_id == person
                })
                .map(crate::mentoring::PairState::of)
        };
        let mut pairs: Vec<PairLine> = pairs;
        for pair in &mut pairs {
            pair.proposed = state_of(&pair.area.0, pair.mentee.id, None);
        }
        for pair in &mut teacher_pairs {
            pair.proposed = state_of(
                &pair.area.0,
                pair.mentee.person.kindergarten_id,
                Some(pair.mentee.person.id),
            );
        }
        // The pairs of teachers name people: the read is audited.
        self.store
            .audit(
                Some(principal.user.id),
                "strengths_matrix.read",
                "strengths_matrix",
                &format!("{}/{}", instrument.code(), period.code),
                serde_json::json!({ "teacher_pairs": teacher_pairs.len() }),
            )
            .await?;
        Ok(StrengthsChoice {
            choice,
            matrix: Some(StrengthsMatrix {
                instrument,
                period,
                rules,
                pair_rules,
                areas,
                rows,
                pairs,
                teacher_pairs,
                area_tutors,
                tutors: people.tutor_people.clone(),
            }),
        })
    }

    /// Per kindergarten and area, from its teachers' own latest submissions of the period: who
    /// reaches the strength band (and of them the tutors confirmed or designated), who is below
    /// the deficit threshold, and who has a score there at all.
    async fn people_levels(
        &self,
        principal: &Principal,
        instrument: &Instrument,
        period: &Period,
        rules: &MatrixRules,
        units: Vec<Kindergarten>,
        today: NaiveDate,
    ) -> AppResult<PeopleLevels> {
        let network = principal.network_id();
        let stored = self
            .instrument_named(
                "instrument",
                instrument.code().as_str(),
                Some(instrument.version()),
            )
            .await?;
        let rows = self
            .store
            .staff_answers(Scope::Network(network), &[stored.id], &[period.id], &[])
            .await?;
        let tutor_people: Vec<(KindergartenId, PersonId)> = self
            .build_list(
                principal,
                StaffList::Tutors,
                Scope::Network(network),
                units,
                today,
            )
            .await?
            .kindergartens
            .iter()
            .flat_map(|part| &part.entries)
            .filter(|entry| matches!(entry.state, EntryState::Confirmed | EntryState::Designated))
            .map(|entry| (entry.person.kindergarten_id, entry.person.id))
            .collect();
        let tutors: BTreeSet<PersonId> = tutor_people.iter().map(|(_, person)| *person).collect();
        let strength = vsoko_checklist::round6(rules.strength_from);
        // A person counts once per area, however many submissions are about her.
        let mut seen = BTreeSet::new();
        let mut levels = PeopleLevels {
            tutor_people,
            ..PeopleLevels::default()
        };
        for row in rows {
            let submission = &row.listed.submission;
            let SubjectRef::Teacher(person) = submission.subject else {
                continue;
            };
            for node in &row.listed.nodes {
                let (NodeKind::Area, Some(percent)) = (node.kind, node.percent) else {
                    continue;
                };
                if !seen.insert((person, node.code.clone())) {
                    continue;
                }
                let key = (submission.kindergarten_id, node.code.clone());
                *levels.scored.entry(key.clone()).or_insert(0) += 1;
                let found = PersonInArea {
                    person,
                    kindergarten: submission.kindergarten_id,
                    score: percent,
                    tutor: tutors.contains(&person),
                };
                if instrument.is_deficit(percent) {
                    *levels.below.entry(key.clone()).or_insert(0) += 1;
                    levels
                        .mentees
                        .entry(node.code.clone())
                        .or_default()
                        .push(found);
                } else if vsoko_checklist::round6(percent) >= strength {
                    *levels.high.entry(key.clone()).or_insert(0) += 1;
                    if found.tutor {
                        *levels.tutors.entry(key).or_insert(0) += 1;
                    }
                    levels
                        .mentors
                        .entry(node.code.clone())
                        .or_default()
                        .push(found);
                }
            }
        }
        Ok(levels)
    }
}

type Counts = HashMap<(KindergartenId, String), u32>;

/// What [`App::people_levels`] counts.
#[derive(Debug, Default)]
struct PeopleLevels {
    high: Counts,
    tutors: Counts,
    below: Counts,
    scored: Counts,
    /// Per area: who may mentor (at the strength band) and who needs a mentor (below the
    /// threshold).
    mentors: HashMap<String, Vec<PersonInArea<PersonId, KindergartenId>>>,
    mentees: HashMap<String, Vec<PersonInArea<PersonId, KindergartenId>>>,
    /// The network's confirmed (or designated) tutors.
    tutor_people: Vec<(KindergartenId, PersonId)>,
}

impl PeopleLevels {
    /// The share of the kindergarten's people below the threshold in the area, when any has a
    /// score there.
    fn deficit_share(&self, unit: KindergartenId, area: &str) -> Option<f64> {
        let key = (unit, area.to_owned());
        let scored = *self.scored.get(&key)?;
        (scored > 0)
            .then(|| f64::from(self.below.get(&key).copied().unwrap_or(0)) / f64::from(scored))
    }
}

/// The rule of the teachers' pairs in words.
pub fn teacher_pair_rule() -> String {
    format!(
        "Пары педагогов: педагогу с результатом по области ниже порога дефицита — педагог другого детского сада с результатом на уровне сильной стороны: сначала подтверждённый тьютор, затем с более высоким результатом, затем с меньшей нагрузкой; наставник, уже предложенный педагогу по другой области, остаётся её наставником; один наставник — не больше {}.",
        crate::words::counted(TEACHER_CAP as usize, "педагога", "педагогов", "педагогов")
    )
}

/// How far apart two kindergartens are, as far as the department has said: 0 in one district, 1
/// in two; unknown when either has no district.
pub fn district_distance(a: &Kindergarten, b: &Kindergarten) -> Option<u32> {
    match (a.district.as_deref(), b.district.as_deref()) {
        (Some(x), Some(y)) => Some(u32::from(x.to_lowercase() != y.to_lowercase())),
        _ => None,
    }
}
