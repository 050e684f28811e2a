// #/fleet: the workers (instance facts, state, leases, last drain report), the pools, desired
// capacity and the autoscaler's decisions when the server has them, and buttons to interrupt a
// worker of the local fleet.

import {api, offers} from './api.js';
import {announce, badge, facts, fill, h, setContent, setText, syncKeyed} from './dom.js';
import {count, duration, num, relative, shortId, timeEl, usd, when, word, workerTone} from './format.js';
import {barChart} from './charts.js';

const INTERRUPT_PATH = '/api/v1/fleet/workers/{id}/interrupt';
const DECISIONS_PATH = '/api/v1/fleet/decisions';
const DECISIONS_LIMIT = 30;
const KINDS = [
  {kind: 'spot', label: 'spot (2-minute notice)', deadline: 120},
  {kind: 'rebalance', label: 'rebalance (no deadline)', deadline: null},
  {kind: 'lifecycle', label: 'lifecycle (Auto Scaling)', deadline: 120},
  {kind: 'sigterm', label: 'SIGTERM', deadline: 30},
  {kind: 'kill', label: 'kill (no notice)', deadline: null},
];

export function fleetView(main, {refresh: refreshAll}) {
  const stats = h('ul', {class: 'stats', id: 'fleet-stats'});
  const poolsSection = h('section', {id: 'pools', hidden: true, 'aria-labelledby': 'h-pools'}, h('h2', {id: 'h-pools'}, 'Pools'));
  const poolsTable = h('div', {class: 'table-wrap'});
  const poolsChartBox = h('div', {class: 'chart-box'});
  poolsSection.append(poolsChartBox, poolsTable);
  const decisionsSection = h('section', {id: 'decisions', hidden: true, 'aria-labelledby': 'h-decisions'}, h('h2', {id: 'h-decisions'}, 'Autoscaler decisions'));
  const decisionsList = h('ol', {class: 'timeline', id: 'decisions-list'});
  decisionsSection.append(h('p', {class: 'hint'}, 'Changes of a pool’s desired capacity and why, newest first.'), decisionsList);
  const workers = h('div', {class: 'cards', id: 'workers'});
  const noWorkers = h('p', {class: 'empty', hidden: true}, 'No workers.');
  fill(
    main,
    h('h1', null, 'Fleet'),
    stats,
    poolsSection,
    decisionsSection,
    h('section', {'aria-labelledby': 'h-workers'}, h('h2', {id: 'h-workers'}, 'Workers'), noWorkers, workers),
  );

  let poolsChart = null;
  let canInterrupt = false;
  let decisionsAbsent = false;
  const drains = new Map(); // worker id -> signature of its last drain, to announce new ones

  async function interrupt(workerId, kind, deadlineSeconds, button) {
    button.disabled = true;
    const q = new URLSearchParams({kind});
    if (deadlineSeconds) q.set('deadlineSeconds', deadlineSeconds);
    try {
      const r = await api(`/api/v1/fleet/workers/${encodeURIComponent(workerId)}/interrupt?${q}`, {method: 'POST'});
      const by = r && r.deadline ? `; deadline ${when(r.deadline)} (${relative(r.deadline)})` : '';
      announce(`Sent ${kind} to ${workerId}${r && r.instanceId ? ' (' + r.instanceId + ')' : ''}${by}. Its drain report appears on its card.`, 'ok');
    } catch (e) {
      announce(e.message, 'error');
    } finally {
      button.disabled = false;
    }
    refreshAll();
  }

  function createCard(w) {
    const card = h('article', {class: 'card', dataset: {worker: w.id}, 'aria-labelledby': 'w-' + w.id + '-title'});
    const title = h('h3', {id: 'w-' + w.id + '-title'});
    const body = h('div', {class: 'worker-facts'});
    const leases = h('div', {class: 'worker-leases'});
    const pending = h('div', {class: 'worker-interruption'});
    const drain = h('section', {class: 'worker-drain', 'aria-label': 'Last drain of ' + w.id});
    const history = h('div', {class: 'worker-history'});
    card.append(title, body, leases, pending, drain, history);
    if (canInterrupt) card.append(interruptControls(w.id));
    return card;
  }

  function interruptControls(id) {
    const kindId = 'kind-' + id;
    const secsId = 'deadline-' + id;
    const kind = h('select', {id: kindId}, KINDS.map((k) => h('option', {value: k.kind}, k.label)));
    const secs = h('input', {type: 'number', id: secsId, min: 1, max: 3600, step: 1, placeholder: '120', inputmode: 'numeric'});
    const button = h('button', {type: 'submit', class: 'danger', dataset: {interrupt: id}}, 'Interrupt ' + id);
    const sync = () => {
      const k = KINDS.find((x) => x.kind === kind.value);
      secs.disabled = !k.deadline;
      secs.placeholder = k.deadline ? String(k.deadline) : 'none';
    };
    kind.addEventListener('change', sync);
    sync();
    const form = h(
      'form',
      {class: 'interrupt', 'aria-label': 'Interrupt ' + id},
      h('div', {class: 'field'}, h('label', {for: kindId}, 'Notice'), kind),
      h('div', {class: 'field'}, h('label', {for: secsId}, 'Deadline (s)'), secs),
      button,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      interrupt(id, kind.value, secs.disabled ? '' : secs.value.trim(), button);
    });
    return form;
  }

  function updateCard(card, w) {
    const [title, body, leases, pending, drain, history] = card.children;
    const inst = w.instance || {};
    setContent(title, [w.state, inst.lifecycle], () => [w.id, badge(w.state || 'UNKNOWN', workerTone(w.state)), inst.lifecycle ? badge(word(inst.lifecycle), inst.lifecycle === 'SPOT' ? 'info' : 'muted') : null]);
    setContent(body, [inst, w.pid, w.generation, w.restarts, w.startedAt, w.activeLeases], () =>
      facts([
        ['Instance', inst.instanceType ? `${inst.instanceType} · ${inst.zone || inst.region || '?'}` : '—', 'instance'],
        ['Instance id', inst.instanceId ? h('code', null, inst.instanceId) : '—', 'instance-id'],
        ['Provider', inst.provider ? `${inst.provider}${inst.region ? ' · ' + inst.region : ''}` : '—'],
        ['Process', w.pid ? `pid ${w.pid} · generation ${w.generation ?? '?'} · ${count(w.restarts || 0)} restarts` : '—'],
        ['Started', w.startedAt ? timeEl(w.startedAt) : '—'],
        ['Leases', w.activeLeases === null || w.activeLeases === undefined ? 'unknown' : count(w.activeLeases), 'leases'],
      ]),
    );
    setContent(leases, w.leases || [], () => leaseList(w.leases || []));
    setContent(pending, w.interruption, () => (w.interruption ? interruptionNote(w.interruption) : []));
    const changed = setContent(drain, [w.lastDrainPhase, w.lastDrain], () => drainReport(w));
    const sig = drain.dataset.sig;
    if (changed && drains.has(w.id) && drains.get(w.id) !== sig && w.lastDrain) {
      const d = w.lastDrain;
      announce(
        w.lastDrainPhase === 'STOPPED'
          ? `${w.id} drained: ${d.handedBack} handed back, ${d.finished} finished, ${d.checkpointed} checkpointed, ${d.abandoned} abandoned.`
          : `${w.id} is draining (${word(d.kind)}).`,
      );
    }
    drains.set(w.id, sig);
    setContent(history, w.history || [], () => historyTable(w.history || []));
  }

  async function refresh() {
    const caps = await offers().catch((e) => {
      if (e.status === 401) throw e;
      return {known: false, has: () => null, jobFields: new Set()};
    });
    const fleet = await api('/api/v1/fleet');
    const interruptEndpoint = caps.has('POST', INTERRUPT_PATH);
    const wantInterrupt = interruptEndpoint !== false && !!fleet.interruptions;
    if (wantInterrupt !== canInterrupt) {
      canInterrupt = wantInterrupt;
      workers.replaceChildren(); // rebuild the cards with (or without) their controls
    }
    setContent(stats, [fleet.provider, fleet.desired, fleet.actual, fleet.interruptions, (fleet.workers || []).length], () => fleetStats(fleet));
    const list = fleet.workers || [];
    noWorkers.hidden = list.length > 0;
    setText(noWorkers, fleet.provider === 'none' ? 'No workers: this dispatcher runs no fleet of its own (workers elsewhere lease from the queue).' : 'No workers.');
    syncKeyed(workers, list, (w) => w.id, createCard, updateCard);

    // an older server has no pools; a provider without any (none) shows no empty table
    const pools = Array.isArray(fleet.pools) && fleet.pools.length ? fleet.pools : null;
    poolsSection.hidden = !pools;
    if (pools) {
      setContent(poolsTable, pools, () => poolTable(pools));
      poolsChart = barChart(poolsChartBox, poolsChart, {
        label: 'Desired and actual workers per pool',
        labels: pools.map((p) => p.name),
        series: [
          {label: 'desired', data: pools.map((p) => p.desired ?? 0)},
          {label: 'actual', data: pools.map((p) => p.actual ?? 0)},
        ],
      });
    }

    const hasDecisions = caps.has('GET', DECISIONS_PATH);
    if (hasDecisions === false || decisionsAbsent) {
      decisionsSection.hidden = true;
    } else {
      let decisions;
      try {
        const d = await api(DECISIONS_PATH + '?limit=' + DECISIONS_LIMIT);
        decisions = Array.isArray(d) ? d : (d && d.decisions) || [];
      } catch (e) {
        // an older server without the endpoint: stop asking, show nothing
        if (e.status !== 404 && e.status !== 405) throw e;
        decisionsAbsent = true;
        decisionsSection.hidden = true;
        return;
      }
      decisionsSection.hidden = false;
      setContent(decisionsList, decisions, () => decisionItems(decisions));
    }
  }

  return {
    title: 'Fleet',
    refresh,
    destroy() {
      if (poolsChart) poolsChart.destroy();
    },
  };
}

