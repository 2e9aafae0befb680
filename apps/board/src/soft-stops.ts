import { ApiError, type Api } from './api.js';
import { h } from './dom.js';
import { field } from './form-kit.js';

/**
 * An anesthesiologist's pass of a soft stop at the start of dosing (docs/api.md "Sessions": the
 * start's `overrides`, each rule's code with a reason). When the pre-session gate refuses a start
 * for rules an anesthesiologist may pass, the form of a signed-in anesthesiologist gains a reason
 * field for each; a reason typed passes that rule at the next try. Nurses see the rule listed only.
 */

const name = (code: string) => `override-${code}`;

/** The reasons typed, as the start's `overrides` (undefined when none is). */
export function overridesIn(form: HTMLFormElement): Array<{ code: string; reason: string }> | undefined {
  const typed = [...form.querySelectorAll<HTMLTextAreaElement>('textarea[data-override]')]
    .map((t) => ({ code: t.dataset['override']!, reason: t.value.trim() }))
    .filter((o) => o.reason !== '');
  return typed.length ? typed : undefined;
}

/**
 * After a refused start: a reason field for each soft stop the 422 names (once each), for
 * anesthesiologists; a refused reason (400 on `overrides[i].reason`) is shown beside its field.
 * Returns the error to show.
 */
export function offerPasses(api: Api, form: HTMLFormElement, err: unknown, sent: Array<{ code: string }> | undefined): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err.status === 400 && sent) {
    const details = err.details.map((d) => {
      const i = /^overrides\[(\d+)\]\.reason$/.exec(d.field ?? '')?.[1];
      return i === undefined || !sent[Number(i)] ? d : { ...d, field: name(sent[Number(i)].code) };
    });
    return new ApiError(err.status, err.code, err.message, details);
  }
  if (err.status !== 422 || api.user?.role !== 'anesthesiologist') return err;
  const end = form.querySelector('.form-end');
  for (const d of err.details) {
    if (!d.overridable || !d.code || form.querySelector(`[data-override="${CSS.escape(d.code)}"]`)) continue;
    const reason = h('textarea', { rows: 2, 'data-override': d.code });
    const pass = field(name(d.code), `Pass “${d.message}”: your reason (empty: not passed)`, reason);
    pass.classList.add('pass');
    form.insertBefore(pass, end);
  }
  return err;
}
