//! One decoded ClickUp value turned into what a campaign field holds: text for most fields,
//! entries for the influencer and deliverable lists.

use negotiator_vendors::clickup::FieldValue;

use super::target::{Reading, Target};

/// A field's contribution to its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Converted {
    Text(String),
    Entries(Vec<String>),
}

/// Reads `value` for `target`; the error says why the value cannot fill it.
pub fn convert(value: &FieldValue, target: Target) -> Result<Converted, String> {
    match target.reading() {
        Reading::List => entries(value, target).map(Converted::Entries),
        Reading::Joined => Ok(Converted::Text(value.to_text())),
        Reading::Text => one(value, target).map(Converted::Text),
        Reading::Money => money(value, target).map(Converted::Text),
        Reading::Percent => percent(value, target).map(Converted::Text),
    }
}

/// A single piece of text: one option, one person, a number as written, a date.
fn one(value: &FieldValue, target: Target) -> Result<String, String> {
    match value {
        FieldValue::Choices(items) | FieldValue::Users(items) => match items.as_slice() {
            [only] => Ok(only.clone()),
            _ => Err(format!(
                "has several values ({}) but {} takes one; choose one on the task",
                items.join(", "),
                target.as_str()
            )),
        },
        FieldValue::Other(_) => Err(unreadable(target)),
        other => Ok(other.to_text()),
    }
}

/// An amount in dollars, as text the campaign parses (`$30`, `1,250.50`, `25000`).
fn money(value: &FieldValue, target: Target) -> Result<String, String> {
    match value {
        FieldValue::Currency { amount, currency } => match currency.as_deref() {
            None | Some("USD") => Ok(amount.clone()),
            Some(code) => Err(format!(
                "is in {code}, and the agent negotiates in US dollars; use a USD currency field \
                 for {}",
                target.as_str()
            )),
        },
        FieldValue::Date { .. } | FieldValue::Checkbox(_) => Err(format!(
            "is a {} and cannot be an amount for {}; map a number, currency or text field",
            kind_word(value),
            target.as_str()
        )),
        other => one(other, target).map(|text| text.trim().to_owned()),
    }
}

/// A percentage without its sign: `50%` → `50`.
fn percent(value: &FieldValue, target: Target) -> Result<String, String> {
    match value {
        FieldValue::Date { .. } | FieldValue::Checkbox(_) | FieldValue::Currency { .. } => {
            Err(format!(
                "is a {} and cannot be a percentage for {}; map a number or text field",
                kind_word(value),
                target.as_str()
            ))
        }
        other => one(other, target).map(|text| text.trim().trim_end_matches('%').trim().to_owned()),
    }
}

/// Entries of a list: options and people one each, text split at commas, semicolons and
/// line breaks (deliverables also at `and`, `&` and `+`).
fn entries(value: &FieldValue, target: Target) -> Result<Vec<String>, String> {
    let texts: Vec<String> = match value {
        FieldValue::Choices(items) | FieldValue::Users(items) => items.clone(),
        FieldValue::Choice(item) => vec![item.clone()],
        FieldValue::Text(text) | FieldValue::Number(text) => split(text, target),
        FieldValue::Currency { .. } | FieldValue::Date { .. } | FieldValue::Checkbox(_) => {
            return Err(format!(
                "is a {} and cannot list {}; map a text, drop-down or labels field",
                kind_word(value),
                target.as_str()
            ));
        }
        FieldValue::Other(_) => return Err(unreadable(target)),
    };
    Ok(texts
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect())
}

fn split(text: &str, target: Target) -> Vec<String> {
    let pieces = text.split([',', ';', '\n', '\r']);
    if target != Target::Deliverables {
        return pieces.map(str::to_owned).collect();
    }
    pieces
        .flat_map(|piece| piece.split(['&', '+']))
        .flat_map(|piece| {
            let mut parts = Vec::new();
            let mut current = Vec::new();
            for word in piece.split_whitespace() {
                if word.eq_ignore_ascii_case("and") {
                    parts.push(current.join(" "));
                    current.clear();
                } else {
                    current.push(word);
                }
            }
            parts.push(current.join(" "));
            parts
        })
        .collect()
}

fn kind_word(value: &FieldValue) -> &'static str {
    match value {
        FieldValue::Text(_) => "text",
        FieldValue::Number(_) => "number",
        FieldValue::Currency { .. } => "currency amount",
        FieldValue::Date { .. } => "date",
        FieldValue::Choice(_) => "drop-down choice",
        FieldValue::Choices(_) => "set of labels",
        FieldValue::Checkbox(_) => "checkbox",
        FieldValue::Users(_) => "list of people",
        FieldValue::Other(_) => "value of another kind",
    }
}

fn unreadable(target: Target) -> String {
    format!(
        "is a kind of field the agent cannot read as {}; map a text, number, currency, \
         drop-down, labels or date field",
        target.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> FieldValue {
        FieldValue::Text(t.to_owned())
    }

    #[test]
    fn deliverable_text_splits_into_entries() {
        assert_eq!(
            convert(
                &text(
                    "1 Instagram Reel and 2 Instagram Stories, instagram post\n+ 1 x Instagram Story"
                ),
                Target::Deliverables
            ),
            Ok(Converted::Entries(vec![
                "1 Instagram Reel".into(),
                "2 Instagram Stories".into(),
                "instagram post".into(),
                "1 x Instagram Story".into(),
            ]))
        );
        // Names keep their "and": only deliverables split at it.
        assert_eq!(
            convert(&text("Jane and Co, Raj Patel"), Target::Influencers),
            Ok(Converted::Entries(vec![
                "Jane and Co".into(),
                "Raj Patel".into()
            ]))
        );
    }

    #[test]
    fn amounts_and_percentages_keep_their_text() {
        assert_eq!(
            convert(&text(" $30 "), Target::CpmTarget),
            Ok(Converted::Text("$30".into()))
        );
        assert_eq!(
            convert(&text("50 %"), Target::CpmLeniencyPct),
            Ok(Converted::Text("50".into()))
        );
        let eur = FieldValue::Currency {
            amount: "100".into(),
            currency: Some("EUR".into()),
        };
        assert!(
            convert(&eur, Target::Budget)
                .unwrap_err()
                .contains("US dollars")
        );
        let two = FieldValue::Choices(vec!["a".into(), "b".into()]);
        assert!(
            convert(&two, Target::Platform)
                .unwrap_err()
                .contains("choose one")
        );
    }
}
