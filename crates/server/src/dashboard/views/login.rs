//! The sign-in form.

use super::html::esc;

/// The form, with what went wrong last time if anything.
pub fn body(problem: Option<&str>, name: &str) -> String {
    format!(
        "{}<form class=\"login\" method=\"post\" action=\"/login\">\
         <label>Name <input name=\"name\" value=\"{}\" autocomplete=\"username\" required autofocus></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button>Sign in</button></form>",
        problem
            .map(|p| format!("<p class=\"notice error\">{}</p>", esc(p)))
            .unwrap_or_default(),
        esc(name)
    )
}
