/**
 * The certificate signing key: ONELOCK_SIGNING_KEY when set, else a key generated once and kept in
 * the data dir (mode 0600), like the token secret. Never in the repository.
 */
import fs from 'node:fs';
import { dataPath, type Settings } from '../platform/config.ts';
import { generateSigningKey, keyRing, loadSigningKey, type KeyRing, type SigningKey } from './signing.ts';

const cache = new Map<string, { key: SigningKey; ring: KeyRing }>();

export function signingKeyOf(settings: Settings): { key: SigningKey; ring: KeyRing } {
  const cacheKey = settings.signingKey || dataPath(settings, 'certificate-signing-key.pem');
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let pem = settings.signingKey;
  if (!pem) {
    const file = dataPath(settings, 'certificate-signing-key.pem');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(settings.dataDir, { recursive: true });
      try {
        fs.writeFileSync(file, generateSigningKey().privateKeyPem, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first
      }
    }
    pem = fs.readFileSync(file, 'utf8');
  }
  const key = loadSigningKey(pem);
  const out = { key, ring: keyRing([key.publicKey]) };
  cache.set(cacheKey, out);
  return out;
}
