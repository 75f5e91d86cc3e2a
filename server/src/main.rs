use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use workers_lsp::cli::check::{self, CheckOptions, ColorChoice};
use workers_lsp::cli::graph;
use workers_lsp::cli::report::Format;

/// A language server and CI checker for families of Cloudflare Workers.
///
/// With no command: prints this help in a terminal, and speaks the Language Server Protocol
/// over stdio when stdin is not a terminal (as editors start it).
#[derive(Parser)]
#[command(name = "workers-lsp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check every worker under PATH (default: the current folder) and report findings.
    Check(CheckArgs),
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
    /// Print a rule's documentation: what it checks, why, an example, and the fix.
    Explain {
        /// The rule code, e.g. `unknown-service`.
        code: String,
    },
    /// List every rule with its default severity.
    Rules,
    /// Print the project root of PATH (default: the current folder), the folder `check` and
    /// the server check it with: the nearest `workers-lsp.toml`, else the package-manager
    /// workspace or git repository that holds it. Editor clients call it to choose the root.
    Root {
        /// A file or folder.
        path: Option<PathBuf>,
    },
    /// Speak LSP over stdio.
    Serve {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Folders to check (each a workspace root), or files (each checked with the project
    /// that holds it; only their findings are reported).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = FormatArg::Human)]
    output_format: FormatArg,
    /// Fail (exit 1) on warnings too: `--deny warnings`.
    #[arg(long, value_name = "LEVEL")]
    deny: Option<DenyArg>,
    /// Exit 0 even when there are findings (exit 2 still means a usage error).
    #[arg(long)]
    exit_zero: bool,
    /// Report only these rules (comma-separated or repeated).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    select: Vec<String>,
    /// Never report these rules (comma-separated or repeated).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Check one environment: leave out the findings that concern only the others.
    #[arg(long, value_name = "E")]
    env: Option<String>,
    /// Use this workers-lsp.toml instead of each root's own.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Print only the findings (no summary line, no notes about fixes).
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule has, instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Print what a rule means and exit (as `workers-lsp explain CODE`).
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
    /// Apply the safe quick fixes first (and remove unused suppressions), then report what
    /// remains.
    #[arg(long)]
    fix: bool,
    /// Let `--fix` and `--diff` apply unsafe fixes too (guessed names, new migrations,
    /// environment rewiring): review the result.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the edits `--fix` would make as a unified diff and write nothing (exit 1 if
    /// there would be changes, 0 if none).
    #[arg(long)]
    diff: bool,
    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Summarise every module afresh and write no summary cache (also
    /// `WORKERS_LSP_NO_CACHE=1`).
    #[arg(long)]
    no_cache: bool,
    /// Keep the summary cache in this folder (also `WORKERS_LSP_CACHE_DIR`; default: the
    /// user's cache folder, e.g. ~/.cache/workers-lsp).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

impl CheckArgs {
    fn options(self) -> CheckOptions {
        CheckOptions {
            paths: self.paths,
            format: match self.output_format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Sarif => Format::Sarif,
                FormatArg::Github => Format::Github,
                FormatArg::Gitlab => Format::Gitlab,
                FormatArg::Junit => Format::Junit,
            },
            deny_warnings: self.deny.is_some(),
            fix: self.fix,
            unsafe_fixes: self.unsafe_fixes,
            diff: self.diff,
            color: match self.color {
                ColorArg::Auto => ColorChoice::Auto,
                ColorArg::Always => ColorChoice::Always,
                ColorArg::Never => ColorChoice::Never,
            },
            quiet: self.quiet,
            statistics: self.statistics,
            no_cache: self.no_cache,
            cache_dir: self.cache_dir,
            exit_zero: self.exit_zero,
            config: self.config,
            env: self.env,
            select: self.select,
            ignore: self.ignore,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
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

fn usage_error() -> ExitCode {
    ExitCode::from(check::EXIT_USAGE as u8)
}

/// `explain CODE` and `check --explain CODE`.
fn explain(code: &str) -> ExitCode {
    match check::explain(code) {
        Some(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("workers-lsp: unknown rule `{code}` (see `workers-lsp rules`)");
            usage_error()
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                usage_error()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Some(Command::Check(args)) => {
            if let Some(code) = &args.explain {
                return explain(code);
            }
            let opts = args.options();
            // One write for the whole report, not one per line (a terminal's stdout is line
            // buffered): a report of a thousand findings made a thousand system calls.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let code = check::check_command(&opts, &mut out);
            // A reader that went away (`| head`) is no failure of the check.
            let _ = std::io::Write::flush(&mut out);
            ExitCode::from(code as u8)
        }
        Some(Command::Explain { code }) => explain(&code),
        Some(Command::Rules) => {
            print!("{}", check::rules_table());
            ExitCode::SUCCESS
        }
        Some(Command::Root { path }) => {
            let path = path.unwrap_or_else(|| PathBuf::from("."));
            let absolute = if path.is_absolute() {
                path
            } else {
                match std::env::current_dir() {
                    Ok(cwd) => cwd.join(path),
                    Err(e) => {
                        eprintln!("workers-lsp: the current folder: {e}");
                        return usage_error();
                    }
                }
            };
            let root = workers_lsp::project::root::find_project_root(&absolute);
            println!("{}", root.path.display());
            ExitCode::SUCCESS
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
                    usage_error()
                }
            }
        }
        None if std::io::stdin().is_terminal() => {
            // A person typed `workers-lsp`: show what it can do instead of waiting for LSP.
            let _ = Cli::command().print_long_help();
            ExitCode::SUCCESS
        }
        None | Some(Command::Serve { .. }) => serve(),
    }
}

fn serve() -> ExitCode {
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
    // Without waiting for work still running on blocking threads (a read of stdin that never
    // returns, a request that is still computing): `exit` means now.
    runtime.shutdown_background();
    ExitCode::from(code as u8)
}
