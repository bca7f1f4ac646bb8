//! Logs through `tracing`: human-readable lines, or one JSON object per line for a log collector
//! (`--log-format json`). Every request runs in a span carrying its request id, method and route
//! template (`crate::access`); the id is also returned to the client in `x-request-id`, and one
//! access event (target `vsoko::access`) is written when the request is answered.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Lines for a person reading the terminal or the journal.
    #[default]
    Text,
    /// One JSON object per line: `timestamp`, `level`, `target`, the event's fields at the top
    /// level, and the request's span (`request_id`, `method`, `route`, `user_id`) under `span`.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<LogFormat, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("unknown log format «{other}»: say text or json")),
        }
    }
}

/// Installs the global subscriber, writing to standard error: `RUST_LOG` if set, otherwise
/// `level` (`info`, `debug`, …). Does nothing when a subscriber is already installed (tests call
/// it repeatedly).
pub fn init(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    // Colours only on a terminal: the journal and log files get plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_target(false).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
