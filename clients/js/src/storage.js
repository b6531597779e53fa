// Where SessionKeyStore keeps its one record: IndexedDB in browsers (it stores CryptoKey objects,
// non-extractable ones included, by structured clone), a Map for tests and Node.

/**
 * @typedef {object} RecordStorage
 * @property {(id: string) => Promise<any>} get the record, or undefined
 * @property {(id: string, value: any) => Promise<void>} put
 * @property {(id: string) => Promise<void>} delete
 */

/**
 * IndexedDB storage: database `name`, one object store `store`.
 * @param {{ name?: string, store?: string, indexedDB?: IDBFactory }} [options]
 * @returns {RecordStorage}
 */
export function indexedDbStorage({ name = 'sessiongate', store = 'keys', indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new Error('IndexedDB is not available here; pass a storage (e.g. memoryStorage())');
  /** @type {Promise<IDBDatabase> | undefined} */
  let opening;
  const open = () => (opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opening = undefined; reject(request.error); };
    request.onblocked = () => { opening = undefined; reject(new Error(`IndexedDB database ${name} is blocked by another tab`)); };
  }));

  /** @param {IDBTransactionMode} mode @param {(s: IDBObjectStore) => IDBRequest} action */
  async function run(mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = action(tx.objectStore(store));
      // Resolve on commit, so a put is durable before the caller goes on.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  return {
    get: (id) => run('readonly', (s) => s.get(id)),
    put: async (id, value) => { await run('readwrite', (s) => s.put(value, id)); },
    delete: async (id) => { await run('readwrite', (s) => s.delete(id)); },
  };
}

/**
 * In-memory storage (tests, Node): the record is lost with the process.
 * @returns {RecordStorage & { records: Map<string, any> }}
 */
export function memoryStorage() {
  const records = new Map();
  return {
    records,
    get: async (id) => records.get(id),
    put: async (id, value) => { records.set(id, value); },
    delete: async (id) => { records.delete(id); },
  };
}
