//! `vsoko export report|raw|spravka …`: reports and raw submissions as XLSX, CSV or CSV-RU files —
//! the same files as the API's `?format=` (`vsoko_app::export`) — and the аналитическая справка as
//! DOCX, the same document as the web page's.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use vsoko_app::App;
use vsoko_app::export::{FileFormat, RawQuery, report_sheets};
use vsoko_app::reports::{ReportOf, ReportRequest};

use super::db::{Database, runtime};
use super::import::{kindergarten_of, parse_instrument};

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
    /// The аналитическая справка as a Word document (DOCX): of one kindergarten
    /// (`--kindergarten`) or of the network.
    Spravka(Common),
    /// The individual routes (ИОМ) of the current school year: each kindergarten's figures and,
    /// for one kindergarten (`--kindergarten`), each teacher's status.
    Routes(ScopedArgs),
    /// A list of people (`--list motivated|tutors|needs-training|consultation`) of the current
    /// school year in the layout of a «согласованный список», with each kindergarten's agreement:
    /// of one kindergarten (`--kindergarten`) or of the network.
    Lists(ListsArgs),
    /// The network's strengths matrix of an instrument and period, with the mentoring pairs it
    /// proposes (names: the read is audited).
    Strengths(StrengthsArgs),
    /// Raw submissions in long format: one row per answer, with instrument version and revision.
    Raw {
        #[command(flatten)]
        common: Common,
        /// Superseded revisions too (default: the latest revision of each submission).
        #[arg(long)]
        all_revisions: bool,
    },
}

