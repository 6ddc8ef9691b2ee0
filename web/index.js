// index.html: the log-in box (POST /sessions), and Sign in with a passkey (POST /sessions/passkey).
import { api } from "./api.js";
import { takeReturnPage } from "./drafts.js";
import { $, clearErrors, setBusy, showApiError, showSummary, submitForm, wireShowPasswords } from "./forms.js";
import { initPage } from "./header.js";
import { cancelled, passkeysOffered, signInWithPasskey } from "./passkeys.js";
import { deviceTokenFor, saveChallenge, saveDeviceToken, saveSession } from "./session.js";
import { showSignInHelp } from "./sign-in-help.js";

// After a password sign-in the Dashboard may offer, once, to add a passkey (dashboard.js).
const OFFER_PASSKEY = "etrakit.offerPasskey";

initPage($("notice"));
wireShowPasswords("show_password", ["password"]);

const form = $("login-form");
const section = form.closest("section");
const loginAs = $("login_as");
const licenseInput = $("license_number");
const passwordInput = $("password");

function showRole() {
  const isPublic = loginAs.value === "public";
  $("contractor-fields").hidden = isPublic;
  $("public-note").hidden = !isPublic;
  clearErrors(section);
}
loginAs.addEventListener("change", showRole);
showRole();

/** The help under the error summary (made once). */
function signInHelp() {
  let el = $("sign-in-help");
  if (!el) {
    el = document.createElement("div");
    el.id = "sign-in-help";
    el.className = "notice sign-in-help";
    $("error-summary").insertAdjacentElement("afterend", el);
  }
  return el;
}

async function logIn() {
  if (loginAs.value !== "contractor") return;
  const body = { license_number: licenseInput.value, password: passwordInput.value };
  // This browser's device token for the license: while a stranger has the license locked,
  // it still lets this browser in.
  const deviceToken = deviceTokenFor(licenseInput.value);
  if (deviceToken) body.device_token = deviceToken;
  const { data } = await api("POST", "/sessions", { body });
  if (data.challenge === "NEW_PASSWORD_REQUIRED" && data.challenge_token) {
    saveChallenge(data, licenseInput.value.replace(/[\s-]/g, ""));
    passwordInput.value = "";
    window.location.assign("first-login.html");
    return;
  }
  if (data.session && data.session.token) {
    const license = (data.contractor && data.contractor.license_number) || licenseInput.value;
    saveDeviceToken(license, data.device_token);
    saveSession(data.session, license);
    sessionStorage.setItem(OFFER_PASSKEY, "1");
    passwordInput.value = "";
    // Back to the page the contractor was on when their session ended, else the Dashboard.
    window.location.assign(takeReturnPage() || "dashboard.html");
    return;
  }
  showSummary("The portal gave an unexpected answer. Please try again.");
}

if (passkeysOffered()) {
  $("passkey-sign-in").hidden = false;
  const button = $("passkey-button");
  button.addEventListener("click", async () => {
    clearErrors(section);
    setBusy(button, true, "Waiting for your passkey…");
    try {
      const data = await signInWithPasskey();
      const license = data.contractor.license_number;
      saveDeviceToken(license, data.device_token);
      saveSession(data.session, license);
      window.location.assign("dashboard.html");
    } catch (err) {
      setBusy(button, false);
      if (cancelled(err)) return;
      showSummary(err && err.status ? err.message : "Your passkey could not be used. Please try again.");
    }
  });
}

submitForm(form, {
  root: section,
  button: $("login-button"),
  busyText: "LOGGING IN…",
  title: "There is a problem",
  send: logIn,
  fieldMap: { license_number: "license_number", password: "password" },
  fail: (err) => {
    // The license number stays typed; the same help follows every refusal.
    passwordInput.value = "";
    showApiError(err, { license_number: "license_number", password: "password" });
    if (err.status === 401 || err.status === 403) showSignInHelp(signInHelp());
    $("login-heading").scrollIntoView({ block: "start" });
    return true;
  },
});
