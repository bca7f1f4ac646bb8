use super::*;
use vsoko_scoring::LevelRef;

fn row(kind: NodeKind, code: &str, score: Option<f64>) -> ReportRow {
    ReportRow {
        kind,
        variable: false,
        code: code.to_owned(),
        title: format!("Область {code}"),
        score,
        level: score.map(|_| LevelRef {
            code: "B1".into(),
            name: "Интегратор".into(),
        }),
        n: 3,
        deficit: false,
        critical: false,
        pooled_score: None,
        subjects_scored: 0,
        subjects_below: 0,
        comparable: None,
        before: None,
        delta: None,
        drop: false,
        suppressed: false,
    }
}

/// Issue 29 §3: participation in the words of the kind of assessment, the genitive after «из»,
/// whole percentages.
#[test]
fn coverage_says_how_many_of_how_many_or_that_there_is_no_base() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let survey = catalog.get("dc-teacher", Some(2)).unwrap();
    let card = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    assert_eq!(
        coverage_sentence(survey, 48, 52),
        "В анкетировании приняли участие 48 из 52 педагогов (92\u{a0}%)."
    );
    assert_eq!(
        coverage_sentence(survey, 1, 1),
        "В анкетировании принял участие 1 из 1 педагога (100\u{a0}%)."
    );
    assert_eq!(
        coverage_sentence(&card, 6, 6),
        "Наблюдениями охвачены 6 из 6 сотрудников (100\u{a0}%)."
    );
    assert!(coverage_sentence(survey, 0, 0).contains(NO_DATA));
}

#[test]
fn the_total_is_its_score_and_level_or_no_data() {
    let total = row(NodeKind::Total, "dc", Some(45.04));
    assert_eq!(
        total_sentence(Some(&total), "Общий результат", &[30.0, 50.0]),
        "Общий результат — 45\u{a0}% (уровень среднего результата B1 «Интегратор»)."
    );
    // Under a level's bound, the figure keeps the decimal that keeps it there.
    let under = row(NodeKind::Total, "dc", Some(49.7));
    assert_eq!(
        total_sentence(Some(&under), "Общий результат", &[30.0, 50.0]),
        "Общий результат — 49,7\u{a0}% (уровень среднего результата B1 «Интегратор»)."
    );
    assert_eq!(
        total_sentence(
            Some(&row(NodeKind::Total, "dc", None)),
            "Общий результат",
            &[]
        ),
        "Общий результат: недостаточно данных."
    );
    assert_eq!(
        total_sentence(None, "Общий результат", &[]),
        "Общий результат: недостаточно данных."
    );
}

#[test]
fn the_strongest_and_weakest_areas_are_named_with_ties_together() {
    let rows = vec![
        row(NodeKind::Total, "dc", Some(60.0)),
        row(NodeKind::Area, "A1", Some(80.04)),
        row(NodeKind::Area, "A2", Some(79.96)),
        row(NodeKind::Area, "A3", Some(40.0)),
        row(NodeKind::Area, "A4", None),
    ];
    assert_eq!(
        strongest_sentence(&rows, &[]),
        "Наиболее высокие результаты — в областях «Область A1» и «Область A2» (80\u{a0}%)."
    );
    assert_eq!(
        weakest_sentence(&rows, &[]),
        "Наиболее низкие результаты — в области «Область A3» (40\u{a0}%)."
    );
    let none = vec![row(NodeKind::Area, "A1", None)];
    assert!(strongest_sentence(&none, &[]).contains(NO_DATA));
    let one = vec![row(NodeKind::Area, "A1", Some(50.0))];
    assert!(weakest_sentence(&one, &[]).contains(NO_DATA));
}

