import { ApiError, type Api } from './api.js';
import { h } from './dom.js';
import { buttons, choices, chosen, dialog, field, wire } from './form-kit.js';
import { lastAtClock } from './format.js';
import type { Frame, WallTile } from './types.js';

/**
 * The pre-session checklist (docs/api.md "Sessions", clinical rules §2), from the tile of a session
 * checked in: how the patient gets home and with whom, pregnancy, the C-SSRS screener, for
 * esketamine the last food and liquids (times on the clinic's clock), and a note. Accepted, the
 * session is `ready` (the baseline vitals come from the tile's "Record vitals"); the start's
 * pre-session gate judges the answers later. The API's refusals are shown beside their fields.
 */

const TRANSPORT = [
  ['escort', 'An escort takes them home'],
  ['arranged-transport', 'Arranged transport (taxi, ride service, clinic car)'],
  ['none', 'Nothing arranged'],
] as const;
const PREGNANCY = [
  ['not-pregnant', 'Not pregnant'],
  ['pregnant', 'Pregnant'],
  ['unknown', 'Not known'],
  ['not-applicable', 'Does not apply'],
] as const;
const CSSRS = [
  ['negative', 'Negative: no suicidal thoughts'],
  ['low-risk', 'Low risk'],
  ['high-risk', 'High risk: an anesthesiologist reviews'],
  ['not-taken', 'Not taken'],
] as const;

const isEsketamine = (t: WallTile) => t.protocol.key.startsWith('esketamine');
const text = (form: HTMLFormElement, name: string) =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null)?.value.trim() ?? '';

/** A time typed on the clinic's clock, as the instant it last was; a time not read is refused beside its field. */
function instant(form: HTMLFormElement, name: string, frame: Frame): string | undefined {
  const typed = text(form, name);
  if (typed === '') return undefined;
  const at = lastAtClock(typed, frame.now(), frame.timeZone);
  if (!at) throw new ApiError(400, 'VALIDATION_FAILED', 'A time', [{ field: name, message: 'a time of day, as 07:30' }]);
  return at.toISOString();
}

function body(form: HTMLFormElement, tile: WallTile, frame: Frame): Record<string, unknown> {
  const escortName = text(form, 'escortName');
  const notes = text(form, 'notes');
  // The answers left out are not sent: the API's refusal then names the question.
  return {
    transportHome: chosen(form, 'transportHome'),
    ...(escortName && { escortName }),
    pregnancyStatus: chosen(form, 'pregnancyStatus'),
    cssrsScreener: chosen(form, 'cssrsScreener'),
    ...(isEsketamine(tile) && { lastFoodAt: instant(form, 'lastFoodAt', frame), lastLiquidsAt: instant(form, 'lastLiquidsAt', frame) }),
    ...(notes && { notes }),
  };
}

const time = () => h('input', { type: 'time', autocomplete: 'off' });

export function preChecks(api: Api, tile: WallTile, frame: Frame, done: () => void): void {
  const form = h('form', { class: 'prechecks-form', novalidate: true });
  form.append(
    h('p', { class: 'what' }, `${tile.patient.initials} · ${tile.patient.age} y · ${tile.protocol.name}`),
    choices('transportHome', 'Going home', TRANSPORT),
    field('escortName', 'Escort’s name', h('input', { type: 'text', autocomplete: 'off', maxlength: 200 })),
    ...(isEsketamine(tile)
      ? [field('lastFoodAt', 'Last food, at (clinic time)', time()), field('lastLiquidsAt', 'Last liquids, at (clinic time)', time())]
      : []),
    choices('pregnancyStatus', 'Pregnancy', PREGNANCY),
    choices('cssrsScreener', 'C-SSRS screener', CSSRS),
    field('notes', 'Notes', h('textarea', { rows: 2 })),
    buttons('Record pre-checks'),
  );
  const d = dialog(`Pre-checks · ${tile.chairLabel ?? 'No chair'}`, form);
  wire(d, form, async () => {
    await api.call('POST', `/sessions/${tile.sessionId}/pre-checks`, body(form, tile, frame));
    done();
  });
  form.querySelector('input')?.focus();
}
