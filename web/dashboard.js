// dashboard.html: "Dashboard" (GET /me with the bearer token; Sign Out: DELETE /sessions/current).
import { api } from "./api.js";
import { formatDate } from "./dates.js";
import { $, appendSummaryLink, showSummary, whileBusy } from "./forms.js";
import { fetchMe, initPage, setHeaderUser, showNotice } from "./header.js";
import { hasPlatformAuthenticator, listPasskeys } from "./passkeys.js";
import { getSession } from "./session.js";

// Offered once after a password sign-in (index.js sets the flag), on a device that has a platform
// authenticator, to an account without a passkey; dismissed for good on this browser.
const OFFER_PASSKEY = "etrakit.offerPasskey";
const OFFER_DISMISSED = "etrakit.passkeyOfferDismissed";

async function offerPasskey(session) {
  if (sessionStorage.getItem(OFFER_PASSKEY) !== "1") return;
  sessionStorage.removeItem(OFFER_PASSKEY);
  if (localStorage.getItem(OFFER_DISMISSED) === "1" || !(await hasPlatformAuthenticator())) return;
  try {
    if ((await listPasskeys(session.token)).length > 0) return;
  } catch {
    return;
  }
  const offer = $("passkey-offer");
  offer.hidden = false;
  $("passkey-offer-dismiss").addEventListener("click", () => {
    localStorage.setItem(OFFER_DISMISSED, "1");
    offer.hidden = true;
  });
}

const WC_STATUS = {
  valid: ["Valid", ""],
  expiring_soon: ["Expiring soon", "Your policy expires within 30 days. Please renew it."],
  expired: ["Expired", "Your policy has expired. Please enter your renewed policy."],
  exempt: ["Exempt", "You are exempt from workers’ compensation."],
};

const BOARD = "the Contractors State License Board (CSLB) at 1-800-321-2752";
const LICENSE_STATUS = {
  active: ["Active", ""],
  expired: ["Expired", `Renew your license with ${BOARD}.`],
  not_active: ["Not active", `Contact ${BOARD}.`],
  not_listed: ["Not listed", `The state board's list no longer shows this license. Contact ${BOARD}.`],
};

const ACCOUNT_STATUS = {
  active: ["Active", ""],
  disabled: ["Disabled", ""],
  pending_review: [
    "Waiting for approval",
    "Permit staff review every new account before it is active. You can keep your details up to date meanwhile.",
  ],
};

function words(value) {
  const s = String(value || "").replace(/_/g, " ").trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : "Unknown";
}

function statusClass(value, known) {
  return known.includes(value) ? `status status-${value}` : "status status-other";
}

