//! Mentoring pairs across kindergartens: the department proposes a pair from the strengths
//! matrix and sees them all; a head sees the pairs her kindergarten is a side of and agrees or
//! withdraws. Who may do what is the use case's (`vsoko_app::mentoring`).

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::mentoring::{PairRequest, PairView, agreed_text};
use vsoko_app::reports::ReportOf;
use vsoko_app::{App, Workplace, today};
use vsoko_domain::{KindergartenId, PersonId};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::confirm::Confirm;
use crate::view::{html, see_other};

struct PairLine {
    id: i64,
    area: String,
    mentee: String,
    mentor: String,
    state: &'static str,
    agreed: String,
    may_agree: bool,
    may_withdraw: bool,
}

#[derive(Template)]
#[template(path = "mentoring.html")]
struct MentoringPage {
    layout: Layout,
    heading: String,
    network: bool,
    pairs: Vec<PairLine>,
}

fn line(view: &PairView) -> PairLine {
    let who = |person: &Option<vsoko_domain::Person>, unit: &str| match person {
        Some(person) => format!("{} ({unit})", person.full_name),
        None => unit.to_owned(),
    };
    PairLine {
        id: view.pair.id,
        area: format!("{} {}", view.pair.area, view.area_title),
        mentee: who(&view.mentee, &view.mentee_kindergarten.short_name),
        mentor: who(&view.mentor, &view.mentor_kindergarten.short_name),
        state: view.state.label(),
        agreed: agreed_text(view),
        may_agree: view.may_agree.is_some(),
        may_withdraw: view.may_withdraw,
    }
}

/// Where the caller's list of pairs is.
fn home(viewer: &Viewer) -> String {
    match viewer.principal.workplace() {
        Workplace::Kindergarten(id) => format!("/kindergartens/{id}/mentoring"),
        _ => "/network/mentoring".to_owned(),
    }
}

async fn page(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    done: &crate::view::Done,
) -> Result<HttpResponse, PageError> {
    let pairs = app.mentoring_pairs(&viewer.principal, of, today()).await?;
    let (heading, section) = match of {
        ReportOf::Network => ("Наставнические пары сети", "network-strengths"),
        _ => ("Наставнические пары", "mentoring"),
    };
    html(&MentoringPage {
        layout: Layout::signed_in(viewer, heading, section).with_notice(done.notice()),
        heading: heading.to_owned(),
        network: matches!(of, ReportOf::Network),
        pairs: pairs.iter().map(line).collect(),
    })
}

/// `GET /network/mentoring`.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    page(&app, &viewer, ReportOf::Network, &done).await
}

/// `GET /kindergartens/{id}/mentoring`.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let of = ReportOf::Kindergarten(KindergartenId::new(path.into_inner()));
    page(&app, &viewer, of, &done).await
}

fn id_of(form: &PostedForm, name: &str) -> Option<i64> {
    form.text(name).trim().parse().ok()
}

/// `POST /network/mentoring-pairs`: the department proposes a pair from the matrix.
pub(crate) async fn propose(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (Some(mentee), Some(mentor)) = (
        id_of(&form, "mentee_kindergarten"),
        id_of(&form, "mentor_kindergarten"),
    ) else {
        return Err(PageError::NotFound);
    };
    let request = PairRequest {
        instrument: form.text("instrument"),
        area: form.text("area"),
        mentee_kindergarten: KindergartenId::new(mentee),
        mentor_kindergarten: KindergartenId::new(mentor),
        mentee_person: id_of(&form, "mentee_person").map(PersonId::new),
        mentor_person: id_of(&form, "mentor_person").map(PersonId::new),
    };
    app.propose_pair(&viewer.principal, &request, today())
        .await?;
    Ok(see_other("/network/mentoring?done=pair-proposed"))
}

/// `POST /mentoring-pairs/{id}/agree`: the head of a side agrees.
pub(crate) async fn agree(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.agree_pair(&viewer.principal, path.into_inner()).await?;
    Ok(see_other(&format!("{}?done=pair-agreed", home(&viewer))))
}

/// `GET /mentoring-pairs/{id}/withdraw`: what withdrawing does, and the button.
pub(crate) async fn confirm_withdraw(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let view = app
        .mentoring_pairs(&viewer.principal, own_scope(&viewer), today())
        .await?
        .into_iter()
        .find(|view| view.pair.id == id && view.may_withdraw)
        .ok_or(PageError::NotFound)?;
    let pair = line(&view);
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Отзыв пары", "mentoring"),
        heading: "Отозвать наставническую пару?".to_owned(),
        lines: vec![
            format!("{}: {} — наставник {}.", pair.area, pair.mentee, pair.mentor),
            "Отозванная пара остаётся в истории; вернуть её нельзя — методист может предложить пару заново."
                .to_owned(),
        ],
        action: format!("/mentoring-pairs/{id}/withdraw"),
        button: "Отозвать пару",
        back: home(&viewer),
    })
}

/// The pairs the caller sees: her kindergarten's, or the network's.
fn own_scope(viewer: &Viewer) -> ReportOf {
    match viewer.principal.workplace() {
        Workplace::Kindergarten(id) => ReportOf::Kindergarten(id),
        _ => ReportOf::Network,
    }
}

/// `POST /mentoring-pairs/{id}/withdraw`.
pub(crate) async fn withdraw(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.withdraw_pair(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other(&format!("{}?done=pair-withdrawn", home(&viewer))))
}
