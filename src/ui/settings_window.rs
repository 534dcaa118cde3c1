//! Settings: analyst name, theme, text size, reading width, panels. Persisted by eframe.

use egui::Context;
use serde::{Deserialize, Serialize};

use super::theme;

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Settings remembered across runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recorded as the author of new annotations.
    pub analyst: String,
    pub theme: ThemeChoice,
    /// Multiplies the body text size.
    pub zoom: f32,
    /// Widest line of article text, in points.
    pub reading_width: f32,
    pub show_library: bool,
    pub show_annotations: bool,
    /// Outline suggested claims in the article.
    pub show_suggestions: bool,
    pub recent: Vec<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            analyst: crate::session::default_author(),
            theme: ThemeChoice::System,
            zoom: 1.0,
            reading_width: theme::READING_WIDTH,
            show_library: true,
            show_annotations: true,
            show_suggestions: true,
            recent: Vec::new(),
        }
    }
}

/// Shows the settings window, editing `settings` in place; returns false when closed.
pub fn settings_ui(ctx: &Context, settings: &mut Settings) -> bool {
    let mut open = true;
    egui::Window::new("Settings")
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("settings_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    let label = ui
                        .label("Analyst name")
                        .on_hover_text("Recorded as the author of the annotations you make");
                    ui.add(
                        egui::TextEdit::singleline(&mut settings.analyst)
                            .id_salt("settings_analyst"),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut settings.theme, ThemeChoice::System, "System");
                        ui.selectable_value(&mut settings.theme, ThemeChoice::Light, "Light");
                        ui.selectable_value(&mut settings.theme, ThemeChoice::Dark, "Dark");
                    });
                    ui.end_row();
                    ui.label("Text size");
                    ui.add(
                        egui::Slider::new(&mut settings.zoom, theme::MIN_ZOOM..=theme::MAX_ZOOM)
                            .show_value(true),
                    );
                    ui.end_row();
                    ui.label("Reading width");
                    ui.add(
                        egui::Slider::new(&mut settings.reading_width, 400.0..=1400.0)
                            .suffix(" pt"),
                    );
                    ui.end_row();
                    ui.label("Panels");
                    ui.vertical(|ui| {
                        ui.checkbox(&mut settings.show_library, "Articles list");
                        ui.checkbox(&mut settings.show_annotations, "Annotations and inspector");
                    });
                    ui.end_row();
                    ui.label("Recent files");
                    if ui.button("Clear").clicked() {
                        settings.recent.clear();
                    }
                    ui.end_row();
                });
        });
    open
}
