/** The headline figures of the range: calls, ASR, NER, ACD, PDD p50/p95 (server/kpi/stats.ts defines each). */
import type { ApiCallStats } from '../../../server/api/types.ts';
import { formatDuration } from '../model/time-format.ts';
import './KpiTiles.css';

/** A ratio 0–1 as a percentage with one decimal; a dash when there is nothing to divide. */
export function percent(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)} %`;
}

const ms = (v: number | null) => (v === null ? '—' : formatDuration(v * 1000));

export function KpiTiles({ s }: { s: ApiCallStats }) {
  const tiles: { id: string; label: string; value: string; title: string }[] = [
    { id: 'calls', label: 'Calls', value: String(s.calls), title: `${s.attempts} with a final answer, ${s.inProgress} without one yet` },
    { id: 'asr', label: 'ASR', value: percent(s.asr), title: 'Answer-seizure ratio: answered calls over calls with a final answer' },
    { id: 'ner', label: 'NER', value: percent(s.ner), title: 'Network effectiveness ratio: calls with a final answer not failed for a network reason (5xx, or a rejection other than 603/607), over calls with a final answer' },
    { id: 'acd', label: 'ACD', value: ms(s.acdMs), title: 'Average call duration: answer to BYE, over the answered calls that ended' },
    { id: 'pdd-p50', label: 'PDD p50', value: ms(s.pddP50Ms), title: 'Post-dial delay, median: INVITE to the first 180/183, else to the final answer' },
    { id: 'pdd-p95', label: 'PDD p95', value: ms(s.pddP95Ms), title: 'Post-dial delay, 95th percentile' },
  ];
  return (
    <dl className="KpiTiles">
      {tiles.map((t) => (
        <div key={t.id} className="KpiTiles--tile" title={t.title} data-testid={`tile-${t.id}`}>
          <dt className="KpiTiles--label">{t.label}</dt>
          <dd className="KpiTiles--value" data-testid={`tile-${t.id}-value`}>
            {t.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
