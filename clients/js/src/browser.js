// The browser bundle's entry (dist/sessiongate-client.js): the client API, and <session-key> defined.
import { defineSessionKeyElement } from './session-key-element.js';

export * from './index.js';
export { SessionKeyElement, defineSessionKeyElement } from './session-key-element.js';
export { describeBudgets, describeExpiry, describeSession } from './display.js';

if (typeof customElements !== 'undefined') defineSessionKeyElement();
