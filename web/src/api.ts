/** The API client: the token lives in sessionStorage so a reload keeps the session, a new tab asks again. */
export interface Me { id: string; name: string; role: 'enterprise' | 'officer' | 'supervisor' | string; enterpriseId: string | null; administration: string | null }

let token: string | null = sessionStorage.getItem('onelock.token');
export const getToken = () => token;
export function setToken(t: string | null) { token = t; if (t) sessionStorage.setItem('onelock.token', t); else sessionStorage.removeItem('onelock.token'); }

export class ApiError extends Error { constructor(public status: number, public code: string, message: string, public body: any) { super(message); } }

export async function api<T = any>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? (r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : null;
  if (!r.ok) {
    if (r.status === 401 && token) { setToken(null); location.hash = '#/login'; }
    throw new ApiError(r.status, data?.code ?? 'error', data?.detail ?? data?.title ?? data?.message ?? r.statusText, data);
  }
  return data as T;
}
export const get = <T = any>(url: string) => api<T>('GET', url);
export const post = <T = any>(url: string, body: unknown = {}) => api<T>('POST', url, body);

/** Reads every page of a cursor list (small registries: vehicles, drivers, places). */
export async function all<T = any>(url: string, max = 2000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await get(`${url}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

export type LiveMsg = { type: 'event'; id: number; kind: 'position' | 'alert'; data: any } | { type: string; [k: string]: any };

/**
 * One WebSocket to /api/v1/live; reconnects with the last event ID so nothing in the buffer is
 * missed. `onGap` tells the page to reload its state over REST.
 */
export function live(sub: { positions: unknown; alerts: boolean }, onEvent: (m: LiveMsg) => void, onGap?: () => void): () => void {
  let ws: WebSocket | null = null, lastId: number | undefined, closed = false, retry = 500;
  const open = () => {
    if (closed || !token) return;
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${proto}://${location.host}/api/v1/live?token=${encodeURIComponent(token)}`);
    ws.onopen = () => { retry = 500; ws!.send(JSON.stringify({ subscribe: sub, throttleMs: 1000, ...(lastId !== undefined ? { lastEventId: lastId } : {}) })); };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data) as LiveMsg;
      // alerts overtake a throttle window's positions: resume from the highest ID seen, not the last
      if (m.type === 'event') { lastId = Math.max(lastId ?? 0, m.id as number); onEvent(m); }
      else if (m.type === 'hello' && lastId === undefined) lastId = m.lastEventId as number;
      else if (m.type === 'gap') onGap?.();
    };
    ws.onclose = () => { if (!closed) setTimeout(open, retry = Math.min(retry * 2, 10_000)); };
  };
  open();
  return () => { closed = true; ws?.close(); };
}

/** A signed-in download (PDF, XML): fetch with the token, then hand the bytes to the browser as a file. */
export async function download(url: string, filename: string): Promise<void> {
  const r = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!r.ok) { const d = await r.json().catch(() => null); throw new ApiError(r.status, d?.code ?? 'error', d?.detail ?? r.statusText, d); }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await r.blob()); a.download = filename;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** POST a file as the raw body (certificate upload for verification). */
export async function postFile<T = any>(url: string, file: Blob, type: string): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: file });
  const data = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (!r.ok) throw new ApiError(r.status, data?.code ?? 'error', data?.detail ?? r.statusText, data);
  return data as T;
}
export const patch = <T = any>(url: string, body: unknown) => api<T>('PATCH', url, body);
