//! `vsoko openapi`: prints the OpenAPI document (the committed `openapi/openapi.json`).

use std::io::Write;
use std::process::ExitCode;

/// Print the OpenAPI 3.1 document of the REST API (regenerate with
/// `cargo run -- openapi > openapi/openapi.json`).
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Writes the document to stdout.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(vsoko_api::openapi::document_json().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
