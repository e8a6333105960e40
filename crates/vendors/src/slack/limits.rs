//! Slack's documented Block Kit and message limits: [`validate`] lists what breaks them and
//! [`fit`] bends a message into them (splitting fields, cutting long text with a pointer to
//! the full version) instead of letting Slack refuse it.

use std::fmt;

use super::blocks::{ActionElement, Block, Button, Confirm, Message, Text};
use super::text::{chars, truncate};

/// Blocks in one message (100 is for modals and the Home tab only).
pub const MAX_BLOCKS: usize = 50;
pub const HEADER_TEXT: usize = 150;
pub const SECTION_TEXT: usize = 3_000;
pub const SECTION_FIELDS: usize = 10;
pub const FIELD_TEXT: usize = 2_000;
pub const CONTEXT_ELEMENTS: usize = 10;
/// Any text object not limited more tightly.
pub const TEXT_OBJECT: usize = 3_000;
pub const ACTIONS_ELEMENTS: usize = 25;
pub const BUTTON_TEXT: usize = 75;
pub const BUTTON_VALUE: usize = 2_000;
pub const ACTION_ID: usize = 255;
pub const BLOCK_ID: usize = 255;
pub const CONFIRM_TITLE: usize = 100;
pub const CONFIRM_TEXT: usize = 300;
pub const CONFIRM_BUTTON: usize = 30;
/// Slack silently truncates a message's `text` above this.
pub const MESSAGE_TEXT: usize = 40_000;
/// What Slack recommends for `text`; [`fit`] cuts the fallback to this.
pub const MESSAGE_TEXT_RECOMMENDED: usize = 4_000;

/// One documented limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Blocks,
    HeaderText,
    HeaderNotPlain,
    SectionText,
    SectionFields,
    FieldText,
    SectionEmpty,
    ContextElements,
    ContextText,
    ActionsElements,
    ButtonText,
    ButtonValue,
    ActionId,
    BlockId,
    ConfirmTitle,
    ConfirmText,
    ConfirmButton,
    MessageText,
    /// A text object with no text, or a context/actions block with no elements.
    Empty,
    /// No text and no blocks.
    NoContent,
}

impl Limit {
    /// The largest count allowed (0 for rules that are not about size).
    pub fn max(self) -> usize {
        match self {
            Limit::Blocks => MAX_BLOCKS,
            Limit::HeaderText => HEADER_TEXT,
            Limit::SectionText => SECTION_TEXT,
            Limit::SectionFields => SECTION_FIELDS,
            Limit::FieldText => FIELD_TEXT,
            Limit::ContextElements => CONTEXT_ELEMENTS,
            Limit::ContextText => TEXT_OBJECT,
            Limit::ActionsElements => ACTIONS_ELEMENTS,
            Limit::ButtonText => BUTTON_TEXT,
            Limit::ButtonValue => BUTTON_VALUE,
            Limit::ActionId => ACTION_ID,
            Limit::BlockId => BLOCK_ID,
            Limit::ConfirmTitle => CONFIRM_TITLE,
            Limit::ConfirmText => CONFIRM_TEXT,
            Limit::ConfirmButton => CONFIRM_BUTTON,
            Limit::MessageText => MESSAGE_TEXT,
            Limit::HeaderNotPlain | Limit::SectionEmpty | Limit::Empty | Limit::NoContent => 0,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Limit::Blocks => "blocks in the message",
            Limit::HeaderText => "characters of header text",
            Limit::HeaderNotPlain => "a header must be plain_text",
            Limit::SectionText => "characters of section text",
            Limit::SectionFields => "fields in the section",
            Limit::FieldText => "characters in a field",
            Limit::SectionEmpty => "a section needs text or fields",
            Limit::ContextElements => "elements in the context block",
            Limit::ContextText => "characters in a context element",
            Limit::ActionsElements => "elements in the actions block",
            Limit::ButtonText => "characters of button text",
            Limit::ButtonValue => "characters of button value",
            Limit::ActionId => "characters of action_id",
            Limit::BlockId => "characters of block_id",
            Limit::ConfirmTitle => "characters of confirm title",
            Limit::ConfirmText => "characters of confirm text",
            Limit::ConfirmButton => "characters of a confirm button",
            Limit::MessageText => "characters of message text",
            Limit::Empty => "an empty text or element list",
            Limit::NoContent => "a message needs text or blocks",
        }
    }
}

/// Where a message breaks a limit, and by how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitViolation {
    /// The block's position, or `None` for the message itself.
    pub block: Option<usize>,
    pub limit: Limit,
    /// The count found (0 for rules that are not about size).
    pub actual: usize,
}

