import type { GrantedKey, KeplrLikeWallet, SessionClient, SessionKeyStore, SessionView } from './index.js';

/**
 * <session-key>: shows the session key's public facts, the RateLimit quota and the holder's own quota
 * (GET /session); connect wallet (window.keplr) / create / re-create / revoke / forget.
 * Attributes: account, ttl, gateway, path-prefix, chain-id, domain, statement.
 * Events: session-key-change, session-key-granted, session-key-revoked.
 */
export declare class SessionKeyElement extends HTMLElement {
  store: SessionKeyStore;
  /** Default: window.keplr, read when Connect wallet is pressed. */
  wallet: KeplrLikeWallet | null;
  readonly key: { publicKey: string; account: string; created: string; expires: string } | null;
  readonly client: SessionClient | null;
  /** The latest GET /session answer. */
  readonly session: SessionView | null;
  connectWallet(): Promise<GrantedKey>;
  revoke(): Promise<GrantedKey>;
  refreshSession(): Promise<SessionView | null>;
  create(): Promise<void>;
  forget(): Promise<void>;
  setExpiry(expires: Date | string): Promise<void>;
}

export declare function defineSessionKeyElement(name?: string): void;
