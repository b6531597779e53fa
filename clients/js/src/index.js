// @sessiongate/client: sr25519 session keys in the browser and fetch with the kira_session header.
export { SessionKey, SessionKeyStore } from './keystore.js';
export { SessionClient, SessionGateError } from './client.js';
export { grantSessionKey, revokeSessionKey, grantMessage, revokeMessage, readChainId, GrantError } from './grants.js';
export { buildHeader, signedMessage, isAccount, isBlockHash } from './header.js';
export { readProblem, readRateLimit, parseList } from './responses.js';
export { indexedDbStorage, memoryStorage } from './storage.js';
export { toHex, fromHex } from './hex.js';
export { solveDifficulty, meetsDifficulty, challengeDigest, leadingZeroBits, DifficultyError, MAX_DIFFICULTY } from './difficulty.js';
