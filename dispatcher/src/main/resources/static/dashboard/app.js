// The dashboard: hash routes (#/jobs, #/jobs/<id>, #/submit, #/fleet, #/savings), one view at a
// time, refreshed by polling every 2 s while the tab is visible.

import {takeTokenFromFragment, installTokenDialog, onToken} from './token.js';
import {forgetCapabilities, offers} from './api.js';
import {announce, fill, h} from './dom.js';
import {jobsView, jobView} from './jobs.js';
import {submitView} from './submit.js';
import {fleetView} from './fleet.js';
import {savingsView} from './savings.js';

// first of all, before any request: the token leaves the address bar
takeTokenFromFragment();

const POLL_MS = 2000;
const main = document.getElementById('main');
const live = document.getElementById('live');

const routes = [
  {pattern: /^\/?(?:jobs)?\/?$/, nav: 'jobs', view: jobsView},
  {pattern: /^\/jobs\/([^/?]+)$/, nav: 'jobs', view: jobView},
  {pattern: /^\/submit$/, nav: 'submit', view: submitView},
  {pattern: /^\/fleet$/, nav: 'fleet', view: fleetView},
  {pattern: /^\/savings$/, nav: 'savings', view: savingsView},
];

let current = null; // {view instance, key}
let timer = null;
let inFlight = false;
let failing = false;

function parseHash() {
  const raw = (location.hash || '').replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  return {path, query};
}

function route() {
  const {path, query} = parseHash();
  for (const r of routes) {
    const m = path.match(r.pattern);
    if (m) return {r, args: m.slice(1).map(decodeURIComponent), query};
  }
  return null;
}

function show() {
  const found = route();
  if (current && current.instance.destroy) current.instance.destroy();
  current = null;
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (found && a.dataset.nav === found.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!found) {
    document.title = 'Not found · spotbatch';
    fill(main, h('h1', null, 'No such page'), h('p', null, h('a', {href: '#/jobs'}, 'Go to the jobs')));
    return;
  }
  fill(main);
  const instance = found.r.view(main, {args: found.args, query: found.query, navigate, refresh: refreshNow});
  current = {instance};
  document.title = (instance.title || 'spotbatch') + ' · spotbatch';
  tick(true);
}

/** Changes the route; replace=true keeps the history entry (filters). */
export function navigate(hash, replace) {
  if (replace) {
    history.replaceState(history.state, '', hash);
  } else if (location.hash !== hash) {
    location.hash = hash;
    return; // hashchange shows it
  }
  show();
}

async function tick(fromRoute) {
  clearTimeout(timer);
  timer = null;
  if (!current) return;
  if (document.hidden) {
    setLive('paused', 'Paused while the tab is hidden');
    return;
  }
  if (inFlight && !fromRoute) return schedule();
  inFlight = true;
  const mine = current;
  try {
    // a page without live data (the submit form) still shows whether the dispatcher answers
    await (mine.instance.refresh ? mine.instance.refresh() : offers());
    if (failing) announce('Connected to the dispatcher again.', 'ok');
    failing = false;
    setLive('live', mine.instance.refresh ? 'Live · updated ' + new Date().toLocaleTimeString() : 'Connected');
  } catch (e) {
    if (e && e.status === 401) {
      setLive('error', 'Waiting for an API token');
    } else {
      setLive('error', 'Cannot update: ' + (e && e.message ? e.message : e));
      if (!failing && e && e.status === 0) announce(e.message + ' Retrying every 2 s.', 'error');
      failing = true;
      if (!(e && e.status !== undefined)) console.warn('dashboard refresh failed', e);
    }
  } finally {
    inFlight = false;
  }
  if (current === mine && (mine.instance.refresh || failing)) schedule();
}

function schedule() {
  clearTimeout(timer);
  if (!document.hidden) timer = setTimeout(() => tick(false), POLL_MS);
}

function setLive(state, text) {
  live.dataset.state = state;
  if (live.textContent !== text) live.textContent = text;
}

/** Refreshes the current view now (after an action). */
export function refreshNow() {
  tick(true);
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) {
    clearTimeout(timer);
    timer = null;
    setLive('paused', 'Paused while the tab is hidden');
  } else {
    tick(true);
  }
});

window.addEventListener('hashchange', () => {
  if (takeTokenFromFragment()) return; // a new #token=... was pasted: it reroutes itself
  show();
  main.focus({preventScroll: true});
});

installTokenDialog();
onToken(() => {
  forgetCapabilities();
  show();
});
show();
