//! A document people file — the аналитическая справка — as plain data ([`Document`]: a title,
//! sections of paragraphs, lists, tables and charts, a place for the signature), and its Word
//! form ([`write_docx`]): real Word tables, the charts as PNG images drawn from the same SVG the
//! web page shows, page numbers in the footer. The web pages draw the same [`Document`] as HTML.

use std::io::{Read, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, Table as DocxTable, TableCell as DocxCell, TableLayoutType, TableRow,
    WidthType,
};

use crate::chart::{self, ChartSpec};
use crate::error::ExchangeError;

/// A document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// The letterhead: whose document it is (the network, the kindergarten), above the title;
    /// empty for none.
    pub letterhead: Vec<String>,
    /// The title («Аналитическая справка …»).
    pub title: String,
    /// Lines under the title: whose, what, when.
    pub subtitle: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The lines of the signature block («Старший воспитатель ____ / ФИО /», «Дата ____»).
    pub signature: Vec<String>,
    /// What the file says about itself, and its names.
    pub properties: Properties,
}

/// The file's properties (Word's «Сведения») and names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Properties {
    /// The file name people see, without the extension
    /// («Справка МДОУ № 18 — Карта анализа занятия — май 2025»).
    pub file_name: String,
    /// The same name in ASCII, for clients that cannot take a UTF-8 name.
    pub ascii_file_name: String,
    /// Who issues it: the network's name.
    pub author: String,
    /// When it was made, as W3CDTF (`2026-12-06T19:30:00Z`).
    pub created: String,
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// Its heading.
    pub heading: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Block {
    /// A paragraph of text.
    Paragraph(String),
    /// A list.
    Bullets(Vec<String>),
    /// A table.
    Table(Table),
    /// A chart (always followed or preceded by a table with its numbers).
    Chart(ChartSpec),
}

/// A table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// Its caption.
    pub caption: String,
    /// The header row.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<TableCell>>,
}

/// A table cell: text, and a palette position when the cell is coloured by a level.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TableCell {
    /// The text.
    pub text: String,
    /// Its level's palette position ([`chart::PALETTE`]).
    pub shade: Option<usize>,
}

impl TableCell {
    /// A plain cell.
    pub fn text(text: impl Into<String>) -> TableCell {
        TableCell {
            text: text.into(),
            shade: None,
        }
    }

    /// A cell coloured by a level.
    pub fn shaded(text: impl Into<String>, shade: Option<usize>) -> TableCell {
        TableCell {
            text: text.into(),
            shade,
        }
    }
}

/// The level colours of a printed table cell, lowest to highest ([`chart::PALETTE`]'s positions):
/// light tints of its blue, dark enough apart to tell the levels, light enough for black text.
pub const PRINT_TINTS: [&str; 6] = ["FFFFFF", "F3F7FB", "E4EEF7", "D2E3F1", "BDD5EA", "A6C6E3"];

/// The width of the text on an A4 page with the margins below, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 1701 - 850;

/// Font sizes in half-points.
const TITLE: usize = 32;
const HEADING: usize = 26;
const BODY: usize = 24;
const SMALL: usize = 20;

fn text(text: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).size(size))
}

fn export_error(message: impl ToString) -> ExchangeError {
    ExchangeError::Export {
        format: "DOCX",
        message: message.to_string(),
    }
}

