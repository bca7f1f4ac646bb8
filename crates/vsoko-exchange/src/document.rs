//! A document people file — the аналитическая справка — as plain data ([`Document`]: a title,
//! sections of paragraphs, lists, tables and charts, a place for the signature), and its Word
//! form ([`write_docx`]): real Word tables, the charts as PNG images drawn from the same SVG the
//! web page shows, page numbers in the footer. The web pages draw the same [`Document`] as HTML.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, Table as DocxTable, TableCell as DocxCell, TableRow, WidthType,
};

use crate::chart::{self, ChartSpec, PALETTE};
use crate::error::ExchangeError;

/// A document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title («Аналитическая справка …»).
    pub title: String,
    /// Lines under the title: whose, what, when.
    pub subtitle: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The lines of the signature block («Старший воспитатель ____ / ФИО /», «Дата ____»).
    pub signature: Vec<String>,
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its heading.
    pub heading: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its caption.
    pub caption: String,
    /// The header row.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<TableCell>>,
}

/// A table cell: text, and a palette position when the cell is coloured by a level.
#[derive(Debug, Clone, PartialEq)]
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
                        Paragraph::new().add_run(Run::new().add_text(&table.caption).italic()),
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
                    .add_paragraph(text(&spec.alt, SMALL))
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
    Ok(bytes.into_inner())
}

fn word_table(table: &Table) -> DocxTable {
    let header = TableRow::new(
        table
            .header
            .iter()
            .map(|title| {
                DocxCell::new()
                    .add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text(title).bold().size(SMALL)),
                    )
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("D9D9D9"))
            })
            .collect(),
    );
    let rows = table.rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .map(|cell| {
                    let mut run = Run::new().add_text(&cell.text).size(SMALL);
                    let mut word = DocxCell::new();
                    if let Some(shade) = cell.shade {
                        let shade = shade.min(PALETTE.len() - 1);
                        word = word.shading(
                            Shading::new()
                                .shd_type(ShdType::Clear)
                                .fill(PALETTE[shade].trim_start_matches('#')),
                        );
                        if chart::light_text(shade) {
                            run = run.color("FFFFFF");
                        }
                    }
                    word.add_paragraph(Paragraph::new().add_run(run))
                })
                .collect(),
        )
    });
    DocxTable::new(std::iter::once(header).chain(rows).collect()).width(5000, WidthType::Pct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Bar, Mark};

    #[test]
    fn a_document_becomes_a_word_file_with_its_text_tables_and_charts() {
        let document = Document {
            title: "Аналитическая справка".into(),
            subtitle: vec!["МДОУ № 18".into()],
            sections: vec![Section {
                heading: "Результаты по направлениям".into(),
                blocks: vec![
                    Block::Paragraph("Наиболее высокие результаты — в области «А».".into()),
                    Block::Chart(ChartSpec {
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
                    }),
                    Block::Table(Table {
                        caption: "Таблица 1".into(),
                        header: vec!["Область".into(), "Результат".into()],
                        rows: vec![vec![
                            TableCell::text("А"),
                            TableCell::shaded("45,0 %", Some(5)),
                        ]],
                    }),
                ],
            }],
            signature: vec!["Дата ____________".into()],
        };
        let bytes = write_docx(&document).unwrap();
        assert!(bytes.starts_with(b"PK"), "a DOCX is a zip");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(xml.contains("Наиболее высокие результаты"));
        assert!(xml.contains("1. Результаты по направлениям"));
        assert!(xml.contains("<w:tbl>"), "a real Word table");
        assert!(xml.contains("45,0 %"));
        assert!(
            xml.contains("08306b") || xml.contains("08306B"),
            "the level colour"
        );
        let images = (0..zip.len())
            .filter(|&i| zip.by_index(i).unwrap().name().unwrap().ends_with(".png"))
            .count();
        assert_eq!(images, 1, "the chart is an image");
    }
}