/** A tone per decision cause, so the timeline reads at a glance (the word is always shown too). */
function causeTone(cause) {
  switch (cause) {
    case 'SCALE_UP':
    case 'RETURN_TO_SPOT':
      return 'ok';
    case 'BLOCKED':
    case 'UNRELIABLE':
    case 'FALLBACK':
      return 'warn';
    case 'DEPARTURE':
      return 'bad';
    default:
      return 'info';
  }
}

/** The decisions as timeline entries, newest first (the API's order, sorted again to be sure). */
export function decisionItems(decisions) {
  if (!decisions.length) {
    return [
      h(
        'li',
        {class: 'empty'},
        'No decisions: the autoscaler is off (a fixed fleet) or has not changed a pool’s size yet.',
      ),
    ];
  }
  const sorted = decisions.slice().sort((a, b) => new Date(b.at) - new Date(a.at));
  return sorted.map((x) => {
    const up = Number(x.to) > Number(x.from);
    return h(
      'li',
      {dataset: {decision: x.pool || 'fleet'}},
      h('p', {class: 'decision-head'}, timeEl(x.at), ' · ', h('strong', null, x.pool || 'fleet'), ' ', `${count(x.from)} → ${count(x.to)} `, h('span', {class: 'visually-hidden'}, up ? '(more workers)' : '(fewer workers)'), x.cause ? badge(word(x.cause), causeTone(x.cause)) : null),
      x.reason ? h('p', {class: 'decision-reason'}, x.reason) : null,
    );
  });
}

