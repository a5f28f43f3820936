/**
 * The flow view of one loaded group: toolbar, legend and endpoint list, the ladder, and the
 * message detail or compare pane. Wires URL state, prefs and per-view state to the pure parts.
 */
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { FlowMessage, FlowModel, FlowProblem } from '../model/normalize.ts';
import { useFlowUrl } from '../state/useFlowUrl.ts';
import { usePrefs } from '../state/store.prefs.ts';
import { useView } from '../state/store.view.ts';
import { legsOffLadder, MAX_SELECTED, toggleIn } from '../state/url-state.ts';
import { useListByContent } from '../ui/useListByContent.ts';
import { useFlowViewModel } from './useFlowViewModel.ts';
import { moveVisible } from '../ladder/columns.ts';
import { Ladder } from '../ladder/Ladder.tsx';
import { zoneLabel } from '../model/time-format.ts';
import { FlowToolbar } from './FlowToolbar.tsx';
import { Legend } from './Legend.tsx';
import { KindFilter } from './KindFilter.tsx';
import { MediaPanel } from './MediaPanel.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import type { ItemKind } from '../ladder/kinds.ts';
import { EndpointList } from './EndpointList.tsx';
import { MessageDetail } from './MessageDetail.tsx';
import { ComparePane } from './ComparePane.tsx';
import { useLadderKeys } from './useLadderKeys.ts';
import { LiveBar } from '../live/LiveBar.tsx';
import type { LiveStatus } from '../live/stream.ts';
import './FlowView.css';

interface Props {
  model: FlowModel;
  /** The id in the address (a Call-ID or correlation id); kept in shared links. */
  routeId: string;
  /** The live stream's state (live/useLiveGroup.ts); absent when the view is not live. */
  live?: LiveStatus;
}

