// The help under a refused sign-in, the same for every refusal (the API answers a wrong
// password, a locked license and a disabled account alike, and so does this): what the lockout
// is, with the wait the policy sets, a Forgot Password link and the staff phone.
import { setting } from "./settings.js";

// The lockout policy (domain/policy.py: LOCKOUT_THRESHOLD, LOCKOUT_CAP; tests/test_policy_values.py).
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_CAP_MINUTES = 15;

/** The one sentence on the lockout. */
export function lockoutSentence() {
  return (
    `After ${LOCKOUT_THRESHOLD} wrong passwords in a row, each new try has to wait longer ` +
    `(1 second, then 2, 4, 8… up to ${LOCKOUT_CAP_MINUTES} minutes), and a try made during the wait ` +
    "is refused even with the right password: wait a few minutes and try again."
  );
}

/** Shows the help in `el` (a container element), built with textContent only. */
export function showSignInHelp(el) {
  const lockout = document.createElement("p");
  lockout.textContent = lockoutSentence();
  const forgot = document.createElement("p");
  const link = document.createElement("a");
  link.id = "help-forgot-password";
  link.href = "forgot-password.html";
  link.textContent = "Forgot Password";
  forgot.append("Not sure of your password? Use ", link, " to get a reset link at your confirmed email.");
  const staff = document.createElement("p");
  const phone = document.createElement("span");
  phone.className = "staff-phone";
  phone.textContent = setting("staffPhone") || "the permit office";
  staff.append("Still stuck, or no email on file? Call permit staff at ", phone, ".");
  el.replaceChildren(lockout, forgot, staff);
  el.hidden = false;
}
