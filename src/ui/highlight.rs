//! YAML syntax highlighting for the editor: a small line tokenizer (keys, strings,
//! numbers, booleans/null, comments, `---` separators, list dashes, block scalars) and
//! the HTML the editor lays under its transparent `<textarea>`.
//!
//! Pure (no web crates), so it is compiled and tested natively too. It is a highlighter,
//! not a parser: it never fails, and text it does not understand is left unstyled.

use std::ops::Range;

/// What a piece of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Key,
    String,
    Number,
    /// `true`, `false`, `null`, `~` and the YAML 1.1 spellings go-yaml still reads.
    Literal,
    Comment,
    /// `---` (and `...`) at the start of a line.
    Separator,
    /// The `-` of a block sequence entry.
    Dash,
    /// `|`, `>`, `|-`, `>+2`…: the header of a block scalar.
    BlockHeader,
    /// A line of a block scalar's text.
    BlockText,
    /// `&anchor`, `*alias`, `!tag`.
    Anchor,
    /// `[`, `]`, `{`, `}`, `,` of a flow collection.
    Punct,
}

impl Class {
    /// The CSS class the editor styles (www/editor.css).
    pub fn css(self) -> &'static str {
        match self {
            Class::Key => "hl-key",
            Class::String => "hl-string",
            Class::Number => "hl-number",
            Class::Literal => "hl-literal",
            Class::Comment => "hl-comment",
            Class::Separator => "hl-separator",
            Class::Dash => "hl-dash",
            Class::BlockHeader => "hl-block",
            Class::BlockText => "hl-block-text",
            Class::Anchor => "hl-anchor",
            Class::Punct => "hl-punct",
        }
    }
}

/// A styled byte range of a line. Ranges are in order and do not overlap; bytes outside
/// every range (spaces, `:`) are plain.
pub type Token = (Class, Range<usize>);

/// Tokens of one line on its own (no block scalar context: see [`highlight_lines`]).
pub fn highlight_line(line: &str) -> Vec<Token> {
    let mut out = vec![];
    let bytes = line.as_bytes();
    let mut i = skip_spaces(bytes, 0);
    if i == 0 && (line.starts_with("---") || line.starts_with("...")) {
        let rest = &line[3..];
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            out.push((Class::Separator, 0..3));
            comment_after(line, skip_spaces(bytes, 3), &mut out);
            return out;
        }
    }
    // Sequence dashes: `- `, `- - `.
    while i < bytes.len() && bytes[i] == b'-' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
        out.push((Class::Dash, i..i + 1));
        i = skip_spaces(bytes, i + 1);
    }
    if i >= bytes.len() {
        return out;
    }
    if bytes[i] == b'#' {
        out.push((Class::Comment, i..bytes.len()));
        return out;
    }
    // A key, quoted or plain, followed by `:` and a space or the end of the line.
    if let Some(key_end) = key_end(line, i) {
        out.push((Class::Key, i..key_end));
        let v = skip_spaces(bytes, key_end + 1);
        value(line, v, &mut out);
    } else {
        value(line, i, &mut out);
    }
    out
}

/// Tokens of every line of `text` (split on `\n`, so a trailing newline gives a last
/// empty line, as the textarea shows it), following block scalars across lines.
pub fn highlight_lines(text: &str) -> Vec<Vec<Token>> {
    let mut out = vec![];
    // The indentation of the line that opened a block scalar, while inside one.
    let mut block: Option<usize> = None;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block {
            if blank {
                out.push(vec![]);
                continue;
            }
            if indent > parent {
                out.push(vec![(Class::BlockText, indent..line.len())]);
                continue;
            }
            block = None;
        }
        let tokens = highlight_line(line);
        if tokens.iter().any(|(c, _)| *c == Class::BlockHeader) {
            // Content must be indented past the key (or past the dash of `- |`).
            let parent = tokens
                .iter()
                .find(|(c, _)| *c == Class::Key)
                .map_or(indent, |(_, r)| r.start);
            block = Some(parent);
        }
        out.push(tokens);
    }
    out
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

