//! Deliverables named in an email, with the counts written next to them.

use std::ops::Range;

use super::amounts::{CURRENCY_SIGNS, is_connector_word, number_word};
use super::{Word, tokenize};
use crate::platform::{DeliverableType, Platform};

/// A deliverable named in an email, with the count written next to it if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliverableMention {
    pub kind: DeliverableType,
    /// `2` in "2 Instagram reels", "2 x reel", "reel x 2", "two reels".
    pub quantity: Option<u32>,
    pub span: Range<usize>,
}

/// Every deliverable `text` names: labels ("Instagram reel", "YouTube dedicated video") and
/// common words ("reels", "stories", "shorts", "integration", "post"). Words used on several
/// platforms ("story", "post", "video") are read for `platform`; "reel" is always Instagram
/// and "short" / "integration" / "dedicated video" always YouTube.
pub fn find_deliverables(text: &str, platform: Platform) -> Vec<DeliverableMention> {
    use DeliverableType::*;
    let words = tokenize(text);
    let w = |i: usize| words.get(i).map_or("", |word| word.text.as_str());
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = i;
        // Platform name, possibly in two words ("tik tok", "you tube").
        let (named, after_name) = match (w(i), w(i + 1)) {
            ("instagram" | "ig" | "insta", _) => (Some(Platform::Instagram), i + 1),
            ("tiktok", _) => (Some(Platform::Tiktok), i + 1),
            ("tik", "tok") => (Some(Platform::Tiktok), i + 2),
            ("youtube" | "yt", _) => (Some(Platform::Youtube), i + 1),
            ("you", "tube") => (Some(Platform::Youtube), i + 2),
            _ => (None, i),
        };
        let j = after_name;
        let noun = w(j);
        let found: Option<(DeliverableType, usize)> = match (named, noun) {
            (Some(Platform::Instagram), "post" | "posts") => Some((InstagramPost, j)),
            (Some(Platform::Instagram), "reel" | "reels") => Some((InstagramReel, j)),
            (Some(Platform::Instagram), "story" | "stories" | "storys") => {
                Some((InstagramStory, j))
            }
            (Some(Platform::Tiktok), "video" | "videos" | "post" | "posts") => {
                Some((TiktokVideo, j))
            }
            (Some(Platform::Tiktok), "story" | "stories" | "storys") => Some((TiktokStory, j)),
            (Some(Platform::Youtube), "short" | "shorts") => Some((YoutubeShort, j)),
            (Some(Platform::Youtube), "integration" | "integrations") => {
                Some((YoutubeIntegration, j))
            }
            (Some(Platform::Youtube), "dedicated") if is_video(w(j + 1)) => {
                Some((YoutubeDedicated, j + 1))
            }
            (Some(_), _) => None,
            (None, "reel" | "reels") => Some((InstagramReel, j)),
            (None, "shorts") => Some((YoutubeShort, j)),
            (None, "short") if short_is_a_noun(text, &words, j) => Some((YoutubeShort, j)),
            (None, "integration" | "integrations") => Some((YoutubeIntegration, j)),
            (None, "dedicated") if is_video(w(j + 1)) => Some((YoutubeDedicated, j + 1)),
            (None, "dedicated") if matches!(w(j + 1), "youtube" | "yt") && is_video(w(j + 2)) => {
                Some((YoutubeDedicated, j + 2))
            }
            (None, "story" | "stories" | "storys") if story_is_a_noun(&words, j) => {
                match platform {
                    Platform::Instagram => Some((InstagramStory, j)),
                    Platform::Tiktok => Some((TiktokStory, j)),
                    Platform::Youtube => None,
                }
            }
            (None, "post" | "posts") if post_is_a_noun(text, &words, j) => match platform {
                Platform::Instagram => Some((InstagramPost, j)),
                Platform::Tiktok => Some((TiktokVideo, j)),
                Platform::Youtube => None,
            },
            (None, "video" | "videos") if platform == Platform::Tiktok => Some((TiktokVideo, j)),
            _ => None,
        };
        match found {
            Some((kind, last)) => {
                let quantity = quantity_before(text, &words, start)
                    .or_else(|| quantity_after(text, &words, last));
                out.push(DeliverableMention {
                    kind,
                    quantity,
                    span: words[start].span.start..words[last].span.end,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// True when the mention is the influencer's own earlier work, not something we ask for:
/// "your last 3 reels", "your recent stories", "your latest TikTok video", and "your reels"
/// without a count ("your 2 reels" is the deal's, and its count is checked).
pub(super) fn is_their_own_content(text: &str, mention: &DeliverableMention) -> bool {
    let start = mention.span.start;
    let sentence = text[..start]
        .rfind(['\n', '.', '!', '?', ';'])
        .map_or(0, |p| p + 1);
    let words = tokenize(&text[sentence..start]);
    let mut before = words.iter().rev().map(|w| w.text.as_str());
    let mut word = before.next();
    if mention.quantity.is_none() && word == Some("your") {
        return true;
    }
    if word.is_some_and(|w| count_word(w).is_some()) {
        word = before.next();
    }
    word.is_some_and(|w| {
        matches!(
            w,
            "last" | "recent" | "latest" | "past" | "previous" | "earlier" | "older" | "existing"
        )
    })
}

fn is_video(word: &str) -> bool {
    matches!(word, "video" | "videos")
}

fn gap<'a>(text: &'a str, words: &[Word], left: usize, right: usize) -> &'a str {
    &text[words[left].span.end..words[right].span.start]
}

/// "short" is a deliverable after a count ("1 short", "a short for $500"), not as an adjective
/// ("a short note").
fn short_is_a_noun(text: &str, words: &[Word], j: usize) -> bool {
    let counted = j > 0
        && gap(text, words, j - 1, j).trim().is_empty()
        && (count_word(&words[j - 1].text).is_some() || words[j - 1].text == "a");
    let next_is_noun = words.get(j + 1).is_some_and(|next| {
        gap(text, words, j, j + 1).trim().is_empty() && !is_connector_word(&next.text)
    });
    counted && !next_is_noun
}

/// A story is a narrative, not a deliverable, in "the story behind the brand", "your brand
/// story", "a success story".
fn story_is_a_noun(words: &[Word], j: usize) -> bool {
    let next = words.get(j + 1).map(|w| w.text.as_str());
    let prev = j.checked_sub(1).map(|p| words[p].text.as_str());
    words[j].text != "story"
        || !(matches!(next, Some("behind" | "of" | "about"))
            || matches!(
                prev,
                Some("brand" | "success" | "origin" | "life" | "love" | "whole" | "true" | "back")
            ))
}

/// "post" is a verb after a subject or modal ("once you post", "we'll post"), and a blog post
/// is not an Instagram one.
fn post_is_a_noun(text: &str, words: &[Word], j: usize) -> bool {
    if j > 0 && matches!(words[j - 1].text.as_str(), "blog" | "linkedin" | "facebook") {
        return false;
    }
    if words[j].text == "post" {
        if text[words[j].span.end..].starts_with('-') {
            return false;
        }
        if j > 0
            && matches!(
                words[j - 1].text.as_str(),
                "to" | "you"
                    | "we"
                    | "they"
                    | "i"
                    | "will"
                    | "ll"
                    | "can"
                    | "could"
                    | "would"
                    | "should"
                    | "please"
                    | "then"
                    | "once"
                    | "when"
                    | "may"
                    | "might"
                    | "must"
                    | "not"
                    | "t"
                    | "d"
            )
        {
            return false;
        }
    }
    true
}

fn count_word(word: &str) -> Option<u32> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    match number_word(word)? {
        n @ 1..=20 => u32::try_from(n).ok(),
        _ => None,
    }
}

/// "2 Instagram reels", "2 x reel", "2x reels", "2 × reels", "two reels".
fn quantity_before(text: &str, words: &[Word], start: usize) -> Option<u32> {
    if start == 0 {
        return None;
    }
    let prev = &words[start - 1];
    let between = gap(text, words, start - 1, start);
    let is_amount = |w: &Word| {
        text[..w.span.start]
            .chars()
            .next_back()
            .is_some_and(|c| CURRENCY_SIGNS.contains(&c) || c == '.' || c == ',')
    };
    if matches!(between.trim(), "" | "×") {
        if let Some(n) = count_word(&prev.text)
            && !is_amount(prev)
        {
            return Some(n);
        }
        if let Some(digits) = prev.text.strip_suffix('x')
            && let Some(n) = count_word(digits)
        {
            return Some(n);
        }
        if prev.text == "x"
            && start >= 2
            && gap(text, words, start - 2, start - 1).trim().is_empty()
        {
            return count_word(&words[start - 2].text).filter(|_| !is_amount(&words[start - 2]));
        }
    }
    None
}

/// "Instagram reel x 2", "reels ×2", "reels (2)".
fn quantity_after(text: &str, words: &[Word], last: usize) -> Option<u32> {
    let next = words.get(last + 1)?;
    let between = gap(text, words, last, last + 1).trim();
    if next.text == "x" && between.is_empty() {
        let number = words.get(last + 2)?;
        if gap(text, words, last + 1, last + 2).trim().is_empty() {
            return count_word(&number.text)
                .filter(|_| number.text.bytes().all(|b| b.is_ascii_digit()));
        }
        return None;
    }
    if let Some(digits) = next.text.strip_prefix('x')
        && between.is_empty()
    {
        return count_word(digits).filter(|_| digits.bytes().all(|b| b.is_ascii_digit()));
    }
    if matches!(between, "×" | "(") && next.text.bytes().all(|b| b.is_ascii_digit()) {
        return count_word(&next.text);
    }
    None
}
