// account.html: "My Account" — the contractor's own changes (PATCH /me, PUT /me/email,
// PUT /me/password, PUT /me/security-question, DELETE /me/sessions). One error summary for the
// page; each form shows its own field errors.
import { loadActivity } from "./activity.js";
import { api } from "./api.js";
import { formatDate } from "./dates.js";
import { resumeDrafts } from "./drafts.js";
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
import { addPasskey, cancelled, listPasskeys, passkeysOffered, removePasskey } from "./passkeys.js";
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
  // The username of each password form, so a password manager saves the pair.
  document.querySelectorAll("[data-username]").forEach((el) => {
    el.value = me.license_number || "";
  });
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
  $("wc_expires_on").value = wc.expires_on || "";
  $("wc-current").textContent = exempt.checked
    ? "On file: exempt from workers’ compensation."
    : wc.expires_on
      ? `On file: policy ${wc.policy_number || ""}, expires ${formatDate(wc.expires_on)}${
          wc.status === "expired" ? " (expired)" : ""
        }.`
      : "Unknown / Not on file: please add your workers’ compensation policy below (or check the box if you are exempt).";
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
    // What was typed when the session ended is put back and saved (drafts.js).
    resumeDrafts(me.license_number);
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

// SIGN OUT EVERYWHERE asks first: it ends this browser's session too.
$("sign-out-everywhere").addEventListener("click", () => {
  $("sign-out-everywhere-confirm").hidden = false;
  $("confirm-sign-out-everywhere").focus();
});
$("cancel-sign-out-everywhere").addEventListener("click", () => {
  $("sign-out-everywhere-confirm").hidden = true;
  $("sign-out-everywhere").focus();
});
$("confirm-sign-out-everywhere").addEventListener("click", async () => {
  const button = $("confirm-sign-out-everywhere");
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

// Passkeys: shown only where the browser and the site can use them (passkeys.js).
function renderPasskeys(passkeys) {
  const list = $("passkey-list");
  list.replaceChildren();
  for (const passkey of passkeys) {
    const item = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = passkey.name;
    const when = document.createElement("span");
    when.textContent = ` added ${formatDate(passkey.created_at.slice(0, 10))}, ${
      passkey.last_used_at ? `last used ${formatDate(passkey.last_used_at.slice(0, 10))}` : "not used yet"
    }${passkey.synced ? " (synced)" : ""} `;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-secondary button-small";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${passkey.name}`);
    remove.addEventListener("click", async () => {
      setBusy(remove, true, "Removing…");
      try {
        await removePasskey(session.token, passkey.id);
        await loadPasskeys();
        say(`The passkey ${passkey.name} is removed.`);
      } catch (err) {
        setBusy(remove, false);
        if (err.status === 401) endSession();
        else showSummary(err.message);
      }
    });
    item.append(name, when, remove);
    list.append(item);
  }
  $("no-passkeys").hidden = passkeys.length > 0;
}

async function loadPasskeys() {
  renderPasskeys(await listPasskeys(session.token));
}

if (passkeysOffered()) {
  for (const id of ["passkeys", "passkeys-link", "everywhere-passkeys"]) $(id).hidden = false;
  loadPasskeys().catch((err) => (err.status === 401 ? endSession() : showSummary(err.message)));
  submitForm($("passkey-form"), {
    root: document,
    button: $("add-passkey"),
    busyText: "Waiting for your device…",
    fieldMap: { current_password: "passkey_current_password", name: "passkey_name" },
    send: async () => {
      notice.hidden = true;
      try {
        const added = await addPasskey(session.token, $("passkey_current_password").value, trimmed("passkey_name"));
        $("passkey-form").reset();
        await loadPasskeys();
        say(`The passkey ${added.name} is added. Next time, choose Sign in with a passkey.`);
      } catch (err) {
        $("passkey_current_password").value = "";
        if (cancelled(err)) {
          showSummary("No passkey was added: the request was cancelled or timed out. Please try again.");
          return;
        }
        throw err;
      }
    },
    fail: (err) => {
      if (err.status !== 401) return false;
      if (err.code === "invalid_credentials") showFieldProblem("passkey_current_password", err.message);
      else endSession();
      return true;
    },
  });
}

wireShowPasswords("show_passwords", ["password_current_password", "new_password", "new_password_confirm"]);
initPage(notice);
loadSecurityQuestions($("security_question"));
load();
