// Shared code for every page of the contractor portal: the API client, session storage,
// the header, and the helpers that show errors next to form fields.
//
// Rules kept here on purpose:
// - tokens live only in sessionStorage (never a URL query string); the one exception is the
//   device token, kept in localStorage per license number because it must outlive the tab: it
//   lets this browser sign in while a stranger has the license locked (it is no session);
// - nothing here writes a token, password or security answer to the console;
// - text from the API is always inserted with textContent, never as HTML.

const KEYS = {
  session: "portal.session",
  challenge: "portal.challenge",
  reset: "portal.reset_token",
  notice: "portal.notice",
};

const REQUEST_TIMEOUT_MS = 20000;

export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

/** The staff phone number from the guide, unless the deployment's config.js sets another. */
export function staffPhone() {
  const cfg = window.PORTAL_CONFIG || {};
  return typeof cfg.staffPhone === "string" && cfg.staffPhone ? cfg.staffPhone : "(323) 848-6475";
}

function apiBaseUrl() {
  const cfg = window.PORTAL_CONFIG || {};
  const base = typeof cfg.apiBaseUrl === "string" ? cfg.apiBaseUrl.trim() : "";
  return base.replace(/\/+$/, "");
}

// ---------------------------------------------------------------------------------------------
// API client
// ---------------------------------------------------------------------------------------------

/** An error answer of the API, or a failure to reach it (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields && typeof fields === "object" ? fields : {};
  }
}

const GENERIC_MESSAGES = {
  0: "We could not reach the permit portal. Check your internet connection and try again.",
  400: "The portal could not read that request. Please try again.",
  413: "That form is too large to send. Please shorten your entries and try again.",
  429: "Too many attempts. Please wait a few minutes and try again.",
  500: "The permit portal is having a problem. Please try again later.",
};

function genericMessage(status) {
  if (status >= 500) return GENERIC_MESSAGES[500];
  return GENERIC_MESSAGES[status] || "Something went wrong. Please try again.";
}

/**
 * Calls the API. Resolves with {status, data} for a 2xx answer, throws ApiError otherwise.
 * options: {body: object to send as JSON, token: bearer token}
 */
export async function api(method, path, options = {}) {
  const headers = { Accept: "application/json" };
  const init = {
    method,
    headers,
    cache: "no-store",
    credentials: "omit",
    referrerPolicy: "no-referrer",
    redirect: "error",
  };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;

  let response;
  try {
    response = await fetch(apiBaseUrl() + path, init);
  } catch {
    throw new ApiError(0, "network_error", genericMessage(0));
  } finally {
    clearTimeout(timer);
  }

  let data = null;
  if (response.status !== 204) {
    const text = await response.text().catch(() => "");
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
  }

  if (response.ok) return { status: response.status, data: data || {} };

  const envelope = data && typeof data === "object" ? data : {};
  const message =
    typeof envelope.message === "string" && envelope.message
      ? envelope.message
      : genericMessage(response.status);
  const code = typeof envelope.error === "string" ? envelope.error : `http_${response.status}`;
  throw new ApiError(response.status, code, message, envelope.fields);
}

// ---------------------------------------------------------------------------------------------
// Session storage (sessionStorage only: it ends with the tab)
// ---------------------------------------------------------------------------------------------

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

