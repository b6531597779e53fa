// <session-key>: a dependency-free Web Component that shows the browser's session key (public key,
// account, expiry), the remaining quota the gateway reported and the holder's own quota from
// GET {pathPrefix}/session, and offers connect wallet / create / re-create / revoke / forget. It
// shows only public facts: the secret never leaves SessionKeyStore's ciphertext.
//
//   <session-key account="kira1…" ttl="86400" path-prefix="/_sessiongate" chain-id="…" domain="…"></session-key>
//   element.client  -> the SessionClient signing with the key (null without a key)
//   element.wallet  -> the wallet "Connect wallet" uses (default window.keplr)
//   events: "session-key-change" (detail: { key: public facts | null }), after connect/create/re-create/forget;
//           "session-key-granted" (detail: { record }) and "session-key-revoked" (detail: { record })
//
// Connect wallet: keplr.enable(chainId) (chain-id attribute, else the gateway's /block chain_id),
// the wallet's account from keplr.getKey(chainId), a new session key for it unless the stored one is
// that account's, then grantSessionKey (one signArbitrary approval in the wallet).
//
// Styles go through adoptedStyleSheets, so a page with a strict CSP (no inline style) can use it.
import { SessionClient } from './client.js';
import { SessionKeyStore } from './keystore.js';
import { grantSessionKey, revokeSessionKey, readChainId } from './grants.js';
import { describeBudgets, describeExpiry, describeSession } from './display.js';

const CSS = `
:host { display: block; font: 14px/1.4 system-ui, sans-serif; border: 1px solid #bbb; border-radius: 6px; padding: 12px; max-width: 46rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 10px; }
dt { color: #555; }
dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, monospace; }
.buttons { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
input { font: inherit; min-width: 24rem; }
.error { color: #a00; }
.status { color: #060; }
`;

export class SessionKeyElement extends HTMLElement {
  static observedAttributes = ['account'];

  #store;
  #key = null;
  #client = null;
  #fields = {};
  #accountInput;
  #buttons = {};
  #error;
  #status;
  #wallet;
  #connected = null;
  #sessionView = null;
  #sessionText = null;
  #refreshingSession = null;
  #loading = true;
  // Actions run one after another: a create clicked while the stored key loads must not be undone by the load.
  #queue = Promise.resolve();
  #onResponse = (event) => {
    this.#render();
    // A gateway answer may have spent quota: read the holder's own view again (not after its own reads).
    if (!/\/session(\/keys)?$/.test(new URL(event.detail.url).pathname)) this.refreshSession();
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function') {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    }

