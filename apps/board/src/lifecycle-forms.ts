import { ApiError, type Api } from './api.js';
import { h } from './dom.js';
import { buttons, checkbox, dialog, field, numberIn, wire, type FieldOfCode } from './form-kit.js';
import { clockText, duration } from './format.js';
import { offerPasses, overridesIn } from './soft-stops.js';
import type { Frame, WallTile } from './types.js';

/**
 * The steps of a session's life done at the chair, from its tile: the start of dosing (the dose,
 * and where it is drawn from), the end of dosing, and the discharge with the nurse's checklist.
 * Each is a dialog sending what the API takes (docs/api.md "Sessions", "Observation, discharge and
 * outcomes"); the API judges, its refusals are shown in words on the form, and the tile moves to
 * its new phase with the floor's next read.
 */

interface Protocol {
  route: string;
  doseRule: { kind: 'weight-based' | 'fixed-devices'; deviceMg?: number; allowedDosesMg?: number[]; firstDoseMg?: number };
}

interface Container {
  id: string;
  label: string;
  productName: string;
  unit: 'mL' | 'device';
  lot: string;
  expiresOn: string;
  expired: boolean;
  status: string;
}

const chairOf = (t: WallTile) => t.chairLabel ?? 'No chair';
const isEsketamine = (t: WallTile) => t.protocol.key.startsWith('esketamine');
const number = (step: string) => h('input', { type: 'number', inputmode: 'decimal', step, min: '0', autocomplete: 'off' });

/**
 * The containers a dose may be drawn from, or null when the clinic keeps no controlled substances in
 * Vigil (no DEA registration: the lot is typed). Usable: sealed or open, not expired, of the unit
 * the protocol is given in (mL for an infusion, devices for esketamine).
 */
async function usableContainers(api: Api, unit: Container['unit']): Promise<Container[] | null> {
  const registrations = await api.call<{ items: unknown[] }>('GET', '/ledger/registrations?limit=1');
  if (registrations.items.length === 0) return null;
  const page = await api.call<{ items: Container[] }>('GET', '/ledger/containers?limit=200');
  return page.items.filter((c) => (c.status === 'sealed' || c.status === 'open') && !c.expired && c.unit === unit);
}

function doseFields(p: Protocol): HTMLElement[] {
  const rule = p.doseRule;
  if (rule.kind === 'fixed-devices') {
    const doses = rule.allowedDosesMg ?? [];
    const select = h(
      'select',
      {},
      ...doses.map((mg) =>
        h('option', { value: String(mg), selected: mg === rule.firstDoseMg }, `${mg} mg (${mg / (rule.deviceMg ?? mg)} devices)`),
      ),
    );
    return [field('doseMg', 'Dose', select)];
  }
  return [
    field('doseMgPerKg', 'Dose, mg/kg (empty: the protocol’s)', number('0.001')),
    field('concentrationMgPerMl', 'Bag concentration, mg/mL', number('0.001')),
  ];
}

function sourceField(containers: Container[] | null): HTMLElement {
  if (containers === null) return field('lotNumber', 'Lot number', h('input', { type: 'text', autocomplete: 'off', maxlength: 64 }));
  const select = h(
    'select',
    { required: true },
    h('option', { value: '' }, containers.length ? 'Choose the container…' : 'No usable container in stock'),
    ...containers.map((c) => h('option', { value: c.id }, `${c.label} · ${c.productName} · lot ${c.lot} · exp. ${c.expiresOn}`)),
  );
  return field('containerId', 'Drawn from', select);
}

/** What the start sends: the dose by the protocol's rule, and the container drawn from or the lot typed. */
function startBody(form: HTMLFormElement, p: Protocol, containers: Container[] | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
  if (p.doseRule.kind === 'fixed-devices') body['doseMg'] = Number(value('doseMg'));
  else {
    body['doseMgPerKg'] = numberIn(form, 'doseMgPerKg');
    body['concentrationMgPerMl'] = numberIn(form, 'concentrationMgPerMl');
  }
  if (containers === null) body['lotNumber'] = value('lotNumber');
  else if (value('containerId')) body['containerId'] = value('containerId');
  else
    throw new ApiError(400, 'VALIDATION_FAILED', 'Choose a container', [
      { field: 'containerId', message: 'choose the container (vial or kit) the dose is drawn from' },
    ]);
  return body;
}

/** Start dosing a session that is ready: the protocol and the clinic's stock are read first, so the form asks what they need. */
export async function startDosing(api: Api, tile: WallTile, done: () => void): Promise<void> {
  const protocol = await api.call<Protocol>('GET', `/protocols/${encodeURIComponent(tile.protocol.key)}`);
  const containers = await usableContainers(api, protocol.route === 'intranasal' ? 'device' : 'mL');
  const form = h('form', { class: 'start-form', novalidate: true });
  form.append(
    h('p', { class: 'what' }, `${tile.patient.initials} · ${tile.patient.age} y · ${tile.protocol.name}`),
    ...doseFields(protocol),
    sourceField(containers),
    buttons('Start dosing'),
  );
  const d = dialog(`Start dosing · ${chairOf(tile)}`, form);
  wire(d, form, async () => {
    const overrides = overridesIn(form);
    try {
      await api.call('POST', `/sessions/${tile.sessionId}/start`, { ...startBody(form, protocol, containers), overrides });
    } catch (err) {
      throw offerPasses(api, form, err, overrides);
    }
    done();
  });
  form.querySelector<HTMLElement>('.field :is(input, select)')?.focus();
}

