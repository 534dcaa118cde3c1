//! Above the article: its file, what the file says about it (site, author, date, URL, a Word
//! document's comments), and on request how its text was made (format, extractor, encoding,
//! fingerprints, first annotated).

use egui::{RichText, Ui};

use super::theme;
use crate::session::Session;

/// Shows the header of the open article. Reads only the session; pushes no commands.
pub fn show(ui: &mut Ui, session: &Session) {
    title_ui(ui, session);
    byline_ui(ui, session);
    if let Some(note) = session.reextracted() {
        egui::Frame::new()
            .fill(theme::warning_fill(ui.visuals().dark_mode))
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.label(note);
            });
    }
    comments_ui(ui, session);
    source_details_ui(ui, session);
}

/// "Comments (n)", collapsed at first: a Word document's reviewer comments, one a line. They
/// are not article text, so they are listed here rather than in the text.
fn comments_ui(ui: &mut Ui, session: &Session) {
    let comments = &session.article().meta.comments;
    if comments.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!("Comments ({})", comments.len()))
        .id_salt("document_comments")
        .default_open(false)
        .show(ui, |ui| {
            for comment in comments {
                ui.add(egui::Label::new(comment.summary()).wrap().selectable(true));
            }
        })
        .header_response
        .on_hover_text("The reviewers' comments the Word document carries (not part of the text)");
}

/// The file's name and the article's date, then its title unless the text starts with it.
fn title_ui(ui: &mut Ui, session: &Session) {
    let article = &session.article();
    let meta = &article.meta;
    let name = session.file_name();
    ui.horizontal_wrapped(|ui| {
        ui.heading(&name);
        if let Some(date) = &article.date {
            let why = if meta.published.is_some() {
                "The publication date the file gives"
            } else {
                "Date from the article's dateline"
            };
            ui.label(RichText::new(format!("Dated {date}")).strong())
                .on_hover_text(why);
        }
    });
    // The title, unless the text starts with it (a web page's headline is its first line).
    let first_line = article.blocks.first().map(|b| article.slice(b.chars));
    if let Some(title) = meta.title.as_deref().filter(|t| Some(*t) != first_line) {
        ui.label(
            RichText::new(title)
                .size(theme::BODY_TEXT_SIZE + 2.0)
                .strong(),
        );
    }
}

/// One line of what the file says about the article: site, author, publication time (unless
/// the date above already says it), pages, and its address.
fn byline_ui(ui: &mut Ui, session: &Session) {
    let article = &session.article();
    let meta = &article.meta;
    let mut parts: Vec<String> = Vec::new();
    if let Some(site) = &meta.site {
        parts.push(site.clone());
    }
    if let Some(author) = &meta.author {
        parts.push(format!("By {author}"));
    }
    if let Some(published) = &meta.published
        && article.date.as_deref() != crate::model::article::day_of(published)
    {
        parts.push(format!("Published {published}"));
    }
    if !meta.pages.is_empty() {
        let n = meta.pages.len();
        parts.push(format!("{n} page{}", if n == 1 { "" } else { "s" }));
    }
    if !parts.is_empty() || meta.url.is_some() {
        ui.horizontal_wrapped(|ui| {
            if !parts.is_empty() {
                ui.label(parts.join("  ·  "));
            }
            if let Some(url) = &meta.url {
                ui.add(egui::Label::new(RichText::new(url).weak()).selectable(true))
                    .on_hover_text("The page's address, as the file gives it (never fetched)");
            }
        });
    }
}

/// "Source details", collapsed at first: how the article's text was made.
fn source_details_ui(ui: &mut Ui, session: &Session) {
    let article = &session.article();
    let meta = &article.meta;
    egui::CollapsingHeader::new("Source details")
        .id_salt("source_details")
        .default_open(false)
        .show(ui, |ui| {
            let p = &session.source().provenance;
            egui::Grid::new("source_grid")
                .num_columns(2)
                .spacing([12.0, 2.0])
                .show(ui, |ui| {
                    let mut row = |label: &str, value: &str| {
                        ui.label(RichText::new(label).weak());
                        ui.add(egui::Label::new(value).selectable(true));
                        ui.end_row();
                    };
                    row("Format", &p.format);
                    row("Extractor", &p.extractor);
                    if let Some(enc) = &p.encoding {
                        row("Encoding", enc);
                    }
                    if let Some(lang) = &meta.language {
                        row("Language", lang);
                    }
                    row("File fingerprint", &p.file_fingerprint);
                    row("Text fingerprint", article.fingerprint());
                    if !session.source().imported.is_empty() {
                        row("First annotated", &session.source().imported);
                    }
                    row(
                        "Length",
                        &format!(
                            "{} characters, {} paragraphs",
                            article.char_len(),
                            article.blocks.len()
                        ),
                    );
                });
        });
}
