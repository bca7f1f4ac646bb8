//! The polars batch against `score_submission` and against a deliberately plain re-implementation;
//! latest revision, permutations, invalid rows, aggregates, dynamics.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use vsoko_checklist::{
    AnswerValue, Direction, IndicatorKind, Instrument, NumericRule, RawAnswer, ScaleKind,
    parse_toml, round6,
};
use vsoko_scoring::{
    BatchOptions, BatchOutput, NodeKind, ScoredSubmission, ScoringError, SplitMix64, aggregate,
    dynamics, generate_answers, score_csv, score_submission,
};

const CARD: &str = include_str!("fixtures/card.toml");
/// Appended to [`CARD`] (into its last area): a variable indicator, and an unscored item in an
/// invariant one.
const VARIABLE_PART: &str = include_str!("fixtures/variable_part.toml");
const HEADER: &str = "submission_id,kindergarten,respondent,period,instrument,item,value";

fn card() -> Instrument {
    parse_toml(CARD, "card.toml").unwrap()
}

/// [`card`] with a variable indicator and an unscored item.
fn card_with_variable_part() -> Instrument {
    parse_toml(&format!("{CARD}{VARIABLE_PART}"), "card-variable.toml").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(
    instrument: &Instrument,
    csv: &str,
    options: &BatchOptions,
) -> Result<BatchOutput, ScoringError> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "answers.csv", csv);
    let options = BatchOptions {
        per_submission: true,
        ..options.clone()
    };
    score_csv(instrument, &path, &options)
}

