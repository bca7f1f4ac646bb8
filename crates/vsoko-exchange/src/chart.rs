//! Charts as SVG: inline in the web pages (no JavaScript, sharp in print, offline) and drawn to
//! PNG for Word documents. Every chart stands next to a table with its numbers, is an image with a
//! text alternative, and takes its colours from one level palette whose lightness falls as the
//! level rises, so that a grey print keeps the order; a level's code is written in words wherever
//! its colour is used.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use vsoko_checklist::Instrument;

/// The level palette, lowest level first: one hue, lightness falling as the level rises.
pub const PALETTE: [&str; 6] = [
    "#f7fbff", "#c6dbef", "#9ecae1", "#6baed6", "#08519c", "#08306b",
];

/// The palette position (0–5) of a level code of `instrument`: its levels spread over the
/// palette, the lowest at 0 and the highest at 5. `None` for an unknown code.
pub fn shade(instrument: &Instrument, level: &str) -> Option<usize> {
    let bands = instrument.levels().bands();
    let index = bands
        .iter()
        .position(|band| band.code().as_str() == level)?;
    if bands.len() <= 1 {
        return Some(PALETTE.len() - 1);
    }
    Some((index * (PALETTE.len() - 1) + (bands.len() - 1) / 2) / (bands.len() - 1))
}

/// Whether text on a palette position must be white (the dark end).
pub fn light_text(shade: usize) -> bool {
    shade >= 4
}

/// One bar.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bar {
    /// The label above it: an area's code and name, a level's code and name.
    pub label: String,
    /// Its value; `None` draws no bar and writes the `text`.
    pub value: Option<f64>,
    /// Its palette position.
    pub shade: usize,
    /// What is written at its end («45,0 %», «12»).
    pub text: String,
}

/// A vertical mark across the bars: a level's lower bound.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    /// Where, on the value axis.
    pub at: f64,
    /// Its label at the top (a level code).
    pub label: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart: what it shows and how.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartSpec {
    /// What it shows, in words (the text alternative, and the caption unless `caption` is set).
    pub alt: String,
    /// A short printed caption («Рисунок 1. Результаты по областям»), when the text
    /// alternative is too long to print under the chart.
    #[serde(default)]
    pub caption: Option<String>,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// The end of the value axis (100 for percentages).
    pub max: f64,
    /// Vertical marks (level bounds).
    pub marks: Vec<Mark>,
    /// Lines under the bars naming every level code the chart shows ([`level_legend`]).
    pub legend: Vec<String>,
}

/// The chart as SVG.
pub fn svg(spec: &ChartSpec) -> String {
    bars(spec)
}

/// The fonts charts are drawn with in PNG: the system's, found once per process (DejaVu Sans on
/// Debian and Astra Linux).
fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = resvg::usvg::fontdb::Database::new();
            database.load_system_fonts();
            database.set_sans_serif_family("DejaVu Sans");
            Arc::new(database)
        })
        .clone()
}

/// The chart as a PNG image twice the SVG's size (sharp in print): `(bytes, width, height)` in
/// pixels. Without system fonts the bars are drawn and the text is left out.
pub fn png(spec: &ChartSpec) -> Result<(Vec<u8>, u32, u32), String> {
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(&svg(spec), &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width() * 2, size.height() * 2);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| "the chart has no area".to_owned())?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok((bytes, width, height))
}

/// Longest label written above a bar, and longest legend line, in letters: what fits the
/// chart's width at its font size.
const LABEL_LETTERS: usize = 80;

/// `text` cut at a word to at most `limit` letters, with «…» when cut.
fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut letters = 0;
    for word in text.split_whitespace() {
        letters += word.chars().count() + 1;
        if letters + 1 > limit {
            break;
        }
        words.push(word);
    }
    // A cut never ends on a preposition or a conjunction («и…», «в…»).
    while words.len() > 1 && words.last().is_some_and(|word| word.chars().count() <= 2) {
        words.pop();
    }
    format!("{}…", words.join(" "))
}

/// Entries joined with «; » into lines of at most [`LABEL_LETTERS`] letters.
fn wrapped(entries: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for entry in entries {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 2 + entry.chars().count() <= LABEL_LETTERS => {
                line.push_str("; ");
                line.push_str(entry);
            }
            _ => lines.push(entry.clone()),
        }
    }
    lines
}

