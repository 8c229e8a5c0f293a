import { useT } from '../i18n.tsx';

/** Translation when there is one, else the fallback (server codes we have no label for). */
export function useLabel() {
  const t = useT();
  return (key: string, fallback: string) => { const v = t(key); return v === key ? fallback : v; };
}

/**
 * An API refusal as the server gave it: the stable code (translated when known), then every reason the
 * problem carries (`errors.reasons`: objects with code/field/message, or strings like `mrl_exceeded: …`),
 * else its message.
 */
export function Problem({ err }: { err: unknown }) {
  const label = useLabel();
  if (!err) return null;
  const e = err as { code?: string; message?: string; body?: any };
  const reasons: unknown[] | undefined = e.body?.errors?.reasons;
  const code = e.code ?? 'error';
  return (
    <div className="problem" role="alert" data-testid="problem" data-code={code}>
      <b>{label(`x.err.${code}`, code)}</b>
      {reasons?.length ? (
        <ul>{reasons.map((r: any, i) => {
          if (typeof r === 'string') { const [c, ...rest] = r.split(': '); return <li key={i} data-reason={c}>{label(`x.err.${c}`, c)}: {rest.join(': ')}</li>; }
          return <li key={i} data-reason={r.code}>{label(`x.err.${r.code}`, r.code)}: {r.message}</li>;
        })}</ul>
      ) : <span> {e.message}</span>}
    </div>
  );
}

/** A string reason like `mrl_exceeded: imidacloprid 2.5 > 1 mg/kg (codex)`: its code translated, the server's text kept. */
export function Reason({ text }: { text: string }) {
  const label = useLabel();
  const code = text.split(':')[0];
  const l = label(`x.err.${code}`, '');
  return <>{l ? `${l} — ` : ''}{text}</>;
}

/** "Load more" under a paged list. */
export function More({ list }: { list: { next: string | null; more: () => void; items: unknown[] } }) {
  const t = useT();
  return list.next ? <div className="row more"><button type="button" className="ghost" onClick={list.more}>{t('x.more')}</button><span className="muted">{t('x.shown')} {list.items.length}</span></div> : null;
}
