// first-login.html: set a new password after logging in with a temporary one
// (POST /password/reset with the challenge token: "SAVE AND LOGIN").
import { api } from "./api.js";
import {
  $,
  checkNewPassword,
  checkSecurityAnswer,
  loadSecurityQuestions,
  NEW_PASSWORD_FIELDS,
  showSummary,
  submitForm,
  wireShowPasswords,
} from "./forms.js";
import { initPage } from "./header.js";
import { clearChallenge, getChallenge, saveDeviceToken, saveSession, setNotice } from "./session.js";

function backToLogin(message) {
  clearChallenge();
  setNotice(message, "error");
  window.location.replace("index.html");
}

initPage();

const challenge = getChallenge();
if (!challenge) {
  backToLogin("Log in with your license number and temporary password to set your new password.");
} else if (challenge.expired) {
  backToLogin("The time to set your new password has run out. Log in again with your temporary password.");
} else {
  start(challenge);
}

function start(challenge) {
  const form = $("first-login-form");
  $("license_number").value = challenge.license_number || "";
  wireShowPasswords("show_passwords", ["new_password", "new_password_confirm"]);
  loadSecurityQuestions($("security_question"));
  $("cancel-first-login").addEventListener("click", () => clearChallenge());

  async function saveAndLogIn() {
    const { data } = await api("POST", "/password/reset", {
      body: {
        challenge_token: challenge.challenge_token,
        new_password: $("new_password").value,
        security_question: $("security_question").value,
        security_answer: $("security_answer").value,
      },
    });
    if (!data.session || !data.session.token) {
      showSummary("The portal gave an unexpected answer. Please log in again.");
      return;
    }
    const license = (data.contractor && data.contractor.license_number) || challenge.license_number;
    saveDeviceToken(license, data.device_token);
    saveSession(data.session, license);
    clearChallenge();
    form.reset();
    window.location.assign("dashboard.html");
  }

  submitForm(form, {
    root: $("first-login-section"),
    button: $("save-and-login"),
    busyText: "SAVING…",
    check: () => [...checkNewPassword("new_password", "new_password_confirm"), ...checkSecurityAnswer()],
    send: saveAndLogIn,
    fieldMap: NEW_PASSWORD_FIELDS,
    fail: (err) => {
      if (err.status !== 401 || err.code !== "invalid_or_expired_token") return false;
      backToLogin(err.message);
      return true;
    },
  });
}
