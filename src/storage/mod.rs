//! Storage: the files Claimmark writes and reads besides articles.
//!
//! Owns the on-disk formats (versioned DTOs converted to and from the model), atomic writes,
//! and where each file lives. Must not touch egui.

pub mod atomic;
pub mod codebook;
pub mod merge;
pub mod read;
pub mod ron_fast;
mod ron_write;
pub mod saver;
pub mod sidecar;
pub mod sources;
pub mod watch;

pub use atomic::write_atomic;
pub use read::{ReadError, read_regular};
pub use sidecar::{SIDECAR_SUFFIX, SidecarError, sidecar_path};
