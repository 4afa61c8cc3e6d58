//! Small text helpers shared by the simulation and the console.

/// Levenshtein distance: how many single-character edits turn `a` into `b`. Used to tell a
/// typo of a known name (`ngnix`) from a different name, as tools' "did you mean" do.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        assert_eq!(super::edit_distance("ngnix", "nginx"), 2);
        assert_eq!(super::edit_distance("gett", "get"), 1);
        assert_eq!(super::edit_distance("", "abc"), 3);
        assert_eq!(super::edit_distance("hello-seattle", "httpd"), 10);
    }
}
