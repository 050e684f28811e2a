// Shows an API problem on a form: each {field, message} of the problem's `errors` next to the
// control it concerns (aria-invalid, aria-describedby), and a summary at the top of the form that
// links to each field and takes the focus (the pattern the GOV.UK design system tested with users).

import {h} from './dom.js';

/**
 * A form field: a label, a control, an optional hint, and room for its error.
 * field(name, label, control, hint) where name is the API's field ("output.uri").
 */
export function field(name, label, control, hint) {
  const id = control.id || 'f-' + name.replace(/[^a-zA-Z0-9]+/g, '-');
  control.id = id;
  control.name = control.name || name;
  const hintId = hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    {class: 'field', dataset: {field: name}},
    h('label', {for: id}, label),
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    control,
  );
}

/** Removes every error shown on the form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error[data-generated]').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((c) => {
    c.removeAttribute('aria-invalid');
    const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && !x.endsWith('-error'));
    if (ids.length) c.setAttribute('aria-describedby', ids.join(' '));
    else c.removeAttribute('aria-describedby');
  });
  const summary = form.querySelector('.error-summary');
  if (summary) summary.remove();
}

/**
 * Shows an ApiError on a form. Field errors go next to their fields (an unknown field, e.g. one a
 * newer server checks, goes to the summary only); the summary lists them all and gets the focus.
 */
export function showProblem(form, error, title) {
  clearErrors(form);
  const items = [];
  for (const fe of error.fieldErrors) {
    const container = findField(form, fe.field);
    if (container) {
      const control = container.querySelector('input, select, textarea');
      const errId = (control ? control.id : 'field-' + fe.field.replace(/\W+/g, '-')) + '-error';
      const p = h('p', {class: 'field-error', id: errId, dataset: {generated: 'true'}}, fe.message);
      const existing = container.querySelector('.field-error[data-generated]');
      if (existing) {
        existing.append(h('br'), fe.message);
      } else if (container.tagName === 'FIELDSET') {
        container.querySelector('legend').after(p);
      } else {
        const after = control && control.parentElement === container ? control : container.lastElementChild;
        after.after(p);
      }
      const targets = container.tagName === 'FIELDSET' ? container.querySelectorAll('input, select, textarea') : control ? [control] : [];
      for (const c of targets) {
        if (c.type === 'radio' || c.closest('[hidden]')) continue;
        c.setAttribute('aria-invalid', 'true');
        const ids = new Set((c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
        ids.add(errId);
        c.setAttribute('aria-describedby', Array.from(ids).join(' '));
      }
      const focusTarget = targets.length ? Array.from(targets).find((c) => !c.closest('[hidden]')) : null;
      items.push(h('li', null, focusTarget ? h('a', {href: '#', dataset: {focus: focusTarget.id}}, fe.message) : fe.message));
    } else {
      items.push(h('li', null, fe.field + ': ' + fe.message));
    }
  }
  const p = error.problem || {};
  const summary = h(
    'div',
    {class: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': form.id + '-errors-title'},
    h('h2', {id: form.id + '-errors-title'}, title || p.title || 'The request was refused'),
    items.length ? null : h('p', null, error.message),
    items.length ? h('ul', null, items) : null,
  );
  summary.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-focus]');
    if (!a) return;
    e.preventDefault();
    const c = document.getElementById(a.dataset.focus);
    if (c) c.focus();
  });
  form.prepend(summary);
  summary.focus();
}

/**
 * The element that shows a field's error: the exact field ("output.uri"), else without an index
 * ("records[3]" -> "records"), else its parent ("input.format" -> "input").
 */
function findField(form, name) {
  let n = name;
  while (n) {
    const el = form.querySelector(`[data-field="${CSS.escape(n)}"]`);
    if (el && !el.closest('[hidden]')) return el;
    const stripped = n.replace(/\[\d+\]$/, '');
    if (stripped !== n) {
      n = stripped;
      continue;
    }
    const dot = n.lastIndexOf('.');
    n = dot > 0 ? n.slice(0, dot) : '';
  }
  return null;
}

/** A number from an input, or undefined when empty. */
export function numberValue(input) {
  const v = input.value.trim();
  return v === '' ? undefined : Number(v);
}

/** A trimmed text from an input, or undefined when empty. */
export function textValue(input) {
  const v = input.value.trim();
  return v === '' ? undefined : v;
}