fn generated(instrument: &Instrument, rows: u64, seed: u64) -> String {
    let mut out = Vec::new();
    generate_answers(instrument, rows, seed, "2026-05", &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Parsed data rows: (submission, kindergarten, respondent, period, item, value).
type Row = (String, String, String, String, String, Option<f64>);

fn parse_rows(csv: &str) -> Vec<Row> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].to_owned(),
                f[3].to_owned(),
                f[5].to_owned(),
                (!f[6].is_empty()).then(|| f[6].parse().unwrap()),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A deliberately plain implementation of the semantics, independent of the crate's code.

fn plain_item_score(instrument: &Instrument, item: &str, v: f64) -> f64 {
    let scale = instrument.item(item).unwrap().scale;
    let s = match scale.kind() {
        ScaleKind::Options(o) => (v - o[0].value()) / (o[o.len() - 1].value() - o[0].value()),
        ScaleKind::Numeric { rule, .. } => match rule {
            NumericRule::Target { target, direction } => match direction {
                Direction::MoreIsBetter => (v / target).min(1.0),
                Direction::LessIsBetter if v == 0.0 => 1.0,
                Direction::LessIsBetter => (target / v).min(1.0),
            },
            NumericRule::Bands(bands) => {
                let mut points = bands[0].points();
                for b in bands {
                    if v >= b.from() {
                        points = b.points();
                    }
                }
                let min = bands.iter().map(|b| b.points()).fold(f64::MAX, f64::min);
                let max = bands.iter().map(|b| b.points()).fold(f64::MIN, f64::max);
                (points - min) / (max - min)
            }
        },
    };
    s.clamp(0.0, 1.0)
}

#[derive(Debug, Clone, PartialEq)]
struct PlainNode {
    percent: Option<f64>,
    answered: u32,
    critical: bool,
}

/// (kind, code) → node, for one submission's answers.
fn plain_submission(
    instrument: &Instrument,
    answers: &HashMap<String, Option<f64>>,
) -> BTreeMap<(NodeKind, String), PlainNode> {
    let min_cov = instrument.min_coverage().get();
    let valid = |answered: u32, items: u32| {
        answered > 0 && round6(answered as f64 * 100.0 / items as f64) >= min_cov
    };
    let mut out = BTreeMap::new();
    let (mut t_sum, mut t_w, mut t_ans, mut t_items, mut t_crit) = (0.0, 0.0, 0, 0, false);
    // The variable part: variable indicators, outside their areas and the total.
    let (mut v_sum, mut v_w, mut v_ans, mut v_items, mut has_variable) = (0.0, 0.0, 0, 0, false);
    for area in instrument.areas() {
        let (mut a_sum, mut a_w, mut a_ans, mut a_items, mut a_crit) = (0.0, 0.0, 0, 0, false);
        for ind in area.indicators() {
            let (mut sum, mut w, mut ans, mut crit, mut n) = (0.0, 0.0, 0, false, 0);
            for item in ind.items() {
                if !item.is_scored() {
                    continue;
                }
                n += 1;
                if let Some(Some(v)) = answers.get(item.code().as_str()) {
                    sum += item.weight().get()
                        * plain_item_score(instrument, item.code().as_str(), *v);
                    w += item.weight().get();
                    ans += 1;
                    let scale = instrument.scale_of(item);
                    if item.is_critical() && scale.options().unwrap()[0].value() == *v {
                        crit = true;
                    }
                }
            }
            let p = valid(ans, n).then(|| sum / w * 100.0);
            if ind.kind() == IndicatorKind::Variable {
                has_variable = true;
                if let Some(p) = p {
                    v_sum += ind.weight().get() * p;
                    v_w += ind.weight().get();
                }
                v_ans += ans;
                v_items += n;
            } else {
                if let Some(p) = p {
                    a_sum += ind.weight().get() * p;
                    a_w += ind.weight().get();
                }
                a_ans += ans;
                a_items += n;
                a_crit |= crit;
            }
            out.insert(
                (NodeKind::Indicator, ind.code().to_string()),
                PlainNode {
                    percent: p,
                    answered: ans,
                    critical: crit,
                },
            );
        }
        let p = (valid(a_ans, a_items) && a_w > 0.0).then(|| a_sum / a_w);
        if let Some(p) = p {
            t_sum += area.weight().get() * p;
            t_w += area.weight().get();
        }
        t_ans += a_ans;
        t_items += a_items;
        t_crit |= a_crit;
        out.insert(
            (NodeKind::Area, area.code().to_string()),
            PlainNode {
                percent: p,
                answered: a_ans,
                critical: a_crit,
            },
        );
    }
    let p = (valid(t_ans, t_items) && t_w > 0.0).then(|| t_sum / t_w);
    out.insert(
        (NodeKind::Total, instrument.code().to_string()),
        PlainNode {
            percent: p,
            answered: t_ans,
            critical: t_crit,
        },
    );
    if has_variable {
        let p = (valid(v_ans, v_items) && v_w > 0.0).then(|| v_sum / v_w);
        out.insert(
            (NodeKind::Variable, "variable".to_owned()),
            PlainNode {
                percent: p,
                answered: v_ans,
                critical: false,
            },
        );
    }
    out
}

/// Latest submission per (period, kindergarten, respondent) → its answers.
type Answers = HashMap<String, Option<f64>>;
type Latest = BTreeMap<(String, String, String), (String, Answers)>;

fn plain_latest(rows: &[Row]) -> Latest {
    let mut subs: BTreeMap<(String, String, String, String), Answers> = BTreeMap::new();
    for (sub, kg, resp, period, item, value) in rows {
        subs.entry((period.clone(), kg.clone(), resp.clone(), sub.clone()))
            .or_default()
            .insert(item.clone(), *value);
    }
    let mut latest: Latest = BTreeMap::new();
    for ((period, kg, resp, sub), answers) in subs {
        let key = (period, kg, resp);
        let better = match latest.get(&key) {
            None => true,
            Some((current, _)) => sub.parse::<i64>().unwrap() > current.parse::<i64>().unwrap(),
        };
        if better {
            latest.insert(key, (sub, answers));
        }
    }
    latest
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[test]
fn batch_matches_plain_implementation_and_score_submission() {
    for instrument in [card(), card_with_variable_part()] {
        batch_matches_plain_implementation(&instrument);
    }
}

fn batch_matches_plain_implementation(instrument: &Instrument) {
    let instrument = instrument.clone();
    for seed in [1u64, 2, 3] {
        let csv = generated(&instrument, 3000, seed);
        let output = run(&instrument, &csv, &BatchOptions::default()).unwrap();
        let rows = parse_rows(&csv);
        let latest = plain_latest(&rows);
        let batch_nodes = output.submission_nodes().unwrap();
        let mut by_sub: HashMap<&str, Vec<&vsoko_scoring::BatchNode>> = HashMap::new();
        for node in &batch_nodes {
            by_sub
                .entry(node.submission.as_str())
                .or_default()
                .push(node);
        }
        assert_eq!(by_sub.len(), latest.len(), "one submission per respondent");

        // Per submission: batch == plain == score_submission.
        let mut plain_area: BTreeMap<(String, String), Vec<PlainNode>> = BTreeMap::new();
        let mut scored = Vec::new();
        for ((period, kg, resp), (sub, answers)) in &latest {
            let plain = plain_submission(&instrument, answers);
            let sheet = instrument
                .validate_answers(answers.iter().map(|(item, v)| RawAnswer {
                    item: item.clone(),
                    value: v.map_or(AnswerValue::NotApplicable, AnswerValue::Value),
                    comment: None,
                }))
                .unwrap();
            let exact = score_submission(&instrument, &sheet).unwrap();
            assert_eq!(plain.len(), exact.nodes.len(), "{sub}: the same nodes");
            for node in &exact.nodes {
                let p = &plain[&(node.kind, node.code.clone())];
                match (node.percent, p.percent) {
                    (Some(a), Some(b)) => assert!(close(a, b), "{sub} {}: {a} vs {b}", node.code),
                    (a, b) => assert_eq!(a, b, "{sub} {}", node.code),
                }
                assert_eq!((node.n_answered, node.critical), (p.answered, p.critical));
            }
            let batch: HashMap<(NodeKind, &str), &&vsoko_scoring::BatchNode> = by_sub[sub.as_str()]
                .iter()
                .map(|n| ((n.kind, n.code.as_str()), n))
                .collect();
            // The batch sums in the same order as `score_submission`: equal to the last bit.
            assert_eq!(batch.len(), exact.nodes.len(), "{sub}: every node");
            for node in &exact.nodes {
                let b = batch[&(node.kind, node.code.as_str())];
                assert_eq!(node.percent, b.percent, "{sub} {}", node.code);
                assert_eq!(node.level, b.level, "{sub} {}", node.code);
                assert_eq!(node.critical, b.critical);
                assert_eq!(node.deficit, b.deficit);
                assert_eq!(node.n_answered, b.n_answered);
                assert_eq!(node.coverage, b.coverage);
            }
            for area in instrument.areas() {
                plain_area
                    .entry((kg.clone(), area.code().to_string()))
                    .or_default()
                    .push(plain[&(NodeKind::Area, area.code().to_string())].clone());
            }
            scored.push(ScoredSubmission {
                submission: sub.clone(),
                kindergarten: kg.clone(),
                respondent: resp.clone(),
                subject: resp.clone(),
                period: period.clone(),
                score: exact,
            });
        }

        // Kindergarten × area: plain mean, n, std, median, deficit share.
        let threshold = instrument.deficit_threshold().get();
        let report = &output.report;
        let mut checked = 0;
        for ((kg, area), nodes) in &plain_area {
            let values: Vec<f64> = nodes.iter().filter_map(|n| n.percent).collect();
            let stats = report
                .kindergarten_areas()
                .find(|s| &s.kindergarten == kg && &s.code == area);
            if values.is_empty() {
                assert!(stats.is_none());
                continue;
            }
            let s = stats.unwrap();
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            assert!(close(s.mean, mean), "{kg} {area}");
            assert_eq!(s.n as usize, values.len());
            if values.len() > 1 {
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
                assert!(
                    (s.std.unwrap() - var.sqrt()).abs() < 1e-7,
                    "{kg} {area} std"
                );
            } else {
                assert_eq!(s.std, None);
            }
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mid = sorted.len() / 2;
            let median = if sorted.len() % 2 == 1 {
                sorted[mid]
            } else {
                (sorted[mid - 1] + sorted[mid]) / 2.0
            };
            assert!(close(s.median, median));
            let deficits = values.iter().filter(|v| round6(**v) < threshold).count() as f64;
            assert!(close(s.deficit_share, deficits / n));
            checked += 1;
        }
        assert!(checked > 5);

        // Network × area: mean of kindergarten means, pooled mean.
        for area in instrument.areas() {
            let code = area.code().to_string();
            let kg_means: Vec<f64> = report
                .kindergarten_areas()
                .filter(|s| s.code == code)
                .map(|s| s.mean)
                .collect();
            let pooled: Vec<f64> = plain_area
                .iter()
                .filter(|((_, a), _)| *a == code)
                .flat_map(|(_, nodes)| nodes.iter().filter_map(|n| n.percent))
                .collect();
            let net = report.network_areas().find(|s| s.code == code).unwrap();
            assert!(close(
                net.mean_of_kindergartens,
                kg_means.iter().sum::<f64>() / kg_means.len() as f64
            ));
            assert!(close(
                net.pooled_mean,
                pooled.iter().sum::<f64>() / pooled.len() as f64
            ));
        }

        // The aggregation over ScoredSubmission gives the same report (without item stats).
        let again = aggregate(&instrument, &scored).unwrap();
        assert_eq!(again.kindergartens.len(), report.kindergartens.len());
        for (a, b) in again.kindergartens.iter().zip(&report.kindergartens) {
            assert_eq!(
                (&a.kindergarten, a.kind, &a.code, a.n),
                (&b.kindergarten, b.kind, &b.code, b.n)
            );
            assert!(close(a.mean, b.mean));
        }
        for (a, b) in again.totals.iter().zip(&report.totals) {
            assert_eq!(
                (&a.kindergarten, &a.level, &a.level_counts, a.rank),
                (&b.kindergarten, &b.level, &b.level_counts, b.rank)
            );
        }
        assert_eq!(again.distribution, report.distribution);
    }
}

#[test]
fn permuting_rows_changes_nothing() {
    let instrument = card();
    let csv = generated(&instrument, 2000, 7);
    let reference = run(&instrument, &csv, &BatchOptions::default()).unwrap();
    let mut lines: Vec<&str> = csv.lines().skip(1).collect();
    let mut rng = SplitMix64::new(99);
    for _ in 0..2 {
        for i in (1..lines.len()).rev() {
            lines.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let shuffled = format!("{HEADER}\n{}\n", lines.join("\n"));
        let output = run(&instrument, &shuffled, &BatchOptions::default()).unwrap();
        let (a, b) = (
            output.submission_nodes().unwrap(),
            reference.submission_nodes().unwrap(),
        );
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (&x.submission, x.kind, &x.code, &x.level),
                (&y.submission, y.kind, &y.code, &y.level)
            );
            match (x.percent, y.percent) {
                (Some(p), Some(q)) => assert!(close(p, q)),
                (p, q) => assert_eq!(p, q),
            }
        }
        assert_eq!(output.report.distribution, reference.report.distribution);
        for (x, y) in output.report.totals.iter().zip(&reference.report.totals) {
            assert_eq!(
                (&x.kindergarten, x.rank, &x.level_counts),
                (&y.kindergarten, y.rank, &y.level_counts)
            );
            assert!(close(x.mean, y.mean));
        }
    }
}

#[test]
fn latest_revision_wins() {
    let instrument = card();
    let csv = format!(
        "{HEADER}\n\
         9,kg1,r1,2026-05,t-card,A.1.1,0\n\
         9,kg1,r1,2026-05,t-card,A.1.2,0\n\
         10,kg1,r1,2026-05,t-card,A.1.1,2\n\
         10,kg1,r1,2026-05,t-card,A.1.2,2\n"
    );
    let output = run(&instrument, &csv, &BatchOptions::default()).unwrap();
    let nodes = output.submission_nodes().unwrap();
    assert!(
        nodes.iter().all(|n| n.submission == "10"),
        "10 > 9 as integers"
    );
    let a1 = nodes.iter().find(|n| n.code == "A.1").unwrap();
    assert_eq!(a1.percent, Some(100.0));

    // An explicit revision column beats the id.
    let csv = format!(
        "{HEADER},revision\n\
         b,kg1,r1,2026-05,t-card@1,A.1.1,0,2\n\
         b,kg1,r1,2026-05,t-card@1,A.1.2,0,2\n\
         c,kg1,r1,2026-05,t-card@1,A.1.1,2,1\n\
         c,kg1,r1,2026-05,t-card@1,A.1.2,2,1\n"
    );
    let output = run(&instrument, &csv, &BatchOptions::default()).unwrap();
    let nodes = output.submission_nodes().unwrap();
    assert!(nodes.iter().all(|n| n.submission == "b"));
    assert_eq!(
        nodes.iter().find(|n| n.code == "A.1").unwrap().percent,
        Some(0.0)
    );
}

#[test]
fn one_submission_id_in_two_kindergartens_is_two_submissions() {
    // Ids are numbered by themselves first; a file that reuses an id elsewhere must still be
    // scored by all four keys, exactly as if the ids were distinct.
    let instrument = card();
    let rows = |id_a: &str, id_b: &str| {
        format!(
            "{HEADER}\n\
             {id_a},kg1,r1,2026-05,t-card,A.1.1,0\n\
             {id_a},kg1,r1,2026-05,t-card,A.1.2,1\n\
             {id_b},kg2,r2,2026-05,t-card,A.1.1,2\n\
             {id_b},kg2,r2,2026-05,t-card,A.1.2,2\n"
        )
    };
    let reused = run(&instrument, &rows("7", "7"), &BatchOptions::default()).unwrap();
    let distinct = run(&instrument, &rows("7", "8"), &BatchOptions::default()).unwrap();
    let kindergartens: std::collections::BTreeSet<&str> = reused
        .report
        .kindergartens
        .iter()
        .map(|s| s.kindergarten.as_str())
        .collect();
    assert_eq!(
        kindergartens.into_iter().collect::<Vec<_>>(),
        ["kg1", "kg2"]
    );
    assert_eq!(reused.report.kindergartens, distinct.report.kindergartens);
    assert_eq!(reused.report.network, distinct.report.network);
    let kg2 = reused
        .submission_nodes()
        .unwrap()
        .into_iter()
        .find(|n| n.kindergarten == "kg2" && n.code == "A.1")
        .unwrap();
    assert_eq!(kg2.percent, Some(100.0));
}

#[test]
fn invalid_rows_fail_the_batch_with_their_lines() {
    let instrument = card();
    let csv = format!(
        "{HEADER}\n\
         1,kg1,r1,2026-05,t-card,A.1.1,2\n\
         1,kg1,r1,2026-05,t-card,NOPE,2\n\
         1,kg1,r1,2026-05,other,A.1.2,2\n\
         1,kg1,r1,2026-05,t-card,A.2.2,7\n\
         1,kg1,r1,2026-05,t-card,A.2.1,abc\n\
         1,kg1,r1,2026-05,t-card,A.2.1,101\n\
         1,kg1,r1,2026-05,t-card,B.1.1,\n\
         2,kg1,r2,2026-05,t-card,A.1.1,1\n"
    );
    let Err(ScoringError::InvalidRows { errors }) =
        run(&instrument, &csv, &BatchOptions::default())
    else {
        panic!("must fail");
    };
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(
        got,
        [
            (3, "unknown_item"),
            (4, "other_instrument"),
            (5, "value_not_on_scale"),
            (6, "value_not_a_number"),
            (7, "value_out_of_range"),
            (8, "na_not_allowed"),
        ]
    );
    let message = ScoringError::InvalidRows { errors }.to_string();
    assert!(message.contains("строка 3"), "{message}");

    let output = run(
        &instrument,
        &csv,
        &BatchOptions {
            skip_invalid: true,
            ..BatchOptions::default()
        },
    )
    .unwrap();
    assert_eq!(output.skipped.len(), 6);
    // Both submissions survive with their valid rows (1 of 7 items: too little for a total).
    let nodes = output.submission_nodes().unwrap();
    let a1: Vec<_> = nodes.iter().filter(|n| n.code == "A.1").collect();
    assert_eq!(a1.len(), 2);
    assert_eq!((a1[0].percent, a1[1].percent), (Some(100.0), Some(50.0)));
    assert!(output.report.totals.is_empty());
}

#[test]
fn several_periods_need_a_choice() {
    let instrument = card();
    let csv = format!(
        "{HEADER}\n\
         1,kg1,r1,2025-05,t-card,A.1.1,2\n\
         2,kg1,r1,2026-05,t-card,A.1.1,0\n"
    );
    assert!(matches!(
        run(&instrument, &csv, &BatchOptions::default()),
        Err(ScoringError::SeveralPeriods { .. })
    ));
    let output = run(
        &instrument,
        &csv,
        &BatchOptions {
            period: Some("2025-05".into()),
            ..BatchOptions::default()
        },
    )
    .unwrap();
    let nodes = output.submission_nodes().unwrap();
    assert!(nodes.iter().all(|n| n.submission == "1"));
}

fn scored(
    instrument: &Instrument,
    kg: &str,
    resp: &str,
    period: &str,
    answers: &[(&str, f64)],
) -> ScoredSubmission {
    let sheet = instrument
        .validate_answers(answers.iter().map(|(item, v)| RawAnswer {
            item: (*item).to_owned(),
            value: AnswerValue::Value(*v),
            comment: None,
        }))
        .unwrap();
    ScoredSubmission {
        submission: format!("{kg}-{resp}-{period}"),
        kindergarten: kg.into(),
        respondent: resp.into(),
        subject: resp.into(),
        period: period.into(),
        score: score_submission(instrument, &sheet).unwrap(),
    }
}

#[test]
fn dynamics_and_version_mismatch() {
    let i = card();
    let full = |a11: f64, a12: f64| {
        vec![
            ("A.1.1", a11),
            ("A.1.2", a12),
            ("A.2.1", 50.0),
            ("A.2.2", 2.0),
            ("B.1.1", 0.0),
            ("B.1.2", 25.0),
            ("B.1.3", 2.0),
        ]
    };
    let before = vec![
        scored(&i, "kg1", "r1", "2025", &full(2.0, 2.0)),
        scored(&i, "kg1", "r2", "2025", &full(2.0, 1.0)),
    ];
    let after = vec![
        scored(&i, "kg1", "r1", "2026", &full(2.0, 1.0)),
        scored(&i, "kg1", "r3", "2026", &full(2.0, 1.0)),
    ];
    let d = dynamics(&i, &before, &i, &after).unwrap();
    // A.1: r1 100 → 62.5 (−37.5); kindergarten mean 81.25 → 62.5 (−18.75).
    let kg_a1 = d
        .kindergartens
        .iter()
        .find(|x| x.kind == NodeKind::Indicator && x.code == "A.1")
        .unwrap();
    assert_eq!(
        (kg_a1.before, kg_a1.after, kg_a1.delta, kg_a1.drop),
        (81.25, 62.5, -18.75, true)
    );
    let kg_b = d.kindergartens.iter().find(|x| x.code == "B").unwrap();
    assert_eq!((kg_b.delta, kg_b.drop), (0.0, false));
    // Network A: mean (100, 90.625) = 95.3125 → 90.625: −4.6875, not a drop.
    let net_a = d.network.iter().find(|x| x.code == "A").unwrap();
    assert_eq!((net_a.delta, net_a.drop), (-4.6875, false));
    // Only r1 is in both periods.
    assert!(
        d.respondents
            .iter()
            .all(|x| x.respondent.as_deref() == Some("r1"))
    );
    let r1_a = d.respondents.iter().find(|x| x.code == "A").unwrap();
    // A: (1·100 + 3·100)/4 = 100 → (62.5 + 300)/4 = 90.625.
    assert_eq!((r1_a.before, r1_a.after), (100.0, 90.625));
    assert!(r1_a.drop);

    // Version 2 with the same items compares; with other items it is refused.
    let v2 = parse_toml(&CARD.replace("version = 1", "version = 2"), "v2").unwrap();
    assert!(dynamics(&i, &before, &v2, &[]).is_ok());
    let v3 = parse_toml(
        &CARD
            .replace("version = 1", "version = 3")
            .replace("\"B.1.3\"", "\"B.1.4\""),
        "v3",
    )
    .unwrap();
    let error = dynamics(&i, &before, &v3, &[]).unwrap_err();
    assert!(matches!(error, ScoringError::VersionMismatch { .. }));
    let text = error.to_string();
    assert!(
        text.contains("разным версиям") && text.contains("different instrument versions"),
        "{text}"
    );
}

#[test]
fn item_deficits_and_files() {
    let instrument = card();
    let csv = generated(&instrument, 1500, 5);
    let output = run(&instrument, &csv, &BatchOptions::default()).unwrap();
    let items = &output.report.items;
    assert!(items.iter().any(|s| s.kindergarten.is_none()));
    for s in items {
        assert_eq!(
            s.deficit,
            round6(s.mean) < 50.0 || round6(s.low_share * 100.0) >= 30.0
        );
    }
    let dir = tempfile::tempdir().unwrap();
    output.write_dir(dir.path()).unwrap();
    let kg_total = std::fs::read_to_string(dir.path().join("kg_total.csv")).unwrap();
    assert!(
        kg_total.starts_with("kindergarten,mean,n,L1,L2,L3\n"),
        "{kg_total}"
    );
    let kg_area = std::fs::read_to_string(dir.path().join("kg_area.csv")).unwrap();
    assert!(kg_area.starts_with("kindergarten,area,mean,n,std,deficit_share\n"));
    let network = std::fs::read_to_string(dir.path().join("network_area.csv")).unwrap();
    assert!(
        network.starts_with("area,mean_of_kindergartens,pooled_mean\nA,"),
        "{network}"
    );
    // Floats round-trip exactly.
    let first = network.lines().nth(1).unwrap().split(',').nth(1).unwrap();
    let net = output
        .report
        .network_areas()
        .next()
        .unwrap()
        .mean_of_kindergartens;
    assert_eq!(first.parse::<f64>().unwrap(), net);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join("kg_area.csv"))
        .unwrap();
    f.write_all(b"").unwrap();
}

