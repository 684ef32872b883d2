// The API's documentation page (/api/v1/docs): Swagger UI, from django-ninja's
// static files, reading the OpenAPI schema the page names. A file of our own
// rather than an inline script, which the Content-Security-Policy forbids.
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
  });
})();
