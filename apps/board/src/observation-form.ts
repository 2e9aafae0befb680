import type { Api } from './api.js';
import { h } from './dom.js';
import { buttons, choices, chosen, dialog, field, numberIn, wire } from './form-kit.js';
import type { WallTile } from './types.js';

/**
 * The nurse's observation check, from the tile of a dosed patient not yet discharged (dosing,
 * paused, in observation, or aborted): dissociation (the discharge criteria ask that the latest
 * check after the end of dosing finds it resolved), the CADSS-6 total when scored, nausea,
 * orientation, gait and a note. It is charted at the API's now (docs/api.md "Observation,
 * discharge and outcomes"); the API's refusals are shown beside their fields.
 */

/** The session states in which the API records a check (libs/clinic DOSED_STATUSES). */
export const CHECKED_STATUSES: readonly string[] = ['dosing', 'paused', 'observation', 'aborted'];

const DISSOCIATION = [
  ['resolved', 'Resolved: feels like themself, surroundings real'],
  ['present', 'Still present: detached, unreal, time or body distorted'],
] as const;
const NAUSEA = [
  ['none', 'None'],
  ['controlled', 'Controlled'],
  ['uncontrolled', 'Not controlled'],
] as const;
const ORIENTED = [
  ['yes', 'Yes'],
  ['no', 'No'],
] as const;
const GAIT = [
  ['steady', 'Steady'],
  ['unsteady', 'Unsteady'],
  ['not-assessed', 'Not assessed'],
] as const;

function checkBody(form: HTMLFormElement): Record<string, unknown> {
  const oriented = chosen(form, 'oriented');
  const note = (form.elements.namedItem('note') as HTMLTextAreaElement).value.trim();
  // Dissociation is the API's to require: left out, its refusal shows beside the question.
  return {
    dissociation: chosen(form, 'dissociation'),
    cadss6Total: numberIn(form, 'cadss6Total'),
    nausea: chosen(form, 'nausea'),
    oriented: oriented === undefined ? undefined : oriented === 'yes',
    gait: chosen(form, 'gait'),
    ...(note && { note }),
  };
}

export function observationCheck(api: Api, tile: WallTile, done: () => void): void {
  const form = h('form', { class: 'observation-form', novalidate: true });
  form.append(
    h('p', { class: 'what' }, `${tile.patient.initials} · ${tile.protocol.name} · ${tile.status}`),
    choices('dissociation', 'Dissociation', DISSOCIATION),
    field(
      'cadss6Total',
      'CADSS-6 total, 0–24 (if scored)',
      h('input', { type: 'number', inputmode: 'numeric', step: '1', min: '0', max: '24', autocomplete: 'off' }),
    ),
    choices('nausea', 'Nausea', NAUSEA),
    choices('oriented', 'Oriented to person, place and time', ORIENTED),
    choices('gait', 'Gait', GAIT),
    field('note', 'Note', h('textarea', { rows: 2 })),
    buttons('Record check'),
  );
  const d = dialog(`Observation check · ${tile.chairLabel ?? 'No chair'}`, form);
  wire(d, form, async () => {
    await api.call('POST', `/sessions/${tile.sessionId}/observation-checks`, checkBody(form));
    done();
  });
  form.querySelector('input')?.focus();
}