/// Where a quoted string starting at `start` ends (one past the closing quote), or the
/// end of the line when it is not closed.
fn quoted_end(line: &str, start: usize) -> usize {
    let bytes = line.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        if quote == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// If a mapping key starts at `start`, where it ends (the index of its `:`).
fn key_end(line: &str, start: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let colon_ok = |i: usize| {
        bytes.get(i) == Some(&b':') && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'))
    };
    match bytes[start] {
        b'"' | b'\'' => {
            let end = quoted_end(line, start);
            let after = skip_spaces(bytes, end);
            colon_ok(after).then_some(after)
        }
        b'[' | b'{' | b'|' | b'>' | b'#' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' => None,
        _ => {
            let mut i = start;
            while i < bytes.len() {
                if colon_ok(i) {
                    let mut end = i;
                    while end > start && bytes[end - 1] == b' ' {
                        end -= 1;
                    }
                    return Some(end);
                }
                if bytes[i] == b'#' && i > start && bytes[i - 1] == b' ' {
                    return None;
                }
                i += 1;
            }
            None
        }
    }
}

/// A comment from `i` on, if one starts there.
fn comment_after(line: &str, i: usize, out: &mut Vec<Token>) {
    if line.as_bytes().get(i) == Some(&b'#') {
        out.push((Class::Comment, i..line.len()));
    }
}

/// The value part of a line, from `i`.
fn value(line: &str, mut i: usize, out: &mut Vec<Token>) {
    let bytes = line.as_bytes();
    // Anchors, aliases and tags before the value proper.
    while i < bytes.len() && matches!(bytes[i], b'&' | b'*' | b'!') {
        let end = line[i..].find([' ', '\t']).map_or(line.len(), |e| i + e);
        out.push((Class::Anchor, i..end));
        i = skip_spaces(bytes, end);
    }
    if i >= bytes.len() {
        return;
    }
    match bytes[i] {
        b'#' => out.push((Class::Comment, i..line.len())),
        b'"' | b'\'' => {
            let end = quoted_end(line, i);
            out.push((Class::String, i..end));
            comment_after(line, skip_spaces(bytes, end), out);
        }
        b'|' | b'>' => {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'+' | b'-' | b'0'..=b'9') {
                end += 1;
            }
            out.push((Class::BlockHeader, i..end));
            comment_after(line, skip_spaces(bytes, end), out);
        }
        b'[' | b'{' => flow(line, i, out),
        _ => {
            let end = plain_end(line, i);
            out.push((scalar_class(&line[i..end]), i..end));
            comment_after(line, skip_spaces(bytes, end), out);
        }
    }
}

/// Where a plain scalar starting at `i` ends: before ` #` or the end, trailing spaces off.
fn plain_end(line: &str, i: usize) -> usize {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    for j in i..bytes.len() {
        if bytes[j] == b'#' && j > i && matches!(bytes[j - 1], b' ' | b'\t') {
            end = j;
            break;
        }
    }
    while end > i && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

/// A flow collection (`[a, "b", 3]`, `{a: 1}`) on one line, roughly.
fn flow(line: &str, mut i: usize, out: &mut Vec<Token>) {
    let bytes = line.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b']' | b'{' | b'}' | b',' => {
                out.push((Class::Punct, i..i + 1));
                i += 1;
            }
            b' ' | b'\t' | b':' => i += 1,
            b'#' if i > 0 && bytes[i - 1] == b' ' => {
                out.push((Class::Comment, i..line.len()));
                return;
            }
            b'"' | b'\'' => {
                let end = quoted_end(line, i);
                let after = skip_spaces(bytes, end);
                let class = if bytes.get(after) == Some(&b':') {
                    Class::Key
                } else {
                    Class::String
                };
                out.push((class, i..end));
                i = end;
            }
            _ => {
                let mut end = i;
                while end < bytes.len()
                    && !matches!(bytes[end], b'[' | b']' | b'{' | b'}' | b',')
                    && !(bytes[end] == b':'
                        && matches!(bytes.get(end + 1), None | Some(b' ' | b',')))
                {
                    end += 1;
                }
                let word_end = i + line[i..end].trim_end().len();
                let class = if bytes.get(end) == Some(&b':') {
                    Class::Key
                } else {
                    scalar_class(&line[i..word_end])
                };
                out.push((class, i..word_end));
                i = end.max(i + 1);
            }
        }
    }
}

