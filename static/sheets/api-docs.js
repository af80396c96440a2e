// The API docs page (/api/docs/): Swagger UI reading our OpenAPI document. Kept out of the
// template because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    // Deep links would put a link inside each operation's toggle button (nested controls, axe).
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No call to an outside validator service: municipal networks cannot reach one.
    validatorUrl: null,
  });
})();
