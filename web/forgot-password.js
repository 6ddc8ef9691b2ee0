// forgot-password.html: "Forgot Password" (POST /password/forgot; always the same answer).
import {
  api,
  checkRequired,
  clearErrors,
  focusElement,
  initHeader,
  setBusy,
  showApiError,
  showSummary,
  staffPhoneInit,
} from "./app.js";

staffPhoneInit();
initHeader();

const $ = (id) => document.getElementById(id);
const form = $("forgot-form");
const section = $("forgot-section");
const button = $("send-reset");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(section);
  const missing = checkRequired(form);
  if (missing.length) {
    showSummary("There is a problem", missing);
    return;
  }
  setBusy(button, true, "SENDING…");
  try {
    const { data } = await api("POST", "/password/forgot", {
      body: { license_number: $("license_number").value },
    });
    const message =
      typeof data.message === "string" && data.message
        ? data.message
        : "If an account exists for that license number, an email has been sent with a link to reset your password.";
    form.hidden = true;
    $("forgot-message").textContent = message;
    $("forgot-done").hidden = false;
    focusElement($("forgot-message"));
  } catch (err) {
    showApiError(err, { license_number: "license_number" });
  } finally {
    setBusy(button, false);
  }
});