/// Arguments of `vsoko export routes` (and the scope of `vsoko export lists`).
#[derive(Debug, clap::Args)]
struct ScopedArgs {
    #[command(flatten)]
    database: Database,
    /// Only this kindergarten (database id or number), with its teachers; default the network.
    #[arg(long)]
    kindergarten: Option<String>,
    /// `xlsx`, `csv` (for programs) or `csv-ru` (for Russian Excel).
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// The network of this account (default: the first active administrator's).
    #[arg(long)]
    author: Option<String>,
    /// Output file.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `vsoko export lists`.
#[derive(Debug, clap::Args)]
struct ListsArgs {
    /// Which list: `motivated`, `tutors`, `needs-training` or `consultation`.
    #[arg(long)]
    list: String,
    #[command(flatten)]
    scope: ScopedArgs,
}

/// The file format asked for, or an error naming the choices.
fn file_format(asked: &str, decimal_comma: bool) -> anyhow::Result<FileFormat> {
    FileFormat::parse(asked, decimal_comma)
        .with_context(|| format!("неизвестный формат «{asked}»: xlsx, csv или csv-ru"))
}

/// Writes `sheets` to `out` in `format`.
fn write_sheets(
    out: &std::path::Path,
    format: FileFormat,
    sheets: &[vsoko_exchange::Sheet],
) -> anyhow::Result<()> {
    std::fs::write(out, format.write(sheets).map_err(super::app_error)?)
        .with_context(|| format!("не удалось записать {}", out.display()))
}

/// What `--kindergarten` asks for: that kindergarten, or the network.
async fn scope_of(
    app: &App,
    principal: &vsoko_app::Principal,
    kindergarten: Option<&str>,
) -> anyhow::Result<ReportOf> {
    Ok(match kindergarten {
        Some(wanted) => ReportOf::Kindergarten(kindergarten_of(app, principal, wanted).await?),
        None => ReportOf::Network,
    })
}

/// Arguments of `vsoko export strengths`.
#[derive(Debug, clap::Args)]
struct StrengthsArgs {
    #[command(flatten)]
    database: Database,
    /// Instrument code (default: the first teachers' instrument).
    #[arg(long)]
    instrument: Option<String>,
    /// Period code (default: the latest with enough data).
    #[arg(long)]
    period: Option<String>,
    /// `xlsx`, `csv` (for programs) or `csv-ru` (for Russian Excel).
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// The network of this account (default: the first active administrator's).
    #[arg(long)]
    author: Option<String>,
    /// Output file.
    #[arg(long)]
    out: PathBuf,
}

/// `vsoko export strengths`.
fn strengths(args: &StrengthsArgs) -> anyhow::Result<ExitCode> {
    let format = file_format(&args.format, true)?;
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(args.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let ask = vsoko_app::report_choice::ReportAsk {
            instrument: args.instrument.clone(),
            period: args.period.clone(),
            ..Default::default()
        };
        let chosen = app
            .strengths_matrix(&principal, &ask, vsoko_app::today())
            .await
            .map_err(super::app_error)?;
        store.close().await?;
        let Some(matrix) = chosen.matrix else {
            anyhow::bail!("нет данных: ни в одном периоде нет ответов по этому инструменту");
        };
        write_sheets(
            &args.out,
            format,
            &vsoko_app::strengths::strengths_sheets(&matrix),
        )?;
        println!(
            "{}: матрица «{}», {}, пар детских садов — {}, пар педагогов — {}",
            args.out.display(),
            matrix.instrument.title(),
            matrix.period.code,
            matrix.pairs.len(),
            matrix.teacher_pairs.len()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `vsoko export lists`.
fn lists(args: &ListsArgs) -> anyhow::Result<ExitCode> {
    let list = vsoko_app::lists::StaffList::parse(&args.list).with_context(|| {
        format!(
            "неизвестный список «{}»: motivated, tutors, needs-training или consultation",
            args.list
        )
    })?;
    let scope = &args.scope;
    let format = file_format(&scope.format, true)?;
    runtime()?.block_on(async {
        let store = scope.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(scope.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let of = scope_of(&app, &principal, scope.kindergarten.as_deref()).await?;
        let view = app
            .staff_list(&principal, list, of, vsoko_app::today())
            .await
            .map_err(super::app_error)?;
        store.close().await?;
        write_sheets(&scope.out, format, &vsoko_app::lists::list_sheets(&view))?;
        let people: usize = view
            .kindergartens
            .iter()
            .map(|part| part.listed().count())
            .sum();
        println!(
            "{}: «{}», {}",
            scope.out.display(),
            list.title(),
            vsoko_app::words::counted(people, "человек", "человека", "человек")
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `vsoko export routes`.
fn routes(args: &ScopedArgs) -> anyhow::Result<ExitCode> {
    let format = file_format(&args.format, true)?;
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(args.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let of = scope_of(&app, &principal, args.kindergarten.as_deref()).await?;
        let overview = app
            .routes_overview(&principal, of, vsoko_app::today())
            .await
            .map_err(super::app_error)?;
        store.close().await?;
        let sheets = vsoko_app::individual_route::routes_sheets(
            &overview,
            matches!(of, ReportOf::Kindergarten(_)),
        );
        write_sheets(&args.out, format, &sheets)?;
        println!(
            "{}: маршруты {}",
            args.out.display(),
            vsoko_app::words::counted(
                overview.len(),
                "детского сада",
                "детских садов",
                "детских садов"
            )
        );
        Ok(ExitCode::SUCCESS)
    })
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
    /// The справка: the deployment's folder of instruments, whose `targets.toml` holds the
    /// network's targets (default: the shipped targets).
    #[arg(long, value_name = "DIR")]
    checklists: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (common, raw) = match &args.what {
        What::Spravka(common) => return spravka(common),
        What::Routes(routes_args) => return routes(routes_args),
        What::Lists(lists_args) => return lists(lists_args),
        What::Strengths(strengths_args) => return strengths(strengths_args),
        What::Report(common) => (common, None),
        What::Raw {
            common,
            all_revisions,
        } => (common, Some(*all_revisions)),
    };
    let format = file_format(&common.format, common.decimal_comma)?;
    let (code, version) = parse_instrument(&common.instrument)?;
    runtime()?.block_on(async {
        let store = common.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(common.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let kindergarten = match &common.kindergarten {
            Some(wanted) => Some(kindergarten_of(&app, &principal, wanted).await?),
            None => None,
        };
        let sheets = match raw {
            None => {
                let request = ReportRequest {
                    of: kindergarten.map_or(ReportOf::Network, ReportOf::Kindergarten),
                    period: common.period.clone(),
                    instrument: code,
                    version,
                    compare_period: common.compare_period.clone(),
                    compare_version: None,
                    items: Some(true),
                };
                let report = app
                    .report(&principal, &request)
                    .await
                    .map_err(super::app_error)?;
                report_sheets(&report)
            }
            Some(all_revisions) => {
                let query = RawQuery {
                    kindergarten,
                    period: common.period.clone(),
                    instrument: code,
                    version,
                    all_revisions,
                };
                vec![
                    app.raw_export(&principal, &query)
                        .await
                        .map_err(super::app_error)?,
                ]
            }
        };
        let bytes = format.write(&sheets).map_err(super::app_error)?;
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

/// `vsoko export spravka`.
fn spravka(common: &Common) -> anyhow::Result<ExitCode> {
    let (code, _) = parse_instrument(&common.instrument)?;
    runtime()?.block_on(async {
        let store = common.database.open().await?;
        let catalog = vsoko_checklist::Catalog::shipped_and(common.checklists.as_deref())?;
        let targets = vsoko_app::targets::load(common.checklists.as_deref(), &catalog)
            .context("cannot read the network's targets")?;
        let app = App::new(store.clone()).with_targets(targets);
        let principal = app
            .operator_account(common.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let of = scope_of(&app, &principal, common.kindergarten.as_deref()).await?;
        let document = app
            .spravka(
                &principal,
                &vsoko_app::spravka::SpravkaRequest {
                    of,
                    instrument: code,
                    period: common.period.clone(),
                    compare_period: common.compare_period.clone(),
                },
            )
            .await
            .map_err(super::app_error)?;
        let bytes = vsoko_exchange::write_docx(&document)
            .map_err(|error| super::app_error(error.into()))?;
        std::fs::write(&common.out, &bytes)
            .with_context(|| format!("не удалось записать {}", common.out.display()))?;
        println!(
            "{}: аналитическая справка, {}",
            common.out.display(),
            vsoko_app::words::counted(document.sections.len(), "раздел", "раздела", "разделов")
        );
        store.close().await?;
        Ok(ExitCode::SUCCESS)
    })
}
