//! The network's strengths matrix: kindergartens × areas as a heat map (each cell says its class
//! in words too, never by colour alone), the rules it follows, and the mentoring pairs proposed.
//! What a cell is and who pairs with whom is the use case's (`vsoko_app::strengths`).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::report_choice::ReportAsk;
use vsoko_app::strengths::{StrengthsMatrix, strengths_file_name, strengths_sheets};
use vsoko_app::{App, today};

use crate::error::PageError;
use crate::format::{percent, period_text, url_encode};
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::{attachment, html};

/// What the address asks for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StrengthsQuery {
    instrument: Option<String>,
    period: Option<String>,
    format: Option<String>,
}

impl StrengthsQuery {
    fn ask(&self) -> ReportAsk {
        let given = |value: &Option<String>| value.clone().filter(|text| !text.is_empty());
        ReportAsk {
            instrument: given(&self.instrument),
            period: given(&self.period),
            ..ReportAsk::default()
        }
    }
}

struct CellLine {
    area: String,
    /// A new recommendation for a deficit.
    recommend: Option<String>,
    class: &'static str,
    label: &'static str,
    score: String,
    detail: String,
}

struct RowLine {
    name: String,
    href: String,
    cells: Vec<CellLine>,
}

/// The hidden fields of «Предложить пару», or where the proposed pair stands.
struct Proposal {
    fields: Vec<(&'static str, String)>,
    state: String,
}

struct TeacherPairView {
    area: String,
    mentee: String,
    mentor: String,
    proposal: Proposal,
}

struct PairLine {
    mentee: String,
    area: String,
    mentee_score: String,
    mentor: String,
    reason: String,
    alternatives: String,
    proposal: Proposal,
}

#[derive(Template)]
#[template(path = "strengths.html")]
struct StrengthsPage {
    layout: Layout,
    instruments: Vec<Choice>,
    periods: Vec<Choice>,
    has_matrix: bool,
    rules: String,
    pair_rule: String,
    summary: String,
    areas: Vec<(String, String)>,
    rows: Vec<RowLine>,
    pairs: Vec<PairLine>,
    teacher_rule: String,
    teacher_pairs: Vec<TeacherPairView>,
    downloads: Vec<(String, &'static str)>,
}

/// «Предложить пару» for a pair (its fields), or where the one proposed stands.
fn proposal(
    matrix: &StrengthsMatrix,
    area: &str,
    mentee: (i64, Option<i64>),
    mentor: Option<(i64, Option<i64>)>,
    proposed: Option<vsoko_app::mentoring::PairState>,
) -> Proposal {
    if let Some(state) = proposed {
        return Proposal {
            fields: Vec::new(),
            state: format!("Пара {}.", state.label()),
        };
    }
    let Some(mentor) = mentor else {
        return Proposal {
            fields: Vec::new(),
            state: String::new(),
        };
    };
    let mut fields = vec![
        ("instrument", matrix.instrument.code().to_string()),
        ("area", area.to_owned()),
        ("mentee_kindergarten", mentee.0.to_string()),
        ("mentor_kindergarten", mentor.0.to_string()),
    ];
    if let (Some(mentee), Some(mentor)) = (mentee.1, mentor.1) {
        fields.push(("mentee_person", mentee.to_string()));
        fields.push(("mentor_person", mentor.to_string()));
    }
    Proposal {
        fields,
        state: String::new(),
    }
}

fn cells_text(matrix: &StrengthsMatrix) -> String {
    use vsoko_app::strengths::CellClass;
    let counted = |class: CellClass| matrix.count(class);
    format!(
        "Сильных сторон — {}, дефицитов — {}, в норме — {}, недостаточно данных — {}.",
        counted(CellClass::Strength),
        counted(CellClass::Deficit),
        counted(CellClass::Norm),
        counted(CellClass::Insufficient)
    )
}

/// `GET /network/strengths`.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<StrengthsQuery>,
) -> Result<HttpResponse, PageError> {
    let chosen = app
        .strengths_matrix(&viewer.principal, &query.ask(), today())
        .await?;
    if let (Some(matrix), Some(format)) = (&chosen.matrix, query.format.as_deref()) {
        let format =
            vsoko_app::export::FileFormat::parse(format, true).ok_or(PageError::NotFound)?;
        let body = format.write(&strengths_sheets(matrix))?;
        return Ok(attachment(
            format.content_type(),
            &strengths_file_name(matrix, format),
            body,
        ));
    }
    let choice = &chosen.choice;
    let instruments = choice
        .instruments
        .iter()
        .map(|candidate| Choice {
            value: candidate.code().to_string(),
            label: candidate.title().to_owned(),
            selected: choice
                .instrument
                .as_ref()
                .is_some_and(|chosen| chosen.code() == candidate.code()),
        })
        .collect();
    let periods = choice
        .periods
        .iter()
        .rev()
        .map(|candidate| Choice {
            value: candidate.code.clone(),
            label: period_text(candidate),
            selected: choice
                .period
                .as_ref()
                .is_some_and(|chosen| chosen.id == candidate.id),
        })
        .collect();
    let layout = Layout::signed_in(
        &viewer,
        "Сильные стороны и дефициты детских садов".to_owned(),
        "network-strengths",
    );
    let Some(matrix) = &chosen.matrix else {
        return html(&StrengthsPage {
            layout,
            instruments,
            periods,
            has_matrix: false,
            rules: String::new(),
            pair_rule: String::new(),
            summary: String::new(),
            areas: Vec::new(),
            rows: Vec::new(),
            pairs: Vec::new(),
            teacher_rule: String::new(),
            teacher_pairs: Vec::new(),
            downloads: Vec::new(),
        });
    };
    let query = format!(
        "instrument={}&period={}",
        url_encode(matrix.instrument.code().as_str()),
        url_encode(&matrix.period.code)
    );
    let rows = matrix
        .rows
        .iter()
        .map(|row| RowLine {
            name: row.kindergarten.short_name.clone(),
            href: format!("/kindergartens/{}/dashboard?{query}", row.kindergarten.id),
            cells: row
                .cells
                .iter()
                .map(|cell| CellLine {
                    area: cell.area.clone(),
                    recommend: (cell.class == vsoko_app::strengths::CellClass::Deficit).then(
                        || {
                            format!(
                                "/recommendations/new?kindergarten={}&{query}&node={}",
                                row.kindergarten.id,
                                url_encode(&cell.area)
                            )
                        },
                    ),
                    class: cell.class.code(),
                    label: cell.class.label(),
                    score: cell.score.map(percent).unwrap_or_default(),
                    detail: if cell.high > 0 {
                        format!(
                            "высокий уровень: {}{}",
                            cell.high,
                            if cell.tutors > 0 {
                                format!(", тьюторов: {}", cell.tutors)
                            } else {
                                String::new()
                            }
                        )
                    } else {
                        String::new()
                    },
                })
                .collect(),
        })
        .collect();
    let pairs = matrix
        .pairs
        .iter()
        .map(|pair| {
            let (mentor, reason) = match &pair.mentor {
                Some((unit, score, high, tutors)) => (
                    unit.short_name.clone(),
                    format!(
                        "сильная сторона: {}; {}, из них тьюторов — {}{}",
                        percent(*score),
                        vsoko_app::words::counted(
                            *high as usize,
                            "педагог высокого уровня",
                            "педагога высокого уровня",
                            "педагогов высокого уровня"
                        ),
                        tutors,
                        match (
                            vsoko_app::strengths::district_distance(&pair.mentee, unit),
                            &unit.district
                        ) {
                            (Some(0), Some(district)) => format!("; тот же район — {district}"),
                            _ => String::new(),
                        }
                    ),
                ),
                None => (
                    "не найдена".to_owned(),
                    "нет свободного детского сада с сильной стороной по этой области".to_owned(),
                ),
            };
            PairLine {
                proposal: proposal(
                    matrix,
                    &pair.area.0,
                    (pair.mentee.id.get(), None),
                    pair.mentor.as_ref().map(|(unit, ..)| (unit.id.get(), None)),
                    pair.proposed,
                ),
                mentee: pair.mentee.short_name.clone(),
                area: format!("{} {}", pair.area.0, pair.area.1),
                mentee_score: percent(pair.mentee_score),
                mentor,
                reason,
                alternatives: pair
                    .alternatives
                    .iter()
                    .map(|unit| unit.short_name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();
    html(&StrengthsPage {
        layout,
        instruments,
        periods,
        has_matrix: true,
        rules: matrix.rules.text(),
        pair_rule: format!(
            "Пара предлагается детскому саду с дефицитом по области: детский сад с сильной стороной по ней, сначала с более высоким результатом, затем с меньшей нагрузкой; один детский сад наставляет не больше {}. Это предложение: решение о паре принимают заведующие детских садов и методист.",
            vsoko_app::words::counted(
                matrix.pair_rules.cap as usize,
                "дефицита",
                "дефицитов",
                "дефицитов"
            )
        ),
        summary: cells_text(matrix),
        teacher_rule: vsoko_app::strengths::teacher_pair_rule(),
        teacher_pairs: matrix
            .teacher_pairs
            .iter()
            .map(|pair| {
                let who = |teacher: &vsoko_app::strengths::PairedTeacher| {
                    format!(
                        "{} ({}, {}{})",
                        teacher.person.full_name,
                        teacher.kindergarten,
                        percent(teacher.score),
                        if teacher.tutor { ", тьютор" } else { "" }
                    )
                };
                TeacherPairView {
                    proposal: proposal(
                        matrix,
                        &pair.area.0,
                        (
                            pair.mentee.person.kindergarten_id.get(),
                            Some(pair.mentee.person.id.get()),
                        ),
                        pair.mentor.as_ref().map(|mentor| {
                            (
                                mentor.person.kindergarten_id.get(),
                                Some(mentor.person.id.get()),
                            )
                        }),
                        pair.proposed,
                    ),
                    area: format!("{} {}", pair.area.0, pair.area.1),
                    mentee: who(&pair.mentee),
                    mentor: pair.mentor.as_ref().map_or_else(
                        || "нет свободного наставника в другом детском саду".to_owned(),
                        who,
                    ),
                }
            })
            .collect(),
        areas: matrix.areas.clone(),
        rows,
        pairs,
        downloads: vec![
            (
                format!("/network/strengths?{query}&format=xlsx"),
                "Скачать XLSX",
            ),
            (
                format!("/network/strengths?{query}&format=csv-ru"),
                "CSV для Excel",
            ),
        ],
    })
}
