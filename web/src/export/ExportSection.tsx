import type { Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { ApplyPage } from './ApplyPage.tsx';
import { ApplicationsTable } from './ApplicationsTable.tsx';
import { AppointmentsPage } from './AppointmentsPage.tsx';
import { BatchesPage } from './BatchesPage.tsx';
import { BatchPage } from './BatchPage.tsx';
import { CertificatesTable } from './CertificatesTable.tsx';
import { RequirementsPage } from './RequirementsPage.tsx';
import { FacilitiesPage } from './FacilitiesPage.tsx';

/** Export inspection pages by role: an exporter applies and follows its own; customs work the queue and the registers. */
const TABS: Record<string, string[]> = {
  enterprise: ['apply', 'appointments', 'batches', 'certificates', 'facilities', 'requirements'],
  officer: ['queue', 'appointments', 'batches', 'certificates', 'requirements', 'facilities'],
  supervisor: ['queue', 'appointments', 'batches', 'certificates', 'requirements', 'facilities'],
};

/** `#/exports/<tab>[/<id>]`; `batch/<id>` is a batch's own page under the batches tab. */
export function ExportSection({ me, sub, id }: { me: Me; sub?: string; id?: string }) {
  const t = useT();
  const tabs = TABS[me.role] ?? [];
  const cur = sub && (tabs.includes(sub) || sub === 'batch') ? sub : tabs[0];
  const staff = me.role !== 'enterprise';
  return (
    <div className="page export">
      <nav className="tabs">
        {tabs.map((x) => <a key={x} href={`#/exports/${x}`} data-tab={x} className={cur === x || (cur === 'batch' && x === 'batches') ? 'on' : ''}>{t(`x.tab.${x}`)}</a>)}
        <a href="#/verify" data-tab="verify" className="right">{t('x.tab.verify')}</a>
      </nav>
      {cur === 'apply' ? <ApplyPage />
        : cur === 'queue' ? <ApplicationsTable staff={staff} />
        : cur === 'appointments' ? <AppointmentsPage me={me} applicationId={id} />
        : cur === 'batches' ? <BatchesPage />
        : cur === 'batch' && id ? <BatchPage key={id} id={id} me={me} />
        : cur === 'certificates' ? <CertificatesTable me={me} />
        : cur === 'requirements' ? <RequirementsPage me={me} />
        : cur === 'facilities' ? <FacilitiesPage me={me} />
        : null}
    </div>
  );
}
