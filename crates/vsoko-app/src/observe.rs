//! What the use cases report as they go — submissions accepted, logins refused — for the server's
//! metrics. The use cases call an [`AppObserver`] and know nothing of how it counts.

use vsoko_checklist::InstrumentKind;

/// Through which door a submission came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Sent by a signed-in account (the web form or the API).
    Account,
    /// Answered through a link, without an account.
    Link,
    /// Written by an import of a form export.
    Import,
}

impl Channel {
    /// The label used in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Account => "account",
            Channel::Link => "link",
            Channel::Import => "import",
        }
    }
}

/// Told about events of the use cases (`App::with_observer`). Every method does nothing by
/// default.
pub trait AppObserver: Send + Sync + std::fmt::Debug {
    /// `count` new submissions of an instrument of `kind` were stored (a replayed idempotency key
    /// is not new).
    fn submissions_accepted(&self, kind: InstrumentKind, channel: Channel, count: usize) {
        let _ = (kind, channel, count);
    }
    /// A login was refused: wrong login or password.
    fn login_failed(&self) {}
    /// A login was refused without checking the password: the account or the address is blocked
    /// for a while after too many failures.
    fn login_throttled(&self) {}
}

/// What the store reports about its own work, and the pool's state: the server's metrics read
/// them through the use cases' crate, never from storage.
pub use vsoko_storage::{ExecutedStatement, PoolStatus, StoreObserver};
