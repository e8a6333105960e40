//! The page around every view: head, navigation, who is signed in, sign-out.

use super::html::esc;
use crate::dashboard::session::Member;

fn head(title: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · negotiator</title>\
         <link rel=\"stylesheet\" href=\"/assets/dashboard.css\">\
         <script src=\"/assets/dashboard.js\" defer></script></head>",
        esc(title)
    )
}

/// A page for a signed-in member.
pub fn page(title: &str, member: &Member, body: &str) -> axum::response::Html<String> {
    axum::response::Html(format!(
        "{}<body><header><a class=\"brand\" href=\"/\">negotiator</a>\
         <nav><a href=\"/\">Campaigns</a><a href=\"/drafts\">Drafts</a></nav>\
         <form class=\"signout\" method=\"post\" action=\"/logout\">\
         <span id=\"who\">{}</span>{}<button>Sign out</button></form></header>\
         <main><h1>{}</h1>{body}</main></body></html>",
        head(title),
        esc(&member.name),
        csrf_field(member),
        esc(title)
    ))
}

/// A page for nobody in particular (sign-in, refusals, the dashboard being off).
pub fn bare(title: &str, body: &str) -> axum::response::Html<String> {
    axum::response::Html(format!(
        "{}<body><header><a class=\"brand\" href=\"/\">negotiator</a></header>\
         <main><h1>{}</h1>{body}</main></body></html>",
        head(title),
        esc(title)
    ))
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(member: &Member) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&member.csrf)
    )
}

/// A paragraph of plain text.
pub fn notice(text: &str) -> String {
    format!("<p class=\"notice\">{}</p>", esc(text))
}

/// What `/` says when nobody has a login yet.
pub fn off() -> String {
    "<p class=\"notice\">The dashboard is off: nobody has a team login yet.</p>\
     <p>Turn it on by adding one on the server, then reload this page:</p>\
     <pre>negotiator users add NAME</pre>\
     <p>It asks for the password (or reads it with <code>--password-stdin</code>).</p>"
        .to_owned()
}
