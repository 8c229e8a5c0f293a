import { useT } from '../i18n.tsx';
import { when } from './format.ts';

/** The one-lock seal chain: was the e-lock intact from sealing to the boundary, and the gate passage. */
export function SealChain({ chain }: { chain: any }) {
  const t = useT();
  // intact "to the boundary" only once the gate passage exists; before that it is intact so far
  const verdict = chain.intact === null ? 'x.sealNotSealed' : !chain.intact ? 'x.sealBroken' : chain.boundaryPassage ? 'x.sealIntact' : 'x.sealIntactSoFar';
  return (
    <div className="seal-chain" data-testid="seal-chain" data-intact={String(chain.intact)}>
      <h4>{t('x.sealChain')}</h4>
      <p className={chain.intact === false ? 'error' : ''}><b>{chain.intact === false ? '✘' : chain.intact ? '✔' : '–'} {t(verdict)}</b></p>
      <table className="grid small"><tbody>
        <tr><th>{t('x.lock')}</th><td>{chain.lockId ?? '–'}</td></tr>
        <tr><th>{t('trip')}</th><td>{chain.tripId}{chain.tripState ? ` · ${t(chain.tripState)}` : ''}</td></tr>
        <tr><th>{t('x.sealedAt')}</th><td>{when(chain.sealedAt)}</td></tr>
        <tr><th>{t('x.boundaryPassage')}</th><td>{chain.boundaryPassage ? `${t(chain.boundaryPassage.decision)} · ${when(chain.boundaryPassage.at)}` : '–'}</td></tr>
        {chain.breaches.map((b: any, i: number) => <tr key={i} className="fail"><th>{t('x.breach')}</th><td>{t(b.type)} · {when(b.at)} · {t(b.severity)} · {t(b.state)}</td></tr>)}
      </tbody></table>
    </div>
  );
}
