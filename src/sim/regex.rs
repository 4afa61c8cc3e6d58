//! A small backtracking regex engine for `grep` and for ingress-nginx's regex locations
//! (`use-regex`, which nginx runs through PCRE; ERE covers what Ingress paths use): POSIX
//! basic (BRE) and extended (ERE)
//! syntax with `.`, `[…]` (ranges, negation, `[:alpha:]`-style classes), `^`, `$`,
//! `*`, `+`, `?`, `{n,m}`, groups and alternation, `\w` `\s` `\d` `\b` `\<` `\>`.
//! In BRE, `\(` `\)` `\|` `\{` `\}` `\+` `\?` are the operators, as in GNU grep.
//! Matching is leftmost-first (not POSIX leftmost-longest), which only shows with `-o`.
//! Back-references are not supported. A step budget bounds pathological patterns.

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
    Start,
    End,
    WordBoundary,
    WordStart,
    WordEnd,
    Group(Box<Alt>),
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Named(fn(char) -> bool),
}

#[derive(Debug, Clone)]
struct Piece {
    node: Node,
    min: u32,
    max: Option<u32>,
}

#[derive(Debug, Clone)]
struct Alt(Vec<Vec<Piece>>);

#[derive(Debug, Clone)]
pub struct Regex {
    root: Alt,
    ignore_case: bool,
}

/// A lexed pattern character: an operator or a literal.
#[derive(Debug, Clone, Copy, PartialEq)]
enum T {
    Op(char),
    Lit(char),
    Esc(char),
}

const STEP_BUDGET: usize = 200_000;

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn tokenize(pattern: &str, extended: bool) -> Vec<T> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                None => out.push(T::Lit('\\')),
                Some(e @ ('(' | ')' | '|' | '{' | '}' | '+' | '?')) if !extended => {
                    out.push(T::Op(e))
                }
                Some(e @ ('w' | 'W' | 's' | 'S' | 'd' | 'b' | '<' | '>')) => out.push(T::Esc(e)),
                Some(e) => out.push(T::Lit(e)),
            }
        } else if matches!(c, '.' | '[' | '^' | '$' | '*')
            || (extended && matches!(c, '(' | ')' | '|' | '{' | '}' | '+' | '?'))
        {
            out.push(T::Op(c));
        } else {
            out.push(T::Lit(c));
        }
    }
    out
}

struct Parser {
    toks: Vec<T>,
    pos: usize,
    depth: usize,
}

impl Regex {
    /// Compiles a pattern; the error is grep's message.
    pub fn new(pattern: &str, extended: bool, ignore_case: bool) -> Result<Regex, String> {
        let mut p = Parser {
            toks: tokenize(pattern, extended),
            pos: 0,
            depth: 0,
        };
        let root = p.alt()?;
        if p.pos < p.toks.len() {
            return Err("Unmatched ) or \\)".into());
        }
        Ok(Regex { root, ignore_case })
    }

    /// The first match in `text` as (start, end) char offsets, subject to `accept`.
    pub fn find(
        &self,
        text: &str,
        accept: &dyn Fn(&[char], usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let mut m = Matcher {
            re: self,
            text: &chars,
            steps: 0,
        };
        for start in 0..=chars.len() {
            let mut found = None;
            if m.alt(&self.root, start, &mut |_: &mut Matcher, end| {
                let ok = accept(&chars, start, end);
                if ok {
                    found = Some(end);
                }
                ok
            }) {
                return found.map(|end| (start, end));
            }
            if m.steps > STEP_BUDGET {
                return None;
            }
        }
        None
    }
}

impl Parser {
    fn peek(&self) -> Option<T> {
        self.toks.get(self.pos).copied()
    }

    fn alt(&mut self) -> Result<Alt, String> {
        let mut seqs = vec![self.seq()?];
        while self.peek() == Some(T::Op('|')) {
            self.pos += 1;
            seqs.push(self.seq()?);
        }
        Ok(Alt(seqs))
    }