/// Issue 23 §9: a strength is an area at or above the stated level, above the deficit
/// threshold and without a critical item — never the lowest results; none is said.
#[test]
fn strengths_are_areas_at_the_stated_level_and_never_the_lowest_results() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let card = catalog.get("card-ood", Some(2)).unwrap();
    let band = strength_band(card);
    let level = |percent: f64| {
        let found = card.levels().level_of(percent);
        Some(LevelRef {
            code: found.code().to_string(),
            name: found.name().to_owned(),
        })
    };
    let mut strong = row(NodeKind::Area, "O1", Some(95.0));
    strong.level = level(95.0);
    let mut critical = row(NodeKind::Area, "O2", Some(96.0));
    critical.level = level(96.0);
    critical.critical = true;
    let mut low = row(NodeKind::Area, "O5", Some(58.3));
    low.level = level(58.3);
    low.deficit = 58.3 < card.deficit_threshold().get();
    let sentences = strength_sentences(card, &[strong.clone(), critical.clone(), low.clone()]);
    assert!(sentences[0].contains(band.name()), "{sentences:?}");
    assert_eq!(sentences.len(), 2, "{sentences:?}");
    assert!(
        sentences[1].starts_with("«Область O1» — 95\u{a0}%"),
        "{sentences:?}"
    );
    assert!(!sentences.iter().any(|s| s.contains("Наиболее низкие")));
    let none = strength_sentences(card, &[low.clone(), critical]);
    assert_eq!(none[1], "По этому правилу сильных сторон не выявлено.");
    assert!(!none.iter().any(|s| s.contains("58,3")), "{none:?}");
}

#[test]
fn deficits_are_listed_with_score_and_threshold_or_their_absence_is_said() {
    let mut deficit = row(NodeKind::Indicator, "A1.2", Some(25.0));
    deficit.deficit = true;
    deficit.title = "Цифровые ресурсы".into();
    let rows = vec![row(NodeKind::Area, "A1", Some(70.0)), deficit];
    assert_eq!(
        deficit_sentences(&rows, 30.0, &[30.0]),
        ["Дефицит по показателю «Цифровые ресурсы»: 25\u{a0}% при пороге 30\u{a0}%."]
    );
    // 29,8 % is a deficit and never prints as the threshold itself.
    let mut close = row(NodeKind::Area, "A2", Some(29.8));
    close.deficit = true;
    close.title = "Близко к порогу".into();
    assert_eq!(
        deficit_sentences(&[close], 30.0, &[30.0]),
        ["Дефицит по области «Близко к порогу»: 29,8\u{a0}% при пороге 30\u{a0}%."]
    );
    assert_eq!(
        deficit_sentences(&rows[..1], 30.0, &[30.0]),
        [
            "Дефицитов по областям и показателям не выявлено: все средние результаты не ниже порога 30\u{a0}%."
        ]
    );
    assert!(
        deficit_sentences(&[row(NodeKind::Area, "A1", None)], 30.0, &[30.0])[0].contains(NO_DATA)
    );
}

/// Issue 23 §11: a mean above the threshold does not hide the teachers below it; the
/// threshold is named with the level it starts (B1 for the teachers' survey).
#[test]
fn teachers_below_the_threshold_are_counted_where_the_mean_hides_them() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let survey = catalog.get("dc-teacher", Some(2)).unwrap();
    let mut hidden = row(NodeKind::Area, "A2", Some(55.0));
    hidden.title = "Цифровые образовательные ресурсы".into();
    (hidden.subjects_scored, hidden.subjects_below) = (12, 3);
    let mut single = row(NodeKind::Area, "A3", Some(55.0));
    single.title = "Обучение".into();
    (single.subjects_scored, single.subjects_below) = (21, 1);
    let mut none = row(NodeKind::Area, "A4", Some(60.0));
    (none.subjects_scored, none.subjects_below) = (12, 0);
    let mut indicator = row(NodeKind::Indicator, "A2.1", Some(40.0));
    (indicator.subjects_scored, indicator.subjects_below) = (12, 5);
    let rows = [hidden.clone(), single, none, indicator];
    assert_eq!(
        individual_deficit_sentences(survey, &rows),
        [
            "Область «Цифровые образовательные ресурсы»: у 3 из 12 педагогов (25\u{a0}%) результат ниже порога 30\u{a0}% (уровня B1 «Интегратор»).",
            "Область «Обучение»: у 1 из 21 педагога (5\u{a0}%) результат ниже порога 30\u{a0}% (уровня B1 «Интегратор»).",
        ]
    );
    assert_eq!(subjects_below_text(&hidden), "3 из 12 (25,0\u{a0}%)");
    assert_eq!(subjects_below_text(&row(NodeKind::Area, "A5", None)), "—");
    let conclusions =
        conclusion_sentences(&rows, &[], "Педагоги по уровням", "Общий результат", &[]);
    assert!(
        conclusions.contains(
            &"Результаты отдельных участников ниже порога — в 2 областях (см. раздел «Дефициты»)."
                .to_owned()
        ),
        "{conclusions:?}"
    );
}

