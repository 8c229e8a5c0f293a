/**
 * Ed25519 signatures over the canonical certificate content (node:crypto).
 *
 * Keys come as strings so the lead can pass them from the environment or a file under the data dir:
 *  - private: PKCS#8 PEM, base64 of PKCS#8 DER, or base64 of the raw 32-byte seed;
 *  - public:  SPKI PEM, base64 of SPKI DER, or base64 of the raw 32-byte key.
 * `keyId` = first 16 hex chars of SHA-256 over the raw 32-byte public key; it is carried with each
 * signature so verifiers pick the right key and keys can be rotated (keep old public keys in the ring).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import { canonicalBytes } from './canonical.ts';
import type { CertificateContent, Signature } from './model.ts';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export interface GeneratedKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

const badKey = (what: string) => new AppError(400, 'invalid_key', `${what} is not an Ed25519 key (PEM, base64 DER or base64 raw 32 bytes)`);

function asEd25519(k: KeyObject, what: string): KeyObject {
  if (k.asymmetricKeyType !== 'ed25519') throw badKey(what);
  return k;
}

export function parsePrivateKey(s: string | KeyObject): KeyObject {
  if (typeof s !== 'string') return asEd25519(s, 'private key');
  try {
    const t = s.trim();
    if (t.startsWith('-----BEGIN')) return asEd25519(createPrivateKey(t), 'private key');
    const der = Buffer.from(t, 'base64');
    const pkcs8 = der.length === 32 ? Buffer.concat([PKCS8_PREFIX, der]) : der;
    return asEd25519(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), 'private key');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw badKey('private key');
  }
}

export function parsePublicKey(s: string | KeyObject): KeyObject {
  if (typeof s !== 'string') return asEd25519(s.type === 'private' ? createPublicKey(s) : s, 'public key');
  try {
    const t = s.trim();
    if (t.startsWith('-----BEGIN')) return asEd25519(createPublicKey(t), 'public key');
    const der = Buffer.from(t, 'base64');
    const spki = der.length === 32 ? Buffer.concat([SPKI_PREFIX, der]) : der;
    return asEd25519(createPublicKey({ key: spki, format: 'der', type: 'spki' }), 'public key');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw badKey('public key');
  }
}

/** Raw 32-byte public key. */
export function rawPublicKey(pub: KeyObject): Buffer {
  const der = pub.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export function keyIdOf(pub: KeyObject | string): string {
  return createHash('sha256').update(rawPublicKey(parsePublicKey(pub))).digest('hex').slice(0, 16);
}

export function loadSigningKey(privateKey: string | KeyObject): SigningKey {
  const priv = parsePrivateKey(privateKey);
  const pub = createPublicKey(priv);
  return { privateKey: priv, publicKey: pub, keyId: keyIdOf(pub) };
}

/** A fresh key pair as PEM strings (store the private one under the data dir with mode 0600). */
export function generateSigningKey(): GeneratedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Public keys by keyId. Build once and reuse: parsing keys costs more than verifying. */
export type KeyRing = ReadonlyMap<string, KeyObject>;
export type KeyObjectLike = string | KeyObject;

export function keyRing(keys: Iterable<KeyObjectLike> | KeyRing): KeyRing {
  if (keys instanceof Map) return keys as KeyRing;
  const m = new Map<string, KeyObject>();
  for (const k of keys as Iterable<KeyObjectLike>) {
    const pub = parsePublicKey(k);
    m.set(keyIdOf(pub), pub);
  }
  return m;
}

export function signContent(content: CertificateContent, key: SigningKey): Signature {
  const value = sign(null, canonicalBytes(content), key.privateKey).toString('base64');
  return { alg: 'Ed25519', keyId: key.keyId, value };
}

export type SignatureCheck = { ok: true } | { ok: false; code: 'unknown_key' | 'bad_signature' | 'unsupported_algorithm' | 'not_canonical' };

/** Verify `sig` over canonicalJson(content) with the key named by sig.keyId. */
export function verifyContent(content: unknown, sig: Signature, keys: KeyRing): SignatureCheck {
  if (!sig || sig.alg !== 'Ed25519') return { ok: false, code: 'unsupported_algorithm' };
  const pub = keys.get(sig.keyId);
  if (!pub) return { ok: false, code: 'unknown_key' };
  let bytes: Buffer;
  try {
    bytes = canonicalBytes(content);
  } catch {
    return { ok: false, code: 'not_canonical' };
  }
  const raw = typeof sig.value === 'string' ? Buffer.from(sig.value, 'base64') : Buffer.alloc(0);
  if (raw.length !== 64) return { ok: false, code: 'bad_signature' };
  return verify(null, bytes, pub, raw) ? { ok: true } : { ok: false, code: 'bad_signature' };
}
