// "Did you mean jo@gmail.com?" under every email field: common domain typos, from the domain
// lists and the algorithm of Mailcheck 1.1.1 (npm `mailcheck`, https://github.com/mailcheck/mailcheck),
// vendored here as a small ES module: no network, no dependency at run time. The suggestion is
// only a suggestion: the contractor accepts it with one button, or keeps what they typed.
//
// Mailcheck: The MIT License (MIT). Copyright © 2012 Received Inc, http://kicksend.com
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software
// and associated documentation files (the "Software"), to deal in the Software without
// restriction, including without limitation the rights to use, copy, modify, merge, publish,
// distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
// Software is furnished to do so, subject to the following conditions: The above copyright
// notice and this permission notice shall be included in all copies or substantial portions of
// the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
// PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
// LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
// OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
// DEALINGS IN THE SOFTWARE.

// Mailcheck's defaultDomains, plus the big US providers it lacks (yahoo.com, hotmail.com,
// outlook.com, live.com are matched through its second-level list below).
const DOMAINS = [
  "msn.com", "bellsouth.net", "telus.net", "comcast.net", "optusnet.com.au", "earthlink.net",
  "qq.com", "sky.com", "icloud.com", "mac.com", "sympatico.ca", "googlemail.com", "att.net",
  "xtra.co.nz", "web.de", "cox.net", "gmail.com", "ymail.com", "aim.com", "rogers.com",
  "verizon.net", "rocketmail.com", "google.com", "optonline.net", "sbcglobal.net", "aol.com",
  "me.com", "btinternet.com", "charter.net", "shaw.ca",
  "yahoo.com", "hotmail.com", "outlook.com", "live.com", "proton.me", "protonmail.com",
];
const SECOND_LEVEL = ["yahoo", "hotmail", "mail", "live", "outlook", "gmx"];
const TOP_LEVEL = [
  "com", "com.au", "com.tw", "ca", "co.nz", "co.uk", "de", "fr", "it", "ru", "net", "org", "edu",
  "gov", "jp", "nl", "kr", "se", "eu", "ie", "co.il", "us", "at", "be", "dk", "hk", "es", "gr",
  "ch", "no", "cz", "in", "net.au", "info", "biz", "mil", "co.jp", "sg", "hu",
];
const THRESHOLD = 2;

/** Mailcheck's sift3 distance between two strings. */
function sift3(s1, s2) {
  if (!s1) return s2 ? s2.length : 0;
  if (!s2) return s1.length;
  let c = 0;
  let offset1 = 0;
  let offset2 = 0;
  let lcs = 0;
  const maxOffset = 5;
  while (c + offset1 < s1.length && c + offset2 < s2.length) {
    if (s1.charAt(c + offset1) === s2.charAt(c + offset2)) {
      lcs++;
    } else {
      offset1 = 0;
      offset2 = 0;
      for (let i = 0; i < maxOffset; i++) {
        if (c + i < s1.length && s1.charAt(c + i) === s2.charAt(c)) {
          offset1 = i;
          break;
        }
        if (c + i < s2.length && s1.charAt(c) === s2.charAt(c + i)) {
          offset2 = i;
          break;
        }
      }
    }
    c++;
  }
  return (s1.length + s2.length) / 2 - lcs;
}

function closest(value, candidates) {
  if (!value) return null;
  let best = null;
  let bestDistance = 99;
  for (const candidate of candidates) {
    if (value === candidate) return value;
    const distance = sift3(value, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= THRESHOLD ? best : null;
}

/** The address with its domain corrected ("jo@gmial.com" → "jo@gmail.com"), or "" when it looks right. */
export function suggestEmail(email) {
  const parts = String(email || "").trim().toLowerCase().split("@");
  if (parts.length < 2 || parts.some((part) => part === "")) return "";
  const domain = parts.pop();
  const address = parts.join("@");
  const labels = domain.split(".");
  const sld = labels.length > 1 ? labels[0] : "";
  const tld = labels.length > 1 ? labels.slice(1).join(".") : labels[0];
  if (SECOND_LEVEL.includes(sld) && TOP_LEVEL.includes(tld)) return "";
  const near = closest(domain, DOMAINS);
  if (near) return near === domain ? "" : `${address}@${near}`;
  let fixed = domain;
  const nearSld = closest(sld, SECOND_LEVEL);
  const nearTld = closest(tld, TOP_LEVEL);
  if (nearSld && nearSld !== sld) fixed = fixed.replace(sld, nearSld);
  if (nearTld && nearTld !== tld) fixed = fixed.replace(tld, nearTld);
  return fixed !== domain ? `${address}@${fixed}` : "";
}

/**
 * Wires every email field of the page: on leaving it, a suggestion appears under it
 * (#<id>-suggestion, role="status") with a button that puts the corrected address in the field.
 */
export function wireEmailTypos(root = document) {
  root.querySelectorAll('input[type="email"]').forEach((input) => {
    const box = document.createElement("p");
    box.id = `${input.id}-suggestion`;
    box.className = "email-suggestion";
    box.setAttribute("role", "status");
    box.hidden = true;
    input.insertAdjacentElement("afterend", box);
    let shown = "";
    const check = () => {
      const suggestion = suggestEmail(input.value);
      if (suggestion && suggestion === shown && !box.hidden) return; // a click on its button follows
      shown = suggestion;
      box.replaceChildren();
      box.hidden = !suggestion;
      if (!suggestion) return;
      const accept = document.createElement("button");
      accept.type = "button";
      accept.className = "button-link";
      accept.textContent = `Yes, use ${suggestion}`;
      accept.addEventListener("click", () => {
        input.value = suggestion;
        box.hidden = true;
        box.replaceChildren();
        input.focus();
      });
      box.append(`Did you mean ${suggestion}? `, accept);
    };
    input.addEventListener("blur", check);
    input.addEventListener("input", () => {
      if (!box.hidden && !suggestEmail(input.value)) box.hidden = true;
    });
  });
}
