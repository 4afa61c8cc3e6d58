//! The text tools a pipeline may use, on strings: what tutorials pipe `kubectl` into.
//!
//! | tool | supported |
//! |------|-----------|
//! | `cat` | stdin (or `-`) passes through; file arguments: no such file |
//! | `echo` | `-n`, `-e`, `-E` |
//! | `true`, `false` | status 0 / 1 |
//! | `grep` | `-i -v -c -w -x -o -n -q -E -F -e PAT` (combinable, long forms too); BRE by default, ERE with `-E` (see `regex.rs`); status 1 when nothing matched |
//! | `head` | `-n N`, `-N`, `-nN`, `--lines=N`, `-n -N` (all but the last N), `-c N` |
//! | `tail` | `-n N`, `-N`, `-n +N`, `+N`, `-c N`; `-f` is ignored (the input is finite) |
//! | `wc` | `-l -w -c -m`, none = all three, GNU's column widths |
//! | `sort` | `-r -n -u -k N -t X`; byte order (as with `LC_ALL=C`) |
//! | `uniq` | `-c -d -u` |
//! | `cut` | `-d X -f LIST`, `-c LIST`, `-s`; LIST like `1`, `1,3`, `2-`, `-2`, `1-3` |
//! | `awk` | `[-F X] '{print …}'` with `$N`, `$NF`, `$0`, `NF`, `NR` and `"strings"`, `,` = space |
//! | `tr` | `SET1 SET2`, `-d SET`, `-s SET`; ranges `a-z`, `\n`, `\t`, `[:upper:]`/`[:lower:]`/`[:space:]`/`[:digit:]` |
//! | `base64` | encode (76-column lines, `-w N`), `-d` / `--decode` |
//!
//! Anything else (`jq`, `xargs`, `yq`, …) is `bash: NAME: command not found` (status 127).

use super::regex::Regex;
use crate::sim::sort::SharedSort;

/// What a tool printed and its exit status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ToolOutput {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl ToolOutput {
    fn ok(stdout: String) -> ToolOutput {
        ToolOutput {
            stdout,
            stderr: String::new(),
            status: 0,
        }
    }

    fn err(stderr: String, status: i32) -> ToolOutput {
        let stderr = if stderr.ends_with('\n') {
            stderr
        } else {
            stderr + "\n"
        };
        ToolOutput {
            stdout: String::new(),
            stderr,
            status,
        }
    }
}

/// Runs a tool on `input` (its stdin). Never panics.
pub fn run_tool(argv: &[String], input: &str) -> ToolOutput {
    let Some(name) = argv.first() else {
        return ToolOutput::ok(input.to_string());
    };
    let args = &argv[1..];
    match name.as_str() {
        "cat" => cat(args, input),
        "echo" => ToolOutput::ok(echo(args)),
        "true" | ":" => ToolOutput::ok(String::new()),
        "false" => ToolOutput {
            status: 1,
            ..Default::default()
        },
        "grep" => grep(args, input, false),
        "egrep" => grep(args, input, true),
        "head" => head_tail(args, input, true),
        "tail" => head_tail(args, input, false),
        "wc" => wc(args, input),
        "sort" => sort(args, input),
        "uniq" => uniq(args, input),
        "cut" => cut(args, input),
        "awk" => awk(args, input),
        "tr" => tr(args, input),
        "base64" => base64(args, input),
        _ => ToolOutput::err(format!("bash: {name}: command not found"), 127),
    }
}

/// [`run_tool`] reduced to output or error: `Err(stderr)` when the tool wrote to stderr
/// (unknown tool, bad option), `Ok(stdout)` otherwise — including `grep` finding nothing,
/// whose status 1 only [`run_tool`] reports.
pub fn run_filter(argv: &[String], input: &str) -> Result<String, String> {
    let out = run_tool(argv, input);
    if out.stderr.is_empty() {
        Ok(out.stdout)
    } else {
        Err(out.stderr.trim_end_matches('\n').to_string())
    }
}