#[test]
fn dynamics_name_each_rise_and_drop_and_mark_drops_of_five_points() {
    let mut fall = row(NodeKind::Indicator, "A1.1", Some(50.0));
    fall.title = "Коммуникация".into();
    fall.comparable = Some(true);
    fall.delta = Some(-7.46);
    fall.drop = true;
    let mut rise = row(NodeKind::Area, "A2", Some(70.0));
    rise.comparable = Some(true);
    rise.delta = Some(3.2);
    let mut new = row(NodeKind::Area, "A0", Some(70.0));
    new.comparable = Some(false);
    // Changes under 1 p.p. (after rounding) are counted, not listed; one of 1,0 is listed.
    let small = |code: &str, delta: f64| {
        let mut small = row(NodeKind::Indicator, code, Some(60.0));
        small.comparable = Some(true);
        small.delta = Some(delta);
        small
    };
    let sentences = dynamics_sentences(
        &[
            fall,
            rise,
            new,
            small("A2.1", 0.94),
            small("A2.2", -0.5),
            small("A2.3", 0.0),
            small("A2.4", 0.96),
        ],
        Some("сентябрь 2024 г."),
    );
    assert_eq!(
        sentences,
        [
            "По сравнению с периодом сентябрь 2024 г.: значимых снижений (на 5 п.п. и более) — 1.",
            "Снижение на 7,5\u{a0}п.п. по показателю «Коммуникация» — значимое снижение (5 п.п. и более).",
            "Рост на 3,2\u{a0}п.п. по области «Область A2».",
            "Рост на 1,0\u{a0}п.п. по показателю «Область A2.4».",
            "Изменения менее чем на 1,0\u{a0}п.п. — по 3 направлениям (по отдельности не приводятся).",
        ]
    );
    assert_eq!(
        dynamics_sentences(&[], None),
        ["Сравнение с другим периодом не проводилось."]
    );
    let mut incomparable = row(NodeKind::Area, "A0", Some(70.0));
    incomparable.comparable = Some(false);
    assert!(
        dynamics_sentences(&[incomparable], Some("2024-09"))[0].contains("нет сопоставимых данных")
    );
    let mut no_before = row(NodeKind::Area, "A1", Some(70.0));
    no_before.comparable = Some(true);
    assert!(dynamics_sentences(&[no_before], Some("2024-09"))[0].contains(NO_DATA));
}

#[test]
fn conclusions_count_deficits_drops_and_levels() {
    let mut deficit = row(NodeKind::Area, "A1", Some(20.0));
    deficit.deficit = true;
    deficit.drop = true;
    let rows = vec![row(NodeKind::Total, "dc", Some(50.0)), deficit];
    let levels = vec![
        (
            LevelRef {
                code: "A1".into(),
                name: "Новичок".into(),
            },
            0,
        ),
        (
            LevelRef {
                code: "B1".into(),
                name: "Интегратор".into(),
            },
            4,
        ),
    ];
    assert_eq!(
        conclusion_sentences(
            &rows,
            &levels,
            "Педагоги по уровням",
            "Общий результат",
            &[30.0, 50.0]
        ),
        [
            "Общий результат — 50\u{a0}% (уровень среднего результата B1 «Интегратор»).",
            "Выявлено дефицитов (области и показатели): 1.",
            "Значимое снижение (на 5 п.п. и более) — по 1 направлению; требуется анализ причин.",
            "Педагоги по уровням: B1 «Интегратор» — 4.",
        ]
    );
}

const CARD: &str = r#"
code = "t-card"
version = 1
title = "Карта"
kind = "control_card"
respondent = "head"
subject = "teacher"
scale = "c"
[levels]
deficit_threshold = 60
min_coverage = 50
bands = [{ code = "L1", name = "Критический", from = 0 }, { code = "L3", name = "Оптимальный", from = 80 }]
[scales.c]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 2, label = "Да" }]
[[areas]]
code = "A"
title = "Область А"
recommendation = "Семинар по области А"
[[areas.indicators]]
code = "A.1"
title = "Показатель А.1"
recommendation = "Наставничество по А.1"
[[areas.indicators.items]]
code = "A.1.1"
text = "Пункт один"
critical = true
[[areas.indicators]]
code = "A.2"
title = "Показатель А.2"
[[areas.indicators.items]]
code = "A.2.1"
text = "Пункт два"
"#;

