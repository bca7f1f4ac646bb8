//! Instruments version 2 (issue 15): September on version 1 and May on version 2 compared through
//! the crosswalk; variable indicators out of the network; parents' questionnaires shown only for
//! groups of at least `min_respondents`.

use serde_json::{Value, json};

use crate::helpers::{TestApp, World, answers, created};

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

fn row<'r>(report: &'r Value, code: &str) -> &'r Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {report}"))
}

crate::both!(a_may_report_on_version_2_compares_with_september_on_version_1_through_the_crosswalk);
async fn a_may_report_on_version_2_compares_with_september_on_version_1_through_the_crosswalk(
    app: TestApp,
) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (person, token) = &unit.teachers[0];
    let v1 = app.instrument_version(token, "dc-teacher", 1).await;
    let v2 = app.instrument_version(token, "dc-teacher", 2).await;
    assert_eq!(v2["version"], 2);
    created(
        app.submit(
            token,
            "september",
            &json!({"instrument": "dc-teacher", "version": 1, "period": "2024-09",
                    "answers": answers(&v1, 0)}),
        )
        .await,
    )
    .await;
    created(
        app.submit(
            token,
            "may",
            &json!({"instrument": "dc-teacher", "version": 2, "period": "2025-05",
                    "answers": answers(&v2, 3)}),
        )
        .await,
    )
    .await;
    let path = |period: &str, compare: &str| {
        format!("/api/v1/reports/teachers/{person}?instrument=dc-teacher&period={period}{compare}")
    };
    // Without a version, each period is read in the version it was filled in.
    let september = json_of(app.get_as(token, &path("2024-09", "")).await).await;
    assert_eq!(september["instrument"]["version"], 1, "{september}");
    let may = json_of(
        app.get_as(token, &path("2025-05", "&compare_period=2024-09"))
            .await,
    )
    .await;
    assert_eq!(may["instrument"]["version"], 2, "{may}");

    // A1.2 is `same` in the crosswalk: compared with its September score.
    let kept = row(&may, "A1.2");
    assert_eq!(kept["comparable"], true, "{kept}");
    assert_eq!(kept["before"], row(&september, "A1.2")["score"], "{kept}");
    let delta = kept["score"].as_f64().unwrap() - kept["before"].as_f64().unwrap();
    assert!(
        (kept["delta"].as_f64().unwrap() - delta).abs() < 1e-9,
        "{kept}"
    );
    // A5 keeps its code and content, unlisted: compared by default.
    assert_eq!(row(&may, "A5")["comparable"], true);
    // New (A0) and changed (A2.2, the total) nodes: «нет сопоставимых данных», no delta.
    for code in ["A0", "A0.1", "A2.2", "dc-teacher"] {
        let new = row(&may, code);
        assert_eq!(new["comparable"], false, "{new}");
        assert!(
            new.get("before").is_none() && new.get("delta").is_none(),
            "{new}"
        );
    }
}

crate::both!(a_may_report_on_version_3_compares_with_september_on_version_2_through_the_crosswalk);
/// Issue 25: version 3 of the teacher survey re-words the ladder (same values) and splits A0.2.1
/// and A6.1.2; what keeps its scored content compares with September on version 2, the rest says
/// «нет сопоставимых данных».
async fn a_may_report_on_version_3_compares_with_september_on_version_2_through_the_crosswalk(
    app: TestApp,
) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let (person, token) = &unit.teachers[0];
    let v2 = app.instrument_version(token, "dc-teacher", 2).await;
    let v3 = app.instrument(token, "dc-teacher").await;
    assert_eq!(v3["version"], 3);
    for (key, period, form, seed) in [("september", "2024-09", &v2, 0), ("may", "2025-05", &v3, 3)]
    {
        created(
            app.submit(
                token,
                key,
                &json!({"instrument": "dc-teacher", "version": form["version"], "period": period,
                        "answers": answers(form, seed)}),
            )
            .await,
        )
        .await;
    }
    let path = |period: &str, compare: &str| {
        format!("/api/v1/reports/teachers/{person}?instrument=dc-teacher&period={period}{compare}")
    };
    let september = json_of(app.get_as(token, &path("2024-09", "")).await).await;
    assert_eq!(september["instrument"]["version"], 2, "{september}");
    let may = json_of(
        app.get_as(token, &path("2025-05", "&compare_period=2024-09"))
            .await,
    )
    .await;
    assert_eq!(may["instrument"]["version"], 3, "{may}");
    for code in ["A0.1", "A1", "A1.1", "A5", "A6.3"] {
        let kept = row(&may, code);
        assert_eq!(kept["comparable"], true, "{kept}");
        assert_eq!(kept["before"], row(&september, code)["score"], "{kept}");
    }
    for code in ["A0", "A0.2", "A6", "A6.1", "dc-teacher"] {
        let changed = row(&may, code);
        assert_eq!(changed["comparable"], false, "{changed}");
        assert!(changed.get("delta").is_none(), "{changed}");
    }
}

