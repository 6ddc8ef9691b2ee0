// forgot-password.html: "Forgot Password" (POST /password/forgot; always the same answer).
import { api } from "./api.js";
import { $, focusElement, submitForm } from "./forms.js";
import { initPage } from "./header.js";

initPage();

const form = $("forgot-form");

submitForm(form, {
  root: $("forgot-section"),
  button: $("send-reset"),
  busyText: "SENDING…",
  title: "There is a problem",
  fieldMap: { license_number: "license_number" },
  send: async () => {
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
  },
});
