// verify-email.html: the page the confirmation email links to (verify-email.html#token=...):
// POST /email/verify. No session is needed: the link may be opened on another device.
import { api } from "./api.js";
import { $, focusElement } from "./forms.js";
import { initPage } from "./header.js";
import { getSession, takeFragmentToken } from "./session.js";

function showInvalid(message) {
  $("verify-loading").hidden = true;
  $("verify-invalid-message").textContent = message;
  $("verify-invalid").hidden = false;
  focusElement($("verify-heading"));
}

async function verify() {
  const token = takeFragmentToken();
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

initPage();
verify();
// A second link opened in the same tab changes only the fragment: confirm that one too.
window.addEventListener("hashchange", () => {
  for (const id of ["verify-done", "verify-invalid"]) $(id).hidden = true;
  $("verify-loading").hidden = false;
  verify();
});