    fn seq(&mut self) -> Result<Vec<Piece>, String> {
        let mut pieces: Vec<Piece> = Vec::new();
        loop {
            let node = match self.peek() {
                None | Some(T::Op('|')) => break,
                Some(T::Op(')')) if self.depth > 0 => break,
                Some(T::Op(')')) => {
                    self.pos += 1;
                    Node::Char(')')
                }
                // A leading `*` (or a quantifier with nothing before it) is literal.
                Some(T::Op(c @ ('*' | '+' | '?' | '{'))) if pieces.is_empty() => {
                    self.pos += 1;
                    Node::Char(c)
                }
                Some(T::Op(c @ ('*' | '+' | '?' | '{'))) => {
                    self.pos += 1;
                    let last = pieces.last_mut().expect("non-empty");
                    let (min, max) = self.quantifier(c)?;
                    // Wrap so that `a**` and `a{2}*` nest instead of overwriting.
                    let inner = std::mem::replace(&mut last.node, Node::Any);
                    let wrapped = Piece {
                        node: inner,
                        min: last.min,
                        max: last.max,
                    };
                    last.node = Node::Group(Box::new(Alt(vec![vec![wrapped]])));
                    last.min = min;
                    last.max = max;
                    continue;
                }
                Some(T::Op('(')) => {
                    self.pos += 1;
                    self.depth += 1;
                    let inner = self.alt()?;
                    self.depth -= 1;
                    if self.peek() != Some(T::Op(')')) {
                        return Err("Unmatched ( or \\(".into());
                    }
                    self.pos += 1;
                    Node::Group(Box::new(inner))
                }
                Some(T::Op('[')) => {
                    self.pos += 1;
                    self.class()?
                }
                Some(T::Op('.')) => {
                    self.pos += 1;
                    Node::Any
                }
                Some(T::Op('^')) => {
                    self.pos += 1;
                    Node::Start
                }
                Some(T::Op('$')) => {
                    self.pos += 1;
                    Node::End
                }
                Some(T::Op(c)) | Some(T::Lit(c)) => {
                    self.pos += 1;
                    Node::Char(c)
                }
                Some(T::Esc(e)) => {
                    self.pos += 1;
                    escape_node(e)
                }
            };
            pieces.push(Piece {
                node,
                min: 1,
                max: Some(1),
            });
        }
        Ok(pieces)
    }

    /// After a quantifier operator: its bounds.
    fn quantifier(&mut self, c: char) -> Result<(u32, Option<u32>), String> {
        Ok(match c {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => {
                let mut text = String::new();
                loop {
                    match self.peek() {
                        Some(T::Op('}')) => {
                            self.pos += 1;
                            break;
                        }
                        Some(T::Lit(c)) | Some(T::Op(c)) if c.is_ascii_digit() || c == ',' => {
                            self.pos += 1;
                            text.push(c);
                        }
                        _ => return Err("Unmatched \\{".into()),
                    }
                }
                let parse = |s: &str| {
                    s.parse::<u32>()
                        .map_err(|_| "Invalid content of \\{\\}".to_string())
                };
                let (min, max) = match text.split_once(',') {
                    None => {
                        let n = parse(&text)?;
                        (n, Some(n))
                    }
                    Some((a, "")) => (if a.is_empty() { 0 } else { parse(a)? }, None),
                    Some((a, b)) => (if a.is_empty() { 0 } else { parse(a)? }, Some(parse(b)?)),
                };
                if max.is_some_and(|m| m < min) || min > 1000 || max.is_some_and(|m| m > 1000) {
                    return Err("Invalid content of \\{\\}".into());
                }
                (min, max)
            }
        })
    }

    /// After `[`: a bracket expression up to its `]`.
    fn class(&mut self) -> Result<Node, String> {
        const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
        // Bracket expressions are read from the raw characters: no operators inside.
        let raw = |t: T| match t {
            T::Op(c) | T::Lit(c) => vec![c],
            T::Esc(c) => vec!['\\', c],
        };
        let mut chars: Vec<char> = Vec::new();
        let mut i = self.pos;
        while i < self.toks.len() {
            chars.extend(raw(self.toks[i]));
            i += 1;
        }
        let mut j = 0;
        let negated = chars.first() == Some(&'^');
        if negated {
            j += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(&c) = chars.get(j) else {
                return Err(UNMATCHED.into());
            };
            if c == ']' && !first {
                j += 1;
                break;
            }
            first = false;
            if c == '[' && chars.get(j + 1) == Some(&':') {
                let rest: String = chars[j + 2..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err(UNMATCHED.into());
                };
                let name = &rest[..end];
                items.push(ClassItem::Named(
                    named_class(name).ok_or("Invalid character class name")?,
                ));
                j += 2 + name.chars().count() + 2;
                continue;
            }
            if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&e| e != ']') {
                let hi = chars[j + 2];
                if hi < c {
                    return Err("Invalid range end".into());
                }
                items.push(ClassItem::Range(c, hi));
                j += 3;
            } else {
                items.push(ClassItem::Range(c, c));
                j += 1;
            }
        }
        // Map the consumed characters back onto token positions.
        let mut consumed = 0;
        while consumed < j && self.pos < self.toks.len() {
            consumed += raw(self.toks[self.pos]).len();
            self.pos += 1;
        }
        Ok(Node::Class { negated, items })
    }
}

