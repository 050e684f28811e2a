// #/savings: spend against on-demand from the jobs' own cost fields (always), the cost report per
// pool (GET /api/v1/cost) and the cost calculator (POST /api/v1/estimates) when this server offers
// them, and a plain "not available on this server" when it does not.

import {api, ApiError, offers} from './api.js';
import {announce, badge, fill, h, setContent} from './dom.js';
import {clearErrors, field, numberValue, showProblem, textValue} from './forms.js';
import {count, num, pct, shortId, timeEl, usd, when} from './format.js';
import {barChart, lineChart} from './charts.js';
import {pricingBadge} from './jobs.js';

const COST_PATH = '/api/v1/cost';
const ESTIMATES_PATH = '/api/v1/estimates';
const JOBS_LIMIT = 200;
const PERIODS = [
  {value: '1', label: 'Last 24 hours'},
  {value: '7', label: 'Last 7 days'},
  {value: '30', label: 'Last 30 days'},
  // the API's longest window (without from it answers the last 24 hours, not all time)
  {value: '366', label: 'Last 366 days'},
];

/** Sums of the jobs' cost fields, and the cumulative series over finish time. */
export function jobTotals(jobs) {
  const priced = jobs.filter((j) => j.cost && typeof j.cost.usd === 'number');
  let usdSum = 0;
  let onDemand = 0;
  let wasted = 0;
  let hasWasted = false;
  for (const j of priced) {
    usdSum += j.cost.usd || 0;
    onDemand += j.cost.onDemandUsd || 0;
    if (typeof j.cost.wastedUsd === 'number') {
      wasted += j.cost.wastedUsd;
      hasWasted = true;
    }
  }
  const finished = priced.filter((j) => j.finishedAt).sort((a, b) => new Date(a.finishedAt) - new Date(b.finishedAt));
  const series = {labels: [], spend: [], onDemand: []};
  let s = 0;
  let o = 0;
  for (const j of finished) {
    s += j.cost.usd || 0;
    o += j.cost.onDemandUsd || 0;
    series.labels.push(when(j.finishedAt));
    series.spend.push(round(s));
    series.onDemand.push(round(o));
  }
  return {
    jobs: priced.length,
    usd: usdSum,
    onDemandUsd: onDemand,
    savedUsd: onDemand - usdSum,
    savingsPct: onDemand > 0 ? 100 * (1 - usdSum / onDemand) : null,
    wastedUsd: hasWasted ? wasted : undefined,
    series,
  };
}

function round(v) {
  return Math.round(v * 1e6) / 1e6;
}

