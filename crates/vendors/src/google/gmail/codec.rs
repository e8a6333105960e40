//! Base64url as Gmail writes it, read leniently: either alphabet, padded or not, wrapped or not.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Decodes base64url (or standard base64) with or without `=` padding and line breaks.
pub fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && *c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    URL_SAFE_NO_PAD.decode(cleaned.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_either_alphabet_with_or_without_padding() {
        let bytes = b"Subject: hi?>\r\n\r\n\xff\xfe body";
        for encoded in [
            base64::engine::general_purpose::URL_SAFE.encode(bytes),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            base64::engine::general_purpose::STANDARD.encode(bytes),
        ] {
            assert_eq!(
                decode_base64url(&encoded).as_deref(),
                Some(&bytes[..]),
                "{encoded}"
            );
        }
        assert_eq!(decode_base64url("not base64 at all!"), None);
    }
}
