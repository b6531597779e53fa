// Text the <session-key> widget shows; plain functions so Node tests can check them.

/**
 * "kira-holder: 97 of 100 left (resets in 1 s); …" or "not known yet".
 * @param {import('./responses.js').RateLimitInfo | null} rateLimit
 */
export function describeBudgets(rateLimit) {
  if (!rateLimit || rateLimit.budgets.length === 0) return 'not known yet (call the API)';
  return rateLimit.budgets.map((b) => {
    const of = b.quota !== null ? ` of ${b.quota}${b.window !== null ? ` per ${b.window} s` : ''}` : '';
    const reset = b.reset !== null ? ` (resets in ${b.reset} s)` : '';
    return `${b.name}: ${b.remaining ?? '?'}${of} left${reset}`;
  }).join('; ') + (rateLimit.retryAfter !== null ? `; retry after ${rateLimit.retryAfter} s` : '');
}

/**
 * "2026-11-22T10:00:00.000Z (in 23 h 59 min)" or "… (expired)".
 * @param {string} expires ISO time
 * @param {Date} now
 */
export function describeExpiry(expires, now) {
  const ms = new Date(expires).getTime() - now.getTime();
  if (Number.isNaN(ms)) return 'unknown';
  if (ms <= 0) return `${expires} (expired)`;
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const left = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
  return `${expires} (in ${left})`;
}

/**
 * The holder's own quota from GET {pathPrefix}/session:
 * "rate: 59 of 60 left (resets in 1 s); daily: 9990 of 10000 left (resets in 3600 s) · tier holder · balance 1000 ukex".
 * @param {any} view the /session answer, or null
 */
export function describeSession(view) {
  if (!view || !Array.isArray(view.budgets)) return 'not known yet';
  const budgets = view.budgets.map((b) => `${b.name}: ${b.remaining} of ${b.limit} left (resets in ${b.reset_seconds} s)`).join('; ');
  const tier = view.tier?.name ? ` · tier ${view.tier.name}` : '';
  const balance = view.balance?.known ? ` · balance ${view.balance.amount} ${view.balance.denom}` : '';
  return (budgets || 'no budgets') + tier + balance;
}
