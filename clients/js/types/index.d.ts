// Types of @sessiongate/client (hand-written; the sources are JavaScript with JSDoc).

/** Anything that signs sr25519 with the "substrate" context, e.g. a SessionKey. */
export interface Signer {
  /** "0x" + 64 hex digits. */
  readonly publicKey: string;
  readonly account?: string;
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** Where SessionKeyStore keeps its record. */
export interface RecordStorage {
  get(id: string): Promise<unknown>;
  put(id: string, value: unknown): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A stored session key: public facts, and sign() which decrypts the secret for one signature. */
export declare class SessionKey implements Signer {
  private constructor();
  readonly publicKey: string;
  readonly account: string;
  readonly created: Date;
  readonly expires: Date;
  sign(message: Uint8Array): Promise<Uint8Array>;
  toJSON(): { publicKey: string; account: string; created: string; expires: string };
}

export interface SessionKeyStoreOptions {
  /** Default: IndexedDB database "sessiongate". */
  storage?: RecordStorage;
  subtle?: SubtleCrypto;
  random?: (length: number) => Uint8Array;
  /** Wall clock in milliseconds (created / expires). */
  now?: () => number;
}

/** The browser's one session key: the seed is kept AES-GCM-encrypted under a non-extractable key. */
export declare class SessionKeyStore {
  constructor(options?: SessionKeyStoreOptions);
  load(): Promise<SessionKey | null>;
  create(options: { account: string; ttlSeconds?: number }): Promise<SessionKey>;
  setExpiry(key: SessionKey, expires: Date | string): Promise<SessionKey>;
  forget(): Promise<void>;
}

export interface Budget {
  name: string;
  quota: number | null;
  window: number | null;
  remaining: number | null;
  reset: number | null;
}

export interface RateLimitInfo {
  budgets: Budget[];
  retryAfter: number | null;
}

/** RFC 9457 problem details as the gateway sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  instance?: string;
  [member: string]: unknown;
}

export interface SessionResult {
  response: Response;
  status: number;
  rateLimit: RateLimitInfo | null;
  problem: Problem | null;
}

export interface SessionClientOptions {
  key: Signer;
  account?: string;
  gateway?: string | URL;
  pathPrefix?: string;
  headerName?: string;
  signingContext?: 'substrate';
  refreshIntervalMs?: number;
  maxHeaderAgeMs?: number;
  /** Monotonic clock in milliseconds. */
  now?: () => number;
  fetch?: typeof fetch;
  /** Longest nonce search when the gateway asks for proof of work (default 10,000 ms). */
  maxSolveMs?: number;
  /** Progress of a nonce search (about every 16 ms, and once when solved). */
  onSolveProgress?: (progress: DifficultyProgress) => void;
}

/** Progress of one nonce search (the difficulty challenge of docs/protocol.md). */
export interface DifficultyProgress {
  difficulty: number;
  hashes: number;
  /** 2^difficulty. */
  expectedHashes: number;
  elapsedMs: number;
  solved: boolean;
}

/** The nonce search ran out of time before finding a nonce. */
export declare class DifficultyError extends Error {
  readonly difficulty: number;
  readonly hashes: number;
}

/** Highest difficulty accepted by solveDifficulty (64). */
export declare const MAX_DIFFICULTY: number;

/** Finds the first nonce whose SHA-256(pubkey ‖ block_hash ‖ nonce as u64 big-endian) has `difficulty` leading zero bits. */
export declare function solveDifficulty(options: {
  publicKey: Uint8Array | string;
  blockHash: Uint8Array | string;
  difficulty: number;
  maxSolveMs?: number;
  onProgress?: (progress: DifficultyProgress) => void;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<number>;
export declare function meetsDifficulty(fields: { publicKey: Uint8Array | string; blockHash: Uint8Array | string; nonce: number; difficulty: number }): boolean;
export declare function challengeDigest(fields: { publicKey: Uint8Array | string; blockHash: Uint8Array | string; nonce: number }): Uint8Array;
export declare function leadingZeroBits(digest: Uint8Array): number;

/** No header could be made: the gateway's latest block could not be read. */
export declare class SessionGateError extends Error {
  readonly status: number | null;
  readonly problem: Problem | null;
}

/** fetch with a kira_session header; fires "response" events (detail: url, status, rateLimit, problem). */
export declare class SessionClient extends EventTarget {
  constructor(options: SessionClientOptions);
  readonly publicKey: string;
  readonly account: string;
  readonly blockUrl: string;
  /** The RateLimit headers of the latest answer that had them. */
  rateLimit: RateLimitInfo | null;
  header(): Promise<string>;
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  request(input: RequestInfo | URL, init?: RequestInit): Promise<SessionResult>;
  /** GET {pathPrefix}/session: the holder's own view; rejects with SessionGateError on a refusal. */
  session(): Promise<SessionView>;
  /** GET {pathPrefix}/session/keys. */
  sessionKeys(): Promise<{ account: string; keys: GrantedKey[] }>;
  /** DELETE {pathPrefix}/session: the key disables itself, permanently. */
  endSession(): Promise<GrantedKey>;
  setKey(key: Signer, account?: string): void;
}

/** A key record as the grant and session endpoints answer it. */
export interface GrantedKey {
  public_key: string;
  account: string;
  expires: string;
  use_case: string;
  scopes: { path: string; methods: string[] }[];
  state: 'active' | 'expired' | 'disabled';
  [member: string]: unknown;
}

/** GET {pathPrefix}/session. */
export interface SessionView {
  account: string;
  session_key: GrantedKey;
  tier: { name: string; permits_per_minute: number; burst: number; daily_quota: number | null; [member: string]: unknown };
  balance: { amount: string | null; denom: string; known: boolean };
  budgets: { name: 'rate' | 'daily' | string; limit: number; remaining: number; reset_seconds: number }[];
}

/** What grantSessionKey needs of a wallet: Keplr's getKey and signArbitrary (window.keplr has them). */
export interface KeplrLikeWallet {
  enable?(chainId: string | string[]): Promise<void>;
  getKey(chainId: string): Promise<{ bech32Address: string }>;
  signArbitrary(chainId: string, signer: string, data: string | Uint8Array): Promise<{ pub_key: { type: string; value: string }; signature: string }>;
}

export type GrantScope = { path: string; methods?: string[] } | string;

export interface GrantOptions {
  wallet: KeplrLikeWallet;
  /** Default: the key SessionKeyStore holds. */
  key?: { publicKey: string; account?: string; expires?: Date };
  store?: SessionKeyStore;
  /** Default: the gateway's GET {pathPrefix}/block chain_id. */
  chainId?: string;
  /** Must equal SessionGate:Grants:Domain. Default: the page's host[:port]. */
  domain?: string;
  statement?: string;
  gateway?: string | URL;
  pathPrefix?: string;
  nonce?: string;
  /** Wall clock in milliseconds (Issued At). */
  now?: () => number;
  fetch?: typeof fetch;
}

/** The gateway refused a grant or revocation (status and problem), or could not be asked. */
export declare class GrantError extends Error {
  readonly status: number | null;
  readonly problem: Problem | null;
}

export declare function grantSessionKey(options: GrantOptions & { expires?: Date | string; useCase?: string; scopes?: GrantScope[] }): Promise<{ status: number; record: GrantedKey; message: string }>;
export declare function revokeSessionKey(options: GrantOptions): Promise<{ status: number; record: GrantedKey; message: string }>;
export declare function readChainId(options?: { gateway?: string | URL; pathPrefix?: string; fetch?: typeof fetch }): Promise<string>;
export declare function grantMessage(fields: { domain: string; account: string; publicKey: string; chainId: string; nonce: string; issuedAt: Date | string; expires: Date | string; useCase?: string; statement?: string; scopes?: GrantScope[] }): string;
export declare function revokeMessage(fields: { domain: string; account: string; publicKey: string; chainId: string; nonce: string; issuedAt: Date | string; statement?: string }): string;

export declare function signedMessage(fields: { account: string; blockHash: string; nonce?: number }): Uint8Array;
export declare function buildHeader(signer: Signer, fields: { account: string; blockHash: string; nonce?: number }): Promise<string>;
export declare function isAccount(value: unknown): value is string;
export declare function isBlockHash(value: unknown): value is string;
export declare function readRateLimit(headers: Headers): RateLimitInfo | null;
export declare function readProblem(response: Response): Promise<Problem | null>;
export declare function parseList(text: string): { name: string; params: Record<string, string> }[];
export declare function indexedDbStorage(options?: { name?: string; store?: string; indexedDB?: IDBFactory }): RecordStorage;
export declare function memoryStorage(): RecordStorage & { records: Map<string, unknown> };
export declare function toHex(bytes: Uint8Array): string;
export declare function fromHex(hex: string, length?: number): Uint8Array;
