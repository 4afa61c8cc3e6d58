//! The lexer: source text → tokens whose words keep their quoting structure, so that
//! expansion (in `expand.rs`) can happen later, against the host, one pipeline at a time.
//!
//! The lexer never calls the host and never expands anything; `split_units` runs it only
//! to find where commands end.

/// One piece of a word. Literal text remembers whether it was quoted: an unquoted `=`
/// makes an assignment, quoted text never word-splits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    Lit {
        text: String,
        quoted: bool,
    },
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    Subst {
        command: String,
        quoted: bool,
    },
}

/// The `${…}` forms supported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ParamOp {
    /// `$NAME`, `${NAME}`
    Plain,
    /// `${NAME:-word}` (`colon`) or `${NAME-word}`
    Default { colon: bool, word: Vec<Seg> },
    /// `${#NAME}`
    Length,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Word {
    pub segs: Vec<Seg>,
    /// The word exactly as written (heredoc delimiters and keyword checks use it).
    pub raw: String,
}

impl Word {
    /// The word's text if it is entirely unquoted literal text (keywords, fd numbers).
    pub fn plain(&self) -> Option<&str> {
        match self.segs.as_slice() {
            [Seg::Lit {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }
}

/// Redirection operators, `N` being an optional leading fd number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RedirTok {
    /// `<`
    Read,
    /// `>` and `>|`
    Write,
    /// `>>`
    Append,
    /// `>&` / `<&`
    Dup,
    /// `&>`
    AllWrite,
    /// `&>>`
    AllAppend,
    /// `<<<`
    HereString,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Word(Word),
    /// `|`, `||`, `&&`, `;`, `;;`, `&`, `(`, `)`
    Op(&'static str),
    Newline,
    Redir {
        fd: Option<u32>,
        op: RedirTok,
    },
    /// `<<` / `<<-` with its delimiter already read; index into `Lexer::heredocs`.
    Heredoc(usize),
}

/// A here-document; its body is read at the next newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heredoc {
    pub delimiter: String,
    /// Any quoting in the delimiter word: the body is taken literally.
    pub quoted: bool,
    pub strip_tabs: bool,
    /// Body text (tabs already stripped for `<<-`), each line ending in `\n`.
    pub body: String,
    /// Line of the `<<` operator, for bash's end-of-file warning.
    pub line: usize,
}

pub(super) const UNEXPECTED_EOF: &str = "bash: syntax error: unexpected end of file";

fn eof_looking_for(c: char) -> String {
    format!("bash: unexpected EOF while looking for matching `{c}'")
}

/// Characters that end an unquoted word.
fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>'
    )
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Appends literal text, merging with a preceding literal of the same quotedness.
fn push_lit(segs: &mut Vec<Seg>, s: &str, quoted: bool) {
    if let Some(Seg::Lit { text, quoted: q }) = segs.last_mut() {
        if *q == quoted {
            text.push_str(s);
            return;
        }
    }
    segs.push(Seg::Lit {
        text: s.to_string(),
        quoted,
    });
}

fn push_char(segs: &mut Vec<Seg>, c: char, quoted: bool) {
    push_lit(segs, c.encode_utf8(&mut [0; 4]), quoted);
}

pub(super) struct Lexer {
    chars: Vec<char>,
    pub pos: usize,
    pub line: usize,
    pending: Vec<usize>,
    pub heredocs: Vec<Heredoc>,
    pub warnings: Vec<String>,
}

impl Lexer {
    /// `first_line` numbers the input's first line (for heredoc warnings).
    pub fn new(text: &str, first_line: usize) -> Lexer {
        Lexer {
            chars: text.chars().collect(),
            pos: 0,
            line: first_line,
            pending: Vec::new(),
            heredocs: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    /// Consumes `s` if the input continues with it.
    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        let matches = s
            .chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c));
        if matches {
            self.pos += n;
        }
        matches
    }

