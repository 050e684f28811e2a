// Jobs: the list (status filter, progress, ETA and deadline, cost, savings) and one job's page
// (items, records, failures, cancel and retry, output and manifest, cost breakdown).

import {api} from './api.js';
import {announce, badge, facts, fill, h, setContent, setText, syncKeyed} from './dom.js';
import {between, count, duration, jobTone, num, pct, relative, shortId, timeEl, usd} from './format.js';

const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const LIST_LIMIT = 100;

/** Items done out of the total, for a progress bar; value null = not known yet (planning). */
export function progressOf(job) {
  const it = job.items || {};
  const total = Number(it.total || 0);
  const done = Number(it.succeeded || 0) + Number(it.failed || 0);
  if (total === 0) {
    if (job.status === 'SUCCEEDED') return {value: 1, max: 1, text: 'no items'};
    if (FINAL.has(job.status)) return {value: 0, max: 1, text: 'no items'};
    return {value: null, max: 1, text: job.status === 'PENDING' ? 'planning…' : '0 items'};
  }
  return {value: done, max: total, text: `${count(done)} / ${count(total)} items`};
}

function progressEl(job, label, wide) {
  const p = progressOf(job);
  const bar = h('progress', {max: p.max, 'aria-label': label});
  if (p.value !== null) bar.value = p.value;
  return h('span', {class: wide ? 'progress wide' : 'progress'}, bar, h('span', null, p.text));
}

/** ETA against the deadline and whether the job is on track, when the server gives them. */
function schedule(job) {
  const out = [];
  const live = !FINAL.has(job.status);
  if (job.eta && live) {
    out.push(h('span', null, 'ETA ', timeEl(job.eta), ' (' + relative(job.eta) + ')'));
  }
  if (job.deferral && job.deferral.until && live) {
    // the autoscaler holds it back on purpose: its deadline leaves room for cheaper spot hours
    if (out.length) out.push(h('br'));
    out.push(badge('waits for cheaper hours', 'warn'), ' until ', timeEl(job.deferral.until));
  }
  if (job.deadline) {
    if (out.length) out.push(h('br'));
    out.push(h('span', null, 'deadline ', timeEl(job.deadline)));
    if (job.eta && live) {
      const ms = new Date(job.deadline) - new Date(job.eta);
      out.push(h('br'), h('span', {class: 'hint'}, ms >= 0 ? duration(ms) + ' to spare' : duration(-ms) + ' late'));
    }
    if (job.onTrack === false && live) out.push(' ', badge('at risk', 'bad'));
    else if (job.onTrack === true && live) out.push(' ', badge('on track', 'ok'));
    else if (!live && job.finishedAt) {
      const met = new Date(job.finishedAt) <= new Date(job.deadline);
      out.push(' ', badge(met ? 'met' : 'missed', met ? 'ok' : 'bad'));
    }
  }
  return out.length ? out : ['—'];
}

function deferredUntil(job) {
  return job.deferral ? job.deferral.until : null;
}

function savingsText(cost) {
  if (!cost) return '—';
  return cost.savingsPct === null || cost.savingsPct === undefined ? '—' : pct(cost.savingsPct);
}