impl fmt::Display for LimitViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(block) = self.block {
            write!(f, "block {block}: ")?;
        }
        match self.limit.max() {
            0 => f.write_str(self.limit.describe()),
            max => write!(
                f,
                "{} {} (Slack allows {max})",
                self.actual,
                self.limit.describe()
            ),
        }
    }
}

/// Every way `message` breaks Slack's documented limits; `Ok` when it breaks none.
pub fn validate(message: &Message) -> Result<(), Vec<LimitViolation>> {
    let mut found = Vec::new();
    let mut check = |block: Option<usize>, limit: Limit, actual: usize| {
        if actual > limit.max() {
            found.push(LimitViolation {
                block,
                limit,
                actual,
            });
        }
    };
    check(None, Limit::MessageText, chars(&message.text));
    check(None, Limit::Blocks, message.blocks.len());
    if message.text.trim().is_empty() && message.blocks.is_empty() {
        check(None, Limit::NoContent, 1);
    }
    for (index, block) in message.blocks.iter().enumerate() {
        let at = Some(index);
        let empty = |text: &Text| {
            if text.as_str().trim().is_empty() {
                1
            } else {
                0
            }
        };
        if let Some(id) = block_id(block) {
            check(at, Limit::BlockId, chars(id));
        }
        match block {
            Block::Header { text, .. } => {
                check(at, Limit::HeaderText, chars(text.as_str()));
                check(at, Limit::HeaderNotPlain, usize::from(!text.is_plain()));
                check(at, Limit::Empty, empty(text));
            }
            Block::Section { text, fields, .. } => {
                if let Some(text) = text {
                    check(at, Limit::SectionText, chars(text.as_str()));
                    check(at, Limit::Empty, empty(text));
                }
                check(at, Limit::SectionFields, fields.len());
                for field in fields {
                    check(at, Limit::FieldText, chars(field.as_str()));
                    check(at, Limit::Empty, empty(field));
                }
                check(
                    at,
                    Limit::SectionEmpty,
                    usize::from(text.is_none() && fields.is_empty()),
                );
            }
            Block::Divider { .. } => {}
            Block::Context { elements, .. } => {
                check(at, Limit::ContextElements, elements.len());
                check(at, Limit::Empty, usize::from(elements.is_empty()));
                for element in elements {
                    check(at, Limit::ContextText, chars(element.as_str()));
                    check(at, Limit::Empty, empty(element));
                }
            }
            Block::Actions { elements, .. } => {
                check(at, Limit::ActionsElements, elements.len());
                check(at, Limit::Empty, usize::from(elements.is_empty()));
                for ActionElement::Button(button) in elements {
                    check(at, Limit::ButtonText, chars(button.text.as_str()));
                    check(at, Limit::Empty, empty(&button.text));
                    check(at, Limit::ActionId, chars(&button.action_id));
                    if let Some(value) = &button.value {
                        check(at, Limit::ButtonValue, chars(value));
                    }
                    if let Some(confirm) = &button.confirm {
                        check(at, Limit::ConfirmTitle, chars(confirm.title.as_str()));
                        check(at, Limit::ConfirmText, chars(confirm.text.as_str()));
                        check(at, Limit::ConfirmButton, chars(confirm.confirm.as_str()));
                        check(at, Limit::ConfirmButton, chars(confirm.deny.as_str()));
                    }
                }
            }
        }
    }
    if found.is_empty() { Ok(()) } else { Err(found) }
}

fn block_id(block: &Block) -> Option<&str> {
    match block {
        Block::Header { block_id, .. }
        | Block::Section { block_id, .. }
        | Block::Divider { block_id }
        | Block::Context { block_id, .. }
        | Block::Actions { block_id, .. } => block_id.as_deref(),
    }
}

/// `message` bent into Slack's limits. Long text is cut and ends with "… {pointer}" (say,
/// "full text: `negotiator audit --thread t-1`"); a section with more than ten fields becomes
/// several sections; empty texts and blocks are dropped; a button whose `value` or
/// `action_id` is too long is dropped (a cut payload would act on the wrong thing); past 50
/// blocks, the last sections make way for one note with the pointer, keeping the header,
/// context and buttons. The result passes [`validate`] unless it had neither text nor blocks.
pub fn fit(message: Message, pointer: &str) -> Message {
    let long_tail = if pointer.trim().is_empty() {
        "\n…".to_owned()
    } else {
        format!("\n… {pointer}")
    };
    let mut blocks = Vec::with_capacity(message.blocks.len());
    for block in message.blocks {
        fit_block(block, &long_tail, &mut blocks);
    }
    let blocks = fit_count(blocks, pointer);
    let text = truncate(&message.text, MESSAGE_TEXT_RECOMMENDED, "…");
    Message { text, blocks }
}

fn cut(text: &mut Text, max: usize, tail: &str) {
    if chars(text.as_str()) > max {
        let short = truncate(text.as_str(), max, tail);
        *text.text_mut() = short;
    }
}

