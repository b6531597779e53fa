namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>
/// Scripts the browser test runs in the demo page (Selenium's ExecuteAsyncScript: the last argument
/// is the callback). They use the page's own module instance of the client bundle.
/// </summary>
internal static class PageScripts
{
    // The page's widget and its module instance of the client bundle (same URL, same module).
    private const string Prelude = """
        const client = await import(new URL('demo/sessiongate-client.js', location.href).href);
        const widget = document.getElementById('session-key');
        const problemOf = async (response) => (await client.readProblem(response))?.code ?? null;
        """;

    /// <summary>The script for ExecuteAsyncScript: runs <paramref name="body"/> and reports its value, or its error as <c>{ error }</c>.</summary>
    public static string Run(string body) =>
        "const done = arguments[arguments.length - 1];\n(async () => {\n" + Prelude + "\n" + body + "\n})()"
        + ".then(done, (e) => done({ error: String((e && e.stack) || e) }));";

    /// <summary>
    /// Sends, with plain fetch, a header whose signature was tampered with, and one correctly signed
    /// over a block the gateway does not know; returns the status, code and WWW-Authenticate of each.
    /// </summary>
    public const string ForgedAndStaleHeaders = """
        const send = async (header) => {
          const response = await fetch('/api/hello', { headers: { kira_session: header } });
          return { status: response.status, code: await problemOf(response), challenge: response.headers.get('WWW-Authenticate') };
        };
        const valid = JSON.parse(await widget.client.header());
        const last = valid.signature.slice(-1);
        const forged = JSON.stringify({ ...valid, signature: valid.signature.slice(0, -1) + (last === '0' ? '1' : '0') });
        const key = await widget.store.load();
        const stale = await client.buildHeader(key, { account: key.account, blockHash: '00'.repeat(32) });
        return { forged: await send(forged), stale: await send(stale), valid: (await widget.client.request('/api/hello')).status };
        """;

    /// <summary>
    /// Reads the IndexedDB record, decrypts the seed with the page's non-extractable key (only this
    /// origin can), and looks for it in Web Storage, cookies, globals and the DOM.
    /// </summary>
    public const string SecretAtRest = """
        const record = await new Promise((resolve, reject) => {
          const open = indexedDB.open('sessiongate');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('keys').objectStore('keys').get('current');
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => reject(get.error);
          };
        });
        const seed = new Uint8Array(await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode('sessiongate-session-key:' + record.publicKey) },
          record.wrappingKey, record.ciphertext));
        const seedHex = [...seed].map((b) => b.toString(16).padStart(2, '0')).join('');
        const containsSeed = (bytes) => {
          for (let i = 0; i + seed.length <= bytes.length; i++) {
            if (seed.every((b, j) => bytes[i + j] === b)) return true;
          }
          return false;
        };
        const texts = [];
        for (const storage of [localStorage, sessionStorage]) {
          for (let i = 0; i < storage.length; i++) texts.push(storage.key(i), storage.getItem(storage.key(i)));
        }
        texts.push(document.cookie, document.documentElement.outerHTML, widget.shadowRoot.innerHTML);
        const leakingGlobals = [];
        for (const name of Object.getOwnPropertyNames(window)) {
          let value;
          try { value = window[name]; } catch { continue; }
          if (value === null || value === undefined || typeof value === 'function') continue;
          if (ArrayBuffer.isView(value) && containsSeed(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))) { leakingGlobals.push(name); continue; }
          let text;
          try { text = typeof value === 'string' ? value : JSON.stringify(value); } catch { continue; }
          if (typeof text === 'string' && text.toLowerCase().includes(seedHex)) leakingGlobals.push(name);
        }
        let exportable = true;
        try { await crypto.subtle.exportKey('raw', record.wrappingKey); } catch { exportable = false; }
        return {
          seedHex,
          publicKey: record.publicKey,
          fields: Object.keys(record).sort().join(','),
          ciphertextLength: record.ciphertext.length,
          ciphertextHoldsSeed: containsSeed(record.ciphertext),
          extractable: record.wrappingKey.extractable,
          exportable,
          algorithm: record.wrappingKey.algorithm.name,
          inWebStorageOrDom: texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(seedHex)),
          localStorageItems: localStorage.length,
          sessionStorageItems: sessionStorage.length,
          leakingGlobals,
        };
        """;
}
