//! Analyst-scale benchmarks (issue #8): a 5 MB article with 10,000 annotations, driven through
//! the real core and the real article view (egui, headless, with tessellation). Run with
//! `cargo bench`; each row prints the median, the 95th percentile and the target.
//!
//! The data is generated here: realistic news paragraphs (varied length, quotes, names),
//! annotations spread through the text, some overlapping.
//!
//! `CLAIMMARK_BENCH_ONLY=save,add,export` runs only the named rows (while iterating on them):
//! `memory`, `open`, `suggest`, `frame`, `add`, `save`, `reopen`, `reanchor`, `export`,
//! `review` (the tree's scan and filter rows). Unset or empty: every row.

/// The binary's allocator (`src/main.rs`), so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What the app's binary gives [`claimmark::job::set_memory_release`].
#[allow(unsafe_code)]
fn collect() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use claimmark::export;
use claimmark::model::{Edit, Span};
use claimmark::review;
use claimmark::session::Session;
use claimmark::storage::sidecar;
use claimmark::ui::article_view::ArticleView;

const ARTICLE_BYTES: usize = 5 * 1024 * 1024;
const ANNOTATIONS: usize = 10_000;

/// A deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "ministry",
    "said",
    "on",
    "Tuesday",
    "that",
    "officials",
    "had",
    "rejected",
    "claims",
    "by",
    "opposition",
    "leaders",
    "about",
    "the",
    "harbour",
    "dispute",
    "and",
    "warned",
    "of",
    "“serious",
    "consequences”",
    "if",
    "talks",
    "failed",
    "according",
    "to",
    "state",
    "media",
    "quoting",
    "an",
    "unnamed",
    "source",
    "near",
    "the",
    "negotiations",
    "Zoë",
    "Hallström",
    "told",
    "reporters",
    "figures",
    "showed",
    "grain",
    "exports",
    "rose",
    "12",
    "per",
    "cent",
];

fn paragraph(rng: &mut Lcg, n: usize) -> String {
    let words: Vec<&str> = (0..40 + rng.next() % 120)
        .map(|_| WORDS[rng.next() % WORDS.len()])
        .collect();
    format!("Paragraph {n}: {}.", words.join(" "))
}

fn write_fixture(dir: &Path) -> PathBuf {
    let mut rng = Lcg(42);
    let mut text = String::from(" date 2024-05-14 ");
    let mut n = 0;
    while text.len() < ARTICLE_BYTES {
        text.push_str(&paragraph(&mut rng, n));
        text.push_str("\n\n");
        n += 1;
    }
    let path = dir.join("long.txt");
    std::fs::write(&path, &text).expect("write article");
    let mut session = Session::open(&path).expect("open");
    let len = session.article().char_len();
    for i in 0..ANNOTATIONS {
        let start = (i * (len / ANNOTATIONS)) + rng.next() % 200;
        let span = Span {
            start,
            end: (start + 20 + rng.next() % 120).min(len),
        };
        let ann = session.new_annotation(span, ["claim", "source", "evidence"][i % 3], "", "bench");
        session.apply(Edit::Add(ann)).expect("add");
    }
    session.save().expect("save");
    path
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}

/// Whether `CLAIMMARK_BENCH_ONLY` (a comma-separated list of row names) asks for row `name`.
fn wanted(name: &str) -> bool {
    std::env::var("CLAIMMARK_BENCH_ONLY")
        .ok()
        .filter(|only| !only.trim().is_empty())
        .is_none_or(|only| only.split(',').any(|n| n.trim() == name))
}

/// `n` samples for row `name`, none when it is not [`wanted`].
fn runs(name: &str, n: usize) -> usize {
    if wanted(name) { n } else { 0 }
}

