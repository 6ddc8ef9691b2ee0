// What a contractor typed survives the end of their session: the edited forms of the page are
// kept (never a password: no password field is read), the page is remembered, and after the
// next sign-in of the same license number in this tab the contractor returns to that page,
// where the kept values are put back and saved (resumeDrafts). Kept in sessionStorage, so
// closing the tab forgets them; an explicit Sign Out forgets them too (dropDrafts).

const DRAFT_KEY = "portal.draft";
const RETURN_KEY = "portal.return_to";
// Only a page of this site, by name, with an optional fragment: never an outside address.
const PAGE = /^[a-z][a-z-]*\.html(#[A-Za-z0-9_-]*)?$/;
const NOT_KEPT = new Set(["password", "hidden", "file", "submit", "button"]);
// Secrets that are not of type password: never kept either.
const SECRET_IDS = new Set(["security_answer"]);

function thisPage() {
  return window.location.pathname.split("/").pop() || "index.html";
}

/** Marks a form as edited when anything in it is typed or chosen (initPage wires it). */
export function trackEdits() {
  const mark = (event) => {
    const form = event.target && event.target.closest && event.target.closest("form");
    if (form && form.id) form.dataset.edited = "true";
  };
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
}

function valuesOf(form) {
  const values = {};
  for (const el of form.querySelectorAll("input, select, textarea")) {
    if (!el.id || NOT_KEPT.has(el.type) || SECRET_IDS.has(el.id) || el.dataset.username !== undefined) continue;
    values[el.id] = el.type === "checkbox" ? el.checked : el.value;
  }
  return values;
}

/** Keeps the edited forms of this page for the license number, and remembers the page. */
export function keepEditedForms(licenseNumber) {
  const forms = {};
  for (const form of document.querySelectorAll("form[data-edited='true']")) forms[form.id] = valuesOf(form);
  rememberPage();
  if (!licenseNumber || !Object.keys(forms).length) return false;
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ page: thisPage(), license_number: licenseNumber, forms }));
  return true;
}

/** Remembers this page (and its fragment) for after the next sign-in. */
export function rememberPage() {
  const page = thisPage() + (window.location.hash || "");
  if (PAGE.test(page) && !page.startsWith("index.html")) sessionStorage.setItem(RETURN_KEY, page);
}

/** The page to open after a sign-in ("" when none was remembered); forgotten once read. */
export function takeReturnPage() {
  const page = sessionStorage.getItem(RETURN_KEY) || "";
  sessionStorage.removeItem(RETURN_KEY);
  return PAGE.test(page) ? page : "";
}

/** Forgets the kept forms and the page (an explicit sign-out). */
export function dropDrafts() {
  sessionStorage.removeItem(DRAFT_KEY);
  sessionStorage.removeItem(RETURN_KEY);
}

/**
 * Puts the kept values back into this page's forms, for the signed-in license number, and
 * saves each form that needs no password (requestSubmit); a form that needs one gets its
 * password field focused. Returns the ids of the forms put back.
 */
export function resumeDrafts(licenseNumber) {
  let draft = null;
  try {
    draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
  } catch {
    draft = null;
  }
  if (!draft || draft.page !== thisPage()) return [];
  sessionStorage.removeItem(DRAFT_KEY);
  if (draft.license_number !== licenseNumber) return [];
  const resumed = [];
  for (const [formId, values] of Object.entries(draft.forms || {})) {
    const form = document.getElementById(formId);
    if (!form) continue;
    for (const [id, value] of Object.entries(values)) {
      const el = document.getElementById(id);
      if (!el || !form.contains(el)) continue;
      if (el.type === "checkbox") el.checked = value === true;
      else el.value = String(value);
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
    resumed.push(formId);
    const password = form.querySelector("input[type='password']");
    if (password) password.focus();
    else form.requestSubmit();
  }
  return resumed;
}
