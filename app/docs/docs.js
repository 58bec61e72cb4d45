// The API reference page: reads the OpenAPI document this server serves and shows every
// operation, with a form that sends it to this same server ("try it"). Served by events-api
// itself from files compiled into it: no framework, no CDN, so it works offline. Everything
// taken from the document is put in the page as text, never as markup.
'use strict';

const documentUrl = '/api/v1/openapi.json';
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Response headers worth showing a person trying the API.
const shownHeaders = ['location', 'etag', 'link', 'retry-after', 'www-authenticate', 'allow',
  'x-request-id', 'content-type'];

let openapi = null;
let accessToken = '';

// element('p', {class: 'x'}, 'text', child): a new element; strings become text nodes.
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Text with `code` spans, as the document writes them.
function prose(text, tag = 'p', attributes = {}) {
  const parts = String(text || '').split('`');
  return element(tag, attributes, parts.map((part, i) => (i % 2 ? element('code', {}, part) : part)));
}

// Follows local references ("#/components/schemas/Event"); other references stay as they are.
function resolve(node) {
  for (let hops = 0; node && typeof node.$ref === 'string' && hops < 32; hops++) {
    if (!node.$ref.startsWith('#/')) return node;
    node = node.$ref.slice(2).split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((parent, key) => (parent == null ? undefined : parent[key]), openapi);
  }
  return node || {};
}

function mainType(schema) {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

// A value the schema accepts, for a request body to start from.
function sample(schemaOrRef, name = '', depth = 0) {
  const schema = resolve(schemaOrRef);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (depth > 8) return null;
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => sample(part, name, depth + 1)));
  }
  for (const choice of ['oneOf', 'anyOf']) {
    if (Array.isArray(schema[choice]) && schema[choice].length) {
      return sample(schema[choice][0], name, depth + 1);
    }
  }
  switch (mainType(schema)) {
    case 'object': {
      const value = {};
      for (const [key, property] of Object.entries(schema.properties || {})) {
        if (!resolve(property).readOnly) value[key] = sample(property, key, depth + 1);
      }
      return value;
    }
    case 'array': return schema.items ? [sample(schema.items, name, depth + 1)] : [];
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return false;
    case 'string': return sampleString(schema, name);
    default: return null;
  }
}

function sampleString(schema, name) {
  if (schema.format === 'date-time') {
    return name.startsWith('ends') ? '2027-03-01T17:00:00Z' : '2027-03-01T09:00:00Z';
  }
  if (schema.format === 'uuid') return '0192d3c4-0000-7000-8000-000000000000';
  if (schema.format === 'email' || /email/.test(name)) return 'ada@example.com';
  if (/password/.test(name)) return 'correct horse battery staple';
  if (name === 'title') return 'Spring launch webinar';
  if (name === 'description') return 'Product walkthrough for the spring release';
  return 'text';
}

// An operation's parameters: the path item's, then the operation's own (which win).
function parametersOf(pathItem, operation) {
  const byKey = new Map();
  for (const parameter of [...(pathItem.parameters || []), ...(operation.parameters || [])]) {
    const resolved = resolve(parameter);
    byKey.set(`${resolved.in}:${resolved.name}`, resolved);
  }
  return [...byKey.values()];
}

function isSecured(operation) {
  const security = operation.security ?? openapi.security ?? [];
  return security.length > 0 && security.every((requirement) => Object.keys(requirement).length);
}

