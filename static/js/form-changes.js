// Which fields of a form differ from what the page loaded with: the one rule
// for static/js/unsaved.js (a Save that would drop another form's changes)
// and static/js/offline-log.js (a dashboard being filled in is not reloaded).
(function (root) {
  var SKIPPED = ["hidden", "submit", "button", "reset", "image", "file"];

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && SKIPPED.indexOf(element.type) === -1;
    });
  }

  function isChanged(element) {
    if (element.type === "checkbox" || element.type === "radio") {
      return element.checked !== element.defaultChecked;
    }
    if (element.tagName === "SELECT") {
      var options = Array.prototype.slice.call(element.options);
      var marked = options.some(function (option) { return option.defaultSelected; });
      if (!marked) return element.selectedIndex > 0; // the first one is the default
      return options.some(function (option) { return option.selected !== option.defaultSelected; });
    }
    return element.value !== element.defaultValue;
  }

  root.FormChanges = {
    fields: fields,
    changed: function (form) {
      return fields(form).filter(isChanged);
    },
  };
})(self);
