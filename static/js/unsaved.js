// A page with several forms (Settings, Preferred times) saves one form at a
// time: a Save that would leave changes made in another form behind is held
// once, with a note below the button naming what is not saved yet. Pressing
// it again goes ahead (and those changes are dropped, as without JavaScript).
// What counts as changed: static/js/form-changes.js.
(function () {
  if (!self.FormChanges) return;
  // "Time (Evening)": the field's label, and the group it is in when that has a name.
  function nameOf(element) {
    var label = element.labels && element.labels[0];
    // Without a required field's asterisk.
    var name = label ? label.textContent.replace(/\*\s*$/, "").trim() : element.name;
    var group = element.closest("fieldset");
    var legend = group && group.querySelector("legend");
    var part = legend ? legend.textContent.trim() : "";
    return part && part !== name ? name + " (" + part + ")" : name;
  }

  var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
    return form.method === "post" && FormChanges.fields(form).length > 0;
  });
  if (forms.length < 2) return;

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.querySelector(".unsaved-note")) return; // pressed again: go ahead
      var names = [];
      forms.forEach(function (other) {
        if (other === form) return;
        FormChanges.changed(other).forEach(function (element) {
          var name = nameOf(element);
          if (names.indexOf(name) === -1) names.push(name);
        });
      });
      if (!names.length) return;
      event.preventDefault();
      var button = event.submitter || form.querySelector("[type=submit]");
      var shown = names.slice(0, 3).join(", ") + (names.length > 3 ? " and more" : "");
      var note = document.createElement("p");
      note.className = "unsaved-note alert alert-warning mt-2";
      note.setAttribute("role", "alert");
      note.textContent =
        "Not saved yet: " + shown + ". Save that part with its own button first, or press “" +
        button.textContent.trim() + "” again to save only this part.";
      form.appendChild(note); // below the form's buttons
      note.scrollIntoView({ block: "nearest" });
    });
  });
})();
