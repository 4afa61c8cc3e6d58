use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Variables from a table; `$(…)` answers from a table and records what it was asked.
#[derive(Default)]
struct Host {
    vars: BTreeMap<String, String>,
    outputs: BTreeMap<String, String>,
    asked: Vec<String>,
}

impl Host {
    fn new() -> Host {
        let mut h = Host::default();
        for (k, v) in [
            ("IP", "10.96.1.2"),
            ("POD", "web-7d4b9c-x2x9z"),
            ("SPACED", " a  b "),
            ("EMPTY", ""),
        ] {
            h.vars.insert(k.into(), v.into());
        }
        h.outputs.insert(
            "kubectl get svc web -o jsonpath='{.spec.clusterIP}'".into(),
            "10.96.1.2".into(),
        );
        h.outputs
            .insert("kubectl get pods -o name".into(), "pod/a\npod/b\n".into());
        h
    }
}

impl ShellHost for Host {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn substitute(&mut self, command: &str) -> String {
        self.asked.push(command.to_string());
        self.outputs
            .get(command)
            .cloned()
            .unwrap_or_else(|| format!("<{command}>\n"))
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Parses a single-pipeline, single-command unit and returns its argv.
fn argv(line: &str) -> Vec<String> {
    let mut host = Host::new();
    let list = parse(line, &mut host).unwrap_or_else(|e| panic!("{line}: {e}"));
    assert_eq!(list.len(), 1, "{line}");
    assert_eq!(list[0].0.commands.len(), 1, "{line}");
    list[0].0.commands[0].argv.clone()
}

#[test]
fn expansion_and_quoting() {
    let cases: &[(&str, &[&str])] = &[
        ("kubectl get pods", &["kubectl", "get", "pods"]),
        ("kubectl get pods # list them", &["kubectl", "get", "pods"]),
        ("echo a#b '#c' \"#d\"", &["echo", "a#b", "#c", "#d"]),
        (
            "export IP=$(kubectl get svc web -o jsonpath='{.spec.clusterIP}')",
            &["export", "IP=10.96.1.2"],
        ),
        ("export NAME=\"a b\"", &["export", "NAME=a b"]),
        ("export X=$SPACED", &["export", "X= a  b "]),
        (
            "export X=$(kubectl get pods -o name)",
            &["export", "X=pod/a\npod/b"],
        ),
        (
            "echo $(kubectl get pods -o name)",
            &["echo", "pod/a", "pod/b"],
        ),
        (
            "echo \"$(kubectl get pods -o name)\"",
            &["echo", "pod/a\npod/b"],
        ),
        ("curl http://$IP:80/", &["curl", "http://10.96.1.2:80/"]),
        (
            "curl \"http://${IP}/path\"",
            &["curl", "http://10.96.1.2/path"],
        ),
        ("echo \"$POD\"", &["echo", "web-7d4b9c-x2x9z"]),
        (
            "kubectl exec -it $POD -- sh -c 'echo $HOME'",
            &[
                "kubectl",
                "exec",
                "-it",
                "web-7d4b9c-x2x9z",
                "--",
                "sh",
                "-c",
                "echo $HOME",
            ],
        ),
        ("echo $UNSET foo", &["echo", "foo"]),
        ("echo \"$UNSET\" foo", &["echo", "", "foo"]),
        ("echo '' \"\"", &["echo", "", ""]),
        ("echo x$SPACED", &["echo", "x", "a", "b"]),
        ("echo \"x$SPACED\"", &["echo", "x a  b "]),
        ("echo $EMPTY", &["echo"]),
        (
            "echo ${UNSET:-dflt} ${EMPTY:-e} ${EMPTY-e} ${#IP}",
            &["echo", "dflt", "e", "9"],
        ),
        (
            "echo \\$IP \"\\$IP\" \"a\\\"b\" \"a\\b\"",
            &["echo", "$IP", "$IP", "a\"b", "a\\b"],
        ),
        ("echo a\\ b", &["echo", "a b"]),
        ("echo $ '$' \"$\" a$", &["echo", "$", "$", "$", "a$"]),
        ("echo $'a\\nb'", &["echo", "a\nb"]),
        (
            "kubectl get pods -o jsonpath={.items[*].metadata.name}",
            &[
                "kubectl",
                "get",
                "pods",
                "-o",
                "jsonpath={.items[*].metadata.name}",
            ],
        ),
        ("echo `echo hi`", &["echo", "<echo", "hi>"]),
        (
            "echo \"$(echo \"$(inner)\")\"",
            &["echo", "<echo \"$(inner)\">"],
        ),
        ("echo `echo \\`x\\``", &["echo", "<echo", "`x`>"]),
        (
            "kubectl get po \\\n  -o wide",
            &["kubectl", "get", "po", "-o", "wide"],
        ),
        ("echo 'multi\nline'", &["echo", "multi\nline"]),
        ("echo ${IP}x$IP-y", &["echo", "10.96.1.2x10.96.1.2-y"]),
    ];
    for (line, want) in cases {
        assert_eq!(argv(line), s(want), "{line}");
    }
}

#[test]
fn substitution_receives_inner_text_verbatim() {
    let mut host = Host::new();
    parse(
        "export IP=$(kubectl get svc web -o jsonpath='{.spec.clusterIP}')",
        &mut host,
    )
    .unwrap();
    assert_eq!(
        host.asked,
        s(&["kubectl get svc web -o jsonpath='{.spec.clusterIP}'"])
    );
    let mut host = Host::new();
    parse("echo $(a $(b) \"c)\" 'd)')", &mut host).unwrap();
    assert_eq!(host.asked, s(&["a $(b) \"c)\" 'd)'"]));
}

#[test]
fn assignments() {
    let mut host = Host::new();
    let list = parse("FOO=bar", &mut host).unwrap();
    let cmd = &list[0].0.commands[0];
    assert!(is_assignment_only(cmd));
    assert_eq!(
        cmd.assignments,
        vec![("FOO".to_string(), "bar".to_string())]
    );

    let list = parse("A=1 B=\"x y\" kubectl get pods C=3", &mut host).unwrap();
    let cmd = &list[0].0.commands[0];
    assert!(!is_assignment_only(cmd));
    assert_eq!(
        cmd.assignments,
        vec![("A".into(), "1".into()), ("B".into(), "x y".into())]
    );
    assert_eq!(cmd.argv, s(&["kubectl", "get", "pods", "C=3"]));

    // A quoted `=` or an invalid name is not an assignment.
    assert_eq!(argv("\"A=1\""), s(&["A=1"]));
    assert_eq!(argv("1A=1"), s(&["1A=1"]));
    // Word splitting still applies to non-assignment arguments of export.
    assert_eq!(
        argv("export A=$SPACED $SPACED"),
        s(&["export", "A= a  b ", "a", "b"])
    );
}

#[test]
fn lists_and_pipelines() {
    let mut host = Host::new();
    let shape = |line: &str, host: &mut Host| -> Vec<(Vec<Vec<String>>, Connector, bool)> {
        parse(line, host)
            .unwrap()
            .into_iter()
            .map(|(p, c)| {
                (
                    p.commands.into_iter().map(|c| c.argv).collect(),
                    c,
                    p.background,
                )
            })
            .collect()
    };
    assert_eq!(
        shape("kubectl get pods | grep nginx | wc -l", &mut host),
        vec![(
            vec![
                s(&["kubectl", "get", "pods"]),
                s(&["grep", "nginx"]),
                s(&["wc", "-l"])
            ],
            Connector::End,
            false
        )]
    );
    assert_eq!(
        shape("kubectl get pods && kubectl get svc", &mut host),
        vec![
            (vec![s(&["kubectl", "get", "pods"])], Connector::And, false),
            (vec![s(&["kubectl", "get", "svc"])], Connector::End, false)
        ]
    );
    assert_eq!(
        shape("sleep 5; kubectl get pods;", &mut host),
        vec![
            (vec![s(&["sleep", "5"])], Connector::Seq, false),
            (vec![s(&["kubectl", "get", "pods"])], Connector::End, false)
        ]
    );
    assert_eq!(
        shape("a || b &\nc", &mut host),
        vec![
            (vec![s(&["a"])], Connector::Or, false),
            (vec![s(&["b"])], Connector::Seq, true),
            (vec![s(&["c"])], Connector::End, false)
        ]
    );
    assert_eq!(
        shape("kubectl get pods |\n  grep web &&\n  echo ok", &mut host),
        vec![
            (
                vec![s(&["kubectl", "get", "pods"]), s(&["grep", "web"])],
                Connector::And,
                false
            ),
            (vec![s(&["echo", "ok"])], Connector::End, false)
        ]
    );
}

#[test]
fn heredocs() {
    let mut host = Host::new();
    let stdin =
        |line: &str, host: &mut Host| parse(line, host).unwrap()[0].0.commands[0].stdin.clone();
    let cases: &[(&str, Option<&str>)] = &[
        (
            "kubectl apply -f - <<EOF\napiVersion: v1\nip: $IP\nEOF",
            Some("apiVersion: v1\nip: 10.96.1.2\n"),
        ),
        (
            "kubectl apply -f - <<'EOF'\nip: $IP\nEOF",
            Some("ip: $IP\n"),
        ),
        (
            "kubectl apply -f - <<\"EOF\"\nip: $IP\nEOF",
            Some("ip: $IP\n"),
        ),
        (
            "kubectl apply -f - << EOF\na: \"$IP\" '$IP' \\$IP\nEOF",
            Some("a: \"10.96.1.2\" '10.96.1.2' $IP\n"),
        ),
        ("cat <<-EOF\n\t\tindented\n\tEOF", Some("indented\n")),
        ("cat <<EOF\n\tkept\nEOF", Some("\tkept\n")),
        ("cat <<EOF\nEOF", Some("")),
        ("cat <<EOF\nnot EOF\n EOF\nEOF", Some("not EOF\n EOF\n")),
        ("cat <<EOF\nunterminated", Some("unterminated\n")),
        ("grep x <<< \"$IP\"", Some("10.96.1.2\n")),
        (
            "cat <<EOF\nsub: $(kubectl get pods -o name)\nEOF",
            Some("sub: pod/a\npod/b\n"),
        ),
    ];
    for (line, want) in cases {
        assert_eq!(stdin(line, &mut host).as_deref(), *want, "{line}");
    }

    // `cat <<EOF | kubectl apply -f -`: the heredoc belongs to cat.
    let list = parse("cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF", &mut host).unwrap();
    let cmds = &list[0].0.commands;
    assert_eq!(cmds[0].argv, s(&["cat"]));
    assert_eq!(cmds[0].stdin.as_deref(), Some("kind: Pod\n"));
    assert_eq!(cmds[1].argv, s(&["kubectl", "apply", "-f", "-"]));
    assert_eq!(cmds[1].stdin, None);

    // Two heredocs on one line are read in order.
    let list = parse("cat <<A; cat <<B\na\nA\nb\nB", &mut host).unwrap();
    assert_eq!(list[0].0.commands[0].stdin.as_deref(), Some("a\n"));
    assert_eq!(list[1].0.commands[0].stdin.as_deref(), Some("b\n"));
}

#[test]
fn redirections() {
    let mut host = Host::new();
    let list = parse(
        "kubectl delete pod x 2>/dev/null >out.txt 2>&1 &>all",
        &mut host,
    )
    .unwrap();
    let cmd = &list[0].0.commands[0];
    assert_eq!(cmd.argv, s(&["kubectl", "delete", "pod", "x"]));
    let r = |fd, op, t: &str| Redirect {
        fd,
        op,
        target: t.into(),
    };
    assert_eq!(
        cmd.redirects,
        vec![
            r(2, RedirectOp::Write, "/dev/null"),
            r(1, RedirectOp::Write, "out.txt"),
            r(2, RedirectOp::Dup, "1"),
            r(1, RedirectOp::Write, "all"),
            r(2, RedirectOp::Dup, "1"),
        ]
    );
    let list = parse("kubectl get deploy web -o yaml > \"$POD.yaml\"", &mut host).unwrap();
    assert_eq!(
        list[0].0.commands[0].redirects,
        vec![r(1, RedirectOp::Write, "web-7d4b9c-x2x9z.yaml")]
    );
    // A digit word not directly before `>` is an argument.
    assert_eq!(argv("echo 2 >x").len(), 2);
}

#[test]
fn syntax_errors_use_bash_wording() {
    let cases: &[(&str, &str)] = &[
        (
            "echo 'abc",
            "bash: unexpected EOF while looking for matching `''",
        ),
        (
            "echo \"abc",
            "bash: unexpected EOF while looking for matching `\"'",
        ),
        (
            "echo $(abc",
            "bash: unexpected EOF while looking for matching `)'",
        ),
        (
            "echo `abc",
            "bash: unexpected EOF while looking for matching ``'",
        ),
        (
            "echo ${abc",
            "bash: unexpected EOF while looking for matching `}'",
        ),
        ("echo ${a b}", "bash: ${a b}: bad substitution"),
        ("| grep x", "bash: syntax error near unexpected token `|'"),
        (
            "echo a | | b",
            "bash: syntax error near unexpected token `|'",
        ),
        (
            "echo a ;; b",
            "bash: syntax error near unexpected token `;;'",
        ),
        ("; echo", "bash: syntax error near unexpected token `;'"),
        ("&& echo", "bash: syntax error near unexpected token `&&'"),
        ("echo a &&", "bash: syntax error: unexpected end of file"),
        ("echo a |", "bash: syntax error: unexpected end of file"),
        (
            "echo >",
            "bash: syntax error near unexpected token `newline'",
        ),
        ("echo > | x", "bash: syntax error near unexpected token `|'"),
        (
            "cat <<",
            "bash: syntax error near unexpected token `newline'",
        ),
        ("echo )", "bash: syntax error near unexpected token `)'"),
        ("done", "bash: syntax error near unexpected token `done'"),
        (
            "for i in 1 2; do echo $i; done",
            "bash: for: compound commands are not supported in the kubesim console",
        ),
        (
            "(cd x)",
            "bash: subshells `( … )' are not supported in the kubesim console",
        ),
        (
            "echo $((1+2))",
            "bash: $((…)): arithmetic expansion is not supported in the kubesim console",
        ),
    ];
    for (line, want) in cases {
        let mut host = Host::new();
        assert_eq!(parse(line, &mut host).unwrap_err(), *want, "{line}");
    }
}

#[test]
fn empty_and_comment_units_parse_to_nothing() {
    let mut host = Host::new();
    for line in ["", "   ", "# just a comment", "\n\n"] {
        assert_eq!(parse(line, &mut host).unwrap(), vec![], "{line:?}");
    }
}

#[test]
fn lazy_parse_expands_on_demand() {
    let mut host = Host::new();
    let list = parse_lazy("export X=1; echo $X").unwrap();
    assert!(host.asked.is_empty());
    host.vars.insert("X".into(), "1".into()); // as the host would after running export
    assert_eq!(
        list[1].0.expand(&mut host).commands[0].argv,
        s(&["echo", "1"])
    );
}

#[test]
fn needs_more_input_cases() {
    let cases: &[(&str, bool)] = &[
        ("kubectl get pods\n", false),
        ("", false),
        ("# comment\n", false),
        ("echo 'open\n", true),
        ("echo \"open\n", true),
        ("echo $(kubectl get\n", true),
        ("echo `x\n", true),
        ("cat <<EOF\nbody\n", true),
        ("cat <<EOF\nbody\nEOF\n", false),
        ("kubectl get pods |\n", true),
        ("a &&\n", true),
        ("a ||", true),
        ("kubectl run x \\\n", true),
        ("echo a\\\\\n", false),
        ("echo $((1+2))\n", false),
        ("echo a | | b\n", false),
    ];
    for (text, want) in cases {
        assert_eq!(needs_more_input(text), *want, "{text:?}");
    }
}

#[test]
fn tutorial_go_templates() {
    let mut host = Host::new();
    let line = "export POD_NAME=\"$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}')\"";
    let list = parse(line, &mut host).unwrap();
    assert_eq!(
        host.asked,
        s(&["kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'"])
    );
    assert_eq!(list[0].0.commands[0].argv[0], "export");
    let mut host = Host::new();
    parse("export NODE_PORT=\"$(kubectl get services/web -o go-template='{{(index .spec.ports 0).nodePort}}')\"", &mut host).unwrap();
    assert_eq!(
        host.asked,
        s(&["kubectl get services/web -o go-template='{{(index .spec.ports 0).nodePort}}'"])
    );
    assert_eq!(
        argv("kubectl get secret db -o jsonpath=\"{.data.password}\""),
        s(&[
            "kubectl",
            "get",
            "secret",
            "db",
            "-o",
            "jsonpath={.data.password}"
        ])
    );
}

fn unit(text: &str, display: &str, warnings: &[&str]) -> Unit {
    Unit {
        text: text.into(),
        display: display.into(),
        warnings: s(warnings),
    }
}

#[test]
fn split_units_cases() {
    let cases: &[(&str, Vec<Unit>)] = &[
        ("", vec![]),
        ("\n# comment\n\n   \n", vec![]),
        (
            "kubectl get pods\n\n# c\nkubectl get svc # trailing\n",
            vec![unit("kubectl get pods", "kubectl get pods", &[]), unit("kubectl get svc # trailing", "kubectl get svc # trailing", &[])],
        ),
        ("  indented\n", vec![unit("  indented", "indented", &[])]),
        (
            "kubectl apply -f - <<EOF\napiVersion: v1\n# not a comment\n\nkind: Pod\nEOF\nkubectl get pods",
            vec![
                unit("kubectl apply -f - <<EOF\napiVersion: v1\n# not a comment\n\nkind: Pod\nEOF", "kubectl apply -f - <<EOF\napiVersion: v1\n# not a comment\n\nkind: Pod\nEOF", &[]),
                unit("kubectl get pods", "kubectl get pods", &[]),
            ],
        ),
        (
            "kubectl run x \\\n  --image=nginx\necho 'a\nb'\n",
            vec![
                unit("kubectl run x \\\n  --image=nginx", "kubectl run x \\\n  --image=nginx", &[]),
                unit("echo 'a\nb'", "echo 'a\nb'", &[]),
            ],
        ),
        ("a |\n\n b &&\n c\nd", vec![unit("a |\n\n b &&\n c", "a |\n\n b &&\n c", &[]), unit("d", "d", &[])]),
        ("a; b\r\nc\r\n", vec![unit("a; b", "a; b", &[]), unit("c", "c", &[])]),
        (
            "echo hi\ncat <<EOF\nbody\n",
            vec![
                unit("echo hi", "echo hi", &[]),
                unit("cat <<EOF\nbody", "cat <<EOF\nbody", &["bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')"]),
            ],
        ),
        ("echo 'open\nmore\n", vec![unit("echo 'open\nmore", "echo 'open\nmore", &[])]),
        ("echo \"#x\" # y\n", vec![unit("echo \"#x\" # y", "echo \"#x\" # y", &[])]),
    ];
    for (input, want) in cases {
        assert_eq!(split_units(input), *want, "{input:?}");
    }
}

fn tool(line: &[&str], input: &str) -> ToolOutput {
    run_tool(&s(line), input)
}

fn out(stdout: &str) -> ToolOutput {
    ToolOutput {
        stdout: stdout.into(),
        stderr: String::new(),
        status: 0,
    }
}

fn fail(stderr: &str, status: i32) -> ToolOutput {
    ToolOutput {
        stdout: String::new(),
        stderr: stderr.into(),
        status,
    }
}

const PODS: &str = "NAME        READY   STATUS    RESTARTS   AGE\nnginx-1     1/1     Running   0          5m\nweb-2       0/1     Pending   0          1m\nnginx-3     1/1     Running   2          9m\n";

#[test]
fn filters_table() {
    let cases: Vec<(Vec<&str>, &str, ToolOutput)> = vec![
        (vec!["cat"], "a\nb\n", out("a\nb\n")),
        (vec!["cat", "-"], "a", out("a")),
        (vec!["cat", "f.yaml"], "", fail("cat: f.yaml: No such file or directory\n", 1)),
        (vec!["echo", "-n", "a", "b"], "", out("a b")),
        (vec!["echo", "-e", "a\\nb"], "", out("a\nb\n")),
        (vec!["echo", "-x"], "", out("-x\n")),
        (vec!["grep", "nginx"], PODS, out("nginx-1     1/1     Running   0          5m\nnginx-3     1/1     Running   2          9m\n")),
        (vec!["grep", "-c", "Running"], PODS, out("2\n")),
        (vec!["grep", "-vc", "Running"], PODS, out("2\n")),
        (vec!["grep", "-i", "PENDING"], PODS, out("web-2       0/1     Pending   0          1m\n")),
        (vec!["grep", "nothing"], PODS, ToolOutput { stdout: "".into(), stderr: "".into(), status: 1 }),
        (vec!["grep", "-E", "web|nginx-3"], PODS, out("web-2       0/1     Pending   0          1m\nnginx-3     1/1     Running   2          9m\n")),
        (vec!["grep", "^web-[0-9]"], PODS, out("web-2       0/1     Pending   0          1m\n")),
        (vec!["grep", "web|nginx"], PODS, ToolOutput { stdout: "".into(), stderr: "".into(), status: 1 }),
        (vec!["grep", "web\\|nginx-1"], PODS, out("nginx-1     1/1     Running   0          5m\nweb-2       0/1     Pending   0          1m\n")),
        (vec!["grep", "-w", "ngin"], "nginx\nngin x\n", out("ngin x\n")),
        (vec!["grep", "-x", "a.c"], "abc\nabcd\n", out("abc\n")),
        (vec!["grep", "-o", "[0-9]m"], "5m 9m\nx\n", out("5m\n9m\n")),
        (vec!["grep", "-F", "a.c"], "abc\na.c\n", out("a.c\n")),
        (vec!["grep", "-n", "b"], "a\nb\n", out("2:b\n")),
        (vec!["grep", "-e", "a", "-e", "c"], "a\nb\nc\n", out("a\nc\n")),
        (vec!["grep", "-E", "^[a-z]+-[0-9]{1}$"], "web-1\nweb-12\n", out("web-1\n")),
        (vec!["grep", "-q", "a"], "a\n", out("")),
        (vec!["grep"], "", fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2)),
        (vec!["grep", "-Z", "x"], "", fail("grep: invalid option -- 'Z'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2)),
        (vec!["grep", "-E", "(a"], "", fail("grep: Unmatched ( or \\(\n", 2)),
        (vec!["grep", "[a"], "", fail("grep: Unmatched [, [^, [:, [., or [=\n", 2)),
        (vec!["head", "-1"], PODS, out("NAME        READY   STATUS    RESTARTS   AGE\n")),
        (vec!["head", "-n", "2"], "1\n2\n3\n", out("1\n2\n")),
        (vec!["head", "-n2"], "1\n2\n3", out("1\n2\n")),
        (vec!["head", "-n", "-1"], "1\n2\n3\n", out("1\n2\n")),
        (vec!["head"], "1\n2\n3", out("1\n2\n3")),
        (vec!["head", "-n", "x"], "", fail("head: invalid number of lines: ‘x’\n", 1)),
        (vec!["tail", "-1"], "1\n2\n3\n", out("3\n")),
        (vec!["tail", "-n", "+2"], "1\n2\n3\n", out("2\n3\n")),
        (vec!["tail", "-n", "2"], "1\n2\n3\n", out("2\n3\n")),
        (vec!["tail", "-f"], "1\n", out("1\n")),
        (vec!["wc", "-l"], PODS, out("4\n")),
        (vec!["wc", "-l"], "", out("0\n")),
        (vec!["wc"], "hi\n", out("      1       1       3\n")),
        (vec!["wc", "-w"], "a b\nc\n", out("3\n")),
        (vec!["sort"], "b\na\nC\n", out("C\na\nb\n")),
        (vec!["sort", "-r"], "b\na\nc\n", out("c\nb\na\n")),
        (vec!["sort", "-n"], "10\n9\n100\n", out("9\n10\n100\n")),
        (vec!["sort", "-k", "2", "-n"], "a 3\nb 1\nc 2\n", out("b 1\nc 2\na 3\n")),
        (vec!["sort", "-u"], "a\nb\na\n", out("a\nb\n")),
        (vec!["uniq"], "a\na\nb\na\n", out("a\nb\na\n")),
        (vec!["uniq", "-c"], "a\na\nb\n", out("      2 a\n      1 b\n")),
        (vec!["cut", "-d", "/", "-f", "2"], "pod/a\npod/b\n", out("a\nb\n")),
        (vec!["cut", "-d/", "-f2-"], "a/b/c\nnone\n", out("b/c\nnone\n")),
        (vec!["cut", "-c", "1-3"], "abcdef\n", out("abc\n")),
        (vec!["cut"], "", fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", 1)),
        (vec!["awk", "{print $1}"], PODS, out("NAME\nnginx-1\nweb-2\nnginx-3\n")),
        (vec!["awk", "{ print $1, $3 }"], "a b c\n", out("a c\n")),
        (vec!["awk", "{print $NF}"], "a b c\n", out("c\n")),
        (vec!["awk", "-F:", "{print $2}"], "a:b\n", out("b\n")),
        (vec!["awk", "{print}"], "a  b\n", out("a  b\n")),
        (vec!["awk", "NR>1"], "", fail("awk: kubesim's awk only runs '{print $N, …}' programs, not 'NR>1'\n", 2)),
        (vec!["tr", "-d", "\\n"], "a\nb\n", out("ab")),
        (vec!["tr", "a-z", "A-Z"], "abc\n", out("ABC\n")),
        (vec!["tr", "-s", " "], "a   b\n", out("a b\n")),
        (vec!["base64", "-d"], "cGFzc3dvcmQ=", out("password")),
        (vec!["base64", "--decode"], "YWRtaW4=\n", out("admin")),
        (vec!["base64"], "admin", out("YWRtaW4=\n")),
        (vec!["base64", "-w", "0"], "admin\n", out("YWRtaW4K\n")),
        (vec!["base64", "-d"], "!!", fail("base64: invalid input\n", 1)),
        (vec!["jq", ".items"], "{}", fail("bash: jq: command not found\n", 127)),
        (vec!["xargs", "echo"], "", fail("bash: xargs: command not found\n", 127)),
        (vec!["true"], "", out("")),
        (vec!["false"], "", ToolOutput { stdout: "".into(), stderr: "".into(), status: 1 }),
    ];
    for (argv, input, want) in cases {
        assert_eq!(tool(&argv, input), want, "{argv:?} on {input:?}");
    }
}

#[test]
fn run_filter_reduces_to_result() {
    assert_eq!(run_filter(&s(&["grep", "x"]), "y\n"), Ok(String::new()));
    assert_eq!(run_filter(&s(&["head", "-1"]), "a\nb\n"), Ok("a\n".into()));
    assert_eq!(
        run_filter(&s(&["jq"]), ""),
        Err("bash: jq: command not found".into())
    );
}

/// A host whose substitutions do not recurse, for fuzzing.
struct FuzzHost;

impl ShellHost for FuzzHost {
    fn var(&self, name: &str) -> Option<String> {
        name.len().is_multiple_of(2).then(|| format!("v {name} v"))
    }
    fn substitute(&mut self, command: &str) -> String {
        format!("{}\n\n", command.len())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_and_split_never_panic(input in "[a-zA-Z0-9 \\t\\n'\"`$\\\\|&;<>(){}#=*!?:.\\-\\r\\[\\]]{0,80}") {
        let units = split_units(&input);
        for unit in &units {
            let _ = parse(&unit.text, &mut FuzzHost);
        }
        let _ = parse(&input, &mut FuzzHost);
    }

    #[test]
    fn split_units_keep_all_commands(input in "[a-z ;|&\\n#'\"]{0,60}") {
        // Every unit is non-empty and, joined, they come from the input in order.
        let units = split_units(&input);
        let mut rest = input.as_str();
        for unit in &units {
            prop_assert!(!unit.text.trim().is_empty());
            let at = rest.find(unit.text.as_str());
            prop_assert!(at.is_some(), "unit {:?} not in {:?}", unit.text, rest);
            rest = &rest[at.unwrap_or(0) + unit.text.len()..];
        }
    }

    #[test]
    fn filters_never_panic(
        pattern in "[a-z.*+?^$|(){}\\[\\]\\\\0-9,:-]{0,12}",
        flags in proptest::sample::subsequence(vec!["-E", "-i", "-v", "-w", "-x", "-o", "-F", "-c"], 0..4),
        input in "[a-z0-9 .\\n-]{0,60}",
    ) {
        let mut argv = vec!["grep".to_string()];
        argv.extend(flags.iter().map(|f| f.to_string()));
        argv.push(pattern.clone());
        let _ = run_tool(&argv, &input);
        for tool in ["head", "tail", "cut", "sort", "uniq", "wc", "tr", "awk", "base64"] {
            let _ = run_tool(&[tool.to_string(), pattern.clone()], &input);
            let _ = run_tool(&[tool.to_string(), "-n".into(), pattern.clone()], &input);
            let _ = run_tool(&[tool.to_string(), "-d".into(), pattern.clone(), "-f".into(), pattern.clone()], &input);
        }
    }
}

/// The editor's Apply: a manifest goes through the shell as written — no `$(…)` runs, no
/// variable expands, and an `EOF` line inside it does not end the heredoc early.
#[test]
fn quoted_heredoc_applies_the_manifest_verbatim() {
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: verbatim\n  annotations:\n    a: \"$(kubectl delete namespace kube-public) ${HOME} `sim node add evil`\"\ndata:\n  script: |\n    cat <<EOF\n    EOF\n";
    let mut console = crate::console::Console::new(1);
    let out = console.execute(&super::quoted_heredoc("kubectl apply -f -", manifest));
    assert_eq!(out.trim(), "configmap/verbatim created");
    let annotation =
        console.execute("kubectl get configmap verbatim -o jsonpath={.metadata.annotations.a}");
    assert_eq!(
        annotation,
        "$(kubectl delete namespace kube-public) ${HOME} `sim node add evil`"
    );
    assert!(console
        .execute("kubectl get namespace kube-public")
        .contains("Active"));
    assert!(!console.execute("kubectl get nodes").contains("worker-4"));
    // A body line equal to the delimiter gets another one.
    assert_eq!(
        super::quoted_heredoc("cat", "a\nEOF\nb\n"),
        "cat <<'EOF_'\na\nEOF\nb\nEOF_"
    );
}
