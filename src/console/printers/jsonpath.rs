//! kubectl's JSONPath (client-go `util/jsonpath`): the parser (`parser.go`) and the
//! evaluator (`jsonpath.go`) as `kubectl get -o jsonpath=…` uses them, with missing keys
//! allowed. Also `-o custom-columns=` (cli-runtime `customcolumn.go`).
//!
//! Templates are text with `{…}` actions: fields `.a.b`, `['key']`, indexes and slices
//! `[0]`, `[-1:]`, `[0:4:2]`, `[*]`, unions `[0,2]`, wildcards `.*`, recursive `..name`,
//! filters `[?(@.type=="Ready")]`, quoted text `{"\n"}`, and `{range …}…{end}`.

use serde_json::Value;

use super::json::to_json_compact;
use super::tabwriter::TABLE;

/// One parsed node (client-go `node.go`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    List(Vec<Node>),
    Field(String),
    Identifier(String),
    Array([Param; 3]),
    Filter(Box<Node>, Box<Node>, String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Node>),
}

/// A slice parameter: `known`, `value`, `derived` (the implied `end = start + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
}

const EOF: char = '\0';

impl Parser {
    fn parse(text: &str) -> Result<Vec<Node>, String> {
        let mut p = Parser {
            input: text.chars().collect(),
            pos: 0,
            start: 0,
        };
        let mut root = Vec::new();
        p.parse_text(&mut root)?;
        Ok(root)
    }

    fn next(&mut self) -> char {
        match self.input.get(self.pos) {
            Some(c) => {
                self.pos += 1;
                *c
            }
            None => {
                self.pos += 1;
                EOF
            }
        }
    }

    fn peek(&self) -> char {
        self.input.get(self.pos).copied().unwrap_or(EOF)
    }

    fn backup(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        let rest = self.input.get(self.pos..).unwrap_or(&[]);
        prefix.chars().count() <= rest.len() && prefix.chars().zip(rest).all(|(a, b)| a == *b)
    }

    fn consume_text(&mut self) -> String {
        let end = self.pos.min(self.input.len());
        let text: String = self
            .input
            .get(self.start..end)
            .unwrap_or(&[])
            .iter()
            .collect();
        self.start = self.pos;
        text
    }