/// The class of a plain scalar: number, literal or (plain) string.
pub fn scalar_class(s: &str) -> Class {
    const LITERALS: &[&str] = &[
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if LITERALS.contains(&s) {
        return Class::Literal;
    }
    if is_number(s) {
        return Class::Number;
    }
    Class::String
}

fn is_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if t.is_empty() {
        return false;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| c.is_digit(8));
    }
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let mut digits = 0;
    let mut dot = false;
    let mut exp = false;
    let mut prev = ' ';
    for c in t.chars() {
        match c {
            '0'..='9' => digits += 1,
            '_' if digits > 0 => {}
            '.' if !dot && !exp => dot = true,
            'e' | 'E' if digits > 0 && !exp => exp = true,
            '+' | '-' if matches!(prev, 'e' | 'E') => {}
            _ => return false,
        }
        prev = c;
    }
    digits > 0 && !matches!(prev, 'e' | 'E' | '+' | '-' | '_')
}

/// Escapes text for HTML element content.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            _ => s.push(c),
        }
    }
    s
}

/// An error shown on a line of the editor (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineNote {
    pub line: usize,
    pub message: String,
}

/// The highlighted HTML of `text`: one `<span class="line">` per line (empty lines hold a
/// space so they keep their height), lines named in `notes` marked `error-line` with the
/// message beside the text.
pub fn to_html(text: &str, notes: &[LineNote]) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    for (n, (line, tokens)) in text.split('\n').zip(highlight_lines(text)).enumerate() {
        let number = n + 1;
        let messages: Vec<&str> = notes
            .iter()
            .filter(|note| note.line == number)
            .map(|note| note.message.as_str())
            .collect();
        if messages.is_empty() {
            html.push_str("<span class=\"line\">");
        } else {
            html.push_str(&format!(
                "<span class=\"line error-line\" data-line=\"{number}\">"
            ));
        }
        let mut at = 0;
        for (class, range) in tokens {
            if range.start > at {
                html.push_str(&escape(&line[at..range.start]));
            }
            html.push_str(&format!(
                "<span class=\"{}\">{}</span>",
                class.css(),
                escape(&line[range.clone()])
            ));
            at = range.end;
        }
        html.push_str(&escape(&line[at..]));
        if line.is_empty() {
            html.push(' ');
        }
        if !messages.is_empty() {
            html.push_str(&format!(
                "<span class=\"error-inline\">  ◀ {}</span>",
                escape(&messages.join("; "))
            ));
        }
        html.push_str("</span>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line's tokens as (class, text) pairs.
    fn tokens(line: &str) -> Vec<(Class, &str)> {
        highlight_line(line)
            .into_iter()
            .map(|(c, r)| (c, &line[r]))
            .collect()
    }

    use Class::*;

    #[test]
    fn lines() {
        let cases: &[(&str, &[(Class, &str)])] = &[
            (
                "apiVersion: apps/v1",
                &[(Key, "apiVersion"), (String, "apps/v1")],
            ),
            ("  replicas: 10", &[(Key, "replicas"), (Number, "10")]),
            ("  maxSurge: 25%", &[(Key, "maxSurge"), (String, "25%")]),
            ("  cpu: 0.5", &[(Key, "cpu"), (Number, "0.5")]),
            ("  port: -1", &[(Key, "port"), (Number, "-1")]),
            ("  stdin: true", &[(Key, "stdin"), (Literal, "true")]),
            (
                "  value: null # none",
                &[(Key, "value"), (Literal, "null"), (Comment, "# none")],
            ),
            ("  name: \"web\"", &[(Key, "name"), (String, "\"web\"")]),
            ("  name: 'it''s'", &[(Key, "name"), (String, "'it''s'")]),
            (
                "\"quoted key\": 1",
                &[(Key, "\"quoted key\""), (Number, "1")],
            ),
            ("# a comment", &[(Comment, "# a comment")]),
            ("    # indented", &[(Comment, "# indented")]),
            ("---", &[(Separator, "---")]),
            ("--- # next", &[(Separator, "---"), (Comment, "# next")]),
            ("---x", &[(String, "---x")]),
            (
                "- name: nginx",
                &[(Dash, "-"), (Key, "name"), (String, "nginx")],
            ),
            (
                "    - containerPort: 80",
                &[(Dash, "-"), (Key, "containerPort"), (Number, "80")],
            ),
            ("  - - a", &[(Dash, "-"), (Dash, "-"), (String, "a")]),
            ("  -", &[(Dash, "-")]),
            ("  - -1", &[(Dash, "-"), (Number, "-1")]),
            ("  script: |", &[(Key, "script"), (BlockHeader, "|")]),
            (
                "  text: >-  # folded",
                &[(Key, "text"), (BlockHeader, ">-"), (Comment, "# folded")],
            ),
            (
                "image: docker.io/nginx:1.27",
                &[(Key, "image"), (String, "docker.io/nginx:1.27")],
            ),
            ("url: http://x#y", &[(Key, "url"), (String, "http://x#y")]),
            (
                "base: &b {a: 1}",
                &[
                    (Key, "base"),
                    (Anchor, "&b"),
                    (Punct, "{"),
                    (Key, "a"),
                    (Number, "1"),
                    (Punct, "}"),
                ],
            ),
            (
                "args: [\"-c\", 3, true]",
                &[
                    (Key, "args"),
                    (Punct, "["),
                    (String, "\"-c\""),
                    (Punct, ","),
                    (Number, "3"),
                    (Punct, ","),
                    (Literal, "true"),
                    (Punct, "]"),
                ],
            ),
            ("key:", &[(Key, "key")]),
            ("", &[]),
            ("  plain text", &[(String, "plain text")]),
        ];
        for (line, want) in cases {
            assert_eq!(&tokens(line), want, "line {line:?}");
        }
    }

    #[test]
    fn numbers_and_literals() {
        for s in [
            "0", "10", "-3", "+4", "1.5", ".5", "1e3", "2.5E-3", "0x1F", "0o17", "1_000", ".inf",
        ] {
            assert_eq!(scalar_class(s), Number, "{s}");
        }
        for s in ["1.2.3", "1e", "-", "e3", "0x", "10Gi", "1.27", "v1"] {
            let want = if s == "1.27" { Number } else { String };
            assert_eq!(scalar_class(s), want, "{s}");
        }
        for s in ["true", "False", "NULL", "~", "yes", "off"] {
            assert_eq!(scalar_class(s), Literal, "{s}");
        }
    }

    #[test]
    fn block_scalars_span_lines() {
        let text = "data:\n  script: |\n    echo hi: there\n\n    # not a comment\n  next: 1\n- run: >\n    folded";
        let lines = highlight_lines(text);
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[2], vec![(BlockText, 4..18)]);
        assert_eq!(lines[3], vec![]);
        assert_eq!(lines[4], vec![(BlockText, 4..19)]);
        assert_eq!(lines[5][0].0, Key);
        assert_eq!(lines[7], vec![(BlockText, 4..10)]);
    }

    #[test]
    fn html_escapes_and_marks_lines() {
        let html = to_html(
            "a: <b>\n\nc: 1",
            &[LineNote {
                line: 3,
                message: "bad & wrong".into(),
            }],
        );
        assert_eq!(
            html,
            "<span class=\"line\"><span class=\"hl-key\">a</span>: <span class=\"hl-string\">&lt;b&gt;</span></span>\
             <span class=\"line\"> </span>\
             <span class=\"line error-line\" data-line=\"3\"><span class=\"hl-key\">c</span>: <span class=\"hl-number\">1</span>\
             <span class=\"error-inline\">  ◀ bad &amp; wrong</span></span>"
        );
    }
}