/// The document as a Word file (A4, Times New Roman 12, page numbers at the bottom).
pub fn write_docx(document: &Document) -> Result<Vec<u8>, ExchangeError> {
    let fonts = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman");
    let mut docx = Docx::new()
        // A4 in twentieths of a point, 2 cm margins (3 cm on the left, for the binder).
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(fonts)
        .default_size(BODY)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        );
    for line in &document.letterhead {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(line).bold().size(BODY)),
        );
    }
    if !document.letterhead.is_empty() {
        docx = docx.add_paragraph(Paragraph::new());
    }
    docx = docx.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text(&document.title).bold().size(TITLE)),
    );
    for line in &document.subtitle {
        docx = docx.add_paragraph(text(line, BODY).align(AlignmentType::Center));
    }
    for (number, section) in document.sections.iter().enumerate() {
        docx = docx.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(format!("{}. {}", number + 1, section.heading))
                    .bold()
                    .size(HEADING),
            ),
        );
        for block in &section.blocks {
            docx = match block {
                Block::Paragraph(paragraph) => {
                    docx.add_paragraph(text(paragraph, BODY).align(AlignmentType::Both))
                }
                Block::Bullets(items) => items.iter().fold(docx, |docx, item| {
                    docx.add_paragraph(text(&format!("— {item}"), BODY).indent(
                        Some(360),
                        None,
                        None,
                        None,
                    ))
                }),
                Block::Table(table) => docx
                    .add_paragraph(
                        Paragraph::new()
                            .keep_next(true)
                            .add_run(Run::new().add_text(&table.caption).italic()),
                    )
                    .add_table(word_table(table)),
                Block::Chart(spec) => {
                    let (png, width, height) = chart::png(spec).map_err(export_error)?;
                    // 16 cm wide at most; the height follows.
                    let width_emu = 5_760_000u32;
                    let height_emu =
                        (u64::from(width_emu) * u64::from(height) / u64::from(width.max(1))) as u32;
                    docx.add_paragraph(Paragraph::new().add_run(Run::new().add_image(
                        Pic::new_with_dimensions(png, width, height).size(width_emu, height_emu),
                    )))
                    .add_paragraph(text(spec.caption.as_deref().unwrap_or(&spec.alt), SMALL))
                }
            };
        }
    }
    docx =
        docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::TextWrapping)));
    for line in &document.signature {
        docx = docx.add_paragraph(text(line, BODY));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).map_err(export_error)?;
    finish_package(&bytes.into_inner(), &document.title, &document.properties)
}

/// What the Word writer cannot say itself: the file's author, title and date (it writes
/// «unknown» and 1970-01-01), and that the first row of every table is its header, repeated on
/// each page. The package is copied part by part with those two parts rewritten.
fn finish_package(
    package: &[u8],
    title: &str,
    properties: &Properties,
) -> Result<Vec<u8>, ExchangeError> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(export_error)?;
    let mut target = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..source.len() {
        let mut part = source.by_index(index).map_err(export_error)?;
        let name = part.name().map_err(export_error)?.into_owned();
        let rewritten = match name.as_str() {
            "docProps/core.xml" => Some(core_properties(title, properties)),
            "word/document.xml" => {
                let mut xml = String::new();
                part.read_to_string(&mut xml).map_err(export_error)?;
                Some(repeat_header_rows(&xml))
            }
            _ => None,
        };
        match rewritten {
            Some(xml) => {
                drop(part);
                target.start_file(name, options).map_err(export_error)?;
                target.write_all(xml.as_bytes()).map_err(export_error)?;
            }
            None => target.raw_copy_file(part).map_err(export_error)?,
        }
    }
    Ok(target.finish().map_err(export_error)?.into_inner())
}

/// The core properties part: title, author, language and date.
fn core_properties(title: &str, properties: &Properties) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>ru-RU</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>"#,
        title = escape(title),
        subject = escape(&properties.file_name),
        author = escape(&properties.author),
        created = escape(&properties.created),
    )
}

/// Marks the first row of every table as its header row (`w:tblHeader`), which Word and
/// LibreOffice repeat at the top of each page the table runs onto. Every row is written with
/// `<w:trPr><w:cantSplit />`, so the first one after a `<w:tbl>` is the header's.
fn repeat_header_rows(xml: &str) -> String {
    const ROW_PROPERTIES: &str = "<w:trPr><w:cantSplit />";
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(table) = rest.find("<w:tbl>") {
        let after_table = table + "<w:tbl>".len();
        out.push_str(&rest[..after_table]);
        rest = &rest[after_table..];
        if let Some(row) = rest.find(ROW_PROPERTIES) {
            let after_row = row + ROW_PROPERTIES.len();
            out.push_str(&rest[..after_row]);
            out.push_str("<w:tblHeader />");
            rest = &rest[after_row..];
        }
    }
    out.push_str(rest);
    out
}

