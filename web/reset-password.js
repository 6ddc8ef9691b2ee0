// reset-password.html: the page the "Forgot Password" email links to
// (reset-password.html#token=...): POST /password/reset/question, then POST /password/reset.
import {
  api,
  appendSummaryLink,
  checkNewPassword,
  checkRequired,
  clearErrors,
  clearResetToken,
  clearSession,
  focusElement,
  getResetToken,
  initHeader,
  loadSecurityQuestions,
  saveResetToken,
  setBusy,
  setFieldError,
  showApiError,
  showSummary,
  staffPhoneInit,
  wireShowPasswords,
} from "./app.js";

const $ = (id) => document.getElementById(id);
const section = $("reset-section");
const form = $("reset-form");
const button = $("reset-password");
let needsQuestion = false;

staffPhoneInit();
initHeader();
wireShowPasswords("show_passwords", ["new_password", "new_password_confirm"]);

// Take the token from the fragment, keep it for this tab only, and drop it from the address bar
// (and so from the history list and anything that copies the URL).
function takeTokenFromUrl() {
  const hash = window.location.hash.replace(/^#/, "");
  if (hash) {
    const token = new URLSearchParams(hash).get("token");
    history.replaceState(null, "", window.location.pathname + window.location.search);
    if (token) {
      saveResetToken(token);
      return token;
    }
  }
  return getResetToken();
}

const token = takeTokenFromUrl();

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

const FIELD_MAP = {
  new_password: "new_password",
  password: "new_password",
  security_answer: "security_answer",
  security_question: "security_question",
};

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(section);
  const problems = checkNewPassword("new_password", "new_password_confirm");
  if (needsQuestion) {
    const answer = $("security_answer").value.trim();
    if (answer && answer.length < 3) {
      const message = "Your security answer must be at least 3 characters.";
      setFieldError("security_answer", message);
      problems.push({ inputId: "security_answer", message });
    }
  }
  problems.push(...checkRequired(form));
  if (problems.length) {
    showSummary("There is a problem with the form", problems);
    return;
  }

  const body = {
    reset_token: token,
    security_answer: $("security_answer").value,
    new_password: $("new_password").value,
  };
  if (needsQuestion) body.security_question = $("security_question").value;

  setBusy(button, true, "RESETTING…");
  try {
    const { data } = await api("POST", "/password/reset", { body });
    clearResetToken();
    clearSession(); // every session of the account has ended on the server
    form.reset();
    form.hidden = true;
    $("reset-message").textContent =
      typeof data.message === "string" && data.message ? data.message : "Your password has been reset.";
    $("reset-done").hidden = false;
    initHeaderSignedOut();
    focusElement($("reset-message"));
  } catch (err) {
    if (err.status === 401 && err.code === "incorrect_security_answer") {
      setFieldError("security_answer", err.message);
      showSummary("There is a problem with the form", [{ inputId: "security_answer", message: err.message }]);
    } else if (err.status === 401) {
      showInvalid(err.message);
    } else {
      showApiError(err, FIELD_MAP);
    }
  } finally {
    setBusy(button, false);
  }
});

function initHeaderSignedOut() {
  const nav = $("account-nav");
  if (!nav || !$("signed-in-user")) return;
  const a = document.createElement("a");
  a.href = "forgot-password.html";
  a.textContent = "Forgot Password";
  nav.replaceChildren(a);
}

loadQuestion();
