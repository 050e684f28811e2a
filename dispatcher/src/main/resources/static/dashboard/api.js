// Calls to the dispatcher's REST API: the bearer token on every call, problem+json errors as
// ApiError, a token prompt on 401, and what this server offers (from its OpenAPI description).

import {promptForToken, token} from './token.js';

/** A failed call: status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem;
  }

  /** The problem's per-field errors: [{field, message}]. */
  get fieldErrors() {
    const e = this.problem && this.problem.errors;
    return Array.isArray(e) ? e.filter((x) => x && x.field) : [];
  }
}

/**
 * Calls the API. Resolves to the parsed JSON body (null for an empty one); rejects with an
 * ApiError whose message is the problem's title and detail.
 */
export async function api(path, {method = 'GET', body} = {}) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, null, 'The dispatcher cannot be reached (' + e.message + ').');
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;
  const message = describe(res, data);
  if (res.status === 401) promptForToken(data && data.detail);
  throw new ApiError(res.status, data, message);
}

function describe(res, problem) {
  if (problem && (problem.title || problem.detail)) {
    const title = problem.title || res.statusText || 'Error';
    return problem.detail ? `${title} (${res.status}): ${problem.detail}` : `${title} (${res.status})`;
  }
  switch (res.status) {
    case 401:
      return 'An API token is needed (401).';
    case 403:
      return 'The token does not allow this (403).';
    case 404:
      return 'Not found (404).';
    case 502:
    case 503:
    case 504:
      return `The dispatcher is unavailable (${res.status}); try again shortly.`;
    default:
      return `The dispatcher answered ${res.status} ${res.statusText}.`;
  }
}

let capabilities = null;

/**
 * What this dispatcher offers, from /v3/api-docs: {known, has(method, path), jobFields}. The
 * dashboard asks it before calling optional endpoints (cost, estimates, decisions, interrupt), so
 * an older server costs no failed requests. known is false when the description is unavailable;
 * has() then answers null ("try it").
 */
export function offers() {
  if (!capabilities) {
    capabilities = loadCapabilities().catch((e) => {
      capabilities = null; // ask again next time (e.g. after the token arrives)
      throw e;
    });
  }
  return capabilities;
}

async function loadCapabilities() {
  let doc;
  try {
    doc = await api('/v3/api-docs');
  } catch (e) {
    if (e.status === 401 || e.status === 0) throw e;
    return {known: false, has: () => null, jobFields: new Set()};
  }
  const paths = (doc && doc.paths) || {};
  const schemas = (doc && doc.components && doc.components.schemas) || {};
  const jobRequest = schemas.JobRequest || {};
  return {
    known: true,
    has(method, path) {
      const p = paths[path];
      return !!(p && p[method.toLowerCase()]);
    },
    jobFields: new Set(Object.keys(jobRequest.properties || {})),
  };
}

/** Forgets what the server offers (after a new token). */
export function forgetCapabilities() {
  capabilities = null;
}
