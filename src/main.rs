//! The `claimmark` binary: no subcommand opens the GUI, subcommands run headless.

use clap::Parser;

fn main() {
    let cli = claimmark::cli::Cli::parse();
    let code = match cli.command {
        Some(command) => claimmark::cli::run(command),
        None => match claimmark::app::run_gui(cli.paths, cli.screenshot) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("claimmark: {e}");
                1
            }
        },
    };
    std::process::exit(code);
}