/// Lines of the input, without their newlines (a missing final newline is tolerated).
fn lines(input: &str) -> Vec<&str> {
    let body = input.strip_suffix('\n').unwrap_or(input);
    if input.is_empty() {
        Vec::new()
    } else {
        body.split('\n').collect()
    }
}

fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    lines.iter().map(|l| format!("{}\n", l.as_ref())).collect()
}

fn invalid_option(tool: &str, opt: char) -> ToolOutput {
    ToolOutput::err(
        format!("{tool}: invalid option -- '{opt}'\nTry '{tool} --help' for more information."),
        if tool == "grep" { 2 } else { 1 },
    )
}

fn no_file(tool: &str, file: &str) -> ToolOutput {
    let msg = match tool {
        "head" | "tail" => {
            format!("{tool}: cannot open '{file}' for reading: No such file or directory")
        }
        _ => format!("{tool}: {file}: No such file or directory"),
    };
    ToolOutput::err(msg, if tool == "grep" { 2 } else { 1 })
}

fn cat(args: &[String], input: &str) -> ToolOutput {
    match args
        .iter()
        .find(|a| a.as_str() != "-" && !a.starts_with('-'))
    {
        Some(file) => no_file("cat", file),
        None => ToolOutput::ok(input.to_string()),
    }
}

fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let flags = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)));
        let Some(flags) = flags else { break };
        for f in flags.chars() {
            match f {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut out = args[i..].join(" ");
    if escapes {
        out = out
            .replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace("\\\\", "\\");
    }
    if newline {
        out.push('\n');
    }
    out
}

#[derive(Default)]
struct GrepOpts {
    ignore_case: bool,
    invert: bool,
    count: bool,
    word: bool,
    line: bool,
    only: bool,
    number: bool,
    quiet: bool,
    extended: bool,
    fixed: bool,
    patterns: Vec<String>,
    files: Vec<String>,
}

const GREP_USAGE: &str =
    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

fn grep_opts(args: &[String], extended: bool) -> Result<GrepOpts, ToolOutput> {
    let mut o = GrepOpts {
        extended,
        ..Default::default()
    };
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "ignore-case" => o.ignore_case = true,
                "invert-match" => o.invert = true,
                "count" => o.count = true,
                "word-regexp" => o.word = true,
                "line-regexp" => o.line = true,
                "only-matching" => o.only = true,
                "line-number" => o.number = true,
                "quiet" | "silent" => o.quiet = true,
                "extended-regexp" => o.extended = true,
                "fixed-strings" => o.fixed = true,
                "color" | "colour" | "color=never" | "color=auto" | "colour=auto" => {}
                _ => match long.strip_prefix("regexp=") {
                    Some(p) => o.patterns.push(p.to_string()),
                    None => {
                        return Err(ToolOutput::err(
                            format!("grep: unrecognized option '{a}'\n{GREP_USAGE}"),
                            2,
                        ))
                    }
                },
            }
            continue;
        }
        let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else {
            positional.push(a.clone());
            continue;
        };
        for (j, f) in flags.char_indices() {
            match f {
                'i' | 'y' => o.ignore_case = true,
                'v' => o.invert = true,
                'c' => o.count = true,
                'w' => o.word = true,
                'x' => o.line = true,
                'o' => o.only = true,
                'n' => o.number = true,
                'q' | 's' => o.quiet = o.quiet || f == 'q',
                'E' => o.extended = true,
                'F' => o.fixed = true,
                'G' => o.extended = false,
                'h' | 'H' => {}
                'e' => {
                    let rest = &flags[j + 1..];
                    if !rest.is_empty() {
                        o.patterns.push(rest.to_string());
                    } else if let Some(p) = args.get(i) {
                        o.patterns.push(p.clone());
                        i += 1;
                    } else {
                        return Err(ToolOutput::err(
                            format!("grep: option requires an argument -- 'e'\n{GREP_USAGE}"),
                            2,
                        ));
                    }
                    break;
                }
                _ => {
                    return Err(ToolOutput::err(
                        format!("grep: invalid option -- '{f}'\n{GREP_USAGE}"),
                        2,
                    ))
                }
            }
        }
    }
    let mut positional = positional.into_iter();
    if o.patterns.is_empty() {
        match positional.next() {
            Some(p) => o.patterns.push(p),
            None => return Err(ToolOutput::err(GREP_USAGE.into(), 2)),
        }
    }
    o.files = positional.collect();
    Ok(o)
}

