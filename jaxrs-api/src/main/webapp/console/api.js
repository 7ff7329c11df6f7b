// The console's client of /api/v1. Credentials live in this module's memory only (never in storage, cookies or
// URLs): a reload logs out. No cookie is involved, so another site cannot make the browser call the API as the
// user (no CSRF). X-Requested-With tells the server not to answer 401 with a Basic challenge, which would make the
// browser open its own login dialog.

const BASE = new URL('../api/v1/', document.baseURI);
let authorization = null;

/** An error answered by the API: status and the problem+json detail, readable as a sentence. */
export class ApiError extends Error {
  constructor(status, problem, what) {
    const detail = problem && (problem.detail || problem.title);
    super(`${what} failed (${status}${problem && problem.title ? ' ' + problem.title : ''}): ${detail || 'no detail given'}`);
    this.status = status;
    this.problem = problem;
  }
}

export function setCredentials(user, password) {
  authorization = user === null ? null : 'Basic ' + btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)));
}

/**
 * Calls the API. path is relative to /api/v1/; body, if given, is sent as JSON. Resolves to the parsed JSON (or
 * null for 204); rejects with an ApiError carrying the problem+json detail.
 */
export async function call(method, path, body, contentType = 'application/json') {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'tributary-console' };
  if (authorization) headers['Authorization'] = authorization;
  if (body !== undefined) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(new URL(path, BASE), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store'
    });
  } catch (network) {
    throw new ApiError(0, { detail: `the broker did not answer (${network.message})` }, `${method} ${path}`);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 500) }; }
  }
  if (!response.ok) {
    if (response.status === 401 && onUnauthorized) onUnauthorized();
    throw new ApiError(response.status, json, `${method} ${path}`);
  }
  return json;
}

let onUnauthorized = null;
/** Called when the API answers 401 (the password changed, the user was deleted): the app shows the login again. */
export function whenUnauthorized(callback) { onUnauthorized = callback; }

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const patch = (path, body) => call('PATCH', path, body, 'application/merge-patch+json');
export const del = (path) => call('DELETE', path);

/** A path segment: topic names, group ids and user names are sent escaped. */
export const seg = (value) => encodeURIComponent(value);
