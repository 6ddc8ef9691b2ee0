// The idle end, said before it comes: the server ends a session after 30 minutes without a
// signed-in request, counted from the last use it stored, which it writes at most once a
// minute, so the real end may come up to a minute before 30 minutes after the last request.
// Two minutes before that earliest end a warning offers "Stay signed in" (a GET /me, which
// writes the last use); at the earliest end, the edited forms are kept (drafts.js) and the tab
// returns to the log-in page. Every tab of this browser shares the last use (tabs.js).
import { api } from "./api.js";
import { tabsChannel, tellTabs } from "./tabs.js";
import { getSession } from "./session.js";

// domain/policy.py: SESSION_IDLE_MINUTES (a per-deployment setting: config.js sessionIdleMinutes)
// and SESSION_LAST_SEEN_RESOLUTION_SECONDS (tests/test_policy_values.py).
export const SESSION_IDLE_MINUTES = 30;
export const LAST_USE_RESOLUTION_SECONDS = 60;
export const WARNING_MINUTES = 2;
const LAST_USE_KEY = "portal.last_use";
const CHECK_EVERY_MS = 5000;

function idleMs() {
  const configured = Number((window.PORTAL_CONFIG || {}).sessionIdleMinutes);
  const minutes = Number.isFinite(configured) && configured > 0 ? configured : SESSION_IDLE_MINUTES;
  return minutes * 60000;
}

function lastUse() {
  const at = Number(sessionStorage.getItem(LAST_USE_KEY));
  return Number.isFinite(at) && at > 0 ? at : 0;
}

function noteUse(at = Date.now()) {
  if (at > lastUse()) sessionStorage.setItem(LAST_USE_KEY, String(at));
}

/** Every successful signed-in request is a use (api.js says so); the other tabs hear of it. */
window.addEventListener("portal:signed-in-request", () => {
  const at = Date.now();
  noteUse(at);
  tellTabs({ type: "used", at });
});
const channel = tabsChannel();
if (channel) {
  channel.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "used" && Number.isFinite(message.at)) noteUse(message.at);
  });
}

function warningBox(onStay) {
  const box = document.createElement("div");
  box.id = "idle-warning";
  box.className = "idle-warning";
  box.setAttribute("role", "alert");
  box.hidden = true;
  const text = document.createElement("p");
  text.id = "idle-warning-text";
  const stay = document.createElement("button");
  stay.type = "button";
  stay.id = "stay-signed-in";
  stay.className = "button";
  stay.textContent = "Stay signed in";
  stay.addEventListener("click", onStay);
  box.append(text, stay);
  document.body.append(box);
  return box;
}

/**
 * Starts the timer on a signed-in page. `ended()` runs at the earliest idle end (header.js:
 * keep the edited forms, back to the log-in page).
 */
export function watchIdle(ended) {
  if (!getSession()) return;
  if (!lastUse()) noteUse();
  const box = warningBox(async () => {
    const session = getSession();
    if (!session) return ended();
    try {
      await api("GET", "/me", { token: session.token });
      box.hidden = true;
    } catch (err) {
      if (err.status === 401) ended();
    }
  });
  const check = () => {
    if (!getSession()) return;
    const earliestEnd = lastUse() + idleMs() - LAST_USE_RESOLUTION_SECONDS * 1000;
    const left = earliestEnd - Date.now();
    if (left <= 0) {
      clearInterval(timer);
      ended();
      return;
    }
    if (left <= WARNING_MINUTES * 60000) {
      const minutes = Math.max(1, Math.round(left / 60000));
      $text(box).textContent =
        `You will be signed out in about ${minutes === 1 ? "one minute" : `${minutes} minutes`} ` +
        "because nothing was done for a while. What you have typed will be kept.";
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  };
  const timer = setInterval(check, CHECK_EVERY_MS);
  check();
}

function $text(box) {
  return box.querySelector("#idle-warning-text");
}