enum Matcher {
    Fixed(Vec<String>),
    Regexes(Vec<Regex>),
}

fn grep(args: &[String], input: &str, extended: bool) -> ToolOutput {
    let o = match grep_opts(args, extended) {
        Ok(o) => o,
        Err(e) => return e,
    };
    if let Some(f) = o.files.iter().find(|f| f.as_str() != "-") {
        return no_file("grep", f);
    }
    // A pattern argument may hold several patterns, one per line.
    let patterns: Vec<String> = o
        .patterns
        .iter()
        .flat_map(|p| p.split('\n'))
        .map(String::from)
        .collect();
    let matcher = if o.fixed {
        Matcher::Fixed(patterns)
    } else {
        match patterns
            .iter()
            .map(|p| Regex::new(p, o.extended, o.ignore_case))
            .collect()
        {
            Ok(r) => Matcher::Regexes(r),
            Err(e) => return ToolOutput::err(format!("grep: {e}"), 2),
        }
    };
    let mut out = String::new();
    let mut count = 0;
    for (n, line) in lines(input).into_iter().enumerate() {
        let found = find_all(&matcher, &o, line);
        if found.is_empty() == o.invert {
            count += 1;
            if o.quiet || o.count {
                continue;
            }
            let prefix = if o.number {
                format!("{}:", n + 1)
            } else {
                String::new()
            };
            if o.only && !o.invert {
                for (s, e) in found {
                    let text: String = line.chars().skip(s).take(e - s).collect();
                    out.push_str(&format!("{prefix}{text}\n"));
                }
            } else {
                out.push_str(&format!("{prefix}{line}\n"));
            }
        }
    }
    if o.count {
        out = format!("{count}\n");
    }
    ToolOutput {
        stdout: out,
        stderr: String::new(),
        status: if count > 0 { 0 } else { 1 },
    }
}

/// Non-empty matches in a line (as char ranges), honouring `-w` and `-x`.
fn find_all(matcher: &Matcher, o: &GrepOpts, line: &str) -> Vec<(usize, usize)> {
    let is_word = |c: &char| c.is_alphanumeric() || *c == '_';
    let accept = |chars: &[char], s: usize, e: usize| {
        if o.line {
            return s == 0 && e == chars.len();
        }
        if o.word {
            let before_ok = s == 0 || !is_word(&chars[s - 1]);
            let after_ok = e >= chars.len() || !is_word(&chars[e]);
            return before_ok && after_ok && e > s;
        }
        true
    };
    let mut found = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut from = 0;
    while from <= chars.len() {
        let rest: String = chars[from..].iter().collect();
        let shifted = |c: &[char], s: usize, e: usize| {
            let _ = c;
            accept(&chars, s + from, e + from)
        };
        let hit = match matcher {
            Matcher::Fixed(ps) => ps
                .iter()
                .filter_map(|p| find_fixed(&rest, p, o.ignore_case, &shifted))
                .min(),
            Matcher::Regexes(rs) => rs.iter().filter_map(|r| r.find(&rest, &shifted)).min(),
        };
        let Some((s, e)) = hit else { break };
        if e > s || !o.only {
            found.push((s + from, e + from));
        }
        if !o.only {
            break; // one match decides the line
        }
        from += e.max(s + 1);
    }
    found
}

