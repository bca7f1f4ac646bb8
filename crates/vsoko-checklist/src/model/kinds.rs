//! What an instrument is: its kind, who answers it, whom it is about, how its forms are counted,
//! and how its nodes relate to an earlier version's.

/// What kind of instrument this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstrumentKind {
    /// A questionnaire, usually self-assessment.
    Survey,
    /// A control card or checklist filled in by an observer.
    ControlCard,
    /// A set of kindergarten indicators.
    IndicatorSet,
}

impl InstrumentKind {
    /// Every instrumentkind, in declaration order.
    pub const ALL: [InstrumentKind; 3] = [
        InstrumentKind::Survey,
        InstrumentKind::ControlCard,
        InstrumentKind::IndicatorSet,
    ];

    /// Reads [`InstrumentKind::as_str`] back.
    pub fn parse(text: &str) -> Option<InstrumentKind> {
        Self::ALL.into_iter().find(|value| value.as_str() == text)
    }

    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentKind::Survey => "survey",
            InstrumentKind::ControlCard => "control_card",
            InstrumentKind::IndicatorSet => "indicator_set",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            InstrumentKind::Survey => "анкета",
            InstrumentKind::ControlCard => "карта контроля",
            InstrumentKind::IndicatorSet => "набор показателей",
        }
    }
}

/// Who fills a form in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Respondent {
    /// A teacher.
    Teacher,
    /// The head or senior teacher of a kindergarten.
    Head,
    /// A manager or methodist of the municipal department.
    Manager,
    /// A parent, anonymously (no account, no name): through a link.
    Parent,
}

impl Respondent {
    /// Every respondent, in declaration order.
    pub const ALL: [Respondent; 4] = [
        Respondent::Teacher,
        Respondent::Head,
        Respondent::Manager,
        Respondent::Parent,
    ];

    /// Reads [`Respondent::as_str`] back.
    pub fn parse(text: &str) -> Option<Respondent> {
        Self::ALL.into_iter().find(|value| value.as_str() == text)
    }

    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Respondent::Teacher => "teacher",
            Respondent::Head => "head",
            Respondent::Manager => "manager",
            Respondent::Parent => "parent",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            Respondent::Teacher => "педагог",
            Respondent::Head => "руководитель ДОО",
            Respondent::Manager => "специалист управления образования",
            Respondent::Parent => "родитель (законный представитель)",
        }
    }

    /// Whether responses are anonymous: nobody's identity is stored, and results are shown only
    /// for at least [`Instrument::min_respondents`] responses.
    pub fn is_anonymous(self) -> bool {
        self == Respondent::Parent
    }
}

/// How a node of an instrument version relates to the nodes of an earlier version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The same scored content (wording may differ): compared.
    Same,
    /// The same scored content under a new code: compared with the old code.
    Renamed,
    /// Part of one earlier node: not compared.
    Split,
    /// Made of several earlier nodes: not compared.
    Merged,
    /// Nothing comparable before: not compared.
    New,
}

impl Relation {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Same => "same",
            Relation::Renamed => "renamed",
            Relation::Split => "split",
            Relation::Merged => "merged",
            Relation::New => "new",
        }
    }

    /// Whether a node with this relation is compared with the earlier version.
    pub fn is_comparable(self) -> bool {
        matches!(self, Relation::Same | Relation::Renamed)
    }
}

/// One declared node of a crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkNode {
    pub(crate) code: String,
    pub(crate) relation: Relation,
    pub(crate) from: Vec<String>,
}

impl CrosswalkNode {
    /// The node of this version (the instrument code for the total).
    pub fn code(&self) -> &str {
        &self.code
    }
    /// Its relation to the earlier version.
    pub fn relation(&self) -> Relation {
        self.relation
    }
    /// The earlier version's nodes it comes from.
    pub fn from(&self) -> &[String] {
        &self.from
    }
}

/// How the nodes of an instrument version relate to those of an earlier version.
///
/// Invariant: `from_version` is below the instrument's version; every node code is one of the
/// instrument's (the instrument code for the total), once; the number of `from` codes fits the
/// relation (`same` at most one, `renamed` and `split` one, `merged` two or more, `new` none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    pub(crate) from_version: u32,
    pub(crate) nodes: Vec<CrosswalkNode>,
}

impl Crosswalk {
    /// The earlier version.
    pub fn from_version(&self) -> u32 {
        self.from_version
    }
    /// The declared nodes; others are `same` when the earlier version has their code.
    pub fn nodes(&self) -> &[CrosswalkNode] {
        &self.nodes
    }
    /// The declared node with this code.
    pub fn node(&self, code: &str) -> Option<&CrosswalkNode> {
        self.nodes.iter().find(|node| node.code == code)
    }
}

/// What an instrument assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// One teacher.
    Teacher,
    /// One group of children.
    Group,
    /// The kindergarten as a whole.
    Kindergarten,
}

impl Subject {
    /// Every subject, in declaration order.
    pub const ALL: [Subject; 3] = [Subject::Teacher, Subject::Group, Subject::Kindergarten];

    /// Reads [`Subject::as_str`] back.
    pub fn parse(text: &str) -> Option<Subject> {
        Self::ALL.into_iter().find(|value| value.as_str() == text)
    }

    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Teacher => "teacher",
            Subject::Group => "group",
            Subject::Kindergarten => "kindergarten",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            Subject::Teacher => "педагог",
            Subject::Group => "группа",
            Subject::Kindergarten => "детский сад",
        }
    }
}

/// Which submissions of an instrument count in reports — the one rule of the API, the imports,
/// the batch scorer and `vsoko recompute`.
///
/// Among submissions with the same *counting key* in one period, only the latest counts; the
/// others are earlier answers of the same person, kept but not counted. The key is
/// (instrument version, period, subject, respondent) for [`Counting::OnePerRespondent`],
/// (instrument version, period, subject) for [`Counting::OnePerSubject`], and every submission is
/// its own key for [`Counting::Observations`], whose subjects are then averaged: a subject's score
/// is the mean of its observations in the period, and kindergarten and network aggregates count
/// each subject once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counting {
    /// Surveys (the default): one answer per period, subject and respondent.
    OnePerRespondent,
    /// Indicator sets (the default): one answer per period and subject.
    OnePerSubject,
    /// Control cards (the default): several observations per period and subject.
    Observations,
}

impl Counting {
    /// The code used in files, storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Counting::OnePerRespondent => "one_per_respondent",
            Counting::OnePerSubject => "one_per_subject",
            Counting::Observations => "observations",
        }
    }

    /// Parses [`Counting::as_str`].
    pub fn parse(text: &str) -> Option<Counting> {
        match text {
            "one_per_respondent" => Some(Counting::OnePerRespondent),
            "one_per_subject" => Some(Counting::OnePerSubject),
            "observations" => Some(Counting::Observations),
            _ => None,
        }
    }

    /// The rule in Russian, as reports and the interface state it.
    pub fn rule_ru(self) -> &'static str {
        match self {
            Counting::OnePerRespondent => {
                "учитывается одна анкета каждого респондента о каждом оцениваемом за период: повторная отправка — это исправление первой"
            }
            Counting::OnePerSubject => {
                "учитывается одна форма на каждого оцениваемого за период: повторная отправка — это исправление первой"
            }
            Counting::Observations => {
                "учитывается каждое наблюдение; результат оцениваемого — среднее его карт за период, в сводных показателях каждый оцениваемый учитывается один раз"
            }
        }
    }
}