crate::both!(variable_indicators_stay_in_their_kindergarten_and_out_of_the_network);
async fn variable_indicators_stay_in_their_kindergarten_and_out_of_the_network(app: TestApp) {
    let world = World::build(&app).await;
    let form = app
        .instrument(&world.units[0].head, "vsoko-kindergarten")
        .await;
    assert_eq!(form["version"], 3);
    for (index, unit) in world.units.iter().enumerate() {
        created(
            app.submit(
                &unit.head,
                &format!("set-{index}"),
                // No subject: the head's own kindergarten is what the indicator set is about.
                &json!({"instrument": "vsoko-kindergarten", "period": "2025-05",
                        "answers": answers(&form, index)}),
            )
            .await,
        )
        .await;
    }
    let unit = &world.units[0];
    let own = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/reports/kindergartens/{}?instrument=vsoko-kindergarten&period=2025-05",
                unit.id
            ),
        )
        .await,
    )
    .await;
    // The kindergarten's own report shows its variable indicators and the variable part, apart
    // from the total.
    for code in ["A2.3", "A7.3", "variable"] {
        assert_eq!(row(&own, code)["variable"], true, "{own}");
    }
    assert_eq!(row(&own, "variable")["kind"], "variable");
    assert_eq!(row(&own, "vsoko-kindergarten")["variable"], false);
    let network = json_of(
        app.get_as(
            &world.manager,
            "/api/v1/reports/network?instrument=vsoko-kindergarten&period=2025-05",
        )
        .await,
    )
    .await;
    let rows = network["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|row| row["variable"] == false && row["code"] != "A2.3" && row["code"] != "A7.3"),
        "{network}"
    );
    // The ranking is by the totals, which leave the variable part out.
    for line in network["kindergartens"].as_array().unwrap() {
        let id = line["id"].as_i64().unwrap();
        let unit = world.units.iter().find(|unit| unit.id == id).unwrap();
        let own = json_of(
            app.get_as(
                &unit.head,
                &format!(
                    "/api/v1/reports/kindergartens/{id}?instrument=vsoko-kindergarten&period=2025-05"
                ),
            )
            .await,
        )
        .await;
        assert_eq!(line["score"], row(&own, "vsoko-kindergarten")["score"]);
        // An indicator set, checked by the head against documents, gives places.
        assert!(
            line["rank"].as_u64().is_some_and(|rank| rank >= 1),
            "{line}"
        );
    }
}

/// `count` parents' questionnaires about `group`, entered by the head.
async fn parents(app: &TestApp, head: &str, form: &Value, group: i64, count: usize, tag: &str) {
    for response in 0..count {
        created(
            app.submit(
                head,
                &format!("{tag}-{group}-{response}"),
                &json!({"instrument": "parent-satisfaction", "period": "2025-05",
                        "observed_on": "2025-05-12",
                        "subject": {"kind": "group", "id": group},
                        "answers": answers(form, response)}),
            )
            .await,
        )
        .await;
    }
}

crate::both!(parents_are_shown_only_for_groups_of_at_least_five_responses);
async fn parents_are_shown_only_for_groups_of_at_least_five_responses(app: TestApp) {
    let world = World::build(&app).await;
    let (first, second) = (&world.units[0], &world.units[1]);
    let form = app.instrument(&first.head, "parent-satisfaction").await;
    assert_eq!(form["respondent"], "parent");
    let mut groups = vec![first.group];
    for name in ["Солнышко", "Колокольчик"] {
        let group = created(
            app.post_as(
                &first.head,
                &format!("/api/v1/kindergartens/{}/groups", first.id),
                &json!({"name": name, "age_group": "средняя"}),
            )
            .await,
        )
        .await;
        groups.push(group["id"].as_i64().unwrap());
    }
    // Радуга 6, Солнышко 3, Колокольчик 7 responses; the second kindergarten 4.
    parents(&app, &first.head, &form, groups[0], 6, "a").await;
    parents(&app, &first.head, &form, groups[1], 3, "b").await;
    parents(&app, &first.head, &form, groups[2], 7, "c").await;
    parents(&app, &second.head, &form, second.group, 4, "d").await;

    let report = |unit: &crate::helpers::Unit| {
        format!(
            "/api/v1/reports/kindergartens/{}?instrument=parent-satisfaction&period=2025-05",
            unit.id
        )
    };
    let own = json_of(app.get_as(&first.head, &report(first)).await).await;
    assert_eq!(own["min_respondents"], 5);
    assert_eq!(own["n_submissions"], 16);
    assert!(
        row(&own, "parent-satisfaction")["score"].is_number(),
        "{own}"
    );
    let group = |id: i64| {
        own["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group_id"] == id)
            .unwrap()
            .clone()
    };
    // Солнышко has 3 < 5: hidden. With it alone hidden, the kindergarten's mean and the other two
    // groups would give it away, so the smaller of those (Радуга, 6) is hidden too.
    let (rainbow, sun, bell) = (group(groups[0]), group(groups[1]), group(groups[2]));
    assert_eq!(
        (sun["suppressed"].clone(), sun["n"].clone()),
        (json!(true), json!(3))
    );
    assert!(sun["score"].is_null() && sun["level"].is_null(), "{sun}");
    assert_eq!(rainbow["suppressed"], true, "{rainbow}");
    assert!(rainbow["score"].is_null(), "{rainbow}");
    assert_eq!(bell["suppressed"], false, "{bell}");
    assert!(bell["score"].is_number(), "{bell}");

    // The second kindergarten has 4 responses in all: nothing of it is shown.
    let small = json_of(app.get_as(&second.head, &report(second)).await).await;
    for line in small["rows"].as_array().unwrap() {
        assert_eq!(line["suppressed"], true, "{line}");
        assert!(line["score"].is_null() && line["level"].is_null(), "{line}");
    }

    // The network: the second kindergarten is hidden, and with two kindergartens the first one
    // too, or the network mean would give the second away.
    let network = json_of(
        app.get_as(
            &world.manager,
            "/api/v1/reports/network?instrument=parent-satisfaction&period=2025-05",
        )
        .await,
    )
    .await;
    assert!(network.get("kindergartens").is_none(), "{network}");
    let hidden: Vec<(i64, u64)> = network["suppressed_kindergartens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| (line["id"].as_i64().unwrap(), line["n"].as_u64().unwrap()))
        .collect();
    assert_eq!(hidden.len(), 2, "{network}");
    assert!(
        hidden.contains(&(second.id, 4)) && hidden.contains(&(first.id, 16)),
        "{network}"
    );
    assert!(
        row(&network, "parent-satisfaction")["score"].is_number(),
        "{network}"
    );
}

