//! The app's tests in one binary: the real `ClaimmarkApp` driven with egui_kittest (found by
//! label and role through AccessKit), and the real window started once under Xvfb.

#[path = "../common/mod.rs"]
mod core_common;

mod common;

mod gui_start;
mod ui_claims;
mod ui_desktop;
mod ui_import;
mod ui_open;
mod ui_reliability;
mod ui_review;
mod ui_shortcuts;
mod ui_suggest;
mod ui_tagging;
mod ui_transfer;
