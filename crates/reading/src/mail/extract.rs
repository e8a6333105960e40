//! The new text of a reply: quoted text, attribution and forward headers, and signatures removed.

use super::parse::InboundEmail;

/// How an "On ... wrote:" attribution starts, per language.
const ATTRIBUTION_PREFIXES: &[&str] = &["On ", "Le ", "Am ", "El ", "Em ", "Il ", "Op ", "Den "];

/// Verbs that end an attribution, before its final colon.
const ATTRIBUTION_VERBS: &[&str] = &[
    "wrote",
    "a écrit",
    "escribió",
    "escreveu",
    "ha scritto",
    "scrisse",
    "schrieb",
    "schreef",
    "het volgende geschreven",
    "skrev",
    "napisał",
    "написал",
    "написала",
];

/// Verbs followed by the sender, as in "Am ... schrieb Max <max@x.de>:".
const ATTRIBUTION_VERBS_MID: &[&str] = &[" schrieb ", " schreef ", " skrev "];

/// Separator lines (dashes, underscores and case ignored) above an original or forwarded
/// message.
const SEPARATORS: &[&str] = &[
    "original message",
    "forwarded message",
    "begin forwarded message:",
    "ursprüngliche nachricht",
    "weitergeleitete nachricht",
    "message d'origine",
    "message transféré",
    "mensaje original",
    "mensaje reenviado",
    "mensagem original",
    "mensagem encaminhada",
    "messaggio originale",
    "messaggio inoltrato",
    "oorspronkelijk bericht",
    "origineel bericht",
    "doorgestuurd bericht",
    "original-nachricht",
    "ursprungligt meddelande",
];

/// Keys that open an Outlook-style header block.
const FROM_KEYS: &[&str] = &["from", "de", "von", "van", "da", "från", "fra"];

/// Keys that follow `From:` in such a block.
const HEADER_KEYS: &[&str] = &[
    // English, French, German, Spanish
    "sent",
    "date",
    "to",
    "subject",
    "cc",
    "envoyé",
    "à",
    "objet",
    "gesendet",
    "an",
    "betreff",
    "datum",
    "enviado",
    "fecha",
    "para",
    "asunto",
    // Portuguese, Italian, Dutch, Swedish / Norwegian
    "enviada",
    "enviada em",
    "enviado em",
    "assunto",
    "data",
    "inviato",
    "a",
    "oggetto",
    "verzonden",
    "aan",
    "onderwerp",
    "skickat",
    "till",
    "ämne",
    "sendt",
    "til",
    "emne",
];

/// Prefixes of mobile-client signature lines ("Sent from my iPhone").
const DEVICE_PREFIXES: &[&str] = &[
    "sent from my ",
    "sent from ",
    "envoyé de mon ",
    "envoyé depuis mon ",
    "enviado desde mi ",
    "enviado do meu ",
    "enviado de meu ",
    "von meinem ",
    "inviato da ",
    "inviato dal mio ",
    "verzonden vanaf mijn ",
    "verstuurd vanaf mijn ",
    "verzonden met ",
    "sendt fra min ",
    "skickat från min ",
];

/// Outlook mobile's footer, per language ("Get Outlook for iOS", "Outlook für Android beziehen").
const OUTLOOK_APP_LINES: &[&str] = &[
    "get outlook for ",
    "obtenir outlook pour ",
    "outlook für ",
    "obtener outlook para ",
    "obter o outlook para ",
    "scarica outlook per ",
    "outlook voor ",
    "hämta outlook för ",
];

/// Without "my", a "Sent from ..." line is a signature only when it names one of these.
const DEVICE_WORDS: &[&str] = &[
    "iphone",
    "ipad",
    "android",
    "blackberry",
    "outlook",
    "mail",
    "mobile",
    "samsung",
    "galaxy",
    "phone",
    "device",
    "windows",
    "yahoo",
    "gmail",
];

/// The most lines a signature below a bare `--` or a `____` rule is taken to have.
const SIGNATURE_LINES: usize = 6;

/// One kept line of the body, or `None` where a quoted block was removed.
type Kept<'a> = Option<&'a str>;

/// The new text of a reply: quoted lines, "On ... wrote:" attributions, Outlook header
/// blocks, original/forwarded messages and signatures removed, and blank lines around
/// trimmed. If that leaves nothing, the body minus its quoted lines (so a reply is never
/// lost).
pub fn extract_reply(body: &str) -> String {
    extract(body, true)
}

