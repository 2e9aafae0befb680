import { ApiError, type Api } from './api.js';
import { h } from './dom.js';
import { buttons, dialog, field, wire } from './form-kit.js';
import type { WallTile } from './types.js';
import { REASON_TEXT, valuesText, type UnboundGroup } from './unbound.js';

/**
 * The forms a tile opens for its readings and alerts (form-kit.ts: a modal dialog, the API's answer
 * shown on the form): a manual reading, an alert's resolution note, and the unbound monitor
 * readings attached or discarded.
 */

const FIELDS = [
  { name: 'systolic', label: 'Systolic (mmHg)' },
  { name: 'diastolic', label: 'Diastolic (mmHg)' },
  { name: 'heartRate', label: 'Heart rate (/min)' },
  { name: 'spo2', label: 'SpO2 (%)' },
  { name: 'respiratoryRate', label: 'Respiratory rate (/min)' },
  // Sedation (clinical rules §4: back to the pre-dose score before discharge): 5 responds readily to their name, 0 not to pain.
  { name: 'moaas', label: 'MOAA/S (0–5)' },
] as const;

/**
 * A manual reading, measured now by the server's clock (`now`, once `synced`: a tablet's own clock
 * may be minutes off); one Idempotency-Key per form, so a double press stores it once.
 */
export function recordVitals(api: Api, sessionId: string, chair: string, now: () => number, synced: Promise<unknown>): void {
  const form = h('form', { class: 'vitals-form', novalidate: true });
  for (const f of FIELDS)
    form.append(field(f.name, f.label, h('input', { type: 'number', inputmode: 'numeric', step: '1', autocomplete: 'off' })));
  form.append(buttons('Record'));
  const d = dialog(`Record vitals · ${chair}`, form);
  const key = crypto.randomUUID();
  wire(d, form, async () => {
    await synced;
    const body: Record<string, unknown> = { measuredAt: new Date(now()).toISOString(), source: 'manual' };
    for (const f of FIELDS) {
      const raw = (form.elements.namedItem(f.name) as HTMLInputElement).value.trim();
      if (raw !== '') body[f.name] = Number(raw);
    }
    await api.call('POST', `/sessions/${sessionId}/vitals`, body, { 'Idempotency-Key': `board-${key}` });
  });
  form.querySelector('input')?.focus();
}

/** Resolving an alert takes a note of what was done. */
export function resolveAlert(api: Api, alertId: string, text: string): void {
  const form = h('form', { class: 'resolve-form', novalidate: true });
  form.append(
    h('p', { class: 'what' }, text),
    field('note', 'What was done', h('textarea', { rows: 3, required: true })),
    buttons('Resolve'),
  );
  const d = dialog('Resolve alert', form);
  wire(d, form, async () => {
    const note = (form.elements.namedItem('note') as HTMLTextAreaElement).value;
    await api.call('POST', `/alerts/${alertId}/resolve`, { note });
  });
  form.querySelector('textarea')?.focus();
}

/** What an unbound group is, above its form: "Chair 7 · no patient checked in at this chair · 3 readings · latest SpO2 85". */
function unboundSummary(g: UnboundGroup): HTMLElement {
  const n = g.readings.length;
  return h(
    'p',
    { class: 'what' },
    `${g.where} · ${REASON_TEXT[g.reason]} · ${n === 1 ? '1 reading' : `${n} readings`} · latest ${valuesText(g.readings[0].values)}`,
  );
}

/** Each reading of the group in turn, oldest first; one another board handled meanwhile (409) is passed over. */
async function eachReading(g: UnboundGroup, send: (id: string) => Promise<unknown>): Promise<void> {
  for (const u of [...g.readings].reverse()) {
    try {
      await send(u.id);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409 && err.code === 'UNBOUND_READING_RESOLVED')) throw err;
    }
  }
}

/**
 * Attaching a monitor's unbound readings to a session on the floor: the session in the monitor's
 * chair is chosen already when there is one; each reading is then charted as the API charts a
 * device reading (judged, alarmed).
 */
export function attachUnbound(api: Api, g: UnboundGroup, sessions: WallTile[], done: () => void): void {
  const select = h(
    'select',
    { required: true },
    h('option', { value: '' }, 'Choose the patient’s session…'),
    ...sessions.map((s) =>
      h(
        'option',
        { value: s.sessionId, selected: s.chairLabel !== null && s.chairLabel === g.chair },
        `${s.chairLabel ?? 'No chair'} · ${s.patient.initials} · ${s.patient.age} y · ${s.protocol.name}`,
      ),
    ),
  );
  const form = h('form', { class: 'attach-form', novalidate: true });
  form.append(unboundSummary(g), field('sessionId', 'Session', select), buttons('Attach'));
  const d = dialog(`Attach monitor readings · ${g.where}`, form);
  wire(d, form, async () => {
    if (!select.value)
      throw new ApiError(400, 'VALIDATION_FAILED', 'Choose a session', [
        { field: 'sessionId', message: 'choose the session the readings belong to' },
      ]);
    await eachReading(g, (id) => api.call('POST', `/unbound-readings/${id}/attach`, { sessionId: select.value }));
    done();
  });
  select.focus();
}

/** Discarding them takes a reason (a test before the patient sat down, another patient's…). */
export function discardUnbound(api: Api, g: UnboundGroup, done: () => void): void {
  const form = h('form', { class: 'discard-form', novalidate: true });
  form.append(
    unboundSummary(g),
    field('reason', 'Why they are not charted', h('textarea', { rows: 3, required: true })),
    buttons('Discard'),
  );
  const d = dialog(`Discard monitor readings · ${g.where}`, form);
  wire(d, form, async () => {
    const reason = (form.elements.namedItem('reason') as HTMLTextAreaElement).value;
    await eachReading(g, (id) => api.call('POST', `/unbound-readings/${id}/discard`, { reason }));
    done();
  });
  form.querySelector('textarea')?.focus();
}
