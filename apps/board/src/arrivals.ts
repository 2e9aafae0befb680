import { ApiError, type Api } from './api.js';
import { h } from './dom.js';
import { buttons, dialog, field, wire } from './form-kit.js';
import { clockText } from './format.js';

/**
 * Today's arrivals: the clinic's appointments of the day (GET /schedule, in its zone) still
 * `booked`, i.e. not checked in, in a strip above the tiles, each with **Check in…**. Checking in
 * books the appointment's session first when it has none (POST /sessions with `appointmentId`), then
 * seats it (POST /sessions/{id}/check-in with the chair and the anesthesiologist on site); the new
 * tile comes with the floor's next read. Only initials are shown, as on the tiles.
 */

export interface Arrival {
  id: string;
  patientId: string;
  chairId: string;
  chair: string;
  protocol: string;
  startsAt: string;
  sessionId: string | null;
  initials: string;
}

interface Day {
  chairs: Array<{
    chairId: string;
    name: string;
    appointments: Array<Omit<Arrival, 'chair' | 'initials'> & { status: string; patient: { firstName: string; lastName: string } }>;
  }>;
}

/** The clinic's calendar day at `now` ("2026-03-03"). */
const dayOf = (now: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(now));

/** The day's booked appointments, soonest first; null when they could not be read (the panel keeps what it shows). */
export async function readArrivals(api: Api, now: number, timeZone: string): Promise<Arrival[] | null> {
  try {
    const day = await api.call<Day>('GET', `/schedule?date=${dayOf(now, timeZone)}`);
    return day.chairs
      .flatMap((c) =>
        c.appointments
          .filter((a) => a.status === 'booked')
          .map(({ id, patientId, chairId, protocol, startsAt, sessionId, patient }) => ({
            ...{ id, patientId, chairId, protocol, startsAt, sessionId },
            chair: c.name,
            initials: `${patient.firstName[0] ?? ''}${patient.lastName[0] ?? ''}`.toUpperCase(),
          })),
      )
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  } catch {
    return null;
  }
}

/** The strip: hidden while nobody is expected. */
export class ArrivalsPanel {
  private arrivals: Arrival[] = [];
  private readonly list = h('ul', { class: 'arrivals-list' });

  constructor(
    private readonly el: HTMLElement,
    private readonly checkIn: (a: Arrival) => void,
  ) {
    el.replaceChildren(h('h2', { id: 'arrivals-title' }, 'Arrivals today'), this.list);
    el.setAttribute('aria-labelledby', 'arrivals-title');
    el.addEventListener('click', (e) => {
      const id = (e.target as Element).closest<HTMLElement>('button[data-action=check-in]')?.dataset['appointmentId'];
      const arrival = this.arrivals.find((a) => a.id === id);
      if (arrival) this.checkIn(arrival);
    });
  }

  render(arrivals: Arrival[], timeZone: string): void {
    this.arrivals = arrivals;
    this.el.hidden = arrivals.length === 0;
    const focused = this.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset['appointmentId'] : undefined;
    this.list.replaceChildren(
      ...arrivals.map((a) => {
        const at = clockText(new Date(a.startsAt), timeZone, false);
        return h(
          'li',
          { class: 'arrival', 'data-testid': 'arrival', 'data-appointment-id': a.id },
          h('span', { class: 'at' }, at),
          h('span', { class: 'who' }, a.initials),
          h('span', { class: 'where' }, a.chair),
          h('span', { class: 'protocol' }, a.protocol),
          h(
            'button',
            {
              type: 'button',
              'data-action': 'check-in',
              'data-appointment-id': a.id,
              'aria-label': `Check in ${a.initials}, ${at}, ${a.chair}`,
            },
            'Check in…',
          ),
        );
      }),
    );
    if (focused) this.list.querySelector<HTMLElement>(`button[data-appointment-id="${CSS.escape(focused)}"]`)?.focus();
  }
}

type Named = { id: string; name: string };

async function options(api: Api): Promise<{ chairs: Named[]; doctors: Named[] }> {
  const [chairs, doctors] = await Promise.all([
    api.call<{ items: Array<Named & { active: boolean }> }>('GET', '/chairs?limit=200'),
    api.call<{ items: Named[] }>('GET', '/staff?role=anesthesiologist&limit=200'),
  ]);
  return { chairs: chairs.items.filter((c) => c.active), doctors: doctors.items };
}

function select(items: Named[], chosen: string | undefined, empty: string): HTMLSelectElement {
  return h(
    'select',
    { required: true },
    h('option', { value: '' }, empty),
    ...items.map((i) => h('option', { value: i.id, selected: i.id === chosen }, i.name)),
  );
}

/** Check in an arrival: the chair (the appointment's chosen already) and the anesthesiologist on site (you, if you are one). */
export async function checkInArrival(api: Api, a: Arrival, timeZone: string, done: () => void): Promise<void> {
  const { chairs, doctors } = await options(api);
  const form = h('form', { class: 'check-in-form', novalidate: true });
  const me = api.user?.role === 'anesthesiologist' ? api.user.id : undefined;
  form.append(
    h('p', { class: 'what' }, `${a.initials} · ${clockText(new Date(a.startsAt), timeZone, false)} · ${a.protocol}`),
    field('chairId', 'Chair', select(chairs, a.chairId, 'Choose the chair…')),
    field('anesthesiologistUserId', 'Anesthesiologist on site', select(doctors, me, 'Choose the anesthesiologist…')),
    buttons('Check in'),
  );
  const d = dialog(`Check in · ${a.initials} · ${a.chair}`, form);
  // A session booked here for the appointment is kept for the next try when the check-in is refused.
  let sessionId = a.sessionId;
  wire(d, form, async () => {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLSelectElement).value;
    const missing = ['chairId', 'anesthesiologistUserId'].filter((n) => !value(n));
    if (missing.length)
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        'Choose',
        missing.map((n) => ({ field: n, message: n === 'chairId' ? 'choose the chair' : 'choose the anesthesiologist on site' })),
      );
    sessionId ??= (
      await api.call<{ id: string }>('POST', '/sessions', { patientId: a.patientId, protocol: a.protocol, appointmentId: a.id })
    ).id;
    await api.call('POST', `/sessions/${sessionId}/check-in`, {
      chairId: value('chairId'),
      anesthesiologistUserId: value('anesthesiologistUserId'),
    });
    done();
  });
  form.querySelector('select')?.focus();
}
