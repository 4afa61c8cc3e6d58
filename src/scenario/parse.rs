//! Reading a scenario file: Markdown that any viewer renders as a lesson.
//!
//! ````text
//! # Rolling update                      ← the title (one `#` heading, first)
//! > Pending: needs the API gateway.     ← optional, before the first step
//! Intro paragraphs.
//! ## Apply the Deployment               ← a step
//! Narration paragraphs (any Markdown; other fenced blocks are shown as code).
//! ```console                            ← commands, exactly as typed in the console
//! kubectl rollout status deployment/web
//! ```
//! ```expect                             ← optional, right after a console block
//! successfully rolled out               ← a line of the output contains this text
//! /^web-\S+ +1\/1 +Running/             ← or matches this regular expression
//! ```
//! ````
//!
//! Errors name the line they concern, so a writer finds the fault at once.

use std::fmt;

/// A whole lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    /// The paragraphs between the title and the first step.
    pub intro: String,
    /// `Some(reason)` when the lesson is written ahead of the simulator: it is listed,
    /// never played.
    pub pending: Option<String>,
    pub steps: Vec<Step>,
}

/// One `## ` heading and what follows it up to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// The heading's line (1-based).
    pub line: usize,
    /// The Markdown between the heading and the next, without console/expect blocks.
    pub narration: String,
    pub blocks: Vec<Block>,
}

/// A ```` ```console ```` block and its optional expectations.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The opening fence's line.
    pub line: usize,
    /// The commands, a console script (heredocs allowed).
    pub script: String,
    pub expect: Vec<Expectation>,
}

/// One line of an ```` ```expect ```` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub line: usize,
    pub pattern: Pattern,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// Plain text a line of the output must contain.
    Text(String),
    /// `/…/`: a regular expression a line of the output must match.
    Regex(String),
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Text(text) => write!(f, "{text}"),
            Pattern::Regex(regex) => write!(f, "/{regex}/"),
        }
    }
}

/// What is wrong with a scenario file, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

const FENCE: &str = "```";

/// Reads a scenario file.
pub fn parse(text: &str) -> Result<Scenario, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut title: Option<String> = None;
    let mut intro = String::new();
    let mut pending = None;
    let mut steps: Vec<Step> = Vec::new();
    // Whether only blank lines lie between the last console block and here: an expect
    // block belongs to the console block right above it.
    let mut after_console = false;
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let line = lines[i];
        if let Some(info) = line.trim_start().strip_prefix(FENCE) {
            let kind = info.trim().to_string();
            let body_end = closing_fence(&lines, i + 1).ok_or_else(|| {
                error(
                    number,
                    format!("the ```{kind} block opened here is never closed (missing ``` fence)"),
                )
            })?;
            let body = &lines[i + 1..body_end];
            i = body_end + 1;
            match kind.as_str() {
                "console" => {
                    let step = steps.last_mut().ok_or_else(|| {
                        error(
                            number,
                            "a ```console block must follow a step heading (`## …`)",
                        )
                    })?;
                    if body.iter().all(|l| l.trim().is_empty()) {
                        return Err(error(number, "the ```console block is empty"));
                    }
                    step.blocks.push(Block {
                        line: number,
                        script: body.join("\n"),
                        expect: Vec::new(),
                    });
                    after_console = true;
                }
                "expect" => {
                    let block = steps
                        .last_mut()
                        .and_then(|s| s.blocks.last_mut())
                        .filter(|b| after_console && b.expect.is_empty())
                        .ok_or_else(|| {
                            error(
                                number,
                                "an ```expect block must come right after a ```console block",
                            )
                        })?;
                    block.expect = expectations(body, number + 1)?;
                    if block.expect.is_empty() {
                        return Err(error(number, "the ```expect block is empty"));
                    }
                    after_console = false;
                }
                _ => {
                    // Any other code block is narration, shown as written.
                    let shown = lines[number - 1..=body_end].join("\n");
                    push_text(narration_of(&mut steps, &mut intro), &shown);
                    after_console = false;
                }
            }
            continue;
        }
        i += 1;
        if line.trim().is_empty() {
            push_text(narration_of(&mut steps, &mut intro), "");
            continue;
        }
        after_console = false;
        if let Some(heading) = line.strip_prefix("# ") {
            if title.is_some() || !steps.is_empty() {
                return Err(error(
                    number,
                    "only one `# ` title heading is allowed, at the top; steps are `## ` headings",
                ));
            }
            title = Some(heading.trim().to_string());
        } else if let Some(heading) = line.strip_prefix("## ") {
            if title.is_none() {
                return Err(error(number, "a scenario starts with a `# ` title heading"));
            }
            steps.push(Step {
                title: heading.trim().to_string(),
                line: number,
                narration: String::new(),
                blocks: Vec::new(),
            });
        } else if let (Some(reason), true) = (line.strip_prefix("> Pending:"), steps.is_empty()) {
            pending = Some(reason.trim().to_string());
        } else {
            if title.is_none() {
                return Err(error(number, "a scenario starts with a `# ` title heading"));
            }
            push_text(narration_of(&mut steps, &mut intro), line);
        }
    }
    let title = title.ok_or_else(|| error(1, "a scenario starts with a `# ` title heading"))?;
    if steps.is_empty() {
        return Err(error(
            lines.len().max(1),
            "a scenario needs at least one step (a `## ` heading)",
        ));
    }
    for step in &mut steps {
        step.narration = step.narration.trim().to_string();
    }
    Ok(Scenario {
        title,
        intro: intro.trim().to_string(),
        pending,
        steps,
    })
}

