// What every page has: the deployment's words (config.js) in the title, header and text, the
// header's account links, the notice carried over from the previous page, and signing out.
import "./session-sync.js";
import { api } from "./api.js";
import { dropDrafts, keepEditedForms, rememberPage, trackEdits } from "./drafts.js";
import { wireEmailTypos } from "./email-typos.js";
import { $ } from "./forms.js";
import { watchIdle } from "./idle.js";
import { clearSession, getSession, setNotice, takeNotice } from "./session.js";
import { portalName, setting } from "./settings.js";

const TITLE_SEPARATOR = " – ";

/** Sets the page's title: "<title> – <portal name>". */
export function setPageTitle(title) {
  document.title = `${title}${TITLE_SEPARATOR}${portalName()}`;
}

/**
 * Writes the city's words into the page: each [data-config="<setting>"] element gets that
 * setting of config.js (it keeps its neutral text when the setting is not there), and the
 * title its portal name.
 */
function showCityWords() {
  document.querySelectorAll("[data-config]").forEach((el) => {
    const value = el.dataset.config === "portalName" ? portalName() : setting(el.dataset.config);
    if (value) el.textContent = value;
  });
  setPageTitle(document.title.split(TITLE_SEPARATOR)[0]);
}

/** Shows a message in a notice element (role="status"); kind: info, success or error. */
export function showNotice(el, message, kind = "info") {
  el.textContent = message;
  el.className = `notice notice-${kind}`;
  el.hidden = false;
}

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
  dropDrafts();
  setNotice(message);
  window.location.assign("index.html");
}

/**
 * Back to the log-in page with a message, the session dropped (it ended, or there was none).
 * The page is remembered, and its edited forms kept, for after the next sign-in (drafts.js).
 */
export function endSession(message = "Your session has ended. Please log in again.", kind = "error") {
  const session = getSession();
  const kept = keepEditedForms(session && session.license_number);
  rememberPage();
  clearSession();
  setNotice(kept ? `${message} What you typed is kept: it is saved when you log in.` : message, kind);
  window.location.replace("index.html");
}

const IDLE_END = "Your session ended because nothing was done for a while. Please log in again.";

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

function current(el, page) {
  if (document.body.dataset.page === page) el.setAttribute("aria-current", "page");
  return el;
}

/**
 * The top right: "Signed in as <license>" (it opens My Account), Dashboard, My Account and
 * Sign Out with a session; "Forgot Password" without one.
 */
export function initHeader() {
  const nav = $("account-nav");
  if (!nav) return;
  const session = getSession();
  if (!session) {
    nav.replaceChildren(link("forgot-password.html", "Forgot Password"));
    return;
  }
  const who = current(link("account.html", ""), "account");
  who.className = "signed-in";
  const label = document.createElement("span");
  label.className = "signed-in-label";
  label.textContent = "Signed in as ";
  const user = document.createElement("span");
  user.id = "signed-in-user";
  user.textContent = session.license_number || "";
  who.append(label, user);

  const out = document.createElement("button");
  out.type = "button";
  out.id = "sign-out";
  out.className = "button-link";
  out.textContent = "Sign Out";
  out.addEventListener("click", () => {
    out.disabled = true;
    signOut();
  });

  nav.replaceChildren(
    who,
    current(link("dashboard.html", "Dashboard"), "dashboard"),
    current(link("account.html", "My Account"), "account"),
    out,
  );
}

/**
 * The signed-in contractor (GET /me), or null after sending the browser back to the log-in page:
 * with no session ("Please log in to see your <what>."), or one that has ended. Other errors throw.
 */
export async function fetchMe(what) {
  const session = getSession();
  if (!session) {
    endSession(`Please log in to see your ${what}.`, "info");
    return null;
  }
  try {
    return (await api("GET", "/me", { token: session.token })).data;
  } catch (err) {
    if (err.status !== 401) throw err;
    endSession();
    return null;
  }
}

/** Updates the license number shown in the header (e.g. after GET /me). */
export function setHeaderUser(licenseNumber) {
  const el = $("signed-in-user");
  if (el) el.textContent = licenseNumber;
}

/** Every page's start: the city's words, the header, and (into noticeEl) a pending notice. */
export function initPage(noticeEl) {
  showCityWords();
  initHeader();
  trackEdits();
  wireEmailTypos();
  watchIdle(() => endSession(IDLE_END));
  // Another tab of this browser handed its session over after the page started.
  window.addEventListener("portal:session-arrived", () => {
    initHeader();
    watchIdle(() => endSession(IDLE_END));
  });
  const notice = noticeEl ? takeNotice() : null;
  if (notice) showNotice(noticeEl, notice.message, notice.kind === "error" ? "error" : "info");
}
