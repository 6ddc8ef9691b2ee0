// The API client: one fetch per call, JSON in and out, every failure an ApiError.
// Nothing here writes a token, password or security answer to the console.
import { apiBaseUrl } from "./settings.js";

const REQUEST_TIMEOUT_MS = 20000;

/** An error answer of the API, or a failure to reach it (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields && typeof fields === "object" ? fields : {};
  }
}

const GENERIC_MESSAGES = {
  0: "We could not reach the permit portal. Check your internet connection and try again.",
  400: "The portal could not read that request. Please try again.",
  413: "That form is too large to send. Please shorten your entries and try again.",
  429: "Too many attempts. Please wait a few minutes and try again.",
  500: "The permit portal is having a problem. Please try again later.",
};

function genericMessage(status) {
  if (status >= 500) return GENERIC_MESSAGES[500];
  return GENERIC_MESSAGES[status] || "Something went wrong. Please try again.";
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text().catch(() => "");
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Calls the API. Resolves with {status, data} for a 2xx answer, throws ApiError otherwise.
 * options: {body: object to send as JSON, token: bearer token}
 */
export async function api(method, path, options = {}) {
  const headers = { Accept: "application/json" };
  const init = {
    method,
    headers,
    cache: "no-store",
    credentials: "omit",
    referrerPolicy: "no-referrer",
    redirect: "error",
  };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;

  let response;
  try {
    response = await fetch(apiBaseUrl() + path, init);
  } catch {
    throw new ApiError(0, "network_error", genericMessage(0));
  } finally {
    clearTimeout(timer);
  }

  const data = await readBody(response);
  if (response.ok) {
    // A signed-in request the server counted as a use of the session (idle.js listens).
    if (options.token) window.dispatchEvent(new Event("portal:signed-in-request"));
    return { status: response.status, data: data || {} };
  }

  const envelope = data && typeof data === "object" ? data : {};
  const message =
    typeof envelope.message === "string" && envelope.message
      ? envelope.message
      : genericMessage(response.status);
  const code = typeof envelope.error === "string" ? envelope.error : `http_${response.status}`;
  throw new ApiError(response.status, code, message, envelope.fields);
}
