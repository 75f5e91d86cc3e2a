use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use workers_lsp::cli::check::{self, CheckOptions, ColorChoice};
use workers_lsp::cli::graph;
use workers_lsp::cli::report::Format;

/// A language server and CI checker for families of Cloudflare Workers.
///
/// With no command, speaks the Language Server Protocol over stdio.
#[derive(Parser)]
#[command(name = "workers-lsp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check every worker under PATH (default: the current folder) and report findings.
    Check {
        /// Folders to check; each is a workspace root.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Fail (exit 1) on warnings too: `--deny warnings`.
        #[arg(long, value_name = "LEVEL")]
        deny: Option<DenyArg>,
        /// Print what a rule means and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
        /// Apply the safe quick fixes first, then report what remains.
        #[arg(long)]
        fix: bool,
        /// When to colour the human format.
        #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
        color: ColorArg,
    },
    /// Draw the worker family as a graph (workers, and the bindings between them).
    Graph {
        /// The workspace root (default: the current folder).
        path: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = GraphFormatArg::Mermaid)]
        format: GraphFormatArg,
        /// Draw this environment's workers instead of production's.
        #[arg(long, value_name = "E")]
        env: Option<String>,
    },
    /// Speak LSP over stdio (the default).
    Serve {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormatArg {
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum DenyArg {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                check::EXIT_USAGE as u8
            } else {
                0
            });
        }
    };
    match cli.command {
        Some(Command::Check {
            paths,
            format,
            deny,
            explain,
            color,
            fix,
        }) => {
            if let Some(code) = explain {
                return match check::explain(&code) {
                    Some(text) => {
                        print!("{text}");
                        ExitCode::SUCCESS
                    }
                    None => {
                        eprintln!("workers-lsp: unknown rule `{code}`");
                        ExitCode::from(check::EXIT_USAGE as u8)
                    }
                };
            }
            let opts = CheckOptions {
                paths,
                format: match format {
                    FormatArg::Human => Format::Human,
                    FormatArg::Json => Format::Json,
                    FormatArg::Sarif => Format::Sarif,
                    FormatArg::Github => Format::Github,
                },
                deny_warnings: deny.is_some(),
                fix,
                color: match color {
                    ColorArg::Auto => ColorChoice::Auto,
                    ColorArg::Always => ColorChoice::Always,
                    ColorArg::Never => ColorChoice::Never,
                },
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            ExitCode::from(check::check_command(&opts, &mut out) as u8)
        }
        Some(Command::Graph { path, format, env }) => {
            let path = path.unwrap_or_else(|| PathBuf::from("."));
            match check::run_check(&[path]) {
                Ok(run) => {
                    let ws = run.workspaces[0].clone();
                    let index = workers_lsp::analysis::Index::new(ws);
                    let format = match format {
                        GraphFormatArg::Mermaid => graph::GraphFormat::Mermaid,
                        GraphFormatArg::Dot => graph::GraphFormat::Dot,
                    };
                    print!("{}", graph::render(&index, env.as_deref(), format));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("workers-lsp: {e}");
                    ExitCode::from(check::EXIT_USAGE as u8)
                }
            }
        }
        None | Some(Command::Serve { .. }) => {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("workers-lsp: cannot start the runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let code = runtime.block_on(workers_lsp::lsp::run_stdio());
            // Without waiting for work still running on blocking threads (a read of stdin
            // that never returns, a request that is still computing): `exit` means now.
            runtime.shutdown_background();
            ExitCode::from(code as u8)
        }
    }
}
