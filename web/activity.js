// The Activity section of My Account: GET /me/activity, dates in the city's time.

import { api } from "./api.js";
import { $ } from "./forms.js";

// The contract's events, in plain words (an unknown one is shown as sent).
const WORDS = {
  registered: "Account set up",
  signed_in: "Signed in",
  signed_in_with_passkey: "Signed in with a passkey",
  password_changed: "Password changed",
  password_reset: "Password changed with Forgot Password",
  first_password_set: "Password set at first sign-in",
  email_change_requested: "Email change asked for",
  email_verified: "Email address confirmed",
  security_question_changed: "Security question changed",
  passkey_added: "Passkey added",
  passkey_removed: "Passkey removed",
  signed_out_everywhere: "Signed out everywhere",
  profile_updated: "Contact details changed",
  temporary_password_issued: "Temporary password issued",
  unlocked: "Sign-in unlocked",
  disabled: "Account disabled",
  enabled: "Account enabled",
  contact_updated: "Contact details changed",
  approved: "Account approved",
  passkeys_removed: "Passkeys removed",
};

/** "June 3, 2026 at 9:15 AM PDT": an instant in the city's time (America/Los_Angeles, or a
 * `cityTimeZone` a deployment adds to config.js). */
export function cityTime(iso, timeZone = "America/Los_Angeles") {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso || "";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(when);
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
}

export function renderActivity(activity) {
  const rows = $("activity-rows");
  rows.replaceChildren();
  for (const event of activity.events) {
    const row = document.createElement("tr");
    cell(row, cityTime(event.at, (window.PORTAL_CONFIG || {}).cityTimeZone));
    cell(row, WORDS[event.event] || event.event);
    cell(row, event.by === "staff" ? "Permit staff" : "You");
    cell(row, event.browser || "—");
    cell(row, event.ip || "—");
    rows.append(row);
  }
  const failures = activity.failed_sign_ins_since_last_success;
  const summary = $("activity-failures");
  summary.hidden = false;
  summary.textContent =
    failures === 0
      ? "No failed sign-ins since your last successful one."
      : `${failures} failed sign-in${failures === 1 ? "" : "s"} since your last successful one.`;
  $("activity-loading").hidden = true;
  const table = $("activity-table");
  table.hidden = activity.events.length === 0;
  if (activity.events.length === 0) {
    $("activity-loading").hidden = false;
    $("activity-loading").textContent = "Nothing in the last 90 days.";
  }
}

export async function loadActivity(token) {
  try {
    const { data } = await api("GET", "/me/activity", { token });
    renderActivity(data);
  } catch (err) {
    console.warn("activity", err);
    $("activity-loading").textContent = "Your activity could not be loaded. Reload the page to try again.";
  }
}
