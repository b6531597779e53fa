// Generates ADR-036 grant signature vectors for SessionGate (tests/SessionGate.Tests/Grants/Vectors/adr036-vectors.json)
// with the libraries browser wallets use: @keplr-wallet/cosmos builds and serializes the sign doc exactly as
// Keplr's signArbitrary does, @cosmjs/crypto signs (RFC 6979, low-S) and hashes, @cosmjs/amino derives addresses.
// Usage: npm ci && npm run gen > ../../tests/SessionGate.Tests/Grants/Vectors/adr036-vectors.json
import { makeADR36AminoSignDoc, serializeSignDoc } from "@keplr-wallet/cosmos";
import { Secp256k1, sha256, Secp256k1Signature } from "@cosmjs/crypto";
import { pubkeyToAddress, encodeSecp256k1Pubkey, serializeSignDoc as cosmjsSerialize } from "@cosmjs/amino";
import { toBase64, toHex, toUtf8 } from "@cosmjs/encoding";

const order = BigInt("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

async function wallet(label) {
  const priv = sha256(toUtf8("sessiongate adr036 vector key " + label));
  const kp = await Secp256k1.makeKeypair(priv);
  const compressed = Secp256k1.compressPubkey(kp.pubkey);
  return { priv, uncompressed: kp.pubkey, compressed, address: pubkeyToAddress(encodeSecp256k1Pubkey(compressed), "kira") };
}

async function sign(w, message, signer = w.address) {
  const doc = makeADR36AminoSignDoc(signer, message);
  const bytes = serializeSignDoc(doc);
  const other = cosmjsSerialize(doc);
  if (toHex(bytes) !== toHex(other)) throw new Error("keplr and cosmjs serialize the sign doc differently");
  const sig = await Secp256k1.createSignature(sha256(bytes), w.priv);
  const rs = new Uint8Array([...sig.r(32), ...sig.s(32)]);
  if (!(await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(rs), sha256(bytes), w.compressed))) throw new Error("self-check failed");
  return { signDoc: new TextDecoder().decode(bytes), signature: rs };
}

const sessionKeys = [
  "0xdef12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627",
  "0x48016d8d7f20ddd9774f5cc776ee0547f92b92175e58434a26d0690fbfca745a",
];

function grantText(account, { statement, key = sessionKeys[0], scopes } = {}) {
  const lines = [
    "app.example.org wants you to grant a session key to your account:",
    account,
    "",
  ];
  if (statement) lines.push(statement, "");
  lines.push(
    `Session Key: ${key}`,
    "Use Case: frontend_session_key",
    "Chain ID: localnet-1",
    "Nonce: 8fKq2LmZ0aB7",
    "Issued At: 2026-12-02T18:00:00Z",
    "Expiration Time: 2026-12-09T18:00:00.5Z",
  );
  if (scopes) lines.push("Scopes:", ...scopes.map((s) => "- " + s));
  return lines.join("\n");
}

function revokeText(account) {
  return [
    "app.example.org wants you to revoke a session key of your account:",
    account,
    "",
    `Session Key: ${sessionKeys[0]}`,
    "Chain ID: localnet-1",
    "Nonce: r3vok3N0nce1",
    "Issued At: 2026-12-02T19:00:00Z",
  ].join("\n");
}

function flip(bytes, bit) {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

function highS(rs) {
  const s = BigInt("0x" + toHex(rs.slice(32)));
  const hs = (order - s).toString(16).padStart(64, "0");
  return new Uint8Array([...rs.slice(0, 32), ...Uint8Array.from(hs.match(/../g).map((h) => parseInt(h, 16)))]);
}

const alice = await wallet("alice");
const bob = await wallet("bob");
const cases = [];
function add(name, kind, message, pubKey, signature, expected, signDoc) {
  cases.push({ name, kind, message, account: alice.address, pub_key: toBase64(pubKey), signature: toBase64(signature), sign_doc: signDoc ?? null, expected });
}

const plain = grantText(alice.address);
const s1 = await sign(alice, plain);
add("grant_plain", "grant", plain, alice.compressed, s1.signature, "valid", s1.signDoc);

const scoped = grantText(alice.address, { statement: "Sign in to the example app for one week.", key: sessionKeys[1], scopes: ["GET /api/", "GET,POST /api/orders/", "/public/"] });
const s2 = await sign(alice, scoped);
add("grant_statement_and_scopes", "grant", scoped, alice.compressed, s2.signature, "valid", s2.signDoc);

const revoke = revokeText(alice.address);
const s3 = await sign(alice, revoke);
add("revoke", "revoke", revoke, alice.compressed, s3.signature, "valid", s3.signDoc);

for (const bit of [0, 7, 255, 256, 300, 511]) {
  add(`grant_signature_bit_${bit}_flipped`, "grant", plain, alice.compressed, flip(s1.signature, bit), "grant_signature_invalid");
}
for (const bit of [9, 200]) {
  const flipped = flip(alice.compressed, bit);
  add(`grant_pub_key_bit_${bit}_flipped`, "grant", plain, flipped, s1.signature, "grant_signer_mismatch_or_malformed");
}
add("grant_message_changed_after_signing", "grant", plain.replace("Nonce: 8fKq2LmZ0aB7", "Nonce: 8fKq2LmZ0aB8"), alice.compressed, s1.signature, "grant_signature_invalid");
add("grant_high_s", "grant", plain, alice.compressed, highS(s1.signature), "grant_signature_invalid");
add("grant_uncompressed_pub_key", "grant", plain, alice.uncompressed, s1.signature, "grant_malformed");
const bobSigned = await sign(bob, plain, alice.address);
add("grant_signed_by_another_key", "grant", plain, bob.compressed, bobSigned.signature, "grant_signer_mismatch");
const cosmosAccount = pubkeyToAddress(encodeSecp256k1Pubkey(alice.compressed), "cosmos");
const wrongPrefix = grantText(cosmosAccount);
const s4 = await sign(alice, wrongPrefix, cosmosAccount);
add("grant_wrong_address_prefix", "grant", wrongPrefix, alice.compressed, s4.signature, "grant_malformed", s4.signDoc);
cases.at(-1).account = cosmosAccount;

console.log(JSON.stringify({
  generator: "tools/adr036-vectors/gen-vectors.mjs (@keplr-wallet/cosmos makeADR36AminoSignDoc + serializeSignDoc, @cosmjs/crypto, @cosmjs/amino)",
  address_prefix: "kira",
  domain: "app.example.org",
  chain_id: "localnet-1",
  wallets: { alice: { address: alice.address, compressed: toHex(alice.compressed) }, bob: { address: bob.address, compressed: toHex(bob.compressed) } },
  cases,
}, null, 2));
