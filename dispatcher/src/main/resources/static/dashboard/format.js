// Formatting of money, percentages, counts, times and durations for people.

const nf = new Intl.NumberFormat(undefined);

/** Dollars: cents for sums of a dollar or more, enough digits to see small sums. */
export function usd(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  const n = Number(v);
  const abs = Math.abs(n);
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
  return '$' + n.toLocaleString(undefined, {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

export function pct(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return Number(v).toLocaleString(undefined, {maximumFractionDigits: 1}) + ' %';
}

export function count(v) {
  if (v === null || v === undefined) return '—';
  return nf.format(Number(v));
}

export function num(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return Number(v).toLocaleString(undefined, {maximumFractionDigits: digits});
}

/** An instant as local date and time (seconds shown); '—' when absent. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'})
    : d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}

/** A <time> element with the machine-readable instant and a readable text. */
export function timeEl(iso, text) {
  const t = document.createElement('time');
  if (iso) t.dateTime = iso;
  t.textContent = text ?? when(iso);
  if (iso) t.title = new Date(iso).toString();
  return t;
}

/** A duration in ms as "1 h 4 min", "3 min 5 s", "12 s", "0.4 s". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const neg = ms < 0;
  let s = Math.abs(ms) / 1000;
  let out;
  if (s < 10) out = s.toFixed(1).replace(/\.0$/, '') + ' s';
  else if (s < 60) out = Math.round(s) + ' s';
  else if (s < 3600) out = Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  else if (s < 86400) out = Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  else out = Math.floor(s / 86400) + ' d ' + Math.round((s % 86400) / 3600) + ' h';
  return neg ? '-' + out : out;
}

/** Time between two instants (the second defaults to now). */
export function between(fromIso, toIso) {
  if (!fromIso) return '—';
  const to = toIso ? new Date(toIso) : new Date();
  return duration(to - new Date(fromIso));
}

/** "in 3 min" / "5 s ago". */
export function relative(iso) {
  if (!iso) return '';
  const ms = new Date(iso) - new Date();
  return ms >= 0 ? 'in ' + duration(ms) : duration(-ms) + ' ago';
}

/** A short form of a UUID-like id for tables. */
export function shortId(id) {
  return id && id.length > 16 ? id.slice(0, 8) + '…' : id;
}

/** A badge tone for a job status. */
export function jobTone(status) {
  switch (status) {
    case 'SUCCEEDED':
      return 'ok';
    case 'FAILED':
      return 'bad';
    case 'RUNNING':
      return 'info';
    case 'CANCELLED':
      return 'warn';
    default:
      return 'muted';
  }
}

/** A badge tone for a worker state. */
export function workerTone(state) {
  switch (state) {
    case 'RUNNING':
      return 'ok';
    case 'DRAINING':
      return 'warn';
    case 'LOST':
      return 'bad';
    case 'STARTING':
      return 'info';
    default:
      return 'muted';
  }
}

/** "SPOT" -> "spot", "ON_DEMAND" -> "on-demand". */
export function word(enumName) {
  return enumName ? String(enumName).toLowerCase().replace(/_/g, '-') : '—';
}