export function savingsView(main, {refresh: refreshAll}) {
  const stats = h('ul', {class: 'stats', id: 'savings-stats'});
  const chartBox = h('div', {class: 'chart-box', id: 'savings-chart'});
  const jobsTable = h('div', {class: 'table-wrap', id: 'savings-jobs'});
  const costBody = h('div', {id: 'cost-report'});
  const period = h('select', {id: 'cost-period'}, PERIODS.map((p) => h('option', {value: p.value}, p.label)));
  period.value = '7';
  const costControls = h('div', {class: 'toolbar', hidden: true}, h('div', {class: 'field'}, h('label', {for: 'cost-period'}, 'Period'), period));
  const estimateBox = h('div', {id: 'estimate'});
  const poolChartBox = h('div', {class: 'chart-box', id: 'pool-cost-chart', hidden: true});
  fill(
    main,
    h('h1', null, 'Savings'),
    h(
      'section',
      {'aria-labelledby': 'h-spend'},
      h('h2', {id: 'h-spend'}, 'Spend against on-demand'),
      h('p', {class: 'hint'}, `From the cost each job reports (the latest ${JOBS_LIMIT} jobs).`),
      stats,
      chartBox,
      jobsTable,
    ),
    h('section', {'aria-labelledby': 'h-pools-cost'}, h('h2', {id: 'h-pools-cost'}, 'Cost by pool'), costControls, costBody, poolChartBox),
    h('section', {'aria-labelledby': 'h-estimate'}, h('h2', {id: 'h-estimate'}, 'Estimate a job'), estimateBox),
  );

  let chart = null;
  let poolChart = null;
  let costState = null; // null: not asked yet; 'absent'; 'present'
  let estimateState = null;
  period.addEventListener('change', () => refreshAll());

  function unavailable(box, what, path) {
    setContent(box, 'absent:' + path, () =>
      h(
        'p',
        {class: 'unavailable', dataset: {unavailable: path}},
        h('strong', null, 'Not available on this server. '),
        `This dispatcher does not offer ${what} (${path}) yet.`,
      ),
    );
  }

  async function refreshCost(caps) {
    const has = caps.has('GET', COST_PATH);
    if (has === false || costState === 'absent') {
      costControls.hidden = true;
      unavailable(costBody, 'a cost report per pool', 'GET ' + COST_PATH);
      return;
    }
    const q = new URLSearchParams();
    // whole seconds: the same window on every poll of a minute, so an unchanged report is not redrawn
    const now = Math.floor(Date.now() / 60000) * 60000 + 60000;
    q.set('from', new Date(now - Number(period.value || 1) * 86400000).toISOString());
    q.set('to', new Date(now).toISOString());
    let report;
    try {
      report = await api(COST_PATH + (q.toString() ? '?' + q : ''));
    } catch (e) {
      if (e.status === 404 || e.status === 405) {
        costState = 'absent';
        costControls.hidden = true;
        unavailable(costBody, 'a cost report per pool', 'GET ' + COST_PATH);
        return;
      }
      throw e;
    }
    costState = 'present';
    costControls.hidden = false;
    setContent(costBody, report, () => costReport(report));
    const pools = Array.isArray(report && report.pools) ? report.pools : [];
    poolChartBox.hidden = !pools.length;
    if (pools.length) {
      poolChart = barChart(poolChartBox, poolChart, {
        label: 'Spend against the on-demand equivalent per pool, in dollars',
        labels: pools.map((p) => p.pool),
        money: true,
        series: [
          {label: 'spend ($)', data: pools.map((p) => p.usd ?? 0)},
          {label: 'on-demand equivalent ($)', data: pools.map((p) => p.onDemandUsd ?? 0)},
        ],
      });
    }
  }

  function showEstimateForm(caps) {
    const has = caps.has('POST', ESTIMATES_PATH);
    if (has === false || estimateState === 'absent') {
      unavailable(estimateBox, 'the cost calculator', 'POST ' + ESTIMATES_PATH);
      return;
    }
    if (estimateState === 'form') return;
    estimateState = 'form';
    estimateBox.dataset.sig = 'form';
    fill(estimateBox, estimateForm(() => {
      estimateState = 'absent';
      unavailable(estimateBox, 'the cost calculator', 'POST ' + ESTIMATES_PATH);
    }));
  }

  async function refresh() {
    const caps = await offers().catch((e) => {
      if (e.status === 401) throw e;
      return {known: false, has: () => null, jobFields: new Set()};
    });
    showEstimateForm(caps);
    const data = await api('/api/v1/jobs?limit=' + JOBS_LIMIT);
    const jobs = (data && data.jobs) || [];
    const totals = jobTotals(jobs);
    setContent(stats, [totals.jobs, totals.usd, totals.onDemandUsd, totals.wastedUsd], () => totalStats(totals));
    if (totals.series.labels.length) {
      chart = lineChart(chartBox, chart, {
        label: 'Cumulative spend and on-demand equivalent over the jobs’ finish times',
        labels: totals.series.labels,
        money: true,
        series: [
          {label: 'spend', data: totals.series.spend},
          {label: 'on-demand equivalent', data: totals.series.onDemand, dashed: true},
        ],
      });
    } else if (!chart) {
      setContent(chartBox, 'empty', () => h('p', {class: 'empty'}, 'No finished jobs yet.'));
    }
    setContent(jobsTable, jobs.map((j) => [j.id, j.status, j.cost]), () => jobCostTable(jobs));
    await refreshCost(caps);
  }

  return {
    title: 'Savings',
    refresh,
    destroy() {
      if (chart) chart.destroy();
      if (poolChart) poolChart.destroy();
    },
  };
}

