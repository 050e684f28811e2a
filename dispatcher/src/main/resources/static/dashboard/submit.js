// #/submit: a form for POST /api/v1/jobs. The server validates; its problem+json errors appear
// next to the fields they concern (forms.js). Deadline and priority appear when the server's job
// request has them. A job names a built-in model or its own model's location, and a task chain
// with its options (README: Models and tasks).

import {api, offers} from './api.js';
import {announce, fill, h} from './dom.js';
import {clearErrors, field, numberValue, showProblem, textValue} from './forms.js';
import {ApiError} from './api.js';

const DEFAULT_MODEL = 'all-minilm-l6-v2';

/**
 * Inline records from a textarea: one per line, a JSON object as is, any other text as
 * {"id": "<line number>", "text": <the line>}.
 */
export function parseRecords(text) {
  const records = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (line.startsWith('{')) {
      let r;
      try {
        r = JSON.parse(line);
      } catch (e) {
        throw new ApiError(400, {errors: [{field: 'records', message: `line ${i + 1} starts like a JSON object but is not valid JSON (${e.message}); fix it or remove the leading {`}]}, 'invalid records');
      }
      records.push(r);
    } else {
      records.push({id: String(i + 1), text: line});
    }
  }
  return records;
}

export function submitView(main, {navigate}) {
  const name = h('input', {type: 'text', autocomplete: 'off'});
  const model = h('input', {type: 'text', value: DEFAULT_MODEL, autocomplete: 'off'});
  const modelUri = h('input', {type: 'text', placeholder: 'file:///…/models/my-model/  or  s3://bucket/models/my-model/', autocomplete: 'off', spellcheck: 'false'});
  const modelInput = h('input', {type: 'text', placeholder: 'passage', autocomplete: 'off'});
  const tasks = h('input', {type: 'text', placeholder: 'embed', autocomplete: 'off', spellcheck: 'false'});
  const options = h('textarea', {rows: 3, spellcheck: 'false', placeholder: '{"chunk": {"maxTokens": 256, "overlap": 32}, "clean": {"html": true}}'});
  const byUri = h('input', {type: 'radio', name: 'input-mode', value: 'uri', id: 'mode-uri', checked: true});
  const byRecords = h('input', {type: 'radio', name: 'input-mode', value: 'records', id: 'mode-records'});
  const inputUri = h('input', {type: 'text', placeholder: 'file:///…/docs.jsonl  or  s3://bucket/docs/', autocomplete: 'off', spellcheck: 'false'});
  const textField = h('input', {type: 'text', placeholder: 'text', autocomplete: 'off'});
  const idField = h('input', {type: 'text', placeholder: 'id', autocomplete: 'off'});
  const records = h('textarea', {rows: 6, spellcheck: 'false'});
  const outputUri = h('input', {type: 'text', placeholder: 'file:///…/out/docs/  or  s3://bucket/out/docs/', autocomplete: 'off', spellcheck: 'false', 'aria-required': 'true'});
  const outputFormat = h('select', null, h('option', {value: 'jsonl'}, 'JSON lines (jsonl)'), h('option', {value: 'npy'}, 'NumPy float32 (npy)'));
  const itemBytes = h('input', {type: 'number', min: 1024, step: 1, placeholder: '1048576', inputmode: 'numeric'});
  const maxAttempts = h('input', {type: 'number', min: 1, step: 1, placeholder: '3', inputmode: 'numeric'});
  const deadline = h('input', {type: 'datetime-local', step: 1});
  const priority = h('input', {type: 'number', step: 1, placeholder: '0', inputmode: 'numeric'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'submit-job'}, 'Submit job');

  const uriBox = h(
    'div',
    {id: 'input-uri-box'},
    field('input.uri', 'Input URI', inputUri, 'One JSONL object, or a prefix (ending in /) of objects; it must lie under the allowed roots.'),
    h('div', {class: 'grid2'}, field('input.textField', 'Text field', textField, 'Default: text'), field('input.idField', 'Id field', idField, 'Default: <object>:<byte offset>')),
  );
  const recordsBox = h(
    'div',
    {id: 'input-records-box', hidden: true},
    field('records', 'Records', records, 'One record per line: a JSON object such as {"id": "a", "text": "…"}, or plain text (its line number becomes its id).'),
  );
  const scheduling = h(
    'fieldset',
    {id: 'scheduling', hidden: true},
    h('legend', null, 'Scheduling'),
    h('div', {class: 'grid2'}, field('deadline', 'Deadline (your local time)', deadline, 'The autoscaler sizes the fleet to finish before it.'), field('priority', 'Priority', priority, 'Higher runs first.')),
  );
  const form = h(
    'form',
    {id: 'submit-form', class: 'stacked', novalidate: true, 'aria-describedby': 'submit-intro'},
    field('name', 'Name', name, 'For people; optional.'),
    h(
      'fieldset',
      {id: 'model-fieldset'},
      h('legend', null, 'Model and tasks'),
      field('model', 'Built-in model', model, 'Built in: ' + DEFAULT_MODEL + ' (384-dimensional sentence embeddings). Needed unless the tasks use no model (chunk, clean, plugin) or you give your own below.'),
      h('div', {class: 'grid2'}, field('model.uri', 'Your own model (location)', modelUri, 'A prefix under the model roots holding model.onnx, tokenizer.json and spotbatch-model.json; replaces the built-in model.'), field('model.input', 'Model input prefix', modelInput, "One of the model's prefixes (e5: passage or query); optional.")),
      field('tasks', 'Tasks', tasks, 'The chain, comma-separated: clean, chunk, then one of embed, classify, similarity, plugin. Default: embed.'),
      field('options', 'Task options (JSON)', options, 'Optional, e.g. {"classify": {"labels": {"sport": "a text about sport"}}}.'),
    ),
    h(
      'fieldset',
      {dataset: {field: 'input'}, id: 'input-fieldset'},
      h('legend', null, 'Input'),
      h('div', {class: 'radios'}, h('label', null, byUri, 'Objects by URI'), h('label', null, byRecords, 'Records typed here')),
      uriBox,
      recordsBox,
    ),
    h('fieldset', {dataset: {field: 'output'}}, h('legend', null, 'Output'), field('output.uri', 'Output URI (required)', outputUri, 'A prefix: the parts and the _SUCCESS manifest are written under it.'), field('output.format', 'Format', outputFormat, 'npy: one NumPy array of float32 vectors per part, the ids in a .ids.jsonl beside it; for tasks ending with embed.')),
    h('fieldset', null, h('legend', null, 'Work items'), h('div', {class: 'grid2'}, field('itemBytes', 'Bytes per work item', itemBytes, 'Default 1 MiB; 1 KiB to 1 GiB.'), field('maxAttempts', 'Attempts per item', maxAttempts, 'Failures allowed before an item fails for good; interruptions do not count.'))),
    scheduling,
    h('div', {class: 'buttons'}, submit),
  );
  fill(main, h('h1', null, 'Submit a job'), h('p', {class: 'sub', id: 'submit-intro'}, 'The dispatcher checks the job and answers at once; work starts when it is planned.'), form);

  function syncMode() {
    const records = byRecords.checked;
    uriBox.hidden = records;
    recordsBox.hidden = !records;
  }
  byUri.addEventListener('change', syncMode);
  byRecords.addEventListener('change', syncMode);

  offers()
    .then((caps) => {
      scheduling.hidden = !(caps.jobFields.has('deadline') || caps.jobFields.has('priority'));
      deadline.closest('.field').hidden = !caps.jobFields.has('deadline');
      priority.closest('.field').hidden = !caps.jobFields.has('priority');
    })
    .catch(() => {});

  /** The model (a built-in name, or a location) and the task chain with its options. */
  function modelAndTasks() {
    const out = {};
    const uri = textValue(modelUri);
    const named = textValue(model);
    const input = textValue(modelInput);
    if (uri) {
      // the pre-filled built-in name gives way to a location; a name typed beside one is sent, and refused
      out.model = {uri, input, name: named === DEFAULT_MODEL ? undefined : named};
    } else {
      out.model = input ? {name: named, input} : named ?? '';
    }
    const chain = (textValue(tasks) || '').split(',').map((t) => t.trim()).filter(Boolean);
    if (chain.length) out.tasks = chain;
    const o = textValue(options);
    if (o) {
      let parsed;
      try {
        parsed = JSON.parse(o);
      } catch (e) {
        throw new ApiError(400, {errors: [{field: 'options', message: `not valid JSON (${e.message}); give an object such as {"chunk": {"maxTokens": 256}}`}]}, 'invalid options');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ApiError(400, {errors: [{field: 'options', message: 'give a JSON object, e.g. {"chunk": {"maxTokens": 256}}'}]}, 'invalid options');
      }
      out.options = parsed;
    }
    return out;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    submit.disabled = true;
    try {
      const body = {name: textValue(name), ...modelAndTasks()};
      if (byRecords.checked) {
        body.records = parseRecords(records.value);
      } else {
        body.input = {uri: textValue(inputUri) ?? '', format: 'jsonl', textField: textValue(textField), idField: textValue(idField)};
      }
      body.output = {uri: textValue(outputUri) ?? '', format: outputFormat.value};
      body.itemBytes = numberValue(itemBytes);
      body.maxAttempts = numberValue(maxAttempts);
      if (!scheduling.hidden) {
        if (deadline.value) body.deadline = new Date(deadline.value).toISOString();
        body.priority = numberValue(priority);
      }
      const job = await api('/api/v1/jobs', {method: 'POST', body});
      announce(`Job ${job.name || job.id} submitted.`, 'ok');
      navigate('#/jobs/' + encodeURIComponent(job.id));
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) {
        showProblem(form, err, err.fieldErrors.length ? 'The job was not accepted: fix what is marked below' : undefined);
      } else if (err.status !== 401) {
        announce(String(err.message || err), 'error');
      }
    } finally {
      submit.disabled = false;
    }
  });

  return {title: 'Submit a job'};
}
