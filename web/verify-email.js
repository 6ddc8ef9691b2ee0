// verify-email.html: the page the confirmation email links to (verify-email.html#token=...):
// POST /email/verify. No session is needed: the link may be opened on another device.
import { api, focusElement, getSession, initHeader, staffPhoneInit } from "./app.js";

const $ = (id) => document.getElementById(id);

// Take the token from the fragment and drop it from the address bar (and the history list).
function takeTokenFromUrl() {
  const hash = window.location.hash.replace(/^#/, "");
  history.replaceState(null, "", window.location.pathname + window.location.search);
  return hash ? new URLSearchParams(hash).get("token") || "" : "";
}

function showInvalid(message) {
  $("verify-loading").hidden = true;
  $("verify-invalid-message").textContent = message;
  $("verify-invalid").hidden = false;
  focusElement($("verify-heading"));
}

async function verify() {
  const token = takeTokenFromUrl();
  if (!token) {
    showInvalid("This page needs the link from your email. Open the link in the email we sent you.");
    return;
  }
  try {
    const { data } = await api("POST", "/email/verify", { body: { token } });
    $("verify-loading").hidden = true;
    $("verify-message").textContent = `Your email address ${data.email} is confirmed.`;
    if (!getSession()) {
      const next = $("verify-continue");
      next.href = "index.html";
      next.textContent = "LOG IN";
    }
    $("verify-done").hidden = false;
    focusElement($("verify-heading"));
  } catch (err) {
    showInvalid(err.message);
  }
}

staffPhoneInit();
initHeader();
verify();
// A second link opened in the same tab changes only the fragment: confirm that one too.
window.addEventListener("hashchange", () => {
  for (const id of ["verify-done", "verify-invalid"]) $(id).hidden = true;
  $("verify-loading").hidden = false;
  verify();
});
