//! Playing a scenario natively: each step's console blocks run in order against one
//! console, the transcript is what `kubesim run` prints for a script (with a `## ` line
//! per step), and the first expectation no output line meets stops the play.

use std::fmt;

use super::{Pattern, Scenario};
use crate::console::{shell, Console};

/// The transcript so far and, if a step failed, why.
#[derive(Debug)]
pub struct Played {
    pub transcript: String,
    pub failure: Option<Failure>,
}

/// An expectation that no line of its block's output met.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// 1-based step number and heading.
    pub step: usize,
    pub title: String,
    /// The expectation's line in the file.
    pub line: usize,
    pub pattern: Pattern,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (verb, what) = match &self.pattern {
            Pattern::Text(text) => ("contains", format!("\"{text}\"")),
            Pattern::Regex(regex) => ("matches", format!("/{regex}/")),
        };
        write!(
            f,
            "step {} \"{}\": line {}: no line of the output {verb} {what}",
            self.step, self.title, self.line
        )
    }
}

/// Plays `scenario` on `console`. A pending scenario is not played (the caller says so).
pub fn play(scenario: &Scenario, console: &mut Console) -> Played {
    let mut transcript = String::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        // Output without a final newline (`base64 -d`) must not swallow the heading.
        if !transcript.is_empty() && !transcript.ends_with('\n') {
            transcript.push('\n');
        }
        transcript.push_str(&format!("## {}. {}\n", index + 1, step.title));
        for block in &step.blocks {
            let mut output = String::new();
            for unit in shell::split_units(&block.script) {
                let (echo, printed) = console.run_echoed(&unit);
                transcript.push_str(&echo);
                transcript.push_str(&printed);
                output.push_str(&printed);
            }
            let unmet = block
                .expect
                .iter()
                .find(|e| !output.lines().any(|l| meets(&e.pattern, l)));
            if let Some(expectation) = unmet {
                let failure = Failure {
                    step: index + 1,
                    title: step.title.clone(),
                    line: expectation.line,
                    pattern: expectation.pattern.clone(),
                };
                return Played {
                    transcript,
                    failure: Some(failure),
                };
            }
        }
    }
    Played {
        transcript,
        failure: None,
    }
}

fn meets(pattern: &Pattern, line: &str) -> bool {
    match pattern {
        Pattern::Text(text) => line.contains(text.as_str()),
        // Checked when the file was parsed.
        Pattern::Regex(regex) => regex::Regex::new(regex).is_ok_and(|r| r.is_match(line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    fn run(text: &str) -> Played {
        play(&parse(text).unwrap(), &mut Console::new(1))
    }

    #[test]
    fn a_met_expectation_passes_and_the_transcript_has_each_step() {
        let played = run("# T\n## Look\n```console\nkubectl get nodes\n```\n```expect\n/^worker-3 +Ready/\n```\n");
        assert_eq!(played.failure, None);
        assert!(played
            .transcript
            .starts_with("## 1. Look\n$ kubectl get nodes\nNAME "));
    }

    #[test]
    fn an_unmet_expectation_names_its_step_and_line() {
        let played = run("# T\n## One\n```console\nsim time\n```\n## Two\n```console\nkubectl get pods\n```\n```expect\nRunning\n```\n");
        let failure = played
            .failure
            .expect("no pod is Running in a fresh default namespace");
        assert_eq!((failure.step, failure.line), (2, 11));
        assert_eq!(
            failure.to_string(),
            "step 2 \"Two\": line 11: no line of the output contains \"Running\""
        );
    }

    /// The echoed command is not output: expecting a command's own text must fail.
    #[test]
    fn the_command_line_itself_does_not_count_as_output() {
        let played = run("# T\n## S\n```console\nsim time\n```\n```expect\nsim time\n```\n");
        assert!(played.failure.is_some());
    }
}
