/**
 * Capture upload: a file picker button, and dropping a file anywhere on the page. Sends it to
 * POST /api/v1/import, then opens the search filtered to what it held.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useImportMutation } from '../api/queries.ts';
import { importSearch, importSummaryText } from './import-target.ts';
import './UploadDrop.css';

export function UploadDrop() {
  const input = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const upload = useImportMutation();
  const [dragging, setDragging] = useState(false);

  const send = (file: File) =>
    upload.mutate(file, {
      onSuccess: (summary) => navigate(importSearch(summary)),
    });
  const sendDropped = useEffectEvent(send);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) sendDropped(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div className="UploadDrop">
      <input
        ref={input}
        type="file"
        accept=".pcap,.pcapng,.cap,.hep,application/vnd.tcpdump.pcap,application/octet-stream"
        className="visually-hidden"
        tabIndex={-1}
        data-testid="upload-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) send(f);
          e.target.value = '';
        }}
      />
      <button type="button" className="btn" onClick={() => input.current?.click()} disabled={upload.isPending} title="Import a pcap/pcapng file, or drop one on the page">
        {upload.isPending ? 'Importing…' : 'Import capture'}
      </button>
      <span role="status" aria-live="polite" className="UploadDrop--status" data-testid="upload-status">
        {upload.isError ? `Import failed: ${upload.error.message}` : upload.isSuccess ? importSummaryText(upload.data) : ''}
      </span>
      {dragging && (
        <div className="UploadDrop--overlay" aria-hidden>
          Drop a capture file to import it
        </div>
      )}
    </div>
  );
}
