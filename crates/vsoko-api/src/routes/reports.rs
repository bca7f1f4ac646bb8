//! Reports per teacher, kindergarten and network, with optional dynamics and CSV.
//!
//! Teacher and kindergarten tables are the mean of the latest submissions' valid node scores
//! (what `vsoko_scoring::aggregate` computes per kindergarten); the network table is
//! `vsoko_scoring::aggregate`'s network result: the mean over kindergartens (each counts once) and
//! the pooled mean over submissions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get};
use vsoko_checklist::{Instrument, Subject, round6};
use vsoko_scoring::{NodeKind, ScoreTable, ScoredSubmission, aggregate_table};
use vsoko_storage::{Kindergarten, Network, Scope, StorageError};

use crate::auth::Principal;
use crate::dto::problem::Problem;
use crate::dto::reports::{KindergartenRow, ReportDto, ReportQuery, ReportRow, TeacherRow};
use crate::dto::submissions::{InstrumentRef, LevelDto};
use crate::error::{ApiError, ApiResult};
use crate::export::{FileFormat, report_file_name, report_sheets};
use crate::state::{AppState, ResolvedInstrument};

/// A drop of this many percentage points or more is flagged.
const DROP_PP: f64 = 5.0;

/// One teacher's results: the person, their head and the network's managers (and admins).
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id of the teacher"), ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv, csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/teachers/{id}")]
pub(crate) async fn teacher_report(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let person = state.store.person(*id).await?;
    let kindergarten = state.store.kindergarten(person.kindergarten_id).await?;
    principal.check_person(&person, &kindergarten)?;
    let format = report_format(&query)?;
    let stored = resolve_instrument(&state, &query).await?;
    let instrument = &stored.instrument;
    if instrument.subject() != Subject::Teacher {
        return Err(ApiError::invalid_field(
            "instrument",
            "not_about_teachers",
            format!("{} does not assess teachers", instrument.id()),
        ));
    }
    let subject = person.id.to_string();
    let scope = Scope::Kindergarten(kindergarten.id);
    let mut submissions = load(&state, scope, &query.period, &stored).await?;
    submissions.retain(|submission| submission.subject == subject);
    let mut rows = pooled_rows(instrument, &submissions);
    if let Some(compare) = &query.compare_period {
        let mut before = load(&state, scope, compare, &stored).await?;
        before.retain(|submission| submission.subject == subject);
        add_dynamics(&mut rows, &pooled_rows(instrument, &before));
    }
    let report = ReportDto {
        scope: "teacher".into(),
        scope_id: person.id,
        scope_name: person.full_name.clone(),
        instrument: instrument_ref(instrument),
        instrument_title: instrument.title().to_owned(),
        period: query.period.clone(),
        compare_period: query.compare_period.clone(),
        n_submissions: submissions.len() as u32,
        rows,
        teachers: Vec::new(),
        kindergartens: Vec::new(),
    };
    respond(&report, format)
}

/// One kindergarten: its head, the network's managers, admins. For instruments about teachers the
/// report lists the teachers with their levels.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv, csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/kindergartens/{id}")]
pub(crate) async fn kindergarten_report(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_kindergarten_report(&kindergarten)?;
    let format = report_format(&query)?;
    let report = kindergarten_report_dto(
        &state,
        &kindergarten,
        &query,
        principal.may_see_teacher_names(),
    )
    .await?;
    respond(&report, format)
}

