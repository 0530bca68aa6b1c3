//! The `blockade` binary: the command line over the library. Every result is computed by
//! the `blockade` library; this crate parses flags, prints, and maps errors to exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
