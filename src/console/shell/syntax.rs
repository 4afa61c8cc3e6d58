//! The grammar: tokens → pipelines of unexpanded commands, with bash's syntax errors.
//!
//! ```text
//! list     := pipeline ((`&&` | `||` | `;` | `&` | newline) pipeline)* [`;` | `&`]
//! pipeline := command (`|` newline* command)*
//! command  := assignment* (word | redirection)+
//! ```

use super::lex::{Heredoc, Lexer, RedirTok, Seg, Tok, Word, UNEXPECTED_EOF};
use super::Connector;

/// A redirection before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RawRedir {
    /// Body segments (a single quoted literal when the delimiter was quoted).
    Heredoc(Vec<Seg>),
    HereString(Word),
    File {
        fd: Option<u32>,
        op: RedirTok,
        target: Word,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct RawCommand {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<RawRedir>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct RawPipelineInner {
    pub commands: Vec<RawCommand>,
    pub background: bool,
}

/// Words that start compound commands, which this console does not run.
const COMPOUND: &[&str] = &[
    "for", "while", "until", "if", "case", "select", "function", "{", "[[",
];
/// Words that can only follow a compound command's start.
const CLOSERS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

fn near(token: &str) -> String {
    format!("bash: syntax error near unexpected token `{token}'")
}

fn describe(tok: Option<&Tok>) -> String {
    match tok {
        None | Some(Tok::Newline) => near("newline"),
        Some(Tok::Op(op)) => near(op),
        Some(Tok::Word(w)) => near(&w.raw),
        Some(Tok::Redir { op, .. }) => near(match op {
            RedirTok::Read => "<",
            RedirTok::Write => ">",
            RedirTok::Append => ">>",
            RedirTok::Dup => ">&",
            RedirTok::AllWrite => "&>",
            RedirTok::AllAppend => "&>>",
            RedirTok::HereString => "<<<",
        }),
        Some(Tok::Heredoc(_)) => near("<<"),
    }
}

/// Lexes a whole unit (all of it: a syntax error anywhere fails the unit, as in bash).
fn tokens(text: &str) -> Result<(Vec<Tok>, Vec<Heredoc>), String> {
    let mut lexer = Lexer::new(text, 1);
    let mut toks = Vec::new();
    while let Some(tok) = lexer.next_token()? {
        toks.push(tok);
    }
    Ok((toks, lexer.heredocs))
}

/// Is this word `NAME=…` with the name and `=` unquoted?
pub(super) fn assignment_name(word: &Word) -> Option<String> {
    let Some(Seg::Lit {
        text,
        quoted: false,
    }) = word.segs.first()
    else {
        return None;
    };
    let (name, _) = text.split_once('=')?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
    valid.then(|| name.to_string())
}

/// The value part of an assignment word (everything after the first `=`).
pub(super) fn assignment_value(word: &Word) -> Word {
    let mut segs = word.segs.clone();
    if let Some(Seg::Lit { text, .. }) = segs.first_mut() {
        let rest = text
            .split_once('=')
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        *text = rest;
    }
    Word {
        segs,
        raw: String::new(),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    heredocs: Vec<Heredoc>,
}

pub(super) fn parse_list(text: &str) -> Result<Vec<(RawPipelineInner, Connector)>, String> {
    let (toks, heredocs) = tokens(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        heredocs,
    };
    p.list()
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn list(&mut self) -> Result<Vec<(RawPipelineInner, Connector)>, String> {
        let mut out: Vec<(RawPipelineInner, Connector)> = Vec::new();
        self.skip_newlines();
        while self.peek().is_some() {
            let mut pipeline = self.pipeline()?;
            let connector = match self.peek() {
                None => Connector::End,
                Some(Tok::Newline) => Connector::Seq,
                Some(Tok::Op(";")) => Connector::Seq,
                Some(Tok::Op("&")) => {
                    pipeline.background = true;
                    Connector::Seq
                }
                Some(Tok::Op("&&")) => Connector::And,
                Some(Tok::Op("||")) => Connector::Or,
                other => return Err(describe(other)),
            };
            self.pos += 1;
            self.skip_newlines();
            if matches!(connector, Connector::And | Connector::Or) && self.peek().is_none() {
                return Err(UNEXPECTED_EOF.into());
            }
            out.push((pipeline, connector));
        }
        if let Some(last) = out.last_mut() {
            last.1 = Connector::End;
        }
        Ok(out)
    }

    fn pipeline(&mut self) -> Result<RawPipelineInner, String> {
        let mut commands = vec![self.command()?];
        while self.is_op("|") {
            self.pos += 1;
            self.skip_newlines();
            if self.peek().is_none() {
                return Err(UNEXPECTED_EOF.into());
            }
            commands.push(self.command()?);
        }
        Ok(RawPipelineInner {
            commands,
            background: false,
        })
    }

    fn command(&mut self) -> Result<RawCommand, String> {
        let mut cmd = RawCommand::default();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    self.pos += 1;
                    if cmd.words.is_empty() {
                        if let Some(name) = assignment_name(&w) {
                            cmd.assignments.push((name, w));
                            continue;
                        }
                        check_command_word(&w)?;
                    }
                    cmd.words.push(w);
                }
                Some(Tok::Heredoc(i)) => {
                    self.pos += 1;
                    cmd.redirs.push(RawRedir::Heredoc(self.heredoc_body(i)?));
                }
                Some(Tok::Redir { fd, op }) => {
                    self.pos += 1;
                    let Some(Tok::Word(target)) = self.peek().cloned() else {
                        return Err(describe(self.peek()));
                    };
                    self.pos += 1;
                    cmd.redirs.push(match op {
                        RedirTok::HereString => RawRedir::HereString(target),
                        _ => RawRedir::File { fd, op, target },
                    });
                }
                Some(Tok::Op("(")) if is_empty(&cmd) => {
                    return Err(
                        "bash: subshells `( … )' are not supported in the kubesim console".into(),
                    )
                }
                _ if is_empty(&cmd) => {
                    return Err(match self.peek() {
                        None => UNEXPECTED_EOF.into(),
                        other => describe(other),
                    })
                }
                Some(Tok::Op("(")) => return Err(near("(")),
                _ => return Ok(cmd),
            }
        }
    }

    /// The body of heredoc `i`, as segments to expand (or one literal if quoted).
    fn heredoc_body(&self, i: usize) -> Result<Vec<Seg>, String> {
        let Some(doc) = self.heredocs.get(i) else {
            return Ok(Vec::new());
        };
        if doc.quoted {
            return Ok(vec![Seg::Lit {
                text: doc.body.clone(),
                quoted: true,
            }]);
        }
        Lexer::new(&doc.body, doc.line + 1).read_heredoc_body()
    }
}

fn is_empty(cmd: &RawCommand) -> bool {
    cmd.assignments.is_empty() && cmd.words.is_empty() && cmd.redirs.is_empty()
}

/// Rejects compound-command keywords in command position.
fn check_command_word(w: &Word) -> Result<(), String> {
    let Some(word) = w.plain() else { return Ok(()) };
    if COMPOUND.contains(&word) {
        return Err(format!(
            "bash: {word}: compound commands are not supported in the kubesim console"
        ));
    }
    if CLOSERS.contains(&word) {
        return Err(near(word));
    }
    Ok(())
}
