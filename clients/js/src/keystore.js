// Session keys at rest: the 32-byte sr25519 mini secret (seed) is kept only as AES-256-GCM
// ciphertext, under a WebCrypto key created non-extractable, both in IndexedDB. The seed is
// decrypted for each signature and the buffers zeroed right after, so no clear secret stays in
// memory, in localStorage or in a global. Signing is @scure/sr25519 (audited; context "substrate").
import { getPublicKey, secretFromSeed, sign as sr25519Sign } from '@scure/sr25519';
import { toHex } from './hex.js';
import { isAccount } from './header.js';
import { indexedDbStorage } from './storage.js';

const RECORD_ID = 'current';
const RECORD_VERSION = 1;
const DEFAULT_TTL_SECONDS = 86_400;
const MAX_TTL_SECONDS = 366 * 86_400; // the admin API grants at most 366 days

/**
 * A stored session key. Only public facts are readable; `sign` decrypts the secret for one signature.
 */
export class SessionKey {
  /** @type {any} */ #record;
  /** @type {SubtleCrypto} */ #subtle;

  /** @param {any} record @param {SubtleCrypto} subtle */
  constructor(record, subtle) {
    this.#record = record;
    this.#subtle = subtle;
    /** "0x" + 64 lowercase hex digits. */
    this.publicKey = record.publicKey;
    /** The account the key is meant for (bech32). */
    this.account = record.account;
    /** When the key was created. */
    this.created = new Date(record.created);
    /** When the key stops being valid (the expiry to register it with). */
    this.expires = new Date(record.expires);
    Object.freeze(this);
  }

  /**
   * Signs `message` (sr25519, signing context "substrate").
   * @param {Uint8Array} message
   * @returns {Promise<Uint8Array>} the 64-byte signature
   */
  async sign(message) {
    const seed = new Uint8Array(await this.#subtle.decrypt(
      { name: 'AES-GCM', iv: this.#record.iv, additionalData: aad(this.#record.publicKey) },
      this.#record.wrappingKey,
      this.#record.ciphertext));
    let secret;
    try {
      secret = secretFromSeed(seed);
      return sr25519Sign(secret, message);
    } finally {
      seed.fill(0);
      secret?.fill(0);
    }
  }

  /** The public facts only: what a page may show or log. */
  toJSON() {
    return { publicKey: this.publicKey, account: this.account, created: this.created.toISOString(), expires: this.expires.toISOString() };
  }
}

/**
 * Creates, loads and forgets the browser's one session key.
 */
export class SessionKeyStore {
  #storage;
  #subtle;
  #random;
  #now;

  /**
   * @param {{ storage?: import('./storage.js').RecordStorage, subtle?: SubtleCrypto,
   *           random?: (length: number) => Uint8Array, now?: () => number }} [options]
   *   storage: default IndexedDB database "sessiongate"; subtle and random: default WebCrypto;
   *   now: the clock in milliseconds (tests inject one).
   */
  constructor({ storage, subtle = globalThis.crypto?.subtle, random, now = Date.now } = {}) {
    if (!subtle) throw new Error('WebCrypto is not available (a secure context, https or localhost, is needed)');
    this.#storage = storage ?? indexedDbStorage();
    this.#subtle = subtle;
    this.#random = random ?? ((length) => globalThis.crypto.getRandomValues(new Uint8Array(length)));
    this.#now = now;
  }

  /** @returns {Promise<SessionKey | null>} the stored key, or null when there is none */
  async load() {
    const record = await this.#storage.get(RECORD_ID);
    return record?.version === RECORD_VERSION ? new SessionKey(record, this.#subtle) : null;
  }

  /**
   * Creates a new key for `account`, replacing any stored one.
   * @param {{ account: string, ttlSeconds?: number }} options
   * @returns {Promise<SessionKey>}
   */
  async create({ account, ttlSeconds = DEFAULT_TTL_SECONDS }) {
    if (!isAccount(account)) throw new TypeError('account must be a bech32 address (kira1…)');
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new RangeError(`ttlSeconds must be positive and at most ${MAX_TTL_SECONDS}`);
    }

    const seed = this.#random(32);
    let secret;
    try {
      secret = secretFromSeed(seed);
      const publicKey = toHex(getPublicKey(secret));
      const wrappingKey = await this.#subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      const iv = this.#random(12);
      const ciphertext = new Uint8Array(await this.#subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(publicKey) }, wrappingKey, seed));
      const created = this.#now();
      const record = {
        version: RECORD_VERSION,
        publicKey,
        account,
        created: new Date(created).toISOString(),
        expires: new Date(created + ttlSeconds * 1000).toISOString(),
        iv,
        ciphertext,
        wrappingKey,
      };
      await this.#storage.put(RECORD_ID, record);
      return new SessionKey(record, this.#subtle);
    } finally {
      seed.fill(0);
      secret?.fill(0);
    }
  }

  /**
   * Records the expiry the gateway granted (e.g. the admin API's answer).
   * @param {SessionKey} key @param {Date | string} expires
   * @returns {Promise<SessionKey>} the updated key
   */
  async setExpiry(key, expires) {
    const record = await this.#storage.get(RECORD_ID);
    const when = new Date(expires);
    if (!record || record.publicKey !== key.publicKey) throw new Error('this key is no longer the stored one');
    if (Number.isNaN(when.getTime())) throw new TypeError('expires must be a date');
    const updated = { ...record, expires: when.toISOString() };
    await this.#storage.put(RECORD_ID, updated);
    return new SessionKey(updated, this.#subtle);
  }

  /** Deletes the stored key (its ciphertext and its wrapping key). */
  async forget() {
    await this.#storage.delete(RECORD_ID);
  }
}

// The public key is authenticated with the ciphertext: a record whose public key was swapped does not decrypt.
const aad = (publicKey) => new TextEncoder().encode('sessiongate-session-key:' + publicKey);
