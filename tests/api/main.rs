//! Black-box tests of the REST API: each test starts the server on port 0 with a fresh database
//! and talks to it over HTTP only (the first admin is created through the store, as
//! `vsoko users create` does).

mod helpers;

// Every endpoint × role × own/foreign unit.
mod authorization;
// Malformed JSON, wrong types, invalid answers, oversize bodies, bad tokens.
mod bad_input;
// A computed item's value is the system's, from its source, whatever a client sends.
mod computed;
// Probes, docs, the error envelope for requests that never reach a handler.
mod basics;
// Who counts in a report: one answer per person, cards averaged per subject.
mod counting;
// Reports as XLSX and CSV-RU.
mod exchange;
// Idempotency keys and corrections.
mod idempotency;
// The committed OpenAPI document is up to date.
mod openapi_spec;
// Instruments version 2: crosswalk dynamics, variable indicators, parents and small groups.
mod instruments_v2;
// The whole story, numbers checked against the scoring crate.
mod scenario;
// Security headers, login throttling.
mod security;
// The lists of people: proposed from the surveys, decided by people, agreed by heads.
mod lists;
// Individual routes: prefilled, edited, approved, their «итоги».
mod routes;
// The strengths matrix and the mentoring pairs of kindergartens.
mod strengths;
// Mentoring pairs proposed by the department and agreed by both heads.
mod mentoring;
// The calendar plan of professional development: proposed, agreed, revised, attended.
mod plan;
// The management cycle: recommendations, decisions, their effect, the register.
mod cycle;
// The справка's frame: the основание of a period's assessment.
mod spravka;
// Training records: entered, corrected as revisions, withdrawn; coverage and its sentence.
mod training;
// Parents' questionnaires through a link: no account, throttled, nothing identifying kept.
mod survey_links;
