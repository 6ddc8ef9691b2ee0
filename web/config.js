// Where the web client finds the API. The local portal (`make run`) serves a generated copy of
// this file with the real URL; for a deployment, replace this file on the static host with one
// that points at the API Gateway stage URL (no trailing slash needed).
// portalName and staffPhone are the city's: shown in every page's header, title and footer.
window.PORTAL_CONFIG = {
  apiBaseUrl: "http://127.0.0.1:3000",
  portalName: "City of West Hollywood eTRAKIT",
  staffPhone: "(323) 848-6475",
};
