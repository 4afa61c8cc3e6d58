//! The shell layer of the console: just enough bash for what tutorials paste.
//!
//! The console is not a shell, but learners paste `export IP=$(kubectl get svc …)`,
//! `cat <<EOF | kubectl apply -f -`, `kubectl get pods | grep web | wc -l` from real
//! docs, and those must behave exactly as in bash. Everything here is pure: no I/O; the
//! host (the `Console`) supplies variables and runs `$(…)` through [`ShellHost`].
//!
//! # Supported subset
//!
//! - **Units** ([`split_units`]): one logical command line each, with line continuations
//!   (`\` newline), quotes spanning lines, trailing `|` / `&&` / `||` continuing on the
//!   next line, and the bodies of heredocs attached. Blank lines and `# comments` are
//!   dropped (`#` only starts a comment at the start of a word, outside quotes).
//!   `\r\n` is read as `\n`.
//! - **Lists**: `;`, newline, `&&`, `||`, and `&` (the pipeline is marked
//!   [`Pipeline::background`]; it connects like `;`).
//! - **Pipelines**: `a | b | c` (`|&` is read as `|`).
//! - **Quoting**: `'…'` literal; `"…"` with `$` expansion and `\"` `\\` `\$`
//!   `` \` `` escapes; `\x` outside quotes; `$'…'` with `\n` `\t` `\\` `\'`.
//! - **Expansion**: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
//!   `${#NAME}`, special parameters `$?` `$1` … (looked up through
//!   [`ShellHost::var`] by their one-character name), `$(…)` and backticks (nested
//!   allowed; the inner text goes verbatim to [`ShellHost::substitute`], trailing
//!   newlines of its output are removed). Unquoted results are split on blanks and
//!   newlines like bash's default IFS; an unquoted empty expansion disappears.
//!   No globbing: with no files to match, bash leaves `*` and `[…]` as written, so do we.
//!   No `~`, no `$((…))` (an error says so).
//! - **Assignments**: `NAME=value cmd` prefixes; `NAME=value` alone
//!   ([`is_assignment_only`]); arguments of `export`/`declare`/`local`/`readonly` that
//!   look like `NAME=value` are expanded without splitting, as bash does, so
//!   `export X=$(…)` is always one word.
//! - **Redirections**: heredocs (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<\EOF`, `<<-EOF`
//!   stripping leading tabs; the body is expanded unless the delimiter is quoted),
//!   here-strings (`<<<`), which both become [`SimpleCommand::stdin`]; `<`, `>`, `>>`,
//!   `N>`, `N>&M`, `&>` are reported in [`SimpleCommand::redirects`] for the host.
//! - **Not supported**: compound commands (`for`, `while`, `if`, `case`, `{ …; }`,
//!   subshells `( … )`) — an error names them. Functions, aliases, job control.
//! - **Filters** ([`run_tool`], [`run_filter`]): see [`filters`].
//!
//! Errors use bash's wording (`bash: syntax error near unexpected token `|'`).
//!
//! # Running a pipeline (the host's side)
//!
//! For each `(Pipeline, Connector)` of a unit, in order:
//!
//! 1. Skip it if the previous connector was `And` and the last status was non-zero, or
//!    `Or` and it was zero (the status carries over skipped pipelines, as in bash).
//! 2. Expand it only now ([`RawPipeline::expand`]), so that `export X=$(…) && echo $X`
//!    sees the export. ([`parse`] expands everything up front; it is fine for a single
//!    pipeline.)
//! 3. For each command in order, its stdin is: its own [`SimpleCommand::stdin`] if it has
//!    one (heredoc/here-string win, as in bash), else the previous command's stdout, else
//!    (first command) none. An empty `argv` with assignments sets shell variables; an
//!    empty `argv` without does nothing.
//! 4. A console command (`kubectl`, `sim`, `sleep`, `curl`, `export`, …) runs with that
//!    stdin (`kubectl apply -f -` reads it). Anything else goes to [`run_tool`] with the
//!    stdin (or `""`), which implements `cat` (passes stdin along), `echo`, `grep`, … and
//!    answers `bash: NAME: command not found` (status 127) for the rest.
//! 5. Every command's stderr is printed as it happens; only stdout flows down the pipe.
//!    The last command's stdout is printed; its status is the pipeline's status (no
//!    `pipefail`): use [`run_tool`]'s status, so `… | grep x && echo found` works
//!    (grep finding nothing is status 1 with no error; [`run_filter`] hides that).
//! 6. A pipeline marked [`Pipeline::background`] (`… &`) may run like a foreground one
//!    (or be refused); it connects to the next like `;`.
//!
//! An interactive prompt asks [`needs_more_input`] whether to show `> ` and keep reading.

