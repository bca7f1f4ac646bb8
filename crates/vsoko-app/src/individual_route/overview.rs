//! The routes of a kindergarten and of the network: each teacher's status and rows done, the
//! municipal indicators, and the files of them.

use chrono::NaiveDate;
use vsoko_domain::{Kindergarten, Person};
use vsoko_storage::Scope;

use super::{RouteStatus, from_stored};
use crate::error::{AppError, AppResult};
use crate::reports::ReportOf;
use crate::{App, Principal};
use vsoko_development::SchoolYear;

/// One teacher's route in a kindergarten's list.
#[derive(Debug, Clone)]
pub struct RouteLine {
    /// The teacher.
    pub person: Person,
    /// Her route's status (`Draft` also when nobody has acted on it yet).
    pub status: RouteStatus,
    /// Whether the route is stored (someone acted on it).
    pub stored: bool,
    /// Rows done, of all (of a stored route).
    pub done: (u32, u32),
    /// A member of the management team (counted apart from teachers).
    pub management: bool,
}

/// The routes of a kindergarten: the municipal indicators «доля педагогов с ИОМ» and
/// «выполнение ИОМ».
#[derive(Debug, Clone)]
pub struct KindergartenRoutes {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// Its active teachers with their routes, by name.
    pub lines: Vec<RouteLine>,
    /// Its active management team with their routes, by name (apart from the teachers' figures).
    pub management: Vec<RouteLine>,
}

impl KindergartenRoutes {
    /// How many routes are in `status` (unstored drafts counted as drafts).
    pub fn count(&self, status: RouteStatus) -> usize {
        self.lines
            .iter()
            .filter(|line| line.status == status)
            .count()
    }

    /// Teachers with an approved (or done) route, of the active teachers.
    pub fn approved_share(&self) -> Option<vsoko_development::Share> {
        let approved = self
            .lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .count();
        vsoko_development::Share::new(
            u32::try_from(approved).unwrap_or(u32::MAX),
            u32::try_from(self.lines.len()).unwrap_or(u32::MAX),
        )
    }

    /// Rows done of rows planned, over the approved and done routes.
    pub fn rows_done(&self) -> (u32, u32) {
        self.lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .fold((0, 0), |(done, total), line| {
                (done + line.done.0, total + line.done.1)
            })
    }

    /// Approved or done routes at least 80 % done, of the approved or done routes.
    pub fn mostly_done(&self) -> (u32, u32) {
        self.lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .fold((0, 0), |(mostly, all), line| {
                let (done, total) = line.done;
                (
                    mostly + u32::from(vsoko_development::route_mostly_done(done, total)),
                    all + 1,
                )
            })
    }
}

impl App {
    /// The routes of the school year of `today` in each kindergarten of `of` (one kindergarten:
    /// its head and the department; the network: the department), teacher by teacher.
    pub async fn routes_overview(
        &self,
        principal: &Principal,
        of: ReportOf,
        today: NaiveDate,
    ) -> AppResult<Vec<KindergartenRoutes>> {
        let units = match of {
            ReportOf::Kindergarten(id) => {
                let unit = self.kindergarten(principal, id).await?;
                principal.check_manage_training(&unit)?;
                vec![unit]
            }
            ReportOf::Network => {
                principal.check_network_report()?;
                self.kindergartens(principal).await?
            }
            ReportOf::Teacher(_) => return Err(AppError::NotFound(vsoko_storage::Record::Person)),
        };
        let year = SchoolYear::containing(today).start_year();
        let mut overview = Vec::new();
        for unit in units {
            let routes = self
                .store
                .routes(Scope::Kindergarten(unit.id), year)
                .await?;
            let mut lines = Vec::new();
            let mut management = Vec::new();
            let mut people = self.store.people(unit.id).await?;
            people.sort_by(|a, b| a.full_name.cmp(&b.full_name));
            for person in people {
                if !person.active {
                    continue;
                }
                let is_management = crate::training::category_of(&person.position)
                    == vsoko_development::StaffCategory::Management;
                let route = routes.iter().find(|route| route.person_id == person.id);
                let (status, done) = match route {
                    Some(route) => {
                        let rows = from_stored(&route.rows)?;
                        let done = rows.iter().filter(|row| row.done).count();
                        (
                            RouteStatus::parse(&route.status).unwrap_or(RouteStatus::Draft),
                            (
                                u32::try_from(done).unwrap_or(u32::MAX),
                                u32::try_from(rows.len()).unwrap_or(u32::MAX),
                            ),
                        )
                    }
                    None => (RouteStatus::Draft, (0, 0)),
                };
                let line = RouteLine {
                    person,
                    status,
                    stored: route.is_some(),
                    done,
                    management: is_management,
                };
                if is_management {
                    management.push(line);
                } else {
                    lines.push(line);
                }
            }
            overview.push(KindergartenRoutes {
                kindergarten: unit,
                lines,
                management,
            });
        }
        Ok(overview)
    }
}

