// index.html: the log-in box (POST /sessions).
import {
  api,
  checkRequired,
  clearErrors,
  deviceTokenFor,
  initHeader,
  saveChallenge,
  saveDeviceToken,
  saveSession,
  setBusy,
  showApiError,
  showPendingNotice,
  showSummary,
  staffPhoneInit,
  wireShowPasswords,
} from "./app.js";

staffPhoneInit();
initHeader();
showPendingNotice(document.getElementById("notice"));
wireShowPasswords("show_password", ["password"]);

const form = document.getElementById("login-form");
const loginAs = document.getElementById("login_as");
const contractorFields = document.getElementById("contractor-fields");
const publicNote = document.getElementById("public-note");
const button = document.getElementById("login-button");

function showRole() {
  const isPublic = loginAs.value === "public";
  contractorFields.hidden = isPublic;
  publicNote.hidden = !isPublic;
  clearErrors(form.closest("section"));
}
loginAs.addEventListener("change", showRole);
showRole();

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (loginAs.value !== "contractor") return;
  const section = form.closest("section");
  clearErrors(section);
  const missing = checkRequired(form);
  if (missing.length) {
    showSummary("There is a problem", missing);
    return;
  }

  const licenseInput = document.getElementById("license_number");
  const passwordInput = document.getElementById("password");
  setBusy(button, true, "LOGGING IN…");
  try {
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
      passwordInput.value = "";
      window.location.assign("dashboard.html");
      return;
    }
    showSummary("The portal gave an unexpected answer. Please try again.");
  } catch (err) {
    passwordInput.value = "";
    showApiError(err, { license_number: "license_number", password: "password" });
  } finally {
    setBusy(button, false);
  }
});