/** #/jobs: every job, newest first, with a status filter. */
export function jobsView(main, {query}) {
  let status = (query.get('status') || '').toUpperCase();
  if (!STATUSES.includes(status)) status = '';
  const select = h(
    'select',
    {id: 'status-filter'},
    h('option', {value: ''}, 'All'),
    STATUSES.map((s) => h('option', {value: s}, s.charAt(0) + s.slice(1).toLowerCase())),
  );
  select.value = status;
  const tbody = h('tbody');
  const summary = h('p', {class: 'hint', id: 'jobs-count'});
  const table = h(
    'table',
    {id: 'jobs-table', hidden: true},
    h('caption', {class: 'visually-hidden'}, 'Jobs, newest first'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', {scope: 'col'}, 'Job'),
        h('th', {scope: 'col'}, 'Status'),
        h('th', {scope: 'col'}, 'Progress'),
        h('th', {scope: 'col', class: 'num'}, 'Records'),
        h('th', {scope: 'col'}, 'ETA / deadline'),
        h('th', {scope: 'col', class: 'num'}, 'Cost'),
        h('th', {scope: 'col', class: 'num'}, 'Savings'),
        h('th', {scope: 'col'}, 'Created'),
      ),
    ),
    tbody,
  );
  const empty = h('p', {class: 'empty', hidden: true}, 'No jobs yet. ', h('a', {href: '#/submit'}, 'Submit one'), '.');
  fill(
    main,
    h('h1', null, 'Jobs'),
    h(
      'div',
      {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'status-filter'}, 'Status'), select),
      h('a', {class: 'button primary', href: '#/submit'}, 'Submit a job'),
    ),
    summary,
    h('div', {class: 'table-wrap'}, table),
    empty,
  );

  let known = null; // id -> status, to announce changes
  let refresh;
  select.addEventListener('change', () => {
    status = select.value;
    history.replaceState(history.state, '', '#/jobs' + (status ? '?status=' + status.toLowerCase() : ''));
    known = null;
    refresh();
  });

  refresh = async () => {
    const wanted = status;
    const q = new URLSearchParams({limit: String(LIST_LIMIT)});
    if (wanted) q.set('status', wanted);
    const data = await api('/api/v1/jobs?' + q);
    if (wanted !== status) return; // the filter changed meanwhile
    const jobs = (data && data.jobs) || [];
    syncKeyed(tbody, jobs, (j) => j.id, createRow, updateRow);
    table.hidden = jobs.length === 0;
    empty.hidden = jobs.length !== 0;
    setContent(empty, wanted, () =>
      wanted
        ? ['No ' + wanted.toLowerCase() + ' jobs. ', h('a', {href: '#/jobs'}, 'Show all')]
        : ['No jobs yet. ', h('a', {href: '#/submit'}, 'Submit one'), '.'],
    );
    setText(summary, jobs.length ? `${jobs.length} job${jobs.length === 1 ? '' : 's'}${wanted ? ' ' + wanted.toLowerCase() : ''}, newest first` + (jobs.length >= LIST_LIMIT ? ` (the latest ${LIST_LIMIT})` : '') : '');
    if (known) {
      for (const j of jobs) {
        const before = known.get(j.id);
        if (before && before !== j.status) announce(`Job ${j.name || shortId(j.id)} is now ${j.status}.`, j.status === 'FAILED' ? 'error' : 'info');
      }
    }
    known = new Map(jobs.map((j) => [j.id, j.status]));
  };
  return {title: 'Jobs', refresh};
}

function createRow(job) {
  const tr = h('tr', {dataset: {job: job.id}});
  for (let i = 0; i < 8; i++) tr.append(h('td'));
  tr.children[3].className = 'num';
  tr.children[5].className = 'num';
  tr.children[6].className = 'num';
  return tr;
}

function updateRow(tr, job) {
  const [name, status, progress, records, sched, cost, savings, created] = tr.children;
  setContent(name, [job.name, job.id], () => [
    h('a', {href: '#/jobs/' + encodeURIComponent(job.id)}, job.name || shortId(job.id)),
    h('br'),
    h('span', {class: 'hint mono', title: job.id}, shortId(job.id)),
  ]);
  name.dataset.col = 'name';
  status.dataset.col = 'status';
  setContent(status, [job.status, job.reason], () => [
    badge(job.status, jobTone(job.status)),
    job.reason ? h('span', {class: 'hint reason', title: job.reason}, job.reason.length > 80 ? job.reason.slice(0, 79) + '…' : job.reason) : null,
  ]);
  setContent(progress, [job.status, job.items], () => progressEl(job, 'Progress of job ' + (job.name || job.id)));
  const r = job.records || {};
  setText(records, count(r.succeeded) + (r.failed ? ` (+${count(r.failed)} errors)` : ''));
  setContent(sched, [job.eta, job.deadline, job.onTrack, job.status, deferredUntil(job)], () => schedule(job));
  cost.dataset.col = 'cost';
  setContent(cost, job.cost ? [job.cost.usd, job.cost.pricing, job.cost.wastedUsd] : null, () =>
    job.cost
      ? [
          usd(job.cost.usd),
          job.cost.wastedUsd ? [h('br'), h('span', {class: 'hint'}, usd(job.cost.wastedUsd) + ' wasted')] : null,
          job.cost.pricing === 'simulated' || job.cost.pricing === 'unknown' ? [h('br'), h('span', {class: 'hint', dataset: {pricing: job.cost.pricing}}, job.cost.pricing)] : null,
        ]
      : '—',
  );
  setText(savings, savingsText(job.cost));
  setContent(created, job.createdAt, () => timeEl(job.createdAt));
}

