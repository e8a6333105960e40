//! One consistent view of the knowledge base: the templates' words and the text an LLM is
//! given for an email's platform and stage.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use negotiator_domain::wording::{StageWording, Wording, phrase_problem};
use negotiator_domain::{EmailKind, GatePolicy, Platform};

use super::document::{Document, Section, list_items};
use super::files::{self, EXAMPLES_DIR, PLAYBOOK};

/// The most knowledge-base text one prompt is given; files past it are left out (examples
/// first), so a long folder cannot crowd out the email.
pub const MAX_PROMPT_CHARS: usize = 24_000;

/// Examples given with one email.
const MAX_EXAMPLES: usize = 2;

/// Every usable file, and the words the templates take from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    docs: BTreeMap<String, Document>,
    wording: Wording,
}

impl Snapshot {
    /// The shipped knowledge base.
    pub fn builtin() -> Snapshot {
        let docs = files::DEFAULT_FILES
            .iter()
            .filter(|f| f.path != "README.md")
            .filter_map(|f| Some((f.path.to_owned(), Document::parse(f.text.as_bytes()).ok()?)))
            .collect();
        Snapshot::from_docs(docs)
    }

    /// From files already checked with [`check`].
    pub fn from_docs(docs: BTreeMap<String, Document>) -> Snapshot {
        let mut wording = Wording::builtin();
        for (path, doc) in &docs {
            // Checked before; a file that fails here keeps the built-in words.
            let _ = apply_wording(path, doc, &mut wording, None);
        }
        Snapshot { docs, wording }
    }

    pub fn wording(&self) -> &Wording {
        &self.wording
    }

    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    /// The knowledge an email is written with: the playbook, the platform's file, the stage's
    /// file and up to two examples of the stage (the platform's first), each in a `<file>`
    /// element, at most [`MAX_PROMPT_CHARS`] in all.
    pub fn guidance(&self, platform: Platform, kind: EmailKind) -> String {
        let stage = files::stage_name(kind);
        let mut chosen = vec![
            PLAYBOOK.to_owned(),
            files::platform_file(platform),
            files::stage_file(kind),
        ];
        let mut examples: Vec<(&String, &Document)> = self
            .docs
            .iter()
            .filter(|(path, doc)| {
                path.starts_with(EXAMPLES_DIR)
                    && doc
                        .front
                        .get("stage")
                        .is_some_and(|s| s.eq_ignore_ascii_case(stage))
            })
            .collect();
        examples.sort_by_key(|(path, doc)| {
            let same_platform = doc
                .front
                .get("platform")
                .is_some_and(|p| p.eq_ignore_ascii_case(platform.as_str()));
            (!same_platform, (*path).clone())
        });
        chosen.extend(
            examples
                .into_iter()
                .take(MAX_EXAMPLES)
                .map(|(path, _)| path.clone()),
        );
        let mut out = String::new();
        for path in chosen {
            let Some(doc) = self.docs.get(&path) else {
                continue;
            };
            let element = format!("<file name=\"{path}\">\n{}\n</file>\n", doc.body);
            if out.len() + element.len() > MAX_PROMPT_CHARS {
                continue;
            }
            let _ = write!(out, "{element}");
        }
        out
    }
}

/// Why `doc` (at `path`) cannot be used, if it cannot: a wording list with something other
/// than items, or a phrase the gate would refuse.
pub fn check(path: &str, doc: &Document, policy: &GatePolicy) -> Result<(), String> {
    let mut scratch = Wording::builtin();
    apply_wording(path, doc, &mut scratch, Some(policy))?;
    if path.starts_with(EXAMPLES_DIR) {
        if let Some(stage) = doc.front.get("stage")
            && !EmailKind::ALL
                .iter()
                .any(|k| files::stage_name(*k).eq_ignore_ascii_case(stage))
        {
            return Err(format!(
                "the front matter's stage {stage:?} is not one of opening, counter, answer, \
                 agreement, follow-up, decline"
            ));
        }
        if let Some(platform) = doc.front.get("platform")
            && platform.parse::<Platform>().is_err()
        {
            return Err(format!(
                "the front matter's platform {platform:?} is not one of instagram, tiktok, youtube"
            ));
        }
    }
    Ok(())
}

/// Puts the file's wording lists into `wording`; with a policy, every phrase is checked.
fn apply_wording(
    path: &str,
    doc: &Document,
    wording: &mut Wording,
    policy: Option<&GatePolicy>,
) -> Result<(), String> {
    let read = |section: Option<&Section>| -> Result<Option<Vec<String>>, String> {
        let Some(section) = section else {
            return Ok(None);
        };
        let items = list_items(section)?;
        if let Some(policy) = policy {
            for (line, phrase) in &items {
                if let Some(problem) = phrase_problem(phrase, policy) {
                    return Err(format!(
                        "line {line}, in `## {}`: {phrase:?} {problem}",
                        section.heading
                    ));
                }
            }
        }
        Ok(Some(items.into_iter().map(|(_, phrase)| phrase).collect()))
    };
    if path == PLAYBOOK {
        if let Some(items) = read(doc.section("Greetings"))? {
            wording.greetings = items;
        }
        let sign_offs = doc
            .section("Sign-offs")
            .or_else(|| doc.section("Sign offs"));
        if let Some(items) = read(sign_offs)? {
            wording.sign_offs = items;
        }
        return Ok(());
    }
    let Some(kind) = EmailKind::ALL
        .iter()
        .copied()
        .find(|k| files::stage_file(*k) == path)
    else {
        return Ok(());
    };
    let mut stage: StageWording = wording.stage(kind).clone();
    for (heading, slot) in [
        ("Openers", &mut stage.openers),
        ("Compliments", &mut stage.compliments),
        ("Transitions", &mut stage.transitions),
        ("Closings", &mut stage.closings),
    ] {
        if let Some(items) = read(doc.section(heading))? {
            *slot = items;
        }
    }
    *wording.stage_mut(kind) = stage;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_say_what_the_templates_say_built_in() {
        let policy = GatePolicy::default();
        for file in files::DEFAULT_FILES
            .iter()
            .filter(|f| f.path != "README.md")
        {
            let doc = Document::parse(file.text.as_bytes()).unwrap();
            assert_eq!(check(file.path, &doc, &policy), Ok(()), "{}", file.path);
        }
        let snapshot = Snapshot::builtin();
        assert_eq!(snapshot.wording(), &Wording::builtin());
        assert_eq!(snapshot.files().count(), files::DEFAULT_FILES.len() - 1);
    }

    #[test]
    fn guidance_takes_the_playbook_platform_stage_and_matching_examples() {
        let text = Snapshot::builtin().guidance(Platform::Tiktok, EmailKind::Counter);
        for name in [
            "playbook.md",
            "platforms/tiktok.md",
            "stages/counter.md",
            "examples/counter-tiktok.md",
        ] {
            assert!(text.contains(&format!("<file name=\"{name}\">")), "{name}");
        }
        assert!(!text.contains("platforms/instagram.md"));
        assert!(!text.contains("stages/opening.md"));
        assert!(!text.contains("---\ntitle"), "front matter is left out");
    }
}