function totalStats(t) {
  const items = [
    ['Spent', usd(t.usd), 'spent'],
    ['On-demand equivalent', usd(t.onDemandUsd), 'on-demand'],
    ['Saved', usd(t.savedUsd) + (t.savingsPct === null ? '' : ` (${pct(t.savingsPct)})`), 'saved'],
  ];
  if (t.wastedUsd !== undefined) items.push(['Wasted work', usd(t.wastedUsd), 'wasted']);
  items.push(['Jobs counted', count(t.jobs), 'jobs']);
  return items.map(([label, value, name]) => h('li', {dataset: {stat: name}}, h('span', {class: 'label'}, label), h('span', {class: 'value'}, value)));
}

function jobCostTable(jobs) {
  const rows = jobs.filter((j) => j.cost).slice(0, 20);
  if (!rows.length) return h('p', {class: 'empty'}, 'No jobs yet.');
  const wasted = rows.some((j) => typeof j.cost.wastedUsd === 'number');
  return h(
    'table',
    null,
    h('caption', null, 'The latest jobs’ cost'),
    h(
      'thead',
      null,
      h('tr', null, ['Job', 'Status', 'Finished', 'Spend', 'On demand', 'Savings'].concat(wasted ? ['Wasted'] : []).map((c, i) => h('th', {scope: 'col', class: i >= 3 ? 'num' : null}, c))),
    ),
    h(
      'tbody',
      null,
      rows.map((j) =>
        h(
          'tr',
          null,
          h('td', null, h('a', {href: '#/jobs/' + encodeURIComponent(j.id)}, j.name || shortId(j.id))),
          h('td', null, j.status),
          h('td', null, j.finishedAt ? timeEl(j.finishedAt) : '—'),
          h('td', {class: 'num'}, usd(j.cost.usd)),
          h('td', {class: 'num'}, usd(j.cost.onDemandUsd)),
          h('td', {class: 'num'}, pct(j.cost.savingsPct)),
          wasted ? h('td', {class: 'num'}, usd(j.cost.wastedUsd)) : null,
        ),
      ),
    ),
  );
}

/** A value of an answer whose exact shape this page does not know: money by name, else as is. */
function value(key, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (/usd/i.test(key)) return usd(v);
    if (/pct|percent/i.test(key)) return pct(v);
    return num(v, 3);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return /(^|[a-z])(At|Until|from|to)$/.test(key) && !Number.isNaN(Date.parse(v)) ? timeEl(v) : v;
  return h('code', null, JSON.stringify(v));
}