    const list = el('dl');
    for (const [name, label] of [['publicKey', 'Public key'], ['account', 'Account'], ['expires', 'Expires'], ['quota', 'Remaining quota'], ['session', 'Your quota (/session)']]) {
      list.append(el('dt', label), (this.#fields[name] = el('dd', '–')));
      this.#fields[name].part = name;
    }
    this.#accountInput = el('input');
    this.#accountInput.placeholder = 'kira1… (the account the key is for)';
    this.#accountInput.setAttribute('aria-label', 'Account');
    const buttons = el('div');
    buttons.className = 'buttons';
    const actions = { connect: () => this.connectWallet(), create: () => this.create(), recreate: () => this.create(), revoke: () => this.revoke(), forget: () => this.forget() };
    for (const [name, label] of [['connect', 'Connect wallet'], ['create', 'Create key'], ['recreate', 'Re-create key'], ['revoke', 'Revoke key'], ['forget', 'Forget key']]) {
      const button = (this.#buttons[name] = el('button', label));
      button.type = 'button';
      button.part = name;
      button.addEventListener('click', () => this.#run(actions[name]));
    }
    buttons.append(this.#buttons.connect, this.#accountInput, this.#buttons.create, this.#buttons.recreate, this.#buttons.revoke, this.#buttons.forget);
    this.#status = el('p');
    this.#status.className = 'status';
    this.#status.part = 'status';
    this.#status.setAttribute('role', 'status');
    this.#error = el('p');
    this.#error.className = 'error';
    this.#error.part = 'error';
    this.#error.setAttribute('role', 'alert');
    root.append(list, buttons, this.#status, this.#error);
  }

  /** The store (default: IndexedDB). Set it before the element is connected to use another. */
  get store() { return (this.#store ??= new SessionKeyStore()); }
  set store(value) { this.#store = value; }

  /** The current key's public facts, or null. */
  get key() { return this.#key?.toJSON() ?? null; }

  /** The SessionClient signing with the current key, or null when there is none. */
  get client() { return this.#client; }

  /** The wallet "Connect wallet" uses: set one, else window.keplr (read when the button is pressed). */
  get wallet() { return this.#wallet ?? globalThis.keplr ?? null; }
  set wallet(value) { this.#wallet = value; }

  /** The latest GET {pathPrefix}/session answer, or null. */
  get session() { return this.#sessionView; }

  async connectedCallback() {
    this.#accountInput.value ||= this.getAttribute('account') ?? '';
    this.#loading = true;
    this.#render();
    await this.#run(async () => {
      try {
        this.#use(await this.store.load());
      } finally {
        this.#loading = false;
      }
    });
    if (this.#key) this.refreshSession();
  }

  disconnectedCallback() {
    this.#client?.removeEventListener('response', this.#onResponse);
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'account' && !this.#key) this.#accountInput.value = value ?? '';
  }

  /** Creates a key (replacing the current one) for the account in the input. */
  async create() {
    this.#use(await this.store.create({ account: this.#accountInput.value.trim(), ttlSeconds: this.#ttl() }));
  }

  /**
   * Connect wallet: asks the wallet (window.keplr) for the account, makes a session key for it if
   * the stored one is not that account's, and grants it with one wallet signature.
   * @returns {Promise<any>} the key record the gateway answered
   */
  async connectWallet() {
    const wallet = this.wallet;
    if (!wallet || typeof wallet.enable !== 'function' || typeof wallet.signArbitrary !== 'function') {
      throw new Error('No wallet found: install the Keplr extension (it provides window.keplr) and reload this page.');
    }
    const options = this.#gatewayOptions();
    const chainId = this.getAttribute('chain-id') ?? (await readChainId(options));
    this.#status.textContent = `Waiting for the wallet (chain ${chainId})…`;
    const account = await walletStep(() => wallet.enable(chainId).then(() => wallet.getKey(chainId)), 'share its account');
    const address = account?.bech32Address;
    if (typeof address !== 'string') throw new Error('The wallet named no account for this chain.');
    let key = this.#key;
    if (!key || key.account !== address) {
      key = await this.store.create({ account: address, ttlSeconds: this.#ttl() });
      this.#use(key);
    }
    this.#status.textContent = 'Approve the grant in your wallet…';
    const { record, status } = await walletStep(
      () => grantSessionKey({ ...options, wallet, key, chainId, domain: this.#domain(), statement: this.getAttribute('statement') ?? undefined }),
      'sign the grant');
    this.#connected = { wallet, chainId };
    if (record?.expires) this.#use(await this.store.setExpiry(key, record.expires));
    this.#status.textContent = `${status === 201 ? 'Granted' : 'Already granted'}: the key belongs to ${address} until ${record.expires}.`;
    this.dispatchEvent(new CustomEvent('session-key-granted', { detail: { record }, bubbles: true, composed: true }));
    await this.refreshSession();
    return record;
  }

  /**
   * Revokes the key for good: with the connected wallet's signature (revokeSessionKey), or, without a
   * wallet, by the key itself (DELETE {pathPrefix}/session). The key stays stored but is refused.
   * @returns {Promise<any>} the disabled key's record
   */
  async revoke() {
    if (!this.#key || !this.#client) throw new Error('There is no key to revoke.');
    let record;
    if (this.#connected) {
      const { wallet, chainId } = this.#connected;
      this.#status.textContent = 'Approve the revocation in your wallet…';
      ({ record } = await walletStep(() => revokeSessionKey({ ...this.#gatewayOptions(), wallet, key: this.#key, chainId, domain: this.#domain() }), 'sign the revocation'));
    } else {
      record = await this.#client.endSession();
    }
    this.#status.textContent = `Revoked: ${record.public_key} is disabled for good.`;
    this.dispatchEvent(new CustomEvent('session-key-revoked', { detail: { record }, bubbles: true, composed: true }));
    await this.refreshSession();
    return record;
  }

  /** Reads GET {pathPrefix}/session (the holder's own quota) and shows it; one read at a time. */
  refreshSession() {
    const client = this.#client;
    if (!client) return Promise.resolve(null);
    this.#refreshingSession ??= client.session().then(
      (view) => { this.#sessionView = view; this.#sessionText = null; },
      (error) => { this.#sessionView = null; this.#sessionText = error?.problem?.code ? `refused: ${error.problem.code}` : `unavailable (${error?.message ?? error})`; },
    ).finally(() => {
      this.#refreshingSession = null;
      this.#render();
    }).then(() => this.#sessionView);
    return this.#refreshingSession;
  }

  /** Deletes the key. */
  async forget() {
    await this.store.forget();
    this.#use(null);
  }

  /** Records the expiry the gateway granted (e.g. the admin API's answer). */
  async setExpiry(expires) {
    if (this.#key) this.#use(await this.store.setExpiry(this.#key, expires));
  }

  #gatewayOptions() {
    return { gateway: this.getAttribute('gateway') ?? undefined, pathPrefix: this.getAttribute('path-prefix') ?? undefined };
  }

  // The gateway's SessionGate:Grants:Domain: the domain attribute, else the gateway's host[:port].
  #domain() {
    return this.getAttribute('domain') ?? new URL(this.getAttribute('gateway') ?? location.href, location.href).host;
  }

  #ttl() {
    return Number(this.getAttribute('ttl') ?? 86_400);
  }

  #use(key) {
    this.#client?.removeEventListener('response', this.#onResponse);
    if (key?.publicKey !== this.#key?.publicKey) {
      this.#sessionView = null;
      this.#sessionText = null;
      if (key?.account !== this.#key?.account) this.#connected = null;
    }
    this.#key = key;
    this.#client = key ? new SessionClient({ key, ...this.#gatewayOptions() }) : null;
    this.#client?.addEventListener('response', this.#onResponse);
    if (key) this.#accountInput.value = key.account;
    this.#render();
    this.dispatchEvent(new CustomEvent('session-key-change', { detail: { key: this.key }, bubbles: true, composed: true }));
  }

  #run(action) {
    const run = this.#queue.then(async () => {
      this.#error.textContent = '';
      this.#status.textContent = '';
      for (const button of Object.values(this.#buttons)) button.disabled = true;
      try {
        await action();
      } catch (error) {
        this.#status.textContent = '';
        this.#error.textContent = error?.message ?? String(error);
      } finally {
        this.#render();
      }
    });
    this.#queue = run;
    return run;
  }

  #render() {
    const key = this.#key;
    this.#fields.publicKey.textContent = key?.publicKey ?? (this.#loading ? 'loading…' : 'none');
    this.#fields.account.textContent = key?.account ?? '–';
    this.#fields.expires.textContent = key ? describeExpiry(key.expires.toISOString(), new Date()) : '–';
    this.#fields.quota.textContent = describeBudgets(this.#client?.rateLimit ?? null);
    this.#fields.session.textContent = key ? this.#sessionText ?? describeSession(this.#sessionView) : '–';
    this.#buttons.create.hidden = !!key;
    this.#buttons.recreate.hidden = !key;
    this.#buttons.revoke.hidden = !key;
    this.#buttons.forget.hidden = !key;
    for (const button of Object.values(this.#buttons)) button.disabled = this.#loading;
  }
}

// A wallet call the user may refuse: Keplr rejects with "Request rejected"; say what was refused.
async function walletStep(action, what) {
  try {
    return await action();
  } catch (error) {
    if (error?.name === 'GrantError' || error?.name === 'SessionGateError') throw error;
    const reason = error?.message ?? String(error);
    throw new Error(/reject|denied|cancel/i.test(reason)
      ? `The wallet did not ${what}: ${reason}. Nothing was granted or changed.`
      : `The wallet failed to ${what}: ${reason}`, { cause: error });
  }
}

/** Registers the element as `name` (default "session-key") unless already defined. */
export function defineSessionKeyElement(name = 'session-key') {
  if (!customElements.get(name)) customElements.define(name, class extends SessionKeyElement {});
}

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}
