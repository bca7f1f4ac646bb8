//! The strengths matrix of the network and the mentoring pairs it proposes.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::strengths::{MatrixCell, PairLine, PairedTeacher, StrengthsMatrix, TeacherPairLine};

use crate::dto::reports::ReportFormat;

/// What the matrix is of.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StrengthsQuery {
    /// Instrument code (default: the first teachers' instrument).
    #[param(pattern = r"^[a-z][a-z0-9-]{0,63}$")]
    pub instrument: Option<String>,
    /// Period code (default: the latest period with enough data).
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: Option<String>,
    /// `json` (default), `csv`, `csv-ru` or `xlsx`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
    /// With `format=csv-ru`: a decimal comma.
    pub decimal_comma: Option<bool>,
}

/// One cell: a kindergarten in an area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixCellDto {
    /// Area code.
    pub area: String,
    /// The kindergarten's mean there, percent; `null`: not enough data.
    pub score: Option<f64>,
    /// `strength`, `norm`, `deficit` or `insufficient`.
    pub class: String,
    /// The class in Russian.
    pub class_label: String,
    /// Its counted submissions.
    pub n: u32,
    /// Its teachers at a high level in the area.
    pub high_level_teachers: u32,
    /// Of them, tutors confirmed by the head (or designated).
    pub tutors: u32,
}

impl From<&MatrixCell> for MatrixCellDto {
    fn from(cell: &MatrixCell) -> Self {
        MatrixCellDto {
            area: cell.area.clone(),
            score: cell.score,
            class: cell.class.code().to_owned(),
            class_label: cell.class.label().to_owned(),
            n: cell.n,
            high_level_teachers: cell.high,
            tutors: cell.tutors,
        }
    }
}

/// A kindergarten's row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixRowDto {
    pub kindergarten_id: i64,
    pub kindergarten_name: String,
    /// A cell per area, in the instrument's order.
    pub cells: Vec<MatrixCellDto>,
}

/// An area of the instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixAreaDto {
    pub code: String,
    pub title: String,
}

/// A proposed mentoring pair of kindergartens.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairDto {
    pub mentee_id: i64,
    pub mentee_name: String,
    pub area: String,
    pub mentee_score: f64,
    /// The mentor kindergarten; `null`: no strong kindergarten is free.
    pub mentor_id: Option<i64>,
    pub mentor_name: Option<String>,
    pub mentor_score: Option<f64>,
    /// The mentor's teachers at a high level in the area, and of them tutors.
    pub mentor_high_level_teachers: Option<u32>,
    pub mentor_tutors: Option<u32>,
    /// Other free strong kindergartens, in order.
    pub alternative_ids: Vec<i64>,
}

impl From<&PairLine> for PairDto {
    fn from(pair: &PairLine) -> Self {
        let mentor = pair.mentor.as_ref();
        PairDto {
            mentee_id: pair.mentee.id.get(),
            mentee_name: pair.mentee.short_name.clone(),
            area: pair.area.0.clone(),
            mentee_score: pair.mentee_score,
            mentor_id: mentor.map(|(unit, ..)| unit.id.get()),
            mentor_name: mentor.map(|(unit, ..)| unit.short_name.clone()),
            mentor_score: mentor.map(|(_, score, ..)| *score),
            mentor_high_level_teachers: mentor.map(|(_, _, high, _)| *high),
            mentor_tutors: mentor.map(|(.., tutors)| *tutors),
            alternative_ids: pair.alternatives.iter().map(|unit| unit.id.get()).collect(),
        }
    }
}

/// A teacher of a proposed pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairedTeacherDto {
    pub person_id: i64,
    pub person_name: String,
    pub kindergarten_name: String,
    /// Her own score in the area, percent.
    pub score: f64,
    /// A confirmed (or designated) tutor.
    pub tutor: bool,
}

impl From<&PairedTeacher> for PairedTeacherDto {
    fn from(teacher: &PairedTeacher) -> Self {
        PairedTeacherDto {
            person_id: teacher.person.id.get(),
            person_name: teacher.person.full_name.clone(),
            kindergarten_name: teacher.kindergarten.clone(),
            score: teacher.score,
            tutor: teacher.tutor,
        }
    }
}

/// A proposed pair of teachers of different kindergartens in an area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeacherPairDto {
    pub area: String,
    pub mentee: PairedTeacherDto,
    /// `null`: no free mentor in another kindergarten.
    pub mentor: Option<PairedTeacherDto>,
}

impl From<&TeacherPairLine> for TeacherPairDto {
    fn from(pair: &TeacherPairLine) -> Self {
        TeacherPairDto {
            area: pair.area.0.clone(),
            mentee: PairedTeacherDto::from(&pair.mentee),
            mentor: pair.mentor.as_ref().map(PairedTeacherDto::from),
        }
    }
}

/// The matrix of one instrument and period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrengthsDto {
    pub instrument: String,
    pub version: u32,
    pub period: String,
    /// The rules of the cells and the pairs, in Russian.
    pub rules: String,
    /// The level band a strength reaches, and its lower bound, percent.
    pub strength_level: String,
    pub strength_from: f64,
    /// The deficit threshold, percent.
    pub deficit_below: f64,
    /// The least number of submissions of a strength.
    pub min_n: u32,
    /// The most deficits one kindergarten is proposed to mentor.
    pub pair_cap: u32,
    pub areas: Vec<MatrixAreaDto>,
    pub rows: Vec<MatrixRowDto>,
    pub pairs: Vec<PairDto>,
    /// The pairs of teachers proposed, area by area (names: the read is audited).
    pub teacher_pairs: Vec<TeacherPairDto>,
    /// The most teachers one teacher is proposed to mentor.
    pub teacher_cap: u32,
}

impl From<&StrengthsMatrix> for StrengthsDto {
    fn from(matrix: &StrengthsMatrix) -> Self {
        StrengthsDto {
            instrument: matrix.instrument.code().to_string(),
            version: matrix.instrument.version(),
            period: matrix.period.code.clone(),
            rules: matrix.rules.text(),
            strength_level: matrix.rules.strength_level.clone(),
            strength_from: matrix.rules.strength_from,
            deficit_below: matrix.rules.deficit_below,
            min_n: matrix.rules.min_n,
            pair_cap: matrix.pair_rules.cap,
            areas: matrix
                .areas
                .iter()
                .map(|(code, title)| MatrixAreaDto {
                    code: code.clone(),
                    title: title.clone(),
                })
                .collect(),
            rows: matrix
                .rows
                .iter()
                .map(|row| MatrixRowDto {
                    kindergarten_id: row.kindergarten.id.get(),
                    kindergarten_name: row.kindergarten.short_name.clone(),
                    cells: row.cells.iter().map(MatrixCellDto::from).collect(),
                })
                .collect(),
            pairs: matrix.pairs.iter().map(PairDto::from).collect(),
            teacher_pairs: matrix
                .teacher_pairs
                .iter()
                .map(TeacherPairDto::from)
                .collect(),
            teacher_cap: vsoko_app::strengths::TEACHER_CAP,
        }
    }
}
