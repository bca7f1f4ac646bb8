//! Повышение квалификации: a kindergarten's training records and the coverage they give — the
//! department's sentence, the three-year rule, адресность, who needs courses next school year —
//! with a form to add a record and withdrawing one asked first; the network's coverage page.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::App;
use vsoko_app::export::FileFormat;
use vsoko_app::reports::ReportOf;
use vsoko_app::training::{
    CategoryCoverage, CoverageView, Need, ProviderType, StudyForm, TrainingEntry, TrainingForm,
    TrainingKind, coverage_chart, coverage_file_name, coverage_sheets,
};
use vsoko_domain::{Kindergarten, KindergartenId, TrainingRecordId};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::confirm::Confirm;
use crate::view::refusal::refusal;
use crate::view::targets::{TargetRow, target_rows};
use crate::view::{Done, attachment, html, html_status, see_other};

use vsoko_app::today;

/// One category's figures as the page says them.
struct CategoryLine {
    label: &'static str,
    active: u32,
    covered: String,
    trained: String,
}

fn category_line(label: &'static str, coverage: &CategoryCoverage) -> CategoryLine {
    let delivery = coverage.window.delivery;
    CategoryLine {
        label,
        active: coverage.active,
        covered: match coverage.covered_share() {
            Some(share) => format!("{} из {} ({})", share.part, share.whole, share.text()),
            None => "недостаточно данных".to_owned(),
        },
        trained: if delivery.total() == 0 {
            "нет".to_owned()
        } else {
            format!(
                "{}: очно {}, с применением ДОТ {}",
                delivery.total(),
                delivery.in_person,
                delivery.distance
            )
        },
    }
}

struct AreaLine {
    area: String,
    with_deficit: u32,
    addressed: u32,
}

struct NeedLine {
    name: String,
    kindergarten: String,
    reason: String,
}

struct UnitLine {
    name: String,
    href: String,
    teachers: CategoryLine,
    management: CategoryLine,
    needs: usize,
}

