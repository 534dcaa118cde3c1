//! The real binary starts a window under Xvfb, shows the article, saves a screenshot and exits
//! cleanly. A broken window start fails this test. Needs `Xvfb` (package `xvfb`), which
//! `tests/run` installs.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock and socket, so later runs find the display free.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        if self.0.wait().is_err() {
            let _ = self.0.kill();
        }
    }
}

/// Starts Xvfb on a display no other X server (or a stale lock of one) uses.
fn start_xvfb() -> (Xvfb, String) {
    let first = 100 + std::process::id() % 300;
    for n in (first..first + 60).map(|n| 100 + (n - 100) % 300) {
        let lock = format!("/tmp/.X{n}-lock");
        let socket = format!("/tmp/.X11-unix/X{n}");
        if Path::new(&lock).exists() || Path::new(&socket).exists() {
            continue;
        }
        let display = format!(":{n}");
        let mut child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start Xvfb ({e}): run the tests with `tests/run`, which installs it \
                     (or `sudo apt-get install xvfb`)"
                )
            });
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if child.try_wait().ok().flatten().is_some() {
                break; // it could not take this display: try the next one
            }
            if Path::new(&socket).exists() {
                return (Xvfb(child), display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("no free X display for Xvfb");
}

#[test]
fn the_binary_opens_a_window_shows_the_article_and_exits() {
    let (_xvfb, display) = start_xvfb();
    let home = tempfile::tempdir().expect("tempdir");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("report.txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_article.txt"),
        &article,
    )
    .expect("copy article");
    let shot = dir.path().join("shot.png");
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .arg(&article)
        .arg("--screenshot")
        .arg(&shot)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start claimmark");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the app did not exit within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().expect("output");
    assert!(
        status.success(),
        "exit {status}: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let img = image::open(&shot).expect("a PNG screenshot").to_rgba8();
    assert!(
        img.width() >= 640 && img.height() >= 400,
        "{}x{}",
        img.width(),
        img.height()
    );
    // Text was drawn: many distinct colours (anti-aliased glyphs), not an empty window.
    let mut colours = std::collections::HashSet::new();
    for p in img.pixels() {
        colours.insert(p.0);
    }
    assert!(
        colours.len() > 50,
        "only {} colours: nothing was drawn",
        colours.len()
    );
}