/// Like [`extract_reply`], but signatures are kept.
pub fn strip_quotes(body: &str) -> String {
    extract(body, false)
}

/// The new text of a reply, or `None` when the body holds nothing but quoted material,
/// attributions and a signature (a reply that only quotes us says nothing of its own, and
/// our own quoted offer must never be read as theirs).
pub fn new_text(body: &str) -> Option<String> {
    let text = normalize(body);
    let lines: Vec<&str> = text.split('\n').collect();
    let reply = render(&without_signature(without_quotes(&lines)));
    (!reply.is_empty()).then_some(reply)
}

fn extract(body: &str, drop_signature: bool) -> String {
    let text = normalize(body);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut kept = without_quotes(&lines);
    if drop_signature {
        kept = without_signature(kept);
    }
    let reply = render(&kept);
    if reply.is_empty() {
        fallback(&lines, body)
    } else {
        reply
    }
}

/// [`extract_reply`] applied to the message's text body.
pub fn reply_text(msg: &InboundEmail) -> String {
    extract_reply(&msg.body)
}

fn normalize(body: &str) -> String {
    body.replace("\r\n", "\n").replace('\r', "\n")
}

fn without_quotes<'a>(lines: &[&'a str]) -> Vec<Kept<'a>> {
    let mut kept = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_quoted(line) {
            if kept.last().is_some_and(Option::is_some) {
                let closing = (line.trim() == ">:").then_some(">:");
                drop_attribution(&mut kept, closing);
            }
            kept.push(None);
            i += 1;
        } else if let Some(end) = attribution_end(lines, i) {
            if !next_content_is_quoted(lines, end) {
                break; // the original follows without `>` marks
            }
            kept.push(None);
            i = end;
        } else if starts_original(lines, i) {
            break;
        } else {
            kept.push(Some(line));
            i += 1;
        }
    }
    trim_trailing(&mut kept);
    kept
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// End (exclusive) of an "On ... wrote:" attribution starting at `i`, over up to 3 lines.
fn attribution_end(lines: &[&str], i: usize) -> Option<usize> {
    let first = lines[i].trim_start();
    if !ATTRIBUTION_PREFIXES.iter().any(|p| first.starts_with(p)) {
        return None;
    }
    let mut joined = String::new();
    for (k, line) in lines[i..].iter().take(3).enumerate() {
        if is_blank(line) || is_quoted(line) || joined.len() + line.len() > 400 {
            return None;
        }
        joined.push(' ');
        joined.push_str(line.trim());
        if is_attribution(&joined) {
            return Some(i + k + 1);
        }
    }
    None
}

fn is_attribution(text: &str) -> bool {
    let text = text.replace('\u{a0}', " ").to_lowercase();
    let Some(head) = text.trim().strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end();
    let verb_last = ATTRIBUTION_VERBS.iter().any(|v| head.ends_with(v));
    let verb_mid = ATTRIBUTION_VERBS_MID.iter().any(|v| head.contains(v));
    // A real attribution dates the original ("On 9 Jan 2014, at 2:47, ..."); without that,
    // "On the 2 reels, here is what I wrote:" would cut the reply short.
    (verb_last || verb_mid) && (has_clock_time(head) || has_year(head))
}

/// A four-digit year such as 2012, not part of a longer number.
fn has_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 4 && (run.starts_with("19") || run.starts_with("20")))
}

fn next_content_is_quoted(lines: &[&str], from: usize) -> bool {
    lines[from..]
        .iter()
        .find(|line| !is_blank(line))
        .is_some_and(|line| is_quoted(line))
}