    fn parse_text(&mut self, root: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.rest_starts_with("{") {
                if self.pos > self.start {
                    root.push(Node::Text(self.consume_text()));
                }
                self.pos += 1;
                self.consume_text();
                let mut list = Vec::new();
                let result = self.parse_inside_action(&mut list);
                root.push(Node::List(list));
                return match result {
                    Ok(true) => self.parse_text(root),
                    Ok(false) => Ok(()),
                    Err(e) => Err(e),
                };
            }
            if self.next() == EOF {
                break;
            }
        }
        self.pos = self.pos.min(self.input.len());
        if self.pos > self.start {
            root.push(Node::Text(self.consume_text()));
        }
        Ok(())
    }

    /// Parses one action's contents; `Ok(true)` when its `}` was reached.
    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<bool, String> {
        loop {
            if self.rest_starts_with("}") {
                self.pos += 1;
                self.consume_text();
                return Ok(true);
            }
            if self.rest_starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if self.rest_starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                EOF | '\n' | '\r' => return Err("unclosed action".to_string()),
                ' ' | '@' | '$' => {
                    self.consume_text();
                }
                '[' => self.parse_array(cur)?,
                q @ ('"' | '\'') => self.parse_quote(cur, q)?,
                '.' => self.parse_field(cur),
                r if r == '+' || r == '-' || r.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                r if is_alphanumeric(r) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                r => {
                    return Err(format!(
                        "unrecognized character in action: {}",
                        go_unicode(r)
                    ))
                }
            }
        }
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        loop {
            let r = self.next();
            if r == '\\' {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) || r == ' ' {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        match value.as_str() {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Identifier(value)),
        }
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if cur.last() == Some(&Node::Recursive) {
            return Err("invalid multiple recursive descent".to_string());
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if is_alphanumeric(self.peek()) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), '+' | '-') {
            self.next();
        }
        loop {
            let r = self.next();
            if r != '.' && !r.is_ascii_digit() {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        if let Ok(i) = value.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Ok(f) = value.parse::<f64>() {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                EOF | '\n' => return Err("unterminated quoted string".to_string()),
                '\\' => {
                    if matches!(self.next(), EOF | '\n') {
                        return Err("unterminated quoted string".to_string());
                    }
                }
                c if c == end => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        let text = unquote(&value)
            .ok_or_else(|| format!("unquote string {value} error invalid syntax"))?;
        cur.push(Node::Text(text));
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                EOF | '\n' => return Err("unterminated array".to_string()),
                ']' => break,
                _ => {}
            }
        }
        let text = self.consume_text();
        let inner: String = text
            .chars()
            .skip(1)
            .take(text.chars().count().saturating_sub(2))
            .collect();
        let inner = if inner == "*" { ":".to_string() } else { inner };
        let parts: Vec<&str> = inner.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(parse_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        if let Some(key) = inner
            .strip_prefix('\'')
            .and_then(|k| k.strip_suffix('\''))
            .filter(|k| !k.contains('\''))
        {
            if let Node::List(nodes) = parse_action(&format!(".{key}"))? {
                cur.extend(nodes);
            }
            return Ok(());
        }
        cur.push(Node::Array(parse_slice(&inner)?));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume_text();
        let (mut begin, mut end, mut pair) = (false, false, EOF);
        loop {
            let r = self.next();
            match r {
                EOF | '\n' => return Err("unterminated filter".to_string()),
                '"' | '\'' if !begin => {
                    begin = true;
                    pair = r;
                }
                '"' | '\'' => {
                    let escaped = self.pos >= 2 && self.input.get(self.pos - 2) == Some(&'\\');
                    if !escaped && r == pair {
                        end = true;
                    }
                }
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.next() != ']' {
            return Err("unclosed array expect ]".to_string());
        }
        let text = self.consume_text();
        let text: String = text
            .chars()
            .take(text.chars().count().saturating_sub(2))
            .collect();
        match split_comparison(&text) {
            None => cur.push(Node::Filter(
                Box::new(parse_action(&text)?),
                Box::new(Node::List(vec![])),
                "exists".into(),
            )),
            Some((left, op, right)) => cur.push(Node::Filter(
                Box::new(parse_action(left)?),
                Box::new(parse_action(right)?),
                op.to_string(),
            )),
        }
        Ok(())
    }
}

/// `parseAction`: parses `{text}` and returns its single list node.
fn parse_action(text: &str) -> Result<Node, String> {
    let mut nodes = Parser::parse(&format!("{{{text}}}"))?;
    match nodes.first_mut() {
        Some(Node::List(_)) => Ok(nodes.swap_remove(0)),
        _ => Ok(Node::List(vec![])),
    }
}

/// The filter regexp `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let op_start = text.find(is_op)?;
    if op_start == 0 {
        return None;
    }
    let op_len = text[op_start..].find(|c: char| !is_op(c))?;
    let (left, rest) = text.split_at(op_start);
    let (op, right) = rest.split_at(op_len);
    (!right.is_empty()).then_some((left, op, right))
}

/// The slice regexp `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` and its parameter rules.
fn parse_slice(text: &str) -> Result<[Param; 3], String> {
    let invalid = || format!("invalid array index {text}");
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return Err(invalid());
    }
    let number_like = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        digits.chars().all(|c| c.is_ascii_digit())
    };
    if !parts.iter().all(|p| number_like(p)) {
        return Err(invalid());
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(s) if !s.is_empty() => {
                let value = s
                    .parse::<i64>()
                    .map_err(|_| format!("array index {s} is not a number"))?;
                params[i] = Param {
                    value,
                    known: true,
                    derived: false,
                };
            }
            Some(_) if i > 0 => params[i].known = false,
            _ if i == 1 && parts.len() == 1 => {
                params[1] = Param {
                    value: params[0].value + 1,
                    known: true,
                    derived: true,
                };
            }
            _ => {}
        }
    }
    Ok(params)
}

fn is_terminator(r: char) -> bool {
    r.is_whitespace() || matches!(r, EOF | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

fn is_alphanumeric(r: char) -> bool {
    r == '_' || r.is_alphanumeric()
}

/// Go's `%#U`: `U+0021 '!'`.
fn go_unicode(r: char) -> String {
    format!("U+{:04X} '{r}'", r as u32)
}

/// `UnquoteExtend` + `strconv.Unquote` for `"…"` and `'…'` literals.
fn unquote(s: &str) -> Option<String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '0' => '\0',
            c @ ('\\' | '"' | '\'') => c,
            'u' => char::from_u32(
                u32::from_str_radix(&chars.by_ref().take(4).collect::<String>(), 16).ok()?,
            )?,
            _ => return None,
        });
    }
    Some(out)
}

