// A new tab of this browser signed in as the tab it was opened from: when this tab has no
// session, it asks the open tabs (tabs.js). On a page that needs a session (Dashboard, My
// Account) it waits briefly for one to hand it over (a top-level await: header.js imports this,
// so the page script sees the session before it starts); elsewhere it does not wait, and the
// header is redrawn when the session arrives ("portal:session-arrived"), so no form is ever
// late to start. Also: a sign-in, a new session or a sign-out in another tab reaches this one.
import { tabsChannel, tellTabs } from "./tabs.js";
import { adoptSession, dropSession, getSession, setNotice } from "./session.js";

const ASK_WAIT_MS = 250;
const SIGNED_IN_PAGES = new Set(["dashboard", "account"]);

function sameAccount(stored) {
  const mine = getSession();
  return !mine || mine.license_number === String((stored && stored.license_number) || "");
}

const channel = tabsChannel();
if (channel) {
  channel.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "ask") {
      const mine = getSession();
      if (mine) tellTabs({ type: "session", session: mine });
    } else if (message.type === "session" && sameAccount(message.session)) {
      // A sign-in in another tab, or its new session after a password change.
      const had = Boolean(getSession());
      if (adoptSession(message.session) && !had) window.dispatchEvent(new Event("portal:session-arrived"));
    } else if (message.type === "cleared" && getSession()) {
      dropSession();
      if (SIGNED_IN_PAGES.has(document.body.dataset.page)) {
        setNotice("You signed out in another tab of this browser.");
        window.location.replace("index.html");
      }
    }
  });
}

/** Resolves once this tab has a session, or when no open tab handed one over in time. */
function askOpenTabs() {
  if (!channel || getSession()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ASK_WAIT_MS);
    function done() {
      clearTimeout(timer);
      channel.removeEventListener("message", answered);
      resolve();
    }
    function answered(event) {
      const message = event.data || {};
      if (message.type === "session" && getSession()) done();
    }
    channel.addEventListener("message", answered);
    tellTabs({ type: "ask" });
  });
}

if (SIGNED_IN_PAGES.has(document.body.dataset.page)) await askOpenTabs();
else if (!getSession()) tellTabs({ type: "ask" });