/// Removes an attribution in any language ("2012/4/2 Jane <j@x.com>:") kept just before a
/// quoted block (see [`is_foreign_attribution`]), with a line above it that was cut inside
/// the sender's name or address.
/// `closing` is the quoted line that ends the attribution when a client wrapped its last
/// `>:` onto the quote ("... <noreply@x.com" / ">:").
fn drop_attribution(kept: &mut Vec<Kept<'_>>, closing: Option<&str>) {
    let mut end = kept.len();
    while end > 0 && kept[end - 1].is_some_and(is_blank) {
        end -= 1;
    }
    for span in 1..=end.min(3) {
        let window = &kept[end - span..end];
        let Some(mut lines) = window.iter().copied().collect::<Option<Vec<&str>>>() else {
            return;
        };
        if lines.iter().any(|line| is_blank(line)) {
            return;
        }
        lines.extend(closing);
        if is_foreign_attribution(&lines) {
            let mut start = end - span;
            // A line cut inside the sender ("... \"bob@x.org\" <") belongs to it too.
            while start > 0 && end - start < 3 && kept[start - 1].is_some_and(is_cut_short) {
                start -= 1;
            }
            kept.truncate(start);
            return;
        }
    }
}

/// A line that stops inside a name or an address: it continues on the next line.
fn is_cut_short(line: &str) -> bool {
    let line = line.trim_end();
    !line.trim().is_empty()
        && (line.ends_with(['<', ',', '"', '('])
            || line.matches('<').count() > line.matches('>').count())
}

/// Up to 3 lines ending with a colon that name the sender's address ("2012/4/2 Jane
/// <j@x.com>:"), or an attribution verb with a date or time ("понедельник, 6 октября 2014 г.
/// пользователь lidel написал:"); a bare "Apr. 2017 um 11:53 Uhr:" is only the tail of one.
fn is_foreign_attribution(lines: &[&str]) -> bool {
    let total: usize = lines.iter().map(|line| line.len()).sum();
    if total > 300 {
        return false;
    }
    let joined = lines.join(" ");
    let Some(head) = joined.trim_end().strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end().to_lowercase();
    let verb = ATTRIBUTION_VERBS.iter().any(|v| head.ends_with(v))
        || ATTRIBUTION_VERBS_MID.iter().any(|v| head.contains(v));
    let addressed = head.contains('@');
    if verb {
        return addressed || has_year(&head) || has_clock_time(&head);
    }
    addressed && lines[0].bytes().any(|b| b.is_ascii_digit())
}

