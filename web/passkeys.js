// Passkeys (contract v3): the browser's own WebAuthn JSON API, no library. The API hands out
// PublicKeyCredential*OptionsJSON; PublicKeyCredential.parse*OptionsFromJSON turns them into what
// navigator.credentials wants, and credential.toJSON() is what the API verifies. Where WebAuthn
// (or its JSON API) is missing, or the page is not on the site's passkey domain (config.js
// passkeyRpId: empty while the site's final domain is not configured), nothing about passkeys shows.
import { api } from "./api.js";
import { setting } from "./settings.js";

/** Passkeys can be used on this page: the browser has the JSON API and the page is on the RP ID. */
export function passkeysOffered() {
  const rpId = setting("passkeyRpId");
  const credential = window.PublicKeyCredential;
  if (!rpId || !credential || !window.isSecureContext) return false;
  if (typeof credential.parseRequestOptionsFromJSON !== "function") return false;
  if (typeof credential.parseCreationOptionsFromJSON !== "function") return false;
  const host = window.location.hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
}

/** The browser has a platform authenticator (face, fingerprint, screen lock) that verifies the user. */
export async function hasPlatformAuthenticator() {
  const credential = window.PublicKeyCredential;
  if (!passkeysOffered() || typeof credential.isUserVerifyingPlatformAuthenticatorAvailable !== "function") {
    return false;
  }
  try {
    return await credential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** The browser's own words when the contractor closes the prompt or it times out. */
export function cancelled(err) {
  return err && (err.name === "NotAllowedError" || err.name === "AbortError");
}

/** POST /sessions/passkey/options, the passkey's answer, POST /sessions/passkey: the sign-in body. */
export async function signInWithPasskey() {
  const { data: offered } = await api("POST", "/sessions/passkey/options", { body: {} });
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(offered.options);
  const credential = await navigator.credentials.get({ publicKey });
  const { data } = await api("POST", "/sessions/passkey", { body: { credential: credential.toJSON() } });
  return data;
}

/** POST /me/passkeys/options (the current password), the new passkey, POST /me/passkeys. */
export async function addPasskey(token, currentPassword, name) {
  const { data: offered } = await api("POST", "/me/passkeys/options", {
    body: { current_password: currentPassword },
    token,
  });
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(offered.options);
  const credential = await navigator.credentials.create({ publicKey });
  const body = { credential: credential.toJSON() };
  if (name) body.name = name;
  const { data } = await api("POST", "/me/passkeys", { body, token });
  return data.passkey;
}

export async function listPasskeys(token) {
  const { data } = await api("GET", "/me/passkeys", { token });
  return Array.isArray(data.passkeys) ? data.passkeys : [];
}

export async function removePasskey(token, id) {
  await api("DELETE", `/me/passkeys/${encodeURIComponent(id)}`, { token });
}
