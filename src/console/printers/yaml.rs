//! `kubectl get -o yaml`: sigs.k8s.io/yaml, i.e. go-yaml v2 marshalling the object as
//! `map[interface{}]interface{}` — byte for byte:
//! - keys in go-yaml's natural order (`a2` < `a10`, non-letters before letters);
//! - block style, 2-space indent, sequences not indented under their key;
//! - `{}` / `[]` for empty collections, `null` for null;
//! - strings plain when they would read back as strings, else `"double quoted"`
//!   (`"80"`, `"true"`, `""`, timestamps); `'single quoted'` when plain is not allowed
//!   (leading `*`, `: `, trailing spaces…); `|`/`|-`/`|+` literals for multi-line text;
//! - long plain and quoted scalars folded at spaces past column 80 (go-yaml's width).

use crate::sim::sort::SharedSort;
use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::json::go_g_float;

const BEST_WIDTH: usize = 80;

/// `kubectl -o yaml` output of one value.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::default();
    match v {
        Value::Object(m) if !m.is_empty() => e.mapping(m, 0, false),
        Value::Array(a) if !a.is_empty() => e.sequence(a, 0, false),
        other => {
            e.inline_value(other, 0);
            e.end_line();
        }
    }
    e.out
}

#[derive(Default)]
struct Emitter {
    out: String,
    column: usize,
}

impl Emitter {
    fn put(&mut self, s: &str) {
        for c in s.chars() {
            self.out.push(c);
            self.column = if c == '\n' { 0 } else { self.column + 1 };
        }
    }

    fn put_char(&mut self, c: char) {
        self.out.push(c);
        self.column = if c == '\n' { 0 } else { self.column + 1 };
    }

    fn end_line(&mut self) {
        if self.column > 0 || !self.out.ends_with('\n') {
            self.put_char('\n');
        }
    }

    /// go-yaml's `write_indent` inside a scalar: a line break, then `indent` spaces.
    fn break_to(&mut self, indent: usize) {
        self.put_char('\n');
        self.put(&" ".repeat(indent));
    }

    fn mapping(&mut self, m: &Map<String, Value>, indent: usize, first_inline: bool) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort_shared_by(|a, b| natural_cmp(a, b));
        for (i, key) in keys.into_iter().enumerate() {
            if i > 0 || !first_inline {
                self.put(&" ".repeat(indent));
            }
            self.string(key, indent + 2, true);
            self.put_char(':');
            self.member(&m[key], indent, indent + 2);
        }
    }

    fn sequence(&mut self, a: &[Value], indent: usize, first_inline: bool) {
        for (i, item) in a.iter().enumerate() {
            if i > 0 || !first_inline {
                self.put(&" ".repeat(indent));
            }
            self.put_char('-');
            match item {
                Value::Object(m) if !m.is_empty() => {
                    self.put_char(' ');
                    self.mapping(m, indent + 2, true);
                }
                Value::Array(inner) if !inner.is_empty() => {
                    self.put_char(' ');
                    self.sequence(inner, indent + 2, true);
                }
                other => {
                    self.put_char(' ');
                    self.inline_value(other, indent + 2);
                    self.end_line();
                }
            }
        }
    }

    /// The value after `key:`; `indent` is the mapping's, `scalar_indent` its content's.
    fn member(&mut self, v: &Value, indent: usize, scalar_indent: usize) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                self.put_char('\n');
                self.mapping(m, indent + 2, false);
            }
            Value::Array(a) if !a.is_empty() => {
                self.put_char('\n');
                self.sequence(a, indent, false);
            }
            other => {
                self.put_char(' ');
                self.inline_value(other, scalar_indent);
                self.end_line();
            }
        }
    }

    fn inline_value(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Null => self.put("null"),
            Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
            Value::Number(n) => self.put(&yaml_number(n)),
            Value::String(s) => self.string(s, indent, false),
            Value::Object(_) => self.put("{}"),
            Value::Array(_) => self.put("[]"),
        }
    }

    fn string(&mut self, s: &str, indent: usize, simple_key: bool) {
        match select_style(s, simple_key) {
            Style::Plain => self.plain(s, indent, !simple_key),
            Style::Single => self.single_quoted(s, indent, !simple_key),
            Style::Double => self.double_quoted(s, indent, !simple_key),
            Style::Literal => self.literal(s, indent),
        }
    }

    fn plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.break_to(indent);
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
    }

    fn single_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put_char('\'');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                let inner = i > 0 && i + 1 < chars.len();
                if allow_breaks && !spaces && self.column > BEST_WIDTH && inner && !next_space {
                    self.break_to(indent);
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put_char('\'');
                }
                self.put_char(c);
                spaces = false;
            }
        }
        self.put_char('\'');
    }

    fn double_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put_char('"');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put(&escape(c));
                spaces = false;
            } else if c == ' ' {
                let inner = i > 0 && i + 1 < chars.len();
                if allow_breaks && !spaces && self.column > BEST_WIDTH && inner {
                    self.break_to(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put_char('\\');
                    }
                } else {
                    self.put_char(c);
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
        self.put_char('"');
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.put_char('|');
        let first = s.chars().next().unwrap_or('x');
        if first == ' ' || is_break(first) {
            self.put_char('2');
        }
        self.put(chomp_hint(s));
        self.put_char('\n');
        let mut at_line_start = true;
        for c in s.chars() {
            if is_break(c) {
                self.put_char('\n');
                at_line_start = true;
            } else {
                if at_line_start {
                    self.put(&" ".repeat(indent));
                    at_line_start = false;
                }
                self.put_char(c);
            }
        }
    }
}