/// The coverage as both pages show it.
struct CoverageLines {
    /// The files of the coverage: (address, label).
    downloads: Vec<(String, &'static str)>,
    targets: Vec<TargetRow>,
    /// The chart (SVG, with its text alternative inside).
    chart: String,
    sentence: String,
    year: String,
    next_year: String,
    categories: Vec<CategoryLine>,
    areas: Vec<AreaLine>,
    needs: Vec<NeedLine>,
    units: Vec<UnitLine>,
}

fn coverage_lines(view: &CoverageView) -> CoverageLines {
    let network = &view.report.network;
    let base = match &view.kindergarten {
        Some(unit) => format!("/kindergartens/{}/training/file", unit.id),
        None => "/network/training/file".to_owned(),
    };
    let unit_name = |id: &KindergartenId| view.kindergartens.get(id).cloned().unwrap_or_default();
    CoverageLines {
        downloads: vec![
            (format!("{base}?format=xlsx"), "Скачать XLSX"),
            (format!("{base}?format=csv-ru"), "Скачать CSV для Excel"),
        ],
        targets: target_rows(&view.targets),
        chart: vsoko_exchange::chart::svg(&coverage_chart(view)),
        sentence: view.sentence.clone(),
        year: view.year.to_string(),
        next_year: view.forecast.year.to_string(),
        categories: vec![
            category_line("Педагоги", &network.teachers),
            category_line("Управленческая команда", &network.management),
        ],
        areas: network
            .teachers
            .addressing
            .iter()
            .map(|area| AreaLine {
                area: area.area.clone(),
                with_deficit: area.with_deficit,
                addressed: area.addressed,
            })
            .collect(),
        needs: view
            .forecast
            .kindergartens
            .iter()
            .flat_map(|unit| {
                unit.people.iter().map(move |entry| NeedLine {
                    name: view.names.get(&entry.person).cloned().unwrap_or_default(),
                    // The kindergarten is named on the network's page only.
                    kindergarten: if view.kindergarten.is_some() {
                        String::new()
                    } else {
                        unit_name(&unit.kindergarten)
                    },
                    reason: match entry.need {
                        Need::NoTraining => "нет сведений о КПК".to_owned(),
                        Need::Lapsed { on } => {
                            format!("срок истёк {}", format::date(on))
                        }
                        Need::OutBeforeYear { on } | Need::LeavesDuringYear { on } => {
                            format!("срок истекает {}", format::date(on))
                        }
                    },
                })
            })
            .collect(),
        units: view
            .report
            .kindergartens
            .iter()
            .map(|unit| UnitLine {
                name: unit_name(&unit.kindergarten),
                href: format!("/kindergartens/{}/training", unit.kindergarten),
                teachers: category_line("Педагоги", &unit.coverage.teachers),
                management: category_line("Управленческая команда", &unit.coverage.management),
                needs: view
                    .forecast
                    .kindergartens
                    .iter()
                    .find(|entry| entry.kindergarten == unit.kindergarten)
                    .map_or(0, |entry| entry.people.len()),
            })
            .collect(),
    }
}

struct RecordLine {
    person: String,
    programme: String,
    provider: String,
    kind: &'static str,
    hours: u32,
    dates: String,
    form: String,
    document: String,
    warnings: Vec<String>,
    edit: String,
    withdraw: String,
}

fn record_line(entry: &TrainingEntry) -> RecordLine {
    let record = &entry.stored.record;
    RecordLine {
        person: entry.person_name.clone(),
        programme: record.programme.clone(),
        provider: format!("{} ({})", record.provider, record.provider_type.label()),
        kind: record.kind.label(),
        hours: record.hours,
        dates: format!(
            "{} – {}",
            format::date(record.start),
            format::date(record.end)
        ),
        form: if record.distance {
            format!("{}, с ДОТ", record.form.label())
        } else {
            record.form.label().to_owned()
        },
        document: match (&record.document_number, record.issued) {
            (Some(number), Some(issued)) => format!("№ {number} от {}", format::date(issued)),
            (Some(number), None) => format!("№ {number}"),
            _ => "—".to_owned(),
        },
        warnings: entry
            .warnings
            .iter()
            .map(|problem| problem.message.clone())
            .collect(),
        edit: format!("/training-records/{}/edit", entry.stored.id),
        withdraw: format!("/training-records/{}/withdraw", entry.stored.id),
    }
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage {
    layout: Layout,
    kindergarten: Kindergarten,
    coverage: CoverageLines,
    records: Vec<RecordLine>,
    people: Vec<Choice>,
    choices: RecordChoices,
    errors: FieldErrors,
    values: TrainingForm,
}

/// The options of the record form's selects, the form's values chosen.
struct RecordChoices {
    kinds: Vec<Choice>,
    providers: Vec<Choice>,
    forms: Vec<Choice>,
}

fn record_choices(values: &TrainingForm) -> RecordChoices {
    RecordChoices {
        kinds: choices(
            &TrainingKind::ALL,
            TrainingKind::code,
            TrainingKind::label,
            &values.kind,
        ),
        providers: choices(
            &ProviderType::ALL,
            ProviderType::code,
            ProviderType::label,
            &values.provider_type,
        ),
        forms: choices(
            &StudyForm::ALL,
            StudyForm::code,
            StudyForm::label,
            &values.form,
        ),
    }
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|value| Choice {
            value: code(*value).to_owned(),
            label: label(*value).to_owned(),
            selected: code(*value) == selected,
        })
        .collect()
}

async fn training_page(
    app: &App,
    viewer: &Viewer,
    id: i64,
    errors: FieldErrors,
    values: TrainingForm,
    notice: Option<String>,
) -> Result<TrainingPage, PageError> {
    let id = KindergartenId::new(id);
    let training = app
        .kindergarten_training(&viewer.principal, id, today())
        .await?;
    let view = app
        .training_coverage(&viewer.principal, ReportOf::Kindergarten(id), today())
        .await?;
    let people = training
        .people
        .iter()
        .map(|person| Choice {
            value: person.id.to_string(),
            label: format!("{} — {}", person.full_name, person.position),
            selected: person.id.to_string() == values.person_id,
        })
        .collect();
    Ok(TrainingPage {
        layout: Layout::signed_in(viewer, "Повышение квалификации", "training").with_notice(notice),
        coverage: coverage_lines(&view),
        records: training.records.iter().map(record_line).collect(),
        people,
        choices: record_choices(&values),
        kindergarten: training.kindergarten,
        errors,
        values,
    })
}

fn blank_form() -> TrainingForm {
    TrainingForm {
        kind: TrainingKind::QualificationUpgrade.code().to_owned(),
        provider_type: ProviderType::State.code().to_owned(),
        form: StudyForm::FullTime.code().to_owned(),
        ..TrainingForm::default()
    }
}

/// `GET /kindergartens/{id}/training`.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let page = training_page(
        &app,
        &viewer,
        path.into_inner(),
        FieldErrors::default(),
        blank_form(),
        done.notice(),
    )
    .await?;
    html(&page)
}

