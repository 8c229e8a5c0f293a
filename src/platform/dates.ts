/**
 * The one reading of an instant from outside: RFC 3339 date-time with a zone
 * (`2026-12-03T08:00:00+08:00`, `…Z`). Date.parse alone is too lenient for an API: it takes
 * "Dec 3", a time without a zone (read in the server's zone) and 30 February (rolled into March);
 * and a leap second (…:60), valid RFC 3339, has no JavaScript Date at all.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/** Epoch ms of an RFC 3339 date-time with a zone, or null when it is not one (or names no real instant). */
export function parseInstant(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

export const isInstant = (s: string) => parseInstant(s) !== null;
