//! The `blockade` binary: everything lives in the library; see `blockade::cli`.

fn main() -> std::process::ExitCode {
    blockade::cli::main()
}
