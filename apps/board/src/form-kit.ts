import { ApiError } from './api.js';
import { h } from './dom.js';

/**
 * What every form a tile opens shares: a modal dialog (keyboard: Tab moves, Esc closes), labelled
 * fields each with a place for its error, the buttons, and the API's answer shown on the form: a
 * refused field's message next to that field, anything else (a rule of the clinic unmet) above the
 * buttons, in words. A refused form stays open as it was.
 */

export function dialog(title: string, form: HTMLFormElement): HTMLDialogElement {
  const d = h('dialog', { class: 'form-dialog', 'aria-label': title }, h('h2', {}, title), form);
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

export function field(name: string, label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): HTMLElement {
  input.id = `f-${name}`;
  input.name = name;
  input.setAttribute('aria-describedby', `e-${name}`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    input,
    h('span', { class: 'error', id: `e-${name}`, 'data-error-for': name }),
  );
}

/** A yes/no of a checklist: the box, then what ticking it says. */
export function checkbox(name: string, label: string): HTMLElement {
  return h(
    'div',
    { class: 'field check' },
    h('input', { type: 'checkbox', id: `f-${name}`, name, 'aria-describedby': `e-${name}` }),
    h('label', { for: `f-${name}` }, label),
    h('span', { class: 'error', id: `e-${name}`, 'data-error-for': name }),
  );
}

/**
 * One answer of a few, as radio buttons in a group named by its legend (Tab enters the group, the
 * arrows choose); none is chosen at first, so an answer left out is not sent.
 */
export function choices(name: string, legend: string, options: ReadonlyArray<readonly [string, string]>): HTMLElement {
  return h(
    'fieldset',
    { class: 'choices', 'aria-describedby': `e-${name}` },
    h('legend', {}, legend),
    ...options.map(([value, label], i) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, id: i === 0 ? `f-${name}` : null }), h('span', {}, label)),
    ),
    h('span', { class: 'error', id: `e-${name}`, 'data-error-for': name }),
  );
}

/** The answer chosen in a group of radio buttons, or undefined when none is. */
export function chosen(form: HTMLFormElement, name: string): string | undefined {
  return form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
}

export function buttons(submit: string): HTMLElement {
  return h(
    'div',
    { class: 'form-end' },
    h('div', { class: 'error', 'data-error-for': 'form', role: 'alert' }),
    h('button', { type: 'button', value: 'cancel', 'data-close': true }, 'Cancel'),
    h('button', { type: 'submit', class: 'primary' }, submit),
  );
}

/** A number typed in a field, or undefined when left empty (the API's default then applies). */
export function numberIn(form: HTMLFormElement, name: string): number | undefined {
  const raw = (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
  return raw === '' ? undefined : Number(raw);
}

/** `fieldOf`: the field a rule refusal (422) is about, by its code (a discharge checklist item left unticked…). */
export type FieldOfCode = Record<string, string>;

/** Shows the API's refusal on the form: each named field's message next to it, the rest at the end. */
function showError(form: HTMLFormElement, err: unknown, fieldOf: FieldOfCode): void {
  for (const el of form.querySelectorAll('[data-error-for]')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = form.querySelector('[data-error-for=form]')!;
  if (!(err instanceof ApiError)) {
    general.textContent = 'Vigil could not be reached; try again.';
    return;
  }
  const rest: string[] = [];
  for (const d of err.details) {
    const name = (d.field ?? (d.code ? fieldOf[d.code] : undefined))?.replace(/^readings\[\d+\]\./, '');
    const slot = name ? form.querySelector(`[data-error-for="${CSS.escape(name)}"]`) : null;
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${d.message}` : d.message;
      form.querySelector(`[name="${CSS.escape(name!)}"]`)?.setAttribute('aria-invalid', 'true');
    } else if (d.field) rest.push(`${d.field}: ${d.message}`);
    else rest.push(d.overridable ? `${d.message} (a soft stop: an anesthesiologist may pass it)` : d.message);
  }
  if (err.status === 422) {
    // The clinic's rules unmet (the pre-session gate, the discharge criteria): what the API says, then each rule in a line.
    general.replaceChildren(h('span', {}, `${err.message}.`), rest.length ? h('ul', {}, ...rest.map((r) => h('li', {}, r))) : '');
  } else general.textContent = rest.length ? rest.join('; ') : err.details.length ? '' : err.message;
  // The keyboard goes to the first field refused, else the first field.
  (
    form.querySelector<HTMLElement>('[aria-invalid=true]') ?? form.querySelector<HTMLElement>('.field :is(input, textarea, select)')
  )?.focus();
}

export function wire(d: HTMLDialogElement, form: HTMLFormElement, send: () => Promise<void>, fieldOf: FieldOfCode = {}): void {
  form.querySelector('[data-close]')?.addEventListener('click', () => d.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submit.disabled = true;
    send().then(
      () => d.close(),
      (err: unknown) => {
        submit.disabled = false;
        showError(form, err, fieldOf);
      },
    );
  });
}
