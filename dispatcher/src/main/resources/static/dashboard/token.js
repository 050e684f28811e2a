// The API token: taken from the URL fragment (/#token=..., never sent to any server, like
// Jupyter's ?token=), kept in this tab's sessionStorage, and removed from the address bar at once
// so it does not end up in the history, a bookmark or a screenshot.

const KEY = 'spotbatch.apiToken';
const listeners = new Set();

export function token() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(value) {
  const t = (value || '').trim();
  try {
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token lasts until the page is closed
  }
  for (const l of listeners) l(t);
}

/**
 * Reads token=... from the fragment (#token=abc, #/fleet?token=abc or #/fleet&token=abc), stores
 * it, and rewrites the address without it. Returns true when a token was found.
 */
export function takeTokenFromFragment() {
  const hash = location.hash || '';
  const m = hash.match(/(^#|[?&#])token=([^&]*)/);
  if (!m) return false;
  let t;
  try {
    t = decodeURIComponent(m[2].replace(/\+/g, ' '));
  } catch {
    t = m[2];
  }
  const sep = m[1];
  const before = hash.slice(0, m.index);
  let after = hash.slice(m.index + m[0].length);
  if (after.startsWith('&')) after = (sep === '?' ? '?' : sep === '&' ? '&' : '') + after.slice(1);
  const rest = (before + after).replace(/^#/, '');
  setToken(t);
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? '#' + rest : '#/jobs'));
  return true;
}

/** Called with the new token whenever one is set. */
export function onToken(listener) {
  listeners.add(listener);
}

let prompting = false;

/**
 * Shows the token dialog (after a 401). Says so when the stored token was refused. The dialog is
 * modal: focus moves into it and stays there until a token is given.
 */
export function promptForToken(detail) {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  const error = document.getElementById('token-error');
  if (!dialog || prompting) return;
  prompting = true;
  const had = token();
  error.hidden = !had && !detail;
  error.textContent = had
    ? 'The dispatcher refused the token this tab holds' + (detail ? ': ' + detail : '.')
    : detail || '';
  input.value = '';
  input.setAttribute('aria-describedby', 'token-help' + (error.hidden ? '' : ' token-error'));
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  input.focus();
}

export function installTokenDialog() {
  const dialog = document.getElementById('token-dialog');
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  if (!dialog || !form) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.value.trim()) {
      input.focus();
      return;
    }
    setToken(input.value);
    input.value = '';
    prompting = false;
    dialog.close();
  });
  // Escape closes a modal dialog; without a token nothing works, so it opens again on the next 401
  dialog.addEventListener('close', () => {
    prompting = false;
  });
}
