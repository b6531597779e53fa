// Sends requests to a SessionGate gateway with a valid kira_session header, the way the C# client
// (src/SessionGate/Client/KiraSessionHandler) does: the header is signed over the gateway's latest
// block (GET {pathPrefix}/block) and re-signed over a newer one every refreshIntervalMs, well inside
// the gateway's window (5 minutes by default). One block fetch at a time; while one runs, callers
// keep the current header if it is younger than maxHeaderAgeMs. A 401 block_expired/block_unknown
// (the gateway restarted, a tab slept) drops the header and a request with a replayable body is sent
// once more with a fresh one. When the gateway asks for proof of work (/block's "difficulty", or a
// 401 difficulty_required), the nonce is solved before signing (difficulty.js) and a refused
// request is retried once the same way.
import { buildHeader, isBlockHash } from './header.js';
import { difficultyRequiredBy, solveDifficulty } from './difficulty.js';
import { readProblem, readRateLimit } from './responses.js';

/** No header could be made: the gateway's latest block could not be read. */
export class SessionGateError extends Error {
  /** @param {string} message @param {{ status?: number, problem?: any, cause?: unknown }} [details] */
  constructor(message, { status, problem, cause } = {}) {
    super(message, { cause });
    this.name = 'SessionGateError';
    /** The HTTP status of the failed block request, if there was an answer. */
    this.status = status ?? null;
    /** Its problem details, if any. */
    this.problem = problem ?? null;
  }
}

/**
 * @typedef {object} SessionResult
 * @property {Response} response the answer (its body unread)
 * @property {number} status
 * @property {import('./responses.js').RateLimitInfo | null} rateLimit the RateLimit headers, parsed
 * @property {any} problem the problem details of a refusal (401, 403, 429, …), else null
 */

export class SessionClient extends EventTarget {
  #key;
  #account;
  #gateway;
  #blockUrl;
  #prefixUrl;
  #headerName;
  #refreshMs;
  #maxAgeMs;
  #now;
  #fetch;
  /** @type {{ value: string, createdAt: number, blockHash: string } | undefined} */
  #current;
  /** @type {Promise<{ value: string, createdAt: number, blockHash: string }> | undefined} */
  #refreshing;
  /** The difficulty /block announced with the latest hash, and the one a difficulty_required named. */
  #difficulty = { block: 0, refused: 0 };
  #solveOptions;

  /**
   * @param {object} options
   * @param {{ publicKey: string, account?: string, sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array }} options.key
   *   the signer, e.g. a SessionKey from SessionKeyStore
   * @param {string} [options.account] the account (default: the key's)
   * @param {string | URL} [options.gateway] the gateway's origin (default: the page's); the header goes only there
   * @param {string} [options.pathPrefix] the gateway's SessionGate:PathPrefix (default "/_sessiongate")
   * @param {string} [options.headerName] the gateway's SessionGate:HeaderName (default "kira_session")
   * @param {string} [options.signingContext] only "substrate" (what @scure/sr25519 signs with)
   * @param {number} [options.refreshIntervalMs] age at which a header is re-signed over a newer block (default 60 s)
   * @param {number} [options.maxHeaderAgeMs] oldest header still sent while a refresh fails (default 240 s, below the 5-minute window)
   * @param {() => number} [options.now] monotonic clock in milliseconds (default performance.now)
   * @param {typeof fetch} [options.fetch] the fetch to send with (default the global one)
   * @param {number} [options.maxSolveMs] longest nonce search when the gateway asks for proof of work (default 10 s)
   * @param {(progress: import('./difficulty.js').DifficultyProgress) => void} [options.onSolveProgress] progress of a nonce search
   */
  constructor({
    key, account = key?.account, gateway = globalThis.location?.origin, pathPrefix = '/_sessiongate',
    headerName = 'kira_session', signingContext = 'substrate', refreshIntervalMs = 60_000,
    maxHeaderAgeMs = 240_000, now = () => performance.now(), fetch = globalThis.fetch,
    maxSolveMs = 10_000, onSolveProgress,
  }) {
    super();
    if (!key || typeof key.publicKey !== 'string' || typeof key.sign !== 'function') throw new TypeError('key must be a signer ({ publicKey, sign })');
    if (typeof account !== 'string') throw new TypeError('account is required');
    if (gateway === undefined) throw new TypeError('gateway is required outside a browser page');
    if (signingContext !== 'substrate') throw new RangeError('only the signing context "substrate" is supported');
    if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/')) throw new TypeError('pathPrefix must start with "/"');
    if (!(maxHeaderAgeMs > 0 && maxHeaderAgeMs < 300_000)) throw new RangeError('maxHeaderAgeMs must be positive and below 5 minutes (the gateway\'s default window)');
    if (!(refreshIntervalMs > 0 && refreshIntervalMs <= maxHeaderAgeMs)) throw new RangeError('refreshIntervalMs must be positive and at most maxHeaderAgeMs');
    if (typeof fetch !== 'function') throw new TypeError('fetch is required');
    if (!(maxSolveMs > 0)) throw new RangeError('maxSolveMs must be positive');

    this.#key = key;
    this.#account = account;
    this.#gateway = new URL(gateway);
    const base = this.#gateway.pathname.replace(/\/+$/, '');
    this.#prefixUrl = new URL(base + '/' + pathPrefix.replace(/^\/+|\/+$/g, '') + '/', this.#gateway.origin).href;
    this.#blockUrl = new URL('block', this.#prefixUrl).href;
    this.#headerName = headerName;
    this.#refreshMs = refreshIntervalMs;
    this.#maxAgeMs = maxHeaderAgeMs;
    this.#now = now;
    this.#solveOptions = { maxSolveMs, onProgress: onSolveProgress };
    // Called as a plain function: window.fetch throws "Illegal invocation" when called on another object.
    this.#fetch = (...args) => fetch(...args);
    /** The RateLimit headers of the latest gateway answer that had them. */
    this.rateLimit = null;
  }