/// The справка's section «Индивидуальные образовательные маршруты» over the kindergartens of its
/// scope: teachers with an approved (or done) route of the active teachers, rows done of rows
/// planned, and routes done at least 80 % — the municipal indicators — or one line when no route
/// was approved in the school year.
pub fn routes_section(overview: &[KindergartenRoutes], year: &str) -> vsoko_exchange::Section {
    use crate::words::{counted, percent_whole};
    let sum = |pick: fn(&KindergartenRoutes) -> (u32, u32)| {
        overview
            .iter()
            .map(pick)
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    };
    let (approved, teachers) = sum(|unit| {
        unit.approved_share().map_or(
            (0, u32::try_from(unit.lines.len()).unwrap_or(u32::MAX)),
            |share| (share.part, share.whole),
        )
    });
    let (rows_done, rows) = sum(KindergartenRoutes::rows_done);
    let (mostly, routes) = sum(KindergartenRoutes::mostly_done);
    let share =
        |part: u32, whole: u32| percent_whole(f64::from(part) * 100.0 / f64::from(whole), &[]);
    let blocks = if approved == 0 {
        vec![vsoko_exchange::Block::Paragraph(format!(
            "Утверждённых индивидуальных образовательных маршрутов педагогов в {year} учебном году нет."
        ))]
    } else {
        let mut lines = vec![format!(
            "Утверждённый индивидуальный образовательный маршрут — у {approved} из {} ({}).",
            counted(teachers as usize, "педагога", "педагогов", "педагогов"),
            share(approved, teachers)
        )];
        if rows > 0 {
            lines.push(format!(
                "Выполнено {rows_done} из {} маршрутов ({}); выполнены не менее чем на 80\u{a0}% — {mostly} из {} ({}).",
                counted(rows as usize, "мероприятия", "мероприятий", "мероприятий"),
                share(rows_done, rows),
                counted(routes as usize, "маршрута", "маршрутов", "маршрутов"),
                share(mostly, routes)
            ));
        }
        vec![vsoko_exchange::Block::Bullets(lines)]
    };
    vsoko_exchange::Section {
        heading: "Индивидуальные образовательные маршруты".to_owned(),
        blocks,
    }
}

/// The routes as the files Russian Excel opens: «Маршруты» (each kindergarten: teachers, on
/// approval, approved, rows done of planned, routes done at least 80 %) and, with `named`, «Педагоги»
/// (each teacher and member of the management team: status, rows done).
pub fn routes_sheets(overview: &[KindergartenRoutes], named: bool) -> Vec<vsoko_exchange::Sheet> {
    use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};
    let column = |header: &str, kind: ColumnKind| Column {
        header: header.to_owned(),
        kind,
    };
    let number = |value: usize| Cell::Number(value as f64);
    let mut sheets = vec![Sheet {
        name: "Маршруты".to_owned(),
        columns: vec![
            column("Детский сад", ColumnKind::Text),
            column("Педагогов", ColumnKind::Integer),
            column("На согласовании", ColumnKind::Integer),
            column("Утверждено или выполнено", ColumnKind::Integer),
            column("Строк выполнено", ColumnKind::Integer),
            column("Строк в планах", ColumnKind::Integer),
            column("Маршрутов выполнено на 80 % и более", ColumnKind::Integer),
        ],
        rows: overview
            .iter()
            .map(|unit| {
                let (done, rows) = unit.rows_done();
                vec![
                    Cell::Text(unit.kindergarten.short_name.clone()),
                    number(unit.lines.len()),
                    number(unit.count(RouteStatus::Submitted)),
                    number(unit.count(RouteStatus::Approved) + unit.count(RouteStatus::Done)),
                    Cell::Number(f64::from(done)),
                    Cell::Number(f64::from(rows)),
                    Cell::Number(f64::from(unit.mostly_done().0)),
                ]
            })
            .collect(),
    }];
    if named {
        sheets.push(Sheet {
            name: "Педагоги".to_owned(),
            columns: vec![
                column("ФИО", ColumnKind::Text),
                column("Должность", ColumnKind::Text),
                column("Детский сад", ColumnKind::Text),
                column("Статус маршрута", ColumnKind::Text),
                column("Строк выполнено", ColumnKind::Integer),
                column("Строк в плане", ColumnKind::Integer),
            ],
            rows: overview
                .iter()
                .flat_map(|unit| {
                    unit.lines.iter().chain(&unit.management).map(move |line| {
                        vec![
                            Cell::Text(line.person.full_name.clone()),
                            Cell::Text(line.person.position.clone()),
                            Cell::Text(unit.kindergarten.short_name.clone()),
                            Cell::Text(if line.stored {
                                line.status.label().to_owned()
                            } else {
                                "черновик (не начат)".to_owned()
                            }),
                            Cell::Number(f64::from(line.done.0)),
                            Cell::Number(f64::from(line.done.1)),
                        ]
                    })
                })
                .collect(),
        });
    }
    sheets
}

