//! Typed database ids: a kindergarten's id is not a person's, and the compiler says so. Each is
//! the row's `i64` inside; [`get`](KindergartenId::get) hands it to storage and to the API's
//! numbers, [`new`](KindergartenId::new) takes it back from a row or a path.

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id of a row.
            pub const fn new(raw: i64) -> $name {
                $name(raw)
            }

            /// The row's number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(text: &str) -> Result<$name, ParseIntError> {
                text.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// A network's id.
    NetworkId;
    /// A kindergarten's id.
    KindergartenId;
    /// A group's id.
    GroupId;
    /// A person's (member of staff) id.
    PersonId;
    /// An account's id.
    UserId;
    /// A period's id.
    PeriodId;
    /// A registered instrument version's id.
    InstrumentVersionId;
    /// A survey link's id.
    LinkId;
    /// A submission revision's id.
    SubmissionId;
    /// A training record revision's id.
    TrainingRecordId;
    /// An individual route's (ИОМ) id.
    RouteId;
}
