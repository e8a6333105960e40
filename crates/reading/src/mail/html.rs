//! HTML reply bodies to plain text, with quoted material dropped before the conversion.

/// Elements whose content is never visible.
const HIDDEN: &[&str] = &["head", "style", "script", "title", "template"];

/// Elements that begin and end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Classes of containers that hold the quoted original (Gmail, Yahoo, Thunderbird, Proton).
const QUOTE_CLASSES: &[&str] = &[
    "gmail_quote",
    "yahoo_quoted",
    "moz-cite-prefix",
    "protonmail_quote",
];

/// Ids of elements after which only the quoted original follows (Outlook, Zimbra).
const CUT_IDS: &[&str] = &["divrplyfwdmsg", "appendonsend", "zwchr"];

/// Converts an HTML body to text. Quoted material (`blockquote`, `div.gmail_quote` and
/// similar, and everything after an Outlook reply separator) is dropped first; entities are
/// decoded; `<br>` and block elements become line breaks.
pub fn html_to_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut conv = Converter {
        html,
        sink: Sink::default(),
        last_gt: html.rfind('>'),
        last_head_close: lower.rfind("</head"),
        lower,
    };
    let mut pos = 0;
    while pos < html.len() {
        pos = conv.step(pos);
    }
    conv.sink.finish()
}

struct Converter<'a> {
    html: &'a str,
    /// ASCII-lowercased copy (same byte offsets) for case-insensitive searches.
    lower: String,
    sink: Sink,
    /// Position of the last `>`: a `<` after it cannot start a tag.
    last_gt: Option<usize>,
    /// Position of the last `</head`: a `<head>` after it is never closed.
    last_head_close: Option<usize>,
}

impl Converter<'_> {
    fn step(&mut self, pos: usize) -> usize {
        let rest = &self.html[pos..];
        if rest.starts_with("<!--") {
            return find_after(self.html, pos + 4, "-->");
        }
        if let Some(tag) = self.tag_at(pos) {
            return self.on_tag(&tag);
        }
        let skip = usize::from(rest.starts_with('<'));
        let next = rest[skip..]
            .find('<')
            .map_or(self.html.len(), |i| pos + skip + i);
        self.sink.text(&self.html[pos..next]);
        next
    }

    fn tag_at(&self, pos: usize) -> Option<Tag> {
        let closable = self.last_gt.is_some_and(|gt| gt > pos);
        (closable && self.html[pos..].starts_with('<'))
            .then(|| Tag::parse(self.html, pos))
            .flatten()
    }

    fn on_tag(&mut self, tag: &Tag) -> usize {
        let name = tag.name.as_str();
        if tag.closing {
            if name == "pre" {
                self.sink.pre = self.sink.pre.saturating_sub(1);
            }
            if BLOCKS.contains(&name) {
                self.sink.block();
            }
            return tag.end;
        }
        if is_cut(tag) {
            return self.html.len();
        }
        if is_quote(tag) {
            return self.skip_element(tag);
        }
        if HIDDEN.contains(&name) {
            return self.skip_hidden(tag);
        }
        self.open(tag);
        tag.end
    }

    fn open(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match name {
            "br" => self.sink.newline(),
            "td" | "th" => self.sink.space = true,
            _ if BLOCKS.contains(&name) => self.sink.block(),
            _ => {}
        }
        if name == "pre" && !tag.self_closing {
            self.sink.pre += 1;
        }
    }

    /// Skips past the element's matching close tag (to the end if it is never closed).
    fn skip_element(&mut self, open: &Tag) -> usize {
        let mut depth = 1usize;
        let mut pos = open.end;
        while let Some(i) = self.html[pos..].find('<') {
            pos += i;
            if self.html[pos..].starts_with("<!--") {
                pos = find_after(self.html, pos + 4, "-->");
                continue;
            }
            let Some(tag) = self.tag_at(pos) else {
                pos += 1;
                continue;
            };
            if tag.name == open.name && !tag.self_closing {
                depth = if tag.closing { depth - 1 } else { depth + 1 };
                if depth == 0 {
                    return tag.end;
                }
            }
            pos = tag.end;
        }
        self.html.len()
    }

    fn skip_hidden(&self, open: &Tag) -> usize {
        // An unclosed <head> must not swallow the body (and is not searched for again).
        if open.name == "head" && self.last_head_close.is_none_or(|close| close < open.end) {
            return open.end;
        }
        let close = format!("</{}", open.name);
        self.lower[open.end..]
            .find(&close)
            .map_or(self.html.len(), |i| {
                find_after(self.html, open.end + i, ">")
            })
    }
}

fn find_after(html: &str, from: usize, pat: &str) -> usize {
    html.get(from..)
        .and_then(|rest| rest.find(pat))
        .map_or(html.len(), |i| from + i + pat.len())
}

fn is_cut(tag: &Tag) -> bool {
    if tag
        .attr("id")
        .is_some_and(|id| CUT_IDS.contains(&id.as_str()))
    {
        return true;
    }
    // Outlook desktop puts the original after a div styled as a top border.
    tag.name == "div"
        && tag.attr("style").is_some_and(|style| {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            style.contains("border:none") && style.contains("border-top:solid")
        })
}