#[test]
fn batch_level_on_band_boundary_does_not_flip() {
    // Two indicators weighted 0.1 and 0.2, each exactly 60 %: the area's float mean in plain Rust is
    // 59.99999999999999, its level must still be the band starting at 60 and it is no deficit.
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/score_submission.rs"
    ))
    .unwrap();
    let start = source.find("code = \"t-bound\"").unwrap();
    let end = source[start..].find("\"#;").unwrap();
    let instrument = parse_toml(&source[start..start + end], "boundary").unwrap();
    let csv = format!("{HEADER}\n1,kg1,r1,p,t-bound,q1,3\n1,kg1,r1,p,t-bound,q2,3\n");
    let output = run(&instrument, &csv, &BatchOptions::default()).unwrap();
    let nodes = output.submission_nodes().unwrap();
    let area = nodes.iter().find(|n| n.code == "A").unwrap();
    // Polars may sum in another order (60 or 59.99999999999999): either way the same level.
    assert!((area.percent.unwrap() - 60.0).abs() < 1e-9);
    assert_eq!((area.level.as_deref(), area.deficit), (Some("mid"), false));
    let kg = output.report.kindergarten_areas().next().unwrap();
    assert_eq!(kg.deficit_share, 0.0);
    assert_eq!(output.report.totals[0].level, "mid");
}

