//! Structured logs through `tracing`; every request runs in a span carrying its request id
//! (`tracing-actix-web`), which is also returned to the client in `x-request-id`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber: `RUST_LOG` if set, otherwise `level` (`info`, `debug`, …).
/// Does nothing when a subscriber is already installed (tests call it repeatedly).
pub fn init(level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