/// `|` keeps one final newline, `|-` strips it, `|+` keeps several.
fn chomp_hint(s: &str) -> &'static str {
    let mut rev = s.chars().rev();
    match (rev.next(), rev.next()) {
        (None, _) => "-",
        (Some(last), _) if !is_break(last) => "-",
        (Some(_), None) => "+",
        (Some(_), Some(prev)) if is_break(prev) => "+",
        _ => "",
    }
}

fn escape(c: char) -> String {
    let short = match c {
        '\0' => Some('0'),
        '\u{7}' => Some('a'),
        '\u{8}' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\u{b}' => Some('v'),
        '\u{c}' => Some('f'),
        '\r' => Some('r'),
        '\u{1b}' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{a0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    match short {
        Some(s) => format!("\\{s}"),
        None if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
        None if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
        None => format!("\\U{:08X}", c as u32),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// go-yaml's encoder choice (`stringv`) refined by the emitter (`select_scalar_style`).
fn select_style(s: &str, simple_key: bool) -> Style {
    let requested = if s.contains('\n') {
        Style::Literal
    } else if resolves_to_string(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    };
    let a = analyze(s);
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    c == '\n'
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t'))
}

/// `yaml_emitter_analyze_scalar` (block context only).
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading, mut trailing_space, mut trailing_break) = (false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = i == last || is_blank(chars.get(i + 1).copied());
        match (i, c) {
            (
                0,
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
                | '@' | '`',
            ) => block_indicators = true,
            (0, '?' | ':' | '-') if followed_by_whitespace => block_indicators = true,
            (i, ':') if i > 0 && followed_by_whitespace => block_indicators = true,
            (i, '#') if i > 0 && preceded_by_whitespace => block_indicators = true,
            _ => {}
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            (previous_space, previous_break) = (true, false);
        } else if is_break(c) {
            line_breaks = true;
            leading |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            (previous_space, previous_break) = (false, true);
        } else {
            (previous_space, previous_break) = (false, false);
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t' | '\0') || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading || trailing_space || trailing_break || line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    a
}

/// go-yaml v2 `resolve("", s)` yields `!!str` (so the plain form reads back as a string).
fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match s.chars().next() {
        Some('.') => !go_parse_float(s),
        Some(c) if c.is_ascii_digit() || c == '+' || c == '-' => !numeric_or_timestamp(s),
        _ => true,
    }
}

fn numeric_or_timestamp(s: &str) -> bool {
    if is_timestamp(s) {
        return true;
    }
    let plain = s.replace('_', "");
    go_parse_int(&plain) || is_yaml_float(&plain) || {
        let body = plain.strip_prefix('-').unwrap_or(&plain);
        body.strip_prefix("0b")
            .is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1'))
    }
}

/// `strconv.ParseInt/ParseUint(s, 0, 64)` acceptance (range aside: overflow falls through
/// to the float check, which accepts plain digit strings anyway).
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h.to_string(), 16)
    } else if let Some(o) = lower.strip_prefix("0o") {
        (o.to_string(), 8)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b.to_string(), 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (lower[1..].to_string(), 8)
    } else {
        (lower.clone(), 10)
    };
    !digits.is_empty() && u128::from_str_radix(&digits, radix).is_ok_and(|v| v <= u64::MAX as u128)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// `strconv.ParseFloat` for strings starting with `.` (decimal forms only).
fn go_parse_float(s: &str) -> bool {
    is_yaml_float(s)
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| !f.chars().all(|c| c.is_ascii_digit() || c == '_')) {
        return false;
    }
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    let head_ok = head.chars().next().is_some_and(|c| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    let sexagesimal = |p: &&str| match p.as_bytes() {
        [d] => d.is_ascii_digit(),
        [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
        _ => false,
    };
    head_ok && !rest.is_empty() && rest.iter().all(sexagesimal)
}

/// go-yaml's `parseTimestamp`: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00` (also `t`),
/// `2006-1-2 15:4:5.999999999`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some((&s[i..i + 1], &s[i + 1..]))),
        None => (s, None),
    };
    if !valid_date(date) {
        return false;
    }
    match rest {
        None => true,
        Some((sep, time)) => valid_time(time, sep != " "),
    }
}