#[test]
fn recommendations_are_the_instruments_own_for_deficits_and_critical_items() {
    let instrument = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    let mut area = row(NodeKind::Area, "A", Some(40.0));
    area.title = "Область А".into();
    area.deficit = true;
    let mut indicator = row(NodeKind::Indicator, "A.1", Some(40.0));
    indicator.title = "Показатель А.1".into();
    indicator.deficit = true;
    let rows = vec![area, indicator];
    assert_eq!(
        recommendation_sentences(
            &instrument,
            &rows,
            &["A.2.1".to_owned()],
            &[("A.1.1".to_owned(), 3)],
            9,
            chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            &[],
        ),
        [
            "«Область А»: Семинар по области А.",
            "«Показатель А.1»: Наставничество по А.1.",
            "Нарушено требование «Пункт один» — в 3 из 9 наблюдений: устранить нарушение и провести повторное наблюдение до 30.06.2025.",
        ]
    );
    let fine = vec![row(NodeKind::Area, "A", Some(90.0))];
    assert_eq!(
        recommendation_sentences(&instrument, &fine, &[], &[], 0, chrono::NaiveDate::MIN, &[]),
        [
            "Дефицитов и критических нарушений не выявлено: рекомендаций по устранению дефицитов нет."
        ]
    );
    assert!(
        recommendation_sentences(
            &instrument,
            &[row(NodeKind::Area, "A", None)],
            &[],
            &[],
            0,
            chrono::NaiveDate::MIN,
            &[]
        )[0]
        .contains(NO_DATA)
    );
}

/// A breach of a critical item is said where the deficits and conclusions are, however good the
/// means: one item in the singular, several in the plural; nothing when none was breached.
#[test]
fn breached_critical_items_are_said_beside_the_deficits() {
    let instrument = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    assert_eq!(
        critical_sentence(&instrument, &[("A.1.1".to_owned(), 1)], 9).as_deref(),
        Some(
            "Нарушено критическое требование: «Пункт один» — в 1 из 9 наблюдений (см. раздел «Рекомендации»)."
        )
    );
    assert_eq!(
        critical_sentence(
            &instrument,
            &[("A.1.1".to_owned(), 2), ("A.2.1".to_owned(), 1)],
            1
        )
        .as_deref(),
        Some(
            "Нарушены критические требования: «Пункт один» — в 2 из 2 наблюдений; «Пункт два» — в 1 из 1 наблюдения (см. раздел «Рекомендации»)."
        )
    );
    assert_eq!(critical_sentence(&instrument, &[], 9), None);
}

/// An item deficit names its mean (on a card, «доля соблюдения») and the share of answers in
/// the lower part of its scale — by the scale's labels, or, when the lead-in named them once for
/// every item, as «в нижней части шкалы».
#[test]
fn an_item_deficit_names_its_mean_and_the_lower_part_of_its_scale() {
    let instrument = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    let item = crate::reports::ItemLine {
        code: "A.2.1".to_owned(),
        text: "Пункт два".to_owned(),
        scored: true,
        answered: 9,
        not_applicable: 0,
        missing: 0,
        na_share: Some(0.0),
        result: Some(vsoko_scoring::ItemResult {
            mean: 44.4,
            n: 9,
            low_share: 5.0 / 9.0,
            deficit: true,
        }),
        values: vec![(0.0, 5), (2.0, 4)],
    };
    assert_eq!(low_labels(&instrument, "A.2.1"), "«Нет»");
    assert_eq!(
        item_deficit_sentence(&instrument, &item, false).as_deref(),
        Some("Пункт A.2.1 «Пункт два»: доля соблюдения 44\u{a0}%; «Нет» — 56\u{a0}% оценок из 9.")
    );
    assert_eq!(
        item_deficit_sentence(&instrument, &item, true).as_deref(),
        Some(
            "Пункт A.2.1 «Пункт два»: доля соблюдения 44\u{a0}%; в нижней части шкалы — 56\u{a0}% оценок из 9."
        )
    );
    let unanswered = crate::reports::ItemLine {
        result: None,
        ..item
    };
    assert_eq!(item_deficit_sentence(&instrument, &unanswered, false), None);
}

