// The demo page's script (a module; the page's CSP allows no inline script). The widget and the
// client come from the bundle of clients/js, served beside this file; the widget's Connect wallet
// grants the key with the wallet's signature (SessionGate:Grants, which `sessiongate demo` switches on).
import './sessiongate-client.js';

const $ = (id) => document.getElementById(id);
const widget = $('session-key');

// {PathPrefix}/demo → {PathPrefix}
const pathPrefix = location.pathname.replace(/\/demo\/?$/, '');
widget.setAttribute('path-prefix', pathPrefix);
// One line the wallet shows above the key in its approval window.
widget.setAttribute('statement', 'Allow this browser to call the SessionGate demo API for a day.');
const params = new URLSearchParams(location.search);
if (params.get('account')) widget.setAttribute('account', params.get('account'));
// The grant names the gateway's SessionGate:Grants:Domain; the page's own host[:port] unless told otherwise.
if (params.get('domain')) widget.setAttribute('domain', params.get('domain'));
if (params.get('chain-id')) widget.setAttribute('chain-id', params.get('chain-id'));
if (params.get('path')) $('call-path').value = params.get('path');

function show(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

$('call').addEventListener('submit', async (event) => {
  event.preventDefault();
  const client = widget.client;
  if (!client) return show($('call-status'), 'Connect a wallet (or create a key) first.', true);
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