#[test]
fn a_repeated_item_in_one_submission_is_an_error_on_both_lines() {
    let instrument = card();
    let csv = format!(
        "{HEADER}\n1,kg1,r1,p,t-card,A.1.1,2\n1,kg1,r1,p,t-card,A.1.1,1\n2,kg1,r1,p,t-card,A.1.1,1\n"
    );
    let Err(ScoringError::InvalidRows { errors }) =
        run(&instrument, &csv, &BatchOptions::default())
    else {
        panic!("must fail");
    };
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(got, [(2, "duplicate_answer"), (3, "duplicate_answer")]);
}

/// The card fixture under another counting rule.
fn card_counting(counting: &str) -> Instrument {
    parse_toml(
        &CARD.replace(
            "counting = \"one_per_respondent\"",
            &format!("counting = \"{counting}\""),
        ),
        "card.toml",
    )
    .unwrap()
}

#[test]
fn observations_count_each_subject_once_with_the_mean_of_its_cards() {
    let instrument = card_counting("observations");
    // Three cards of group g1 (A.1: 100, 0, 50) and one of g2 (A.1: 100), by one head.
    let csv = "submission_id,kindergarten,respondent,subject,period,instrument,item,value\n\
               1,kg1,head,g1,2026-05,t-card,A.1.1,2\n\
               2,kg1,head,g1,2026-05,t-card,A.1.1,0\n\
               3,kg1,head,g1,2026-05,t-card,A.1.1,1\n\
               4,kg1,head,g2,2026-05,t-card,A.1.1,2\n";
    let output = run(&instrument, csv, &BatchOptions::default()).unwrap();
    let a1 = output
        .report
        .kindergartens
        .iter()
        .find(|s| s.kind == NodeKind::Indicator && s.code == "A.1")
        .unwrap();
    // Over subjects (50 and 100), not over cards (62.5).
    assert_eq!((a1.n, a1.mean), (2, 75.0));
    // Every card is kept for the per-submission table and the item statistics.
    assert_eq!(
        output
            .submission_nodes()
            .unwrap()
            .iter()
            .filter(|node| node.code == "A.1")
            .count(),
        4
    );
    let item = output
        .report
        .items
        .iter()
        .find(|item| item.kindergarten.is_none() && item.item == "A.1.1")
        .unwrap();
    assert_eq!(item.n, 4);

    // Under «one per respondent» the same file keeps one card of the head (the latest, 4).
    let latest = run(
        &card_counting("one_per_respondent"),
        csv,
        &BatchOptions::default(),
    )
    .unwrap();
    let a1 = latest
        .report
        .kindergartens
        .iter()
        .find(|s| s.kind == NodeKind::Indicator && s.code == "A.1")
        .unwrap();
    // One respondent, two subjects: the latest card about each counts (3 for g1, 4 for g2).
    assert_eq!((a1.n, a1.mean), (2, 75.0));
}

