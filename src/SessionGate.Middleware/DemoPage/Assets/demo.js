// The demo page's script (a module; the page's CSP allows no inline script). The widget and the
// client come from the bundle of clients/js, served beside this file.
import { readProblem } from './sessiongate-client.js';

const $ = (id) => document.getElementById(id);
const widget = $('session-key');

// {PathPrefix}/demo → {PathPrefix}
const pathPrefix = location.pathname.replace(/\/demo\/?$/, '');
widget.setAttribute('path-prefix', pathPrefix);
const params = new URLSearchParams(location.search);
if (params.get('account')) widget.setAttribute('account', params.get('account'));
if (params.get('path')) $('call-path').value = params.get('path');

function show(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

$('register').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('register-result');
  const key = widget.key;
  if (!key) return show(result, 'Create a key first.', true);
  show(result, 'Registering…');
  try {
    const response = await fetch(`${pathPrefix}/admin/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${$('admin-key').value}` },
      body: JSON.stringify({ publicKey: key.publicKey, account: key.account, expires: key.expires }),
    });
    const problem = await readProblem(response);
    if (problem) return show(result, `${response.status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? ''}`, true);
    if (!response.ok) return show(result, `${response.status} ${response.statusText}`, true);
    const record = await response.json();
    await widget.setExpiry(record.expires);
    show(result, `${response.status}: ${record.publicKey} registered for ${record.account} until ${record.expires}`);
  } catch (error) {
    show(result, `Failed: ${error.message}`, true);
  }
});

$('call').addEventListener('submit', async (event) => {
  event.preventDefault();
  const client = widget.client;
  if (!client) return show($('call-status'), 'Create a key first.', true);
  show($('call-status'), 'Calling…');
  try {
    const { response, status, problem } = await client.request($('call-path').value);
    show($('call-status'), `${status} ${response.statusText}`, !response.ok);
    show($('call-policy'), response.headers.get('RateLimit-Policy') ?? '–');
    show($('call-ratelimit'), response.headers.get('RateLimit') ?? '–');
    show($('call-retry'), response.headers.get('Retry-After') ?? '–');
    show($('call-problem'), problem ? `${problem.code}: ${problem.detail ?? problem.title}` : '–', !!problem);
    $('call-body').textContent = await response.text();
  } catch (error) {
    show($('call-status'), `Failed: ${error.message}`, true);
  }
});
