// Hex helpers: "0x" + lowercase hex out; "0x" optional, either case in.

/**
 * @param {Uint8Array} bytes
 * @returns {string} "0x" followed by two lowercase hex digits per byte
 */
export function toHex(bytes) {
  let text = '0x';
  for (const b of bytes) text += b.toString(16).padStart(2, '0');
  return text;
}

/**
 * @param {string} hex hex digits, "0x" optional, either case
 * @param {number} [length] the expected number of bytes
 * @returns {Uint8Array}
 */
export function fromHex(hex, length) {
  if (typeof hex !== 'string') throw new TypeError('hex must be a string');
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new TypeError('not a hex string');
  if (length !== undefined && digits.length !== length * 2) throw new TypeError(`expected ${length} bytes of hex`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
