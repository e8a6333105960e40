//! One knowledge-base file read: its front matter, its text and its `## ` sections.

use std::collections::BTreeMap;

/// Longest file accepted: a knowledge-base file is a page, not a book.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

/// Front matter keys a file may use.
const KEYS: [&str; 4] = ["title", "description", "stage", "platform"];

/// A file, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub front: BTreeMap<String, String>,
    /// Everything after the front matter, trimmed.
    pub body: String,
    /// Each `## Heading` with the lines under it (to the next `## `), and the line number of
    /// each line (1-based, in the file).
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<(usize, String)>,
}

impl Document {
    /// Reads `bytes`; the error says what is wrong and where.
    pub fn parse(bytes: &[u8]) -> Result<Document, String> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(format!(
                "is {} KiB, more than the {} KiB a knowledge-base file may have",
                bytes.len() / 1024,
                MAX_FILE_BYTES / 1024
            ));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "is not UTF-8 text (byte {}); save it as UTF-8",
                e.valid_up_to()
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let (front, body_start) = front_matter(&lines)?;
        let mut sections: Vec<Section> = Vec::new();
        for (index, line) in lines.iter().enumerate().skip(body_start) {
            if let Some(heading) = line.strip_prefix("## ") {
                sections.push(Section {
                    heading: heading.trim().to_owned(),
                    lines: Vec::new(),
                });
            } else if let Some(section) = sections.last_mut() {
                if line.starts_with("# ") {
                    continue;
                }
                section.lines.push((index + 1, (*line).to_owned()));
            }
        }
        Ok(Document {
            front,
            body: lines[body_start.min(lines.len())..]
                .join("\n")
                .trim()
                .to_owned(),
            sections,
        })
    }

    pub fn section(&self, heading: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.heading.eq_ignore_ascii_case(heading))
    }
}

/// The front matter between a first line `---` and the next `---`, and where the body starts.
fn front_matter(lines: &[&str]) -> Result<(BTreeMap<String, String>, usize), String> {
    let mut front = BTreeMap::new();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Ok((front, 0));
    }
    for (index, line) in lines.iter().enumerate().skip(1) {
        let line = line.trim();
        if line == "---" {
            return Ok((front, index + 1));
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!(
                "line {}: the front matter holds `key: value` lines, not {line:?}",
                index + 1
            ));
        };
        let key = key.trim().to_ascii_lowercase();
        if !KEYS.contains(&key.as_str()) {
            return Err(format!(
                "line {}: {key:?} is not a front matter key; use {}",
                index + 1,
                KEYS.join(", ")
            ));
        }
        let value = value.trim().trim_matches('"').to_owned();
        front.insert(key, value);
    }
    Err("the front matter starts with `---` on line 1 but is never closed by a `---` line".into())
}

/// The items of a list section: each `- ` or `* ` line starts one, indented lines continue it.
/// Any other text is an error naming its line.
pub fn list_items(section: &Section) -> Result<Vec<(usize, String)>, String> {
    let mut items: Vec<(usize, String)> = Vec::new();
    for (number, line) in &section.lines {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            items.push((*number, item.trim().to_owned()));
        } else if line.starts_with([' ', '\t'])
            && let Some((_, last)) = items.last_mut()
        {
            last.push(' ');
            last.push_str(trimmed);
        } else {
            return Err(format!(
                "line {number}: the `## {}` section holds only list items (`- ...`), not \
                 {trimmed:?}",
                section.heading
            ));
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_sections_and_items() {
        let doc = Document::parse(
            b"---\ntitle: Opening\nstage: opening\n---\n# Opening\n\nSay hi.\n\n## Openers\n\n- Hello!\n- Good day,\n  friend.\n",
        )
        .unwrap();
        assert_eq!(doc.front["title"], "Opening");
        assert!(doc.body.starts_with("# Opening"));
        let items = list_items(doc.section("openers").unwrap()).unwrap();
        assert_eq!(
            items,
            vec![
                (11, "Hello!".to_owned()),
                (12, "Good day, friend.".to_owned())
            ]
        );
    }

    #[test]
    fn broken_files_say_what_and_where() {
        for (bytes, says) in [
            (&b"---\ntitle: x\n"[..], "never closed"),
            (
                b"---\nauthor: me\n---\n",
                "\"author\" is not a front matter key",
            ),
            (b"---\njust words\n---\n", "line 2"),
            (b"\xff\xfe bad", "not UTF-8"),
        ] {
            let error = Document::parse(bytes).unwrap_err();
            assert!(error.contains(says), "{error}");
        }
        let doc = Document::parse(b"## Openers\n- Hi\nloose text\n").unwrap();
        let error = list_items(&doc.sections[0]).unwrap_err();
        assert!(
            error.contains("line 3") && error.contains("only list items"),
            "{error}"
        );
    }
}
