import { useT } from '../i18n.tsx';

/** The signed certificate content (ISPM 12 model fields), as it was signed. */
export function SignedContent({ c, untrusted = false }: { c: any; untrusted?: boolean }) {
  const t = useT();
  const party = (p: any) => [p?.name, ...(p?.address ?? [])].filter(Boolean).join(', ');
  const rows: [string, unknown][] = [
    ['x.certificateNo', `${c.number} (${c.type === 'reexport' ? '657' : '851'})`],
    ['x.issuingOffice', `${c.issuingOffice} · ${c.exportingNppo}`],
    ['x.destination', `${c.importCountryName ?? ''} (${c.importCountry})`],
    ['x.exporter', party(c.exporter)], ['x.consignee', party(c.consignee)],
    ['x.commodity', `${c.commodity?.commonNameZh ?? ''} ${c.commodity?.description ?? ''} · ${c.commodity?.netWeightKg} kg`],
    ['x.botanicalName', c.commodity?.scientificName],
    ['packages', c.packages && `${c.packages.count} ${c.packages.typeCode}`],
    ['x.marks', c.distinguishingMarks], ['x.placeOfOrigin', c.placeOfOrigin && [c.placeOfOrigin.subdivision, c.placeOfOrigin.country].filter(Boolean).join(', ')],
    ['x.conveyance', c.conveyance && `${t(`x.mode.${c.conveyance.modeCode}`)} ${c.conveyance.name ?? ''}`],
    ['x.pointOfEntry', c.pointOfEntry && `${c.pointOfEntry.name}${c.pointOfEntry.locode ? ` (${c.pointOfEntry.locode})` : ''}`],
    ['x.additionalDeclaration', c.additionalDeclaration],
    ['x.treatment', c.treatment && Object.values(c.treatment).filter(Boolean).join(' · ')],
    ['x.issued', c.issue && `${c.issue.place} · ${c.issue.date} · ${c.issue.officer}`],
    ['x.validUntil', c.validUntil],
    ['x.replaces', c.replaces && `${c.replaces.number} · ${c.replaces.reason}`],
    ['x.lockedTrip', c.sealChain && `${c.sealChain.lockId} / ${c.sealChain.tripId}`],
  ];
  return (
    <div className={`signed-content ${untrusted ? 'untrusted' : ''}`}>
      <h4>{untrusted ? t('x.contentUntrusted') : t('x.signedContent')}</h4>
      <table className="grid small" data-testid="signed-content"><tbody>
        {rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => <tr key={k}><th>{t(k)}</th><td>{String(v)}</td></tr>)}
      </tbody></table>
    </div>
  );
}
