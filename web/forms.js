// Forms: the one submit skeleton (submitForm), busy buttons, field errors next to their inputs,
// the error summary, and the client-side checks. Text from the API is always inserted with
// textContent, never as HTML.
import { api } from "./api.js";

export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;
export const ANSWER_MIN = 3;

const FORM_PROBLEM = "There is a problem with the form";

// API field paths → input ids of the forms that set a new password and a security question.
export const NEW_PASSWORD_FIELDS = {
  new_password: "new_password",
  password: "new_password",
  security_question: "security_question",
  security_answer: "security_answer",
};

/** The element with the given id. */
export const $ = (id) => document.getElementById(id);

/** The trimmed value of the input with the given id. */
export function trimmed(id) {
  return $(id).value.trim();
}

export function setBusy(button, busy, busyText) {
  if (!button) return;
  if (busy) {
    button.dataset.label = button.dataset.label || button.textContent;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    if (busyText) button.textContent = busyText;
  } else {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
}

/** Moves focus to a heading or section that appears after an action (for screen readers). */
export function focusElement(el) {
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.focus();
}

// -- errors ----------------------------------------------------------------------------------------

/** Removes every field error and the summary inside a form (or page section). */
export function clearErrors(root) {
  root.querySelectorAll(".field-error").forEach((el) => el.remove());
  root.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    const base = input.dataset.describedby;
    if (base !== undefined) {
      if (base) input.setAttribute("aria-describedby", base);
      else input.removeAttribute("aria-describedby");
    }
  });
  root.querySelectorAll(".field.has-error").forEach((el) => el.classList.remove("has-error"));
  const summary = $("error-summary");
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** Shows one message next to the input with the given id; returns false if there is none. */
export function setFieldError(inputId, message) {
  const input = $(inputId);
  if (!input) return false;
  const errorId = `${inputId}-error`;
  let error = $(errorId);
  if (!error) {
    error = document.createElement("p");
    error.id = errorId;
    error.className = "field-error";
    // Placed right after the label (and its hint), before the input, so it is read first.
    const field = input.closest(".field") || input.parentElement;
    const anchor = field.querySelector(".hint") || field.querySelector("label, legend");
    if (anchor && anchor.parentElement === field) anchor.after(error);
    else input.before(error);
    if (field.classList.contains("field")) field.classList.add("has-error");
  }
  const text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = "Error: ";
  error.replaceChildren(text, document.createTextNode(message));

  if (input.dataset.describedby === undefined) {
    input.dataset.describedby = input.getAttribute("aria-describedby") || "";
  }
  const ids = new Set((input.dataset.describedby || "").split(/\s+/).filter(Boolean));
  ids.add(errorId);
  input.setAttribute("aria-describedby", [...ids].join(" "));
  input.setAttribute("aria-invalid", "true");
  return true;
}

/** Shows the message next to the input and, linked to it, in the summary. */
export function showFieldProblem(inputId, message) {
  setFieldError(inputId, message);
  showSummary(FORM_PROBLEM, [{ inputId, message }]);
}

function summaryItem(item) {
  const li = document.createElement("li");
  if (!item.inputId || !$(item.inputId)) {
    li.textContent = item.message;
    return li;
  }
  const a = document.createElement("a");
  a.href = `#${item.inputId}`;
  a.textContent = item.message;
  a.addEventListener("click", (ev) => {
    ev.preventDefault();
    const target = $(item.inputId);
    target.focus();
    target.scrollIntoView({ block: "center" });
  });
  li.append(a);
  return li;
}

/**
 * Shows the error summary at the top of the page (role="alert"), with one link per field
 * error, and moves focus to it so screen reader users hear it.
 * items: [{inputId?, message}]
 */