fn is_blank(text: &Text) -> bool {
    text.as_str().trim().is_empty()
}

/// Fits one block; pushes what is left of it (nothing, one or several blocks) onto `out`.
fn fit_block(mut block: Block, long_tail: &str, out: &mut Vec<Block>) {
    if let Some(id) = block.block_id_mut()
        && chars(id) > BLOCK_ID
    {
        *id = id.chars().take(BLOCK_ID).collect();
    }
    match block {
        Block::Header { mut text, block_id } => {
            if is_blank(&text) {
                return;
            }
            if !text.is_plain() {
                text = Text::plain(text.as_str());
            }
            cut(&mut text, HEADER_TEXT, "…");
            out.push(Block::Header { text, block_id });
        }
        Block::Section {
            text,
            fields,
            block_id,
        } => {
            let text = text.filter(|t| !is_blank(t)).map(|mut t| {
                cut(&mut t, SECTION_TEXT, long_tail);
                t
            });
            let mut fields: Vec<Text> = fields
                .into_iter()
                .filter(|f| !is_blank(f))
                .map(|mut f| {
                    cut(&mut f, FIELD_TEXT, long_tail);
                    f
                })
                .collect();
            if text.is_none() && fields.is_empty() {
                return;
            }
            let rest = fields.split_off(fields.len().min(SECTION_FIELDS));
            out.push(Block::Section {
                text,
                fields,
                block_id,
            });
            for chunk in rest.chunks(SECTION_FIELDS) {
                out.push(Block::Section {
                    text: None,
                    fields: chunk.to_vec(),
                    block_id: None,
                });
            }
        }
        Block::Divider { .. } => out.push(block),
        Block::Context { elements, block_id } => {
            let elements: Vec<Text> = elements
                .into_iter()
                .filter(|e| !is_blank(e))
                .take(CONTEXT_ELEMENTS)
                .map(|mut e| {
                    cut(&mut e, TEXT_OBJECT, "…");
                    e
                })
                .collect();
            if !elements.is_empty() {
                out.push(Block::Context { elements, block_id });
            }
        }
        Block::Actions { elements, block_id } => {
            let elements: Vec<ActionElement> = elements
                .into_iter()
                .filter_map(|ActionElement::Button(button)| fit_button(button))
                .take(ACTIONS_ELEMENTS)
                .map(ActionElement::Button)
                .collect();
            if !elements.is_empty() {
                out.push(Block::Actions { elements, block_id });
            }
        }
    }
}

fn fit_button(mut button: Button) -> Option<Button> {
    let value_too_long = button
        .value
        .as_deref()
        .is_some_and(|v| chars(v) > BUTTON_VALUE);
    if value_too_long || chars(&button.action_id) > ACTION_ID || is_blank(&button.text) {
        tracing::warn!(
            action_id = %button.action_id.chars().take(40).collect::<String>(),
            "a Slack button could not be fitted into Slack's limits and was left out"
        );
        return None;
    }
    cut(&mut button.text, BUTTON_TEXT, "…");
    if let Some(confirm) = &mut button.confirm {
        fit_confirm(confirm);
    }
    Some(button)
}

fn fit_confirm(confirm: &mut Confirm) {
    cut(&mut confirm.title, CONFIRM_TITLE, "…");
    cut(&mut confirm.text, CONFIRM_TEXT, "…");
    cut(&mut confirm.confirm, CONFIRM_BUTTON, "…");
    cut(&mut confirm.deny, CONFIRM_BUTTON, "…");
}