  /** The public key that signs. */
  get publicKey() { return this.#key.publicKey; }

  /** The account the header names. */
  get account() { return this.#account; }

  /** Where the latest block is read. */
  get blockUrl() { return this.#blockUrl; }

  /**
   * A valid header value: the current one while young enough, else one over the latest block.
   * @returns {Promise<string>}
   */
  async header() {
    return (await this.#getHeader()).value;
  }

  /**
   * fetch() with the session header on requests for the gateway's origin (others go out unchanged).
   * Resolves to the Response, whatever its status, like fetch; rejects with SessionGateError when
   * no header can be made.
   * @param {RequestInfo | URL} input a URL (relative ones resolve against the gateway) or a Request
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init = {}) {
    return (await this.request(input, init)).response;
  }

  /**
   * Like fetch, and also reads what the gateway said: the RateLimit headers and, for a refusal, the
   * problem details. Fires a "response" event with the same detail.
   * @param {RequestInfo | URL} input
   * @param {RequestInit} [init]
   * @returns {Promise<SessionResult>}
   */
  async request(input, init = {}) {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const url = new URL(isRequest ? input.url : String(input), this.#gateway);
    if (url.origin !== this.#gateway.origin) {
      // The header proves who calls; it never goes to another host.
      return this.#report(url, await this.#fetch(isRequest ? input : url.href, init));
    }

    let header = await this.#getHeader();
    let response = await this.#send(input, isRequest, url, init, header);
    if (response.status === 401) {
      const problem = await readProblem(response);
      const refused = difficultyRequiredBy(problem);
      if (refused !== null) this.#difficulty.refused = refused;
      if (problem?.code === 'block_expired' || problem?.code === 'block_unknown' || refused !== null) {
        if (this.#current === header) this.#current = undefined;
        if (isReplayable(input, isRequest, init)) {
          header = await this.#getHeader();
          response = await this.#send(input, isRequest, url, init, header);
        }
      }
    }

    return this.#report(url, response);
  }

  /**
   * The holder's own view, GET {pathPrefix}/session (docs/grants.md §4): account, session_key, tier,
   * balance and budgets (rate, daily: limit, remaining, reset_seconds), read without spending any.
   * Rejects with SessionGateError (status, problem) when the gateway refuses, e.g. 401 key_disabled.
   * @returns {Promise<any>}
   */
  session() {
    return this.#sessionCall('GET', 'session');
  }

  /** The account's keys, GET {pathPrefix}/session/keys: `{ account, keys: [{ public_key, expires, use_case, scopes, state }] }`. */
  sessionKeys() {
    return this.#sessionCall('GET', 'session/keys');
  }

  /**
   * DELETE {pathPrefix}/session: the signing key disables itself, permanently; resolves to its record.
   * No wallet is needed (the session key proves itself); revokeSessionKey does the same with a wallet signature.
   */
  endSession() {
    return this.#sessionCall('DELETE', 'session');
  }

  async #sessionCall(method, path) {
    const url = new URL(path, this.#prefixUrl).href;
    const { response, status, problem } = await this.request(url, { method, cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new SessionGateError(`The gateway answered ${status}${problem?.code ? ` (${problem.code})` : ''} to ${method} ${url}`, { status, problem });
    }
    return response.json();
  }

  /**
   * Signs with another key (the old header is dropped).
   * @param {{ publicKey: string, account?: string, sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array }} key
   * @param {string} [account]
   */
  setKey(key, account = key.account) {
    if (!key || typeof key.sign !== 'function' || typeof account !== 'string') throw new TypeError('key must be a signer and account a string');
    this.#key = key;
    this.#account = account;
    this.#current = undefined;
  }

  #send(input, isRequest, url, init, header) {
    const headers = new Headers(init.headers ?? (isRequest ? input.headers : undefined));
    headers.set(this.#headerName, header.value);
    return this.#fetch(isRequest ? input : url.href, { ...init, headers });
  }

  async #report(url, response) {
    const rateLimit = readRateLimit(response.headers);
    const problem = response.ok ? null : await readProblem(response);
    if (rateLimit) this.rateLimit = rateLimit;
    const result = { response, status: response.status, rateLimit, problem };
    this.dispatchEvent(new CustomEvent('response', { detail: { url: url.href, status: response.status, rateLimit, problem } }));
    return result;
  }

  async #getHeader() {
    const current = this.#current;
    if (current && this.#age(current) < this.#refreshMs) return current;
    if (current && this.#age(current) < this.#maxAgeMs) {
      // Someone is already fetching a block: the current header is still good meanwhile.
      if (this.#refreshing) return current;
      try {
        return await this.#refresh();
      } catch (error) {
        if (error instanceof SessionGateError) return current; // the gateway is briefly unreachable
        throw error;
      }
    }
    return this.#refresh();
  }

  #refresh() {
    this.#refreshing ??= this.#signOverLatestBlock().finally(() => { this.#refreshing = undefined; });
    return this.#refreshing;
  }

  async #signOverLatestBlock() {
    const key = this.#key;
    const account = this.#account;
    const blockHash = await this.#latestBlockHash();
    const difficulty = Math.max(this.#difficulty.block, this.#difficulty.refused);
    this.#difficulty.refused = 0;
    const nonce = await this.#solve(key.publicKey, blockHash, difficulty);
    const value = await buildHeader(key, { account, blockHash, nonce });
    const header = { value, createdAt: this.#now(), blockHash };
    // A setKey() during the fetch wins: do not cache a header of the old key.
    if (this.#key === key && this.#account === account) this.#current = header;
    return header;
  }

  async #latestBlockHash() {
    let response;
    try {
      response = await this.#fetch(this.#blockUrl, { method: 'GET', cache: 'no-store', headers: { Accept: 'application/json' } });
    } catch (cause) {
      throw new SessionGateError(`Cannot reach the gateway at ${this.#blockUrl}: ${cause?.message ?? cause}`, { cause });
    }
    if (!response.ok) {
      const problem = await readProblem(response);
      throw new SessionGateError(
        `The gateway answered ${response.status}${problem?.code ? ` (${problem.code})` : ''} to ${this.#blockUrl}; is this a SessionGate gateway with this path prefix?`,
        { status: response.status, problem });
    }
    let block;
    try {
      block = await response.json();
    } catch (cause) {
      throw new SessionGateError(`The answer of ${this.#blockUrl} is not JSON`, { cause });
    }
    // Used exactly as sent: the hash is part of the signed message.
    if (!isBlockHash(block?.hash)) throw new SessionGateError(`The answer of ${this.#blockUrl} has no block hash; is this a SessionGate gateway?`);
    this.#difficulty.block = difficultyRequiredBy(block) ?? 0;
    return block.hash;
  }

  async #solve(publicKey, blockHash, difficulty) {
    try {
      return await solveDifficulty({ publicKey, blockHash, difficulty, ...this.#solveOptions });
    } catch (cause) {
      if (cause?.name !== 'DifficultyError') throw cause;
      throw new SessionGateError(`The gateway asks for proof of work of difficulty ${difficulty} and none was found within ${this.#solveOptions.maxSolveMs} ms; raise maxSolveMs or try later.`, { cause });
    }
  }

  #age(header) {
    return this.#now() - header.createdAt;
  }
}

// A body that can be sent twice: none, or one fetch keeps in memory. Streams and Request bodies cannot.
function isReplayable(input, isRequest, init) {
  if (isRequest) return input.body === null && init.body == null;
  const body = init.body;
  return body == null || typeof body === 'string' || body instanceof URLSearchParams || body instanceof ArrayBuffer
    || ArrayBuffer.isView(body) || (typeof Blob !== 'undefined' && body instanceof Blob)
    || (typeof FormData !== 'undefined' && body instanceof FormData);
}
