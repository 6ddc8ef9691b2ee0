// The tabs of this browser talk on one BroadcastChannel (same origin only; nothing leaves the
// browser): a new tab asks for the session, a sign-in, a new session after a password change and
// a sign-out reach every open tab, and so does a signed-in request (the idle timer's last use).
// See docs/web-client.md, "Security choices", for why this and not localStorage.

const NAME = "portal.tabs";
let channel = null;

/** The channel, or null where the browser has none. */
export function tabsChannel() {
  if (!channel && typeof BroadcastChannel === "function") channel = new BroadcastChannel(NAME);
  return channel;
}

/** Tells the other tabs of this browser (never this one). */
export function tellTabs(message) {
  try {
    const ch = tabsChannel();
    if (ch) ch.postMessage(message);
  } catch {
    // No channel: each tab keeps its own session, as before.
  }
}