    /// Advances one char, counting lines.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Skips blanks, line continuations and comments (a `#` starting a word).
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token, `None` at end of input. Heredoc bodies are consumed right after
    /// the newline that ends their command line (or at end of input).
    pub fn next_token(&mut self) -> Result<Option<Tok>, String> {
        self.skip_blanks();
        let Some(c) = self.peek() else {
            self.read_heredoc_bodies();
            return Ok(None);
        };
        if c == '\n' {
            self.bump();
            self.read_heredoc_bodies();
            return Ok(Some(Tok::Newline));
        }
        if let Some(tok) = self.operator(None)? {
            return Ok(Some(tok));
        }
        let word = self.read_word()?;
        // `2>file`: a word of digits directly followed by a redirection is an fd.
        if let Some(fd) = word.plain().and_then(|w| w.parse::<u32>().ok()) {
            if matches!(self.peek(), Some('<' | '>')) {
                if let Some(tok) = self.operator(Some(fd))? {
                    return Ok(Some(tok));
                }
            }
        }
        Ok(Some(Tok::Word(word)))
    }

    /// Reads an operator at the cursor, if there is one.
    fn operator(&mut self, fd: Option<u32>) -> Result<Option<Tok>, String> {
        let redir = |op| Ok(Some(Tok::Redir { fd, op }));
        if fd.is_none() {
            for op in ["||", "|&", "|", "&&", "&>>", "&>", "&", ";;", ";", "(", ")"] {
                if self.eat(op) {
                    return match op {
                        "|&" => Ok(Some(Tok::Op("|"))),
                        "&>>" => redir(RedirTok::AllAppend),
                        "&>" => redir(RedirTok::AllWrite),
                        _ => Ok(Some(Tok::Op(op))),
                    };
                }
            }
        }
        if self.eat("<<<") {
            return redir(RedirTok::HereString);
        }
        if self.eat("<<-") {
            return self.heredoc(true).map(Some);
        }
        if self.eat("<<") {
            return self.heredoc(false).map(Some);
        }
        for (s, op) in [
            ("<&", RedirTok::Dup),
            ("<>", RedirTok::Read),
            ("<", RedirTok::Read),
            (">>", RedirTok::Append),
            (">&", RedirTok::Dup),
            (">|", RedirTok::Write),
            (">", RedirTok::Write),
        ] {
            if self.eat(s) {
                return redir(op);
            }
        }
        Ok(None)
    }