fn escape_node(e: char) -> Node {
    let class = |negated, f: fn(char) -> bool| Node::Class {
        negated,
        items: vec![ClassItem::Named(f)],
    };
    match e {
        'w' => class(false, is_word),
        'W' => class(true, is_word),
        's' => class(false, char::is_whitespace),
        'S' => class(true, char::is_whitespace),
        'd' => class(false, |c| c.is_ascii_digit()),
        'b' => Node::WordBoundary,
        '<' => Node::WordStart,
        _ => Node::WordEnd,
    }
}

fn named_class(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => char::is_alphabetic,
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => char::is_alphanumeric,
        "space" => char::is_whitespace,
        "upper" => char::is_uppercase,
        "lower" => char::is_lowercase,
        "punct" => |c: char| c.is_ascii_punctuation(),
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        "blank" => |c: char| c == ' ' || c == '\t',
        _ => return None,
    })
}

/// A continuation: given the position reached, does the rest of the pattern match?
type Cont<'k> = dyn FnMut(&mut Matcher, usize) -> bool + 'k;

struct Matcher<'a> {
    re: &'a Regex,
    text: &'a [char],
    steps: usize,
}

impl Matcher<'_> {
    fn alt(&mut self, alt: &Alt, pos: usize, k: &mut Cont) -> bool {
        for seq in &alt.0 {
            if self.seq(seq, pos, k) {
                return true;
            }
        }
        false
    }

    fn seq(&mut self, seq: &[Piece], pos: usize, k: &mut Cont) -> bool {
        match seq.split_first() {
            None => k(self, pos),
            Some((piece, rest)) => {
                self.repeat(piece, 0, pos, &mut |m: &mut Matcher, q| m.seq(rest, q, k))
            }
        }
    }

    /// Greedy repetition: one more if allowed, else hand over to the continuation.
    fn repeat(&mut self, piece: &Piece, count: u32, pos: usize, k: &mut Cont) -> bool {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return false;
        }
        if piece.max.is_none_or(|m| count < m) {
            let matched = self.node(&piece.node, pos, &mut |m: &mut Matcher, q| {
                // An empty iteration only counts towards the minimum (no endless loops).
                (q != pos || count < piece.min) && m.repeat(piece, count + 1, q, k)
            });
            if matched {
                return true;
            }
        }
        count >= piece.min && k(self, pos)
    }

    fn node(&mut self, node: &Node, pos: usize, k: &mut Cont) -> bool {
        let text = self.text;
        let at = text.get(pos).copied();
        let before = pos.checked_sub(1).and_then(|p| text.get(p)).copied();
        let word_at = at.is_some_and(is_word);
        let word_before = before.is_some_and(is_word);
        match node {
            Node::Char(c) => at.is_some_and(|a| self.eq(a, *c)) && k(self, pos + 1),
            Node::Any => at.is_some() && k(self, pos + 1),
            Node::Class { negated, items } => {
                at.is_some_and(|a| self.in_class(a, items) != *negated) && k(self, pos + 1)
            }
            Node::Start => pos == 0 && k(self, pos),
            Node::End => pos == text.len() && k(self, pos),
            Node::WordBoundary => word_at != word_before && k(self, pos),
            Node::WordStart => word_at && !word_before && k(self, pos),
            Node::WordEnd => !word_at && word_before && k(self, pos),
            Node::Group(alt) => self.alt(alt, pos, k),
        }
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.re.ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn in_class(&self, c: char, items: &[ClassItem]) -> bool {
        let test = |c: char| {
            items.iter().any(|i| match i {
                ClassItem::Range(lo, hi) => *lo <= c && c <= *hi,
                ClassItem::Named(f) => f(c),
            })
        };
        test(c)
            || (self.re.ignore_case && (c.to_lowercase().any(&test) || c.to_uppercase().any(&test)))
    }
}