mod expand;
pub mod filters;
mod lex;
// grep's engine lives in the simulation, which ingress-nginx's regex locations share.
use crate::sim::regex;
mod syntax;
#[cfg(test)]
mod tests;

pub use filters::{run_filter, run_tool, ToolOutput};

/// What the shell needs from its host (the Console): variables and command substitution.
pub trait ShellHost {
    /// `$NAME` / `${NAME}` lookup (exported or set variables). Unset → expands to "".
    fn var(&self, name: &str) -> Option<String>;
    /// Runs a console command line for `$(…)` / backticks and returns its stdout
    /// (the shell strips trailing newlines as bash does).
    fn substitute(&mut self, command: &str) -> String;
}

/// One logical command of a script, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The full text: the command line(s), continuation lines and heredoc body lines up to
    /// and including the terminator line, exactly as in the input (no trailing newline).
    pub text: String,
    /// What the transcript echoes after `$ `: `text` without the first line's indentation.
    pub display: String,
    /// Bash's warnings while reading it (a heredoc delimited by end of file).
    pub warnings: Vec<String>,
}

/// One simple command after expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    pub argv: Vec<String>,
    /// From a heredoc or here-string (`<<<`; bash appends a newline).
    pub stdin: Option<String>,
    /// `FOO=bar cmd` prefixes (or, with an empty argv, plain assignments).
    pub assignments: Vec<(String, String)>,
    /// File redirections, in order, for the host to honour or refuse.
    pub redirects: Vec<Redirect>,
}

/// `fd op target`: `2>/dev/null` is `{2, Write, "/dev/null"}`, `2>&1` is `{2, Dup, "1"}`,
/// `&>f` is `{1, Write, "f"}` then `{2, Dup, "1"}`, `< f` is `{0, Read, "f"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: u32,
    pub op: RedirectOp,
    pub target: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectOp {
    Read,
    Write,
    Append,
    Dup,
}

/// A pipeline: a command followed by zero or more filters (`| grep x | head -3`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pipeline {
    pub commands: Vec<SimpleCommand>,
    /// Ended by `&` (e.g. `kubectl port-forward … &`); it connects like `;`.
    pub background: bool,
}

/// How a pipeline connects to the next: `;`/newline/`&`, `&&`, `||`; `End` after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    Seq,
    And,
    Or,
    End,
}

/// A parsed, not yet expanded pipeline (see [`parse_lazy`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPipeline(syntax::RawPipelineInner);

impl RawPipeline {
    /// Expands the pipeline's words against the host (calling `substitute` for `$(…)`).
    pub fn expand(&self, host: &mut dyn ShellHost) -> Pipeline {
        Pipeline {
            commands: self
                .0
                .commands
                .iter()
                .map(|c| expand::expand_command(c, host))
                .collect(),
            background: self.0.background,
        }
    }
}

