//! A small valid instrument shared by the tests.

#![allow(dead_code)]

pub const CARD: &str = r#"
code = "card-test"
version = 1
title = "Карта контроля"
kind = "control_card"
respondent = "head"
subject = "group"
scale = "c012"

[levels]
deficit_threshold = 60
min_coverage = 50
bands = [
  { code = "L1", name = "Критический", from = 0 },
  { code = "L2", name = "Допустимый", from = 60 },
  { code = "L3", name = "Оптимальный", from = 80 },
]

[scales.c012]
type = "options"
allow_na = true
options = [
  { value = 0, label = "Не соответствует" },
  { value = 1, label = "Частично" },
  { value = 2, label = "Соответствует" },
]

[scales.yes_no]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 1, label = "Да" }]

[scales.share]
type = "numeric"
unit = "%"
min = 0
max = 100
target = 50
direction = "more_is_better"

[scales.sick]
type = "numeric"
bands = [{ from = 0, points = 2 }, { from = 5, points = 1 }, { from = 10, points = 0 }]

[[areas]]
code = "P"
title = "Подготовка"
weight = 2

[[areas.indicators]]
code = "P.1"
title = "Планирование"

[[areas.indicators.items]]
code = "P.1.1"
text = "Конспект"

[[areas.indicators.items]]
code = "P.1.2"
text = "Безопасность"
scale = "yes_no"
critical = true

[[areas]]
code = "D"
title = "Цифровые ресурсы"

[[areas.indicators]]
code = "D.1"
title = "ЭОР"
kind = "variable"

[[areas.indicators.items]]
code = "D.1.1"
text = "Доля занятий с ЭОР"
scale = "share"
required = false

[[areas.indicators.items]]
code = "D.1.2"
text = "Пропуски по болезни"
scale = "sick"
"#;
