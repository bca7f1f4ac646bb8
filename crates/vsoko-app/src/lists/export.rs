//! A list as the file a department files: «согласованный список» (№, ФИО, должность, ДОО,
//! отметка о согласовании, дата), and beside it each kindergarten's agreement.

use chrono::NaiveDate;
use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};

use super::{AgreementState, EntryState, KindergartenList, ListEntry, StaffList, StaffListView};

/// A date as a Russian document writes it.
fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::words::date_text(at.date_naive())
}

/// The mark and its date for one person of `part`.
fn mark(list: StaffList, part: &KindergartenList, entry: &ListEntry) -> (String, String) {
    let decided = entry
        .decision
        .as_ref()
        .map(|decision| date(decision.at))
        .unwrap_or_default();
    match list {
        StaffList::Motivated => match &part.agreement {
            Some(agreement) if agreement.people.contains(&entry.person.id) => {
                ("согласовано заведующим".to_owned(), date(agreement.at))
            }
            Some(_) => (
                "не согласовано: в списке после согласования".to_owned(),
                String::new(),
            ),
            None => ("не согласовано".to_owned(), String::new()),
        },
        StaffList::Tutors => match entry.state {
            EntryState::Designated => ("назначен(а) тьютором сети".to_owned(), decided),
            EntryState::Confirmed => ("подтверждено заведующим".to_owned(), decided),
            _ => ("не подтверждено".to_owned(), String::new()),
        },
        StaffList::NeedsTraining => match entry.state {
            EntryState::Confirmed => ("подтверждено заведующим".to_owned(), decided),
            _ => ("не подтверждено".to_owned(), String::new()),
        },
        StaffList::Consultation => match entry.state {
            EntryState::Answered => ("консультация проведена".to_owned(), decided),
            _ => ("ожидает консультации".to_owned(), String::new()),
        },
    }
}

/// The sheets of a list: «Список» (each person on it, not the dismissed) and, for the motivated
/// list, «Согласование» (each kindergarten: on the list, agreed or not, when).
pub fn list_sheets(view: &StaffListView) -> Vec<Sheet> {
    let column = |header: &str, kind: ColumnKind| Column {
        header: header.to_owned(),
        kind,
    };
    let mut rows = Vec::new();
    for part in &view.kindergartens {
        for entry in part.listed() {
            let (text, on) = mark(view.list, part, entry);
            rows.push(vec![
                Cell::Number((rows.len() + 1) as f64),
                Cell::Text(entry.person.full_name.clone()),
                Cell::Text(entry.person.position.clone()),
                Cell::Text(part.kindergarten.short_name.clone()),
                Cell::Text(text),
                Cell::Text(on),
            ]);
        }
    }
    let mut sheets = vec![Sheet {
        name: "Список".to_owned(),
        columns: vec![
            column("№", ColumnKind::Integer),
            column("ФИО", ColumnKind::Text),
            column("Должность", ColumnKind::Text),
            column("ДОО", ColumnKind::Text),
            column("Отметка о согласовании", ColumnKind::Text),
            column("Дата", ColumnKind::Text),
        ],
        rows,
    }];
    if view.list == StaffList::Motivated {
        sheets.push(Sheet {
            name: "Согласование".to_owned(),
            columns: vec![
                column("ДОО", ColumnKind::Text),
                column("В списке", ColumnKind::Integer),
                column("Согласование", ColumnKind::Text),
                column("Дата", ColumnKind::Text),
            ],
            rows: view
                .kindergartens
                .iter()
                .map(|part| {
                    let (state, on) = match &part.agreement {
                        Some(agreement) => (
                            match &agreement.state {
                                AgreementState::Agreed => "согласован".to_owned(),
                                AgreementState::Outdated { added, left } => format!(
                                    "согласован, но изменился: добавлено {}, выбыло {}",
                                    added.len(),
                                    left.len()
                                ),
                                AgreementState::NotAgreed => "не согласован".to_owned(),
                            },
                            date(agreement.at),
                        ),
                        None => ("не согласован".to_owned(), String::new()),
                    };
                    vec![
                        Cell::Text(part.kindergarten.short_name.clone()),
                        Cell::Number(part.listed().count() as f64),
                        Cell::Text(state),
                        Cell::Text(on),
                    ]
                })
                .collect(),
        });
    }
    sheets
}

/// The file name of `list` for a kindergarten (`Some(id)`) or the network.
pub fn list_file_name(
    list: StaffList,
    kindergarten: Option<vsoko_domain::KindergartenId>,
    today: NaiveDate,
    format: crate::export::FileFormat,
) -> String {
    let scope =
        kindergarten.map_or_else(|| "network".to_owned(), |id| format!("kindergarten-{id}"));
    format!(
        "vsoko-list-{}-{scope}-{today}.{}",
        list.code(),
        format.extension()
    )
}