fn row(work: &str, samples: Vec<Duration>, target: &str) {
    if samples.is_empty() {
        return; // the row was not asked for
    }
    let (median, p95) = stats(samples);
    println!(
        "| {work} | {:.2} ms | {:.2} ms | {target} |",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}

/// Suggested claims in a 5 MB article of news text (the bundled samples, repeated), as the
/// app finds them on a worker thread when the article opens; next to it, parsing the same
/// text as a JSON string with `serde_json`, for a ratio that holds across machines.
fn suggest_row() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let mut one = String::new();
    for name in [
        "01_harbour_dispute.txt",
        "02_grain_corridor.txt",
        "03_long_inquiry_report.txt",
    ] {
        one.push_str(&std::fs::read_to_string(dir.join(name)).expect("sample"));
        one.push_str("\n\n");
    }
    let text = one.repeat(5_000_000 / one.len() + 1);
    let registry = claimmark::model::SourceRegistry::default();
    let mut samples = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let (d, s) = time(|| claimmark::suggest::suggest(&text, &registry));
        found = s.len();
        samples.push(d);
    }
    let json = serde_json::to_string(&text).expect("JSON");
    let reference: Vec<Duration> = (0..5)
        .map(|_| time(|| black_box(serde_json::from_str::<String>(&json).expect("parse"))).0)
        .collect();
    let (reference, _) = stats(reference);
    row(
        &format!(
            "suggest claims in a {:.1} MB news article ({found} found; the same text parsed as JSON: {:.1} ms)",
            text.len() as f64 / 1e6,
            reference.as_secs_f64() * 1e3
        ),
        samples,
        "≤ 1 s",
    );
}

/// The process's CPU time so far (user + system, all threads), from `/proc/self/stat`.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in clock ticks of 1/100 s on every common configuration.
    Some(Duration::from_millis(ticks * 10))
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// One frame of the article view at 1280×800, laid out and tessellated.
fn frame(ctx: &egui::Context, view: &mut ArticleView, session: &Session) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| view.ui(ui, session, None, &mut Vec::new()));
    });
    // A real integration uploads font-atlas changes to the GPU; headless, they are dropped.
    output.textures_delta.clear();
    black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
}

/// A first frame that loads the fonts, as the app's start does before any article opens.
fn warm_up(ctx: &egui::Context) {
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        ui.label("warm");
    });
    output.textures_delta.clear();
}

/// Child mode: open the article, lay out and tessellate two frames, report peak memory.
fn memory_child(path: &Path) {
    let ctx = egui::Context::default();
    warm_up(&ctx);
    let session = Session::open(path).expect("open");
    let mut view = ArticleView::new(1.0);
    frame(&ctx, &mut view, &session);
    frame(&ctx, &mut view, &session);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown");
    println!("{peak}");
    black_box(&session);
}