#[test]
fn one_per_subject_keeps_the_latest_answer_about_each_subject() {
    let instrument = card_counting("one_per_subject");
    // Two respondents about g1: the latest (id 2) counts; g2 once.
    let csv = "submission_id,kindergarten,respondent,subject,period,instrument,item,value\n\
               1,kg1,head,g1,2026-05,t-card,A.1.1,0\n\
               2,kg1,senior,g1,2026-05,t-card,A.1.1,2\n\
               3,kg1,head,g2,2026-05,t-card,A.1.1,1\n";
    let output = run(&instrument, csv, &BatchOptions::default()).unwrap();
    let a1 = output
        .report
        .kindergartens
        .iter()
        .find(|s| s.kind == NodeKind::Indicator && s.code == "A.1")
        .unwrap();
    assert_eq!((a1.n, a1.mean), (2, 75.0));
    // Without a subject column, the respondent is the subject: both count.
    let without = "submission_id,kindergarten,respondent,period,instrument,item,value\n\
                   1,kg1,head,2026-05,t-card,A.1.1,0\n\
                   2,kg1,senior,2026-05,t-card,A.1.1,2\n";
    let output = run(&instrument, without, &BatchOptions::default()).unwrap();
    let a1 = output
        .report
        .kindergartens
        .iter()
        .find(|s| s.kind == NodeKind::Indicator && s.code == "A.1")
        .unwrap();
    assert_eq!((a1.n, a1.mean), (2, 50.0));
}

/// Issue 23 §12: an instrument without places (a self-assessment survey) gets no rank in
/// `kg_rank.csv`; its kindergartens are listed by name. One with places keeps them.
#[test]
fn kg_rank_has_places_only_where_the_instrument_gives_them() {
    let ranked = card();
    assert!(ranked.ranks());
    let source = CARD.replacen(
        "kind = \"control_card\"",
        "kind = \"control_card\"\nranking = false",
        1,
    );
    let unranked = parse_toml(&source, "card.toml").unwrap();
    assert!(!unranked.ranks());
    for (instrument, places) in [(&ranked, true), (&unranked, false)] {
        let csv = generated(instrument, 300, 7);
        let output = run(instrument, &csv, &BatchOptions::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        output.write_dir(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("kg_rank.csv")).unwrap();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .skip(1)
            .map(|line| line.split(',').collect())
            .collect();
        assert!(rows.len() > 1, "{text}");
        assert_eq!(rows.iter().all(|row| !row[0].is_empty()), places, "{text}");
        if !places {
            let names: Vec<&str> = rows.iter().map(|row| row[1]).collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted, "{text}");
        }
    }
}