/// A horizontal bar chart: each bar under its label (an area's name, so long names fit), on an
/// axis from 0 to `max`, with `marks`, the legend of level codes below, described by `alt` for
/// screen readers.
fn bars(spec: &ChartSpec) -> String {
    const WIDTH: f64 = 640.0;
    const LEFT: f64 = 4.0;
    const RIGHT: f64 = 96.0;
    const TOP: f64 = 22.0;
    const ROW: f64 = 38.0;
    const LINE: f64 = 17.0;
    let (bars, max, marks) = (&spec.bars, spec.max, &spec.marks);
    let legend = wrapped(&spec.legend);
    let plot = WIDTH - LEFT - RIGHT;
    let bottom = TOP + ROW * bars.len() as f64 + 4.0;
    let height = bottom + 4.0 + LINE * legend.len() as f64;
    let x = |value: f64| LEFT + plot * (value / max).clamp(0.0, 1.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-label="{alt}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13"><title>{alt}</title>"#,
        alt = escape(&spec.alt),
    );
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#1b1b1b"/>"##,
    );
    // A level mark crosses the bars, not their labels: its code at the top, a dashed stretch
    // across each bar (below).
    for mark in marks {
        let at = x(mark.at);
        let _ = write!(
            svg,
            r##"<text x="{at:.1}" y="14" text-anchor="middle" fill="#4a4a4a">{label}</text>"##,
            label = escape(&mark.label),
        );
    }
    for (row, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * row as f64;
        let _ = write!(
            svg,
            r##"<text x="{label_x}" y="{label_y:.1}" fill="#1b1b1b">{label}</text>"##,
            label_x = LEFT + 4.0,
            label_y = y + 13.0,
            label = escape(&shortened(&bar.label, LABEL_LETTERS)),
        );
        let bar_y = y + 17.0;
        if let Some(value) = bar.value {
            {
                let end = x(value);
                let shade = bar.shade.min(PALETTE.len() - 1);
                let _ = write!(
                    svg,
                    r##"<rect x="{LEFT}" y="{bar_y:.1}" width="{w:.1}" height="16" fill="{fill}" stroke="#1b1b1b" stroke-width="0.6"/>"##,
                    w = (end - LEFT).max(0.5),
                    fill = PALETTE[shade],
                );
            }
        }
    }
    // Drawn over the bars, so a mark shows where a bar passes a level's bound.
    for mark in marks {
        let at = x(mark.at);
        for row in 0..bars.len() {
            let y = TOP + ROW * row as f64 + 15.0;
            let _ = write!(
                svg,
                r##"<line x1="{at:.1}" y1="{y:.1}" x2="{at:.1}" y2="{y2:.1}" stroke="#4a4a4a" stroke-dasharray="3 3"/>"##,
                y2 = y + 20.0,
            );
        }
    }
    // The values last, each on a white ground as wide as its letters (at most 8 units each at
    // this size): a mark passing behind one never covers its figures.
    for (row, bar) in bars.iter().enumerate() {
        let bar_y = TOP + ROW * row as f64 + 17.0;
        let end = bar.value.map_or(LEFT, x);
        let _ = write!(
            svg,
            r##"<rect x="{gx:.1}" y="{gy:.1}" width="{gw:.1}" height="18" fill="#ffffff"/><text x="{tx:.1}" y="{text_y:.1}" fill="#1b1b1b">{text}</text>"##,
            gx = end + 3.0,
            gy = bar_y - 1.0,
            gw = 8.0 * bar.text.chars().count() as f64 + 6.0,
            tx = end + 6.0,
            text_y = bar_y + 12.5,
            text = escape(&bar.text),
        );
    }
    for (index, line) in legend.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{LEFT}" y="{y:.1}" font-size="12" fill="#1b1b1b">{line}</text>"##,
            y = bottom + 4.0 + LINE * index as f64 + 12.0,
            line = escape(line),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The marks of an instrument's level bounds (every band but the lowest, which starts at 0).
pub fn level_marks(instrument: &Instrument) -> Vec<Mark> {
    instrument
        .levels()
        .bands()
        .iter()
        .skip(1)
        .map(|band| Mark {
            at: band.from(),
            label: band.code().to_string(),
        })
        .collect()
}