fn main() {
    if let Ok(path) = std::env::var("CLAIMMARK_BENCH_MEMORY") {
        memory_child(Path::new(&path));
        return;
    }
    // `CLAIMMARK_BENCH_FIXTURE=DIR cargo bench --bench scale` writes the 5 MB article with its
    // 10,000 annotations into DIR and stops: to open it in the real app and scroll it by hand.
    if let Ok(dir) = std::env::var("CLAIMMARK_BENCH_FIXTURE") {
        std::fs::create_dir_all(&dir).expect("fixture folder");
        println!("{}", write_fixture(Path::new(&dir)).display());
        return;
    }
    if let Ok(spec) = std::env::var("CLAIMMARK_BENCH_SCAN") {
        scan_child(&spec);
        return;
    }
    // `CLAIMMARK_BENCH_LARGE=1 cargo bench --bench scale` runs the tier of a year of wire copy
    // instead (issue #19): 100,000 articles with 2,000,000 annotations, written under the
    // target folder (1.9 GB, removed afterwards); `CLAIMMARK_BENCH_LARGE=DIR` times a tree
    // already written there by `CLAIMMARK_BENCH_TREE=DIR`.
    if let Ok(spec) = std::env::var("CLAIMMARK_BENCH_LARGE") {
        large_tier(&spec);
        return;
    }
    // `CLAIMMARK_BENCH_TREE=DIR cargo bench --bench scale` writes the review's tree of
    // 100,000 articles with 20 annotations each (`CLAIMMARK_BENCH_TREE_ARTICLES` sets another
    // count) into DIR and stops: to open it in the real app and time the command line on it.
    if let Ok(dir) = std::env::var("CLAIMMARK_BENCH_TREE") {
        let count = std::env::var("CLAIMMARK_BENCH_TREE_ARTICLES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(100_000);
        write_tree(Path::new(&dir), count, 20);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_fixture(dir.path());
    // Peak memory of a fresh process that opens the article and draws it (headless: no GPU
    // buffers, which live in the driver).
    if let Ok(exe) = std::env::current_exe()
        && wanted("memory")
    {
        let out = std::process::Command::new(exe)
            .env("CLAIMMARK_BENCH_MEMORY", &path)
            .output()
            .expect("memory child");
        let text = String::from_utf8_lossy(&out.stdout);
        let kb: f64 = text
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0);
        println!(
            "Peak memory with the article open and drawn: {:.0} MB (target ≤ 300 MB)\n",
            kb / 1024.0
        );
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Article: {:.1} MB, {ANNOTATIONS} annotations; {} cores\n",
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| work | median | p95 | target |");
    println!("| --- | --- | --- | --- |");

    // Fonts are loaded once per app start; warm them so the rows measure the article.
    let warm = egui::Context::default();
    warm_up(&warm);

    let mut samples = Vec::new();
    for _ in 0..runs("open", 10) {
        let ctx = egui::Context::default();
        warm_up(&ctx);
        let (d, _) = time(|| {
            let session = Session::open(&path).expect("open");
            let mut view = ArticleView::new(1.0);
            frame(&ctx, &mut view, &session);
            frame(&ctx, &mut view, &session);
            session
        });
        samples.push(d);
    }
    row(
        "open the article with its sidecar, to the first full frame",
        samples,
        "≤ 150 ms",
    );

    if wanted("suggest") {
        suggest_row();
    }

    let mut session = Session::open(&path).expect("open");
    let ctx = egui::Context::default();
    let mut view = ArticleView::new(1.0);
    frame(&ctx, &mut view, &session);
    let len = session.article().char_len();
    let mut rng = Lcg(7);
    let mut samples = Vec::new();
    for i in 0..runs("frame", 300) {
        // Jump somewhere every 10 frames, scroll a little in between.
        if i % 10 == 0 {
            view.scroll_to = Some(rng.next() % len);
        }
        let (d, _) = time(|| frame(&ctx, &mut view, &session));
        samples.push(d);
    }
    row(
        "a frame while jumping and scrolling (UI + tessellation)",
        samples,
        "p95 ≤ 2 ms",
    );

    let mut samples = Vec::new();
    for i in 0..runs("add", 50) {
        let start = (i * 997) % (len - 200);
        let ann = session.new_annotation(
            Span {
                start,
                end: start + 40,
            },
            "claim",
            "",
            "bench",
        );
        let id = ann.id.clone();
        view.scroll_to = Some(start);
        frame(&ctx, &mut view, &session);
        let (d, _) = time(|| {
            session.apply(Edit::Add(ann)).expect("add");
            frame(&ctx, &mut view, &session);
        });
        samples.push(d);
        let (d, _) = time(|| {
            session.apply(Edit::Remove(id)).expect("remove");
            frame(&ctx, &mut view, &session);
        });
        samples.push(d);
    }
    row(
        "add or remove a highlight, to the next frame",
        samples,
        "≤ 2 ms",
    );

    let mut samples = Vec::new();
    let mut parts = (Vec::new(), Vec::new());
    for _ in 0..runs("save", 10) {
        let (d, _) = time(|| {
            let (render, (path, text, _)) = time(|| session.snapshot().expect("snapshot"));
            let (write, _) = time(|| sidecar::write(&path, &text).expect("write"));
            parts.0.push(render);
            parts.1.push(write);
        });
        samples.push(d);
    }
    if wanted("save") {
        let (render, _) = stats(parts.0);
        let (write, _) = stats(parts.1);
        println!(
            "<!-- save: render {:.1} ms, write {:.1} ms (medians) -->",
            render.as_secs_f64() * 1e3,
            write.as_secs_f64() * 1e3
        );
    }
    row(
        "save 10,000 annotations (serialise, back up, write, fsync, rename)",
        samples,
        "≤ 60 ms",
    );

    // Edit the article: a paragraph inserted near the top, typos fixed further down.
    let text = std::fs::read_to_string(&path).expect("read");
    let mut edited = text.replacen("\n\n", "\n\nAn editor's note was inserted here.\n\n", 1);
    for w in ["ministry said", "state media", "grain exports"] {
        edited = edited.replacen(w, &w.replace(' ', "  "), 3);
    }
    std::fs::write(&path, edited).expect("write");
    let mut samples = Vec::new();
    for _ in 0..runs("reopen", 5) {
        let (d, s) = time(|| Session::open(&path).expect("open"));
        black_box(s.anchor_counts());
        samples.push(d);
    }
    row(
        "open after edits: read, parse and re-anchor 10,000 annotations",
        samples,
        "— (next row)",
    );

    // Re-anchoring alone: 1,000 of those annotations found again in the edited text.
    let article = claimmark::import::read_article(&path).expect("read");
    let stored = sidecar::load(&path, None)
        .expect("sidecar")
        .expect("present")
        .annotations;
    let fragments: Vec<_> = stored
        .iter()
        .take(1_000)
        .flat_map(|a| a.fragments.clone())
        .collect();
    let mut samples = Vec::new();
    for _ in 0..runs("reanchor", 10) {
        let (d, found) = time(|| {
            let mut resolver = claimmark::anchoring::Resolver::new(&article);
            fragments
                .iter()
                .filter(|f| resolver.resolve(f).span().is_some())
                .count()
        });
        assert_eq!(found, fragments.len(), "every fragment is found again");
        samples.push(d);
    }
    row(
        "re-anchor 1,000 annotations after edits (the resolver alone)",
        samples,
        "≤ 50 ms",
    );

    if wanted("export") {
        // A folder of 100 articles with 1,000 annotations each, exported to CSV: 100,000 claims,
        // read article by article (open, parse, resolve) and streamed to the file.
        let folder = dir.path().join("folder");
        let articles = write_folder(&folder, 100, 1_000);
        let out = dir.path().join("claims.csv");
        let options = export::Options {
            format: export::Format::Csv,
            output: Some(out.clone()),
            filter: export::Filter::default(),
            bom: false,
            taguette: false,
        };
        {
            let text =
                std::fs::read_to_string(sidecar::sidecar_path(&articles[0])).expect("sidecar");
            let (p, _) = time(|| {
                for a in &articles {
                    let t = std::fs::read_to_string(sidecar::sidecar_path(a)).expect("sidecar");
                    black_box(sidecar::parse(&t, None).expect("parse"));
                }
            });
            let (o, _) = time(|| {
                for a in &articles {
                    black_box(Session::open(a).expect("open"));
                }
            });
            let (r, _) = time(|| {
                for a in &articles {
                    black_box(claimmark::import::read_article(a).expect("read"));
                }
            });
            let sessions: Vec<Session> = articles
                .iter()
                .map(|a| Session::open(a).expect("open"))
                .collect();
            let (w, _) = time(|| {
                use claimmark::export::Exporter;
                let mut csv = claimmark::export::csv::CsvExport::new(std::io::sink(), false, false)
                    .expect("csv");
                for s in &sessions {
                    let selected = options.filter.select(s);
                    csv.article(s, &selected).expect("write");
                }
            });
            let (dr, _) = time(|| drop(sessions));
            println!(
                "<!-- export: writing the CSV of 100 open articles {:.0} ms, dropping them {:.0} ms -->",
                w.as_secs_f64() * 1e3,
                dr.as_secs_f64() * 1e3
            );
            println!(
                "<!-- export: sidecar {} kB; 100 parses {:.0} ms, 100 opens {:.0} ms, 100 article reads {:.0} ms (one thread) -->",
                text.len() / 1000,
                p.as_secs_f64() * 1e3,
                o.as_secs_f64() * 1e3,
                r.as_secs_f64() * 1e3
            );
        }
        let mut samples = Vec::new();
        let cpu_before = cpu_time();
        for _ in 0..5 {
            let (d, summary) = time(|| export::run(&articles, &options, &mut |_, _| true));
            assert_eq!(summary.map(|s| s.annotations).ok(), Some(100_000));
            samples.push(d);
        }
        if let (Some(a), Some(b)) = (cpu_before, cpu_time()) {
            println!(
                "<!-- export: CPU time per run {:.0} ms (all threads) -->",
                (b - a).as_secs_f64() * 1e3 / 5.0
            );
        }
        row(
            "export 100,000 claims (100 articles) to CSV, from the sidecars on disk",
            samples,
            "≤ 500 ms",
        );
    }
    if !wanted("review") {
        return;
    }

    // The review (issue #6): a tree of 10,000 articles with 20 annotations each, scanned
    // without and with the cache, then filtered.
    let tree = dir.path().join("tree");
    write_tree(&tree, 10_000, 20);
    let mut samples = Vec::new();
    for _ in 0..3 {
        let progress = review::ScanProgress::default();
        let (d, index) = time(|| review::scan(&tree, None, &progress).expect("scan"));
        assert_eq!(
            (index.articles.len(), index.claims.len()),
            (10_000, 200_000)
        );
        samples.push(d);
    }
    row(
        "scan 10,000 articles / 200,000 annotations, cold (no cache)",
        samples,
        "≤ 2 s",
    );
    let cache = dir.path().join("review-cache.bin");
    let index = review::scan(&tree, Some(&cache), &review::ScanProgress::default()).expect("scan");
    let mut samples = Vec::new();
    for _ in 0..5 {
        let progress = review::ScanProgress::default();
        let (d, cached) = time(|| review::scan(&tree, Some(&cache), &progress).expect("scan"));
        assert_eq!(progress.reused.load(Ordering::Relaxed), 10_000);
        assert_eq!(cached.claims.len(), 200_000);
        black_box(cached);
        samples.push(d);
    }
    row(
        "scan 10,000 articles / 200,000 annotations, with the cache",
        samples,
        "≤ 300 ms",
    );
    let samples = filter_samples(&index, 30);
    row(
        "filter 200,000 claims (tag + source + text search)",
        samples,
        "≤ 16 ms",
    );
}

/// `runs` times of the review's filter by tag, source and text over `index`: a few rows in ten
/// pass.
fn filter_samples(index: &review::Index, runs: usize) -> Vec<Duration> {
    let filter = review::Filter {
        tags: vec!["claim".into()],
        source: Some("KCNA".into()),
        search: "harbour".into(),
        ..review::Filter::default()
    };
    (0..runs)
        .map(|_| {
            let (d, rows) = time(|| review::filter::apply(index, &filter));
            assert!(
                !rows.is_empty() && rows.len() < index.claims.len() / 10,
                "{}",
                rows.len()
            );
            d
        })
        .collect()
}

/// Sources with aliases, as a folder's registry lists them.
const SOURCES: &[(&str, &[&str])] = &[
    ("Korean Central News Agency", &["KCNA"]),
    ("Yonhap News Agency", &["Yonhap"]),
    ("Ministry of Unification", &["MOU"]),
    ("Kim Jong Un", &[]),
    ("Reuters", &[]),
    ("Kyodo News", &["Kyodo"]),
    ("India Today", &[]),
    ("US State Department", &["State Department"]),
];

/// `count` news articles of 3–5 kB under `dir`, in one folder per month (each with the source
/// registry), with `per` annotations each: datelines, sources and outlets, grades, statuses,
/// confidences, notes, some nested tags and "same claim as" links across articles. Sidecars
/// are rendered and written directly (no fsync), to keep the set-up short.
fn write_tree(dir: &Path, count: usize, per: usize) {
    use claimmark::model::{Confidence, Credibility, Link, LinkKind, Reliability, Status};
    let registry = format!(
        "(version: 1, sources: [{}])",
        SOURCES
            .iter()
            .map(|(name, aliases)| format!(
                "(name: {name:?}, aliases: [{}])",
                aliases
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut rng = Lcg(11);
    let mut previous: Option<(String, claimmark::model::AnnotationId)> = None;
    for a in 0..count {
        let month = 1 + a % 12;
        let folder = dir.join(format!("2024-{month:02}"));
        if a < 12 {
            std::fs::create_dir_all(&folder).expect("mkdir");
            std::fs::write(folder.join("claimmark.sources.ron"), &registry).expect("registry");
        }
        let mut text = format!(" date 2024-{month:02}-{:02} ", 1 + a % 28);
        let mut n = 0;
        let size = 3_000 + rng.next() % 2_000;
        while text.len() < size {
            text.push_str(&paragraph(&mut rng, n));
            text.push_str("\n\n");
            n += 1;
        }
        let name = format!("article-{a:05}.txt");
        let path = folder.join(&name);
        std::fs::write(&path, &text).expect("write article");
        let session = Session::open(&path).expect("open");
        let len = session.article().char_len();
        let mut annotations = Vec::with_capacity(per);
        for i in 0..per {
            let start = 17 + i * ((len - 100) / per) + rng.next() % 20;
            let span = Span {
                start,
                end: (start + 20 + rng.next() % 60).min(len),
            };
            let tag = ["claim", "source", "evidence", "statistic", "prediction"][rng.next() % 5];
            let note = if rng.next().is_multiple_of(4) {
                "Checked against the agency's own wire; the figure differs."
            } else {
                ""
            };
            let mut ann = session.new_annotation(span, tag, note, "analyst");
            let r = &mut ann.record;
            let (source, _) = SOURCES[rng.next() % SOURCES.len()];
            r.attributed_to = Some(source.to_owned());
            r.via = (0..rng.next() % 3)
                .map(|_| SOURCES[rng.next() % SOURCES.len()].0.to_owned())
                .collect();
            r.reliability = Some(Reliability::ALL[rng.next() % 6]);
            r.credibility = Some(Credibility::ALL[rng.next() % 6]);
            r.status = Status::ALL[rng.next() % 4];
            r.confidence = Some(Confidence::ALL[rng.next() % 3]);
            if i == 0
                && let Some((article, target)) = previous.take()
            {
                r.links.push(Link {
                    kind: LinkKind::SameClaimAs,
                    target,
                    article: Some(article),
                });
            }
            annotations.push(ann);
        }
        if a.is_multiple_of(10) {
            previous = Some((name.clone(), annotations[per / 2].id.clone()));
        }
        let header = sidecar::Header {
            article: &name,
            fingerprint: session.article().fingerprint(),
            source: Some(session.source()),
            rejected: &sidecar::NO_REJECTIONS,
        };
        let sidecar = sidecar::render(&header, annotations.iter());
        std::fs::write(sidecar::sidecar_path(&path), sidecar).expect("write sidecar");
    }
}

/// `count` articles of about 60 kB with `per` annotations each.
fn write_folder(dir: &Path, count: usize, per: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut rng = Lcg(7);
    let mut out = Vec::new();
    for a in 0..count {
        let mut text = format!(" date 2024-05-{:02} ", 1 + a % 28);
        let mut n = 0;
        while text.len() < 60_000 {
            text.push_str(&paragraph(&mut rng, n));
            text.push_str("\n\n");
            n += 1;
        }
        let path = dir.join(format!("article-{a:03}.txt"));
        std::fs::write(&path, &text).expect("write article");
        let mut session = Session::open(&path).expect("open");
        let len = session.article().char_len();
        let annotations: Vec<_> = (0..per)
            .map(|i| {
                let start = i * (len / per) + rng.next() % 20;
                let span = Span {
                    start,
                    end: (start + 20 + rng.next() % 40).min(len),
                };
                let mut ann = session.new_annotation(
                    span,
                    ["claim", "source", "evidence"][i % 3],
                    "",
                    "bench",
                );
                ann.record.attributed_to = Some(format!("Source {}", i % 17));
                ann
            })
            .collect();
        for ann in annotations {
            session.apply(Edit::Add(ann)).expect("add");
        }
        session.save().expect("save");
        out.push(path);
    }
    out
}

/// The peak and current resident memory of process `pid`, in MB (Linux: `/proc`).
fn memory_of(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Runs a command to the end, its output to `stdout` (or nowhere); returns the wall time and
/// its peak resident memory in MB (sampled every 10 ms from `/proc`).
fn run_measured(mut command: std::process::Command, stdout: Option<&Path>) -> (Duration, f64) {
    let out = match stdout {
        Some(p) => std::process::Stdio::from(std::fs::File::create(p).expect("output")),
        None => std::process::Stdio::null(),
    };
    let start = Instant::now();
    let mut child = command
        .stdout(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id().to_string();
    let mut peak: f64 = 0.0;
    loop {
        peak = peak.max(memory_of(&pid).0);
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (start.elapsed(), peak)
}

/// In a child process (`CLAIMMARK_BENCH_SCAN=TREE|CACHE`): scans the tree with that cache file
/// (`-`: none), filters the rows, and prints one line: scan seconds, rows, filter
/// milliseconds, the index's bytes, and the process's peak and current resident MB.
fn scan_child(spec: &str) {
    let (tree, cache) = spec.split_once('|').expect("TREE|CACHE");
    let cache = (cache != "-").then(|| PathBuf::from(cache));
    let progress = review::ScanProgress::default();
    let (d, index) =
        time(|| review::scan(Path::new(tree), cache.as_deref(), &progress).expect("scan"));
    // As the app does when its scan ends (see src/main.rs).
    claimmark::job::set_memory_release(collect);
    claimmark::job::release_memory();
    let (filter_median, _) = stats(filter_samples(&index, 5));
    let (peak, now) = memory_of("self");
    println!(
        "{} {} {} {} {} {} {}",
        d.as_secs_f64(),
        index.claims.len(),
        filter_median.as_secs_f64() * 1e3,
        index.claims.heap_bytes(),
        peak,
        now,
        progress.reused.load(Ordering::Relaxed)
    );
}

/// Bytes of the files under `dir` whose name ends with `suffix`.
fn bytes_under(dir: &Path, suffix: &str) -> u64 {
    let (files, _) = review::scan::walk(dir).expect("walk");
    files
        .iter()
        .map(|f| {
            let side = sidecar::sidecar_path(f);
            let path = if suffix.is_empty() { f.clone() } else { side };
            std::fs::metadata(path).map_or(0, |m| m.len())
        })
        .sum()
}

/// The tier of a year of wire copy (issue #19): 100,000 articles, 2,000,000 annotations. Each
/// time comes with references measured in the same run on the same bytes, so that ratios can
/// be compared across machines: reading every file with `std::fs::read`, and parsing the same
/// annotations as JSON (the tree's JSON Lines export) with `serde_json`.
fn large_tier(spec: &str) {
    let exe = std::env::current_exe().expect("bench binary");
    let cli = PathBuf::from(env!("CARGO_BIN_EXE_claimmark"));
    // Not under the temporary folder: the command line keeps no cache for folders there.
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-large");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work folder");
    let tree = if spec == "1" {
        let tree = work.join("tree");
        let (d, _) = time(|| write_tree(&tree, 100_000, 20));
        println!("<!-- tree written in {:.0} s -->", d.as_secs_f64());
        tree
    } else {
        PathBuf::from(spec)
    };
    let (articles, _) = review::scan::walk(&tree).expect("walk");
    let sidecar_bytes = bytes_under(&tree, ".annotations.ron");
    let article_bytes = bytes_under(&tree, "");
    println!(
        "Tree: {} articles, {:.0} MB of articles, {:.0} MB of sidecars; {} cores\n",
        articles.len(),
        article_bytes as f64 / 1e6,
        sidecar_bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // References.
    let (read_all, total) = time(|| {
        let mut total = 0;
        for a in &articles {
            total += std::fs::read(a).map_or(0, |b| b.len());
            total += std::fs::read(sidecar::sidecar_path(a)).map_or(0, |b| b.len());
        }
        total
    });
    let jsonl = work.join("all.jsonl");
    let mut export = std::process::Command::new(&cli);
    // Its own cache folder: a folder's export is read through the review's cache.
    export
        .env("XDG_CACHE_HOME", work.join("jsonl-cache-home"))
        .args(["export", "--format", "jsonl", "--output"])
        .arg(&jsonl)
        .arg(&tree);
    let (export_jsonl, export_jsonl_peak) = run_measured(export, None);
    let json_bytes = std::fs::metadata(&jsonl).map_or(0, |m| m.len());
    let (parse_json, lines) = time(|| {
        use std::io::BufRead;
        let file = std::io::BufReader::new(std::fs::File::open(&jsonl).expect("jsonl"));
        let mut n = 0;
        for line in file.split(b'\n') {
            let line = line.expect("line");
            black_box(serde_json::from_slice::<serde_json::Value>(&line).expect("JSON"));
            n += 1;
        }
        n
    });
    let _ = std::fs::remove_file(&jsonl);
    println!(
        "References: `std::fs::read` of every article and sidecar ({:.0} MB): {:.2} s; \
         `serde_json` parsing the same {lines} annotations as JSON Lines ({:.0} MB): {:.2} s\n",
        total as f64 / 1e6,
        read_all.as_secs_f64(),
        json_bytes as f64 / 1e6,
        parse_json.as_secs_f64()
    );
    let ratio = |d: Duration| {
        format!(
            "{:.2}× read, {:.2}× JSON",
            d.as_secs_f64() / read_all.as_secs_f64(),
            d.as_secs_f64() / parse_json.as_secs_f64()
        )
    };
    println!("| work | time | vs references | peak memory | target |");
    println!("| --- | --- | --- | --- | --- |");
    let line = |work: &str, d: Duration, peak: f64, target: &str| {
        println!(
            "| {work} | {:.2} s | {} | {:.0} MB | {target} |",
            d.as_secs_f64(),
            ratio(d),
            peak
        );
    };

    // The app's scan: cold, then with the cache (a child process each, for its memory).
    let cache = work.join("review-cache.bin");
    let scan = |cache: &str| {
        let out = std::process::Command::new(&exe)
            .env(
                "CLAIMMARK_BENCH_SCAN",
                format!("{}|{cache}", tree.display()),
            )
            .output()
            .expect("scan child");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let v: Vec<f64> = text
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(v.len(), 7, "scan child said: {text}");
        v
    };
    let cold = scan("-");
    line(
        "app: scan the tree into the review's index, cold (no cache)",
        Duration::from_secs_f64(cold[0]),
        cold[4],
        "≤ 15 s",
    );
    let _first = scan(&cache.display().to_string());
    let cache_bytes = std::fs::metadata(&cache).map_or(0, |m| m.len());
    let cached = scan(&cache.display().to_string());
    assert_eq!(
        cached[6] as usize,
        articles.len(),
        "every article from the cache"
    );
    line(
        "app: scan the tree with the cache",
        Duration::from_secs_f64(cached[0]),
        cached[4],
        "≤ 2 s",
    );
    println!(
        "| app: the index in memory ({} rows), resident after the scan | — | — | {:.0} MB index, {:.0} MB resident | ≤ 1 GB resident, ≤ 1.5 GB peak |",
        cached[1],
        cached[3] / 1e6 / 1.048_576,
        cached[5]
    );
    println!(
        "| app: filter {} rows (tag + source + text search) | {:.1} ms | — | — | — |",
        cached[1], cached[2]
    );
    println!(
        "| review cache file | {:.0} MB | {:.0} % of the sidecars | — | a fraction of the sidecars |",
        cache_bytes as f64 / 1e6,
        cache_bytes as f64 * 100.0 / sidecar_bytes as f64
    );

    // The command line, as a user runs it (its cache in a folder of the bench's own).
    let home = work.join("cache-home");
    let command = |args: &[&str]| {
        let mut c = std::process::Command::new(&cli);
        c.env("XDG_CACHE_HOME", &home).args(args).arg(&tree);
        c
    };
    let list = ["list", "--source", "KCNA", "--format", "jsonl"];
    let listed = work.join("list.jsonl");
    let (d, peak) = run_measured(command(&list), Some(&listed));
    let rows = std::fs::read(&listed).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
    line(
        &format!("`claimmark list TREE --source KCNA --format jsonl` ({rows} rows), cold"),
        d,
        peak,
        "≤ 15 s, ≤ 300 MB",
    );
    let (d, peak) = run_measured(command(&list), Some(&listed));
    line(
        "the same `list`, with its cache",
        d,
        peak,
        "≤ 3 s, ≤ 300 MB",
    );
    let _ = std::fs::remove_file(&listed);
    let csv = work.join("all.csv");
    let export_home = work.join("export-cache-home");
    let export = || {
        let mut export = std::process::Command::new(&cli);
        export
            .env("XDG_CACHE_HOME", &export_home)
            .args(["export", "--format", "csv", "--output"])
            .arg(&csv)
            .arg(&tree);
        export
    };
    let (d, peak) = run_measured(export(), None);
    line(
        "`claimmark export TREE --format csv` (2,000,000 rows), cold (writes its cache)",
        d,
        peak,
        "—",
    );
    let (d, peak) = run_measured(export(), None);
    line("the same export, with its cache", d, peak, "≤ 5 s");
    line(
        "`claimmark export TREE --format jsonl`, cold (writes its cache)",
        export_jsonl,
        export_jsonl_peak,
        "—",
    );
    let _ = std::fs::remove_dir_all(&work);
}