/// Column widths by content, in twentieths of a point, summing to the text width: each column
/// gets at least its longest word (so no word is broken inside), and the room left goes to the
/// columns in proportion to how much longer their longest text is. Estimated at the table's
/// 10-point size with cell margins; a header is bold, so its letters count a little wider.
fn column_widths(table: &Table) -> Vec<usize> {
    const LETTER: usize = 110;
    const MARGINS: usize = 230;
    let columns = table
        .header
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return Vec::new();
    }
    let letters = |text: &str, bold: bool| {
        let longest_word = text
            .split_whitespace()
            .map(|word| word.chars().count())
            .max()
            .unwrap_or(0);
        let whole = text.chars().count();
        if bold {
            (longest_word * 11 / 10, whole * 11 / 10)
        } else {
            (longest_word, whole)
        }
    };
    let mut least = vec![0usize; columns];
    let mut wanted = vec![0usize; columns];
    let cells = table
        .header
        .iter()
        .enumerate()
        .map(|(column, text)| (column, letters(text, true)))
        .chain(table.rows.iter().flat_map(|row| {
            row.iter()
                .enumerate()
                .map(|(column, cell)| (column, letters(&cell.text, false)))
        }));
    for (column, (word, whole)) in cells {
        least[column] = least[column].max(word * LETTER + MARGINS);
        wanted[column] = wanted[column].max(whole * LETTER + MARGINS);
    }
    let least_total: usize = least.iter().sum();
    let mut widths: Vec<usize> = if least_total >= TEXT_WIDTH {
        // Even the longest words do not fit side by side: share the width by them.
        least
            .iter()
            .map(|width| width * TEXT_WIDTH / least_total)
            .collect()
    } else {
        share_the_room(&least, &wanted, TEXT_WIDTH - least_total)
    };
    // What rounding left over goes to the widest column.
    let left_over = TEXT_WIDTH.saturating_sub(widths.iter().sum());
    if let Some(widest) = widths.iter_mut().max_by_key(|width| **width) {
        *widest += left_over;
    }
    widths
}

/// Each column's least width plus its share of `room`, in proportion to how much more it wants.
fn share_the_room(least: &[usize], wanted: &[usize], room: usize) -> Vec<usize> {
    let columns = least.len();
    let extra: Vec<usize> = wanted
        .iter()
        .zip(least)
        .map(|(wanted, least)| wanted.saturating_sub(*least))
        .collect();
    let extra_total: usize = extra.iter().sum();
    least
        .iter()
        .zip(&extra)
        .map(|(least, extra)| {
            least
                + (room * extra)
                    .checked_div(extra_total)
                    .unwrap_or(room / columns)
        })
        .collect()
}

