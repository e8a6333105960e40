//! Requests to stop being contacted ("remove me from your list", "unsubscribe", "darse de
//! baja", "ne plus me contacter", "keine E-Mails mehr", "descadastrar", "cancellami",
//! "afmelden"), read in the new text of a reply, case and accents ignored.
//!
//! A phrase counts unless the words just before it take it back ("I can't unsubscribe",
//! "no need to remove me"), and bare words that have other senses ("stop", "unsubscribe")
//! count only as a whole message or a direct request ("please stop", "unsubscribe me"), so
//! "don't stop", "stop by the office" and "remove the exclusivity clause" are not opt-outs.

use serde::{Deserialize, Serialize};

use super::text::{find_words, fold};

/// A request to stop being contacted, and the phrase that said so (as listed, folded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOut {
    pub phrase: String,
}

/// Phrases that ask to stop being contacted wherever they stand (folded).
const PHRASES: &[&str] = &[
    // English
    "remove me from your list",
    "remove me from your mailing list",
    "remove me from your database",
    "remove me from your contact list",
    "remove me from this list",
    "remove me from the list",
    "remove me from your emails",
    "remove me from your outreach",
    "remove my email from your list",
    "remove my address",
    "take me off your email list",
    "take me off your list",
    "take me off your mailing list",
    "take me off the list",
    "take me off this list",
    "unsubscribe me",
    "please unsubscribe",
    "i want to unsubscribe",
    "i'd like to unsubscribe",
    "i would like to unsubscribe",
    "i wish to unsubscribe",
    "stop emailing me",
    "stop e-mailing me",
    "stop emailing",
    "stop sending me",
    "stop contacting me",
    "stop messaging me",
    "stop writing to me",
    "stop spamming me",
    "don't contact me again",
    "do not contact me again",
    "don't contact me anymore",
    "do not contact me anymore",
    "don't contact me any more",
    "never contact me again",
    "don't email me again",
    "do not email me again",
    "don't email me anymore",
    "don't e-mail me again",
    "do not e-mail me again",
    "don't write to me again",
    "do not write to me again",
    "no more emails",
    "no more e-mails",
    "no further emails",
    "no further contact",
    "not interested, please stop",
    "opt me out",
    "i opt out",
    "i want to opt out",
    "i'd like to opt out",
    // Spanish
    "darse de baja",
    "darme de baja",
    "dar de baja",
    "denme de baja",
    "dame de baja",
    "quiero darme de baja",
    "no me escriban mas",
    "no me escribas mas",
    "no me contacten mas",
    "no me contactes mas",
    "no me envien mas",
    "no me envies mas",
    "no quiero recibir mas",
    "eliminenme de su lista",
    "eliminadme de",
    "quitenme de su lista",
    "borrenme de su lista",
    "dejen de escribirme",
    "dejen de enviarme",
    // French
    "desabonner",
    "me desabonner",
    "desabonnez-moi",
    "me desinscrire",
    "desinscrivez-moi",
    "ne plus me contacter",
    "ne me contactez plus",
    "ne m'ecrivez plus",
    "ne plus recevoir",
    "retirez-moi de",
    "supprimez-moi de",
    "arretez de m'envoyer",
    "arretez de me contacter",
    "cessez de m'ecrire",
    // German
    "abmelden",
    "abbestellen",
    "keine e-mails mehr",
    "keine emails mehr",
    "keine mails mehr",
    "keine nachrichten mehr",
    "nicht mehr kontaktieren",
    "kontaktieren sie mich nicht mehr",
    "schreiben sie mir nicht mehr",
    "entfernen sie mich",
    "loschen sie mich",
    "tragen sie mich aus",
    // Portuguese
    "descadastrar",
    "me descadastre",
    "descadastre-me",
    "cancelar inscricao",
    "remova-me",
    "me remova",
    "remover meu e-mail",
    "remover meu email",
    "nao me contate mais",
    "nao me contatem mais",
    "nao me envie mais",
    "nao me enviem mais",
    "nao quero receber mais",
    "parem de me enviar",
    // Italian
    "cancellami",
    "cancellatemi",
    "disiscrivermi",
    "disiscrivimi",
    "disiscrivetemi",
    "rimuovetemi",
    "rimuovimi",
    "non contattatemi piu",
    "non contattarmi piu",
    "non scrivetemi piu",
    "non scrivermi piu",
    "non voglio piu ricevere",
    // Dutch
    "afmelden",
    "uitschrijven",
    "schrijf me uit",
    "schrijf mij uit",
    "verwijder mij",
    "verwijder me",
    "geen e-mails meer",
    "geen mails meer",
    "geen emails meer",
    "niet meer contacteren",
    "niet meer mailen",
    "neem geen contact meer",
];

/// Words that are an opt-out only as the whole message ("STOP", "Unsubscribe.").
const ALONE: &[&str] = &[
    "stop",
    "unsubscribe",
    "please stop",
    "stop please",
    "remove me",
    "please remove me",
    "remove",
    "baja",
    "darse de baja",
    "desabonnement",
    "opt out",
    "opt-out",
];