/// Splits a script into units (see [`Unit`]). A unit with a syntax error (an unclosed
/// quote, say) runs to the end of the input, as bash would read it; [`parse`] then
/// reports the error.
pub fn split_units(input: &str) -> Vec<Unit> {
    let input = input.replace("\r\n", "\n");
    let mut lexer = lex::Lexer::new(&input, 1);
    let mut units = Vec::new();
    let mut start = 0;
    let mut tokens = 0;
    let mut continues = false;
    loop {
        match lexer.next_token() {
            Err(_) => {
                units.push(make_unit(lexer.slice(start, lexer.len()), Vec::new()));
                break;
            }
            Ok(None) => {
                if tokens > 0 {
                    let warnings = std::mem::take(&mut lexer.warnings);
                    units.push(make_unit(lexer.slice(start, lexer.len()), warnings));
                }
                break;
            }
            Ok(Some(lex::Tok::Newline)) if tokens == 0 => start = lexer.pos,
            Ok(Some(lex::Tok::Newline)) if continues => {}
            Ok(Some(lex::Tok::Newline)) => {
                let warnings = std::mem::take(&mut lexer.warnings);
                units.push(make_unit(lexer.slice(start, lexer.pos), warnings));
                start = lexer.pos;
                tokens = 0;
            }
            Ok(Some(tok)) => {
                tokens += 1;
                continues = matches!(tok, lex::Tok::Op("|" | "&&" | "||"));
            }
        }
    }
    units
}

fn make_unit(raw: String, warnings: Vec<String>) -> Unit {
    let text = raw.strip_suffix('\n').unwrap_or(&raw).to_string();
    let display = text.trim_start_matches([' ', '\t']).to_string();
    Unit {
        text,
        display,
        warnings,
    }
}

/// Parses a unit without expanding it: the host expands each pipeline just before
/// running it, so earlier commands' effects (`export`) are visible to later ones.
pub fn parse_lazy(unit: &str) -> Result<Vec<(RawPipeline, Connector)>, String> {
    let unit = unit.replace("\r\n", "\n");
    let list = syntax::parse_list(&unit)?;
    Ok(list.into_iter().map(|(p, c)| (RawPipeline(p), c)).collect())
}

/// Parses and expands one unit (all pipelines at once; see [`parse_lazy`] for the
/// execution-order-faithful variant). Heredoc warnings are in [`Unit::warnings`].
pub fn parse(unit: &str, host: &mut dyn ShellHost) -> Result<Vec<(Pipeline, Connector)>, String> {
    Ok(parse_lazy(unit)?
        .into_iter()
        .map(|(p, c)| (p.expand(host), c))
        .collect())
}

/// For an interactive prompt: does this text need more lines before it can run? True
/// while a quote, `$(…)`, backtick or `${` is open, a heredoc is unterminated, or the
/// text ends in `|`, `&&`, `||` or a `\` line continuation — where bash shows `> `.
/// `COMMAND <<'DELIM'` with `body` as its standard input, byte for byte: the delimiter
/// is quoted, so `$VAR`, `$(…)` and backticks in the body stay text (a manifest applied
/// from the editor must not run console commands), and it is chosen so that no line of
/// the body ends the heredoc early.
pub fn quoted_heredoc(command: &str, body: &str) -> String {
    let body = body.trim_end_matches('\n');
    let mut delimiter = "EOF".to_string();
    while body.lines().any(|line| line == delimiter) {
        delimiter.push('_');
    }
    format!("{command} <<'{delimiter}'\n{body}\n{delimiter}")
}

pub fn needs_more_input(text: &str) -> bool {
    let text = text.replace("\r\n", "\n");
    let trailing_backslashes = text
        .strip_suffix('\n')
        .unwrap_or(&text)
        .chars()
        .rev()
        .take_while(|&c| c == '\\')
        .count();
    if trailing_backslashes % 2 == 1 {
        return true;
    }
    let mut lexer = lex::Lexer::new(&text, 1);
    let mut continues = false;
    loop {
        match lexer.next_token() {
            Err(e) => return e.starts_with("bash: unexpected EOF while looking for matching"),
            Ok(None) => return continues || !lexer.warnings.is_empty(),
            Ok(Some(lex::Tok::Newline)) => {}
            Ok(Some(tok)) => continues = matches!(tok, lex::Tok::Op("|" | "&&" | "||")),
        }
    }
}

/// `NAME=value` alone (no command): sets shell variables.
pub fn is_assignment_only(cmd: &SimpleCommand) -> bool {
    cmd.argv.is_empty() && !cmd.assignments.is_empty()
}