function fleetStats(fleet) {
  const items = [
    ['Provider', fleet.provider || '—'],
    ['Workers running', `${count(fleet.actual)} of ${count(fleet.desired)} desired`],
  ];
  if (fleet.interruptions) {
    const total = Object.values(fleet.interruptions).reduce((a, b) => a + Number(b || 0), 0);
    const parts = Object.entries(fleet.interruptions)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    items.push(['Interruptions', count(total) + (parts ? ` (${parts})` : '')]);
  }
  return items.map(([label, value]) => h('li', null, h('span', {class: 'label'}, label), h('span', {class: 'value'}, value)));
}

function leaseList(leases) {
  if (!leases.length) return [];
  return h(
    'details',
    null,
    h('summary', null, `Leased items (${leases.length})`),
    h(
      'ul',
      null,
      leases.map((l) =>
        h('li', null, h('span', {class: 'mono'}, shortId(l.itemId || '?')), ' of job ', h('a', {href: '#/jobs/' + encodeURIComponent(l.jobId || '')}, shortId(l.jobId || '?')), l.recordsDone !== undefined ? ` · ${count(l.recordsDone)} records done` : ''),
      ),
    ),
  );
}

function interruptionNote(i) {
  return h('p', {class: 'alert-inline'}, `Interrupted: ${word(i.kind)} at `, timeEl(i.requestedAt), i.deadline ? [', deadline ', timeEl(i.deadline), ` (${relative(i.deadline)})`] : '');
}