/// The evaluator state for `range`/`end` (client-go keeps it on the JSONPath).
#[derive(Default)]
struct Eval {
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end: Option<usize>,
    /// Nodes walked so far: unclosed nested ranges (`{range .items[*]}` 40 times, no
    /// `{end}`) make client-go's algorithm exponential; past the limit the template is an
    /// error instead of a page that never answers (found by `make fuzz`).
    steps: u64,
}

/// More work than any real template needs (a range over 10,000 items of 50 nodes each).
const MAX_STEPS: u64 = 1_000_000;

/// Evaluates `template` against `input` and prints the results as kubectl does.
pub fn jsonpath(template: &str, input: &Value) -> Result<String, String> {
    let nodes =
        Parser::parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
    let results = Eval::default()
        .find_results(&nodes, 0, input)
        .map_err(|e| execution_error(template, input, &e))?;
    let mut out = String::new();
    for r in results {
        out.push_str(&print_results(&r));
    }
    Ok(out)
}

/// The message kubectl wraps execution errors in (the object dump is JSON here).
fn execution_error(template: &str, input: &Value, err: &str) -> String {
    format!(
        "error executing jsonpath {template:?}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n",
        to_json_compact(input)
    )
}

/// Parses and evaluates, returning the raw result groups (for columns and sorting).
pub fn find_results(template: &str, input: &Value) -> Result<Vec<Vec<Value>>, String> {
    let nodes = Parser::parse(template)?;
    Eval::default().find_results(&nodes, 0, input)
}

/// The first result of a relaxed path (`.spec.x` or `{.spec.x}`), as CRD printer columns
/// use it; `None` when missing or invalid.
pub fn first_result(path: &str, input: &Value) -> Option<Value> {
    let template = relaxed_expression(path).ok()?;
    let results = find_results(&template, input).ok()?;
    results.into_iter().next()?.into_iter().next()
}

impl Eval {
    fn find_results(
        &mut self,
        nodes: &[Node],
        offset: usize,
        data: &Value,
    ) -> Result<Vec<Vec<Value>>, String> {
        let mut full = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return Err(format!(
                    "the template needs more than {MAX_STEPS} steps (an unclosed range inside a range?)"
                ));
            }
            let results = self.walk(vec![data.clone()], &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(offset + i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                let body = &nodes[i + 1..];
                if results.is_empty() {
                    self.find_results(body, offset + i + 1, &Value::Null)?;
                } else {
                    for value in &results {
                        full.extend(self.find_results(body, offset + i + 1, value)?);
                    }
                }
                self.in_range -= 1;
                if let Some(end) = self
                    .last_end
                    .filter(|e| *e > offset + i && *e < offset + nodes.len())
                {
                    i = end - offset;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk(&mut self, input: Vec<Value>, node: &Node) -> Result<Vec<Value>, String> {
        match node {
            Node::List(nodes) => {
                let mut cur = input;
                for n in nodes {
                    cur = self.walk(cur, n)?;
                }
                Ok(cur)
            }
            Node::Text(t) => Ok(vec![Value::String(t.clone())]),
            Node::Field(name) => Ok(eval_field(&input, name)),
            Node::Array(params) => eval_array(&input, params),
            Node::Filter(left, right, op) => self.eval_filter(&input, left, right, op),
            Node::Int(i) => Ok(input.iter().map(|_| Value::from(*i)).collect()),
            Node::Float(f) => Ok(input
                .iter()
                .map(|_| serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number))
                .collect()),
            Node::Bool(b) => Ok(input.iter().map(|_| Value::Bool(*b)).collect()),
            Node::Wildcard => Ok(eval_wildcard(&input)),
            Node::Recursive => Ok(eval_recursive(&input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for list in lists {
                    out.extend(self.walk(input.clone(), list)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    Ok(input)
                }
                "end" if self.in_range > 0 => {
                    self.end_range += 1;
                    Ok(vec![])
                }
                "end" => Err("not in range, nothing to end".to_string()),
                other => Err(format!("unrecognized identifier {other}")),
            },
        }
    }

    fn eval_filter(
        &mut self,
        input: &[Value],
        left: &Node,
        right: &Node,
        op: &str,
    ) -> Result<Vec<Value>, String> {
        let mut results = Vec::new();
        for value in input {
            let Value::Array(items) = value else {
                return Err(format!(
                    "{} is not array or slice and cannot be filtered",
                    go_value(value)
                ));
            };
            for item in items {
                let lefts = self.walk(vec![item.clone()], left);
                if op == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        results.push(item.clone());
                    }
                    continue;
                }
                let lefts = lefts?;
                let Some(l) = single(&lefts)? else { continue };
                let rights = self.walk(vec![item.clone()], right)?;
                let Some(r) = single(&rights)? else { continue };
                if compare(l, r, op)? {
                    results.push(item.clone());
                }
            }
        }
        Ok(results)
    }
}

fn single(values: &[Value]) -> Result<Option<&Value>, String> {
    match values.len() {
        0 => Ok(None),
        1 => Ok(values.first()),
        _ => Err("can only compare one element at a time".to_string()),
    }
}

/// `template.Equal/Less/…` on basic kinds.
fn compare(left: &Value, right: &Value, op: &str) -> Result<bool, String> {
    use std::cmp::Ordering;
    let ordering = match (left, right) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) if a.is_f64() == b.is_f64() => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::Bool(a), Value::Bool(b)) if op == "==" || op == "!=" => a.cmp(b),
        (Value::Bool(_), Value::Bool(_)) => return Err("invalid type for comparison".to_string()),
        _ => return Err("incompatible types for comparison".to_string()),
    };
    Ok(match op {
        "==" => ordering == Ordering::Equal,
        "!=" => ordering != Ordering::Equal,
        "<" => ordering == Ordering::Less,
        ">" => ordering == Ordering::Greater,
        "<=" => ordering != Ordering::Greater,
        ">=" => ordering != Ordering::Less,
        other => return Err(format!("unrecognized filter operator {other}")),
    })
}