/** #/jobs/<id>: one job. */
export function jobView(main, {args, refresh: refreshAll}) {
  const id = args[0];
  const path = '/api/v1/jobs/' + encodeURIComponent(id);
  const title = h('h1', {id: 'job-title'}, 'Job ' + shortId(id));
  const statusEl = h('span', {id: 'job-status'});
  const reason = h('p', {id: 'job-reason', hidden: true});
  const cancel = h('button', {type: 'button', class: 'danger', id: 'job-cancel', disabled: true}, 'Cancel job');
  const retry = h('button', {type: 'button', id: 'job-retry', disabled: true}, 'Retry failed items');
  const progress = h('div', {id: 'job-progress'});
  const itemsBox = h('div', {id: 'job-items'});
  const timesBox = h('div', {id: 'job-times'});
  const outputBox = h('div', {id: 'job-output'});
  const costBox = h('div', {id: 'job-cost'});
  const failuresBox = h('div', {id: 'job-failures'});
  const body = h(
    'div',
    {id: 'job-body'},
    h('p', {class: 'sub'}, 'Status: ', statusEl, ' · id ', h('code', null, id)),
    reason,
    h('div', {class: 'buttons'}, cancel, retry),
    progress,
    h(
      'div',
      {class: 'grid2'},
      h('section', {class: 'panel', 'aria-labelledby': 'h-items'}, h('h2', {id: 'h-items'}, 'Work items and records'), itemsBox),
      h('section', {class: 'panel', 'aria-labelledby': 'h-times'}, h('h2', {id: 'h-times'}, 'Times'), timesBox),
      h('section', {class: 'panel', 'aria-labelledby': 'h-cost'}, h('h2', {id: 'h-cost'}, 'Cost'), costBox),
      h('section', {class: 'panel wide', 'aria-labelledby': 'h-output'}, h('h2', {id: 'h-output'}, 'Model and output'), outputBox),
    ),
    h('section', {'aria-labelledby': 'h-failures'}, h('h2', {id: 'h-failures'}, 'Failures'), failuresBox),
  );
  fill(main, h('p', null, h('a', {href: '#/jobs'}, '← All jobs')), title, body);

  let job = null;
  let lastStatus = null;

  async function act(button, verb, done) {
    button.disabled = true;
    try {
      job = await api(path + '/' + verb, {method: 'POST'});
      announce(done, 'ok');
    } catch (e) {
      announce(e.message, 'error');
    }
    refreshAll();
  }
  cancel.addEventListener('click', () => act(cancel, 'cancel', 'Job cancelled: queued items are dropped, running ones stop at their next chunk.'));
  retry.addEventListener('click', () => act(retry, 'retry', 'Retrying the failed items; the job is running again.'));

  async function refresh() {
    let failures;
    try {
      [job, failures] = await Promise.all([api(path), api(path + '/failures')]);
    } catch (e) {
      if (e.status === 404) {
        setText(title, 'No such job');
        body.hidden = true;
        announce(e.message, 'error');
        return;
      }
      throw e;
    }
    body.hidden = false;
    const name = job.name || shortId(job.id);
    setText(title, 'Job ' + name);
    document.title = 'Job ' + name + ' · spotbatch';
    setContent(statusEl, job.status, () => badge(job.status, jobTone(job.status)));
    if (lastStatus && lastStatus !== job.status) announce(`Job ${name} is now ${job.status}.`, job.status === 'FAILED' ? 'error' : 'info');
    lastStatus = job.status;
    reason.hidden = !job.reason;
    setText(reason, job.reason ? 'Reason: ' + job.reason : '');
    cancel.disabled = !(job.status === 'PENDING' || job.status === 'RUNNING');
    retry.disabled = job.status !== 'FAILED';
    setContent(progress, [job.status, job.items], () => progressEl(job, 'Progress of job ' + name, true));
    setContent(itemsBox, [job.items, job.records], () => itemFacts(job));
    setContent(timesBox, [job.status, job.createdAt, job.startedAt, job.finishedAt, job.eta, job.deadline, job.onTrack, job.priority, deferredUntil(job), FINAL.has(job.status) ? 0 : Math.floor(Date.now() / 1000)], () => timeFacts(job));
    setContent(outputBox, [job.output, job.model, job.modelUri, job.modelDigest, job.tasks], () => outputFacts(job));
    setContent(costBox, job.cost, () => costTable(job.cost));
    setContent(failuresBox, failures, () => failureTable(failures));
  }
  return {title: 'Job ' + shortId(id), refresh};
}