/** Stores a session ({token, expires_at}) for the given license number. */
export function saveSession(session, licenseNumber) {
  writeJson(KEYS.session, {
    token: session.token,
    expires_at: session.expires_at || null,
    license_number: licenseNumber || "",
  });
  sessionStorage.removeItem(KEYS.challenge);
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

export function clearSession() {
  sessionStorage.removeItem(KEYS.session);
}

// ---------------------------------------------------------------------------------------------
// Device tokens (localStorage, one per license number: this browser is a trusted device)
// ---------------------------------------------------------------------------------------------

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

/** A message to show on the next page (kept out of the URL). */
export function setNotice(message, kind = "info") {
  writeJson(KEYS.notice, { message, kind });
}

export function takeNotice() {
  const n = readJson(KEYS.notice);
  sessionStorage.removeItem(KEYS.notice);
  return n && typeof n.message === "string" ? n : null;
}

/** Shows a pending notice (from setNotice on the previous page) in the given element. */
export function showPendingNotice(el) {
  const notice = takeNotice();
  if (!notice || !el) return;
  el.textContent = notice.message;
  el.className = `notice notice-${notice.kind === "error" ? "error" : "info"}`;
  el.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Header: the license number and Sign Out when signed in, "Forgot Password" when signed out
// ---------------------------------------------------------------------------------------------

/** Signs out on the server (best effort), clears the session and returns to the log-in page. */
export async function signOut(message = "You have signed out.") {
  const session = getSession();
  if (session) {
    try {
      await api("DELETE", "/sessions/current", { token: session.token });
    } catch {
      // The token is dropped below either way; the server ends it at its idle timeout.
    }
  }
  clearSession();
  setNotice(message);
  window.location.assign("index.html");
}

export function initHeader() {
  const nav = document.getElementById("account-nav");
  if (!nav) return;
  const session = getSession();
  if (!session) return; // the static markup already shows the "Forgot Password" link

  nav.replaceChildren();
  // The guide: the username top right; like eTRAKIT's, it opens the contractor's account.
  const who = document.createElement("a");
  who.href = "account.html";
  who.className = "signed-in";
  const label = document.createElement("span");
  label.className = "signed-in-label";
  label.textContent = "Signed in as ";
  const user = document.createElement("span");
  user.id = "signed-in-user";
  user.textContent = session.license_number || "";
  who.append(label, user);

  const dash = document.createElement("a");
  dash.href = "dashboard.html";
  dash.textContent = "Dashboard";
  if (document.body.dataset.page === "dashboard") dash.setAttribute("aria-current", "page");

  const mine = document.createElement("a");
  mine.href = "account.html";
  mine.textContent = "My Account";
  if (document.body.dataset.page === "account") {
    mine.setAttribute("aria-current", "page");
    who.setAttribute("aria-current", "page");
  }

  const out = document.createElement("button");
  out.type = "button";
  out.id = "sign-out";
  out.className = "button-link";
  out.textContent = "Sign Out";
  out.addEventListener("click", () => {
    out.disabled = true;
    signOut();
  });

  nav.append(who, dash, mine, out);
}

/** Updates the license number shown in the header (e.g. after GET /me). */
export function setHeaderUser(licenseNumber) {
  const el = document.getElementById("signed-in-user");
  if (el) el.textContent = licenseNumber;
}

// ---------------------------------------------------------------------------------------------
// Forms: busy state, field errors, error summary
// ---------------------------------------------------------------------------------------------

export function setBusy(button, busy, busyText) {
  if (!button) return;
  if (busy) {
    button.dataset.label = button.dataset.label || button.textContent;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    if (busyText) button.textContent = busyText;
  } else {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
}

/** Removes every field error and the summary inside a form (or page section). */
export function clearErrors(root) {
  root.querySelectorAll(".field-error").forEach((el) => el.remove());
  root.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    const base = input.dataset.describedby;
    if (base !== undefined) {
      if (base) input.setAttribute("aria-describedby", base);
      else input.removeAttribute("aria-describedby");
    }
  });
  root.querySelectorAll(".field.has-error").forEach((el) => el.classList.remove("has-error"));
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** Shows one message next to the input with the given id; returns false if there is none. */
export function setFieldError(inputId, message) {
  const input = document.getElementById(inputId);
  if (!input) return false;
  const errorId = `${inputId}-error`;
  let error = document.getElementById(errorId);
  if (!error) {
    error = document.createElement("p");
    error.id = errorId;
    error.className = "field-error";
    // Placed right after the label (and its hint), before the input, so it is read first.
    const field = input.closest(".field") || input.parentElement;
    const anchor = field.querySelector(".hint") || field.querySelector("label, legend");
    if (anchor && anchor.parentElement === field) anchor.after(error);
    else input.before(error);
    if (field.classList.contains("field")) field.classList.add("has-error");
  }
  const text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = "Error: ";
  error.replaceChildren(text, document.createTextNode(message));

  if (input.dataset.describedby === undefined) {
    input.dataset.describedby = input.getAttribute("aria-describedby") || "";
  }
  const ids = new Set((input.dataset.describedby || "").split(/\s+/).filter(Boolean));
  ids.add(errorId);
  input.setAttribute("aria-describedby", [...ids].join(" "));
  input.setAttribute("aria-invalid", "true");
  return true;
}

/**
 * Shows the error summary at the top of the page (role="alert"), with one link per field
 * error, and moves focus to it so screen reader users hear it.
 * items: [{inputId?, message}]
 */
export function showSummary(title, items = []) {
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.replaceChildren();
  const heading = document.createElement("h2");
  heading.className = "error-summary-title";
  heading.textContent = title;
  summary.append(heading);
  // List the problems in the order their fields appear on the page.
  items = [...items].sort((a, b) => {
    const ea = a.inputId && document.getElementById(a.inputId);
    const eb = b.inputId && document.getElementById(b.inputId);
    if (!ea || !eb) return ea ? 1 : eb ? -1 : 0;
    return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  if (items.length) {
    const list = document.createElement("ul");
    for (const item of items) {
      const li = document.createElement("li");
      if (item.inputId && document.getElementById(item.inputId)) {
        const a = document.createElement("a");
        a.href = `#${item.inputId}`;
        a.textContent = item.message;
        a.addEventListener("click", (ev) => {
          ev.preventDefault();
          const target = document.getElementById(item.inputId);
          target.focus();
          target.scrollIntoView({ block: "center" });
        });
        li.append(a);
      } else {
        li.textContent = item.message;
      }
      list.append(li);
    }
    summary.append(list);
  }
  summary.hidden = false;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
}

/** Adds a paragraph with a link under the summary (e.g. "Go to Forgot Password"). */
export function appendSummaryLink(text, href) {
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  const p = document.createElement("p");
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  p.append(a);
  summary.append(p);
}

/**
 * Shows the `fields` of a 422 next to their inputs. fieldMap maps API field paths
 * ("mailing_address.street") to input ids ("street"); paths not in the map are tried by
 * their last segment, then listed in the summary only. Returns the summary items.
 */
export function showFieldErrors(fields, fieldMap = {}) {
  const items = [];
  for (const [path, rawMessage] of Object.entries(fields || {})) {
    const message = typeof rawMessage === "string" ? rawMessage : String(rawMessage);
    const last = path.split(".").pop();
    const inputId = fieldMap[path] || fieldMap[last] || (document.getElementById(path) ? path : null);
    if (inputId && setFieldError(inputId, message)) items.push({ inputId, message });
    else items.push({ message });
  }
  return items;
}

/** Shows an ApiError: field errors next to inputs, and the message in the summary. */
export function showApiError(err, fieldMap = {}) {
  const items = err.fields ? showFieldErrors(err.fields, fieldMap) : [];
  const title = items.length ? "There is a problem with the form" : err.message;
  if (items.length) showSummary(title, items);
  else showSummary(err.message);
}

/** The number of characters the server counts (code points after NFKC normalization). */
export function passwordLength(value) {
  return [...value.normalize("NFKC")].length;
}

/**
 * Client-side checks of a new password and its confirmation; returns summary items.
 * (The server is the judge of strength; this only catches length and typos early.)
 */
export function checkNewPassword(passwordId, confirmId) {
  const items = [];
  const pw = document.getElementById(passwordId).value;
  const confirm = document.getElementById(confirmId).value;
  if (!pw) {
    items.push({ inputId: passwordId, message: "Enter a password." });
  } else if (passwordLength(pw) < PASSWORD_MIN) {
    items.push({
      inputId: passwordId,
      message: `Your password must be at least ${PASSWORD_MIN} characters. A passphrase of a few words is easiest to remember.`,
    });
  } else if (passwordLength(pw) > PASSWORD_MAX) {
    items.push({ inputId: passwordId, message: `Your password must be ${PASSWORD_MAX} characters or fewer.` });
  }
  if (!confirm) {
    items.push({ inputId: confirmId, message: "Enter the password again to confirm it." });
  } else if (pw && confirm !== pw) {
    items.push({ inputId: confirmId, message: "The passwords do not match. Enter the same password twice." });
  }
  for (const item of items) setFieldError(item.inputId, item.message);
  return items;
}

/**
 * Checks that every visible, enabled input marked required in root has a value; shows
 * "Enter ..." messages (from data-required-message) and returns summary items.
 */
export function checkRequired(root) {
  const items = [];
  root.querySelectorAll("input[required], select[required], textarea[required]").forEach((input) => {
    if (input.disabled || input.closest("[hidden]")) return;
    const empty = input.type === "checkbox" ? !input.checked : !input.value.trim();
    if (!empty) return;
    if (document.getElementById(`${input.id}-error`)) return;
    const message = input.dataset.requiredMessage || "This field is required.";
    setFieldError(input.id, message);
    items.push({ inputId: input.id, message });
  });
  return items;
}

/** Fills a <select> with the questions of GET /security-questions. */
export async function loadSecurityQuestions(select) {
  select.disabled = true;
  try {
    const { data } = await api("GET", "/security-questions");
    const questions = Array.isArray(data.questions) ? data.questions : [];
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = "Choose a question";
    const options = questions.map((q) => {
      const option = document.createElement("option");
      option.value = q;
      option.textContent = q;
      return option;
    });
    select.replaceChildren(placeholder, ...options);
    select.disabled = false;
    return true;
  } catch (err) {
    const option = document.createElement("option");
    option.value = "";
    option.textContent = "Questions could not be loaded";
    select.replaceChildren(option);
    setFieldError(select.id, `${err.message} Reload the page to try again.`);
    return false;
  }
}

/** Wires a "Show passwords" checkbox to the password inputs with the given ids. */
export function wireShowPasswords(checkboxId, inputIds) {
  const box = document.getElementById(checkboxId);
  if (!box) return;
  box.addEventListener("change", () => {
    for (const id of inputIds) {
      const input = document.getElementById(id);
      if (input) input.type = box.checked ? "text" : "password";
    }
  });
}

/** Today's date (YYYY-MM-DD) in the city's time zone. */
export function cityToday(timeZone = "America/Los_Angeles") {
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

/** "2027-06-30" → "June 30, 2027" (the date as written, no time zone shift). */
export function formatDate(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate || "");
  if (!m) return isoDate || "";
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "long" }).format(d);
}

/** Moves focus to a heading or section that appears after an action (for screen readers). */
export function focusElement(el) {
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.focus();
}

/** The portal's name as config.js sets it (the guide's by default). */
export function portalName() {
  const cfg = window.PORTAL_CONFIG || {};
  return typeof cfg.portalName === "string" && cfg.portalName ? cfg.portalName : DEFAULT_PORTAL_NAME;
}

const DEFAULT_PORTAL_NAME = "City of West Hollywood eTRAKIT";

/** Writes the city's portal name and staff phone number (from config.js) into the page. */
export function staffPhoneInit() {
  const phone = staffPhone();
  document.querySelectorAll(".staff-phone").forEach((el) => {
    el.textContent = phone;
  });
  const name = portalName();
  const link = document.querySelector(".portal-name a");
  if (link && link.firstChild && link.firstChild.nodeType === Node.TEXT_NODE) link.firstChild.textContent = name;
  document.title = document.title.replace(DEFAULT_PORTAL_NAME, name);
}