export function FlowView({ model, routeId, live }: Props) {
  const [url, setUrl] = useFlowUrl();
  const prefs = usePrefs();
  const view = useView();
  useEffect(() => useView.getState().reset(model.id), [model.id]);
  const fv = useFlowViewModel(model, url);

  const timeMode = url.timeMode ?? prefs.timeMode;
  const zone = url.timeZone ?? prefs.timeZone;
  // Message id → message, built on the first selection only: a plain open never needs it.
  const messagesById = useMemo(() => {
    let map: Map<string, FlowMessage> | null = null;
    return () => (map ??= new Map(model.messages.map((m) => [m.id, m])));
  }, [model]);
  const byId = url.selected.length > 0 ? messagesById() : NO_MESSAGES;
  const selected = useListByContent(url.selected.filter((id) => byId.has(id)));
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const rowOfMessage = useMemo(() => rowsOfMessages(fv.layout.rows, model.messages.length), [fv.layout, model]);
  const visibleColumns = useMemo(() => {
    const byKey = new Map(fv.columns.map((c) => [c.key, c]));
    return fv.visibleKeys.map((k) => byKey.get(k)!);
  }, [fv]);

  const [reveal, setReveal] = useState<{ row: number; token: number } | null>(null);
  const token = useRef(0);
  const revealRow = useCallback((row: number) => setReveal({ row, token: ++token.current }), []);

  // A link that names a message opens scrolled to it, with the cursor on it: once, as soon as
  // the message is there (past a large group's first page, when the whole group is in).
  const opened = useRef(false);
  const openLinked = useEffectEvent((complete: boolean) => {
    if (opened.current) return;
    const first = url.selected[0];
    const m = first ? byId.get(first) : undefined;
    if (first && !m && !complete) return;
    opened.current = true;
    const row = m ? rowOfMessage[m.index] : -1;
    if (row >= 0) {
      view.setCursor(row);
      revealRow(row);
    }
  });
  useEffect(() => openLinked(model.complete), [model]);

  const onPick = useCallback(
    (index: number, additive: boolean) => {
      const m = model.messages[index];
      const row = rowOfMessage[index];
      if (row >= 0) view.setCursor(row);
      setUrl((s) => ({
        selected: additive && s.selected.length > 0 && !s.selected.includes(m.id) ? [s.selected[0], m.id] : [m.id],
      }));
    },
    [model, rowOfMessage, setUrl, view],
  );

  // A problem jumps to its message: selected as a click on its row selects it (so the link has it), and scrolled to.
  const onProblem = useCallback(
    (p: FlowProblem) => {
      if (p.messageIndex < 0) return;
      onPick(p.messageIndex, false);
      const row = rowOfMessage[p.messageIndex];
      if (row >= 0) revealRow(row);
    },
    [onPick, rowOfMessage, revealRow],
  );

  useLadderKeys({
    rows: fv.layout.rows.length,
    cursor: view.cursor,
    onCursor: (row) => {
      view.setCursor(row);
      revealRow(row);
    },
    onOpen: (row) => {
      const r = fv.layout.rows[row];
      if (r) onPick(r.message, false);
    },
    onMark: (row) => {
      const r = fv.layout.rows[row];
      if (r) onPick(r.message, true);
    },
    onClose: () => setUrl({ selected: [] }),
  });

  const onZoom = useCallback((k: number) => useView.getState().setZoom({ k, x: 0, y: 0 }), []);
  const hidden = useMemo(() => new Set(url.hiddenColumns), [url.hiddenColumns]);
  const order = fv.columns.map((c) => c.key);
  const timeLabel = `${timeMode === 'abs' ? 'Time' : timeMode === 'delta-prev' ? 'Δ previous (s)' : 'Δ first (s)'} · ${zoneLabel(zone, model.firstTs)}`;

  return (
    <div className="FlowView">
      <FlowToolbar
        model={model}
        routeId={routeId}
        url={url}
        setUrl={setUrl}
        fv={fv}
        timeMode={timeMode}
        zone={zone}
        k={view.zoom.k}
        onZoom={(k) => view.setZoom({ k, x: 0, y: 0 })}
      />
      {live && <LiveBar status={live} model={model} />}
      <div className="FlowView--main">
        <aside className="FlowView--side" aria-label="Legs and endpoints">
          <KindFilter model={model} hidden={url.hiddenKinds} onToggle={(kind) => setUrl((s) => ({ hiddenKinds: toggleIn(s.hiddenKinds, kind) as ItemKind[] }))} />
          <Legend
            model={model}
            hiddenLegs={url.hiddenLegs}
            unlinkedLegs={url.unlinkedLegs}
            onToggle={(callId) => setUrl((s) => ({ hiddenLegs: toggleIn(s.hiddenLegs, callId) }))}
            onShowAll={() => setUrl({ hiddenLegs: [] })}
            onUnlink={(callId) => setUrl((s) => ({ unlinkedLegs: toggleIn(s.unlinkedLegs, callId) }))}
          />
          <ProblemsPanel model={model} hiddenLegs={legsOffLadder(url)} selectedId={selected.length === 1 ? selected[0] : null} onJump={onProblem} />
          <MediaPanel model={model} hiddenLegs={legsOffLadder(url)} />
          <EndpointList
            columns={fv.columns}
            hidden={hidden}
            pivotKey={fv.pivotKey}
            onToggle={(key) => setUrl((s) => ({ hiddenColumns: toggleIn(s.hiddenColumns, key) }))}
            onMove={(key, to) => setUrl({ columnOrder: moveVisible(order, new Set(), key, to) })}
            onPivot={(key) => setUrl({ pivot: fv.columns.find((c) => c.key === key)?.endpoints[0] ?? null })}
          />
        </aside>
        <Ladder
          model={model}
          layout={fv.layout}
          columns={visibleColumns}
          sides={fv.sides}
          pivotKey={fv.pivotKey}
          timeMode={timeMode}
          zone={zone}
          timeLabel={timeLabel}
          selected={selectedSet}
          cursor={view.cursor}
          reveal={reveal}
          k={view.zoom.k}
          onZoom={onZoom}
          onPick={onPick}
          onMoveColumn={(key, to) => setUrl({ columnOrder: moveVisible(order, hidden, key, to) })}
          onHideColumn={(key) => setUrl((s) => ({ hiddenColumns: toggleIn(s.hiddenColumns, key) }))}
          onPivot={(key) => setUrl({ pivot: fv.columns.find((c) => c.key === key)?.endpoints[0] ?? null })}
        />
        {selected.length === 1 && (
          <MessageDetail
            id={selected[0]}
            message={byId.get(selected[0])!}
            model={model}
            prevTs={prevShownTs(fv.layout.rows, rowOfMessage, model, byId.get(selected[0])!.index)}
            zone={zone}
            onClose={() => setUrl({ selected: [] })}
          />
        )}
        {selected.length === MAX_SELECTED && (
          <ComparePane ids={selected} model={model} byId={byId} zone={zone} onClose={() => setUrl({ selected: [] })} onDrop={(id) => setUrl({ selected: selected.filter((x) => x !== id) })} />
        )}
      </div>
    </div>
  );
}

const NO_MESSAGES: ReadonlyMap<string, FlowMessage> = new Map();

/** Message index → displayed row, -1 for a message not shown. */
function rowsOfMessages(rows: readonly { message: number }[], count: number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  for (let i = 0; i < rows.length; i++) out[rows[i].message] = i;
  return out;
}

function prevShownTs(rows: { message: number }[], rowOf: Int32Array, model: FlowModel, index: number): number | null {
  const row = rowOf[index];
  if (row <= 0) return index > 0 ? model.messages[index - 1].ts : null;
  return model.messages[rows[row - 1].message].ts;
}
