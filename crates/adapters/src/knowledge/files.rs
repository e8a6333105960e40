//! The files a knowledge base is made of, and the shipped default of each.

use negotiator_domain::{EmailKind, Platform};

/// One shipped file: its path inside the knowledge base, and its text.
#[derive(Clone, Copy, Debug)]
pub struct DefaultFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// The default knowledge base, of our own writing; `negotiator init` copies it out.
pub const DEFAULT_FILES: &[DefaultFile] = &[
    DefaultFile {
        path: "README.md",
        text: include_str!("../../kb/README.md"),
    },
    DefaultFile {
        path: "playbook.md",
        text: include_str!("../../kb/playbook.md"),
    },
    DefaultFile {
        path: "platforms/instagram.md",
        text: include_str!("../../kb/platforms/instagram.md"),
    },
    DefaultFile {
        path: "platforms/tiktok.md",
        text: include_str!("../../kb/platforms/tiktok.md"),
    },
    DefaultFile {
        path: "platforms/youtube.md",
        text: include_str!("../../kb/platforms/youtube.md"),
    },
    DefaultFile {
        path: "stages/opening.md",
        text: include_str!("../../kb/stages/opening.md"),
    },
    DefaultFile {
        path: "stages/counter.md",
        text: include_str!("../../kb/stages/counter.md"),
    },
    DefaultFile {
        path: "stages/answer.md",
        text: include_str!("../../kb/stages/answer.md"),
    },
    DefaultFile {
        path: "stages/agreement.md",
        text: include_str!("../../kb/stages/agreement.md"),
    },
    DefaultFile {
        path: "stages/follow-up.md",
        text: include_str!("../../kb/stages/follow-up.md"),
    },
    DefaultFile {
        path: "stages/decline.md",
        text: include_str!("../../kb/stages/decline.md"),
    },
    DefaultFile {
        path: "examples/opening-instagram.md",
        text: include_str!("../../kb/examples/opening-instagram.md"),
    },
    DefaultFile {
        path: "examples/counter-tiktok.md",
        text: include_str!("../../kb/examples/counter-tiktok.md"),
    },
    DefaultFile {
        path: "examples/agreement-youtube.md",
        text: include_str!("../../kb/examples/agreement-youtube.md"),
    },
];

pub const PLAYBOOK: &str = "playbook.md";
pub const EXAMPLES_DIR: &str = "examples";

/// `platforms/instagram.md`.
pub fn platform_file(platform: Platform) -> String {
    format!("platforms/{}.md", platform.as_str())
}

/// The stage's name in file names and front matter: `opening`, …, `follow-up`, `decline`.
pub fn stage_name(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::FollowUp => "follow-up",
        other => other.as_str(),
    }
}

/// `stages/follow-up.md`.
pub fn stage_file(kind: EmailKind) -> String {
    format!("stages/{}.md", stage_name(kind))
}

/// The files read from a folder besides the examples, in order.
pub fn fixed_files() -> Vec<String> {
    let mut files = vec![PLAYBOOK.to_owned()];
    files.extend(Platform::ALL.into_iter().map(platform_file));
    files.extend(EmailKind::ALL.iter().map(|kind| stage_file(*kind)));
    files
}

/// The shipped text of `path`, if it is one of ours.
pub fn default_text(path: &str) -> Option<&'static str> {
    DEFAULT_FILES
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.text)
}