#[derive(Template)]
#[template(path = "training_own.html")]
struct OwnPage {
    layout: Layout,
    status: String,
    records: Vec<RecordLine>,
}

/// `GET /my-training`: a teacher's own records, read only, and until when her courses count.
pub(crate) async fn own(app: web::Data<App>, viewer: Viewer) -> Result<HttpResponse, PageError> {
    let own = app.own_training(&viewer.principal, today()).await?;
    let today = today();
    let status = match own.last_counted_day(today) {
        None => {
            "Удостоверения о повышении квалификации или диплома о переподготовке в записях нет."
                .to_owned()
        }
        Some((last, false)) => format!(
            "Последнее повышение квалификации учитывается до {} включительно (право на ДПО не реже раза в три года).",
            format::date(last)
        ),
        Some((last, true)) => format!(
            "Последнее повышение квалификации учитывалось до {}: пора пройти курсы.",
            format::date(last)
        ),
    };
    html(&OwnPage {
        layout: Layout::signed_in(&viewer, "Моё обучение", "own-training"),
        status,
        records: own.entries.iter().map(record_line).collect(),
    })
}

/// The fields of the record form, each named as its error is.
const FIELDS: [&str; 14] = [
    "person_id",
    "kind",
    "programme",
    "provider",
    "provider_type",
    "hours",
    "starts_on",
    "ends_on",
    "enrolled_on",
    "form",
    "document_number",
    "registration_number",
    "issued_on",
    "areas",
];

/// The record form as posted.
fn posted_values(form: &PostedForm) -> TrainingForm {
    TrainingForm {
        person_id: form.text("person_id"),
        kind: form.text("kind"),
        programme: form.text("programme"),
        provider: form.text("provider"),
        provider_type: form.text("provider_type"),
        in_federal_register: form.get("in_federal_register").is_some(),
        hours: form.text("hours"),
        starts_on: form.text("starts_on"),
        ends_on: form.text("ends_on"),
        enrolled_on: form.text("enrolled_on"),
        form: form.text("form"),
        distance: form.get("distance").is_some(),
        document_number: form.text("document_number"),
        registration_number: form.text("registration_number"),
        issued_on: form.text("issued_on"),
        areas: form.text("areas"),
    }
}

#[derive(Template)]
#[template(path = "training_edit.html")]
struct EditPage {
    layout: Layout,
    person: String,
    action: String,
    back: String,
    people: Vec<Choice>,
    choices: RecordChoices,
    errors: FieldErrors,
    values: TrainingForm,
}

fn edit_page(
    viewer: &Viewer,
    entry: &TrainingEntry,
    errors: FieldErrors,
    values: TrainingForm,
) -> EditPage {
    EditPage {
        layout: Layout::signed_in(viewer, "Исправить запись об обучении", "training"),
        person: format!("{}: «{}»", entry.person_name, entry.stored.record.programme),
        action: format!("/training-records/{}/edit", entry.stored.id),
        back: format!("/kindergartens/{}/training", entry.stored.kindergarten_id),
        people: Vec::new(),
        choices: record_choices(&values),
        errors,
        values,
    }
}

/// `GET /training-records/{id}/edit`: the record's form, filled in.
pub(crate) async fn edit(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (entry, values) = app
        .training_correction(
            &viewer.principal,
            TrainingRecordId::new(path.into_inner()),
            today(),
        )
        .await?;
    html(&edit_page(&viewer, &entry, FieldErrors::default(), values))
}