/// Leftmost fixed-string match (char offsets) accepted by `accept`.
fn find_fixed(
    text: &str,
    pattern: &str,
    ignore_case: bool,
    accept: &dyn Fn(&[char], usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect()
        } else {
            s.chars().collect()
        }
    };
    let (t, p) = (fold(text), fold(pattern));
    (0..=t.len().saturating_sub(p.len()))
        .filter(|&s| t.len() >= p.len() && t[s..s + p.len()] == p[..])
        .map(|s| (s, s + p.len()))
        .find(|&(s, e)| accept(&t, s, e))
}

/// Parses a count argument like GNU (`-n 5`, `-n5`, `-5`, `--lines=5`, `+5`, `-n -5`).
enum Count {
    First(usize),
    AllButLast(usize),
    FromLine(usize),
}

fn head_tail(args: &[String], input: &str, head: bool) -> ToolOutput {
    let tool = if head { "head" } else { "tail" };
    let mut count = if head {
        Count::First(10)
    } else {
        Count::AllButLast(10)
    };
    let mut bytes = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let value = if let Some(v) = a.strip_prefix("--lines=") {
            v.to_string()
        } else if let Some(v) = a.strip_prefix("--bytes=") {
            bytes = true;
            v.to_string()
        } else if a == "-n" || a == "-c" {
            bytes = a == "-c";
            match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return ToolOutput::err(format!("{tool}: option requires an argument -- '{}'\nTry '{tool} --help' for more information.", &a[1..]), 1),
            }
        } else if let Some(v) = a
            .strip_prefix("-n")
            .or_else(|| a.strip_prefix("-c").inspect(|_| bytes = true))
        {
            v.to_string()
        } else if a == "-f" || a == "-F" || a == "--follow" || a == "-q" || a == "-v" {
            continue;
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            a[1..].to_string()
        } else if !head
            && a.len() > 1
            && a.starts_with('+')
            && a[1..].chars().all(|c| c.is_ascii_digit())
        {
            a.to_string()
        } else if let Some(f) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            return invalid_option(tool, f.chars().next().unwrap_or('-'));
        } else if a == "-" {
            continue;
        } else {
            return no_file(tool, a);
        };
        let (sign, digits) = match value.chars().next() {
            Some(c @ ('+' | '-')) => (Some(c), &value[1..]),
            _ => (None, value.as_str()),
        };
        let Ok(n) = digits.parse::<usize>() else {
            let what = if bytes { "bytes" } else { "lines" };
            return ToolOutput::err(format!("{tool}: invalid number of {what}: ‘{value}’"), 1);
        };
        count = match (head, sign) {
            (true, Some('-')) => Count::AllButLast(n),
            (true, _) => Count::First(n),
            (false, Some('+')) => Count::FromLine(n),
            (false, _) => Count::AllButLast(n),
        };
    }
    let units: Vec<String> = if bytes {
        input.chars().map(String::from).collect()
    } else {
        input.split_inclusive('\n').map(String::from).collect()
    };
    let len = units.len();
    let range = match (head, count) {
        (true, Count::First(n)) => 0..n.min(len),
        (true, Count::AllButLast(n)) => 0..len.saturating_sub(n),
        (false, Count::AllButLast(n)) => len.saturating_sub(n)..len,
        (false, Count::FromLine(n)) => n.saturating_sub(1).min(len)..len,
        (_, _) => 0..len,
    };
    ToolOutput::ok(units[range].concat())
}