#[test]
fn numbers_use_the_decimal_comma() {
    assert_eq!(percent(7.46), "7,5\u{a0}%");
    assert_eq!(points(-7.46), "7,5\u{a0}п.п.");
    assert_eq!(points(11.04), "11,0\u{a0}п.п.");
    assert_eq!(signed_points(7.46), "+7,5\u{a0}п.п.");
    assert_eq!(signed_points(-5.0), "−5,0\u{a0}п.п.");
    assert_eq!(signed_points(0.01), "0,0\u{a0}п.п.");
}

fn frame(compared: Option<&str>, compared_version: Option<u32>) -> Frame {
    Frame {
        letterhead: vec!["Сеть".to_owned()],
        date: chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap(),
        basis: None,
        period: "май 2025 г.".to_owned(),
        compared: compared.map(ToOwned::to_owned),
        compared_version,
        executor: "Иванова Мария Петровна, методист".to_owned(),
        acquainted: Vec::new(),
        observations: Vec::new(),
        observation_columns: Vec::new(),
        signer: "Иванова Мария Петровна".to_owned(),
        addressee: "Заведующему МДОУ № 18".to_owned(),
        responsible: "заведующий МДОУ № 18".to_owned(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
        registered: Vec::new(),
    }
}

/// Issue 29 §2: who assessed and how, and the level bands with what a deficit is.
#[test]
fn the_method_names_who_assessed_the_instrument_and_the_levels() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let survey = catalog.get("dc-teacher", Some(2)).unwrap();
    assert_eq!(
        method_sentence(survey),
        format!(
            "Метод: самооценка педагогов по анкете «{}» (редакция 2).",
            survey.title()
        )
    );
    let card = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    assert!(method_sentence(&card).starts_with("Метод: наблюдение"));
    // A card's total is the share of requirements kept, not a «средний балл».
    assert_eq!(total_words(&card), "Доля соблюдения требований");
    assert_eq!(total_words(survey), "Общий результат");
    assert_eq!(
        levels_legend(&card),
        "Уровни результата: L1 «Критический» — ниже 80\u{a0}%; L3 «Оптимальный» — от 80\u{a0}%. Уровень детского сада или сети — уровень их среднего результата, а не уровень отдельного педагога. Дефицит — результат ниже порога 60\u{a0}%, установленного инструментом."
    );
}

/// Issue 29 §2: two editions compared say once which rows compare and why the others do not.
#[test]
fn another_edition_is_said_once_instead_of_in_every_row() {
    let mut same = row(NodeKind::Area, "A1", Some(50.0));
    same.comparable = Some(true);
    let mut changed = row(NodeKind::Area, "A2", Some(50.0));
    changed.comparable = Some(false);
    let rows = [same.clone(), changed];
    assert_eq!(
        comparability_sentence(&rows, &frame(Some("сентябрь 2024 г."), Some(2)), 3).unwrap(),
        "Сентябрь 2024 г. заполнялся по редакции 2 инструмента, май 2025 г. — по редакции 3: сопоставимы 1 из 2 строк — те, вопросы которых по таблице соответствия редакций не изменились; для остальных изменение не рассчитывается (в таблице — «—»), потому что их вопросы в редакциях различаются."
    );
    assert_eq!(
        comparability_sentence(&[same], &frame(Some("сентябрь 2024 г."), None), 3),
        None,
        "all comparable: nothing to say"
    );
    assert_eq!(comparability_sentence(&rows, &frame(None, None), 3), None);
}

#[test]
fn a_basis_reads_kind_date_number_then_title() {
    let basis = vsoko_domain::Basis {
        title: "приказ управления образования «О проведении ВСОКО»".to_owned(),
        number: "112".to_owned(),
        date: chrono::NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
    };
    assert_eq!(
        basis.words(),
        "приказ управления образования от 02.09.2024 № 112 «О проведении ВСОКО»"
    );
    let plain = vsoko_domain::Basis {
        title: "план ВСОКО".to_owned(),
        ..basis
    };
    assert_eq!(plain.words(), "план ВСОКО от 02.09.2024 № 112");
}

