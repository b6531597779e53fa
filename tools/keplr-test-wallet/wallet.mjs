// A Keplr-shaped wallet for SessionGate's tests: enable(chainId), getKey(chainId) and
// signArbitrary(chainId, signer, data), answering what Keplr answers. The sign doc is built and
// serialized by @keplr-wallet/cosmos (makeADR36AminoSignDoc, serializeSignDoc: what Keplr's
// signArbitrary runs), signed by @cosmjs/crypto (secp256k1, RFC 6979, low-S) over its SHA-256, and the
// address is @cosmjs/amino's. Nothing here is SessionGate code: a bug in the gateway's or the
// client's ADR-036 handling cannot cancel out against the same bug here.
// Node tests import this file; build.mjs bundles it for the browser (window.installTestKeplr).
import { makeADR36AminoSignDoc, serializeSignDoc } from '@keplr-wallet/cosmos';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { encodeSecp256k1Pubkey, pubkeyToAddress } from '@cosmjs/amino';
import { fromHex, toBase64 } from '@cosmjs/encoding';

/**
 * @param {object} options
 * @param {string | Uint8Array} options.privateKey 32 bytes (hex, 0x optional, or bytes)
 * @param {string} [options.prefix] the bech32 prefix (default "kira")
 * @param {'enable' | 'sign' | null} [options.reject] make enable() or signArbitrary() fail as Keplr does when the user rejects
 */
export async function createTestWallet({ privateKey, prefix = 'kira', reject = null }) {
  const secret = typeof privateKey === 'string' ? fromHex(privateKey.replace(/^0x/, '')) : privateKey;
  const pair = await Secp256k1.makeKeypair(secret);
  const publicKey = Secp256k1.compressPubkey(pair.pubkey);
  const bech32Address = pubkeyToAddress(encodeSecp256k1Pubkey(publicKey), prefix);
  const calls = [];
  const rejected = () => new Error('Request rejected');

  return {
    bech32Address,
    /** What was asked of the wallet, in order: [method, chainId, ...]. */
    calls,
    async enable(chainId) {
      calls.push(['enable', chainId]);
      if (reject === 'enable') throw rejected();
    },
    async getKey(chainId) {
      calls.push(['getKey', chainId]);
      return { name: 'test wallet', algo: 'secp256k1', pubKey: publicKey, bech32Address, isNanoLedger: false, isKeystone: false };
    },
    async signArbitrary(chainId, signer, data) {
      calls.push(['signArbitrary', chainId, signer, data]);
      if (reject === 'sign') throw rejected();
      if (signer !== bech32Address) throw new Error('Signer mismatched');
      const signDoc = serializeSignDoc(makeADR36AminoSignDoc(signer, data));
      const signature = await Secp256k1.createSignature(sha256(signDoc), secret);
      return {
        pub_key: { type: 'tendermint/PubKeySecp256k1', value: toBase64(publicKey) },
        signature: toBase64(new Uint8Array([...signature.r(32), ...signature.s(32)])),
      };
    },
  };
}