fn has_clock_time(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// A separator line or an Outlook header block: the original message starts here.
fn starts_original(lines: &[&str], i: usize) -> bool {
    is_separator(lines[i]) || is_dashed_attribution(lines[i]) || is_header_block(lines, i)
}

/// Zoho's "---- On Tue, 22 Dec 2015 14:17:36 +0530 Sam <s@x.org> wrote ----".
fn is_dashed_attribution(line: &str) -> bool {
    let line = line.trim();
    if !(line.starts_with("--") && line.ends_with("--")) || line.len() > 300 {
        return false;
    }
    let core = line.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let lower = core.to_lowercase();
    ATTRIBUTION_PREFIXES.iter().any(|p| core.starts_with(p))
        && ATTRIBUTION_VERBS.iter().any(|v| lower.ends_with(v))
}

fn is_separator(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 80 {
        return false;
    }
    let core = line
        .trim_matches(|c: char| matches!(c, '-' | '_' | '=' | '*') || c.is_whitespace())
        .to_lowercase();
    SEPARATORS.contains(&core.as_str())
}

/// `From:` followed within six lines by at least two of `Sent:`, `To:`, `Subject:`, ...
fn is_header_block(lines: &[&str], i: usize) -> bool {
    if !header_key(lines[i]).is_some_and(|key| FROM_KEYS.contains(&key.as_str())) {
        return false;
    }
    let following = lines[i + 1..]
        .iter()
        .take(6)
        .filter_map(|line| header_key(line))
        .filter(|key| HEADER_KEYS.contains(&key.as_str()))
        .count();
    following >= 2
}

/// The lowercased key of a `Key: value` line, bold markers (`*From:*`) ignored.
fn header_key(line: &str) -> Option<String> {
    let line = line.trim_start().trim_start_matches('*');
    let (colon, _) = line.char_indices().take(24).find(|&(_, c)| c == ':')?;
    let key = line[..colon].trim().trim_matches('*').trim();
    (!key.is_empty()).then(|| key.to_lowercase())
}

fn without_signature(mut kept: Vec<Kept<'_>>) -> Vec<Kept<'_>> {
    if let Some(start) = (0..kept.len()).find(|&i| is_signature_start(&kept, i)) {
        kept.truncate(start);
    }
    trim_trailing(&mut kept);
    let last = kept.len().saturating_sub(1);
    if last > 0 && kept[last].is_some_and(is_dash_signoff) && after_blank(&kept, last) {
        kept.truncate(last);
        trim_trailing(&mut kept);
    }
    kept
}

fn is_signature_start(kept: &[Kept<'_>], i: usize) -> bool {
    let Some(line) = kept[i] else {
        return false;
    };
    let trimmed = line.trim_end();
    if trimmed == "--" {
        // "-- " is the standard delimiter; a bare "--" only after a blank line and above a
        // signature-sized block (a "--" divider inside the reply must not cut it short).
        return line.len() > 2 || (after_blank(kept, i) && signature_sized_after(kept, i));
    }
    if is_device_signature(line.trim()) {
        return true;
    }
    is_underscore_rule(trimmed) && after_blank(kept, i) && signature_sized_after(kept, i)
}

fn after_blank(kept: &[Kept<'_>], i: usize) -> bool {
    i == 0 || kept[i - 1].is_none_or(is_blank)
}

/// At most [`SIGNATURE_LINES`] non-blank lines follow line `i`.
fn signature_sized_after(kept: &[Kept<'_>], i: usize) -> bool {
    let nonblank = kept[i + 1..]
        .iter()
        .filter(|line| line.is_some_and(|l| !is_blank(l)))
        .take(SIGNATURE_LINES + 1)
        .count();
    nonblank <= SIGNATURE_LINES
}

fn is_underscore_rule(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 2 && line.bytes().all(|b| b == b'_')
}

/// "Sent from my iPhone", "Sent from my Verizon Wireless BlackBerry", "Get Outlook for iOS".
fn is_device_signature(line: &str) -> bool {
    if line.len() > 60 {
        return false;
    }
    let lower = line.to_lowercase();
    if OUTLOOK_APP_LINES.iter().any(|p| lower.starts_with(p))
        && (lower.contains("ios") || lower.contains("android"))
    {
        return true;
    }
    // "Sent from Outlook Mobile<https://aka.ms/...>": the link is not part of the name.
    let lower = match lower.split_once('<') {
        Some((name, link)) if link.starts_with("http") => name.trim_end().to_owned(),
        _ => lower,
    };
    let Some((prefix, rest)) = DEVICE_PREFIXES
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|rest| (*p, rest)))
    else {
        return false;
    };
    let words: Vec<&str> = rest.trim_end_matches('.').split_whitespace().collect();
    let plain = (1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let generic = ["sent from ", "inviato da ", "verzonden met "].contains(&prefix);
    plain && (!generic || words.iter().any(|w| DEVICE_WORDS.contains(w)))
}

/// A short "-Name" sign-off line, such as "-Abhishek Kona".
fn is_dash_signoff(line: &str) -> bool {
    let line = line.trim();
    let Some(name) = line.strip_prefix('-') else {
        return false;
    };
    name.chars().next().is_some_and(char::is_alphabetic)
        && line.len() <= 40
        && name.split_whitespace().count() <= 4
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'))
}

/// Drops trailing blank lines, removed-quote markers and rules (`-----`, `_____`).
fn trim_trailing(kept: &mut Vec<Kept<'_>>) {
    while kept
        .last()
        .is_some_and(|line| line.is_none_or(is_blank_or_rule))
    {
        kept.pop();
    }
}

fn is_blank_or_rule(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '_' | '=' | '*'))
}

/// Joins the kept lines; text on either side of a removed quote becomes its own paragraph.
fn render(kept: &[Kept<'_>]) -> String {
    let paragraphs: Vec<String> = kept
        .split(Option::is_none)
        .filter_map(|segment| {
            let lines: Vec<&str> = segment.iter().flatten().copied().collect();
            let start = lines.iter().position(|line| !is_blank(line))?;
            let end = lines.iter().rposition(|line| !is_blank(line))?;
            Some(lines[start..=end].join("\n"))
        })
        .collect();
    paragraphs.join("\n\n").trim().to_owned()
}

/// The body minus quoted lines; the whole body if every line is quoted.
fn fallback(lines: &[&str], body: &str) -> String {
    let visible: Vec<&str> = lines.iter().copied().filter(|l| !is_quoted(l)).collect();
    let visible = visible.join("\n").trim().to_owned();
    if visible.is_empty() {
        body.trim().to_owned()
    } else {
        visible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_bodies_give_empty_text() {
        for body in ["", " ", "\n", "\r\n \r\n", "\t\n\n"] {
            assert_eq!(extract_reply(body), "", "{body:?}");
            assert_eq!(strip_quotes(body), "", "{body:?}");
        }
    }

    #[test]
    fn a_reply_that_only_quotes_has_no_new_text() {
        let body = "On Mon, Nov 2, 2026 at 9:00 AM Avery <a@x.example> wrote:\n> We'd like to offer $1,250.00.\n";
        assert_eq!(new_text(body), None);
        assert_eq!(
            new_text("Deal!\n\n> offer $1,250.00").as_deref(),
            Some("Deal!")
        );
    }

    #[test]
    fn a_lone_line_is_never_taken_for_a_signature() {
        assert_eq!(extract_reply("-Jane"), "-Jane");
        assert_eq!(extract_reply("Deal at $500.\n\n-Jane"), "Deal at $500.");
    }

    #[test]
    fn an_undated_on_wrote_line_is_reply_text() {
        let body = "Thanks!\n\nOn the 2 reels, here is what I wrote:\n\n$500 for both.";
        assert_eq!(extract_reply(body), body);
    }

    #[test]
    fn a_divider_above_a_long_block_is_not_a_signature() {
        let rates = "Reel: $500\nStory: $200\nTikTok: $300\nBundle: $900\nUsage: 30 days\n\
            Whitelisting: $150\nExclusivity: $250";
        let body = format!("My rates:\n\n--\n{rates}");
        assert_eq!(extract_reply(&body), body);
        assert_eq!(extract_reply("Deal.\n\n--\nJane\nJane Doe Media"), "Deal.");
    }

    #[test]
    fn outlook_blocks_in_other_languages_start_the_original() {
        for block in [
            "Da: Sam <s@x.com>\nInviato: lunedì 7 dicembre 2026 10:15\nA: Gio\nOggetto: Offerta",
            "Van: Sam <s@x.com>\nVerzonden: maandag 7 december 2026\nAan: Jan\nOnderwerp: Aanbod",
            "De: Sam <s@x.com>\nEnviada em: segunda-feira\nPara: Jo\nAssunto: Proposta",
            "Från: Sam <s@x.com>\nSkickat: den 7 december 2026\nTill: Jo\nÄmne: Förslag",
        ] {
            assert_eq!(
                extract_reply(&format!("Ok, 450.\n\n{block}\n\n400?")),
                "Ok, 450.",
                "{block}"
            );
        }
    }

    #[test]
    fn wrapped_and_verb_only_attributions_are_removed() {
        let russian =
            "Hello\n\n02.04.2012 14:20 пользователь \"bob@x.org\" <\nbob@x.org> написал:\n\n> Hi";
        assert_eq!(extract_reply(russian), "Hello");
        let german =
            "Okay.\n\nMax <max@x.de> schrieb am Fr., 28.\nApr. 2017 um 11:53 Uhr:\n\n> Hallo";
        assert_eq!(extract_reply(german), "Okay.");
        let closing = "Gut.\n\nAm 21.04.2016 17:48 schrieb \"Einz\" <noreply@x.com\n>:\n\n> Text";
        assert_eq!(extract_reply(closing), "Gut.");
    }

    #[test]
    fn mobile_signatures_in_other_languages() {
        for signature in [
            "Inviato da iPhone",
            "Verzonden vanaf mijn iPhone",
            "Enviado do meu iPhone",
            "Envoyé depuis mon iPad",
            "Sent from Outlook Mobile<https://aka.ms/x>",
            "Outlook für iOS beziehen",
        ] {
            assert_eq!(
                extract_reply(&format!("Deal.\n\n{signature}")),
                "Deal.",
                "{signature}"
            );
        }
        assert_eq!(
            extract_reply("Outlook für Teams ist toll.\nDeal."),
            "Outlook für Teams ist toll.\nDeal."
        );
    }

    #[test]
    fn strip_quotes_keeps_the_signature_extract_reply_drops() {
        let body =
            "Yes, $450 works.\n\n-- \nJane\n\nOn Mon, 1 Jun 2026, Agency <a@x.com> wrote:\n> $400?";
        assert_eq!(extract_reply(body), "Yes, $450 works.");
        assert_eq!(strip_quotes(body), "Yes, $450 works.\n\n-- \nJane");
    }
}
