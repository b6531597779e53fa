// Node globals some of Keplr's dependencies expect at load time (esbuild `inject`).
import { Buffer } from 'buffer/';

export { Buffer };
export const process = { env: { NODE_ENV: 'production' }, browser: true, version: '', versions: {}, nextTick: (f, ...a) => queueMicrotask(() => f(...a)) };