/** "onDemandUsd" -> "on demand usd". */
function label(key) {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

function scalarFacts(obj) {
  const dl = h('dl', {class: 'facts'});
  for (const [k, v] of Object.entries(obj || {})) {
    if (v !== null && typeof v === 'object') continue;
    dl.append(h('dt', null, label(k)), h('dd', {dataset: {fact: k}}, value(k, v)));
  }
  return dl;
}

/** GET /api/v1/cost: its warnings, the total with a monthly projection, and a table per pool. */
function costReport(report) {
  const out = [];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  if (warnings.length) {
    out.push(
      h('div', {class: 'warnings', role: 'note', 'aria-labelledby': 'h-cost-warnings', id: 'cost-warnings'}, h('h3', {id: 'h-cost-warnings'}, 'Read this first'), h('ul', null, warnings.map((w) => h('li', null, w)))),
    );
  }
  const t = report.total && typeof report.total === 'object' ? report.total : null;
  if (t) {
    out.push(
      h(
        'ul',
        {class: 'stats', id: 'cost-total'},
        [
          ['Spent', usd(t.usd), 'usd'],
          ['On-demand equivalent', usd(t.onDemandUsd), 'on-demand'],
          ['Saved', usd((t.onDemandUsd || 0) - (t.usd || 0)) + (t.savingsPct === null || t.savingsPct === undefined ? '' : ` (${pct(t.savingsPct)})`), 'saved'],
          ['Wasted work', usd(t.wastedUsd), 'wasted'],
          ['Monthly projection', usd(t.monthlyProjectionUsd), 'monthly'],
          ['Machine hours', `${num(t.machineHours, 2)} (${num(t.busyHours, 2)} busy, ${num(t.idleHours, 2)} idle)`, 'hours'],
          ['Interruptions', `${count(t.interruptions)} (${num(t.interruptionsPerHour, 2)} per machine hour)`, 'interruptions'],
          ['Per 1,000 records', t.usdPer1000Records === null || t.usdPer1000Records === undefined ? '—' : usd(t.usdPer1000Records), 'per-1000'],
        ].map(([label, value, name]) => h('li', {dataset: {cost: name}}, h('span', {class: 'label'}, label), h('span', {class: 'value'}, value))),
      ),
      h('p', {class: 'hint'}, 'The monthly projection is this window’s rate over 730 hours. Pricing: ', pricingBadge(t.pricing) || '—'),
    );
  }
  const pools = Array.isArray(report.pools) ? report.pools : [];
  if (!pools.length) {
    out.push(h('p', {class: 'empty'}, 'No machine time in this window.'));
  } else {
    out.push(h('div', {class: 'table-wrap'}, poolCostTable(pools)));
  }
  return out;
}

function poolCostTable(pools) {
  const cols = ['Pool', 'Machine', 'Pricing', 'Price / h', 'Spend', 'On demand', 'Savings', 'Wasted', 'Machine h (busy / idle)', 'Interruptions (/ h)', 'Records', 'Per 1,000 records', 'Monthly projection'];
  return h(
    'table',
    {id: 'cost-pools'},
    h('caption', null, 'Cost per pool in the window'),
    h('thead', null, h('tr', null, cols.map((c, i) => h('th', {scope: 'col', class: i >= 3 ? 'num' : null}, c)))),
    h(
      'tbody',
      null,
      pools.map((p) =>
        h(
          'tr',
          {dataset: {pool: p.pool}},
          h('th', {scope: 'row'}, p.pool),
          h('td', null, [p.provider, p.instanceType, p.zone, p.lifecycle].filter(Boolean).join(' · ') || '—'),
          h('td', null, pricingBadge(p.pricing) || '—'),
          h('td', {class: 'num'}, usd(p.usdPerHour)),
          h('td', {class: 'num', dataset: {col: 'usd'}}, usd(p.usd)),
          h('td', {class: 'num'}, usd(p.onDemandUsd)),
          h('td', {class: 'num'}, pct(p.savingsPct)),
          h('td', {class: 'num'}, usd(p.wastedUsd)),
          h('td', {class: 'num'}, `${num(p.machineHours, 3)} (${num(p.busyHours, 3)} / ${num(p.idleHours, 3)})`),
          h('td', {class: 'num'}, `${count(p.interruptions)} (${num(p.interruptionsPerHour, 2)})`),
          h('td', {class: 'num'}, count(p.records)),
          h('td', {class: 'num'}, p.usdPer1000Records === null || p.usdPer1000Records === undefined ? '—' : usd(p.usdPer1000Records)),
          h('td', {class: 'num'}, usd(p.monthlyProjectionUsd)),
        ),
      ),
    ),
  );
}

/** POST /api/v1/estimates as a form; the options and the recommendation below it. */
function estimateForm(onAbsent) {
  const records = h('input', {id: 'est-records', type: 'number', min: 1, step: 1, placeholder: '10000000', inputmode: 'numeric'});
  const rps = h('input', {id: 'est-rps', type: 'number', min: 0, step: 'any', placeholder: '600', inputmode: 'decimal'});
  const instanceType = h('input', {id: 'est-instance-type', type: 'text', placeholder: 'm5.large', autocomplete: 'off'});
  const region = h('input', {id: 'est-region', type: 'text', placeholder: 'eu-west-1', autocomplete: 'off'});
  const workers = h('input', {id: 'est-workers', type: 'number', min: 1, step: 1, inputmode: 'numeric'});
  const deadline = h('input', {id: 'est-deadline', type: 'datetime-local', step: 1});
  const result = h('div', {id: 'estimate-result', 'aria-live': 'polite'});
  const button = h('button', {type: 'submit', class: 'primary'}, 'Estimate');
  const form = h(
    'form',
    {id: 'estimate-form', class: 'stacked', novalidate: true},
    h(
      'div',
      {class: 'grid2'},
      field('records', 'Records', records),
      field('recordsPerSecondPerWorker', 'Records per second per worker', rps, 'Measured on one worker of this instance type.'),
      field('instanceType', 'Instance type', instanceType),
      field('region', 'Region', region),
      field('workers', 'Workers (optional)', workers),
      field('deadline', 'Deadline (optional, your local time)', deadline),
    ),
    h('div', {class: 'buttons'}, button),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    button.disabled = true;
    try {
      const body = {
        records: numberValue(records),
        recordsPerSecondPerWorker: numberValue(rps),
        instanceType: textValue(instanceType),
        region: textValue(region),
        workers: numberValue(workers),
        deadline: deadline.value ? new Date(deadline.value).toISOString() : undefined,
      };
      const est = await api(ESTIMATES_PATH, {method: 'POST', body});
      fill(result, estimateResult(est));
      announce('Estimate ready.', 'ok');
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) onAbsent();
      else if (err instanceof ApiError && err.status !== 401) showProblem(form, err, err.fieldErrors.length ? 'The estimate needs changes: see below' : undefined);
    } finally {
      button.disabled = false;
    }
  });
  return [form, result];
}

