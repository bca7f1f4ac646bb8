//! sea-orm entities, one module per table. Private to the crate: repository functions map them to
//! and from the public domain types in [`crate::model`].
//!
//! Relations are not declared: every join the crate needs is a sub-query written where it is used.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub(crate) mod network {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "networks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub min_coverage_percent: Option<i32>,
        pub store_snils: bool,
    }
    no_relations!();
}

pub(crate) mod kindergarten {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "kindergartens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub number: String,
        pub full_name: String,
        pub short_name: String,
        pub created_at: DateTimeUtc,
        pub district: Option<String>,
    }
    no_relations!();
}

pub(crate) mod group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "groups")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kindergarten_id: i64,
        pub name: String,
        pub age_group: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kindergarten_id: i64,
        pub full_name: String,
        pub position: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub login: String,
        pub password_hash: String,
        pub role: String,
        pub network_id: i64,
        pub kindergarten_id: Option<i64>,
        pub person_id: Option<i64>,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod api_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub token_hash: String,
        pub user_id: i64,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub(crate) mod period {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "periods")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub code: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
        pub basis_title: Option<String>,
        pub basis_number: Option<String>,
        pub basis_date: Option<Date>,
    }
    no_relations!();
}

pub(crate) mod instrument {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "instruments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub code: String,
        pub version: i32,
        pub content_hash: String,
        pub title: String,
        pub kind: String,
        pub respondent: String,
        pub subject: String,
        #[sea_orm(column_type = "Text")]
        pub definition: String,
        pub source: String,
        pub registered_at: DateTimeUtc,
        /// `one_per_respondent`, `one_per_subject` or `observations`; NULL on rows registered
        /// before migration 9 until `Store::repair_counting` fills it in.
        pub counting: Option<String>,
    }
    no_relations!();
}

pub(crate) mod submission {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "submissions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub root_id: Option<i64>,
        pub revision: i32,
        pub supersedes_id: Option<i64>,
        pub is_latest: bool,
        pub instrument_id: i64,
        pub period_id: i64,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub subject_kind: String,
        pub subject_id: i64,
        pub author_user_id: i64,
        pub idempotency_key: Option<String>,
        pub submitted_at: DateTimeUtc,
        /// Node scores and critical items in one value (`crate::packed`); NULL on rows written
        /// before the column existed.
        #[sea_orm(column_type = "Blob", nullable)]
        pub packed_scores: Option<Vec<u8>>,
        /// SHA-256 (hex) of the submission's content (`crate::submissions::request_hash`); NULL on
        /// corrections and on rows written before the column existed.
        pub request_hash: Option<String>,
        /// Who answered (`RespondentRef::key`); NULL only before `Store::repair_counting`.
        pub respondent: Option<String>,
        /// Instrument version, period, subject (and respondent) for instruments that count one
        /// answer per key; unique among latest revisions. NULL for observations.
        pub count_key: Option<String>,
        /// A control card's observation date.
        pub observed_on: Option<Date>,
        /// When the answers were given (a form's timestamp on import); NULL before migration 9.
        pub answered_at: Option<DateTimeUtc>,
        /// The respondent's e-mail from a form export.
        pub respondent_email: Option<String>,
    }
    no_relations!();
}

pub(crate) mod answer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "answers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub submission_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_code: String,
        pub value: Option<f64>,
        pub not_applicable: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
    }
    no_relations!();
}

pub(crate) mod audit {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub at: DateTimeUtc,
        pub actor_user_id: Option<i64>,
        pub action: String,
        pub entity: String,
        pub entity_id: String,
        #[sea_orm(column_type = "Text")]
        pub details: String,
    }
    no_relations!();
}

