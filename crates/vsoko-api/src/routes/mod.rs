//! Handlers, one module per resource. Every handler is registered with `.service(...)` so that
//! utoipa-actix-web collects it into the OpenAPI document.

mod auth;
mod cycle;
mod exchange;
mod health;
mod individual_routes;
mod instruments;
mod links;
mod lists;
mod mentoring;
mod org;
mod periods;
mod plan;
pub(crate) mod reports;
mod spravki;
mod strengths;
pub(crate) mod submissions;
mod training;
mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented endpoint.
pub(crate) fn configure(config: &mut ServiceConfig) {
    config
        .service(health::healthz)
        .service(health::readyz)
        .service(
            scope("/api/v1")
                .service(auth::login)
                .service(auth::logout)
                .service(users::me)
                .service(users::list_users)
                .service(users::create_user)
                .service(users::deactivate_user)
                .service(org::get_network)
                .service(org::set_network_settings)
                .service(org::set_snils_setting)
                .service(org::list_kindergartens)
                .service(org::create_kindergarten)
                .service(org::get_kindergarten)
                .service(org::set_district)
                .service(org::list_groups)
                .service(org::create_group)
                .service(org::list_people)
                .service(org::create_person)
                .service(periods::list_periods)
                .service(periods::create_period)
                .service(periods::close_period)
                .service(periods::set_period_basis)
                .service(instruments::list_instruments)
                .service(instruments::get_instrument)
                .service(submissions::create_submission)
                .service(submissions::list_submissions)
                .service(submissions::get_submission)
                .service(submissions::correct_submission)
                .service(submissions::computed_values)
                .service(reports::teacher_report)
                .service(reports::kindergarten_report)
                .service(reports::network_report)
                .service(exchange::import_file)
                .service(exchange::export_submissions)
                .service(links::create_survey_link)
                .service(links::list_survey_links)
                .service(links::close_survey_link)
                .service(links::public_survey)
                .service(links::public_response)
                .service(training::own_training_records)
                .service(training::list_training_records)
                .service(training::create_training_record)
                .service(training::import_training_records)
                .service(training::get_training_record)
                .service(training::correct_training_record)
                .service(training::withdraw_training_record)
                .service(training::kindergarten_coverage)
                .service(training::network_coverage)
                .service(individual_routes::get_route)
                .service(individual_routes::route_action)
                .service(individual_routes::route_done)
                .service(individual_routes::route_rows)
                .service(individual_routes::kindergarten_routes)
                .service(individual_routes::network_routes)
                .service(lists::own_entry)
                .service(lists::kindergarten_list)
                .service(lists::network_list)
                .service(lists::mark)
                .service(lists::agreement)
                .service(strengths::matrix)
                .service(mentoring::propose)
                .service(mentoring::network_pairs)
                .service(mentoring::kindergarten_pairs)
                .service(mentoring::agree)
                .service(mentoring::withdraw)
                .service(plan::show)
                .service(plan::propose)
                .service(plan::add_event)
                .service(plan::change_event)
                .service(plan::remove_event)
                .service(plan::agree)
                .service(plan::attendance)
                .service(plan::calendar)
                .service(cycle::register)
                .service(cycle::create)
                .service(cycle::show)
                .service(cycle::answer)
                .service(cycle::decide)
                .service(spravki::list)
                .service(spravki::save)
                .service(spravki::show),
        );
}