/** The last drain a worker reported: what it did with its leases, and whether it beat its deadline. */
function drainReport(w) {
  const d = w.lastDrain;
  if (!d) return h('p', {class: 'hint'}, 'No drain reported yet.');
  const stopped = w.lastDrainPhase === 'STOPPED';
  let margin;
  if (d.stoppedAt && d.deadline) {
    const ms = new Date(d.deadline) - new Date(d.stoppedAt);
    margin = ms >= 0 ? badge(`done ${duration(ms)} before its deadline`, 'ok') : badge(`${duration(-ms)} past its deadline`, 'bad');
  }
  return [
    h('h4', null, 'Last drain ', badge(stopped ? 'drained' : 'draining', stopped ? 'ok' : 'warn'), ' ', margin || null),
    facts(
      [
        ['Notice', word(d.kind), 'drain-kind'],
        ['Notice seen', d.detectedAt ? timeEl(d.detectedAt) : '—'],
        ['Deadline', d.deadline ? timeEl(d.deadline) : 'none'],
        ['Handed back', stopped ? count(d.handedBack) : '…', 'drain-handed-back'],
        ['Finished', stopped ? count(d.finished) : '…', 'drain-finished'],
        ['Checkpointed', stopped ? count(d.checkpointed) : '…', 'drain-checkpointed'],
        ['Abandoned', stopped ? count(d.abandoned) : '…', 'drain-abandoned'],
        ['Stopped', d.stoppedAt ? timeEl(d.stoppedAt) : '—', 'drain-stopped'],
      ],
      {class: 'facts drain'},
    ),
  ];
}

function historyTable(history) {
  if (!history.length) return [];
  return h(
    'details',
    null,
    h('summary', null, `Past processes (${history.length})`),
    h(
      'ul',
      {class: 'history'},
      history.map((p) =>
        h(
          'li',
          null,
          h('code', null, p.instanceId || '?'),
          ': ',
          p.interruption ? word(p.interruption.kind) : 'ended by itself',
          ', exited ',
          p.exitedAt ? timeEl(p.exitedAt) : '—',
          p.exitCode !== null && p.exitCode !== undefined ? ` (exit ${p.exitCode})` : '',
          p.killedAtDeadline ? [' ', badge('killed at deadline', 'bad')] : p.exitedBeforeDeadline === true ? [' ', badge('in time', 'ok')] : '',
        ),
      ),
    ),
  );
}

function poolTable(pools) {
  return h(
    'table',
    {id: 'pools-table'},
    h('caption', {class: 'visually-hidden'}, 'Capacity pools'),
    h(
      'thead',
      null,
      h('tr', null, ['Pool', 'Instance', 'Lifecycle', 'Desired', 'Actual', 'Blocked until', 'Interruptions / h', 'Price / h'].map((c, i) => h('th', {scope: 'col', class: i >= 3 && i !== 5 ? 'num' : null}, c))),
    ),
    h(
      'tbody',
      null,
      pools.map((p) =>
        h(
          'tr',
          {dataset: {pool: p.name}},
          h('th', {scope: 'row'}, p.name),
          h('td', null, [p.provider, p.instanceType, p.zone].filter(Boolean).join(' · ')),
          h('td', null, badge(word(p.lifecycle), p.lifecycle === 'SPOT' ? 'info' : 'muted')),
          h('td', {class: 'num', dataset: {col: 'desired'}}, count(p.desired)),
          h('td', {class: 'num', dataset: {col: 'actual'}}, count(p.actual), p.actual !== undefined && p.desired !== undefined && p.actual !== p.desired ? [' ', h('span', {class: 'hint'}, p.actual < p.desired ? '(starting)' : '(leaving)')] : null),
          h('td', null, p.blockedUntil && new Date(p.blockedUntil) > new Date() ? [badge('blocked', 'bad'), ' until ', timeEl(p.blockedUntil)] : '—'),
          h('td', {class: 'num'}, p.interruptionsPerHour === null || p.interruptionsPerHour === undefined ? h('span', {class: 'hint'}, 'not measured') : num(p.interruptionsPerHour, 2)),
          h('td', {class: 'num', dataset: {col: 'usd-per-hour'}}, usd(p.usdPerHour)),
        ),
      ),
    ),
  );
}