pub(crate) mod login_throttle {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub first_failure_at: DateTimeUtc,
        pub blocked_until: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub(crate) mod survey_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_links")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub group_id: Option<i64>,
        pub instrument_id: i64,
        pub period_id: i64,
        pub token_hash: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub(crate) mod draft {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "drafts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub form_key: String,
        pub instrument_id: i64,
        pub period_id: i64,
        pub subject_kind: Option<String>,
        pub subject_id: Option<i64>,
        pub corrects_id: Option<i64>,
        pub observed_on: Option<Date>,
        pub idempotency_key: String,
        pub fields: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod import_upload {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_uploads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub file_name: String,
        pub bytes: Vec<u8>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod import_profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_profiles")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub name: String,
        pub instrument_code: String,
        pub instrument_version: i32,
        pub profile: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod training_record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_records")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub root_id: Option<i64>,
        pub revision: i32,
        pub supersedes_id: Option<i64>,
        pub is_latest: bool,
        pub withdrawn: bool,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub person_id: i64,
        pub kind: String,
        pub programme: String,
        pub provider: String,
        pub provider_type: String,
        pub in_federal_register: bool,
        pub hours: i32,
        pub starts_on: Date,
        pub ends_on: Date,
        pub enrolled_on: Option<Date>,
        pub form: String,
        pub distance: bool,
        pub document_number: Option<String>,
        pub registration_number: Option<String>,
        pub issued_on: Option<Date>,
        pub areas: String,
        pub import_key: Option<String>,
        pub snils: Option<String>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod individual_route {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "individual_routes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub person_id: i64,
        pub school_year: i32,
        pub status: String,
        pub plan_rows: String,
        pub remark: Option<String>,
        pub submitted_at: Option<DateTimeUtc>,
        pub approved_at: Option<DateTimeUtc>,
        pub approved_by: Option<i64>,
        pub version: i32,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod list_mark {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "list_marks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub person_id: Option<i64>,
        pub list: String,
        pub school_year: i32,
        pub mark: String,
        pub reason: Option<String>,
        pub detail: Option<String>,
        pub marked_by: i64,
        pub marked_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod mentoring_pair {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentoring_pairs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub school_year: i32,
        pub instrument: String,
        pub area: String,
        pub mentee_kindergarten_id: i64,
        pub mentor_kindergarten_id: i64,
        pub mentee_person_id: Option<i64>,
        pub mentor_person_id: Option<i64>,
        pub proposed_by: i64,
        pub proposed_at: DateTimeUtc,
        pub mentee_agreed_by: Option<i64>,
        pub mentee_agreed_at: Option<DateTimeUtc>,
        pub mentor_agreed_by: Option<i64>,
        pub mentor_agreed_at: Option<DateTimeUtc>,
        pub withdrawn_by: Option<i64>,
        pub withdrawn_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub(crate) mod pd_plan {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "pd_plans")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub school_year: i32,
        pub instrument: String,
        pub period: String,
        pub events: String,
        pub version: i32,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_by: i64,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod pd_plan_revision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "pd_plan_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub plan_id: i64,
        pub version: i32,
        pub events: String,
        pub action: String,
        pub reason: Option<String>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod pd_plan_agreement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "pd_plan_agreements")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub plan_id: i64,
        pub kindergarten_id: i64,
        pub version: i32,
        pub agreed_by: i64,
        pub agreed_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod recommendation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "recommendations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub kindergarten_id: i64,
        pub person_id: Option<i64>,
        pub instrument: String,
        pub node: String,
        pub period: String,
        pub body: String,
        pub addressee: String,
        pub responsible: String,
        pub due_on: Date,
        pub answer: Option<String>,
        pub answered_by: Option<i64>,
        pub answered_at: Option<DateTimeUtc>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod decision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "decisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub recommendation_id: i64,
        pub kind: String,
        pub reference: Option<String>,
        pub order_number: Option<String>,
        pub order_date: Option<Date>,
        pub body: String,
        pub decided_by: i64,
        pub decided_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod spravka {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "spravki")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub network_id: i64,
        pub kindergarten_id: Option<i64>,
        pub instrument: String,
        pub period: String,
        pub compare_period: Option<String>,
        pub year: i32,
        pub number: i32,
        pub made_on: Date,
        pub title: String,
        pub document: String,
        pub made_by: i64,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}
