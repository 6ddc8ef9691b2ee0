// account.html: "My Account" — the contractor's own changes (PATCH /me, PUT /me/email,
// PUT /me/password, PUT /me/security-question, DELETE /me/sessions). One error summary for the
// page; each form shows its own field errors.
import {
  api,
  checkNewPassword,
  checkRequired,
  cityToday,
  clearErrors,
  clearSession,
  formatDate,
  getSession,
  initHeader,
  loadSecurityQuestions,
  saveSession,
  setBusy,
  setFieldError,
  setHeaderUser,
  setNotice,
  showApiError,
  showPendingNotice,
  showSummary,
  staffPhoneInit,
  wireShowPasswords,
} from "./app.js";

const $ = (id) => document.getElementById(id);
const notice = $("notice");
const exempt = $("wc_exempt");
let session = getSession();

function say(message) {
  notice.textContent = message;
  notice.className = "notice notice-success";
  notice.hidden = false;
  notice.setAttribute("tabindex", "-1");
  notice.focus();
  notice.scrollIntoView({ block: "start" });
}

function endOfSession(message = "Your session has ended. Please log in again.") {
  clearSession();
  setNotice(message, "error");
  window.location.replace("index.html");
}

function text(id) {
  return $(id).value.trim();
}

function showPolicyFields() {
  $("wc-policy").hidden = exempt.checked;
  for (const id of ["wc_carrier", "wc_policy_number", "wc_expires_on"]) $(id).disabled = exempt.checked;
}

function render(me) {
  $("account-license").textContent = me.license_number || "";
  if (me.license_number) setHeaderUser(me.license_number);
  $("contact_name").value = me.contact_name || "";
  $("phone").value = me.phone || "";
  const address = me.mailing_address || {};
  for (const key of ["street", "city", "state", "postal_code"]) $(key).value = address[key] || "";

  const wc = me.workers_comp || {};
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
  showPolicyFields();

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
  if (!session) {
    setNotice("Please log in to see your account.");
    window.location.replace("index.html");
    return;
  }
  try {
    const { data } = await api("GET", "/me", { token: session.token });
    render(data);
    if (window.location.hash) {
      const target = document.getElementById(window.location.hash.slice(1));
      if (target) {
        target.focus();
        target.scrollIntoView({ block: "start" });
      }
    }
  } catch (err) {
    if (err.status === 401) return endOfSession();
    $("account-loading").hidden = true;
    showSummary(err.message);
  }
}

// Sends one form's request; field errors next to the inputs, the rest in the summary.
async function submit(form, button, request, fieldMap, passwordInput) {
  clearErrors(document);
  notice.hidden = true;
  setBusy(button, true, "Saving…");
  try {
    return await request();
  } catch (err) {
    if (err.status === 401 && err.code === "invalid_credentials" && passwordInput) {
      setFieldError(passwordInput, err.message);
      showSummary("There is a problem with the form", [{ inputId: passwordInput, message: err.message }]);
      $(passwordInput).value = "";
    } else if (err.status === 401) {
      endOfSession();
    } else {
      showApiError(err, fieldMap);
    }
    return null;
  } finally {
    setBusy(button, false);
  }
}

function preflight(root, extra = []) {
  const items = [...checkRequired(root), ...extra];
  if (items.length) showSummary("There is a problem with the form", items);
  return items.length === 0;
}

$("contact-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(document);
  if (!preflight($("contact-form"))) return;
  const body = {
    contact_name: text("contact_name"),
    phone: text("phone"),
    mailing_address: {
      street: text("street"),
      city: text("city"),
      state: text("state").toUpperCase(),
      postal_code: text("postal_code"),
    },
  };
  const answer = await submit($("contact-form"), $("save-contact"), () =>
    api("PATCH", "/me", { body, token: session.token }),
  );
  if (answer) {
    render(answer.data);
    say("Your contact details are saved.");
  }
});

$("wc-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(document);
  if (!preflight($("wc-form"))) return;
  const workers_comp = exempt.checked
    ? { exempt: true }
    : { carrier: text("wc_carrier"), policy_number: text("wc_policy_number"), expires_on: text("wc_expires_on") };
  const fieldMap = {
    "workers_comp.carrier": "wc_carrier",
    "workers_comp.policy_number": "wc_policy_number",
    "workers_comp.expires_on": "wc_expires_on",
    "workers_comp.exempt": "wc_exempt",
    workers_comp: exempt.checked ? "wc_exempt" : "wc_carrier",
  };
  const answer = await submit($("wc-form"), $("save-wc"), () =>
    api("PATCH", "/me", { body: { workers_comp }, token: session.token }),
  fieldMap);
  if (answer) {
    render(answer.data);
    say("Your workers’ compensation is saved. Your Dashboard shows its status.");
  }
});

$("email-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(document);
  if (!preflight($("email-form"))) return;
  const body = { email: text("new_email"), current_password: $("email_current_password").value };
  const answer = await submit(
    $("email-form"),
    $("change-email"),
    () => api("PUT", "/me/email", { body, token: session.token }),
    { email: "new_email", current_password: "email_current_password" },
    "email_current_password",
  );
  if (answer) {
    $("email-form").reset();
    const { data } = await api("GET", "/me", { token: session.token });
    render(data);
    say(answer.data.message || "We have sent a link to the new address.");
  }
});

$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(document);
  const extra = checkNewPassword("new_password", "new_password_confirm");
  if (!preflight($("password-form"), extra)) return;
  const body = { current_password: $("password_current_password").value, new_password: $("new_password").value };
  const answer = await submit(
    $("password-form"),
    $("change-password"),
    () => api("PUT", "/me/password", { body, token: session.token }),
    { current_password: "password_current_password", new_password: "new_password" },
    "password_current_password",
  );
  if (answer) {
    // This browser continues with the new session; every other one is signed out.
    saveSession(answer.data.session, session.license_number);
    session = getSession();
    $("password-form").reset();
    say("Your password is changed. Every other computer and phone was signed out.");
  }
});

$("question-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(document);
  if (!preflight($("question-form"))) return;
  const body = {
    current_password: $("question_current_password").value,
    security_question: $("security_question").value,
    security_answer: text("security_answer"),
  };
  const answer = await submit(
    $("question-form"),
    $("change-question"),
    () => api("PUT", "/me/security-question", { body, token: session.token }),
    { current_password: "question_current_password" },
    "question_current_password",
  );
  if (answer) {
    $("question-form").reset();
    say("Your security question is changed.");
  }
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

exempt.addEventListener("change", showPolicyFields);
$("wc_expires_on").min = cityToday();
wireShowPasswords("show_passwords", ["password_current_password", "new_password", "new_password_confirm"]);
staffPhoneInit();
initHeader();
showPendingNotice(notice);
loadSecurityQuestions($("security_question"));
load();