    /// After `<<` / `<<-`: reads the delimiter word and queues the body.
    fn heredoc(&mut self, strip_tabs: bool) -> Result<Tok, String> {
        let line = self.line;
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err("bash: syntax error near unexpected token `newline'".into()),
            Some(c) if is_meta(c) => {
                let tok = if c == '\n' {
                    "newline".to_string()
                } else {
                    c.to_string()
                };
                return Err(format!("bash: syntax error near unexpected token `{tok}'"));
            }
            _ => {}
        }
        let word = self.read_word()?;
        let quoted = word.raw.contains(['\'', '"', '\\']);
        let delimiter = remove_quotes(&word.raw);
        self.heredocs.push(Heredoc {
            delimiter,
            quoted,
            strip_tabs,
            body: String::new(),
            line,
        });
        self.pending.push(self.heredocs.len() - 1);
        Ok(Tok::Heredoc(self.heredocs.len() - 1))
    }

    /// Reads the bodies of the heredocs queued on the line just ended.
    fn read_heredoc_bodies(&mut self) {
        for idx in std::mem::take(&mut self.pending) {
            let (delim, strip) = (
                self.heredocs[idx].delimiter.clone(),
                self.heredocs[idx].strip_tabs,
            );
            let mut body = String::new();
            let mut terminated = false;
            while self.pos < self.chars.len() {
                let start = self.pos;
                while !matches!(self.peek(), None | Some('\n')) {
                    self.pos += 1;
                }
                let mut line = self.slice(start, self.pos);
                self.bump();
                if strip {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == delim {
                    terminated = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !terminated {
                self.warnings.push(format!(
                    "bash: warning: here-document at line {} delimited by end-of-file (wanted `{delim}')",
                    self.heredocs[idx].line
                ));
            }
            self.heredocs[idx].body = body;
        }
    }

    /// Reads one word up to an unquoted metacharacter.
    fn read_word(&mut self) -> Result<Word, String> {
        let start = self.pos;
        let mut segs = Vec::new();
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.bump() {
                        Some('\n') => {}
                        Some(e) => push_char(&mut segs, e, true),
                        None => push_char(&mut segs, '\\', false),
                    }
                }
                '\'' => {
                    self.pos += 1;
                    let text = self.read_single_quoted()?;
                    push_lit(&mut segs, &text, true);
                }
                '"' => {
                    self.pos += 1;
                    self.read_double_quoted(&mut segs)?;
                }
                '$' => self.read_dollar(&mut segs, false)?,
                '`' => self.read_backtick(&mut segs, false)?,
                _ => {
                    self.pos += 1;
                    push_char(&mut segs, c, false);
                }
            }
        }
        Ok(Word {
            segs,
            raw: self.slice(start, self.pos),
        })
    }

    /// After `'`: everything up to the next `'`.
    fn read_single_quoted(&mut self) -> Result<String, String> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('\'')),
                Some('\'') => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }

    /// After `"`: up to the closing `"`, with `$`, backticks and `\` escapes.
    fn read_double_quoted(&mut self, segs: &mut Vec<Seg>) -> Result<(), String> {
        // An empty "" still makes a (quoted, empty) word.
        push_lit(segs, "", true);
        loop {
            match self.peek() {
                None => return Err(eof_looking_for('"')),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(e @ ('$' | '`' | '"' | '\\')) => {
                            self.pos += 1;
                            push_char(segs, e, true);
                        }
                        _ => push_char(segs, '\\', true),
                    }
                }
                Some('$') => self.read_dollar(segs, true)?,
                Some('`') => self.read_backtick(segs, true)?,
                Some(c) => {
                    self.bump();
                    push_char(segs, c, true);
                }
            }
        }
    }

    /// Heredoc body expansion: like double quotes, but `"` is ordinary and there is no
    /// terminator. The lexer is built over the body text alone.
    pub fn read_heredoc_body(&mut self) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        push_lit(&mut segs, "", true);
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(e @ ('$' | '`' | '\\')) => {
                            self.pos += 1;
                            push_char(&mut segs, e, true);
                        }
                        _ => push_char(&mut segs, '\\', true),
                    }
                }
                '$' => self.read_dollar(&mut segs, true)?,
                '`' => self.read_backtick(&mut segs, true)?,
                _ => {
                    self.bump();
                    push_char(&mut segs, c, true);
                }
            }
        }
        Ok(segs)
    }

    /// At `$`: a parameter, `${…}`, `$(…)`, `$'…'`, or a literal `$`.
    fn read_dollar(&mut self, segs: &mut Vec<Seg>, quoted: bool) -> Result<(), String> {
        self.pos += 1;
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.read_braced_param(segs, quoted)
            }
            Some('(') if self.peek_at(1) == Some('(') => Err(
                "bash: $((…)): arithmetic expansion is not supported in the kubesim console".into(),
            ),
            Some('(') => {
                self.pos += 1;
                let command = self.read_paren_body()?;
                segs.push(Seg::Subst { command, quoted });
                Ok(())
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let name = self.slice(start, self.pos);
                segs.push(Seg::Param {
                    name,
                    op: ParamOp::Plain,
                    quoted,
                });
                Ok(())
            }
            Some(c)
                if c.is_ascii_digit() || matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-') =>
            {
                self.pos += 1;
                segs.push(Seg::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    quoted,
                });
                Ok(())
            }
            Some('\'') if !quoted => {
                self.pos += 1;
                let text = self.read_ansi_c()?;
                push_lit(segs, &text, true);
                Ok(())
            }
            Some('"') if !quoted => Ok(()), // $"…" (locale translation) is just "…"
            _ => {
                push_char(segs, '$', quoted);
                Ok(())
            }
        }
    }

    /// After `${`: `NAME`, `NAME:-word`, `NAME-word`, `#NAME`.
    fn read_braced_param(&mut self, segs: &mut Vec<Seg>, quoted: bool) -> Result<(), String> {
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('}')),
                Some('{') => depth += 1,
                Some('}') if depth == 0 => break,
                Some('}') => depth -= 1,
                Some('\\') => {
                    self.bump();
                }
                _ => {}
            }
        }
        let inner = self.slice(start, self.pos - 1);
        let bad = || format!("bash: ${{{inner}}}: bad substitution");
        let name_len = inner.chars().take_while(|&c| is_name_char(c)).count();
        let valid_name =
            |n: &str| n.chars().next().is_some_and(is_name_start) && n.chars().all(is_name_char);
        let (name, op) = if let Some(n) = inner.strip_prefix('#').filter(|n| valid_name(n)) {
            (n.to_string(), ParamOp::Length)
        } else if valid_name(&inner) {
            (inner.clone(), ParamOp::Plain)
        } else {
            let (name, rest) = inner.split_at(name_len);
            if !valid_name(name) {
                return Err(bad());
            }
            let (colon, word) = match (rest.strip_prefix(":-"), rest.strip_prefix('-')) {
                (Some(w), _) => (true, w),
                (None, Some(w)) => (false, w),
                _ => return Err(bad()),
            };
            let mut sub = Lexer::new(word, self.line);
            let word = sub.read_heredoc_body()?;
            let word = if quoted { word } else { unquote_segs(word) };
            (name.to_string(), ParamOp::Default { colon, word })
        };
        segs.push(Seg::Param { name, op, quoted });
        Ok(())
    }

    /// After `$(`: the command text up to the matching `)`, verbatim.
    fn read_paren_body(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.skip_to_close_paren()?;
        Ok(self.slice(start, self.pos - 1))
    }

    /// Skips past the `)` matching an already consumed `(`, honouring quotes.
    fn skip_to_close_paren(&mut self) -> Result<(), String> {
        let mut depth = 0usize;
        loop {
            match self.bump() {
                None => return Err(eof_looking_for(')')),
                Some('(') => depth += 1,
                Some(')') if depth == 0 => return Ok(()),
                Some(')') => depth -= 1,
                Some('\\') => {
                    self.bump();
                }
                Some('\'') => {
                    self.read_single_quoted()?;
                }
                Some('"') => self.skip_double_quoted()?,
                Some('`') => self.skip_backtick()?,
                _ => {}
            }
        }
    }

    fn skip_double_quoted(&mut self) -> Result<(), String> {
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('"')),
                Some('"') => return Ok(()),
                Some('\\') => {
                    self.bump();
                }
                Some('$') if self.peek() == Some('(') => {
                    self.pos += 1;
                    self.skip_to_close_paren()?;
                }
                Some('`') => self.skip_backtick()?,
                _ => {}
            }
        }
    }

    fn skip_backtick(&mut self) -> Result<(), String> {
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('`')),
                Some('`') => return Ok(()),
                Some('\\') => {
                    self.bump();
                }
                _ => {}
            }
        }
    }

    /// At a backtick: the command up to the closing backtick, with `\$`, `` \` `` and `\\`
    /// (and `\"` inside double quotes) unescaped as bash does.
    fn read_backtick(&mut self, segs: &mut Vec<Seg>, quoted: bool) -> Result<(), String> {
        self.pos += 1;
        let mut command = String::new();
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('`')),
                Some('`') => break,
                Some('\\') => match self.peek() {
                    Some(e @ ('$' | '`' | '\\')) => {
                        self.pos += 1;
                        command.push(e);
                    }
                    Some('"') if quoted => {
                        self.pos += 1;
                        command.push('"');
                    }
                    _ => command.push('\\'),
                },
                Some(c) => command.push(c),
            }
        }
        segs.push(Seg::Subst { command, quoted });
        Ok(())
    }

    /// After `$'`: ANSI-C quoting with the common escapes.
    fn read_ansi_c(&mut self) -> Result<String, String> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(eof_looking_for('\'')),
                Some('\'') => return Ok(text),
                Some('\\') => match self.bump() {
                    None => return Err(eof_looking_for('\'')),
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some('r') => text.push('\r'),
                    Some('e' | 'E') => text.push('\x1b'),
                    Some(c @ ('\\' | '\'' | '"' | '?')) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                },
                Some(c) => text.push(c),
            }
        }
    }
}

/// Marks the literal parts of an unquoted `${X:-word}` default as unquoted again, so
/// that they split like the rest of an unquoted expansion.
fn unquote_segs(segs: Vec<Seg>) -> Vec<Seg> {
    segs.into_iter()
        .map(|s| match s {
            Seg::Lit { text, .. } => Seg::Lit {
                text,
                quoted: false,
            },
            Seg::Param { name, op, .. } => Seg::Param {
                name,
                op,
                quoted: false,
            },
            Seg::Subst { command, .. } => Seg::Subst {
                command,
                quoted: false,
            },
        })
        .collect()
}

/// Quote removal on raw text (heredoc delimiters): `'…'`, `"…"` and `\x`.
fn remove_quotes(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '\\') | (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    out
}