fn eval_field(input: &[Value], name: &str) -> Vec<Value> {
    input
        .iter()
        .filter_map(|v| match v {
            Value::Object(m) => m.get(name).cloned(),
            _ => None,
        })
        .collect()
}

fn eval_array(input: &[Value], params: &[Param; 3]) -> Result<Vec<Value>, String> {
    let mut results = Vec::new();
    for value in input {
        let items = match value {
            Value::Null => continue,
            Value::Array(items) => items,
            other => return Err(format!("{} is not array or slice", go_type(other))),
        };
        let len = items.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            continue;
        }
        if p[0].value >= len || p[0].value < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                p[0].value
            ));
        }
        if p[1].value > len || p[1].value < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                p[1].value - 1
            ));
        }
        if p[0].value > p[1].value {
            return Err(format!(
                "starting index {} is greater than ending index {}",
                p[0].value, p[1].value
            ));
        }
        let step = if p[2].known {
            if p[2].value <= 0 {
                return Err("step must be > 0".to_string());
            }
            p[2].value as usize
        } else {
            1
        };
        let slice = &items[p[0].value as usize..p[1].value as usize];
        results.extend(slice.iter().step_by(step).cloned());
    }
    Ok(results)
}

fn eval_wildcard(input: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for v in input {
        match v {
            Value::Object(m) => out.extend(m.values().cloned()),
            Value::Array(a) => out.extend(a.iter().cloned()),
            _ => {}
        }
    }
    out
}

fn eval_recursive(input: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for v in input {
        let children: Vec<Value> = match v {
            Value::Object(m) => m.values().cloned().collect(),
            Value::Array(a) => a.clone(),
            Value::String(s) if !s.is_empty() => vec![Value::Null],
            _ => vec![],
        };
        if !children.is_empty() {
            out.push(v.clone());
            if !v.is_string() {
                out.extend(eval_recursive(&children));
            }
        }
    }
    out
}

/// Go's type name as a reflect error shows it.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "interface {}",
    }
}

/// Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Null => "<nil>".to_string(),
        other => format_value(other),
    }
}

/// How `PrintResults` shows one value: maps and arrays as compact JSON, null as
/// `<no value>`, scalars as text.
pub fn format_value(v: &Value) -> String {
    match v {
        Value::Object(_) | Value::Array(_) => to_json_compact(v),
        Value::String(s) => s.clone(),
        Value::Null => "<no value>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
    }
}

/// `PrintResults`: values separated by single spaces.
fn print_results(results: &[Value]) -> String {
    results
        .iter()
        .map(format_value)
        .collect::<Vec<_>>()
        .join(" ")
}

/// cli-runtime `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}`, `{.a.b}` → `{.a.b}`.
pub fn relaxed_expression(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let braced = path.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
    let inner = braced.unwrap_or(path);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string());
    }
    Ok(format!("{{.{inner}}}"))
}