/// `POST /training-records/{id}/edit`: the next revision; errors shown at their fields (a
/// record corrected by someone else meanwhile is refused, not overwritten).
pub(crate) async fn correct(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = TrainingRecordId::new(path.into_inner());
    let values = posted_values(&form);
    let result = app
        .correct_training_form(&viewer.principal, id, &values, today())
        .await;
    match refusal(result, None)? {
        Ok(entry) => Ok(see_other(&format!(
            "/kindergartens/{}/training?done=training-corrected",
            entry.stored.kindergarten_id
        ))),
        Err(refused) => {
            let (entry, _) = app
                .training_correction(&viewer.principal, id, today())
                .await?;
            let placed = FieldErrors::of(&refused.errors, &FIELDS.map(|field| (field, field)));
            html_status(refused.status, &edit_page(&viewer, &entry, placed, values))
        }
    }
}

/// `POST /kindergartens/{id}/training`: a record; errors shown at their fields.
pub(crate) async fn add(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let values = posted_values(&form);
    let result = app
        .add_training_form(&viewer.principal, KindergartenId::new(id), &values, today())
        .await;
    match refusal(result, None)? {
        Ok(_) => Ok(see_other(&format!(
            "/kindergartens/{id}/training?done=training"
        ))),
        Err(refused) => {
            let placed = FieldErrors::of(&refused.errors, &FIELDS.map(|field| (field, field)));
            let page = training_page(&app, &viewer, id, placed, values, None).await?;
            html_status(refused.status, &page)
        }
    }
}

/// `GET /training-records/{id}/withdraw`: what withdrawing means, and the button.
pub(crate) async fn confirm_withdraw(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let entry = app
        .training_entry(
            &viewer.principal,
            TrainingRecordId::new(path.into_inner()),
            today(),
        )
        .await?;
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Отзыв записи об обучении", "training"),
        heading: format!(
            "Отозвать запись: {}, «{}»?",
            entry.person_name, entry.stored.record.programme
        ),
        lines: vec![
            "Отзывайте только запись, внесённую по ошибке: она исчезнет из списков и из охвата КПК."
                .to_owned(),
            "В истории изменений и журнале аудита запись останется.".to_owned(),
        ],
        action: format!("/training-records/{}/withdraw", entry.stored.id),
        button: "Отозвать запись",
        back: format!("/kindergartens/{}/training", entry.stored.kindergarten_id),
    })
}

/// `POST /training-records/{id}/withdraw`.
pub(crate) async fn withdraw(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let withdrawn = app
        .withdraw_training(&viewer.principal, TrainingRecordId::new(path.into_inner()))
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/training?done=training-withdrawn",
        withdrawn.kindergarten_id
    )))
}

#[derive(Template)]
#[template(path = "training_network.html")]
struct NetworkTrainingPage {
    layout: Layout,
    coverage: CoverageLines,
}

/// `GET /network/training`: every kindergarten's coverage and the network's.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let view = app
        .training_coverage(&viewer.principal, ReportOf::Network, today())
        .await?;
    html(&NetworkTrainingPage {
        layout: Layout::signed_in(&viewer, "Повышение квалификации в сети", "network-training"),
        coverage: coverage_lines(&view),
    })
}

/// The format of a coverage file.
#[derive(Debug, Deserialize)]
pub(crate) struct FileQuery {
    format: String,
}

fn file(view: &CoverageView, format: &str) -> Result<HttpResponse, PageError> {
    let format = FileFormat::parse(format, true).ok_or(PageError::NotFound)?;
    let body = format.write(&coverage_sheets(view))?;
    Ok(attachment(
        format.content_type(),
        &coverage_file_name(view, format),
        body,
    ))
}

/// `GET /kindergartens/{id}/training/file?format=xlsx|csv-ru`.
pub(crate) async fn kindergarten_file(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .training_coverage(
            &viewer.principal,
            ReportOf::Kindergarten(KindergartenId::new(path.into_inner())),
            today(),
        )
        .await?;
    file(&view, &query.format)
}

/// `GET /network/training/file?format=xlsx|csv-ru`.
pub(crate) async fn network_file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .training_coverage(&viewer.principal, ReportOf::Network, today())
        .await?;
    file(&view, &query.format)
}
