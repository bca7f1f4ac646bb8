//! What every handler can reach: the store and the settings.

use vsoko_storage::Store;

use crate::config::Settings;

/// Shared application state (cheap to clone: the store is a pool handle).
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The settings the server was started with.
    pub settings: Settings,
}
