// <session-key>: a dependency-free Web Component that shows the browser's session key (public key,
// account, expiry) and the remaining quota the gateway reported, and offers create / re-create /
// forget. It shows only public facts: the secret never leaves SessionKeyStore's ciphertext.
//
//   <session-key account="kira1…" ttl="86400" path-prefix="/_sessiongate"></session-key>
//   element.client  -> the SessionClient signing with the key (null without a key)
//   events: "session-key-change" (detail: { key: public facts | null }), after create/re-create/forget
//
// Styles go through adoptedStyleSheets, so a page with a strict CSP (no inline style) can use it.
import { SessionClient } from './client.js';
import { SessionKeyStore } from './keystore.js';
import { describeBudgets, describeExpiry } from './display.js';

const CSS = `
:host { display: block; font: 14px/1.4 system-ui, sans-serif; border: 1px solid #bbb; border-radius: 6px; padding: 12px; max-width: 46rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 10px; }
dt { color: #555; }
dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, monospace; }
.buttons { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
input { font: inherit; min-width: 24rem; }
.error { color: #a00; }
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
  #loading = true;
  // Actions run one after another: a create clicked while the stored key loads must not be undone by the load.
  #queue = Promise.resolve();
  #onResponse = () => this.#render();

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function') {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    }

    const list = el('dl');
    for (const [name, label] of [['publicKey', 'Public key'], ['account', 'Account'], ['expires', 'Expires'], ['quota', 'Remaining quota']]) {
      list.append(el('dt', label), (this.#fields[name] = el('dd', '–')));
      this.#fields[name].part = name;
    }
    this.#accountInput = el('input');
    this.#accountInput.placeholder = 'kira1… (the account the key is for)';
    this.#accountInput.setAttribute('aria-label', 'Account');
    const buttons = el('div');
    buttons.className = 'buttons';
    for (const [name, label] of [['create', 'Create key'], ['recreate', 'Re-create key'], ['forget', 'Forget key']]) {
      const button = (this.#buttons[name] = el('button', label));
      button.type = 'button';
      button.part = name;
      button.addEventListener('click', () => this.#run(name === 'forget' ? () => this.forget() : () => this.create()));
    }
    buttons.append(this.#accountInput, this.#buttons.create, this.#buttons.recreate, this.#buttons.forget);
    this.#error = el('p');
    this.#error.className = 'error';
    this.#error.setAttribute('role', 'alert');
    root.append(list, buttons, this.#error);
  }

  /** The store (default: IndexedDB). Set it before the element is connected to use another. */
  get store() { return (this.#store ??= new SessionKeyStore()); }
  set store(value) { this.#store = value; }

  /** The current key's public facts, or null. */
  get key() { return this.#key?.toJSON() ?? null; }

  /** The SessionClient signing with the current key, or null when there is none. */
  get client() { return this.#client; }

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
  }

  disconnectedCallback() {
    this.#client?.removeEventListener('response', this.#onResponse);
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'account' && !this.#key) this.#accountInput.value = value ?? '';
  }

  /** Creates a key (replacing the current one) for the account in the input. */
  async create() {
    const ttl = Number(this.getAttribute('ttl') ?? 86_400);
    this.#use(await this.store.create({ account: this.#accountInput.value.trim(), ttlSeconds: ttl }));
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

  #use(key) {
    this.#client?.removeEventListener('response', this.#onResponse);
    this.#key = key;
    this.#client = key ? new SessionClient({
      key,
      gateway: this.getAttribute('gateway') ?? undefined,
      pathPrefix: this.getAttribute('path-prefix') ?? undefined,
    }) : null;
    this.#client?.addEventListener('response', this.#onResponse);
    if (key) this.#accountInput.value = key.account;
    this.#render();
    this.dispatchEvent(new CustomEvent('session-key-change', { detail: { key: this.key }, bubbles: true, composed: true }));
  }

  #run(action) {
    const run = this.#queue.then(async () => {
      this.#error.textContent = '';
      for (const button of Object.values(this.#buttons)) button.disabled = true;
      try {
        await action();
      } catch (error) {
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
    this.#buttons.create.hidden = !!key;
    this.#buttons.recreate.hidden = !key;
    this.#buttons.forget.hidden = !key;
    for (const button of Object.values(this.#buttons)) button.disabled = this.#loading;
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
