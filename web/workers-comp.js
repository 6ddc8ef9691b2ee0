// The workers' compensation fields of register.html and account.html: either the checkbox
// "Exempt" (#wc_exempt) or carrier, policy number and expiration date (#wc-policy).
import { cityToday } from "./dates.js";
import { $, trimmed } from "./forms.js";

const POLICY_INPUTS = ["wc_carrier", "wc_policy_number", "wc_expires_on"];

// API field paths → input ids.
const WORKERS_COMP_FIELDS = {
  "workers_comp.exempt": "wc_exempt",
  "workers_comp.carrier": "wc_carrier",
  "workers_comp.policy_number": "wc_policy_number",
  "workers_comp.expires_on": "wc_expires_on",
};

/** Wires the fields; returns {exempt, show(), body(), fieldMap()}. */
export function workersCompFields() {
  const exempt = $("wc_exempt");
  // The exempt checkbox hides and disables the policy fields.
  const show = () => {
    $("wc-policy").hidden = exempt.checked;
    for (const id of POLICY_INPUTS) $(id).disabled = exempt.checked;
  };
  exempt.addEventListener("change", show);
  $("wc_expires_on").min = cityToday();
  show();
  return {
    exempt,
    show,
    /** The workers_comp of a request body. */
    body: () =>
      exempt.checked
        ? { exempt: true }
        : {
            carrier: trimmed("wc_carrier"),
            policy_number: trimmed("wc_policy_number"),
            expires_on: trimmed("wc_expires_on"),
          },
    /** An error about workers_comp as a whole belongs next to the part the contractor filled in. */
    fieldMap: () => ({ ...WORKERS_COMP_FIELDS, workers_comp: exempt.checked ? "wc_exempt" : "wc_carrier" }),
  };
}
