import { useT } from '../i18n.tsx';
import { siteClock } from './format.ts';

export interface SlotView { start: string; end: string; capacity: number; reservedForPerishable: number; booked: number; bookedPerishable: number; openForGeneral: boolean; openForPerishable: boolean }

/**
 * One day of a site's 7×24 slots. Each cell shows its load against capacity and the places held for the
 * perishables green channel; a cell only general goods can no longer take but perishables still can is green.
 */
export function SlotGrid({ slots, utcOffsetMinutes, perishable, selected, onSelect }: { slots: SlotView[]; utcOffsetMinutes: number; perishable: boolean; selected: string | null; onSelect: (start: string) => void }) {
  const t = useT();
  return (
    <div className="slot-grid" data-testid="slot-grid">
      {slots.map((s) => {
        const open = perishable ? s.openForPerishable : s.openForGeneral;
        const cls = s.booked >= s.capacity ? 'full' : !s.openForGeneral && s.openForPerishable ? 'green-only' : s.openForGeneral ? 'open' : 'closed';
        const hh = siteClock(s.start, utcOffsetMinutes);
        return (
          <button type="button" key={s.start} className={`slot ${cls} ${selected === s.start ? 'sel' : ''}`} disabled={!open} data-slot={hh} data-start={s.start}
            title={`${hh}–${siteClock(s.end, utcOffsetMinutes)} · ${t(`x.slot.${cls}`)}`} onClick={() => onSelect(s.start)}>
            <b>{hh}</b>
            <span className="load"><i style={{ width: `${Math.min(100, (100 * s.booked) / s.capacity)}%` }} /></span>
            <span>{s.booked}/{s.capacity}</span>
            {s.reservedForPerishable > 0 && <span className="green-share" title={t('x.greenChannel')}><i className="gc" />{Math.min(s.bookedPerishable, s.reservedForPerishable)}/{s.reservedForPerishable}</span>}
          </button>
        );
      })}
    </div>
  );
}
