//! Colours and sizes of the reading view, in one place. Tag colours come from the codebook;
//! how strongly they are painted is decided here.

use egui::{Color32, Stroke, Visuals};

use crate::model::Rgb;

/// Default body text size in points (before zoom).
pub const BODY_TEXT_SIZE: f32 = 17.0;
/// The widest a line of article text gets, in points, for comfortable reading.
pub const READING_WIDTH: f32 = 700.0;
/// Zoom limits for the article text.
pub const MIN_ZOOM: f32 = 0.6;
pub const MAX_ZOOM: f32 = 2.5;

/// The background of a highlight.
pub fn highlight_fill(color: Rgb, selected: bool, dark: bool) -> Color32 {
    let [r, g, b] = color.0;
    let alpha = match (selected, dark) {
        (true, _) => 170,
        (false, true) => 90,
        (false, false) => 70,
    };
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}

/// The underline that shows a second, overlapping highlight.
pub fn overlap_stroke(color: Rgb) -> Stroke {
    let [r, g, b] = color.0;
    Stroke::new(2.5, Color32::from_rgb(r, g, b))
}

/// A solid swatch of a tag's colour (tag bar, annotation list).
pub fn swatch(color: Rgb) -> Color32 {
    let [r, g, b] = color.0;
    Color32::from_rgb(r, g, b)
}

/// Colour of the text selection.
pub fn selection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(90, 140, 230, 140)
    } else {
        Color32::from_rgba_unmultiplied(80, 140, 255, 110)
    }
}

/// Emphasis of the find-match and error banners.
pub fn warning_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(90, 40, 30)
    } else {
        Color32::from_rgb(255, 228, 214)
    }
}

/// Article body text: higher contrast than egui's default label grey, for long reading.
pub fn body_text(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_gray(222)
    } else {
        Color32::from_gray(20)
    }
}
