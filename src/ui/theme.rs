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
    // A selected highlight is stronger, but in the dark theme not so strong that the light
    // text on it falls below WCAG AA (a test measures every tag of the default codebook).
    let alpha = match (selected, dark) {
        (true, true) => 120,
        (true, false) => 170,
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

/// A tag's name written in its colour on `bg`: the colour, darkened (on a light background)
/// or lightened (on a dark one) just enough to be read (WCAG AA).
pub fn tag_text(color: Rgb, bg: Color32) -> Color32 {
    let base = swatch(color);
    let toward = if luminance(bg) > 0.4 {
        Color32::BLACK
    } else {
        Color32::WHITE
    };
    (0..=20)
        .map(|step| mix(base, toward, step as f32 / 20.0))
        .find(|c| contrast(*c, bg) >= MIN_TEXT_CONTRAST)
        .unwrap_or(toward)
}

fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(m(a.r(), b.r()), m(a.g(), b.g()), m(a.b(), b.b()))
}

/// Colour of the text selection in the article: a neutral grey, so that it never looks like
/// a tag's highlight (the default codebook's Source is blue, egui's selection blue too).
pub fn selection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(235, 235, 235, 70)
    } else {
        Color32::from_rgba_unmultiplied(40, 40, 40, 60)
    }
}

