// The JS client's nonce search rate (docs/RELIABILITY.md, "Difficulty challenge"): solves the
// worked example of docs/protocol.md at d = 16 (first nonce 136,152, so exactly 136,153 hashes per
// solve) a few times with clients/js/src/difficulty.js and prints hashes per second.
//   sg-cpu bench node bench/difficulty/js-solver-rate.mjs [runs]
import { solveDifficulty } from '../../clients/js/src/difficulty.js';
import { cpus } from 'node:os';

const runs = Number(process.argv[2] ?? 10);
const HASHES = 136_153;
const options = {
  publicKey: '44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f',
  blockHash: '0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE',
  difficulty: 16,
  maxSolveMs: 600_000,
};

await solveDifficulty(options); // warm-up (JIT)
const rates = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const nonce = await solveDifficulty(options);
  if (nonce !== HASHES - 1) throw new Error(`unexpected nonce ${nonce}`);
  rates.push(HASHES / ((performance.now() - started) / 1000));
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({
  node: process.version,
  cpu: cpus()[0]?.model,
  runs,
  medianHashesPerSecond: Math.round(rates[Math.floor(runs / 2)]),
  minHashesPerSecond: Math.round(rates[0]),
  maxHashesPerSecond: Math.round(rates.at(-1)),
}));
