/**
 * One message: raw SIP (monospace), parsed headers, SDP, time, deltas, capture points and the
 * call problems it shows.
 * SIP is hostile input: it is only ever a text child here.
 */
import { useMessageQuery } from '../api/queries.ts';
import { rawMessageUrl } from '../api/client.ts';
import { RawText } from './RawText.tsx';
import type { FlowMessage, FlowModel } from '../model/normalize.ts';
import { formatDateTime, formatDelta, type Zone } from '../model/time-format.ts';
import { legColorVar } from '../ladder/colors.ts';
import { problemDefinition } from '../model/problems.ts';
import './MessageDetail.css';

interface Props {
  id: string;
  message: FlowMessage;
  model: FlowModel;
  /** Time of the message shown above this one, null for the first. */
  prevTs: number | null;
  zone: Zone;
  onClose(): void;
}

export function MessageDetail({ id, message: m, model, prevTs, zone, onClose }: Props) {
  const q = useMessageQuery(id);
  const leg = model.legs[m.legPosition];
  const problems = model.problems.filter((p) => p.messageId === id);
  return (
    <section className="DetailPane" aria-label="Message detail" data-testid="message-detail">
      <header className="DetailPane--head">
        <span className="Legend--swatch" style={{ background: legColorVar(m.legPosition) }} aria-hidden />
        <h2 className="DetailPane--title">{m.label}</h2>
        <button type="button" className="btn" onClick={onClose} aria-label="Close message detail (Esc)">
          ✕
        </button>
      </header>
      <dl className="DetailPane--facts">
        <dt>Time</dt>
        <dd className="mono">
          {formatDateTime(m.ts, zone)} {zone === 'utc' ? 'UTC' : 'local'}
        </dd>
        <dt>Δ previous</dt>
        <dd className="mono">{prevTs === null ? '—' : `${formatDelta(m.ts - prevTs)} s`}</dd>
        <dt>Δ first</dt>
        <dd className="mono">{formatDelta(m.ts - model.firstTs)} s</dd>
        <dt>Hop</dt>
        <dd className="mono">
          {m.src} → {m.dst} ({m.transport})
        </dd>
        <dt>Leg</dt>
        <dd>
          {m.leg + 1}. {leg?.roleText ?? ''} <span className="mono">{m.callId}</span>
        </dd>
        <dt>CSeq</dt>
        <dd className="mono">{m.cseq ?? '—'}</dd>
        <dt>Seen at</dt>
        <dd data-testid="capture-points">
          {m.captureIds.length} capture point{m.captureIds.length === 1 ? '' : 's'}: <span className="mono">{m.captureIds.join(', ')}</span>
        </dd>
        {m.retransmission && (
          <>
            <dt>Note</dt>
            <dd>Retransmission (same transaction sent again on this hop)</dd>
          </>
        )}
        {problems.length > 0 && (
          <>
            <dt>Problems</dt>
            <dd className="DetailPane--warn" data-testid="detail-problems">
              {problems.map((p) => (
                <div key={`${p.leg} ${p.code}`}>
                  <span className="mono">{p.code}</span>
                  {p.count > 1 && ` ×${p.count}`}: {problemDefinition(p.code)}
                </div>
              ))}
            </dd>
          </>
        )}
        {m.malformed !== null && (
          <>
            <dt>Malformed</dt>
            <dd className="DetailPane--warn">{m.malformed}</dd>
          </>
        )}
        {m.hepCorrelationId !== null && (
          <>
            <dt>HEP correlation</dt>
            <dd className="mono">{m.hepCorrelationId}</dd>
          </>
        )}
      </dl>
      {q.isPending && <p role="status">Loading message…</p>}
      {q.isError && <p role="alert">Could not load the message: {q.error.message}</p>}
      {q.data && (
        <>
          <details open className="DetailPane--section">
            <summary>Raw SIP</summary>
            {q.data.truncated && (
              <p className="DetailPane--warn" data-testid="raw-truncated">
                Showing the first {formatSize(new TextEncoder().encode(q.data.raw).length)} of {formatSize(q.data.rawBytes)}.{' '}
                <a href={rawMessageUrl(id)} download data-testid="raw-download">
                  Download the whole raw message
                </a>
              </p>
            )}
            <RawText text={q.data.raw} />
          </details>
          <details className="DetailPane--section">
            <summary>Headers ({q.data.headers.length})</summary>
            <table className="DetailPane--headers">
              <tbody>
                {q.data.headers.map((h, i) => (
                  <tr key={i}>
                    <th scope="row" className="mono">
                      {h.name}
                    </th>
                    <td className="mono">{h.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          {q.data.sdp && (
            <details open className="DetailPane--section" data-testid="sdp">
              <summary>SDP</summary>
              <p className="mono">c= {q.data.sdp.connection ?? '—'}</p>
              <ul>
                {q.data.sdp.media.map((md, i) => (
                  <li key={i} className="mono">
                    {md.type} {md.connection ?? q.data.sdp?.connection ?? ''}:{md.port} {md.proto} [{md.formats.join(' ')}] {md.direction}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

/** Bytes as "18.0 MB" / "256 KiB"-style text for the truncation marker. */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
