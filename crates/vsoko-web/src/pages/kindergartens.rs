//! «Детские сады»: the network's kindergartens with their heads; administrators add one.

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::lists::{KindergartenLine, kindergarten_lines};
use crate::view::refusal::refusal;
use crate::view::{Done, html, html_status, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::App;
use vsoko_domain::{Kindergarten, KindergartenId};

#[derive(Template)]
#[template(path = "kindergartens.html")]
struct KindergartensPage {
    layout: Layout,
    kindergartens: Vec<KindergartenLine>,
    creates: bool,
    sets_districts: bool,
    errors: FieldErrors,
    number: String,
    short_name: String,
    full_name: String,
}

async fn kindergartens_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    values: [String; 3],
    notice: Option<String>,
) -> Result<KindergartensPage, PageError> {
    let rights = app.network_rights(&viewer.principal)?;
    let kindergartens = app.kindergarten_entries(&viewer.principal).await?;
    let [number, short_name, full_name] = values;
    Ok(KindergartensPage {
        layout: Layout::signed_in(viewer, "Детские сады", "kindergartens").with_notice(notice),
        kindergartens: kindergarten_lines(&kindergartens),
        creates: rights.creates_kindergartens,
        sets_districts: rights.sets_rules,
        errors,
        number,
        short_name,
        full_name,
    })
}

/// `GET /network/kindergartens`.
pub(crate) async fn kindergartens(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(
        &kindergartens_page(
            &app,
            &viewer,
            FieldErrors::default(),
            Default::default(),
            done.notice(),
        )
        .await?,
    )
}

/// `POST /network/kindergartens` (administrators).
pub(crate) async fn create_kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = [
        form.text("number"),
        form.text("short_name"),
        form.text("full_name"),
    ];
    let ids = [
        ("number", "number"),
        ("short_name", "short_name"),
        ("full_name", "full_name"),
    ];
    let result = app
        .create_kindergarten(
            &viewer.principal,
            vsoko_app::org::KindergartenInput {
                number: values[0].clone(),
                short_name: values[1].clone(),
                full_name: values[2].clone(),
            },
        )
        .await;
    let taken = ("number", "детский сад с таким номером уже есть в сети");
    match refusal(result, Some(taken))? {
        Ok(_) => Ok(see_other("/network/kindergartens?done=kindergarten")),
        Err(refused) => html_status(
            refused.status,
            &kindergartens_page(
                &app,
                &viewer,
                FieldErrors::of(&refused.errors, &ids),
                values,
                None,
            )
            .await?,
        ),
    }
}

#[derive(Template)]
#[template(path = "kindergarten_district.html")]
struct DistrictPage {
    layout: Layout,
    kindergarten: String,
    action: String,
    errors: FieldErrors,
    district: String,
}

fn district_page(
    viewer: &Viewer,
    kindergarten: &Kindergarten,
    errors: FieldErrors,
    district: String,
) -> DistrictPage {
    DistrictPage {
        layout: Layout::signed_in(viewer, "Район детского сада", "kindergartens"),
        kindergarten: kindergarten.short_name.clone(),
        action: format!("/network/kindergartens/{}/district", kindergarten.id),
        errors,
        district,
    }
}

/// `GET /network/kindergartens/{id}/district` (the department).
pub(crate) async fn district(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    app.network_rights(&viewer.principal)?;
    let kindergarten = app
        .kindergarten(&viewer.principal, KindergartenId::new(path.into_inner()))
        .await?;
    let district = kindergarten.district.clone().unwrap_or_default();
    html(&district_page(
        &viewer,
        &kindergarten,
        FieldErrors::default(),
        district,
    ))
}

/// `POST /network/kindergartens/{id}/district`.
pub(crate) async fn save_district(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = KindergartenId::new(path.into_inner());
    let district = form.text("district");
    match refusal(
        app.set_kindergarten_district(&viewer.principal, id, &district)
            .await,
        None,
    )? {
        Ok(_) => Ok(see_other("/network/kindergartens?done=district-saved")),
        Err(refused) => {
            let kindergarten = app.kindergarten(&viewer.principal, id).await?;
            html_status(
                refused.status,
                &district_page(
                    &viewer,
                    &kindergarten,
                    FieldErrors::of(&refused.errors, &[("district", "district")]),
                    district,
                ),
            )
        }
    }
}
