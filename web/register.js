// register.html: "Create New Contractor Account" (GET /security-questions, POST /contractors).
import { ApiError, api } from "./api.js";
import {
  $,
  appendSummaryLink,
  checkEmail,
  checkNewPassword,
  checkSecurityAnswer,
  focusElement,
  loadSecurityQuestions,
  showSummary,
  submitForm,
  trimmed,
  wireShowPasswords,
} from "./forms.js";
import { initHeader, initPage, setPageTitle } from "./header.js";
import { saveSession } from "./session.js";
import { workersCompFields } from "./workers-comp.js";

initPage();
wireShowPasswords("show_passwords", ["password", "password_confirm"]);

const form = $("register-form");
const section = $("register-section");
loadSecurityQuestions($("security_question"));
const workersComp = workersCompFields();

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
  exempt: "wc_exempt",
  carrier: "wc_carrier",
  policy_number: "wc_policy_number",
  expires_on: "wc_expires_on",
};

function buildBody() {
  return {
    license_number: trimmed("license_number"),
    password: $("password").value,
    security_question: $("security_question").value,
    security_answer: $("security_answer").value,
    business_name: trimmed("business_name"),
    contact_name: trimmed("contact_name"),
    email: trimmed("email"),
    phone: trimmed("phone"),
    mailing_address: {
      street: trimmed("street"),
      city: trimmed("city"),
      state: trimmed("state"),
      postal_code: trimmed("postal_code"),
    },
    workers_comp: workersComp.body(),
  };
}

async function createAccount() {
  const { data } = await api("POST", "/contractors", { body: buildBody() });
  if (!data.session || !data.session.token) {
    throw new ApiError(0, "unexpected", "The portal gave an unexpected answer. Please try again.");
  }
  const license = data.license_number || trimmed("license_number");
  saveSession(data.session, license);
  form.reset();
  section.hidden = true;
  $("confirmation-license").textContent = license;
  $("confirmation").hidden = false;
  initHeader();
  setPageTitle("Your account has been created");
  focusElement($("confirmation-heading"));
}

submitForm(form, {
  root: section,
  button: $("create-account"),
  busyText: "CREATING ACCOUNT…",
  check: () => [...checkNewPassword("password", "password_confirm"), ...checkEmail("email"), ...checkSecurityAnswer()],
  send: createAccount,
  fieldMap: () => ({ ...FIELD_MAP, ...workersComp.fieldMap() }),
  fail: (err) => {
    if (err.status !== 409) return false;
    showSummary(err.message);
    if (err.code === "license_already_registered") {
      appendSummaryLink("Log in with this license number", "index.html");
      appendSummaryLink("Forgot Password", "forgot-password.html");
    }
    return true;
  },
});

$("continue").addEventListener("click", () => {
  window.location.assign("dashboard.html");
});