function itemFacts(job) {
  const it = job.items || {};
  const order = ['total', 'pending', 'running', 'succeeded', 'failed'];
  const keys = order.filter((k) => k in it).concat(Object.keys(it).filter((k) => !order.includes(k)));
  const r = job.records || {};
  return facts(
    keys
      .map((k) => ['Items ' + k, count(it[k]), 'items-' + k])
      .concat([
        ['Records done', count(r.succeeded), 'records-succeeded'],
        ['Record errors', count(r.failed), 'records-failed'],
      ]),
  );
}

function timeFacts(job) {
  return facts([
    ['Created', timeEl(job.createdAt)],
    ['Started', job.startedAt ? timeEl(job.startedAt) : '—'],
    ['Finished', job.finishedAt ? timeEl(job.finishedAt) : '—'],
    ['Ran for', job.startedAt ? between(job.startedAt, job.finishedAt) : '—'],
    ['ETA', 'eta' in job ? (job.eta ? h('span', null, timeEl(job.eta), ' (' + relative(job.eta) + ')') : '—') : undefined],
    ['Deadline', 'deadline' in job ? (job.deadline ? timeEl(job.deadline) : 'none') : undefined],
    ['On track', 'onTrack' in job && job.onTrack !== null && !FINAL.has(job.status) ? (job.onTrack ? badge('on track', 'ok') : badge('at risk', 'bad')) : undefined, 'on-track'],
    ['Against the deadline', job.deadline ? schedule(job) : undefined, 'schedule'],
    ['Deferred', job.deferral && !FINAL.has(job.status) ? h('span', {title: job.deferral.reason || ''}, 'for cheaper spot hours until ', timeEl(job.deferral.until), h('br'), h('span', {class: 'hint'}, job.deferral.reason || '')) : undefined, 'deferral'],
    ['Priority', 'priority' in job ? String(job.priority ?? '—') : undefined],
  ]);
}

/** What each output format is, for a reader. */
const OUTPUT_FORMATS = {
  jsonl: 'JSON lines',
  npy: 'NumPy .npy (float32) with a .ids.jsonl sidecar per part',
};

function outputFacts(job) {
  const o = job.output || {};
  return facts([
    ['Model', job.model ?? '—', 'model'],
    ['Model location', job.modelUri ? h('code', null, job.modelUri) : undefined, 'model-uri'],
    ['Model digest', job.modelDigest ? h('code', null, job.modelDigest) : undefined, 'model-digest'],
    ['Tasks', Array.isArray(job.tasks) && job.tasks.length ? job.tasks.join(' → ') : undefined, 'tasks'],
    ['Output', o.uri ? h('code', null, o.uri) : '—', 'output-uri'],
    ['Output format', o.format ? OUTPUT_FORMATS[o.format] || o.format : undefined, 'output-format'],
    ['Manifest', o.manifest ? h('code', null, o.manifest) : 'written when the job succeeds', 'manifest'],
  ]);
}

/** What a job's `pricing` says about its dollars, for a reader. */
const PRICING = {
  listed: ['public list prices', 'ok'],
  quoted: ['quoted prices', 'ok'],
  refreshed: ['current spot prices', 'ok'],
  configured: ['your configured prices', 'info'],
  estimate: ['estimated prices', 'warn'],
  simulated: ['nothing is billed', 'info'],
  mixed: ['several price sources', 'warn'],
  unknown: ['some machine time has no price', 'bad'],
  none: ['no machine time yet', 'muted'],
};

