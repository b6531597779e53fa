// Wallet-signed grants (docs/grants.md): the account owner binds the browser's session key to the
// account with one ADR-036 signature from a Keplr-compatible wallet, and can revoke it the same way.
// The message is built exactly as the gateway parses it; what the wallet's signArbitrary returns is
// posted untouched. The wallet is any object with Keplr's getKey(chainId) and
// signArbitrary(chainId, signer, data): window.keplr, or a test double.
import { readProblem } from './responses.js';
import { SessionKeyStore } from './keystore.js';

const DEFAULT_USE_CASE = 'frontend_session_key';
const DEFAULT_LIFETIME_MS = 86_400_000;
const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SESSION_KEY = /^0x[0-9a-f]{64}$/;

/** The gateway refused a grant or revocation, or could not be asked. */
export class GrantError extends Error {
  /** @param {string} message @param {{ status?: number, problem?: any, cause?: unknown }} [details] */
  constructor(message, { status, problem, cause } = {}) {
    super(message, { cause });
    this.name = 'GrantError';
    /** The HTTP status of the refusal, if there was an answer. */
    this.status = status ?? null;
    /** Its problem details (`code`, `detail`, `errors`), if any. */
    this.problem = problem ?? null;
  }
}

/**
 * The grant message of docs/grants.md §1 (lines joined by "\n", no trailing newline).
 * @param {{ domain: string, account: string, publicKey: string, chainId: string, nonce: string,
 *           issuedAt: Date | string, expires: Date | string, useCase?: string, statement?: string,
 *           scopes?: ({ path: string, methods?: string[] } | string)[] }} fields
 * @returns {string}
 */
export function grantMessage({ domain, account, publicKey, chainId, nonce, issuedAt, expires, useCase = DEFAULT_USE_CASE, statement, scopes = [] }) {
  const lines = head(domain, ' wants you to grant a session key to your account:', account, statement, publicKey);
  lines.push(`Use Case: ${useCase}`, `Chain ID: ${chainId}`, `Nonce: ${nonce}`, `Issued At: ${rfc3339(issuedAt)}`, `Expiration Time: ${rfc3339(expires)}`);
  if (scopes.length > 0) {
    lines.push('Scopes:');
    for (const scope of scopes) lines.push('- ' + scopeLine(scope));
  }
  return lines.join('\n');
}

/**
 * The revoke message: the same head, then only Session Key, Chain ID, Nonce and Issued At.
 * @param {{ domain: string, account: string, publicKey: string, chainId: string, nonce: string, issuedAt: Date | string, statement?: string }} fields
 * @returns {string}
 */
export function revokeMessage({ domain, account, publicKey, chainId, nonce, issuedAt, statement }) {
  const lines = head(domain, ' wants you to revoke a session key of your account:', account, statement, publicKey);
  lines.push(`Chain ID: ${chainId}`, `Nonce: ${nonce}`, `Issued At: ${rfc3339(issuedAt)}`);
  return lines.join('\n');
}

/**
 * Grants the session key to the wallet's account: reads the chain id from the gateway's /block
 * (unless given), asks the wallet to sign the grant message and posts it to {pathPrefix}/grants.
 * Resolves to the key record the gateway answered (status 201 new, 200 already granted).
 * @param {GrantOptions & { expires?: Date | string, useCase?: string, scopes?: ({ path: string, methods?: string[] } | string)[] }} options
 * @returns {Promise<{ status: number, record: any, message: string }>}
 */
export async function grantSessionKey(options) {
  const { expires, useCase, scopes } = options;
  return send(options, 'grants', (fields, key, now) => grantMessage({
    ...fields,
    useCase: useCase ?? DEFAULT_USE_CASE,
    scopes: scopes ?? [],
    expires: expires ?? defaultExpiry(key, now),
  }));
}

/**
 * Revokes the session key (permanently) with a wallet-signed revoke message posted to
 * {pathPrefix}/grants/revoke. Resolves to the record, `state: "disabled"`.
 * @param {GrantOptions} options
 * @returns {Promise<{ status: number, record: any, message: string }>}
 */
export async function revokeSessionKey(options) {
  return send(options, 'grants/revoke', (fields) => revokeMessage(fields));
}

/**
 * @typedef {object} GrantOptions
 * @property {{ getKey(chainId: string): Promise<{ bech32Address: string }>, signArbitrary(chainId: string, signer: string, data: string): Promise<any> }} wallet
 *   Keplr (window.keplr, after keplr.enable(chainId)) or a compatible wallet
 * @property {{ publicKey: string, account?: string, expires?: Date }} [key] the session key (default: the one SessionKeyStore holds)
 * @property {SessionKeyStore} [store] where the default key is loaded from
 * @property {string} [chainId] the chain (default: the gateway's /block chain_id)
 * @property {string} [domain] must equal the gateway's SessionGate:Grants:Domain (default: the page's host)
 * @property {string} [statement] one line shown in the wallet above the key
 * @property {string | URL} [gateway] the gateway's origin (default: the page's)
 * @property {string} [pathPrefix] default "/_sessiongate"
 * @property {string} [nonce] default 16 random letters and digits
 * @property {() => number} [now] wall clock in milliseconds (default Date.now)
 * @property {typeof fetch} [fetch]
 */

