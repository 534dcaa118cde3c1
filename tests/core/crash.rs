//! Killing a writing process at random moments never leaves an unreadable sidecar, and loses
//! at most the edit that was being written. The writer is the real binary (`claimmark add`:
//! open, parse, add, save atomically with a backup), killed with SIGKILL.

use std::process::{Command, Stdio};
use std::time::Duration;

use claimmark::session::Session;
use claimmark::storage::sidecar;

/// A small deterministic generator: the test is random in its kill moments but reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn kill_9_at_random_moments_leaves_every_sidecar_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("long.txt");
    let text: String = (0..400)
        .map(|i| format!("Sentence number {i:03} says the minister was right.\n\n"))
        .collect();
    std::fs::write(&article, text).expect("write");
    let sidecar_path = sidecar::sidecar_path(&article);
    let mut rng = Lcg(0x5eed);
    // Kill at random moments across the time one add takes on this machine (measured, so the
    // test keeps hitting every phase whatever the build or machine speed).
    let started = std::time::Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_claimmark"))
        .args([
            "add",
            article.to_str().expect("utf-8"),
            "--quote",
            "Sentence number 399 says",
            "--tag",
            "claim",
        ])
        .stdout(Stdio::null())
        .status()
        .expect("run");
    assert!(status.success());
    let window = (started.elapsed().as_micros() as u64 * 3 / 2).max(1000);
    let mut last = 1usize;
    let mut killed = 0;
    for i in 0..60 {
        let quote = format!("Sentence number {i:03} says");
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimmark"))
            .args([
                "add",
                article.to_str().expect("utf-8"),
                "--quote",
                &quote,
                "--tag",
                "claim",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.next() % window));
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("SIGKILL");
            killed += 1;
        }
        let _ = child.wait();
        // Whatever moment it died at, the sidecar (if any) and its backup read cleanly.
        let session = Session::open(&article).expect("article opens");
        assert_eq!(
            session.read_only(),
            None,
            "after attempt {i}: {:?}",
            session.read_only()
        );
        let n = session.annotations().len();
        assert!(
            n == last || n == last + 1,
            "after attempt {i}: {last} -> {n} annotations"
        );
        last = n;
        let backup = sidecar::backup_path(&sidecar_path);
        if backup.exists() {
            let text = std::fs::read_to_string(&backup).expect("backup");
            sidecar::parse(&text, Some(session.article()))
                .expect("the backup is a readable sidecar");
        }
    }
    assert!(
        killed >= 10,
        "only {killed} processes were killed mid-way; the test proved little"
    );
    assert!(last >= 2, "some adds completed");
    // Left-over temporary files never shadow the sidecar.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n == "long.txt"
            || n.ends_with(".annotations.ron")
            || n.ends_with(".annotations.ron.bak")
            || n == ".claimmark.lock"
            || (n.starts_with(".claimmark-") && n.ends_with(".tmp"))),
        "{names:?}"
    );
    // Hidden left-overs are not articles: the folder lists only the article.
    let (articles, _) = claimmark::review::scan::walk(dir.path()).expect("walk");
    assert_eq!(articles, std::slice::from_ref(&article));
}
