//! Expansion: parameters, command substitution, quote removal and word splitting.

use super::lex::{ParamOp, RedirTok, Seg, Word};
use super::syntax::{assignment_name, assignment_value, RawCommand, RawRedir};
use super::{Redirect, RedirectOp, ShellHost, SimpleCommand};

/// Builtins whose `NAME=value` arguments are assignments (no word splitting), as in bash.
const DECLARATION_BUILTINS: &[&str] = &["export", "declare", "typeset", "local", "readonly"];

/// Fields being built: `started` is whether the current field exists yet (quoted text,
/// even empty, starts one; unquoted expansion text only once it has a non-blank).
struct Fields {
    done: Vec<String>,
    current: String,
    started: bool,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            done: Vec::new(),
            current: String::new(),
            started: false,
        }
    }

    fn push_literal(&mut self, s: &str) {
        self.current.push_str(s);
        self.started = true;
    }

    /// Unquoted expansion result: splits on blanks and newlines (bash's default IFS).
    fn push_split(&mut self, s: &str) {
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                self.finish_field();
            } else {
                self.current.push(c);
                self.started = true;
            }
        }
    }

    fn finish_field(&mut self) {
        if self.started {
            self.done.push(std::mem::take(&mut self.current));
            self.started = false;
        }
    }

    fn into_fields(mut self) -> Vec<String> {
        self.finish_field();
        self.done
    }
}

/// Expands a word into fields; with `split == false` the result is exactly one string.
pub(super) fn expand_word(word: &Word, host: &mut dyn ShellHost, split: bool) -> Vec<String> {
    let mut fields = Fields::new();
    expand_segs(&word.segs, host, split, &mut fields);
    if split {
        fields.into_fields()
    } else {
        vec![fields.current]
    }
}

/// Expands to one string, never splitting (assignments, heredocs, redirection targets).
pub(super) fn expand_joined(segs: &[Seg], host: &mut dyn ShellHost) -> String {
    let mut fields = Fields::new();
    expand_segs(segs, host, false, &mut fields);
    fields.current
}

fn expand_segs(segs: &[Seg], host: &mut dyn ShellHost, split: bool, out: &mut Fields) {
    for seg in segs {
        match seg {
            Seg::Lit { text, .. } => out.push_literal(text),
            Seg::Param { name, op, quoted } => {
                let value = param_value(name, op, host);
                push_value(out, &value, *quoted || !split);
            }
            Seg::Subst { command, quoted } => {
                let output = host.substitute(command);
                push_value(out, output.trim_end_matches('\n'), *quoted || !split);
            }
        }
    }
}

fn push_value(out: &mut Fields, value: &str, literal: bool) {
    if literal {
        out.push_literal(value);
    } else {
        out.push_split(value);
    }
}

fn param_value(name: &str, op: &ParamOp, host: &mut dyn ShellHost) -> String {
    let value = host.var(name);
    match op {
        ParamOp::Plain => value.unwrap_or_default(),
        ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
        ParamOp::Default { colon, word } => match value {
            Some(v) if !(*colon && v.is_empty()) => v,
            _ => expand_joined(word, host),
        },
    }
}

/// Expands one command, left to right as bash does.
pub(super) fn expand_command(raw: &RawCommand, host: &mut dyn ShellHost) -> SimpleCommand {
    let mut assignments = Vec::new();
    for (name, word) in &raw.assignments {
        let value = expand_joined(&assignment_value(word).segs, host);
        assignments.push((name.clone(), value));
    }
    let mut argv: Vec<String> = Vec::new();
    let mut declaration = false;
    for word in &raw.words {
        let as_assignment = declaration && assignment_name(word).is_some();
        let fields = expand_word(word, host, !as_assignment);
        if argv.is_empty()
            && fields
                .first()
                .is_some_and(|f| DECLARATION_BUILTINS.contains(&f.as_str()))
        {
            declaration = true;
        }
        argv.extend(fields);
    }
    let mut stdin = None;
    let mut redirects = Vec::new();
    for redir in &raw.redirs {
        match redir {
            RawRedir::Heredoc(segs) => stdin = Some(expand_joined(segs, host)),
            RawRedir::HereString(word) => stdin = Some(expand_joined(&word.segs, host) + "\n"),
            RawRedir::File { fd, op, target } => {
                let target = expand_joined(&target.segs, host);
                redirects.extend(file_redirects(*fd, *op, target));
            }
        }
    }
    SimpleCommand {
        argv,
        stdin,
        assignments,
        redirects,
    }
}

fn file_redirects(fd: Option<u32>, op: RedirTok, target: String) -> Vec<Redirect> {
    let one = |fd: u32, op| {
        vec![Redirect {
            fd,
            op,
            target: target.clone(),
        }]
    };
    match op {
        RedirTok::Read => one(fd.unwrap_or(0), RedirectOp::Read),
        RedirTok::Write => one(fd.unwrap_or(1), RedirectOp::Write),
        RedirTok::Append => one(fd.unwrap_or(1), RedirectOp::Append),
        RedirTok::Dup => one(fd.unwrap_or(1), RedirectOp::Dup),
        RedirTok::AllWrite | RedirTok::AllAppend => {
            let op = if op == RedirTok::AllWrite {
                RedirectOp::Write
            } else {
                RedirectOp::Append
            };
            vec![
                Redirect { fd: 1, op, target },
                Redirect {
                    fd: 2,
                    op: RedirectOp::Dup,
                    target: "1".into(),
                },
            ]
        }
        RedirTok::HereString => Vec::new(),
    }
}