function estimateResult(est) {
  const out = [];
  const rec = est.recommendation;
  const recommended = rec && typeof rec === 'object' ? rec.strategy : rec;
  if (rec) {
    out.push(
      h(
        'div',
        {class: 'panel', id: 'estimate-recommendation'},
        h('h3', null, 'Recommendation: ', badge(String(recommended), 'ok')),
        rec.reason ? h('p', null, rec.reason) : null,
      ),
    );
  }
  const options = Array.isArray(est.options) ? est.options : [];
  if (options.length) out.push(h('div', {class: 'table-wrap'}, optionTable(options, recommended)));
  const a = est.assumptions;
  if (a && typeof a === 'object' && !Array.isArray(a)) {
    out.push(h('h3', null, 'Assumptions'), scalarFacts(a));
    if (Array.isArray(a.notes) && a.notes.length) out.push(h('ul', {class: 'notes'}, a.notes.map((n) => h('li', null, String(n)))));
  } else if (Array.isArray(a)) {
    out.push(h('h3', null, 'Assumptions'), h('ul', null, a.map((x) => h('li', null, typeof x === 'string' ? x : JSON.stringify(x)))));
  }
  return out;
}

/** The simulated strategies, the recommended one marked in words (not only by its outline). */
function optionTable(options, recommended) {
  const deadline = options.some((o) => o.meetsDeadline !== null && o.meetsDeadline !== undefined);
  const range = (r, f) => (r && typeof r === 'object' ? `${f(r.min)} – ${f(r.max)}` : '—');
  const cols = ['Strategy', 'Cost', 'Cost range', 'Makespan (h)', 'Wasted', 'Interruptions', 'Records done twice', 'Savings'].concat(deadline ? ['Meets deadline'] : []);
  return h(
    'table',
    {id: 'estimate-options'},
    h('caption', null, 'Options, means over ' + (options[0].runs ?? 'several') + ' simulated runs'),
    h('thead', null, h('tr', null, cols.map((c, i) => h('th', {scope: 'col', class: i >= 1 && i < 8 ? 'num' : null}, c)))),
    h(
      'tbody',
      null,
      options.map((o) =>
        h(
          'tr',
          {dataset: {strategy: o.strategy}, class: o.strategy === recommended ? 'recommended' : null},
          h('th', {scope: 'row'}, o.strategy, o.strategy === recommended ? [' ', badge('recommended', 'ok')] : null),
          h('td', {class: 'num', dataset: {col: 'usd'}}, usd(o.usd)),
          h('td', {class: 'num'}, range(o.spread && o.spread.usd, usd)),
          h('td', {class: 'num'}, num(o.makespanHours, 2) + (o.spread && o.spread.makespanHours ? ` (${range(o.spread.makespanHours, (v) => num(v, 2))})` : '')),
          h('td', {class: 'num'}, usd(o.wastedUsd)),
          h('td', {class: 'num'}, num(o.interruptions, 2)),
          h('td', {class: 'num'}, count(o.recordsProcessedTwice)),
          h('td', {class: 'num'}, pct(o.savingsPct)),
          deadline ? h('td', null, o.meetsDeadline ? badge('yes', 'ok') : badge('no', 'bad')) : null,
        ),
      ),
    ),
  );
}
