// What a gateway answer tells the caller beyond the status: RFC 9457 problem details and the IETF
// RateLimit / RateLimit-Policy headers (structured-field lists), e.g.
//   RateLimit-Policy: "holder";q=100;w=10, "holder-daily";q=100000;w=86400
//   RateLimit: "holder";r=42;t=3, "holder-daily";r=99958;t=41234

const MAX_PROBLEM_BYTES = 16 * 1024;

/**
 * @typedef {object} Budget
 * @property {string} name policy name (the tier, or the tier + "-daily")
 * @property {number | null} quota units per window (q), when RateLimit-Policy says
 * @property {number | null} window window in seconds (w)
 * @property {number | null} remaining units left (r)
 * @property {number | null} reset seconds until the window resets (t)
 */

/**
 * @typedef {object} RateLimitInfo
 * @property {Budget[]} budgets one per policy, in the order the gateway sent them
 * @property {number | null} retryAfter seconds from Retry-After (429 answers)
 */

/**
 * Reads the RateLimit headers of a response. Null when it has none (e.g. the gateway's own endpoints).
 * @param {Headers} headers
 * @returns {RateLimitInfo | null}
 */
export function readRateLimit(headers) {
  const limits = headers.get('RateLimit');
  const policies = headers.get('RateLimit-Policy');
  const retry = headers.get('Retry-After');
  if (limits === null && policies === null && retry === null) return null;

  /** @type {Map<string, Budget>} */
  const budgets = new Map();
  const budget = (name) => {
    if (!budgets.has(name)) budgets.set(name, { name, quota: null, window: null, remaining: null, reset: null });
    return budgets.get(name);
  };
  for (const { name, params } of parseList(policies ?? '')) {
    Object.assign(budget(name), { quota: integer(params.q), window: integer(params.w) });
  }
  for (const { name, params } of parseList(limits ?? '')) {
    Object.assign(budget(name), { remaining: integer(params.r), reset: integer(params.t) });
  }
  return { budgets: [...budgets.values()], retryAfter: retry !== null && /^\d+$/.test(retry.trim()) ? Number(retry.trim()) : null };
}

/**
 * The problem details of a refusal (`application/problem+json`), read from a clone so the caller
 * can still read the body. Null for any other answer.
 * @param {Response} response
 * @returns {Promise<{ type?: string, title?: string, status?: number, code?: string, detail?: string, instance?: string } | null>}
 */
export async function readProblem(response) {
  const type = response.headers.get('Content-Type') ?? '';
  const length = Number(response.headers.get('Content-Length') ?? 0);
  if (!/^application\/problem\+json\b/i.test(type) || length > MAX_PROBLEM_BYTES) return null;
  try {
    const text = await response.clone().text();
    if (text.length > MAX_PROBLEM_BYTES) return null;
    const problem = JSON.parse(text);
    return problem !== null && typeof problem === 'object' && !Array.isArray(problem) ? problem : null;
  } catch {
    return null;
  }
}

/**
 * A structured-field list (RFC 8941) of bare items with parameters, as much of it as these headers
 * use: items are strings or tokens; parameter values are integers, strings or tokens. Members that
 * do not parse are skipped rather than failing the whole header.
 * @param {string} text
 * @returns {{ name: string, params: Record<string, string> }[]}
 */
export function parseList(text) {
  const items = [];
  let i = 0;
  const skipSpaces = () => { while (text[i] === ' ' || text[i] === '\t') i++; };
  const readValue = () => {
    if (text[i] === '"') {
      let value = '';
      for (i++; i < text.length; i++) {
        if (text[i] === '\\') { value += text[++i] ?? ''; continue; }
        if (text[i] === '"') { i++; return value; }
        value += text[i];
      }
      return null; // unterminated
    }
    const match = /^[A-Za-z0-9*:/.%!#$&'+^_`|~-]+/.exec(text.slice(i));
    if (!match) return null;
    i += match[0].length;
    return match[0];
  };

  while (i < text.length) {
    skipSpaces();
    const name = readValue();
    const params = {};
    let ok = name !== null;
    while (ok && text[i] === ';') {
      i++;
      skipSpaces();
      const key = /^[a-z*][a-z0-9_.*-]*/.exec(text.slice(i))?.[0];
      if (!key) { ok = false; break; }
      i += key.length;
      if (text[i] === '=') {
        i++;
        const value = readValue();
        if (value === null) { ok = false; break; }
        params[key] = value;
      } else {
        params[key] = '?1';
      }
    }
    if (ok) items.push({ name, params });
    // On to the next member, whatever is left of this one.
    while (i < text.length && text[i] !== ',') i++;
    i++;
  }
  return items;
}

const integer = (value) => (value !== undefined && /^-?\d{1,15}$/.test(value) ? Number(value) : null);