/// The file name of the routes of a kindergarten (`Some(id)`) or of the network.
pub fn routes_file_name(
    kindergarten: Option<vsoko_domain::KindergartenId>,
    today: NaiveDate,
    format: crate::export::FileFormat,
) -> String {
    let scope =
        kindergarten.map_or_else(|| "network".to_owned(), |id| format!("kindergarten-{id}"));
    format!("vsoko-iom-{scope}-{today}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsoko_domain::{KindergartenId, NetworkId, PersonId};

    fn line(id: i64, status: RouteStatus, done: (u32, u32)) -> RouteLine {
        RouteLine {
            person: Person {
                id: PersonId::new(id),
                kindergarten_id: KindergartenId::new(1),
                full_name: format!("Педагог {id}"),
                position: "воспитатель".to_owned(),
                active: true,
            },
            status,
            stored: true,
            done,
            management: false,
        }
    }

    fn unit(lines: Vec<RouteLine>) -> KindergartenRoutes {
        KindergartenRoutes {
            kindergarten: Kindergarten {
                id: KindergartenId::new(1),
                network_id: NetworkId::new(1),
                number: "18".to_owned(),
                full_name: "Детский сад № 18".to_owned(),
                short_name: "МДОУ № 18".to_owned(),
                district: None,
            },
            lines,
            management: Vec::new(),
        }
    }

    fn text(section: &vsoko_exchange::Section) -> Vec<String> {
        section
            .blocks
            .iter()
            .flat_map(|block| match block {
                vsoko_exchange::Block::Paragraph(text) => vec![text.clone()],
                vsoko_exchange::Block::Bullets(items) => items.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Issue 29 §6: the share of teachers with a route and the share of it done, summed over
    /// the kindergartens; drafts and routes on approval count as without one.
    #[test]
    fn the_routes_section_counts_approved_routes_and_rows_done() {
        let overview = [
            unit(vec![
                line(1, RouteStatus::Approved, (4, 5)),
                line(2, RouteStatus::Done, (3, 3)),
                line(3, RouteStatus::Draft, (0, 0)),
            ]),
            unit(vec![line(4, RouteStatus::Approved, (1, 4))]),
        ];
        assert_eq!(
            text(&routes_section(&overview, "2024/2025")),
            [
                "Утверждённый индивидуальный образовательный маршрут — у 3 из 4 педагогов (75\u{a0}%).",
                "Выполнено 8 из 12 мероприятий маршрутов (67\u{a0}%); выполнены не менее чем на 80\u{a0}% — 2 из 3 маршрутов (67\u{a0}%).",
            ]
        );
        assert_eq!(
            text(&routes_section(
                &[unit(vec![line(1, RouteStatus::Draft, (0, 0))])],
                "2024/2025"
            )),
            [
                "Утверждённых индивидуальных образовательных маршрутов педагогов в 2024/2025 учебном году нет."
            ]
        );
    }
}
