//! The `claimmark` binary: no subcommand opens the GUI, subcommands run headless.

use clap::Parser;

/// The allocator of the app and the command line: parsing sidecars and opening articles on
/// worker threads allocates many small strings, which glibc's allocator serialises across
/// threads. Built without transparent huge pages (`no_thp`): faulting in 2 MB pages made some
/// frames take 5 ms (see README, Benchmarks).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns the memory mimalloc keeps (freed, or held by threads that ended) to the system.
#[allow(unsafe_code)]
fn collect() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() {
    claimmark::job::set_memory_release(collect);
    let cli = claimmark::cli::Cli::parse();
    let code = match cli.command {
        Some(command) => claimmark::cli::run(command),
        None => gui(cli),
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn gui(cli: claimmark::cli::Cli) -> i32 {
    match claimmark::app::run_gui(cli.paths, cli.screenshot) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("claimmark: {e}");
            1
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(_cli: claimmark::cli::Cli) -> i32 {
    eprintln!(
        "claimmark: this build has no app (built without the `gui` feature); \
         use a subcommand, e.g. `claimmark list PATH` (see --help)"
    );
    2
}