/// `-o custom-columns=HEADER:path,…` over `objects`, aligned like kubectl's table.
pub fn custom_columns(spec: &str, objects: &[&Value], no_headers: bool) -> Result<String, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".to_string());
    }
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            ));
        };
        let template = relaxed_expression(path)?;
        let nodes = Parser::parse(&template)
            .map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
        columns.push((header, nodes));
    }
    let mut text = String::new();
    if !no_headers {
        text.push_str(
            &columns
                .iter()
                .map(|(h, _)| *h)
                .collect::<Vec<_>>()
                .join("\t"),
        );
        text.push('\n');
    }
    for obj in objects {
        let mut cells = Vec::new();
        for (_, nodes) in &columns {
            let groups = Eval::default().find_results(nodes, 0, obj)?;
            let values: Vec<String> = groups.iter().flatten().map(go_value).collect();
            let empty = groups.first().is_none_or(|g| g.is_empty());
            cells.push(if empty && values.is_empty() {
                "<none>".to_string()
            } else {
                values.join(",")
            });
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok(TABLE.format(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::json::json;

    fn pods() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}}, "spec": {"replicas": 1, "containers": [{"image": "nginx"}, {"image": "busybox"}]},
             "status": {"phase": "Running", "podIP": "10.244.1.5", "conditions": [{"type": "Ready", "status": "True"}, {"type": "Initialized", "status": "True"}]}},
            {"metadata": {"name": "b"}, "spec": {"replicas": 3, "containers": [{"image": "redis"}]},
             "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]}}
        ]})
    }

    #[test]
    fn templates() {
        let v = pods();
        let cases = [
            ("{.items[*].metadata.name}", "a b"),
            ("{.items[0].status.podIP}", "10.244.1.5"),
            (
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}",
                "a\tRunning\nb\tPending\n",
            ),
            (
                "{.items[0].status.conditions[?(@.type==\"Ready\")].status}",
                "True",
            ),
            ("{.items[?(@.spec.replicas>1)].metadata.name}", "b"),
            ("{..image}", "nginx busybox redis"),
            ("{.items[0:2].metadata.name}", "a b"),
            ("{.items[-1:].metadata.name}", "b"),
            ("{.items[0].metadata.labels.*}", "web"),
            ("name: {.items[1].metadata.name}!", "name: b!"),
            ("{.items[0].metadata.labels}", "{\"app\":\"web\"}"),
            ("{.items[0].spec.containers[*].image}", "nginx busybox"),
            ("{.items[0].metadata['name']}", "a"),
            ("{.items[0,1].metadata.name}", "a b"),
            ("{.missing.field}", ""),
            ("{.items[?(@.metadata.labels)].metadata.name}", "a"),
            ("{.kind}{\"\\n\"}", "List\n"),
            (
                "{range .items[*]}[{.metadata.name}]{end} done",
                "[a][b] done",
            ),
        ];
        for (template, want) in cases {
            assert_eq!(
                jsonpath(template, &v).as_deref(),
                Ok(want),
                "template {template}"
            );
        }
    }

    #[test]
    fn parse_errors_match_kubectl() {
        let v = pods();
        assert_eq!(
            jsonpath("{.foo", &v).unwrap_err(),
            "error parsing jsonpath {.foo, unclosed action"
        );
        assert_eq!(
            jsonpath("{.x[}", &v).unwrap_err(),
            "error parsing jsonpath {.x[}, unterminated array"
        );
        assert_eq!(
            jsonpath("{.a[x]}", &v).unwrap_err(),
            "error parsing jsonpath {.a[x]}, invalid array index x"
        );
        assert_eq!(jsonpath("{end}", &v).unwrap_err().lines().next(), Some("error executing jsonpath \"{end}\": Error executing template: not in range, nothing to end. Printing more information for debugging the template:"));
        assert!(jsonpath("{.items[9]}", &v)
            .unwrap_err()
            .contains("array index out of bounds: index 9, length 2"));
    }

    #[test]
    fn custom_columns_table() {
        let v = pods();
        let items: Vec<&Value> = v["items"].as_array().unwrap().iter().collect();
        let out = custom_columns(
            "NAME:.metadata.name,IMAGE:.spec.containers[*].image,IP:{.status.podIP}",
            &items,
            false,
        )
        .unwrap();
        assert_eq!(out, "NAME   IMAGE           IP\na      nginx,busybox   10.244.1.5\nb      redis           <none>\n");
        assert!(custom_columns("NAME", &items, false)
            .unwrap_err()
            .starts_with("unexpected custom-columns spec: NAME"));
    }

    #[test]
    fn first_result_for_printer_columns() {
        let v = json!({"spec": {"replicas": 3}});
        assert_eq!(first_result(".spec.replicas", &v), Some(json!(3)));
        assert_eq!(first_result(".spec.none", &v), None);
    }
}
