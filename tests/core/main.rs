//! The core's integration tests in one binary (one link, not one per file): the library and
//! the `claimmark` command line, headless. The GUI's tests are in `tests/gui/`.

#[path = "../common/mod.rs"]
mod common;

mod anchoring;
mod architecture;
mod cli;
mod crash;
mod export;
mod export_brat;
mod export_refi;
mod fuzz;
mod import;
mod import_others;
mod import_refi;
mod interchange;
mod review;
mod storage;
mod suggest_gold;
mod web_extraction;
