// What the browser keeps between pages. Tokens live only in sessionStorage (it ends with the tab;
// never a URL query string). The one exception is the device token, kept in localStorage per
// license number because it must outlive the tab: it lets this browser sign in while a stranger
// has the license locked (it is no session). A new tab of this browser gets the session from an
// open one (tabs.js, session-sync.js), so it still ends when the browser's last tab closes.
import { tellTabs } from "./tabs.js";

const KEYS = {
  session: "portal.session",
  challenge: "portal.challenge",
  reset: "portal.reset_token",
  notice: "portal.notice",
};

function readJson(key) {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function writeJson(key, value) {
  sessionStorage.setItem(key, JSON.stringify(value));
}

function isPast(isoTime) {
  if (!isoTime) return false;
  const t = Date.parse(isoTime);
  return Number.isFinite(t) && t <= Date.now();
}

// -- the session ---------------------------------------------------------------------------------

/** Stores a session ({token, expires_at}) for the given license number (and tells the other tabs). */
export function saveSession(session, licenseNumber) {
  const stored = {
    token: session.token,
    expires_at: session.expires_at || null,
    license_number: licenseNumber || "",
  };
  writeJson(KEYS.session, stored);
  sessionStorage.removeItem(KEYS.challenge);
  tellTabs({ type: "session", session: stored });
}

/** Keeps a session another tab of this browser handed over (nothing told back). */
export function adoptSession(stored) {
  if (!stored || typeof stored.token !== "string" || !stored.token || isPast(stored.expires_at)) return false;
  writeJson(KEYS.session, {
    token: stored.token,
    expires_at: stored.expires_at || null,
    license_number: String(stored.license_number || ""),
  });
  return true;
}

/** Drops the session because another tab signed out (nothing told back). */
export function dropSession() {
  sessionStorage.removeItem(KEYS.session);
}

/** The stored session, or null when there is none or it is past its absolute expiry. */
export function getSession() {
  const s = readJson(KEYS.session);
  if (!s || typeof s.token !== "string" || !s.token) return null;
  if (isPast(s.expires_at)) {
    clearSession();
    return null;
  }
  return s;
}

/** Drops the session in this tab and in every other tab of this browser. */
export function clearSession() {
  const had = sessionStorage.getItem(KEYS.session) !== null;
  sessionStorage.removeItem(KEYS.session);
  if (had) tellTabs({ type: "cleared" });
}

// -- the first-login challenge and the reset link's token ------------------------------------------

/** Stores the first-login challenge ({challenge_token, expires_at}) with its license number. */
export function saveChallenge(body, licenseNumber) {
  writeJson(KEYS.challenge, {
    challenge_token: body.challenge_token,
    expires_at: body.expires_at || null,
    license_number: licenseNumber || "",
  });
}

/** The stored challenge; {expired: true} is set when it is past its expiry. */
export function getChallenge() {
  const c = readJson(KEYS.challenge);
  if (!c || typeof c.challenge_token !== "string" || !c.challenge_token) return null;
  return { ...c, expired: isPast(c.expires_at) };
}

export function clearChallenge() {
  sessionStorage.removeItem(KEYS.challenge);
}

export function saveResetToken(token) {
  sessionStorage.setItem(KEYS.reset, token);
}

export function getResetToken() {
  return sessionStorage.getItem(KEYS.reset) || "";
}

export function clearResetToken() {
  sessionStorage.removeItem(KEYS.reset);
}

/**
 * The token of an emailed link (page.html#token=...), or "". The fragment is dropped from the
 * address bar (and so from the history list and anything that copies the URL).
 */
export function takeFragmentToken() {
  const hash = window.location.hash.replace(/^#/, "");
  if (!hash) return "";
  history.replaceState(null, "", window.location.pathname + window.location.search);
  return new URLSearchParams(hash).get("token") || "";
}

// -- a notice for the next page (kept out of the URL) ---------------------------------------------

export function setNotice(message, kind = "info") {
  writeJson(KEYS.notice, { message, kind });
}

export function takeNotice() {
  const n = readJson(KEYS.notice);
  sessionStorage.removeItem(KEYS.notice);
  return n && typeof n.message === "string" ? n : null;
}

// -- device tokens (localStorage, one per license number: this browser is a trusted device) -------

const DEVICE_PREFIX = "portal.device.";
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A license number as the API keys it: no spaces or hyphens, no leading zeros. */
export function licenseKey(licenseNumber) {
  return String(licenseNumber || "")
    .replace(/[\s-]/g, "")
    .replace(/^0+(?=\d)/, "");
}

/** The device token this browser got for the license number, or "" when it has none. */
export function deviceTokenFor(licenseNumber) {
  try {
    const token = localStorage.getItem(DEVICE_PREFIX + licenseKey(licenseNumber)) || "";
    return TOKEN_SHAPE.test(token) ? token : "";
  } catch {
    return "";
  }
}

/** Keeps the device_token of a successful sign-in for its license number. */
export function saveDeviceToken(licenseNumber, token) {
  if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) return;
  try {
    localStorage.setItem(DEVICE_PREFIX + licenseKey(licenseNumber), token);
  } catch {
    // Storage refused (private mode): this browser simply is not remembered.
  }
}