/// At most [`MAX_BLOCKS`]: the last sections and dividers give way to one note.
fn fit_count(mut blocks: Vec<Block>, pointer: &str) -> Vec<Block> {
    if blocks.len() <= MAX_BLOCKS {
        return blocks;
    }
    let excess = blocks.len() - (MAX_BLOCKS - 1);
    let removable: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Section { .. } | Block::Divider { .. }))
        .map(|(index, _)| index)
        .collect();
    let note = |dropped: usize| {
        let mut text = format!("_… {dropped} more block(s) not shown._");
        if !pointer.trim().is_empty() {
            text.push(' ');
            text.push_str(pointer);
        }
        Block::section(truncate(&text, SECTION_TEXT, "…"))
    };
    if removable.len() < excess {
        blocks.truncate(MAX_BLOCKS - 1);
        blocks.push(note(excess));
        return blocks;
    }
    let dropped = &removable[removable.len() - excess..];
    let at = dropped[0];
    for &index in dropped.iter().rev() {
        blocks.remove(index);
    }
    blocks.insert(at, note(excess));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::blocks::ButtonStyle;

    const POINTER: &str = "full text: `negotiator audit --thread t-1`";

    fn text_of(block: &Block) -> &str {
        match block {
            Block::Section { text: Some(t), .. } | Block::Header { text: t, .. } => t.as_str(),
            _ => "",
        }
    }

    #[test]
    fn a_message_within_the_limits_is_left_alone() {
        let message = Message::new(
            "Deal agreed",
            vec![
                Block::header("Deal agreed"),
                Block::section("Jane agreed to $1,250.00."),
                Block::fields((0..10).map(|i| format!("*F{i}*\nv"))),
                Block::actions([Button::new("Send", "draft_send").style(ButtonStyle::Primary)]),
            ],
        );
        assert_eq!(validate(&message), Ok(()));
        assert_eq!(fit(message.clone(), POINTER), message);
    }

    #[test]
    fn long_text_is_cut_with_a_pointer_and_extra_fields_become_sections() {
        let message = Message::new(
            "x".repeat(50_000),
            vec![
                Block::header("H".repeat(400)),
                Block::section("word ".repeat(2_000)),
                Block::fields((0..23).map(|i| format!("*F{i}*\n{}", "v".repeat(2_500)))),
                Block::context("c".repeat(4_000)),
                Block::actions([
                    Button::new("B".repeat(100), "ok"),
                    Button::new("gone", "too_long").value("v".repeat(2_001)),
                ]),
            ],
        );
        let errors = validate(&message).unwrap_err();
        let limits: Vec<Limit> = errors.iter().map(|e| e.limit).collect();
        for limit in [
            Limit::MessageText,
            Limit::HeaderText,
            Limit::SectionText,
            Limit::SectionFields,
            Limit::FieldText,
            Limit::ContextText,
            Limit::ButtonText,
            Limit::ButtonValue,
        ] {
            assert!(limits.contains(&limit), "{limit:?} in {errors:?}");
        }
        assert!(
            errors[0].to_string().contains("(Slack allows 40000)"),
            "{}",
            errors[0]
        );

        let fitted = fit(message, POINTER);
        assert_eq!(validate(&fitted), Ok(()), "{:#?}", fitted.blocks);
        assert_eq!(fitted.text.chars().count(), MESSAGE_TEXT_RECOMMENDED);
        assert!(text_of(&fitted.blocks[1]).ends_with(POINTER));
        // 23 fields: 10 + 10 + 3, nothing lost.
        let field_counts: Vec<usize> = fitted
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Section { fields, .. } if !fields.is_empty() => Some(fields.len()),
                _ => None,
            })
            .collect();
        assert_eq!(field_counts, [10, 10, 3]);
        let Some(Block::Actions { elements, .. }) = fitted.blocks.last() else {
            panic!("the buttons stay last");
        };
        assert_eq!(
            elements.len(),
            1,
            "the button with a cut payload is left out"
        );
    }

    #[test]
    fn past_fifty_blocks_the_last_sections_make_way_for_a_note() {
        let mut blocks = vec![Block::header("Many")];
        blocks.extend((0..70).map(|i| Block::section(format!("part {i}"))));
        blocks.push(Block::context("campaign glow"));
        blocks.push(Block::actions([Button::new("Send", "draft_send")]));
        let fitted = fit(Message::new("Many", blocks), POINTER);
        assert_eq!(fitted.blocks.len(), MAX_BLOCKS);
        assert_eq!(validate(&fitted), Ok(()));
        assert_eq!(text_of(&fitted.blocks[0]), "Many");
        assert_eq!(text_of(&fitted.blocks[1]), "part 0");
        let note = text_of(&fitted.blocks[47]);
        assert!(
            note.contains("24 more block(s) not shown") && note.ends_with(POINTER),
            "{note}"
        );
        assert!(matches!(fitted.blocks[48], Block::Context { .. }));
        assert!(matches!(fitted.blocks[49], Block::Actions { .. }));
    }

    #[test]
    fn empty_pieces_are_dropped_and_reported() {
        let message = Message::new(
            "",
            vec![
                Block::header(" "),
                Block::section(""),
                Block::Section {
                    text: None,
                    fields: vec![],
                    block_id: None,
                },
                Block::Context {
                    elements: vec![],
                    block_id: None,
                },
                Block::section("kept"),
            ],
        );
        let errors = validate(&message).unwrap_err();
        assert!(errors.iter().any(|e| e.limit == Limit::SectionEmpty));
        assert!(errors.iter().any(|e| e.limit == Limit::Empty));
        let fitted = fit(message, POINTER);
        assert_eq!(fitted.blocks, vec![Block::section("kept")]);
        assert_eq!(validate(&fitted), Ok(()));
        let nothing = Message::default();
        assert_eq!(validate(&nothing).unwrap_err()[0].limit, Limit::NoContent);
    }
}
