//! What every handler can reach: the use cases and the settings.

use vsoko_app::App;

use crate::config::Settings;

/// Shared application state (cheap to clone: the store is a pool handle).
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases (and through them the store).
    pub app: App,
    /// The settings the server was started with.
    pub settings: Settings,
}
