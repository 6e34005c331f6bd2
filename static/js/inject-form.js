// The exercise room's inject form: show only the fields the chosen kind takes (each field's
// data-kinds lists them); without this script every field shows and the server still checks.
document.querySelectorAll("[data-inject-form]").forEach(function (form) {
  var kind = form.querySelector("select[name=kind]");
  if (!kind) { return; }
  function show() {
    form.querySelectorAll("[data-kinds]").forEach(function (row) {
      var on = row.getAttribute("data-kinds").split(" ").indexOf(kind.value) >= 0;
      row.hidden = !on;
      row.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !on;
      });
    });
  }
  kind.addEventListener("change", show);
  show();
});
