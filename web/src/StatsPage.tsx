import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts';
import { get } from './api.ts';
import { useT } from './i18n.tsx';

function Chart({ option, testId }: { option: echarts.EChartsCoreOption; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => { const c = echarts.init(el.current!); c.setOption(option); const r = () => c.resize(); addEventListener('resize', r); return () => { removeEventListener('resize', r); c.dispose(); }; }, [option]);
  return <div ref={el} className="chart" data-testid={testId} />;
}

/** CSV with a BOM so Excel opens the Chinese text correctly. */
function download(name: string, rows: (string | number | null)[][]) {
  const esc = (v: unknown) => { const s = v === null || v === undefined ? '' : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  const blob = new Blob(['\ufeff' + rows.map((r) => r.map(esc).join(',')).join('\r\n')], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = name; a.click(); URL.revokeObjectURL(a.href);
}

export function StatsPage() {
  const t = useT();
  const [days, setDays] = useState(14);
  const [s, setS] = useState<any>(null);
  useEffect(() => { get(`/api/v1/stats?days=${days}`).then(setS); }, [days]);
  if (!s) return <div className="page">{t('loading')}</div>;
  const csv = () => download(`onelock-stats-${s.window.until.slice(0, 10)}.csv`, [
    ['section', 'key', 'value'],
    ...s.tripsPerDay.map((d: any) => ['trips_per_day', d.date, d.count]),
    ...s.transitByRoute.map((r: any) => ['transit_median_min', r.route, r.medianMin]),
    ...s.alertsByType.map((a: any) => ['alerts_by_type', a.type, a.count]),
    ['gate', 'passages', s.gate.passages], ['gate', 'auto_released', s.gate.autoReleased], ['gate', 'auto_release_rate', s.gate.autoReleaseRate],
    ['time_saved', 'baseline_clearance_min', s.timeSaved.baselineClearanceMin], ['time_saved', 'saved_min', s.timeSaved.savedMin],
    ...s.goodsValue.map((g: any) => ['goods_value', g.currency, g.total]),
  ]);
  return (
    <div className="page stats">
      <div className="toolbar">
        <label>{t('days')} <select value={days} onChange={(e) => setDays(Number(e.target.value))}>{[7, 14, 30, 90].map((d) => <option key={d}>{d}</option>)}</select></label>
        <button data-testid="export-csv" onClick={csv}>{t('exportCsv')}</button>
      </div>
      <div className="kpis">
        <div><span>{t('autoRelease')}</span><b>{s.gate.autoReleaseRate === null ? '–' : `${Math.round(s.gate.autoReleaseRate * 100)}%`}</b><small>{s.gate.autoReleased}/{s.gate.passages}</small></div>
        <div><span>{t('timeSaved')}</span><b>{(s.timeSaved.savedMin / 60).toFixed(1)} {t('hours')}</b><small>{t('baseline')} {s.timeSaved.baselineClearanceMin} min</small></div>
        {s.goodsValue.map((g: any) => <div key={g.currency}><span>{t('goodsValue')}</span><b>{g.total.toLocaleString()}</b><small>{g.currency}</small></div>)}
      </div>
      <div className="charts">
        <Chart testId="chart-trips" option={{ title: { text: t('tripsPerDay'), textStyle: { fontSize: 13 } }, tooltip: {}, xAxis: { type: 'category', data: s.tripsPerDay.map((d: any) => d.date.slice(5)) }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: s.tripsPerDay.map((d: any) => d.count) }] }} />
        <Chart testId="chart-transit" option={{ title: { text: t('transitByRoute'), textStyle: { fontSize: 13 } }, tooltip: {}, xAxis: { type: 'value' }, yAxis: { type: 'category', data: s.transitByRoute.map((r: any) => r.route.slice(0, 24)) }, series: [{ type: 'bar', data: s.transitByRoute.map((r: any) => r.medianMin) }] }} />
        <Chart testId="chart-alerts" option={{ title: { text: t('alertsByType'), textStyle: { fontSize: 13 } }, tooltip: {}, series: [{ type: 'pie', radius: '60%', data: s.alertsByType.map((a: any) => ({ name: t(a.type), value: a.count })) }] }} />
      </div>
    </div>
  );
}
