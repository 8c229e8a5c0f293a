import { useEffect, useState } from 'react';
import { get } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { when } from './format.ts';

const short = (v: unknown) => { const s = JSON.stringify(v) ?? 'null'; return s.length > 140 ? `${s.slice(0, 140)}…` : s; };

/** Every version of a requirement, newest first, with what each one changed against the one before. */
export function RequirementHistory({ id }: { id: string }) {
  const t = useT();
  const [items, setItems] = useState<any[]>([]), [err, setErr] = useState<unknown>(null);
  useEffect(() => { get(`/api/v1/requirements/${id}/versions`).then((r) => setItems(r.items), setErr); }, [id]);
  return (
    <>
      <Problem err={err} />
      <ol className="history" data-testid="requirement-history">{items.map((v, i) => {
        const prev = items[i + 1]?.data;
        const changed = prev ? Object.keys({ ...prev, ...v.data }).filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(v.data[k])) : [];
        return (
          <li key={v.version} data-version={v.version}>
            <b>v{v.version}</b> · {when(v.changedAt)} · {v.changedBy}{v.reason ? <> · <i>{v.reason}</i></> : null}
            {prev ? <ul className="muted">{changed.map((k) => <li key={k}><code>{k}</code>: {short(prev[k])} → {short(v.data[k])}</li>)}</ul> : <span className="muted"> · {t('x.seeded')}</span>}
          </li>
        );
      })}</ol>
    </>
  );
}
