// The dashboard works without this script; it only submits the state filter when it changes
// and asks before the controls that end a negotiation.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("button[data-action=stop], button[data-action=reject]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("This ends the negotiation. Go ahead?")) { event.preventDefault(); }
    });
  });
});