async function send(options, endpoint, write) {
  const {
    wallet, store, statement, nonce, domain = globalThis.location?.host, gateway = globalThis.location?.origin,
    pathPrefix = '/_sessiongate', now = Date.now, fetch = globalThis.fetch,
  } = options;
  if (!wallet || typeof wallet.getKey !== 'function' || typeof wallet.signArbitrary !== 'function') {
    throw new TypeError('wallet must offer getKey(chainId) and signArbitrary(chainId, signer, data), as window.keplr does');
  }
  if (typeof domain !== 'string' || domain.length === 0) throw new TypeError('domain is required outside a browser page (the gateway\'s SessionGate:Grants:Domain)');
  if (gateway === undefined) throw new TypeError('gateway is required outside a browser page');
  if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/')) throw new TypeError('pathPrefix must start with "/"');
  const call = (...args) => fetch(...args);
  const url = (path) => gatewayUrl(gateway, pathPrefix, path);

  const key = options.key ?? (await (store ?? new SessionKeyStore()).load());
  if (!key || typeof key.publicKey !== 'string' || !SESSION_KEY.test(key.publicKey)) throw new GrantError('There is no session key to grant: create one first.');
  const chainId = options.chainId ?? (await fetchChainId(call, url('block')));
  const account = (await wallet.getKey(chainId))?.bech32Address;
  if (typeof account !== 'string' || account.length === 0) throw new GrantError('The wallet named no account for this chain.');
  if (key.account !== undefined && key.account !== account) {
    throw new GrantError(`The session key was made for ${key.account}, but the wallet's account is ${account}: create a key for the wallet's account.`);
  }

  const time = now();
  const message = write({ domain, account, statement, publicKey: key.publicKey, chainId, nonce: nonce ?? randomNonce(), issuedAt: new Date(time) }, key, time);
  const signature = await wallet.signArbitrary(chainId, account, message);

  let response;
  try {
    response = await call(url(endpoint), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ message, signature }),
    });
  } catch (cause) {
    throw new GrantError(`Cannot reach the gateway at ${url(endpoint)}: ${cause?.message ?? cause}`, { cause });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    throw new GrantError(describe(response.status, problem), { status: response.status, problem });
  }
  return { status: response.status, record: await response.json(), message };
}

/**
 * The chain the gateway follows, from its GET {pathPrefix}/block (`chain_id`): what a page passes to
 * keplr.enable(chainId) before granting.
 * @param {{ gateway?: string | URL, pathPrefix?: string, fetch?: typeof fetch }} [options]
 * @returns {Promise<string>}
 */
export async function readChainId({ gateway = globalThis.location?.origin, pathPrefix = '/_sessiongate', fetch = globalThis.fetch } = {}) {
  if (gateway === undefined) throw new TypeError('gateway is required outside a browser page');
  return fetchChainId((...args) => fetch(...args), gatewayUrl(gateway, pathPrefix, 'block'));
}

function gatewayUrl(gateway, pathPrefix, path) {
  const base = new URL(gateway);
  return new URL(base.pathname.replace(/\/+$/, '') + '/' + pathPrefix.replace(/^\/+|\/+$/g, '') + '/' + path, base.origin).href;
}

async function fetchChainId(call, blockUrl) {
  let response;
  try {
    response = await call(blockUrl, { method: 'GET', cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (cause) {
    throw new GrantError(`Cannot reach the gateway at ${blockUrl}: ${cause?.message ?? cause}`, { cause });
  }
  const block = response.ok ? await response.json().catch(() => null) : null;
  if (typeof block?.chain_id !== 'string' || block.chain_id.length === 0) {
    throw new GrantError(`The gateway's ${blockUrl} names no chain_id (status ${response.status}); pass chainId.`, { status: response.status });
  }
  return block.chain_id;
}

function describe(status, problem) {
  if (!problem) return `The gateway answered ${status}.`;
  const errors = problem.errors && typeof problem.errors === 'object'
    ? Object.entries(problem.errors).flatMap(([part, list]) => (Array.isArray(list) ? list : [list]).map((e) => ` ${part}: ${e}`))
    : [];
  return `${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? ''}${errors.join('')}`.trim();
}

function head(domain, intro, account, statement, publicKey) {
  const lines = [domain + intro, account, ''];
  if (statement !== undefined && statement !== null && statement !== '') lines.push(statement, '');
  lines.push(`Session Key: ${publicKey}`);
  return lines;
}

function scopeLine(scope) {
  if (typeof scope === 'string') return scope;
  const methods = scope.methods ?? [];
  return methods.length > 0 ? `${methods.join(',')} ${scope.path}` : scope.path;
}

// yyyy-MM-ddTHH:mm:ss[.fff]Z: toISOString without a ".000" that says nothing. A string already in
// the gateway's spelling is kept as written (it is what the user sees and signs).
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
function rfc3339(time) {
  if (typeof time === 'string' && RFC3339_UTC.test(time)) return time;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a time: ${time}`);
  return date.toISOString().replace('.000Z', 'Z');
}

// The key's own expiry while it is ahead, else a day: the gateway caps lifetimes (30 days by default).
function defaultExpiry(key, now) {
  const own = key.expires ? new Date(key.expires).getTime() : NaN;
  return new Date(own > now ? own : now + DEFAULT_LIFETIME_MS);
}

function randomNonce(length = 16) {
  let nonce = '';
  while (nonce.length < length) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(length))) {
      // 248 = 4 × 62: rejecting above it keeps every character equally likely.
      if (byte < 248 && nonce.length < length) nonce += NONCE_ALPHABET[byte % 62];
    }
  }
  return nonce;
}