crate::both!(reports_give_the_na_rate_of_every_item_and_mark_unscored_ones);
async fn reports_give_the_na_rate_of_every_item_and_mark_unscored_ones(app: TestApp) {
    let world = World::build(&app).await;
    let unit = &world.units[0];
    let form = app.instrument(&unit.head, "dc-teacher").await;
    // An item that may be answered N/A (its scale has an N/A label), and an unscored one.
    let scales = form["scales"].as_array().unwrap();
    let items: Vec<&Value> = form["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|area| area["indicators"].as_array().unwrap())
        .flat_map(|indicator| indicator["items"].as_array().unwrap())
        .collect();
    let with_na = items
        .iter()
        .find(|item| {
            item["scored"] == true
                && scales
                    .iter()
                    .any(|s| s["code"] == item["scale"] && s["na_label"].is_string())
        })
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let unscored = items.iter().find(|item| item["scored"] == false).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    for (index, (_, token)) in unit.teachers.iter().enumerate() {
        let mut given = answers(&form, index);
        if index == 0 {
            for answer in &mut given {
                if answer["item"] == with_na.as_str() {
                    *answer = json!({"item": with_na, "na": true});
                }
            }
        }
        created(
            app.submit(
                token,
                &format!("t-{index}"),
                &json!({"instrument": "dc-teacher", "period": "2025-05", "answers": given}),
            )
            .await,
        )
        .await;
    }
    let report = json_of(
        app.get_as(
            &unit.head,
            &format!(
                "/api/v1/reports/kindergartens/{}?instrument=dc-teacher&period=2025-05",
                unit.id
            ),
        )
        .await,
    )
    .await;
    let item = |code: &str| {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["code"] == code)
            .unwrap()
            .clone()
    };
    let teachers = unit.teachers.len() as u64;
    let na = item(&with_na);
    assert_eq!(na["not_applicable"], 1, "{na}");
    assert_eq!(na["answered"].as_u64().unwrap(), teachers - 1, "{na}");
    assert_eq!(na["missing"], 0, "{na}");
    let share = na["na_share"].as_f64().unwrap();
    assert!((share - 1.0 / teachers as f64).abs() < 1e-12, "{na}");
    let motivation = item(&unscored);
    assert_eq!(motivation["scored"], false, "{motivation}");
    assert_eq!(
        motivation["answered"].as_u64().unwrap(),
        teachers,
        "{motivation}"
    );
    assert_eq!(
        report["items"].as_array().unwrap().len(),
        items.len(),
        "every item, in instrument order"
    );
    // The network report reads every answer of the period for them: only when asked.
    let path = "/api/v1/reports/network?instrument=dc-teacher&period=2025-05";
    let plain = json_of(app.get_as(&world.manager, path).await).await;
    assert!(plain.get("items").is_none(), "{plain}");
    let with = json_of(
        app.get_as(&world.manager, &format!("{path}&items=true"))
            .await,
    )
    .await;
    let network_na = with["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["code"] == with_na.as_str())
        .unwrap()
        .clone();
    assert_eq!(network_na["not_applicable"], 1, "{network_na}");
}