function schemaSummary(schemaOrRef) {
  const schema = resolve(schemaOrRef);
  const parts = [mainType(schema) || (schemaOrRef && schemaOrRef.$ref ? schemaOrRef.$ref.split('/').pop() : '')];
  if (schema.format) parts.push(schema.format);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(', ')}`);
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`≥ ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} characters`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.filter(Boolean).join('; ');
}

function parametersTable(parameters) {
  return element('table', {},
    element('thead', {}, element('tr', {}, ['Name', 'In', 'Type', 'Description'].map((h) => element('th', {}, h)))),
    element('tbody', {}, parameters.map((parameter) => element('tr', {},
      element('td', {}, element('code', {}, parameter.name), parameter.required ? element('span', { class: 'required' }, ' *') : ''),
      element('td', {}, parameter.in),
      element('td', {}, schemaSummary(parameter.schema || {})),
      element('td', {}, prose(parameter.description || resolve(parameter.schema || {}).description || '', 'span'))))));
}

function propertiesTable(schemaOrRef) {
  const schema = resolve(schemaOrRef);
  const required = new Set(schema.required || []);
  const rows = Object.entries(schema.properties || {}).map(([name, property]) => element('tr', {},
    element('td', {}, element('code', {}, name), required.has(name) ? element('span', { class: 'required' }, ' *') : ''),
    element('td', {}, schemaSummary(property)),
    element('td', {}, prose(resolve(property).description || '', 'span'))));
  if (!rows.length) return null;
  return element('table', {},
    element('thead', {}, element('tr', {}, ['Member', 'Type', 'Description'].map((h) => element('th', {}, h)))),
    element('tbody', {}, rows));
}

function responsesTable(responses) {
  return element('table', {},
    element('thead', {}, element('tr', {}, element('th', {}, 'Status'), element('th', {}, 'Meaning'))),
    element('tbody', {}, Object.entries(responses || {}).map(([status, response]) => element('tr', {},
      element('td', {}, element('code', {}, status)),
      element('td', {}, prose(resolve(response).description || '', 'span'))))));
}

// The "try it" form of one operation, and what happens when it is sent.
function tryForm(operation) {
  const fields = operation.parameters.map((parameter) => {
    const id = `${operation.id}-${parameter.in}-${parameter.name}`;
    const schema = resolve(parameter.schema || {});
    const input = Array.isArray(schema.enum)
      ? element('select', { id, name: `${parameter.in}:${parameter.name}` },
        element('option', { value: '' }, '(not sent)'),
        schema.enum.map((value) => element('option', { value }, value)))
      : element('input', { id, name: `${parameter.in}:${parameter.name}`, spellcheck: 'false',
        placeholder: parameter.example !== undefined ? `e.g. ${parameter.example}` : '' });
    return [element('label', { for: id }, `${parameter.name} (${parameter.in})`,
      parameter.required ? element('span', { class: 'required' }, ' *') : ''), input];
  });
  let body = null;
  let contentType = null;
  if (operation.body) {
    const types = Object.keys(operation.body.content || {});
    contentType = element('select', { name: 'content-type', 'aria-label': 'Content-Type' },
      types.map((type) => element('option', { value: type }, type)));
    const media = operation.body.content[types[0]] || {};
    const start = media.example !== undefined ? media.example : sample(media.schema || {});
    body = element('textarea', { name: 'body', spellcheck: 'false', 'aria-label': 'Request body' },
      JSON.stringify(start, null, 2));
  }
  const result = element('div', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const form = element('form', { class: 'try', 'data-try': operation.id },
    element('h3', {}, 'Try it'),
    fields,
    body ? [element('label', {}, 'Request body'), contentType, body] : null,
    element('button', { type: 'submit' }, `Send ${operation.method.toUpperCase()}`),
    result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(operation, form, result);
  });
  return form;
}

async function send(operation, form, result) {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers = {};
  for (const parameter of operation.parameters) {
    const value = form.elements[`${parameter.in}:${parameter.name}`].value.trim();
    if (value === '') {
      if (parameter.required) {
        showFailure(result, `Fill in ${parameter.name}: it is required.`);
        return;
      }
      continue;
    }
    // Dots too: fetch would resolve a lone ".." segment, sending something else than shown.
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value).replace(/\./g, '%2E'));
    else if (parameter.in === 'query') query.append(parameter.name, value);
    else if (parameter.in === 'header') headers[parameter.name] = value;
  }
  if (operation.secured) {
    if (!accessToken) {
      showFailure(result, 'This operation needs an access token: send "Log in" first (its token is used from then on), or paste one at the top.');
      return;
    }
    headers.Authorization = `Bearer ${accessToken}`;
  }
  let body;
  if (operation.body) {
    headers['Content-Type'] = form.elements['content-type'].value;
    body = form.elements.body.value;
  }
  const url = path + (query.toString() ? `?${query}` : '');
  const started = performance.now();
  result.replaceChildren(element('p', { class: 'muted' }, `Sending ${operation.method.toUpperCase()} ${url} …`));
  let response;
  let text;
  try {
    response = await fetch(url, { method: operation.method.toUpperCase(), headers, body, credentials: 'omit', cache: 'no-store', redirect: 'manual' });
    text = await response.text();
  } catch (error) {
    showFailure(result, `The request did not reach the server (${error.message}). Is events-api still running?`);
    return;
  }
  const took = Math.round(performance.now() - started);
  let shown = text;
  let json = null;
  try {
    json = JSON.parse(text);
    shown = JSON.stringify(json, null, 2);
  } catch { /* not JSON: shown as it came */ }
  const headerLines = shownHeaders
    .filter((name) => response.headers.has(name))
    .map((name) => `${name}: ${response.headers.get(name)}`).join('\n');
  result.replaceChildren(
    element('p', { class: `result-status ${response.ok ? 'ok' : 'failed'}`, 'data-status': response.status },
      `${response.status} ${response.statusText}`, element('span', { class: 'muted' }, ` in ${took} ms`)),
    element('p', { class: 'muted' }, `${operation.method.toUpperCase()} ${url}`),
    headerLines ? element('pre', { class: 'result-headers' }, headerLines) : null,
    shown ? element('pre', { class: 'result-body' }, shown) : null);
  if (response.ok && json) remember(json, operation, response);
}

function showFailure(result, message) {
  result.replaceChildren(element('p', { class: 'result-status failed' }, message));
}

// What later calls need from this answer: the access token of a login or refresh (used for
// every secured operation), the refresh token (put into refresh and log out), and the id and
// ETag of a resource just created or read, put together into the forms of that resource
// (/api/v1/events/{id} after /api/v1/events) whose id is empty or the same: a form never gets
// one resource's id with another's ETag, and an id the user typed is kept.
function remember(json, operation, response) {
  if (typeof json.access_token === 'string') setToken(json.access_token, `from ${operation.summary || operation.id}`);
  if (typeof json.refresh_token === 'string') {
    for (const textarea of document.querySelectorAll('form.try textarea[name="body"]')) {
      try {
        const value = JSON.parse(textarea.value);
        if (value && typeof value === 'object' && 'refresh_token' in value) {
          value.refresh_token = json.refresh_token;
          textarea.value = JSON.stringify(value, null, 2);
        }
      } catch { /* a body the user is editing: left alone */ }
    }
  }
  if (typeof json.id !== 'string') return;
  const resource = operation.path.replace(/\/\{[^}]+\}.*$/, '');
  const etag = response.headers.get('etag');
  for (const form of document.querySelectorAll('form.try')) {
    const owner = openapi.operationsById.get(form.dataset.try);
    const id = form.elements['path:id'];
    if (!owner || !id || !owner.path.startsWith(`${resource}/{`)) continue;
    if (id.value !== '' && id.value !== json.id) continue;
    id.value = json.id;
    const ifMatch = form.elements['header:If-Match'];
    if (ifMatch && etag) ifMatch.value = etag;
  }
}

function setToken(token, origin) {
  accessToken = token;
  document.getElementById('token').value = token;
  document.getElementById('token-state').textContent = token ? `set ${origin}` : 'none';
}

function operationSection(operation) {
  const secured = operation.secured
    ? element('span', { class: 'lock', title: 'Needs an access token' }, 'needs a token')
    : element('span', { class: 'lock' }, 'public');
  const bodySchema = operation.body
    ? (Object.values(operation.body.content || {})[0] || {}).schema : null;
  return element('details', { class: 'operation', id: `op-${operation.id}`, 'data-operation': operation.id,
    'data-method': operation.method.toUpperCase(), 'data-path': operation.path },
  element('summary', {},
    element('span', { class: `method ${operation.method}` }, operation.method.toUpperCase()),
    element('span', { class: 'path' }, operation.path),
    element('span', {}, operation.summary || ''),
    secured),
  element('div', { class: 'operation-body' },
    operation.description ? prose(operation.description) : null,
    operation.parameters.length ? [element('h3', {}, 'Parameters'), parametersTable(operation.parameters)] : null,
    bodySchema ? [element('h3', {}, 'Request body'), propertiesTable(bodySchema)] : null,
    element('h3', {}, 'Responses'), responsesTable(operation.responses),
    tryForm(operation)));
}

function collectOperations() {
  const operations = [];
  for (const [path, pathItem] of Object.entries(openapi.paths || {})) {
    for (const method of methods) {
      const operation = pathItem[method];
      if (!operation) continue;
      operations.push({
        id: operation.operationId || `${method}-${path}`.replace(/[^A-Za-z0-9_-]/g, '_'),
        method, path,
        summary: operation.summary, description: operation.description,
        tag: (operation.tags || ['other'])[0],
        parameters: parametersOf(pathItem, operation),
        body: operation.requestBody ? resolve(operation.requestBody) : null,
        responses: operation.responses,
        secured: isSecured(operation),
      });
    }
  }
  return operations;
}

function render() {
  document.title = `${openapi.info.title} ${openapi.info.version} — API reference`;
  document.getElementById('title').textContent = openapi.info.title;
  document.getElementById('version').textContent = `Version ${openapi.info.version} · OpenAPI ${openapi.openapi}`;
  document.getElementById('description').replaceChildren(prose(openapi.info.description, 'span'));
  const operations = collectOperations();
  openapi.operationsById = new Map(operations.map((operation) => [operation.id, operation]));
  const tags = [...(openapi.tags || []).map((tag) => tag.name)];
  for (const operation of operations) if (!tags.includes(operation.tag)) tags.push(operation.tag);
  const main = document.getElementById('operations');
  const contents = document.getElementById('contents');
  main.replaceChildren();
  contents.replaceChildren();
  for (const tag of tags) {
    const inTag = operations.filter((operation) => operation.tag === tag);
    if (!inTag.length) continue;
    const described = (openapi.tags || []).find((known) => known.name === tag);
    contents.append(element('a', { href: `#tag-${tag}` }, tag));
    main.append(element('section', { id: `tag-${tag}`, 'data-tag': tag },
      element('h2', {}, tag),
      described && described.description ? prose(described.description, 'p', { class: 'tag-description' }) : null,
      inTag.map(operationSection)));
  }
  document.body.dataset.ready = String(operations.length);
}

async function start() {
  const tokenInput = document.getElementById('token');
  tokenInput.addEventListener('input', () => {
    accessToken = tokenInput.value.trim();
    document.getElementById('token-state').textContent = accessToken ? 'set by hand' : 'none';
  });
  document.getElementById('forget').addEventListener('click', () => setToken('', ''));
  try {
    const response = await fetch(documentUrl, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${documentUrl} answered ${response.status}`);
    openapi = await response.json();
    render();
  } catch (error) {
    document.getElementById('operations').replaceChildren(element('p', { class: 'result-status failed', id: 'load-failure' },
      `Could not load the OpenAPI document (${error.message}). Is events-api running? Reload to retry.`));
    document.body.dataset.ready = 'failed';
  }
}

start();
