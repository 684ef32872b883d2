// A "Copy" button for read-only fields and links (links, tokens). Without JavaScript (or
// without the Clipboard API) the button stays hidden and the field can be
// selected by hand.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector("[data-copy-status]");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // A field's value, or a link's text.
      var text = "value" in field ? field.value : field.textContent;
      navigator.clipboard.writeText(text).then(
        function () {
          button.textContent = "Copied";
          if (status) status.textContent = button.dataset.copiedMessage || "Link copied.";
        },
        function () {
          field.select();
          if (status) status.textContent = "Press Ctrl+C or Cmd+C to copy.";
        }
      );
    });
  });
})();
