// reset-password.html: the page the "Forgot Password" email links to
// (reset-password.html#token=...): POST /password/reset/question, then POST /password/reset.
import { api } from "./api.js";
import {
  $,
  appendSummaryLink,
  checkNewPassword,
  checkSecurityAnswer,
  focusElement,
  loadSecurityQuestions,
  NEW_PASSWORD_FIELDS,
  showFieldProblem,
  showSummary,
  submitForm,
  wireShowPasswords,
} from "./forms.js";
import { initHeader, initPage } from "./header.js";
import {
  clearResetToken,
  clearSession,
  getResetToken,
  saveDeviceToken,
  saveResetToken,
  takeFragmentToken,
} from "./session.js";

const form = $("reset-form");
let needsQuestion = false;

initPage();
wireShowPasswords("show_passwords", ["new_password", "new_password_confirm"]);

// The token from the link, kept for this tab only (a reload still works).
function takeToken() {
  const token = takeFragmentToken();
  if (token) saveResetToken(token);
  return token || getResetToken();
}

const token = takeToken();

function showInvalid(message) {
  clearResetToken();
  $("reset-loading").hidden = true;
  form.hidden = true;
  $("error-summary").hidden = true;
  $("reset-invalid-message").textContent = message;
  $("reset-invalid").hidden = false;
  focusElement($("reset-heading"));
}

async function loadQuestion() {
  if (!token) {
    showInvalid(
      "This password reset link is incomplete or has already been used. Ask for a new one with Forgot Password.",
    );
    return;
  }
  try {
    const { data } = await api("POST", "/password/reset/question", { body: { reset_token: token } });
    $("reset-loading").hidden = true;
    const question = typeof data.security_question === "string" ? data.security_question : null;
    if (question) {
      $("security-question-text").textContent = question;
      $("question-known").hidden = false;
      $("security_answer").setAttribute("aria-describedby", "security-question-text security_answer-hint");
    } else {
      needsQuestion = true;
      $("question-choose").hidden = false;
      loadSecurityQuestions($("security_question"));
    }
    form.hidden = false;
  } catch (err) {
    if (err.status === 401) {
      showInvalid(err.message);
      return;
    }
    $("reset-loading").hidden = true;
    showSummary(err.message);
    appendSummaryLink("Try again", "reset-password.html");
  }
}

async function resetPassword() {
  const body = {
    reset_token: token,
    security_answer: $("security_answer").value,
    new_password: $("new_password").value,
  };
  if (needsQuestion) body.security_question = $("security_question").value;
  const { data } = await api("POST", "/password/reset", { body });
  clearResetToken();
  clearSession(); // every session of the account has ended on the server
  // This browser proved the email and the answer: its next sign-in is judged by this device,
  // not by a lock a stranger may keep up on the license number.
  saveDeviceToken(data.license_number, data.device_token);
  form.reset();
  form.hidden = true;
  $("reset-message").textContent =
    typeof data.message === "string" && data.message ? data.message : "Your password has been reset.";
  $("reset-done").hidden = false;
  initHeader();
  focusElement($("reset-message"));
}

submitForm(form, {
  root: $("reset-section"),
  button: $("reset-password"),
  busyText: "RESETTING…",
  check: () => [
    ...checkNewPassword("new_password", "new_password_confirm"),
    ...(needsQuestion ? checkSecurityAnswer() : []),
  ],
  send: resetPassword,
  fieldMap: NEW_PASSWORD_FIELDS,
  fail: (err) => {
    if (err.status !== 401) return false;
    if (err.code === "incorrect_security_answer") showFieldProblem("security_answer", err.message);
    else showInvalid(err.message);
    return true;
  },
});

loadQuestion();
