/* Swagger UI for /openapi.json, served locally (no CDN). */
window.addEventListener('DOMContentLoaded', () => {
  if (typeof window.SwaggerUIBundle !== 'function') {
    document.getElementById('swagger-ui').textContent =
      'Swagger UI is not installed: run `make console-web`. The schema is at /openapi.json.';
    return;
  }
  window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    withCredentials: true,
  });
});
