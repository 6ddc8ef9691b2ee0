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
import { setting } from "./settings.js";
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

// The early license check (POST /contractors/check): as soon as the license number is entered
// (on leaving the field), say what registering it would meet and what to do. License numbers are
// public: it says nothing the submit-time 409s and 422s do not.
const BOARD = "the Contractors State License Board (CSLB) at 1-800-321-2752";
const licenseCheck = $("license-check");
let checkedLicense = "";

function staffPhone() {
  return setting("staffPhone") || "the permit office";
}

function checkMessage(status) {
  switch (status) {
    case "registered":
      return {
        text:
          "An account already exists for this license number. Log in, or use Forgot Password if you do not " +
          `remember your password. If you did not create this account, call staff at ${staffPhone()}.`,
        links: [
          ["Log in", "index.html"],
          ["Forgot Password", "forgot-password.html"],
        ],
      };
    case "on_file":
      return {
        text:
          "Your license is already on file with the city (a returning contractor). Please call staff at " +
          `${staffPhone()} to complete your account registration: you will be given a temporary password.`,
        links: [],
      };
    case "not_active":
      return {
        text:
          "The state board's license list shows this license as not active (expired, suspended or inactive), " +
          `so an account cannot be created for it. Please contact ${BOARD} to renew or reactivate it.`,
        links: [],
      };
    case "not_found":
      return {
        text:
          "The state board's license list does not show this license number. Check the number on your license. " +
          "A new license reaches the list about a day after it is issued: then an account may wait for staff " +
          `approval. Questions about the license: ${BOARD}; about the portal: staff at ${staffPhone()}.`,
        links: [],
      };
    default:
      return null;
  }
}

function showLicenseCheck(status) {
  const message = checkMessage(status);
  licenseCheck.replaceChildren();
  licenseCheck.hidden = !message;
  if (!message) return;
  const paragraph = document.createElement("p");
  paragraph.textContent = message.text;
  licenseCheck.append(paragraph);
  for (const [text, href] of message.links) {
    const link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    licenseCheck.append(link, " ");
  }
}

async function checkLicense() {
  const license = trimmed("license_number");
  if (license === checkedLicense) return;
  checkedLicense = license;
  if (!/^[0-9 -]{1,16}$/.test(license)) {
    showLicenseCheck(null);
    return;
  }
  try {
    const { data } = await api("POST", "/contractors/check", { body: { license_number: license } });
    if (trimmed("license_number") === license) showLicenseCheck(data.status);
  } catch {
    // Quietly: the submit-time answers still say all of it.
    showLicenseCheck(null);
  }
}

$("license_number").addEventListener("change", checkLicense);
$("license_number").addEventListener("blur", checkLicense);

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
