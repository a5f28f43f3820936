/** The first page of an empty store: how to get real traffic in, as plain text. */
export function EmptyStore() {
  return (
    <div className="ResultsTable--empty" data-testid="empty-store">
      <p>Nothing is stored yet. To see real calls, send HEP to this server&apos;s HEP port (9060 unless <code>--hep-port</code> says otherwise), over UDP or TCP:</p>
      <ul>
        <li>
          OpenSIPS: <code>modparam(&quot;proto_hep&quot;, &quot;hep_id&quot;, &quot;[hf] HOST:9060; transport=tcp; version=3&quot;)</code> and{' '}
          <code>trace(&quot;hepflow&quot;, &quot;d&quot;, &quot;sip&quot;)</code> on each new INVITE (tracer module).
        </li>
        <li>
          Kamailio: <code>modparam(&quot;siptrace&quot;, &quot;duplicate_uri&quot;, &quot;sip:HOST:9060&quot;)</code> with <code>hep_mode_on</code> 1 and{' '}
          <code>trace_mode</code> 1.
        </li>
        <li>A capture file: drop a pcap or pcapng file on this page, or pick one with the import button at the top.</li>
        <li>
          To look around first: <code>hepflow serve --demo</code> (or <code>npm start -- --demo</code>) loads demo calls.
        </li>
      </ul>
      <p>The README&apos;s &quot;Point OpenSIPS at hepflow&quot; and &quot;Point Kamailio at hepflow&quot; sections have the whole configuration.</p>
    </div>
  );
}