/// Every level of `instrument` by code and name with its lower bound («A2 «Исследователь» от
/// 20 %»), so that no level code in a chart stands without its name.
pub fn level_legend(instrument: &Instrument) -> Vec<String> {
    instrument
        .levels()
        .bands()
        .iter()
        .map(|band| {
            let from = format!("{:.1}", band.from())
                .trim_end_matches(".0")
                .replace('.', ",");
            format!("{} «{}» от {from}\u{a0}%", band.code(), band.name())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relative luminance of `#rrggbb` (WCAG 2.1).
    fn luminance(hex: &str) -> f64 {
        let channel = |at: usize| {
            let c = f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    /// Issue 23 §23: the text of every level cell — white on the dark end, black elsewhere —
    /// reaches 7:1 (WCAG 1.4.6, AAA).
    #[test]
    fn every_level_colour_has_text_at_seven_to_one() {
        for (shade, colour) in PALETTE.iter().enumerate() {
            let text = if light_text(shade) { 1.0 } else { 0.0 };
            let (a, b) = (luminance(colour), text);
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 7.0, "{colour}: {ratio:.2}");
        }
    }

    fn instrument(levels: &str) -> Instrument {
        let source = format!(
            r#"
code = "t"
version = 1
title = "Т"
kind = "survey"
respondent = "teacher"
subject = "teacher"
scale = "s"
[levels]
deficit_threshold = 50
min_coverage = 50
bands = [{levels}]
[scales.s]
type = "options"
options = [{{ value = 0, label = "нет" }}, {{ value = 1, label = "да" }}]
[[areas]]
code = "A"
title = "А"
[[areas.indicators]]
code = "A.1"
title = "А.1"
[[areas.indicators.items]]
code = "A.1.1"
text = "П"
"#
        );
        vsoko_checklist::parse_toml(&source, "t/v1.toml").expect("a valid instrument")
    }

    #[test]
    fn levels_spread_over_the_palette_from_light_to_dark() {
        let three = instrument(
            r#"{ code = "L1", name = "Низкий", from = 0 }, { code = "L2", name = "Средний", from = 60 }, { code = "L3", name = "Высокий", from = 80 }"#,
        );
        assert_eq!(shade(&three, "L1"), Some(0));
        assert_eq!(shade(&three, "L2"), Some(3));
        assert_eq!(shade(&three, "L3"), Some(5));
        assert_eq!(shade(&three, "X"), None);
        let marks = level_marks(&three);
        assert_eq!(marks.len(), 2);
        assert_eq!(marks[0].at, 60.0);
        assert_eq!(
            level_legend(&three),
            [
                "L1 «Низкий» от 0\u{a0}%",
                "L2 «Средний» от 60\u{a0}%",
                "L3 «Высокий» от 80\u{a0}%"
            ]
        );
        assert_eq!(
            shortened(
                "Информационная безопасность и защита персональных данных",
                30
            ),
            "Информационная безопасность…"
        );
        assert!(light_text(5) && !light_text(0));
    }

    #[test]
    fn a_bar_chart_is_an_image_with_its_text_and_no_style_attribute() {
        let spec = ChartSpec {
            caption: None,
            alt: "Результаты по областям: A1 45 %, A2 недостаточно данных".into(),
            bars: vec![
                Bar {
                    label: "A1".into(),
                    value: Some(45.0),
                    shade: 2,
                    text: "45,0 %".into(),
                },
                Bar {
                    label: "A2".into(),
                    value: None,
                    shade: 0,
                    text: "недостаточно данных".into(),
                },
            ],
            max: 100.0,
            marks: vec![Mark {
                at: 60.0,
                label: "L2".into(),
            }],
            legend: vec!["L1 «Низкий» от 0 %".into(), "L2 «Средний» от 60 %".into()],
        };
        let svg = svg(&spec);
        assert!(
            svg.contains("L1 «Низкий» от 0 %; L2 «Средний» от 60 %"),
            "a level code is named in the legend: {svg}"
        );
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\"Результаты"));
        assert!(svg.contains("<title>"));
        assert_eq!(
            svg.matches("<rect").count() - svg.matches("fill=\"#ffffff\"").count(),
            1,
            "no bar for a missing value"
        );
        assert!(svg.contains("недостаточно данных"));
        assert!(svg.contains("stroke-dasharray"));
        assert!(!svg.contains("style="), "the CSP allows no inline style");
        // Issue 29 §7: a mark never covers a bar's figures — they come after every mark, on a
        // white ground — nor its label, which is above the bar's row, clear of the marks.
        let last_mark = svg.rfind("stroke-dasharray").unwrap();
        let figures = svg.find(">45,0 %<").unwrap();
        assert!(figures > last_mark, "{svg}");
        assert_eq!(svg.matches("fill=\"#ffffff\"").count(), 2, "{svg}");
        let (png, width, height) = png(&spec).expect("the chart is drawn");
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
        assert_eq!(width, 1280);
        assert!(height > 100);
    }
}
