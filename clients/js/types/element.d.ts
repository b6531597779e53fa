import type { SessionClient, SessionKeyStore } from './index.js';

/** <session-key>: shows the session key's public facts and quota; create / re-create / forget. */
export declare class SessionKeyElement extends HTMLElement {
  store: SessionKeyStore;
  readonly key: { publicKey: string; account: string; created: string; expires: string } | null;
  readonly client: SessionClient | null;
  create(): Promise<void>;
  forget(): Promise<void>;
  setExpiry(expires: Date | string): Promise<void>;
}

export declare function defineSessionKeyElement(name?: string): void;
