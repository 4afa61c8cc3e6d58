//! A lesson's narration as the page shows it: paragraphs, list items and code blocks,
//! with `inline code` marked. Only the little Markdown the scenarios use; the result is
//! text the components put into text nodes, never markup, so a lesson cannot inject
//! anything into the page. Pure, so native tests cover it.

/// A piece of a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
}

/// A block of narration.
#[derive(Clone, Debug, PartialEq)]
pub enum Paragraph {
    Text(Vec<Inline>),
    /// A `- ` or `* ` list item.
    Item(Vec<Inline>),
    /// A fenced code block, without its fences.
    Code(String),
}

/// Splits narration into paragraphs (blank lines between), list items and fenced code.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut lines = text.lines();
    let flush = |current: &mut Vec<&str>, out: &mut Vec<Paragraph>| {
        if !current.is_empty() {
            out.push(Paragraph::Text(inlines(&current.join(" "))));
            current.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut current, &mut out);
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            out.push(Paragraph::Code(body.join("\n")));
        } else if trimmed.is_empty() {
            flush(&mut current, &mut out);
        } else if let Some(item) = trimmed.strip_prefix("- ").or(trimmed.strip_prefix("* ")) {
            flush(&mut current, &mut out);
            out.push(Paragraph::Item(inlines(item)));
        } else {
            current.push(trimmed.trim_start_matches('>').trim_start());
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Splits `a `b` c` into text and code; `**`/`_` emphasis marks are dropped.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            out.push(Inline::Code(part.to_string()));
        } else {
            out.push(Inline::Text(part.replace("**", "")));
        }
    }
    out
}

/// Plain text of the first paragraph: the presentation's narration line.
pub fn first_sentence_line(text: &str) -> String {
    paragraphs(text)
        .into_iter()
        .find_map(|p| match p {
            Paragraph::Text(parts) => Some(
                parts
                    .into_iter()
                    .map(|part| match part {
                        Inline::Text(t) | Inline::Code(t) => t,
                    })
                    .collect::<String>(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_items_and_code() {
        let text = "A `pod` runs.\nStill one.\n\n- first\n- **second**\n\n```yaml\nkind: Pod\n```\n> Quoted.";
        assert_eq!(
            paragraphs(text),
            vec![
                Paragraph::Text(vec![
                    Inline::Text("A ".into()),
                    Inline::Code("pod".into()),
                    Inline::Text(" runs. Still one.".into())
                ]),
                Paragraph::Item(vec![Inline::Text("first".into())]),
                Paragraph::Item(vec![Inline::Text("second".into())]),
                Paragraph::Code("kind: Pod".into()),
                Paragraph::Text(vec![Inline::Text("Quoted.".into())]),
            ]
        );
    }

    /// Markup in a lesson stays text: the page never parses it as HTML.
    #[test]
    fn markup_is_only_text() {
        assert_eq!(
            paragraphs("<img src=x onerror=alert(1)>"),
            vec![Paragraph::Text(vec![Inline::Text(
                "<img src=x onerror=alert(1)>".into()
            )])]
        );
    }

    #[test]
    fn the_narration_line_is_the_first_paragraph_in_plain_text() {
        assert_eq!(
            first_sentence_line("```\nx\n```\nThe `kubelet` pulls.\n\nMore."),
            "The kubelet pulls."
        );
        assert_eq!(first_sentence_line(""), "");
    }
}
