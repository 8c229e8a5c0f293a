export const ROLES = ['enterprise', 'officer', 'supervisor', 'gate', 'peer', 'device'] as const;
export type Role = (typeof ROLES)[number];
export type Administration = 'CN' | 'HK';

/** Who is calling, as every handler sees it. */
export interface Principal {
  id: string; // user id, api key id
  name: string;
  role: Role;
  enterpriseId: string | null;
  administration: Administration | null;
  /** For API keys bound to one thing (a device, a gate): its id. */
  subjectId?: string | null;
}

export const actorOf = (p: Principal | null) => (p ? `${p.role}:${p.id}` : 'system');
export const SYSTEM: Principal = { id: 'system', name: 'system', role: 'supervisor', enterpriseId: null, administration: null };
