export * from './index.js';
export * from './element.js';
export declare function describeBudgets(rateLimit: import('./index.js').RateLimitInfo | null): string;
export declare function describeExpiry(expires: string, now: Date): string;
export declare function describeSession(view: import('./index.js').SessionView | null): string;