fn wc(args: &[String], input: &str) -> ToolOutput {
    let (mut l, mut w, mut c) = (false, false, false);
    for a in args {
        match a.as_str() {
            "-l" | "--lines" => l = true,
            "-w" | "--words" => w = true,
            "-c" | "-m" | "--bytes" | "--chars" => c = true,
            "-" => {}
            s if s.starts_with('-') && s.len() > 1 => {
                for f in s[1..].chars() {
                    match f {
                        'l' => l = true,
                        'w' => w = true,
                        'c' | 'm' => c = true,
                        _ => return invalid_option("wc", f),
                    }
                }
            }
            file => return no_file("wc", file),
        }
    }
    if !(l || w || c) {
        (l, w, c) = (true, true, true);
    }
    let mut counts = Vec::new();
    if l {
        counts.push(input.matches('\n').count());
    }
    if w {
        counts.push(input.split_whitespace().count());
    }
    if c {
        let byte_flag = args.iter().any(|a| a == "-c" || a == "--bytes")
            || !args.iter().any(|a| a.contains('m'));
        counts.push(if byte_flag {
            input.len()
        } else {
            input.chars().count()
        });
    }
    let out = if counts.len() == 1 {
        counts[0].to_string()
    } else {
        counts
            .iter()
            .map(|n| format!("{n:>7}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    ToolOutput::ok(out + "\n")
}

/// Leading number of a string as `sort -n` reads it (no number sorts as 0).
fn numeric_key(s: &str) -> f64 {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .take_while(|&(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
        .count();
    s[..end].parse().unwrap_or(0.0)
}

fn sort(args: &[String], input: &str) -> ToolOutput {
    let (mut reverse, mut numeric, mut unique) = (false, false, false);
    let mut key: Option<usize> = None;
    let mut sep: Option<char> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let mut take_value = |inline: &str| -> Option<String> {
            if !inline.is_empty() {
                Some(inline.to_string())
            } else {
                i += 1;
                args.get(i - 1).cloned()
            }
        };
        if let Some(v) = a.strip_prefix("-k") {
            let v = take_value(v).unwrap_or_default();
            let field = v
                .split([',', '.'])
                .next()
                .unwrap_or("")
                .trim_end_matches(|c: char| c.is_alphabetic());
            match field.parse::<usize>() {
                Ok(n) if n > 0 => key = Some(n),
                _ => {
                    return ToolOutput::err(
                        format!(
                            "sort: invalid number at field start: invalid count at start of ‘{v}’"
                        ),
                        2,
                    )
                }
            }
            numeric |= v.ends_with('n');
            reverse |= v.ends_with('r');
        } else if let Some(v) = a.strip_prefix("-t") {
            sep = take_value(v).and_then(|s| s.chars().next());
        } else if a == "-" {
        } else if let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !f.starts_with('-'))
        {
            for f in flags.chars() {
                match f {
                    'r' => reverse = true,
                    'n' | 'g' | 'h' => numeric = true,
                    'u' => unique = true,
                    'b' | 'f' | 'V' | 's' => {}
                    _ => return invalid_option("sort", f),
                }
            }
        } else {
            return no_file("sort", a);
        }
    }
    let field = |line: &str| -> String {
        match key {
            None => line.to_string(),
            Some(k) => match sep {
                Some(c) => line
                    .split(c)
                    .skip(k - 1)
                    .collect::<Vec<_>>()
                    .join(&c.to_string()),
                None => line
                    .split_whitespace()
                    .skip(k - 1)
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        }
    };
    let mut ls: Vec<&str> = lines(input);
    ls.sort_shared_by(|a, b| {
        let (ka, kb) = (field(a), field(b));
        let ord = if numeric {
            numeric_key(&ka)
                .partial_cmp(&numeric_key(&kb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            ka.cmp(&kb)
        };
        ord.then_with(|| a.cmp(b))
    });
    if reverse {
        ls.reverse();
    }
    if unique {
        ls.dedup_by(|a, b| field(a) == field(b));
    }
    ToolOutput::ok(join_lines(&ls))
}

fn uniq(args: &[String], input: &str) -> ToolOutput {
    let (mut count, mut dups, mut uniques) = (false, false, false);
    for a in args {
        match a.strip_prefix('-').filter(|f| !f.is_empty()) {
            Some(flags) => {
                for f in flags.chars() {
                    match f {
                        'c' => count = true,
                        'd' => dups = true,
                        'u' => uniques = true,
                        _ => return invalid_option("uniq", f),
                    }
                }
            }
            None => return no_file("uniq", a),
        }
    }
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in lines(input) {
        match groups.last_mut() {
            Some((n, l)) if *l == line => *n += 1,
            _ => groups.push((1, line)),
        }
    }
    let out: Vec<String> = groups
        .into_iter()
        .filter(|(n, _)| (!dups || *n > 1) && (!uniques || *n == 1))
        .map(|(n, l)| {
            if count {
                format!("{n:>7} {l}")
            } else {
                l.to_string()
            }
        })
        .collect();
    ToolOutput::ok(join_lines(&out))
}

/// A `cut` LIST: 1-based inclusive ranges.
fn parse_list(list: &str) -> Option<Vec<(usize, usize)>> {
    list.split(',')
        .map(|part| {
            let num = |s: &str, default: usize| {
                if s.is_empty() {
                    Some(default)
                } else {
                    s.parse().ok()
                }
            };
            let (lo, hi) = match part.split_once('-') {
                Some((a, b)) => (num(a, 1)?, num(b, usize::MAX)?),
                None => {
                    let n = part.parse().ok()?;
                    (n, n)
                }
            };
            (lo >= 1 && lo <= hi && !part.is_empty() && part != "-").then_some((lo, hi))
        })
        .collect()
}

fn cut(args: &[String], input: &str) -> ToolOutput {
    let mut delim = '\t';
    let mut fields: Option<String> = None;
    let mut chars: Option<String> = None;
    let mut only_delimited = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let mut value = |rest: &str| -> Option<String> {
            if rest.is_empty() {
                i += 1;
                args.get(i - 1).cloned()
            } else {
                Some(rest.to_string())
            }
        };
        if let Some(v) = a.strip_prefix("-d") {
            let v = value(v).unwrap_or_default();
            let mut cs = v.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => delim = c,
                _ => return ToolOutput::err("cut: the delimiter must be a single character\nTry 'cut --help' for more information.".into(), 1),
            }
        } else if let Some(v) = a.strip_prefix("-f") {
            fields = value(v);
        } else if let Some(v) = a.strip_prefix("-c").or_else(|| a.strip_prefix("-b")) {
            chars = value(v);
        } else if a == "-s" {
            only_delimited = true;
        } else if a.starts_with('-') && a != "-" {
            return invalid_option("cut", a.chars().nth(1).unwrap_or('-'));
        } else if a != "-" {
            return no_file("cut", a);
        }
    }
    let (list, by_field) = match (fields, chars) {
        (Some(l), None) => (l, true),
        (None, Some(l)) => (l, false),
        (Some(_), Some(_)) => return ToolOutput::err("cut: only one type of list may be specified\nTry 'cut --help' for more information.".into(), 1),
        (None, None) => return ToolOutput::err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.".into(), 1),
    };
    let Some(ranges) = parse_list(&list) else {
        return ToolOutput::err(
            format!("cut: invalid field value ‘{list}’\nTry 'cut --help' for more information."),
            1,
        );
    };
    let selected = |n: usize| ranges.iter().any(|&(lo, hi)| lo <= n && n <= hi);
    let mut out = Vec::new();
    for line in lines(input) {
        if by_field {
            if !line.contains(delim) {
                if !only_delimited {
                    out.push(line.to_string());
                }
                continue;
            }
            let picked: Vec<&str> = line
                .split(delim)
                .enumerate()
                .filter(|(n, _)| selected(n + 1))
                .map(|(_, f)| f)
                .collect();
            out.push(picked.join(&delim.to_string()));
        } else {
            out.push(
                line.chars()
                    .enumerate()
                    .filter(|(n, _)| selected(n + 1))
                    .map(|(_, c)| c)
                    .collect(),
            );
        }
    }
    ToolOutput::ok(join_lines(&out))
}

/// One item of an awk `print` list.
enum AwkItem {
    Field(usize),
    LastField,
    Nf,
    Nr,
    Str(String),
}

/// Parses `{print …}` / `{ print $1, $2 }` / `{print}`; `None` if it is anything else.
/// Items separated by `,` join with a space; juxtaposed items concatenate.
fn parse_awk(program: &str) -> Option<Vec<Vec<AwkItem>>> {
    let body = program
        .trim()
        .strip_prefix('{')?
        .strip_suffix('}')?
        .trim()
        .trim_end_matches(';')
        .trim();
    let args = body.strip_prefix("print")?;
    if !args.is_empty() && !args.starts_with([' ', '\t']) {
        return None;
    }
    let args = args.trim();
    if args.is_empty() {
        return Some(vec![vec![AwkItem::Field(0)]]);
    }
    let mut groups = vec![Vec::new()];
    let chars: Vec<char> = args.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            ' ' | '\t' => i += 1,
            ',' => {
                groups.push(Vec::new());
                i += 1;
            }
            '"' => {
                let end = chars[i + 1..].iter().position(|&c| c == '"')? + i + 1;
                let s: String = chars[i + 1..end].iter().collect();
                groups
                    .last_mut()?
                    .push(AwkItem::Str(s.replace("\\t", "\t").replace("\\n", "\n")));
                i = end + 1;
            }
            '$' => {
                let rest: String = chars[i + 1..].iter().collect();
                let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                if !digits.is_empty() {
                    groups
                        .last_mut()?
                        .push(AwkItem::Field(digits.parse().ok()?));
                    i += 1 + digits.len();
                } else if rest.starts_with("NF") {
                    groups.last_mut()?.push(AwkItem::LastField);
                    i += 3;
                } else {
                    return None;
                }
            }
            _ => {
                let rest: String = chars[i..].iter().collect();
                if rest.starts_with("NF") {
                    groups.last_mut()?.push(AwkItem::Nf);
                } else if rest.starts_with("NR") {
                    groups.last_mut()?.push(AwkItem::Nr);
                } else {
                    return None;
                }
                i += 2;
            }
        }
    }
    groups.iter().all(|g| !g.is_empty()).then_some(groups)
}

fn awk(args: &[String], input: &str) -> ToolOutput {
    let mut sep: Option<String> = None;
    let mut program = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if let Some(v) = a.strip_prefix("-F") {
            sep = if v.is_empty() {
                i += 1;
                args.get(i - 1).cloned()
            } else {
                Some(v.to_string())
            };
        } else if program.is_none() {
            program = Some(a.clone());
        } else {
            return ToolOutput::err(
                format!("awk: cannot open \"{a}\" (No such file or directory)"),
                2,
            );
        }
    }
    let Some(program) = program else {
        return ToolOutput::err("usage: awk [-F fs] 'prog' [file ...]".into(), 2);
    };
    let Some(groups) = parse_awk(&program) else {
        return ToolOutput::err(
            format!("awk: kubesim's awk only runs '{{print $N, …}}' programs, not '{program}'"),
            2,
        );
    };
    let sep = sep.map(|s| if s == "\\t" { "\t".to_string() } else { s });
    let mut out = String::new();
    for (nr, line) in lines(input).into_iter().enumerate() {
        let fields: Vec<&str> = match sep.as_deref() {
            Some(s) if s != " " => line.split(s).collect(),
            _ => line.split_whitespace().collect(),
        };
        let field = |n: usize| {
            if n == 0 {
                line.to_string()
            } else {
                fields.get(n - 1).unwrap_or(&"").to_string()
            }
        };
        let rendered: Vec<String> = groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|item| match item {
                        AwkItem::Field(n) => field(*n),
                        AwkItem::LastField => field(fields.len()),
                        AwkItem::Nf => fields.len().to_string(),
                        AwkItem::Nr => (nr + 1).to_string(),
                        AwkItem::Str(s) => s.clone(),
                    })
                    .collect()
            })
            .collect();
        out.push_str(&rendered.join(" "));
        out.push('\n');
    }
    ToolOutput::ok(out)
}

