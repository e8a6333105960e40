//! What a fake reads of a request: its path after a prefix, its query, a form body.

/// A query string's or a form body's pairs, decoded (`+` as a space, `%XX` escapes).
pub(super) fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&name.replace('+', " ")),
                percent_decode(&value.replace('+', " ")),
            )
        })
        .collect()
}

/// `%XX` escapes decoded; a malformed escape is kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The request path's segments after `prefix`, each decoded; `None` outside `prefix`.
pub(super) fn path_after(request: &wiremock::Request, prefix: &[&str]) -> Option<Vec<String>> {
    let segments: Vec<String> = request.url.path_segments()?.map(percent_decode).collect();
    let starts = segments.len() >= prefix.len()
        && segments
            .iter()
            .zip(prefix)
            .all(|(segment, wanted)| segment == wanted);
    starts.then(|| segments[prefix.len()..].to_vec())
}

/// The request's query pairs, decoded.
pub(super) fn query(request: &wiremock::Request) -> Vec<(String, String)> {
    form_pairs(request.url.query().unwrap_or(""))
}

/// The first value of query parameter `name`.
pub(super) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
