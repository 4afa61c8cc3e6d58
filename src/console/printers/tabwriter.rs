//! A port of Go's `text/tabwriter` (no flags, space padding): the aligner behind every
//! kubectl table and describe block.
//!
//! Text is lines of cells; a cell ended by `\t` belongs to a column, the last cell of a
//! line does not (so it is never padded). A column block is a run of consecutive lines
//! that all have a tab-terminated cell in that column; its width is the widest cell plus
//! `padding`, at least `min_width`.

/// kubectl's table writer (`printers.GetNewTabWriter`): minwidth 6, tabwidth 4,
/// padding 3, padchar ' '.
pub const TABLE: TabWriter = TabWriter {
    min_width: 6,
    padding: 3,
};

/// describe's writer (`tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`).
pub const DESCRIBE: TabWriter = TabWriter {
    min_width: 0,
    padding: 2,
};

/// Column settings (tab width is irrelevant with space padding).
#[derive(Debug, Clone, Copy)]
pub struct TabWriter {
    pub min_width: usize,
    pub padding: usize,
}

impl TabWriter {
    /// Aligns `text` (cells separated by `\t`, lines by `\n`) as Go's tabwriter would.
    pub fn format(&self, text: &str) -> String {
        let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        let mut out = String::with_capacity(text.len() * 2);
        let mut widths = Vec::new();
        self.format_block(&lines, 0, lines.len(), &mut widths, &mut out);
        out
    }

    /// Go's recursive `format`: finds column blocks at depth `widths.len()`.
    fn format_block(
        &self,
        lines: &[Vec<&str>],
        mut line0: usize,
        line1: usize,
        widths: &mut Vec<usize>,
        out: &mut String,
    ) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            write_lines(lines, line0, this, widths, out);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < lines[this].len() {
                width = width.max(text_width(lines[this][column]) + self.padding);
                this += 1;
            }
            widths.push(width);
            self.format_block(lines, line0, this, widths, out);
            widths.pop();
            line0 = this;
        }
        write_lines(lines, line0, line1, widths, out);
    }
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                let pad = w.saturating_sub(text_width(cell));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

/// Go's tabwriter counts UTF-8 runes.
fn text_width(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_all_but_last_cell() {
        let text = "NAME\tREADY\tSTATUS\nnginx\t1/1\tRunning\n";
        let want = "NAME    READY   STATUS\nnginx   1/1     Running\n";
        assert_eq!(TABLE.format(text), want);
    }

    #[test]
    fn min_width_applies() {
        assert_eq!(TABLE.format("A\tB\nx\ty\n"), "A     B\nx     y\n");
    }

    #[test]
    fn blank_line_separates_blocks() {
        let text = "a\tb\n\nlonger-name\tc\n";
        assert_eq!(TABLE.format(text), "a     b\n\nlonger-name   c\n");
    }

    #[test]
    fn ragged_lines_form_nested_blocks() {
        let text = "Name:\tweb\nLabels:\tapp=web\n\tx=y\nEvents:\t<none>\n";
        let want = "Name:    web\nLabels:  app=web\n         x=y\nEvents:  <none>\n";
        assert_eq!(DESCRIBE.format(text), want);
        assert_eq!(DESCRIBE.format("no tabs"), "no tabs");
    }
}
