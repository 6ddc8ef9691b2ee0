// The deployment's settings: window.PORTAL_CONFIG, which config.js (a classic script every page
// loads before its module) sets. Every city-specific word of the pages comes from here; the pages
// themselves hold only neutral words, shown if config.js leaves a setting out.

/** A text setting of config.js, trimmed; "" when it is not set. */
export function setting(name) {
  const value = (window.PORTAL_CONFIG || {})[name];
  return typeof value === "string" ? value.trim() : "";
}

/** The API's base URL (a trailing slash is ignored). */
export function apiBaseUrl() {
  return setting("apiBaseUrl").replace(/\/+$/, "");
}

/** The portal's name: portalName, else "<cityName> eTRAKIT", else "eTRAKIT". */
export function portalName() {
  return setting("portalName") || [setting("cityName"), "eTRAKIT"].filter(Boolean).join(" ");
}
