// account.html: "My Account" — the contractor's own changes (PATCH /me, PUT /me/email,
// PUT /me/password, PUT /me/security-question, DELETE /me/sessions). One error summary for the
// page; each form shows its own field errors.
import { loadActivity } from "./activity.js";
import { api } from "./api.js";
import { formatDate } from "./dates.js";
import {
  $,
  checkNewPassword,
  loadSecurityQuestions,
  setBusy,
  showFieldProblem,
  showSummary,
  submitForm,
  trimmed,
  wireShowPasswords,
} from "./forms.js";
import { endSession, fetchMe, initPage, setHeaderUser, showNotice } from "./header.js";
import { clearSession, getSession, saveSession, setNotice } from "./session.js";
import { workersCompFields } from "./workers-comp.js";

const notice = $("notice");
const workersComp = workersCompFields();
let session = getSession();

function say(message) {
  showNotice(notice, message, "success");
  notice.setAttribute("tabindex", "-1");
  notice.focus();
  notice.scrollIntoView({ block: "start" });
}

function render(me) {
  $("account-license").textContent = me.license_number || "";
  if (me.license_number) setHeaderUser(me.license_number);
  $("contact_name").value = me.contact_name || "";
  $("phone").value = me.phone || "";
  const address = me.mailing_address || {};
  for (const key of ["street", "city", "state", "postal_code"]) $(key).value = address[key] || "";

  const wc = me.workers_comp || {};
  const exempt = workersComp.exempt;
  exempt.checked = wc.exempt === true || wc.status === "exempt";
  $("wc_carrier").value = wc.carrier || "";
  $("wc_policy_number").value = wc.policy_number || "";
  $("wc_expires_on").value = "";
  $("wc-current").textContent = exempt.checked
    ? "On file: exempt from workers’ compensation."
    : wc.expires_on
      ? `On file: policy ${wc.policy_number || ""}, expires ${formatDate(wc.expires_on)}${
          wc.status === "expired" ? " (expired)" : ""
        }.`
      : "No workers’ compensation on file.";
  workersComp.show();

  $("current-email").textContent = me.email || "Not on file";
  const status = $("current-email-status");
  status.textContent = me.email ? (me.email_verified ? "Confirmed" : "Not confirmed") : "";
  status.className = me.email ? `status ${me.email_verified ? "status-valid" : "status-expiring_soon"}` : "";
  const pending = $("pending-email-note");
  pending.hidden = !me.pending_email;
  pending.textContent = me.pending_email
    ? `Waiting for confirmation: ${me.pending_email}. Open the link we sent there.`
    : "";

  $("account-loading").hidden = true;
  $("account-content").hidden = false;
}

async function load() {
  try {
    const me = await fetchMe("account");
    if (!me) return;
    render(me);
    loadActivity(session.token);
    if (window.location.hash) {
      const target = document.getElementById(window.location.hash.slice(1));
      if (target) {
        target.focus();
        target.scrollIntoView({ block: "start" });
      }
    }
  } catch (err) {
    $("account-loading").hidden = true;
    showSummary(err.message);
  }
}

/**
 * Wires one form of the page: field errors next to its inputs, the rest in the one summary.
 * A wrong current password (passwordInput) is shown next to it; any other 401 ends the session.
 */
function accountForm(formId, buttonId, { send, check, fieldMap, passwordInput }) {
  submitForm($(formId), {
    root: document,
    button: $(buttonId),
    busyText: "Saving…",
    check,
    fieldMap,
    send: () => {
      notice.hidden = true;
      return send();
    },
    fail: (err) => {
      if (err.status !== 401) return false;
      if (err.code === "invalid_credentials" && passwordInput) {
        showFieldProblem(passwordInput, err.message);
        $(passwordInput).value = "";
      } else {
        endSession();
      }
      return true;
    },
  });
}

accountForm("contact-form", "save-contact", {
  send: async () => {
    const body = {
      contact_name: trimmed("contact_name"),
      phone: trimmed("phone"),
      mailing_address: {
        street: trimmed("street"),
        city: trimmed("city"),
        state: trimmed("state").toUpperCase(),
        postal_code: trimmed("postal_code"),
      },
    };
    const { data } = await api("PATCH", "/me", { body, token: session.token });
    render(data);
    say("Your contact details are saved.");
  },
});

accountForm("wc-form", "save-wc", {
  fieldMap: workersComp.fieldMap,
  send: async () => {
    const body = { workers_comp: workersComp.body() };
    const { data } = await api("PATCH", "/me", { body, token: session.token });
    render(data);
    say("Your workers’ compensation is saved. Your Dashboard shows its status.");
  },
});

accountForm("email-form", "change-email", {
  fieldMap: { email: "new_email", current_password: "email_current_password" },
  passwordInput: "email_current_password",
  send: async () => {
    const body = { email: trimmed("new_email"), current_password: $("email_current_password").value };
    const answer = await api("PUT", "/me/email", { body, token: session.token });
    $("email-form").reset();
    const { data } = await api("GET", "/me", { token: session.token });
    render(data);
    say(answer.data.message || "We have sent a link to the new address.");
  },
});

accountForm("password-form", "change-password", {
  check: () => checkNewPassword("new_password", "new_password_confirm"),
  fieldMap: { current_password: "password_current_password", new_password: "new_password" },
  passwordInput: "password_current_password",
  send: async () => {
    const body = { current_password: $("password_current_password").value, new_password: $("new_password").value };
    const { data } = await api("PUT", "/me/password", { body, token: session.token });
    // This browser continues with the new session; every other one is signed out.
    saveSession(data.session, session.license_number);
    session = getSession();
    $("password-form").reset();
    say("Your password is changed. Every other computer and phone was signed out.");
  },
});

accountForm("question-form", "change-question", {
  fieldMap: { current_password: "question_current_password" },
  passwordInput: "question_current_password",
  send: async () => {
    const body = {
      current_password: $("question_current_password").value,
      security_question: $("security_question").value,
      security_answer: trimmed("security_answer"),
    };
    await api("PUT", "/me/security-question", { body, token: session.token });
    $("question-form").reset();
    say("Your security question is changed.");
  },
});

$("sign-out-everywhere").addEventListener("click", async () => {
  const button = $("sign-out-everywhere");
  setBusy(button, true, "Signing out…");
  try {
    await api("DELETE", "/me/sessions", { token: session.token });
  } catch (err) {
    if (err.status !== 401) {
      setBusy(button, false);
      showSummary(err.message);
      return;
    }
  }
  clearSession();
  setNotice("You have signed out on every computer and phone.");
  window.location.assign("index.html");
});

wireShowPasswords("show_passwords", ["password_current_password", "new_password", "new_password_confirm"]);
initPage(notice);
loadSecurityQuestions($("security_question"));
load();