/// A direct "please stop" closes a sentence; "please stop by" does not.
const STOP_REQUESTS: &[&str] = &["please stop", "stop it", "just stop"];

/// Words just before a phrase that take it back (folded).
const TAKEN_BACK: &[&str] = &[
    "can't",
    "cannot",
    "can not",
    "couldn't",
    "unable to",
    "don't want to",
    "do not want to",
    "no need to",
    "not going to",
    "won't",
    "how to",
    "how do i",
    "never",
    "nicht",
    "no quiero",
    "ne veux pas",
    "nao quero",
    "non voglio",
    "wil niet",
];

/// A negation right before a phrase ("don't stop sending me these"); further back it may
/// belong to another clause ("Don't bother, stop emailing me").
const NEGATED: &[&str] = &["don't", "dont", "do not"];

/// The opt-out request in `new_text`, if any.
pub fn opt_out(new_text: &str) -> Option<OptOut> {
    let folded = fold(new_text);
    let bare = folded.trim_matches(|c: char| !c.is_alphanumeric());
    if let Some(alone) = ALONE.iter().find(|a| **a == bare) {
        return Some(found(alone));
    }
    let phrase = PHRASES
        .iter()
        .flat_map(|p| find_words(&folded, p).into_iter().map(move |at| (at, *p)))
        .filter(|&(at, _)| !taken_back(&folded[..at]))
        .min_by_key(|&(at, p)| (at, std::cmp::Reverse(p.len())));
    if let Some((_, phrase)) = phrase {
        return Some(found(phrase));
    }
    STOP_REQUESTS
        .iter()
        .find(|p| {
            find_words(&folded, p).into_iter().any(|at| {
                let after = folded[at + p.len()..].trim_start();
                after.is_empty() || after.starts_with(['.', '!', ','])
            })
        })
        .map(|p| found(p))
}

/// Whether `new_text` asks to stop being contacted.
pub fn is_opt_out(new_text: &str) -> bool {
    opt_out(new_text).is_some()
}

fn found(phrase: &str) -> OptOut {
    OptOut {
        phrase: phrase.to_owned(),
    }
}

/// Whether the few words before a phrase (in its own sentence) take it back.
fn taken_back(before: &str) -> bool {
    let sentence_start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let words: Vec<&str> = before[sentence_start..].split_whitespace().collect();
    let tail = |n: usize| words[words.len().saturating_sub(n)..].join(" ");
    let (near, close) = (tail(4), tail(2));
    TAKEN_BACK.iter().any(|w| !find_words(&near, w).is_empty())
        || NEGATED
            .iter()
            .any(|w| close == *w || close.ends_with(&format!(" {w}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_any_position_and_case() {
        for (text, phrase) in [
            (
                "Please remove me from your list.",
                "remove me from your list",
            ),
            ("STOP EMAILING ME", "stop emailing me"),
            ("Unsubscribe", "unsubscribe"),
            ("stop", "stop"),
            (
                "Thanks but no. Take me off your list please",
                "take me off your list",
            ),
            ("Don't contact me again.", "don't contact me again"),
            (
                "Not interested, please stop.",
                "not interested, please stop",
            ),
            ("No more emails!", "no more emails"),
            ("Don't bother, stop emailing me.", "stop emailing me"),
            (
                "Hi, I'd like to unsubscribe, thanks",
                "i'd like to unsubscribe",
            ),
            ("Por favor, quiero darme de baja.", "quiero darme de baja"),
            ("No me escriban más.", "no me escriban mas"),
            ("Merci de me désabonner.", "me desabonner"),
            ("Merci de ne plus me contacter.", "ne plus me contacter"),
            ("Bitte keine E-Mails mehr.", "keine e-mails mehr"),
            ("Ich möchte mich abmelden.", "abmelden"),
            ("Quero descadastrar meu e-mail.", "descadastrar"),
            ("Cancellami dalla lista.", "cancellami"),
            ("Graag afmelden voor deze mails.", "afmelden"),
            ("We are not interested. Please stop.", "please stop"),
        ] {
            assert_eq!(
                opt_out(text).map(|o| o.phrase).as_deref(),
                Some(phrase),
                "{text}"
            );
        }
    }

    #[test]
    fn other_senses_are_not_opt_outs() {
        for text in [
            "Don't stop, this is great!",
            "I can't unsubscribe from my own newsletter lol but yes $400",
            "Can you remove the exclusivity clause?",
            "Feel free to stop by the office on Monday.",
            "Please stop by anytime.",
            "Not interested at this price.",
            "I unsubscribed from that brand's list ages ago, but $500 works.",
            "No need to remove me from anything, I'm in!",
            "We could stop at two reels.",
            "Bitte nicht abmelden, ich bin interessiert.",
            "Don't stop sending me these, I love them!",
        ] {
            assert_eq!(opt_out(text), None, "{text}");
        }
    }
}
