//! GNU `diff -u` hunks between two texts, as `kubectl diff` shows them (it runs
//! `diff -u -N` on a LIVE and a MERGED directory): three lines of context, hunks
//! `@@ -start,count +start,count @@` with `,1` left out and an empty side numbered
//! from the line before it.

/// One line of an edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The hunks of `diff -u` (without the `---`/`+++` header), or "" when equal.
pub fn unified(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let edits = edit_script(&a, &b);
    let mut out = String::new();
    for hunk in hunks(&edits, 3) {
        write_hunk(&mut out, &edits[hunk.0..hunk.1], &a, &b);
    }
    out
}

/// Above this many line pairs the table would be too large for a page: the common
/// head and tail are kept and the middle is shown as replaced.
const MAX_TABLE: usize = 4_000_000;

/// A shortest edit script by longest common subsequence (objects are small).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_TABLE {
        return coarse_script(a, b);
    }
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut edits = vec![];
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            edits.push(Edit::Same(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            edits.push(Edit::Insert(j));
            j += 1;
        } else {
            edits.push(Edit::Delete(i));
            i += 1;
        }
    }
    edits
}

/// The common prefix and suffix unchanged, everything between deleted and inserted.
fn coarse_script(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut edits: Vec<Edit> = (0..head).map(|i| Edit::Same(i, i)).collect();
    edits.extend((head..a.len() - tail).map(Edit::Delete));
    edits.extend((head..b.len() - tail).map(Edit::Insert));
    let (skip_a, skip_b) = (a.len() - tail, b.len() - tail);
    edits.extend((0..tail).map(|k| Edit::Same(skip_a + k, skip_b + k)));
    edits
}

/// Ranges of the edit script to print: each change with `context` unchanged lines around
/// it, ranges closer than twice the context joined into one hunk.
fn hunks(edits: &[Edit], context: usize) -> Vec<(usize, usize)> {
    let changed: Vec<usize> = (0..edits.len())
        .filter(|&i| !matches!(edits[i], Edit::Same(..)))
        .collect();
    let mut out: Vec<(usize, usize)> = vec![];
    for &i in &changed {
        let start = i.saturating_sub(context);
        let end = (i + 1 + context).min(edits.len());
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

fn write_hunk(out: &mut String, edits: &[Edit], a: &[&str], b: &[&str]) {
    let old_lines: Vec<usize> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Same(i, _) | Edit::Delete(i) => Some(*i),
            Edit::Insert(_) => None,
        })
        .collect();
    let new_lines: Vec<usize> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Same(_, j) | Edit::Insert(j) => Some(*j),
            Edit::Delete(_) => None,
        })
        .collect();
    let range = |lines: &[usize], before: usize| match lines {
        [] => format!("{before},0"),
        [only] => format!("{}", only + 1),
        [first, ..] => format!("{},{}", first + 1, lines.len()),
    };
    // An empty side is numbered by the line before the hunk.
    let old_before = first_position(edits, true);
    let new_before = first_position(edits, false);
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(&old_lines, old_before),
        range(&new_lines, new_before)
    ));
    for e in edits {
        match e {
            Edit::Same(i, _) => out.push_str(&format!(" {}\n", a[*i])),
            Edit::Delete(i) => out.push_str(&format!("-{}\n", a[*i])),
            Edit::Insert(j) => out.push_str(&format!("+{}\n", b[*j])),
        }
    }
}

/// For an empty side: how many of its lines come before the hunk.
fn first_position(edits: &[Edit], old: bool) -> usize {
    edits
        .iter()
        .find_map(|e| match (e, old) {
            (Edit::Same(i, _), true) | (Edit::Delete(i), true) => Some(*i),
            (Edit::Same(_, j), false) | (Edit::Insert(j), false) => Some(*j),
            _ => None,
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn hunks_match_gnu_diff() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified(old, new),
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(unified("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(unified("x\n", "x\ny\n"), "@@ -1 +1,2 @@\n x\n+y\n");
        assert_eq!(unified("same\n", "same\n"), "");
    }

    #[test]
    fn huge_texts_fall_back_to_one_replaced_middle() {
        let old: String = (0..3000).map(|i| format!("{i}\n")).collect();
        let new = old.replace("1500\n", "changed\n");
        let got = unified(&old, &new);
        assert!(
            got.starts_with("@@ -1498,7 +1498,7 @@\n 1497\n 1498\n 1499\n-1500\n+changed\n"),
            "{got}"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=20)
            .map(|i| match i {
                2 => "two\n".to_string(),
                19 => "nineteen\n".to_string(),
                _ => format!("{i}\n"),
            })
            .collect();
        let got = unified(&old, &new);
        assert_eq!(got.matches("@@ -").count(), 2, "{got}");
        assert!(got.starts_with("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n"), "{got}");
    }
}