/** A badge for a cost's pricing label (the label itself is always shown). */
export function pricingBadge(pricing) {
  if (!pricing) return null;
  const [text, tone] = PRICING[pricing] || [pricing, 'muted'];
  return badge(text === pricing ? pricing : `${pricing} · ${text}`, tone);
}

/** "failed-attempt" -> "failed attempts", for the wasted-work rows. */
function wasteLabel(kind) {
  switch (kind) {
    case 'failed-attempt':
      return 'failed attempts (tried again)';
    case 'abandoned':
      return 'abandoned in a drain (redone)';
    case 'killed':
      return 'killed without notice (leases lost)';
    default:
      return kind;
  }
}

/** The cost breakdown: spend, on-demand equivalent, saved, wasted work by kind, and its pricing. */
export function costTable(cost) {
  if (!cost) return h('p', {class: 'empty'}, 'No cost reported.');
  const rows = [
    ['Spend', usd(cost.usd), 'usd'],
    ['On-demand equivalent', usd(cost.onDemandUsd), 'on-demand'],
    ['Saved', cost.onDemandUsd !== undefined && cost.usd !== undefined ? usd(cost.onDemandUsd - cost.usd) + (cost.savingsPct !== null && cost.savingsPct !== undefined ? ' (' + pct(cost.savingsPct) + ')' : '') : '—', 'saved'],
  ];
  if ('wastedUsd' in cost) rows.push(['Wasted work (done again; part of the spend)', usd(cost.wastedUsd), 'wasted']);
  const byKind = cost.wastedByKind && typeof cost.wastedByKind === 'object' ? Object.entries(cost.wastedByKind).filter(([, v]) => v) : [];
  for (const [kind, v] of byKind) rows.push(['  of which ' + wasteLabel(kind), usd(v), 'wasted-' + kind, true]);
  if ('wastedRecords' in cost) rows.push(['Records processed twice', count(cost.wastedRecords), 'wasted-records']);
  if ('machineHours' in cost) rows.push(['Machine hours', num(cost.machineHours, cost.machineHours < 0.01 ? 6 : 3), 'machine-hours']);
  if (cost.unpricedMachineHours) rows.push(['Machine hours without a price (counted as $0)', num(cost.unpricedMachineHours, 3), 'unpriced-hours']);
  if ('interruptions' in cost) rows.push(['Interruptions', count(cost.interruptions), 'interruptions']);
  return [
    cost.pricing ? h('p', {class: 'pricing', dataset: {pricing: cost.pricing}}, 'Pricing: ', pricingBadge(cost.pricing)) : null,
    h(
      'table',
      {class: 'cost'},
      h('caption', {class: 'visually-hidden'}, 'Cost breakdown'),
      h('tbody', null, rows.map(([k, v, n, sub]) => h('tr', {dataset: {cost: n}, class: sub ? 'sub' : null}, h('th', {scope: 'row'}, sub ? k.trim() : k), h('td', {class: 'num'}, v)))),
    ),
    cost.pricing === 'unknown'
      ? h('p', {class: 'hint'}, 'The price book has no price for some of this job’s machines: their time counts as $0 (set spotbatch.cost.prices).')
      : cost.pricing === 'simulated'
        ? h('p', {class: 'hint'}, 'The local fleet is priced as the instance type it simulates; nothing is billed.')
        : null,
  ];
}

function failureTable(data) {
  const list = (data && data.failures) || [];
  if (!list.length) return h('p', {class: 'empty'}, 'No failures.');
  return h(
    'div',
    {class: 'table-wrap'},
    h(
      'table',
      {id: 'failures-table'},
      h('caption', {class: 'visually-hidden'}, 'Item failures, oldest first'),
      h(
        'thead',
        null,
        h('tr', null, ['Item', 'Reason', 'Attempts', 'Final', 'Worker', 'When'].map((c) => h('th', {scope: 'col'}, c))),
      ),
      h(
        'tbody',
        null,
        list.map((f) =>
          h(
            'tr',
            null,
            h('td', {class: 'mono'}, f.itemId),
            h('td', null, f.reason),
            h('td', {class: 'num'}, count(f.attempts)),
            h('td', null, f.terminal ? badge('failed for good', 'bad') : badge('will retry', 'warn')),
            h('td', null, f.workerId || '—'),
            h('td', null, timeEl(f.at)),
          ),
        ),
      ),
    ),
  );
}