/// The index of the line that closes a fence opened before `from`.
fn closing_fence(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| lines[j].trim() == FENCE)
}

/// Where text goes: the current step's narration, or the intro before the first step.
fn narration_of<'a>(steps: &'a mut [Step], intro: &'a mut String) -> &'a mut String {
    match steps.last_mut() {
        Some(step) => &mut step.narration,
        None => intro,
    }
}

fn push_text(into: &mut String, line: &str) {
    into.push_str(line);
    into.push('\n');
}

/// The expectations of an expect block whose first body line is `first_line`.
fn expectations(body: &[&str], first_line: usize) -> Result<Vec<Expectation>, ParseError> {
    let mut out = Vec::new();
    for (k, raw) in body.iter().enumerate() {
        let line = first_line + k;
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let pattern = match text.strip_prefix('/').and_then(|t| t.strip_suffix('/')) {
            Some(regex) if !regex.is_empty() => {
                super::check_regex(regex).map_err(|why| {
                    error(line, format!("invalid regular expression /{regex}/: {why}"))
                })?;
                Pattern::Regex(regex.to_string())
            }
            _ => Pattern::Text(text.to_string()),
        };
        out.push(Expectation { line, pattern });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# Title\n\nIntro text.\n\n## First\n\nSay this.\n\n```yaml\nkind: Pod\n```\n\n```console\nkubectl get pods\n```\n\n```expect\nNo resources\n/^No .*found/\n```\n\n## Second\n\n```console\nsleep 5\nsim time\n```\n";

    #[test]
    fn reads_title_intro_steps_blocks_and_expectations() {
        let s = parse(GOOD).unwrap();
        assert_eq!(s.title, "Title");
        assert_eq!(s.intro, "Intro text.");
        assert_eq!(s.pending, None);
        assert_eq!(s.steps.len(), 2);
        assert_eq!(s.steps[0].title, "First");
        assert_eq!(s.steps[0].line, 5);
        assert_eq!(s.steps[0].narration, "Say this.\n\n```yaml\nkind: Pod\n```");
        let block = &s.steps[0].blocks[0];
        assert_eq!(
            (block.line, block.script.as_str()),
            (13, "kubectl get pods")
        );
        assert_eq!(
            block.expect,
            vec![
                Expectation {
                    line: 18,
                    pattern: Pattern::Text("No resources".into())
                },
                Expectation {
                    line: 19,
                    pattern: Pattern::Regex("^No .*found".into())
                },
            ]
        );
        assert_eq!(s.steps[1].blocks[0].script, "sleep 5\nsim time");
        assert!(s.steps[1].blocks[0].expect.is_empty());
    }

    #[test]
    fn a_pending_line_before_the_first_step_marks_the_lesson() {
        let s = parse("# T\n> Pending: the gateway is not simulated yet.\n## S\ntext\n").unwrap();
        assert_eq!(
            s.pending.as_deref(),
            Some("the gateway is not simulated yet.")
        );
    }

    /// Each malformed file gets its line and a message saying what is wrong.
    #[test]
    fn malformed_files_name_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "starts with a `# ` title"),
            ("intro\n# T\n", 1, "starts with a `# ` title"),
            ("# T\nonly intro\n", 2, "at least one step"),
            (
                "# T\n## S\n```console\nkubectl get pods\n",
                3,
                "never closed (missing ``` fence)",
            ),
            (
                "# T\n```console\nls\n```\n## S\n",
                2,
                "must follow a step heading",
            ),
            (
                "# T\n## S\n```expect\nx\n```\n",
                3,
                "right after a ```console block",
            ),
            (
                "# T\n## S\n```console\nls\n```\ntext\n```expect\nx\n```\n",
                7,
                "right after a ```console block",
            ),
            (
                "# T\n## S\n```console\nls\n```\n```expect\nx\n```\n```expect\ny\n```\n",
                9,
                "right after a ```console block",
            ),
            (
                "# T\n## S\n```console\nls\n```\n```expect\nfine\n/a(b/\n```\n",
                8,
                "invalid regular expression /a(b/",
            ),
            ("# T\n## S\n```console\n\n```\n", 3, "block is empty"),
            (
                "# T\n## S\n```console\nls\n```\n```expect\n\n```\n",
                6,
                "block is empty",
            ),
            ("# T\n## S\n# Again\n", 3, "only one `# ` title"),
        ];
        for (text, line, message) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.line, *line, "{text:?}: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    proptest::proptest! {
        /// Any text made of a scenario's building blocks is a scenario or an error whose
        /// line lies in the file: never a panic.
        #[test]
        fn any_arrangement_of_blocks_parses_or_names_a_line(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "# Title", "## Step", "text", "", "```console", "```expect", "```", "```yaml",
                "kubectl get pods", "/a(b/", "/^ok$/", "> Pending: later", "<b>x</b>",
            ]), 0..24)
        ) {
            let text = pieces.join("\n");
            if let Err(e) = parse(&text) {
                proptest::prop_assert!(e.line >= 1 && e.line <= text.lines().count().max(1), "{e}");
            }
        }
    }
}