/// The kindergarten report (shared with `vsoko export`); `named`: whether teacher names may appear.
pub(crate) async fn kindergarten_report_dto(
    state: &AppState,
    kindergarten: &Kindergarten,
    query: &ReportQuery,
    named: bool,
) -> ApiResult<ReportDto> {
    let stored = resolve_instrument(state, query).await?;
    let instrument = &stored.instrument;
    let scope = Scope::Kindergarten(kindergarten.id);
    let submissions = load(state, scope, &query.period, &stored).await?;
    let mut rows = pooled_rows(instrument, &submissions);
    if let Some(compare) = &query.compare_period {
        let before = load(state, scope, compare, &stored).await?;
        add_dynamics(&mut rows, &pooled_rows(instrument, &before));
    }
    let mut teachers = Vec::new();
    if instrument.subject() == Subject::Teacher && named {
        let names: HashMap<String, String> = state
            .store
            .people(kindergarten.id)
            .await?
            .into_iter()
            .map(|person| (person.id.to_string(), person.full_name))
            .collect();
        let mut by_teacher: BTreeMap<&str, Vec<ScoredSubmission>> = BTreeMap::new();
        for submission in &submissions {
            by_teacher
                .entry(submission.subject.as_str())
                .or_default()
                .push(submission.clone());
        }
        for (subject, own) in by_teacher {
            let total = pooled_rows(instrument, &own).swap_remove(0);
            teachers.push(TeacherRow {
                person_id: subject.parse().unwrap_or_default(),
                full_name: names.get(subject).cloned().unwrap_or_default(),
                score: total.score,
                level: total.level,
                n: total.n,
                deficit: total.deficit,
            });
        }
        teachers.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    }
    let report = ReportDto {
        scope: "kindergarten".into(),
        scope_id: kindergarten.id,
        scope_name: kindergarten.short_name.clone(),
        instrument: instrument_ref(instrument),
        instrument_title: instrument.title().to_owned(),
        period: query.period.clone(),
        compare_period: query.compare_period.clone(),
        n_submissions: submissions.len() as u32,
        rows,
        teachers,
        kindergartens: Vec::new(),
    };
    Ok(report)
}

/// The caller's network: managers and admins. Scores are the mean over kindergartens;
/// `pooled_score` the mean over submissions; kindergartens are ranked.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv, csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/network")]
pub(crate) async fn network_report(
    state: Data<AppState>,
    principal: Principal,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    principal.check_network_report()?;
    let format = report_format(&query)?;
    let network = state.store.network(principal.network_id()).await?;
    let report = network_report_dto(&state, &network, &query).await?;
    respond(&report, format)
}

/// The network report (shared with `vsoko export`).
pub(crate) async fn network_report_dto(
    state: &AppState,
    network: &Network,
    query: &ReportQuery,
) -> ApiResult<ReportDto> {
    let stored = resolve_instrument(state, query).await?;
    let instrument = &stored.instrument;
    let scope = Scope::Network(network.id);
    // Each period is read and aggregated in a pipeline of its own, both at once: two database
    // connections, then two aggregation threads.
    let period = |code: String| {
        let (stored, instrument) = (&stored, Arc::clone(instrument));
        async move {
            let table = load_table(state, scope, &code, stored).await?;
            let n = table.len() as u32;
            Ok::<_, ApiError>((n, off_runtime(instrument, table, network_rows).await??))
        }
    };
    let (current, before) = match &query.compare_period {
        Some(compare) => {
            let (current, before) =
                tokio::join!(period(query.period.clone()), period(compare.clone()));
            (current?, Some(before?.1))
        }
        None => (period(query.period.clone()).await?, None),
    };
    let (n_submissions, current) = current;
    let (mut rows, mut kindergartens) = current;
    if let Some((before_rows, before_kindergartens)) = before {
        add_dynamics(&mut rows, &before_rows);
        let earlier: HashMap<i64, f64> = before_kindergartens
            .iter()
            .map(|row| (row.id, row.score))
            .collect();
        for row in &mut kindergartens {
            row.delta = earlier.get(&row.id).map(|before| row.score - before);
        }
    }
    let names: HashMap<i64, String> = state
        .store
        .kindergartens(scope)
        .await?
        .into_iter()
        .map(|kindergarten| (kindergarten.id, kindergarten.short_name))
        .collect();
    for row in &mut kindergartens {
        row.short_name = names.get(&row.id).cloned().unwrap_or_default();
    }
    let report = ReportDto {
        scope: "network".into(),
        scope_id: network.id,
        scope_name: network.name.clone(),
        instrument: instrument_ref(instrument),
        instrument_title: instrument.title().to_owned(),
        period: query.period.clone(),
        compare_period: query.compare_period.clone(),
        n_submissions,
        rows,
        teachers: Vec::new(),
        kindergartens,
    };
    Ok(report)
}

/// Runs a polars aggregation on a thread of its own: polars blocks on its own async runtime and
/// must not see the actix worker's single-threaded tokio runtime.
async fn off_runtime<T: Send + 'static>(
    instrument: Arc<Instrument>,
    table: ScoreTable,
    work: fn(&Instrument, &ScoreTable) -> T,
) -> ApiResult<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("vsoko-report".into())
        .spawn(move || {
            let _ = sender.send(work(&instrument, &table));
        })
        .map_err(anyhow::Error::from)?;
    receiver
        .await
        .map_err(|_| ApiError::Unexpected(anyhow::anyhow!("the report thread failed")))
}