fn small_number(s: &str, max: u32) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|v| *v <= max)
}

fn valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts[..] else {
        return false;
    };
    let (Ok(y), Some(m), Some(d)) = (
        year.parse::<u32>(),
        small_number(month, 12),
        small_number(day, 31),
    ) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    year.len() == 4 && m >= 1 && d >= 1 && d <= days[(m - 1) as usize]
}

fn valid_time(time: &str, zoned: bool) -> bool {
    let (clock, zone) = if zoned {
        match time.find(['Z', '+', '-']) {
            Some(i) => time.split_at(i),
            None => return false,
        }
    } else {
        (time, "")
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((h, f)) => (h, Some(f)),
        None => (clock, None),
    };
    if frac.is_some_and(|f| f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = parts[..] else { return false };
    let clock_ok = small_number(h, 23).is_some()
        && small_number(m, 59).is_some()
        && small_number(sec, 59).is_some();
    // `get`, not slicing: a zone like `+1é:0` is six bytes with no char boundary at 3.
    let zone_ok = !zoned || zone == "Z" || {
        let z = zone.as_bytes();
        z.len() == 6
            && (z[0] == b'+' || z[0] == b'-')
            && zone.get(1..3).and_then(|h| small_number(h, 23)).is_some()
            && z[3] == b':'
            && zone.get(4..6).and_then(|m| small_number(m, 59)).is_some()
    };
    clock_ok && zone_ok
}

/// Numbers after the JSON round trip: integral floats become ints, others use `%g`.
fn yaml_number(n: &serde_json::Number) -> String {
    if !n.is_f64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i128)
    } else {
        go_g_float(f)
    }
}

/// go-yaml v2 `keyList.Less` for string keys: letters sort after other characters, digit
/// runs compare numerically.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn natural_less(a: &str, b: &str) -> bool {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn) = (0i128, 0i128);
        if ar[i] == '0' || br[i] == '0' {
            let nonzero_before = ar[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .any(|c| *c != '0');
            if nonzero_before {
                (an, bn) = (1, 1);
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add((ar[ai] as u8 - b'0') as i128);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add((br[bi] as u8 - b'0') as i128);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    #[test]
    fn pod_like_document() {
        let v = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {"deployment.kubernetes.io/revision": "1"},
                         "creationTimestamp": "2026-01-01T00:00:00Z", "resourceVersion": ""},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
                                     "args": [], "resources": {}, "command": ["sh", "-c", "echo hi"]}],
                     "nodeSelector": null}
        });
        let want = "\
apiVersion: v1
kind: Pod
metadata:
  annotations:
    deployment.kubernetes.io/revision: \"1\"
  creationTimestamp: \"2026-01-01T00:00:00Z\"
  labels:
    app: web
  name: web
  resourceVersion: \"\"