/// Expands a `tr` set: ranges, escapes and a few classes.
fn tr_set(set: &str) -> Vec<char> {
    let mut set = set.to_string();
    for (class, chars) in [
        ("[:upper:]", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ("[:lower:]", "abcdefghijklmnopqrstuvwxyz"),
        ("[:digit:]", "0123456789"),
        ("[:space:]", " \t\n\r\x0b\x0c"),
        ("[:blank:]", " \t"),
    ] {
        set = set.replace(class, chars);
    }
    let mut raw = Vec::new();
    let mut chars = set.chars();
    while let Some(c) = chars.next() {
        raw.push(if c == '\\' {
            match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some(o) => o,
                None => '\\',
            }
        } else {
            c
        });
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if i + 2 < raw.len() && raw[i + 1] == '-' && raw[i] <= raw[i + 2] {
            out.extend(raw[i]..=raw[i + 2]);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

fn tr(args: &[String], input: &str) -> ToolOutput {
    let (mut delete, mut squeeze) = (false, false);
    let mut sets = Vec::new();
    for a in args {
        match a.strip_prefix('-').filter(|f| !f.is_empty()) {
            Some(flags) if sets.is_empty() && flags.chars().all(|c| "ds".contains(c)) => {
                delete |= flags.contains('d');
                squeeze |= flags.contains('s');
            }
            Some(flags) if sets.is_empty() => {
                return invalid_option("tr", flags.chars().next().unwrap_or('-'))
            }
            _ => sets.push(tr_set(a)),
        }
    }
    let needed = if delete || squeeze { 1 } else { 2 };
    if sets.len() < needed {
        let msg = if sets.is_empty() {
            "tr: missing operand".to_string()
        } else {
            format!(
                "tr: missing operand after ‘{}’",
                args.last().map(String::as_str).unwrap_or("")
            )
        };
        return ToolOutput::err(format!("{msg}\nTry 'tr --help' for more information."), 1);
    }
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in input.chars() {
        if delete && sets[0].contains(&c) {
            continue;
        }
        let c = match (delete, sets.get(1)) {
            (false, Some(to)) => match sets[0].iter().position(|&f| f == c) {
                Some(p) => to.get(p).or(to.last()).copied().unwrap_or(c),
                None => c,
            },
            _ => c,
        };
        let squeeze_set = sets.last().expect("checked above");
        if squeeze && last == Some(c) && squeeze_set.contains(&c) {
            continue;
        }
        last = Some(c);
        out.push(c);
    }
    ToolOutput::ok(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// GNU `base64 -d`: whitespace ignored, `=` padding optional at the very end.
fn base64_decode(text: &str) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    let mut padded = false;
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            padded = true;
            continue;
        }
        let Some(v) = B64.iter().position(|&b| b == c).filter(|_| !padded) else {
            return Err(out);
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

fn base64(args: &[String], input: &str) -> ToolOutput {
    let mut decode = false;
    let mut wrap = 76usize;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        match a {
            "-d" | "--decode" | "-D" => decode = true,
            "-i" | "--ignore-garbage" => {}
            "-w" => {
                wrap = args.get(i).and_then(|v| v.parse().ok()).unwrap_or(76);
                i += 1;
            }
            "-" => {}
            _ => {
                if let Some(v) = a.strip_prefix("--wrap=").or_else(|| a.strip_prefix("-w")) {
                    wrap = v.parse().unwrap_or(76);
                } else if let Some(f) = a.strip_prefix('-') {
                    return invalid_option("base64", f.chars().next().unwrap_or('-'));
                } else {
                    return no_file("base64", a);
                }
            }
        }
    }
    if decode {
        return match base64_decode(input) {
            Ok(bytes) => ToolOutput::ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(partial) => ToolOutput {
                stdout: String::from_utf8_lossy(&partial).into_owned(),
                stderr: "base64: invalid input\n".into(),
                status: 1,
            },
        };
    }
    let encoded = base64_encode(input.as_bytes());
    if encoded.is_empty() {
        return ToolOutput::ok(String::new());
    }
    let chars: Vec<char> = encoded.chars().collect();
    let lines: Vec<String> = if wrap == 0 {
        vec![encoded]
    } else {
        chars.chunks(wrap).map(|c| c.iter().collect()).collect()
    };
    ToolOutput::ok(join_lines(&lines))
}