function formatAddress(a) {
  if (!a || typeof a !== "object") return "";
  const line2 = [a.city, [a.state, a.postal_code].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [a.street, line2].filter(Boolean).join("\n");
}

function setText(id, value) {
  $(id).textContent = value === undefined || value === null || value === "" ? "Not on file" : String(value);
}

function render(me) {
  setText("dash-license-number", me.license_number);
  setText("dash-business-name", me.business_name);
  setText("dash-contact-name", me.contact_name);
  setText("dash-email", me.email);
  // Mail to this address bounced or was reported as spam: nothing more is sent to it.
  $("dash-email-undeliverable").hidden = me.email_undeliverable !== true;
  $("dash-email-undeliverable-address").textContent = me.email || "";
  setText("dash-phone", me.phone);
  const address = $("dash-mailing-address");
  address.replaceChildren();
  const lines = formatAddress(me.mailing_address).split("\n").filter(Boolean);
  if (!lines.length) address.textContent = "Not on file";
  lines.forEach((line, i) => {
    if (i) address.append(document.createElement("br"));
    address.append(document.createTextNode(line));
  });

  const account = $("dash-account-status");
  const [accountLabel, accountNote] = ACCOUNT_STATUS[me.account_status] || [words(me.account_status), ""];
  account.textContent = accountLabel;
  account.className = statusClass(me.account_status, ["active", "disabled", "locked", "pending_review"]);
  $("dash-account-status-note").textContent = accountNote;

  const emailStatus = $("dash-email-status");
  emailStatus.hidden = !me.email;
  emailStatus.textContent = me.email_verified ? "Confirmed" : "Not confirmed";
  emailStatus.className = `status ${me.email_verified ? "status-valid" : "status-expiring_soon"}`;
  const waiting = me.pending_email || (me.email && !me.email_verified ? me.email : "");
  $("dash-email-note").textContent =
    me.email && !me.email_verified
      ? "Open the link we emailed to confirm this address. Until then, password reset emails cannot be sent to it."
      : "";
  $("dash-pending-email").textContent = me.pending_email
    ? `New address waiting for confirmation: ${me.pending_email}. Open the link we sent there.`
    : "";
  $("resend-link").hidden = !waiting;
  $("dash-email-wrong").hidden = !waiting;

  const wc = me.workers_comp && typeof me.workers_comp === "object" ? me.workers_comp : {};
  const [label, note] = WC_STATUS[wc.status] || [words(wc.status), ""];
  const wcStatus = $("dash-wc-status");
  wcStatus.textContent = label;
  wcStatus.className = statusClass(wc.status, Object.keys(WC_STATUS));
  $("dash-wc-status-note").textContent = note;
  $("renew-link").hidden = !["expiring_soon", "expired"].includes(wc.status);
  const exempt = wc.status === "exempt" || wc.exempt === true;
  for (const [key, id] of [
    ["carrier", "dash-wc-carrier"],
    ["policy_number", "dash-wc-policy-number"],
    ["expires_on", "dash-wc-expires-on"],
  ]) {
    $(id).hidden = exempt;
    $(`${id}-term`).hidden = exempt;
    setText(id, key === "expires_on" && wc[key] ? formatDate(wc[key]) : wc[key]);
  }

  $("add-wc-link").hidden = Boolean(me.workers_comp);
  renderStateLicense(me.state_license);

  if (me.license_number) setHeaderUser(me.license_number);
  $("dashboard-loading").hidden = true;
  $("dashboard-content").hidden = false;
}

// The state board's record of the license (GET /me "state_license"), or null when its list lacks it.
function renderStateLicense(record) {
  const shown = Boolean(record && typeof record === "object");
  $("dash-state-license").hidden = !shown;
  $("state-license-heading").hidden = !shown;
  if (!shown) return;
  const [label, note] = LICENSE_STATUS[record.status] || [words(record.status), ""];
  const status = $("dash-sl-status");
  status.textContent = label;
  status.className = statusClass(record.status === "active" ? "valid" : "expired", ["valid", "expired"]);
  $("dash-sl-status-note").textContent = note;
  setText("dash-sl-expires-on", record.expires_on ? formatDate(record.expires_on) : "");
  setText("dash-sl-classifications", (record.classifications || []).join(", "));
  setText("dash-sl-business-name", record.business_name);
  setText("dash-sl-as-of", record.as_of ? formatDate(record.as_of) : "");
}

async function load() {
  try {
    const me = await fetchMe("Dashboard");
    if (me) {
      render(me);
      const session = getSession();
      if (session) offerPasskey(session);
    }
  } catch (err) {
    $("dashboard-loading").hidden = true;
    showSummary(err.message);
    appendSummaryLink("Try again", "dashboard.html");
  }
}

$("resend-link").addEventListener("click", () => {
  const session = getSession();
  if (!session) return load();
  $("error-summary").hidden = true;
  return whileBusy(
    $("resend-link"),
    "Sending…",
    async () => {
      const { data } = await api("POST", "/me/email/verification", { token: session.token });
      showNotice($("notice"), data.message || "We have sent a new link.", "success");
    },
    {
      fail: (err) => {
        if (err.status === 401) load();
        else showSummary(err.message);
        return true;
      },
    },
  );
});

initPage($("notice"));
load();