fn word_table(table: &Table) -> DocxTable {
    let widths = column_widths(table);
    let width = |column: usize| widths.get(column).copied().unwrap_or(0);
    let header = TableRow::new(
        table
            .header
            .iter()
            .enumerate()
            .map(|(column, title)| {
                DocxCell::new()
                    .width(width(column), WidthType::Dxa)
                    .add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text(title).bold().size(SMALL)),
                    )
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("D9D9D9"))
            })
            .collect(),
    )
    .cant_split();
    let rows = table.rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .enumerate()
                .map(|(column, cell)| {
                    let run = Run::new().add_text(&cell.text).size(SMALL);
                    let mut word = DocxCell::new().width(width(column), WidthType::Dxa);
                    if let Some(shade) = cell.shade {
                        // Print tints, not the screen's palette: no solid dark column, black
                        // text on every level, readable on a grey printer.
                        let shade = shade.min(PRINT_TINTS.len() - 1);
                        word = word.shading(
                            Shading::new()
                                .shd_type(ShdType::Clear)
                                .fill(PRINT_TINTS[shade]),
                        );
                    }
                    word.add_paragraph(Paragraph::new().add_run(run))
                })
                .collect(),
        )
        .cant_split()
    });
    DocxTable::new(std::iter::once(header).chain(rows).collect())
        .set_grid(widths.clone())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Bar, Mark};

    #[test]
    fn a_document_becomes_a_word_file_with_its_text_tables_and_charts() {
        let document = Document {
            letterhead: Vec::new(),
            title: "Аналитическая справка".into(),
            subtitle: vec!["МДОУ № 18".into()],
            sections: vec![Section {
                heading: "Результаты по направлениям".into(),
                blocks: vec![
                    Block::Paragraph("Наиболее высокие результаты — в области «А».".into()),
                    Block::Chart(ChartSpec {
                        caption: None,
                        alt: "Результаты по областям: A 45 %".into(),
                        bars: vec![Bar {
                            label: "A".into(),
                            value: Some(45.0),
                            shade: 2,
                            text: "45,0 %".into(),
                        }],
                        max: 100.0,
                        marks: vec![Mark {
                            at: 60.0,
                            label: "L2".into(),
                        }],
                        legend: Vec::new(),
                    }),
                    Block::Table(Table {
                        caption: "Таблица 1".into(),
                        header: vec!["Область".into(), "Результат".into()],
                        rows: vec![vec![
                            TableCell::text("А"),
                            TableCell::shaded("45,0 %", Some(5)),
                        ]],
                    }),
                    Block::Table(Table {
                        caption: "Таблица 2".into(),
                        header: vec!["Код".into(), "Показатель".into(), "%".into()],
                        rows: (0..40)
                            .map(|row| {
                                vec![
                                    TableCell::text(format!("A{row}")),
                                    TableCell::text(
                                        "Продолжительность непрерывной образовательной деятельности и самообразование",
                                    ),
                                    TableCell::text("45,0 %"),
                                ]
                            })
                            .collect(),
                    }),
                ],
            }],
            signature: vec!["Дата ____________".into()],
            properties: Properties {
                file_name: "Справка МДОУ № 18 — Карта анализа занятия — май 2025".into(),
                ascii_file_name: "vsoko-spravka".into(),
                author: "Управление образования <г. Энск> & сеть".into(),
                created: "2026-12-06T19:30:00Z".into(),
            },
        };
        let bytes = write_docx(&document).unwrap();
        assert!(bytes.starts_with(b"PK"), "a DOCX is a zip");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("Наиболее высокие результаты"));
        assert!(xml.contains("1. Результаты по направлениям"));
        assert!(xml.contains("<w:tbl>"), "a real Word table");
        assert!(xml.contains("45,0 %"));
        assert!(
            xml.contains(PRINT_TINTS[5]),
            "the level's print tint: {xml}"
        );
        assert!(!xml.contains("08306b"), "no solid dark cell");
        assert!(!xml.contains("FFFFFF\" w:val"), "no white text");
        let images = (0..zip.len())
            .filter(|&i| zip.by_index(i).unwrap().name().unwrap().ends_with(".png"))
            .count();
        assert_eq!(images, 1, "the chart is an image");

        // Issue 23 §24: a header row repeated on every page, rows kept whole, widths by content.
        assert_eq!(xml.matches("<w:tbl>").count(), 2);
        assert_eq!(
            xml.matches("<w:tblHeader />").count(),
            2,
            "one header row per table"
        );
        assert_eq!(
            xml.matches("<w:tr>").count(),
            xml.matches("<w:cantSplit />").count(),
            "no row splits across pages"
        );
        let second = &xml[xml.rfind("<w:tblGrid>").unwrap()..];
        let grid: Vec<usize> = second[..second.find("</w:tblGrid>").unwrap()]
            .split("w:w=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(grid.len(), 3, "{second}");
        assert_eq!(
            grid.iter().sum::<usize>(),
            TEXT_WIDTH,
            "the table fills the text width"
        );
        assert!(
            grid[1] > grid[0] * 3 && grid[1] > grid[2] * 3,
            "the long text gets the room: {grid:?}"
        );
        assert!(
            grid[1] >= "Продолжительность".chars().count() * 110,
            "the longest word fits whole: {grid:?}"
        );

        // The file's properties are the network's and today's, not «unknown» and 1970.
        let mut core = String::new();
        Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
        assert!(
            core.contains(
                "<dc:creator>Управление образования &lt;г. Энск&gt; &amp; сеть</dc:creator>"
            ),
            "{core}"
        );
        assert!(
            core.contains("<dc:title>Аналитическая справка</dc:title>"),
            "{core}"
        );
        assert!(
            core.contains(">2026-12-06T19:30:00Z</dcterms:created>"),
            "{core}"
        );
        assert!(
            !core.contains("unknown") && !core.contains("1970"),
            "{core}"
        );
        assert!(
            docx_rs::read_docx(zip_bytes(&mut zip).as_slice()).is_ok(),
            "a reader still opens the rewritten package"
        );
    }

    fn zip_bytes(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>) -> Vec<u8> {
        zip.clone().into_inner().into_inner()
    }

    #[test]
    fn columns_share_the_width_by_their_longest_words_when_nothing_else_fits() {
        let table = Table {
            caption: String::new(),
            header: vec!["Продолжительность".to_owned(); 12],
            rows: Vec::new(),
        };
        let widths = column_widths(&table);
        assert_eq!(widths.len(), 12);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        assert!(
            widths.iter().max().unwrap() - widths.iter().min().unwrap() < 12,
            "{widths:?}"
        );
    }
}
