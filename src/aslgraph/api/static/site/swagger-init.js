// Starts Swagger UI on /docs over the OpenAPI description the page names (data-openapi-url).
// A file of our own rather than an inline script, so the page's Content-Security-Policy can
// allow scripts from this origin only. No validator badge: it would be fetched from another site.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    showExtensions: true,
    showCommonExtensions: true,
  });
})();