export function showSummary(title, items = []) {
  const summary = $("error-summary");
  if (!summary) return;
  summary.replaceChildren();
  const heading = document.createElement("h2");
  heading.className = "error-summary-title";
  heading.textContent = title;
  summary.append(heading);
  // List the problems in the order their fields appear on the page.
  items = [...items].sort((a, b) => {
    const ea = a.inputId && $(a.inputId);
    const eb = b.inputId && $(b.inputId);
    if (!ea || !eb) return ea ? 1 : eb ? -1 : 0;
    return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  if (items.length) {
    const list = document.createElement("ul");
    list.append(...items.map(summaryItem));
    summary.append(list);
  }
  summary.hidden = false;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
}

/** Adds a paragraph with a link under the summary (e.g. "Go to Forgot Password"). */
export function appendSummaryLink(text, href) {
  const summary = $("error-summary");
  if (!summary) return;
  const p = document.createElement("p");
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  p.append(a);
  summary.append(p);
}

/**
 * Shows the `fields` of a 422 next to their inputs. fieldMap maps API field paths
 * ("mailing_address.street") to input ids ("street"); paths not in the map are tried by
 * their last segment, then listed in the summary only. Returns the summary items.
 */
export function showFieldErrors(fields, fieldMap = {}) {
  const items = [];
  for (const [path, rawMessage] of Object.entries(fields || {})) {
    const message = typeof rawMessage === "string" ? rawMessage : String(rawMessage);
    const last = path.split(".").pop();
    const inputId = fieldMap[path] || fieldMap[last] || ($(path) ? path : null);
    if (inputId && setFieldError(inputId, message)) items.push({ inputId, message });
    else items.push({ message });
  }
  return items;
}

/** Shows an ApiError: field errors next to inputs, and the message in the summary. */
export function showApiError(err, fieldMap = {}) {
  const items = err.fields ? showFieldErrors(err.fields, fieldMap) : [];
  if (items.length) showSummary(FORM_PROBLEM, items);
  else showSummary(err.message);
}

// -- client-side checks: each shows its messages next to the inputs and returns summary items ----

/** The number of characters the server counts (code points after NFKC normalization). */
export function passwordLength(value) {
  return [...value.normalize("NFKC")].length;
}

function problems(items) {
  for (const item of items) setFieldError(item.inputId, item.message);
  return items;
}

/**
 * A new password and its confirmation. (The server is the judge of strength; this only
 * catches length and typos early.)
 */
export function checkNewPassword(passwordId, confirmId) {
  const items = [];
  const pw = $(passwordId).value;
  const confirm = $(confirmId).value;
  if (!pw) {
    items.push({ inputId: passwordId, message: "Enter a password." });
  } else if (passwordLength(pw) < PASSWORD_MIN) {
    items.push({
      inputId: passwordId,
      message: `Your password must be at least ${PASSWORD_MIN} characters. A passphrase of a few words is easiest to remember.`,
    });
  } else if (passwordLength(pw) > PASSWORD_MAX) {
    items.push({ inputId: passwordId, message: `Your password must be ${PASSWORD_MAX} characters or fewer.` });
  }
  if (!confirm) {
    items.push({ inputId: confirmId, message: "Enter the password again to confirm it." });
  } else if (pw && confirm !== pw) {
    items.push({ inputId: confirmId, message: "The passwords do not match. Enter the same password twice." });
  }
  return problems(items);
}

/** A new security answer: too short when given (an empty one is checkRequired's). */
export function checkSecurityAnswer(inputId = "security_answer") {
  const answer = trimmed(inputId);
  if (!answer || answer.length >= ANSWER_MIN) return [];
  return problems([{ inputId, message: `Your security answer must be at least ${ANSWER_MIN} characters.` }]);
}

/** An email address the browser can tell is malformed. */
export function checkEmail(inputId) {
  const input = $(inputId);
  if (!input.value.trim() || !input.validity.typeMismatch) return [];
  return problems([{ inputId, message: "Enter an email address like name@example.com." }]);
}

/**
 * Every visible, enabled input marked required in root has a value; shows "Enter ..."
 * messages (from data-required-message).
 */
export function checkRequired(root) {
  const items = [];
  root.querySelectorAll("input[required], select[required], textarea[required]").forEach((input) => {
    if (input.disabled || input.closest("[hidden]")) return;
    const empty = input.type === "checkbox" ? !input.checked : !input.value.trim();
    if (!empty) return;
    if ($(`${input.id}-error`)) return;
    items.push({ inputId: input.id, message: input.dataset.requiredMessage || "This field is required." });
  });
  return problems(items);
}

// -- the one submit skeleton -----------------------------------------------------------------------

/**
 * Runs `work` with the button busy; an error goes to `fail(err)` (true when it handled it),
 * else to showApiError with `fieldMap` (an object, or a function returning one).
 */
export async function whileBusy(button, busyText, work, { fail, fieldMap } = {}) {
  setBusy(button, true, busyText);
  try {
    await work();
  } catch (err) {
    if (!(fail && fail(err))) showApiError(err, typeof fieldMap === "function" ? fieldMap() : fieldMap || {});
  } finally {
    setBusy(button, false);
  }
}

/**
 * On submit: clears the errors in `root`, runs the page's own `check()` and then checkRequired,
 * shows what they found in the summary (`title`), or else sends (`send`) with `button` busy.
 * options: {button, busyText, send, check?, root?, title?, fail?, fieldMap?}
 */
export function submitForm(form, options) {
  const { button, busyText, send, check = () => [], root = form, title = FORM_PROBLEM } = options;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(root);
    const found = [...check(), ...checkRequired(form)];
    if (found.length) {
      showSummary(title, found);
      return;
    }
    await whileBusy(button, busyText, send, options);
  });
}

// -- widgets ---------------------------------------------------------------------------------------

/** Fills a <select> with the questions of GET /security-questions. */
export async function loadSecurityQuestions(select) {
  select.disabled = true;
  try {
    const { data } = await api("GET", "/security-questions");
    const questions = Array.isArray(data.questions) ? data.questions : [];
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = "Choose a question";
    const options = questions.map((q) => {
      const option = document.createElement("option");
      option.value = q;
      option.textContent = q;
      return option;
    });
    select.replaceChildren(placeholder, ...options);
    select.disabled = false;
    return true;
  } catch (err) {
    const option = document.createElement("option");
    option.value = "";
    option.textContent = "Questions could not be loaded";
    select.replaceChildren(option);
    setFieldError(select.id, `${err.message} Reload the page to try again.`);
    return false;
  }
}

/** Wires a "Show passwords" checkbox to the password inputs with the given ids. */
export function wireShowPasswords(checkboxId, inputIds) {
  const box = $(checkboxId);
  if (!box) return;
  box.addEventListener("change", () => {
    for (const id of inputIds) {
      const input = $(id);
      if (input) input.type = box.checked ? "text" : "password";
    }
  });
}