async fn resolve_instrument(
    state: &AppState,
    query: &ReportQuery,
) -> ApiResult<ResolvedInstrument> {
    state
        .instrument(&query.instrument, query.version)
        .await
        .map_err(|error| match error {
            StorageError::NotFound { .. } => {
                ApiError::invalid_field("instrument", "unknown", "unknown instrument or version")
            }
            other => other.into(),
        })
}

async fn load(
    state: &AppState,
    scope: Scope,
    period: &str,
    stored: &ResolvedInstrument,
) -> ApiResult<Vec<ScoredSubmission>> {
    let id = stored.instrument.id();
    state
        .store
        .load_scores(scope, period, id.code.as_str(), id.version)
        .await
        .map_err(|error| match error {
            StorageError::NotFound {
                entity: "period", ..
            } => ApiError::invalid_field("period", "unknown", format!("unknown period {period}")),
            other => other.into(),
        })
}

/// The network report's input: the latest scores in scope as one table.
async fn load_table(
    state: &AppState,
    scope: Scope,
    period: &str,
    stored: &ResolvedInstrument,
) -> ApiResult<ScoreTable> {
    state
        .store
        .load_score_table(scope, period, &stored.instrument)
        .await
        .map_err(|error| match error {
            StorageError::NotFound {
                entity: "period", ..
            } => ApiError::invalid_field("period", "unknown", format!("unknown period {period}")),
            other => other.into(),
        })
}

fn instrument_ref(instrument: &Instrument) -> InstrumentRef {
    InstrumentRef {
        code: instrument.id().code.to_string(),
        version: instrument.id().version,
    }
}

/// The nodes of an instrument in report order with their titles.
fn nodes(instrument: &Instrument) -> Vec<(NodeKind, String, String)> {
    let mut nodes = vec![(
        NodeKind::Total,
        instrument.id().code.to_string(),
        instrument.title().to_owned(),
    )];
    for area in instrument.areas() {
        nodes.push((
            NodeKind::Area,
            area.code().to_string(),
            area.title().to_owned(),
        ));
        for indicator in area.indicators() {
            nodes.push((
                NodeKind::Indicator,
                indicator.code().to_string(),
                indicator.title().to_owned(),
            ));
        }
    }
    nodes
}

fn level(instrument: &Instrument, percent: f64) -> LevelDto {
    let band = instrument.levels().level_of(percent);
    LevelDto {
        code: band.code().to_string(),
        name: band.name().to_owned(),
    }
}

fn empty_row(kind: NodeKind, code: String, title: String) -> ReportRow {
    ReportRow {
        kind: kind.as_str().to_owned(),
        code,
        title,
        score: None,
        level: None,
        n: 0,
        deficit: false,
        critical: false,
        pooled_score: None,
        before: None,
        delta: None,
        drop: false,
    }
}

/// Mean of the submissions' valid scores per node. With a single submission its own level is kept
/// (a critical violation caps it); a mean of several gets the level of the mean.
fn pooled_rows(instrument: &Instrument, submissions: &[ScoredSubmission]) -> Vec<ReportRow> {
    let threshold = instrument.deficit_threshold().get();
    nodes(instrument)
        .into_iter()
        .map(|(kind, code, title)| {
            let scored: Vec<_> = submissions
                .iter()
                .filter_map(|submission| submission.score.node(kind, &code))
                .collect();
            let valid: Vec<f64> = scored.iter().filter_map(|node| node.percent).collect();
            let critical = scored.iter().any(|node| node.critical);
            let mut row = empty_row(kind, code, title);
            row.critical = critical;
            row.n = valid.len() as u32;
            if !valid.is_empty() {
                let mean = valid.iter().sum::<f64>() / valid.len() as f64;
                row.score = Some(mean);
                row.deficit = round6(mean) < threshold;
                row.level = match (&scored[..], valid.len()) {
                    ([only], 1) => only.level.as_ref().map(|code| LevelDto {
                        code: code.clone(),
                        name: crate::routes::submissions::level_name(instrument)(code),
                    }),
                    _ => Some(level(instrument, mean)),
                };
            }
            row
        })
        .collect()
}

