// first-login.html: set a new password after logging in with a temporary one
// (POST /password/reset with the challenge token: "SAVE AND LOGIN").
import {
  api,
  checkNewPassword,
  checkRequired,
  clearChallenge,
  clearErrors,
  getChallenge,
  initHeader,
  loadSecurityQuestions,
  saveDeviceToken,
  saveSession,
  setBusy,
  setFieldError,
  setNotice,
  showApiError,
  showSummary,
  staffPhoneInit,
  wireShowPasswords,
} from "./app.js";

const $ = (id) => document.getElementById(id);

function backToLogin(message) {
  clearChallenge();
  setNotice(message, "error");
  window.location.replace("index.html");
}

staffPhoneInit();
initHeader();

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
  const section = $("first-login-section");
  const button = $("save-and-login");
  $("license_number").value = challenge.license_number || "";
  wireShowPasswords("show_passwords", ["new_password", "new_password_confirm"]);
  loadSecurityQuestions($("security_question"));
  $("cancel-first-login").addEventListener("click", () => clearChallenge());

  const FIELD_MAP = {
    new_password: "new_password",
    password: "new_password",
    security_question: "security_question",
    security_answer: "security_answer",
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(section);
    const problems = checkNewPassword("new_password", "new_password_confirm");
    const answer = $("security_answer").value.trim();
    if (answer && answer.length < 3) {
      const message = "Your security answer must be at least 3 characters.";
      setFieldError("security_answer", message);
      problems.push({ inputId: "security_answer", message });
    }
    problems.push(...checkRequired(form));
    if (problems.length) {
      showSummary("There is a problem with the form", problems);
      return;
    }

    setBusy(button, true, "SAVING…");
    try {
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
    } catch (err) {
      if (err.status === 401 && err.code === "invalid_or_expired_token") {
        backToLogin(err.message);
        return;
      }
      showApiError(err, FIELD_MAP);
    } finally {
      setBusy(button, false);
    }
  });
}
