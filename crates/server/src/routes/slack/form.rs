//! `application/x-www-form-urlencoded` bodies, as Slack posts them.

/// The fields of a form body, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form(Vec<(String, String)>);

impl Form {
    /// Reads `name=value&…` (`+` is a space, `%XX` a byte; text that is not UTF-8 is kept
    /// with replacement characters, and a stray `%` as it is).
    pub fn parse(body: &[u8]) -> Self {
        Form(
            body.split(|&b| b == b'&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let mut halves = pair.splitn(2, |&b| b == b'=');
                    let name = decode(halves.next().unwrap_or_default());
                    let value = decode(halves.next().unwrap_or_default());
                    (name, value)
                })
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn decode(text: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some((&first, tail)) = rest.split_first() {
        rest = tail;
        match (first, tail) {
            (b'+', _) => bytes.push(b' '),
            (b'%', [high, low, after @ ..]) => match (hex(*high), hex(*low)) {
                (Some(high), Some(low)) => {
                    bytes.push((high << 4) | low);
                    rest = after;
                }
                _ => bytes.push(b'%'),
            },
            _ => bytes.push(first),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_slacks_form_encoding() {
        let form = Form::parse(
            b"command=%2Faudit&text=influencer%3A%22Jane+Doe%22+last%3A7d&user_name=pat&empty=&flag",
        );
        assert_eq!(form.get("command"), Some("/audit"));
        assert_eq!(form.get("text"), Some("influencer:\"Jane Doe\" last:7d"));
        assert_eq!(form.get("user_name"), Some("pat"));
        assert_eq!(form.get("empty"), Some(""));
        assert_eq!(form.get("flag"), Some(""));
        assert_eq!(form.get("missing"), None);
        assert_eq!(
            Form::parse(b"text=Zo%C3%AB+100%25+%zz%").get("text"),
            Some("Zoë 100% %zz%")
        );
    }
}
