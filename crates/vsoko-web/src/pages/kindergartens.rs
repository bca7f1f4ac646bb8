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

#[derive(Template)]
#[template(path = "kindergartens.html")]
struct KindergartensPage {
    layout: Layout,
    kindergartens: Vec<KindergartenLine>,
    creates: bool,
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
