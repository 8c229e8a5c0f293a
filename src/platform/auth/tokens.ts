import fs from 'node:fs';
import { randomBytes, createHash, createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { dataPath, type Settings } from '../config.ts';
import { unauthorized } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { Principal } from './principal.ts';

/**
 * The token secret comes from ONELOCK_TOKEN_SECRET; without it a random one is generated once and
 * kept in the data dir (never in the repo), so restarts keep sessions valid.
 */
export function tokenSecret(settings: Settings): Uint8Array {
  if (settings.tokenSecret) return new TextEncoder().encode(settings.tokenSecret);
  const file = dataPath(settings, 'token-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(settings.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim());
}

export class TokenIssuer {
  constructor(private secret: Uint8Array, private ttlS: number, private clock: Clock) {}

  /** A stable value derived from the secret, for demo credentials that must not live in the repo. */
  derive(label: string): string {
    return createHmac('sha256', this.secret).update(label).digest('base64url').slice(0, 24);
  }

  async issue(p: Principal): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + this.ttlS;
    const token = await new SignJWT({ role: p.role, ent: p.enterpriseId, adm: p.administration, name: p.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(p.id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setIssuer('onelock')
      .sign(this.secret);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: 'onelock', currentDate: new Date(this.clock.now()), algorithms: ['HS256'] });
      return {
        id: String(payload.sub),
        name: String(payload.name ?? ''),
        role: payload.role as Principal['role'],
        enterpriseId: (payload.ent as string | null) ?? null,
        administration: (payload.adm as Principal['administration']) ?? null,
      };
    } catch (e) {
      const expired = (e as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthorized(expired ? 'token expired' : 'invalid token');
    }
  }
}

/** API keys (gate controllers, device ingest) are stored only as SHA-256 hashes. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;
