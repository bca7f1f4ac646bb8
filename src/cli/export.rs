//! `vsoko export report|raw …`: reports and raw submissions as XLSX, CSV or CSV-RU files, built by
//! the same code as the API's `?format=` (`vsoko_api::export`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use vsoko_api::config::Settings;
use vsoko_api::dto::reports::ReportQuery;
use vsoko_api::export::{
    FileFormat, RawQuery, kindergarten_report, network_report, raw_sheet, report_sheets,
};
use vsoko_api::state::AppState;
use vsoko_storage::{Id, Scope};

use super::db::{Database, runtime};
use super::import::author;
use vsoko_api::import::find_kindergarten;

/// Arguments of `vsoko export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Subcommand)]
enum What {
    /// A report: of one kindergarten (`--kindergarten`) or of the network.
    Report(Common),
    /// Raw submissions in long format: one row per answer, with instrument version and revision.
    Raw {
        #[command(flatten)]
        common: Common,
        /// Superseded revisions too (default: the latest revision of each submission).
        #[arg(long)]
        all_revisions: bool,
    },
}

#[derive(Debug, clap::Args)]
struct Common {
    #[command(flatten)]
    database: Database,
    /// Instrument code, optionally `CODE@VERSION` (reports: default the latest version; raw data:
    /// default every version).
    #[arg(long)]
    instrument: String,
    /// Period code.
    #[arg(long)]
    period: String,
    /// Only this kindergarten (database id or number); default the whole network.
    #[arg(long)]
    kindergarten: Option<String>,
    /// Reports: compare with this period.
    #[arg(long)]
    compare_period: Option<String>,
    /// `xlsx`, `csv` (for programs) or `csv-ru` (for Russian Excel).
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// With `--format csv-ru`: decimal comma.
    #[arg(long)]
    decimal_comma: bool,
    /// The network of this account (default: the first active administrator's).
    #[arg(long)]
    author: Option<String>,
    /// Output file.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (common, raw) = match &args.what {
        What::Report(common) => (common, None),
        What::Raw {
            common,
            all_revisions,
        } => (common, Some(*all_revisions)),
    };
    let format = FileFormat::parse(&common.format, common.decimal_comma).with_context(|| {
        format!(
            "неизвестный формат «{}»: xlsx, csv или csv-ru",
            common.format
        )
    })?;
    let (code, version) = match common.instrument.split_once('@') {
        Some((code, version)) => (
            code.to_owned(),
            Some(
                version
                    .trim_start_matches('v')
                    .parse::<u32>()
                    .with_context(|| format!("неверная версия в «{}»", common.instrument))?,
            ),
        ),
        None => (common.instrument.clone(), None),
    };
    runtime()?.block_on(async {
        let store = common.database.open().await?;
        let user = author(&store, common.author.as_deref()).await?;
        let network_id: Id = user.network_id;
        let kindergarten = match &common.kindergarten {
            Some(wanted) => {
                let all = store.kindergartens(Scope::Network(network_id)).await?;
                let found = wanted
                    .parse::<Id>()
                    .ok()
                    .and_then(|id| all.iter().find(|k| k.id == id))
                    .or_else(|| find_kindergarten(&all, wanted))
                    .with_context(|| format!("детский сад «{wanted}» не найден"))?;
                Some(found.id)
            }
            None => None,
        };
        let state = AppState {
            store: store.clone(),
            settings: Settings::new(common.database.url(), "127.0.0.1:0"),
            instruments: Arc::default(),
        };
        let sheets = match raw {
            None => {
                let query = ReportQuery {
                    period: common.period.clone(),
                    instrument: code,
                    version,
                    compare_period: common.compare_period.clone(),
                    format: None,
                    decimal_comma: None,
                };
                let report = match kindergarten {
                    Some(id) => kindergarten_report(&state, id, &query).await,
                    None => network_report(&state, network_id, &query).await,
                }
                .map_err(|error| anyhow!("{error}"))?;
                report_sheets(&report)
            }
            Some(all_revisions) => {
                let query = RawQuery {
                    scope: kindergarten.map_or(Scope::Network(network_id), Scope::Kindergarten),
                    period: common.period.clone(),
                    instrument: code,
                    version,
                    all_revisions,
                };
                vec![
                    raw_sheet(&state, network_id, &query)
                        .await
                        .map_err(|error| anyhow!("{error}"))?,
                ]
            }
        };
        let bytes = format.write(&sheets).map_err(|error| anyhow!("{error}"))?;
        std::fs::write(&common.out, &bytes)
            .with_context(|| format!("не удалось записать {}", common.out.display()))?;
        let rows: usize = sheets.iter().map(|sheet| sheet.rows.len()).sum();
        println!(
            "{}: {} табл., {rows} строк",
            common.out.display(),
            sheets.len()
        );
        store.close().await?;
        Ok(ExitCode::SUCCESS)
    })
}
