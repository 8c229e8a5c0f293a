import { useT } from '../i18n.tsx';

/** What the importing country asks for this commodity, as the exporter and the officer need to read it. */
export function RequirementSummary({ req, compact = false }: { req: any; compact?: boolean }) {
  const t = useT();
  const flag = (on: boolean, key: string) => <span className={`flag ${on ? 'on' : ''}`}>{on ? '●' : '○'} {t(key)}</span>;
  return (
    <div className="requirement" data-testid="requirement-summary">
      <div className="row">
        <b>{req.country} {req.countryName} · {req.commodity}</b>
        {flag(req.registeredOrchardRequired, 'x.req.orchard')}{flag(req.registeredPackingHouseRequired, 'x.req.packingHouse')}{flag(req.importPermitRequired, 'x.req.permit')}
        {!req.verified && <span className="badge warning">{t('x.unverified')}</span>}
      </div>
      {req.treatment && <div><b>{t('x.treatment')}:</b> {req.treatment.type} — {req.treatment.description}</div>}
      {req.additionalDeclaration && <div><b>{t('x.additionalDeclaration')}:</b> {req.additionalDeclaration}</div>}
      {!compact && <div><b>{t('x.pests')}:</b> {req.quarantinePests.length ? req.quarantinePests.join(', ') : t('none')}</div>}
      {!compact && req.pointsOfEntry?.length ? <div><b>{t('x.pointsOfEntry')}:</b> {req.pointsOfEntry.join(', ')}</div> : null}
      {!compact && req.notes && <div className="muted">{req.notes}</div>}
    </div>
  );
}