spec:
  containers:
  - args: []
    command:
    - sh
    - -c
    - echo hi
    image: nginx:1.25
    name: nginx
    ports:
    - containerPort: 80
    resources: {}
  nodeSelector: null
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn scalar_styles() {
        let cases = [
            ("plain", "plain"),
            ("80", "\"80\""),
            ("0755", "\"0755\""),
            ("1.5", "\"1.5\""),
            ("1e3", "\"1e3\""),
            ("yes", "\"yes\""),
            ("off", "\"off\""),
            ("~", "\"~\""),
            ("", "\"\""),
            ("2026-01-01", "\"2026-01-01\""),
            ("12:30", "\"12:30\""),
            ("*", "'*'"),
            ("@home", "'@home'"),
            ("- x", "'- x'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("trailing ", "'trailing '"),
            (" leading", "' leading'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("tab\there", "\"tab\\there\""),
            ("http://x:80/y", "http://x:80/y"),
            ("a-b_c.d", "a-b_c.d"),
            ("-1", "\"-1\""),
            ("+x", "+x"),
            ("0x1F", "\"0x1F\""),
            ("1_000", "\"1_000\""),
            ("😀", "\"\\U0001F600\""),
            ("héllo", "héllo"),
            ("2026-01-01T00:00:00+01:00", "\"2026-01-01T00:00:00+01:00\""),
            // Six bytes of zone with no char boundary where the hours end: not a zone.
            ("2026-01-01T00:00:00+1é:0", "2026-01-01T00:00:00+1é:0"),
        ];
        for (input, want) in cases {
            assert_eq!(
                to_yaml(&json!({ "k": input })),
                format!("k: {want}\n"),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn literals() {
        assert_eq!(to_yaml(&json!({"a": "x\ny\n"})), "a: |\n  x\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x\n\ny"})), "a: |-\n  x\n\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x\n\n"})), "a: |+\n  x\n\n");
        assert_eq!(to_yaml(&json!({"a": " x\n"})), "a: |2\n   x\n");
        assert_eq!(to_yaml(&json!({"a": "x \ny"})), "a: \"x \\ny\"\n");
        assert_eq!(to_yaml(&json!({"l": ["p\nq"]})), "l:\n- |-\n  p\n  q\n");
    }

    #[test]
    fn nesting_and_empties() {
        let v = json!({"a": [[1, 2], {}, [], {"b": {"c": [true]}}], "z": {}});
        assert_eq!(
            to_yaml(&v),
            "a:\n- - 1\n  - 2\n- {}\n- []\n- b:\n    c:\n    - true\nz: {}\n"
        );
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(
            to_yaml(&json!({"f": 2.0, "g": 0.5, "h": 1.0e-7})),
            "f: 2\ng: 0.5\nh: 1e-07\n"
        );
    }

    #[test]
    fn natural_key_order() {
        let v = json!({"a10": 1, "a2": 2, "B": 3, "a": 4, "-x": 5, "_y": 6, "1": 7});
        let keys: Vec<String> = to_yaml(&v)
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        assert_eq!(keys, ["-x", "_y", "\"1\"", "B", "a", "a2", "a10"]);
    }

    #[test]
    fn long_lines_fold_at_80() {
        let msg = "word ".repeat(30).trim_end().to_string();
        let out = to_yaml(&json!({"status": {"message": msg}}));
        let want = format!(
            "status:\n  message: {}\n    {}\n",
            "word ".repeat(15).trim_end(),
            "word ".repeat(15).trim_end()
        );
        assert_eq!(out, want);
        let quoted = format!("*{msg}");
        let out = to_yaml(&json!({"m": quoted}));
        assert!(
            out.starts_with("m: '*word") && out.contains("\n  word"),
            "{out}"
        );
    }
}
