/** Display helpers shared by the export pages. */
/** Dates in the dashboard's language (the choice i18n.tsx keeps), not the browser's default locale. */
const locale = () => (localStorage.getItem('onelock.lang') === 'en' ? 'en-GB' : 'zh-CN');
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' }) : '–');
export const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(locale()) : '–');
export const kg = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${n.toLocaleString(undefined, { maximumFractionDigits: 3 })} kg`);

/** Hour-of-day label of a slot in the site's own time zone (a slot grid is read in local site time). */
export function siteClock(iso: string, utcOffsetMinutes: number) {
  const d = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
/** Today's date (YYYY-MM-DD) at a site. */
export const siteToday = (utcOffsetMinutes: number, now = Date.now()) => new Date(now + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
/** ≤ 3 decimals: the ledger keeps whole grams. */
export const isKg = (s: string) => /^\d+(\.\d{1,3})?$/.test(s.trim()) && Number(s) > 0;
/** The calendar date (YYYY-MM-DD) of an instant at a site. */
export const siteDate = (iso: string, utcOffsetMinutes: number) => new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