fn network_rows(
    instrument: &Instrument,
    table: &ScoreTable,
) -> ApiResult<(Vec<ReportRow>, Vec<KindergartenRow>)> {
    if table.is_empty() {
        return Ok((pooled_rows(instrument, &[]), Vec::new()));
    }
    let report = aggregate_table(instrument, table)?;
    let threshold = instrument.deficit_threshold().get();
    let rows = nodes(instrument)
        .into_iter()
        .map(|(kind, code, title)| {
            let critical = table.is_critical(kind, &code);
            let mut row = empty_row(kind, code, title);
            row.critical = critical;
            if let Some(node) = report
                .network
                .iter()
                .find(|node| node.kind == kind && node.code == row.code)
            {
                row.score = Some(node.mean_of_kindergartens);
                row.pooled_score = Some(node.pooled_mean);
                row.n = node.n_submissions;
                row.deficit = round6(node.mean_of_kindergartens) < threshold;
                row.level = Some(level(instrument, node.mean_of_kindergartens));
            }
            row
        })
        .collect();
    let mut kindergartens: Vec<KindergartenRow> = report
        .totals
        .iter()
        .map(|total| KindergartenRow {
            id: total.kindergarten.parse().unwrap_or_default(),
            short_name: String::new(),
            score: total.mean,
            level: level(instrument, total.mean),
            n: total.n,
            rank: total.rank,
            delta: None,
        })
        .collect();
    kindergartens.sort_by_key(|row| (row.rank, row.id));
    Ok((rows, kindergartens))
}

fn add_dynamics(rows: &mut [ReportRow], before: &[ReportRow]) {
    for row in rows {
        let earlier = before
            .iter()
            .find(|other| other.kind == row.kind && other.code == row.code)
            .and_then(|other| other.score);
        row.before = earlier;
        if let (Some(after), Some(before)) = (row.score, earlier) {
            let delta = after - before;
            row.delta = Some(delta);
            row.drop = round6(delta) <= -DROP_PP;
        }
    }
}

/// The requested format: JSON (`None`), the historical CSV (`csv`), or an Excel file.
enum ReportFormat {
    Json,
    Csv,
    File(FileFormat),
}

fn report_format(query: &ReportQuery) -> ApiResult<ReportFormat> {
    match query.format.as_deref() {
        None | Some("json") => Ok(ReportFormat::Json),
        Some("csv") => Ok(ReportFormat::Csv),
        Some(other) => FileFormat::parse(other, query.decimal_comma.unwrap_or(false))
            .map(ReportFormat::File)
            .ok_or_else(|| {
                ApiError::invalid_field(
                    "format",
                    "unknown_format",
                    "format is json, csv, csv-ru or xlsx",
                )
            }),
    }
}

fn respond(report: &ReportDto, format: ReportFormat) -> ApiResult<HttpResponse> {
    match format {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(report)),
        ReportFormat::Csv => Ok(respond_csv(report)),
        ReportFormat::File(format) => {
            let body = format.write(&report_sheets(report))?;
            Ok(HttpResponse::Ok()
                .content_type(format.content_type())
                .insert_header((
                    "Content-Disposition",
                    format!(
                        "attachment; filename=\"{}\"",
                        report_file_name(report, format)
                    ),
                ))
                .body(body))
        }
    }
}

fn respond_csv(report: &ReportDto) -> HttpResponse {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let number = |value: Option<f64>| value.map(|v| format!("{v:.1}")).unwrap_or_default();
    let _ = writer.write_record([
        "kind",
        "code",
        "title",
        "score",
        "level_code",
        "level_name",
        "n",
        "deficit",
        "critical",
        "before",
        "delta",
        "drop",
    ]);
    for row in &report.rows {
        let _ = writer.write_record([
            row.kind.clone(),
            row.code.clone(),
            row.title.clone(),
            number(row.score),
            row.level
                .as_ref()
                .map(|l| l.code.clone())
                .unwrap_or_default(),
            row.level
                .as_ref()
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            row.n.to_string(),
            row.deficit.to_string(),
            row.critical.to_string(),
            number(row.before),
            number(row.delta),
            row.drop.to_string(),
        ]);
    }
    let body = writer.into_inner().unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"vsoko-{}-{}-{}.csv\"",
                report.scope, report.instrument.code, report.period
            ),
        ))
        .body(body)
}
