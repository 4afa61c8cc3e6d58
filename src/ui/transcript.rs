//! The console transcript as Markdown, for docs and issue reports: every command with
//! what it printed, in one ```` ```console ```` block per command (the fence grows when an
//! output holds a fence itself, as CommonMark allows). Pure, tested natively.

/// `entries` are (command, output) pairs; notes that were not typed (`None`) are left out.
pub fn markdown<'a>(entries: impl IntoIterator<Item = (Option<&'a str>, &'a str)>) -> String {
    let mut out = String::from("# kubesim session\n");
    for (command, output) in entries {
        let Some(command) = command else { continue };
        let body = if output.is_empty() || output.ends_with('\n') {
            format!("$ {command}\n{output}")
        } else {
            format!("$ {command}\n{output}\n")
        };
        let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
        out.push_str(&format!("\n{fence}console\n{body}{fence}\n"));
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn commands_and_outputs_in_console_blocks() {
        let md = markdown([
            (None, "Welcome to kubesim\n"),
            (
                Some("kubectl get ns"),
                "NAME      STATUS   AGE\ndefault   Active   5s\n",
            ),
            (Some("clear"), ""),
            (
                Some("kubectl scale deploy/web --replicas=2"),
                "deployment.apps/web scaled",
            ),
        ]);
        assert_eq!(
            md,
            "# kubesim session\n\
             \n```console\n$ kubectl get ns\nNAME      STATUS   AGE\ndefault   Active   5s\n```\n\
             \n```console\n$ clear\n```\n\
             \n```console\n$ kubectl scale deploy/web --replicas=2\ndeployment.apps/web scaled\n```\n"
        );
    }

    #[test]
    fn an_output_holding_a_fence_gets_a_longer_one() {
        let md = markdown([(Some("cat notes.md"), "```yaml\na: 1\n```\n")]);
        assert!(
            md.contains("\n````console\n$ cat notes.md\n```yaml\na: 1\n```\n````\n"),
            "{md}"
        );
    }
}