/** The end of dosing, confirmed: a reason when it ends early or the dose given is off the order; for an infusion, what is left in the bag. */
export function endDosing(api: Api, tile: WallTile, frame: Frame, done: () => void): void {
  const started = tile.dosingStartedAt ? Date.parse(tile.dosingStartedAt) : null;
  const since =
    started === null ? '' : ` since ${clockText(new Date(started), frame.timeZone, false)} (${duration(frame.now() - started)})`;
  const form = h('form', { class: 'end-form', novalidate: true });
  form.append(
    h(
      'p',
      { class: 'what' },
      `${tile.patient.initials} · ${tile.protocol.name} · ${tile.status}${since}. The patient goes into observation.`,
    ),
    field('reason', 'Reason (needed to end early, or when the dose given is off the order)', h('textarea', { rows: 2 })),
    ...(isEsketamine(tile) ? [] : [field('bagRemainingMl', 'Left in the bag, mL (if measured)', number('0.1'))]),
    buttons('End dosing'),
  );
  const d = dialog(`End dosing · ${chairOf(tile)}`, form);
  wire(d, form, async () => {
    const reason = (form.elements.namedItem('reason') as HTMLTextAreaElement).value.trim();
    const body = { ...(reason && { reason }), bagRemainingMl: numberIn(form, 'bagRemainingMl') };
    await api.call('POST', `/sessions/${tile.sessionId}/end-dosing`, body);
    done();
  });
  form.querySelector('textarea')?.focus();
}

const CHECKLIST = [
  { name: 'alertAndOriented', label: 'Alert and oriented', code: 'NOT_ALERT_AND_ORIENTED' },
  { name: 'walksSteadily', label: 'Walks steadily', code: 'GAIT_UNSTEADY' },
  { name: 'nauseaControlled', label: 'Nausea controlled', code: 'NAUSEA_NOT_CONTROLLED' },
  { name: 'escortConfirmed', label: 'Escort or transport home confirmed', code: 'ESCORT_NOT_CONFIRMED' },
  { name: 'drivingInstructionGiven', label: 'Told not to drive until the next day after sleep', code: 'DRIVING_INSTRUCTION_NOT_GIVEN' },
] as const;

/** A checklist item left unticked is refused beside its box. */
const CHECKLIST_FIELDS: FieldOfCode = Object.fromEntries(CHECKLIST.map((c) => [c.code, c.name]));

function eligibility(tile: WallTile, frame: Frame): string {
  const at = tile.observation.eligibleAt ? Date.parse(tile.observation.eligibleAt) : null;
  if (at === null) return `observation ${tile.observation.minimumMin} min at least`;
  const clock = clockText(new Date(at), frame.timeZone, false);
  return at > frame.now() ? `eligible at ${clock}, in ${duration(at - frame.now())}` : `eligible since ${clock}`;
}

/** Discharge after observation: the nurse's checklist (esketamine: the REMS form's question); the API checks every criterion. */
export function discharge(api: Api, tile: WallTile, frame: Frame, done: () => void): void {
  const form = h('form', { class: 'discharge-form', novalidate: true });
  form.append(
    h('p', { class: 'what' }, `${tile.patient.initials} · ${tile.protocol.name} · ${eligibility(tile, frame)}`),
    h('fieldset', {}, h('legend', {}, 'Before the patient leaves'), ...CHECKLIST.map((c) => checkbox(c.name, c.label))),
    ...(isEsketamine(tile) ? [field('remsReadyToLeaveMin', 'REMS: ready to leave after, min from the first device', number('1'))] : []),
    field('notes', 'Notes', h('textarea', { rows: 2 })),
    buttons('Discharge'),
  );
  const d = dialog(`Discharge · ${chairOf(tile)}`, form);
  wire(
    d,
    form,
    async () => {
      const body: Record<string, unknown> = {};
      for (const c of CHECKLIST) body[c.name] = (form.elements.namedItem(c.name) as HTMLInputElement).checked;
      const notes = (form.elements.namedItem('notes') as HTMLTextAreaElement).value.trim();
      if (notes) body['notes'] = notes;
      if (isEsketamine(tile)) body['remsReadyToLeaveMin'] = numberIn(form, 'remsReadyToLeaveMin');
      await api.call('POST', `/sessions/${tile.sessionId}/discharge`, body);
      done();
    },
    CHECKLIST_FIELDS,
  );
  form.querySelector('input')?.focus();
}
