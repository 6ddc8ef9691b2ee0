// register.html: "Create New Contractor Account" (GET /security-questions, POST /contractors).
import {
  ApiError,
  api,
  appendSummaryLink,
  checkNewPassword,
  checkRequired,
  cityToday,
  clearErrors,
  focusElement,
  initHeader,
  loadSecurityQuestions,
  saveSession,
  setBusy,
  setFieldError,
  showApiError,
  showSummary,
  portalName,
  staffPhoneInit,
  wireShowPasswords,
} from "./app.js";

staffPhoneInit();
initHeader();
wireShowPasswords("show_passwords", ["password", "password_confirm"]);

const $ = (id) => document.getElementById(id);
const form = $("register-form");
const section = $("register-section");
const button = $("create-account");
const exempt = $("wc_exempt");
const policy = $("wc-policy");

loadSecurityQuestions($("security_question"));
$("wc_expires_on").min = cityToday();

function showPolicyFields() {
  policy.hidden = exempt.checked;
  for (const id of ["wc_carrier", "wc_policy_number", "wc_expires_on"]) $(id).disabled = exempt.checked;
}
exempt.addEventListener("change", showPolicyFields);
showPolicyFields();

// API field paths → input ids (full paths, and last segments as a fallback).
const FIELD_MAP = {
  license_number: "license_number",
  password: "password",
  security_question: "security_question",
  security_answer: "security_answer",
  business_name: "business_name",
  contact_name: "contact_name",
  email: "email",
  phone: "phone",
  mailing_address: "street",
  "mailing_address.street": "street",
  "mailing_address.city": "city",
  "mailing_address.state": "state",
  "mailing_address.postal_code": "postal_code",
  street: "street",
  city: "city",
  state: "state",
  postal_code: "postal_code",
  "workers_comp.exempt": "wc_exempt",
  "workers_comp.carrier": "wc_carrier",
  "workers_comp.policy_number": "wc_policy_number",
  "workers_comp.expires_on": "wc_expires_on",
  exempt: "wc_exempt",
  carrier: "wc_carrier",
  policy_number: "wc_policy_number",
  expires_on: "wc_expires_on",
};

function fieldMap() {
  // An error about workers_comp as a whole belongs next to the part the contractor filled in.
  return { ...FIELD_MAP, workers_comp: exempt.checked ? "wc_exempt" : "wc_carrier" };
}

function text(id) {
  return $(id).value.trim();
}

function buildBody() {
  return {
    license_number: text("license_number"),
    password: $("password").value,
    security_question: $("security_question").value,
    security_answer: $("security_answer").value,
    business_name: text("business_name"),
    contact_name: text("contact_name"),
    email: text("email"),
    phone: text("phone"),
    mailing_address: {
      street: text("street"),
      city: text("city"),
      state: text("state"),
      postal_code: text("postal_code"),
    },
    workers_comp: exempt.checked
      ? { exempt: true }
      : {
          carrier: text("wc_carrier"),
          policy_number: text("wc_policy_number"),
          expires_on: $("wc_expires_on").value,
        },
  };
}

function clientChecks() {
  const items = checkNewPassword("password", "password_confirm");
  const email = $("email");
  if (email.value.trim() && email.validity.typeMismatch) {
    const message = "Enter an email address like name@example.com.";
    setFieldError("email", message);
    items.push({ inputId: "email", message });
  }
  const answer = $("security_answer").value.trim();
  if (answer && answer.length < 3) {
    const message = "Your security answer must be at least 3 characters.";
    setFieldError("security_answer", message);
    items.push({ inputId: "security_answer", message });
  }
  return items.concat(checkRequired(form));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(section);
  const problems = clientChecks();
  if (problems.length) {
    showSummary("There is a problem with the form", problems);
    return;
  }

  setBusy(button, true, "CREATING ACCOUNT…");
  try {
    const { data } = await api("POST", "/contractors", { body: buildBody() });
    if (!data.session || !data.session.token) {
      throw new ApiError(0, "unexpected", "The portal gave an unexpected answer. Please try again.");
    }
    const license = data.license_number || text("license_number");
    saveSession(data.session, license);
    form.reset();
    section.hidden = true;
    $("confirmation-license").textContent = license;
    $("confirmation").hidden = false;
    initHeader();
    document.title = `Your account has been created – ${portalName()}`;
    focusElement($("confirmation-heading"));
  } catch (err) {
    if (err.status === 409) {
      showSummary(err.message);
      if (err.code === "license_already_registered") {
        appendSummaryLink("Log in with this license number", "index.html");
        appendSummaryLink("Forgot Password", "forgot-password.html");
      }
    } else {
      showApiError(err, fieldMap());
    }
  } finally {
    setBusy(button, false);
  }
});

$("continue").addEventListener("click", () => {
  window.location.assign("dashboard.html");
});