/// Issue 29 §5: a text the instrument gives for many nodes is said once with every node it
/// answers; a node in the register says whose recommendation it is, its ответственный and срок.
#[test]
fn recommendations_are_deduplicated_and_name_the_register() {
    const SAME: &str = r#"
code = "t-same"
version = 1
title = "Анкета"
kind = "survey"
respondent = "teacher"
subject = "teacher"
scale = "c"
[levels]
deficit_threshold = 30
min_coverage = 50
bands = [{ code = "L1", name = "Низкий", from = 0 }, { code = "L2", name = "Высокий", from = 30 }]
[scales.c]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 2, label = "Да" }]
[[areas]]
code = "A"
title = "Первая"
recommendation = "Самообразование"
[[areas.indicators]]
code = "A.1"
title = "Показатель"
[[areas.indicators.items]]
code = "A.1.1"
text = "Пункт"
[[areas]]
code = "B"
title = "Вторая"
recommendation = "Самообразование."
[[areas.indicators]]
code = "B.1"
title = "Показатель Б"
[[areas.indicators.items]]
code = "B.1.1"
text = "Пункт Б"
"#;
    let instrument = vsoko_checklist::parse_toml(SAME, "t-same/v1.toml").unwrap();
    let mut first = row(NodeKind::Area, "A", Some(20.0));
    first.title = "Первая".into();
    first.deficit = true;
    let mut second = row(NodeKind::Area, "B", Some(20.0));
    second.title = "Вторая".into();
    second.deficit = true;
    assert_eq!(
        recommendation_sentences(
            &instrument,
            &[first, second],
            &["A.1.1".to_owned()],
            &[],
            0,
            chrono::NaiveDate::MIN,
            &[(
                "B".to_owned(),
                "МДОУ № 18 — ответственный Иванова, срок до 31.05.2026".to_owned()
            )],
        ),
        [
            "«Первая», «Вторая»: Самообразование. Адресная рекомендация в реестре: МДОУ № 18 — ответственный Иванова, срок до 31.05.2026."
        ]
    );
}

#[test]
fn a_recommendation_is_due_by_the_next_end_of_may() {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        crate::cycle::default_due(day(2026, 12, 7)),
        day(2027, 5, 31)
    );
    assert_eq!(
        crate::cycle::default_due(day(2027, 5, 31)),
        day(2027, 5, 31)
    );
    // In the summer, the next school year's May.
    assert_eq!(
        crate::cycle::default_due(day(2027, 6, 15)),
        day(2028, 5, 31)
    );
}

/// Issue 29 §9: the role answers as counts by the lists' own rule, never names.
#[test]
fn readiness_counts_the_role_answers_by_the_lists_rule() {
    let catalog = vsoko_checklist::Catalog::shipped().unwrap();
    let survey = catalog.get("dc-teacher", None).unwrap();
    let item = |role| {
        survey
            .item_with_role(role)
            .unwrap_or_else(|| panic!("the survey asks {role:?}"))
    };
    let line = |role, values: Vec<(f64, u32)>| {
        let found = item(role);
        crate::reports::ItemLine {
            code: found.item.code().to_string(),
            text: found.item.text().to_owned(),
            scored: false,
            answered: values.iter().map(|(_, n)| n).sum(),
            not_applicable: 0,
            missing: 0,
            na_share: None,
            result: None,
            values,
        }
    };
    let values = |role| -> Vec<f64> {
        item(role)
            .scale
            .options()
            .unwrap()
            .iter()
            .map(|option| option.value())
            .collect()
    };
    let motivation = values(vsoko_checklist::ItemRole::Motivation);
    let tutor = values(vsoko_checklist::ItemRole::TutorOffer);
    let (low, high) = (
        motivation.iter().copied().reduce(f64::min).unwrap(),
        motivation.iter().copied().reduce(f64::max).unwrap(),
    );
    let (tutor_low, tutor_high) = (
        tutor.iter().copied().reduce(f64::min).unwrap(),
        tutor.iter().copied().reduce(f64::max).unwrap(),
    );
    let items = [
        line(
            vsoko_checklist::ItemRole::Motivation,
            vec![(low, 2), (high, 3)],
        ),
        line(
            vsoko_checklist::ItemRole::TutorOffer,
            vec![(tutor_low, 4), (tutor_high, 1)],
        ),
    ];
    assert_eq!(
        readiness_sentences(survey, &items),
        [
            "Хотят развивать цифровые компетенции: 3 из 5 ответивших (60\u{a0}%).",
            "Готовы быть тьюторами (наставниками) для коллег: 1 из 5 ответивших (20\u{a0}%).",
        ],
        "the consultation item nobody answered says nothing"
    );
    let card = vsoko_checklist::parse_toml(CARD, "t-card/v1.toml").unwrap();
    assert!(readiness_sentences(&card, &[]).is_empty());
}
