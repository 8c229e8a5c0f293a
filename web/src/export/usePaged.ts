import { useEffect, useState } from 'react';
import { get } from '../api.ts';

/** `path` with the non-empty `params` as its query string (a filter left at "all" is no parameter). */
export const listUrl = (path: string, params: Record<string, string | undefined> = {}) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `${path}?${q}` : path;
};

const withPage = (url: string, limit: number, cursor: string | null) => `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/**
 * A cursor list page by page (newest first): the first page on mount and whenever `url` changes,
 * `more()` appends the next one. `url === null` waits (a filter not chosen yet).
 */
export function usePaged<T extends { id?: string } = any>(url: string | null, limit = 50) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [gen, setGen] = useState(0);
  useEffect(() => {
    if (!url) { setItems([]); setNext(null); return; }
    let live = true;
    setLoading(true);
    get(withPage(url, limit, null))
      .then((p) => { if (live) { setItems(p.items); setNext(p.nextCursor); setErr(null); } }, (e) => { if (live) setErr(e); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [url, limit, gen]);
  const more = async () => {
    if (!next || !url) return;
    try { const p = await get(withPage(url, limit, next)); setItems((xs) => [...xs, ...p.items]); setNext(p.nextCursor); } catch (e) { setErr(e); }
  };
  return {
    items, next, err, loading, more,
    reload: () => setGen((g) => g + 1),
    /** Put an updated record in place (after an action answered with it). */
    replace: (x: T) => setItems((xs) => xs.map((y) => (y.id === x.id ? x : y))),
  };
}
