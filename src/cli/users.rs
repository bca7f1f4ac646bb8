//! `vsoko users create`: accounts from the command line — above all the first administrator.

use std::process::ExitCode;

use anyhow::Context;
use vsoko_app::accounts::UserInput;
use vsoko_domain::{KindergartenId, PersonId};
use vsoko_storage::{Role, Store};

/// Manage accounts.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create an account (the first admin also creates the network when there is none).
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// Database URL.
    #[arg(long, env = "VSOKO_DATABASE_URL", default_value = vsoko_api::config::DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Login.
    #[arg(long)]
    login: String,
    /// Password (or the environment variable VSOKO_PASSWORD).
    #[arg(long, env = "VSOKO_PASSWORD", hide_env_values = true)]
    password: String,
    /// admin, manager, head or teacher.
    #[arg(long, default_value = "admin")]
    role: String,
    /// Kindergarten id (heads and teachers).
    #[arg(long)]
    kindergarten: Option<i64>,
    /// Person id the account belongs to (heads and teachers).
    #[arg(long)]
    person: Option<i64>,
    /// Network name, used when the database has no network yet.
    #[arg(long, default_value = "Сеть ДОО")]
    network_name: String,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match args.command {
        Command::Create(args) => runtime.block_on(create(args)),
    }
}

async fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let role = Role::parse(&args.role).with_context(|| {
        format!(
            "unknown role {:?}: admin, manager, head or teacher",
            args.role
        )
    })?;
    let store = Store::connect(&args.database_url).await?;
    store.migrate().await?;
    let user = vsoko_app::App::new(store)
        .create_account_as_operator(
            UserInput {
                login: args.login,
                password: args.password,
                role,
                kindergarten_id: args.kindergarten.map(KindergartenId::new),
                person_id: args.person.map(PersonId::new),
            },
            &args.network_name,
        )
        .await
        .map_err(super::app_error)?;
    println!(
        "created {} account {:?} (id {})",
        user.role.as_str(),
        user.login,
        user.id
    );
    Ok(ExitCode::SUCCESS)
}
