// Small DOM helpers. Text from the API always goes in as text (never as HTML), so a job name or
// an error message cannot inject markup.

/**
 * Creates an element: h('a', {href: '#/jobs', class: 'x'}, 'text', child, [more]).
 * Attributes named on* are event listeners; null/undefined/false attributes are left out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k in el && typeof v !== 'string') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it changed (no flicker, no repeated screen-reader announcements). */
export function setText(el, text) {
  const t = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}

/**
 * Keeps a container's children in step with a list, by key: existing nodes are updated in place
 * (so focus, open <details> and a half-chosen <select> survive a refresh), new ones are created,
 * gone ones removed, and the order follows the list.
 */
export function syncKeyed(container, items, key, create, update) {
  const existing = new Map();
  for (const child of Array.from(container.children)) {
    if (child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  let prev = null;
  for (const item of items) {
    const k = String(key(item));
    let node = existing.get(k);
    if (node) {
      existing.delete(k);
    } else {
      node = create(item);
      node.dataset.key = k;
    }
    update(node, item);
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== node) container.insertBefore(node, want);
    prev = node;
  }
  for (const gone of existing.values()) gone.remove();
}

let noticeTimer = null;

/** Says something in the notice bar (role=status, read out politely). */
export function announce(message, kind = 'info') {
  const el = document.getElementById('notice');
  if (!el) return;
  clearTimeout(noticeTimer);
  el.dataset.kind = kind;
  el.textContent = message;
  if (kind !== 'error') {
    noticeTimer = setTimeout(() => {
      el.textContent = '';
    }, 12000);
  }
}

/** A definition list from [label, value] pairs; pairs with an undefined value are left out. */
export function facts(pairs, attrs) {
  const dl = h('dl', Object.assign({class: 'facts'}, attrs || {}));
  for (const [label, value, dataName] of pairs) {
    if (value === undefined) continue;
    dl.append(h('dt', null, label), h('dd', dataName ? {dataset: {fact: dataName}} : null, value ?? '—'));
  }
  return dl;
}

/** A status badge whose colour follows its word. */
export function badge(text, tone) {
  return h('span', {class: 'badge', dataset: {tone: tone || 'muted'}}, text);
}

/**
 * Rebuilds an element's content only when its signature changed, so a refresh that brings the
 * same data touches nothing (focus and screen-reader position stay put).
 */
export function setContent(el, signature, build) {
  const sig = typeof signature === 'string' ? signature : JSON.stringify(signature);
  if (el.dataset.sig === sig) return false;
  el.dataset.sig = sig;
  const content = build();
  el.replaceChildren();
  append(el, Array.isArray(content) ? content : [content]);
  return true;
}