/// The outline of a suggested claim: unfilled, in a colour no tag of the default codebook
/// has, strong enough against either theme's background (a test measures the contrast).
pub fn suggestion_stroke(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 190, 255)
    } else {
        Color32::from_rgb(20, 90, 200)
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

/// WCAG's minimum contrast for text (level AA, normal size).
pub const MIN_TEXT_CONTRAST: f32 = 4.5;

/// The app's look for a theme: egui's, with every text colour readable (WCAG AA) on every
/// background it is drawn on; see [`text_pairs`].
pub fn visuals(theme: egui::Theme) -> Visuals {
    let mut v = match theme {
        egui::Theme::Dark => Visuals::dark(),
        egui::Theme::Light => Visuals::light(),
    };
    if v.dark_mode {
        // Weak text (dates, hints, paths): egui's is a faded grey near 3:1.
        v.weak_text_color = Some(Color32::from_gray(160));
        v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(200);
        v.widgets.inactive.fg_stroke.color = Color32::from_gray(215);
        v.hyperlink_color = Color32::from_rgb(120, 180, 255);
        v.warn_fg_color = Color32::from_rgb(255, 170, 80);
        v.error_fg_color = Color32::from_rgb(255, 120, 120);
    } else {
        v.weak_text_color = Some(Color32::from_gray(95));
        v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(40);
        v.widgets.inactive.fg_stroke.color = Color32::from_gray(30);
        v.hyperlink_color = Color32::from_rgb(0, 85, 190);
        v.warn_fg_color = Color32::from_rgb(150, 75, 0);
        v.error_fg_color = Color32::from_rgb(180, 0, 0);
    }
    v
}

/// A hint in an empty text field: italic, so it does not read like a value.
pub fn hint(text: &str) -> egui::RichText {
    egui::RichText::new(text).italics()
}

/// Relative luminance of an opaque colour (WCAG 2).
fn luminance(c: Color32) -> f32 {
    let lin = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// `top` (possibly translucent) painted over the opaque `bottom`.
pub fn over(top: Color32, bottom: Color32) -> Color32 {
    let a = f32::from(top.a()) / 255.0;
    // Color32 is premultiplied.
    let mix = |t: u8, b: u8| (f32::from(t) + f32::from(b) * (1.0 - a)).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(top.r(), bottom.r()),
        mix(top.g(), bottom.g()),
        mix(top.b(), bottom.b()),
    )
}

/// WCAG contrast ratio of text colour `fg` on background `bg` (1 to 21).
pub fn contrast(fg: Color32, bg: Color32) -> f32 {
    let (a, b) = (luminance(fg), luminance(bg));
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// Every text colour the app draws, with every background it is drawn on, named, for a
/// theme's visuals and the tags of `codebook` (tag chips and highlights are tag-coloured).
pub fn text_pairs(
    v: &Visuals,
    codebook: &crate::model::Codebook,
) -> Vec<(String, Color32, Color32)> {
    let backgrounds = [
        ("panel", v.panel_fill),
        ("window", v.window_fill),
        ("striped row", over(v.faint_bg_color, v.panel_fill)),
        ("text field", v.text_edit_bg_color()),
    ];
    let texts = [
        ("label", v.text_color()),
        ("weak text (dates, paths, hints)", v.weak_text_color()),
        ("strong text", v.strong_text_color()),
        ("link", v.hyperlink_color),
        ("warning", v.warn_fg_color),
        ("error", v.error_fg_color),
        ("article body", body_text(v)),
    ];
    let mut pairs = Vec::new();
    for (bn, bg) in backgrounds {
        for (tn, fg) in texts {
            pairs.push((format!("{tn} on {bn}"), fg, bg));
        }
    }
    let button = v.widgets.inactive;
    pairs.push((
        "button text".into(),
        button.fg_stroke.color,
        over(button.weak_bg_fill, v.panel_fill),
    ));
    pairs.push((
        "article text on the selection".into(),
        body_text(v),
        over(selection_fill(v.dark_mode), v.panel_fill),
    ));
    pairs.push((
        "selected text".into(),
        v.selection.stroke.color,
        over(v.selection.bg_fill, v.panel_fill),
    ));
    for tag in &codebook.tags {
        for (bn, bg) in [
            ("panel", v.panel_fill),
            ("selected row", over(v.selection.bg_fill, v.panel_fill)),
        ] {
            pairs.push((
                format!("tag name {} on {bn}", tag.name),
                tag_text(tag.color, bg),
                bg,
            ));
        }
        let chip = over(highlight_fill(tag.color, false, v.dark_mode), v.panel_fill);
        pairs.push((
            format!("tag chip {}", tag.name),
            button.fg_stroke.color,
            chip,
        ));
        for selected in [false, true] {
            let fill = over(
                highlight_fill(tag.color, selected, v.dark_mode),
                v.panel_fill,
            );
            pairs.push((
                format!(
                    "article text on a highlight of {} (selected: {selected})",
                    tag.name
                ),
                body_text(v),
                fill,
            ));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_measured_as_wcag_does() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // #767676 on white is the classic 4.54:1.
        let grey = Color32::from_gray(0x76);
        assert!((contrast(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn suggestion_outlines_stand_out_in_both_themes() {
        // Non-text contrast (WCAG 1.4.11): 3:1 against the page the article is drawn on.
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let v = visuals(theme);
            let c = contrast(suggestion_stroke(v.dark_mode), v.panel_fill);
            assert!(c >= 3.0, "{theme:?}: {c:.2}");
        }
    }

    #[test]
    fn every_text_colour_meets_wcag_aa_on_every_background_in_both_themes() {
        let codebook = crate::storage::codebook::default_codebook();
        let mut failures = Vec::new();
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let v = visuals(theme);
            for (what, fg, bg) in text_pairs(&v, &codebook) {
                let c = contrast(fg, bg);
                if c < MIN_TEXT_CONTRAST {
                    failures.push(format!("{theme:?}: {what}: {c:.2}:1"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_selection_is_grey_and_every_default_tag_is_a_colour() {
        // Saturation (HSV) of a colour as painted over the panel.
        let saturation = |c: Color32| {
            let (max, min) = (c.r().max(c.g()).max(c.b()), c.r().min(c.g()).min(c.b()));
            if max == 0 {
                0.0
            } else {
                f32::from(max - min) / f32::from(max)
            }
        };
        let codebook = crate::storage::codebook::default_codebook();
        for dark in [true, false] {
            let panel = visuals(if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            })
            .panel_fill;
            let selection = over(selection_fill(dark), panel);
            assert!(saturation(selection) < 0.05, "{selection:?}");
            for tag in &codebook.tags {
                let fill = over(highlight_fill(tag.color, false, dark), panel);
                assert!(
                    saturation(fill) > 0.1,
                    "{} ({dark}): {fill:?} could pass for the selection",
                    tag.name
                );
            }
        }
    }

    #[test]
    fn egui_s_own_weak_text_did_not() {
        // What the test above guards against: egui's default faded grey.
        let v = Visuals::dark();
        assert!(contrast(v.weak_text_color(), v.panel_fill) < MIN_TEXT_CONTRAST);
    }
}
