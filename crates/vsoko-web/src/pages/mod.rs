//! The pages, one module per resource. What they share is in `crate::view`; no page imports
//! another.

mod accounts;
mod auth;
mod calendar;
mod completion;
mod dashboards;
pub(crate) mod forms;
mod imports;
mod kindergarten;
mod kindergartens;
mod links;
mod lists;
mod mentoring;
mod network;
mod periods;
mod plan;
mod public;
mod recommendations;
pub(crate) mod results;
mod route;
mod spravka;
mod staff;
mod strengths;
mod training;
mod training_import;

use actix_web::web;

/// Registers every page.
pub(crate) fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(auth::home))
        .route("/static/{name}", web::get().to(crate::assets::serve))
        .route("/login", web::get().to(auth::login_page))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/profile", web::get().to(auth::profile))
        .route("/profile/password", web::post().to(auth::change_password))
        .route("/forms", web::get().to(forms::list))
        .route(
            "/forms/{instrument}/{period}",
            web::get().to(forms::show_new),
        )
        .route(
            "/forms/{instrument}/{period}",
            web::post().to(forms::post_new),
        )
        .route(
            "/forms/{instrument}/{period}/discard",
            web::get().to(forms::confirm_discard_new),
        )
        .route(
            "/forms/{instrument}/{period}/discard",
            web::post().to(forms::discard_new),
        )
        .route("/submissions/{id}", web::get().to(forms::show_submission))
        .route(
            "/submissions/{id}/correct",
            web::get().to(forms::show_correction),
        )
        .route(
            "/submissions/{id}/correct",
            web::post().to(forms::post_correction),
        )
        .route(
            "/submissions/{id}/correct/discard",
            web::get().to(forms::confirm_discard_correction),
        )
        .route(
            "/submissions/{id}/correct/discard",
            web::post().to(forms::discard_correction),
        )
        .route("/kindergartens/{id}", web::get().to(kindergarten::overview))
        .route("/kindergartens/{id}/staff", web::get().to(staff::staff))
        .route(
            "/kindergartens/{id}/staff",
            web::post().to(staff::add_teacher),
        )
        .route(
            "/kindergartens/{id}/groups",
            web::post().to(staff::add_group),
        )
        .route(
            "/kindergartens/{id}/training",
            web::get().to(training::kindergarten),
        )
        .route(
            "/kindergartens/{id}/training",
            web::post().to(training::add),
        )
        .route("/training-records/{id}/edit", web::get().to(training::edit))
        .route(
            "/training-records/{id}/edit",
            web::post().to(training::correct),
        )
        .route(
            "/training-records/{id}/withdraw",
            web::get().to(training::confirm_withdraw),
        )
        .route(
            "/training-records/{id}/withdraw",
            web::post().to(training::withdraw),
        )
        .route("/network/training", web::get().to(training::network))
        .route("/my-training", web::get().to(training::own))
        .route("/my-route", web::get().to(route::own))
        .route(
            "/kindergartens/{id}/routes",
            web::get().to(route::kindergarten),
        )
        .route("/network/routes", web::get().to(route::network))
        .route(
            "/kindergartens/{id}/routes/file",
            web::get().to(route::kindergarten_file),
        )
        .route("/network/routes/file", web::get().to(route::network_file))
        .route("/kindergartens/{id}/lists", web::get().to(lists::first))
        .route("/network/lists", web::get().to(lists::first))
        .route(
            "/kindergartens/{id}/lists/{list}",
            web::get().to(lists::kindergarten),
        )
        .route(
            "/kindergartens/{id}/lists/{list}/file",
            web::get().to(lists::kindergarten_file),
        )
        .route(
            "/kindergartens/{id}/lists/{list}/agreement",
            web::post().to(lists::agreement),
        )
        .route("/network/lists/{list}", web::get().to(lists::network))
        .route(
            "/network/lists/{list}/file",
            web::get().to(lists::network_file),
        )
        .route("/lists/{list}/mark", web::post().to(lists::mark))
        .route("/network/strengths", web::get().to(strengths::network))
        .route("/network/mentoring", web::get().to(mentoring::network))
        .route("/plan", web::get().to(plan::show))
        .route("/plan/file", web::get().to(plan::file))
        .route("/plan/proposal", web::post().to(plan::propose))
        .route("/plan/agreement", web::post().to(plan::agree))
        .route("/plan/events/new", web::get().to(plan::new_event))
        .route("/plan/events", web::post().to(plan::add_event))
        .route("/plan/events/{id}/edit", web::get().to(plan::edit_event))
        .route("/plan/events/{id}/edit", web::post().to(plan::change_event))
        .route(
            "/plan/events/{id}/remove",
            web::get().to(plan::confirm_remove),
        )
        .route("/plan/events/{id}/remove", web::post().to(plan::remove))
        .route(
            "/plan/events/{id}/attendance",
            web::get().to(plan::attendance_form),
        )
        .route(
            "/plan/events/{id}/attendance",
            web::post().to(plan::attendance),
        )
        .route("/my-calendar", web::get().to(calendar::own_calendar))
        .route("/recommendations", web::get().to(recommendations::register))
        .route("/recommendations", web::post().to(recommendations::create))
        .route(
            "/recommendations/file",
            web::get().to(recommendations::file),
        )
        .route("/recommendations/new", web::get().to(recommendations::new))
        .route(
            "/recommendations/{id}",
            web::get().to(recommendations::show),
        )
        .route(
            "/recommendations/{id}/answer",
            web::post().to(recommendations::answer),
        )
        .route(
            "/recommendations/{id}/decisions",
            web::post().to(recommendations::decide),
        )
        .route(
            "/people/{id}/calendar",
            web::get().to(calendar::person_calendar),
        )
        .route(
            "/kindergartens/{id}/mentoring",
            web::get().to(mentoring::kindergarten),
        )
        .route(
            "/network/mentoring-pairs",
            web::post().to(mentoring::propose),
        )
        .route(
            "/mentoring-pairs/{id}/agree",
            web::post().to(mentoring::agree),
        )
        .route(
            "/mentoring-pairs/{id}/withdraw",
            web::get().to(mentoring::confirm_withdraw),
        )
        .route(
            "/mentoring-pairs/{id}/withdraw",
            web::post().to(mentoring::withdraw),
        )
        .route("/people/{id}/route", web::get().to(route::show))
        .route("/people/{id}/route/docx", web::get().to(route::document))
        .route("/people/{id}/route/action", web::post().to(route::act))
        .route("/people/{id}/route/done", web::post().to(route::mark))
        .route("/people/{id}/route/edit", web::get().to(route::edit))
        .route("/people/{id}/route/edit", web::post().to(route::save))
        .route(
            "/kindergartens/{id}/training/import",
            web::post().to(training_import::upload),
        )
        .route(
            "/kindergartens/{id}/training/import/{staged}",
            web::get().to(training_import::check),
        )
        .route(
            "/kindergartens/{id}/training/import/{staged}",
            web::post().to(training_import::import),
        )
        .route(
            "/kindergartens/{id}/training/import/{staged}/rejected",
            web::get().to(training_import::rejected),
        )
        .route(
            "/network/training/file",
            web::get().to(training::network_file),
        )
        .route(
            "/kindergartens/{id}/training/file",
            web::get().to(training::kindergarten_file),
        )
        .route(
            "/kindergartens/{id}/completion",
            web::get().to(completion::kindergarten),
        )
        .route("/network/completion", web::get().to(completion::network))
        .route("/kindergartens/{id}/links", web::get().to(links::links))
        .route(
            "/kindergartens/{id}/links",
            web::post().to(links::open_links),
        )
        .route(
            "/links/{id}/close",
            web::get().to(links::confirm_close_link),
        )
        .route("/links/{id}/close", web::post().to(links::close_link))
        .route(
            "/people/{id}/deactivate",
            web::get().to(staff::confirm_person),
        )
        .route(
            "/people/{id}/deactivate",
            web::post().to(staff::deactivate_person),
        )
        .route(
            "/groups/{id}/deactivate",
            web::get().to(staff::confirm_group),
        )
        .route(
            "/groups/{id}/deactivate",
            web::post().to(staff::deactivate_group),
        )
        .route(
            "/accounts/{id}/reset-password",
            web::get().to(accounts::confirm_reset_password),
        )
        .route(
            "/accounts/{id}/reset-password",
            web::post().to(accounts::reset_password),
        )
        .route(
            "/accounts/{id}/deactivate",
            web::get().to(accounts::confirm_account),
        )
        .route(
            "/accounts/{id}/deactivate",
            web::post().to(accounts::deactivate_account),
        )
        .route("/network", web::get().to(network::overview))
        .route("/network/settings", web::post().to(network::save_settings))
        .route("/network/snils", web::post().to(network::save_snils))
        .route("/network/periods", web::get().to(periods::periods))
        .route("/network/periods", web::post().to(periods::open_period))
        .route("/periods/{id}/close", web::get().to(periods::confirm_close))
        .route("/periods/{id}/close", web::post().to(periods::close_period))
        .route("/periods/{id}/basis", web::get().to(periods::basis))
        .route("/periods/{id}/basis", web::post().to(periods::save_basis))
        .route(
            "/network/kindergartens",
            web::get().to(kindergartens::kindergartens),
        )
        .route(
            "/network/kindergartens",
            web::post().to(kindergartens::create_kindergarten),
        )
        .route(
            "/network/kindergartens/{id}/district",
            web::get().to(kindergartens::district),
        )
        .route(
            "/network/kindergartens/{id}/district",
            web::post().to(kindergartens::save_district),
        )
        .route("/network/accounts", web::get().to(accounts::accounts))
        .route(
            "/network/accounts",
            web::post().to(accounts::create_account),
        )
        .route("/results", web::get().to(results::own_results))
        .route(
            "/teachers/{id}/results",
            web::get().to(results::teacher_results),
        )
        .route(
            "/kindergartens/{id}/dashboard",
            web::get().to(dashboards::kindergarten_dashboard),
        )
        .route(
            "/network/dashboard",
            web::get().to(dashboards::network_dashboard),
        )
        .route("/reports/file", web::get().to(results::report_file))
        .route(
            "/kindergartens/{id}/spravka",
            web::get().to(spravka::kindergarten),
        )
        .route(
            "/kindergartens/{id}/spravka",
            web::post().to(spravka::save_kindergarten),
        )
        .route(
            "/kindergartens/{id}/spravka.docx",
            web::get().to(spravka::kindergarten_docx),
        )
        .route("/network/spravka", web::get().to(spravka::network))
        .route("/network/spravka", web::post().to(spravka::save_network))
        .route("/spravki", web::get().to(spravka::saved_list))
        .route("/spravki/{id}", web::get().to(spravka::saved))
        .route("/spravki/{id}/docx", web::get().to(spravka::saved_docx))
        .route(
            "/network/spravka.docx",
            web::get().to(spravka::network_docx),
        )
        .route("/imports/new", web::get().to(imports::new))
        .route("/imports", web::post().to(imports::upload))
        .route("/imports/{id}", web::get().to(imports::check))
        .route("/imports/{id}", web::post().to(imports::act))
        .route("/s/thanks", web::get().to(public::thanks))
        .route("/s/{token}", web::get().to(public::survey))
        .route("/s/{token}", web::post().to(public::answer));
}