fn is_quote(tag: &Tag) -> bool {
    tag.name == "blockquote"
        || tag.attr("class").is_some_and(|class| {
            class
                .split_whitespace()
                .any(|token| QUOTE_CLASSES.contains(&token))
        })
}

#[derive(Debug)]
struct Tag {
    /// Lowercased; empty for declarations such as `<!DOCTYPE>`.
    name: String,
    closing: bool,
    self_closing: bool,
    /// Lowercased attribute text.
    attrs: String,
    /// Byte offset just past `>`.
    end: usize,
}

impl Tag {
    fn parse(html: &str, pos: usize) -> Option<Tag> {
        let bytes = html.as_bytes();
        let mut i = pos + 1;
        let closing = bytes.get(i) == Some(&b'/');
        i += usize::from(closing);
        if !closing && matches!(bytes.get(i), Some(b'!' | b'?')) {
            let end = find_after(html, i, ">");
            return Some(Tag::declaration(end));
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
        {
            i += 1;
        }
        let close = tag_close(bytes, i)?;
        let attrs = html[i..close].to_ascii_lowercase();
        Some(Tag {
            name: html[start..i].to_ascii_lowercase(),
            closing,
            self_closing: attrs.trim_end().ends_with('/'),
            attrs,
            end: close + 1,
        })
    }

    fn declaration(end: usize) -> Tag {
        Tag {
            name: String::new(),
            closing: false,
            self_closing: true,
            attrs: String::new(),
            end,
        }
    }

    /// The lowercased value of one attribute.
    fn attr(&self, key: &str) -> Option<String> {
        let mut rest = self.attrs.as_str();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_len = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(name_len);
            let (value, after) = attr_value(after.trim_start());
            if name == key {
                return value.map(str::to_owned);
            }
            rest = after;
        }
    }
}

/// Splits `= value` (quoted or not) off the front of `rest`.
fn attr_value(rest: &str) -> (Option<&str>, &str) {
    let Some(rest) = rest.strip_prefix('=') else {
        return (None, rest);
    };
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let body = &rest[1..];
            let end = body.find(q).unwrap_or(body.len());
            (Some(&body[..end]), body.get(end + 1..).unwrap_or(""))
        }
        _ => {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (Some(&rest[..end]), &rest[end..])
        }
    }
}

/// Index of the `>` ending a tag, skipping quoted attribute values; falls back to the
/// first `>` when a quote is never closed.
fn tag_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    let mut after_equals = false;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') if after_equals => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            after_equals = quote.is_none() && b == b'=';
        }
    }
    bytes
        .iter()
        .skip(from)
        .position(|&b| b == b'>')
        .map(|i| from + i)
}

#[derive(Debug, Default)]
struct Sink {
    out: String,
    /// Whitespace seen since the last character; becomes one space before the next one.
    space: bool,
    /// Depth of `<pre>` elements, inside which whitespace is kept.
    pre: usize,
}

impl Sink {
    fn text(&mut self, raw: &str) {
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            rest[..amp].chars().for_each(|c| self.push(c));
            let entity = &rest[amp..];
            match decode_entity(entity) {
                Some((c, len)) => {
                    self.push(c);
                    rest = &entity[len..];
                }
                None => {
                    self.push('&');
                    rest = &entity[1..];
                }
            }
        }
        rest.chars().for_each(|c| self.push(c));
    }

    fn push(&mut self, c: char) {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if self.pre > 0 {
            if c != '\r' {
                self.out.push(c);
            }
            return;
        }
        if c.is_whitespace() {
            self.space = true;
            return;
        }
        if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push(c);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.space = false;
    }

    fn block(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.space = false;
    }

    /// Trims line ends, keeps at most two blank lines in a row, trims blank lines around.
    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        let mut blanks = 0;
        for line in self.out.lines().map(str::trim_end) {
            blanks = if line.is_empty() { blanks + 1 } else { 0 };
            if blanks <= 2 {
                lines.push(line);
            }
        }
        lines.join("\n").trim_matches('\n').to_owned()
    }
}

/// Decodes the entity at the start of `s` (which starts with `&`): the character and the
/// entity's length in bytes.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(40).position(|b| b == b';')?;
    let name = &s[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ if name.starts_with('#') => numeric_entity(&name[1..])?,
        _ => named_entity(&s[..=semi])?,
    };
    Some((c, semi + 1))
}

fn numeric_entity(code: &str) -> Option<char> {
    let value = match code.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => code.parse().ok()?,
    };
    Some(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER))
}

/// Any other named entity, through mail-parser's full entity table.
fn named_entity(entity: &str) -> Option<char> {
    if !entity[1..entity.len() - 1]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let decoded = mail_parser::decoders::html::html_to_text(entity);
    let mut chars = decoded.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c != '&' => Some(c),
        _ => None,
    }
}
