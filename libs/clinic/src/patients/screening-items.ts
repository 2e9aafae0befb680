/**
 * The screening questions of clinical-rules.md section 2. Absolute contraindications block a
 * protocol that lists them (Spravato label for esketamine; ketamine hypersensitivity for every
 * route); relative cautions are flagged and need an anesthesiologist's acknowledgement once,
 * before the first session.
 */
export const SCREENING_SEVERITIES = ['absolute', 'relative'] as const;
export type ScreeningSeverity = (typeof SCREENING_SEVERITIES)[number];

export interface ScreeningItem {
  code: string;
  label: string;
  severity: ScreeningSeverity;
}

export const SCREENING_ITEMS: readonly ScreeningItem[] = [
  // Spravato label, contraindications.
  {
    code: 'aneurysmal-vascular-disease',
    label: 'Aneurysmal vascular disease (thoracic, abdominal aorta, intracranial, peripheral)',
    severity: 'absolute',
  },
  { code: 'arteriovenous-malformation', label: 'Arteriovenous malformation', severity: 'absolute' },
  { code: 'intracerebral-hemorrhage', label: 'History of intracerebral haemorrhage', severity: 'absolute' },
  { code: 'ketamine-hypersensitivity', label: 'Hypersensitivity to ketamine or esketamine', severity: 'absolute' },
  // clinical-rules.md section 2, relative contraindications.
  { code: 'psychosis-history', label: 'History of psychosis', severity: 'relative' },
  { code: 'substance-use-disorder', label: 'Substance use disorder', severity: 'relative' },
  { code: 'uncontrolled-hypertension', label: 'Uncontrolled hypertension', severity: 'relative' },
  { code: 'pregnancy', label: 'Pregnancy', severity: 'relative' },
];

export const SCREENING_CODES = SCREENING_ITEMS.map((i) => i.code);

export function screeningItem(code: string): ScreeningItem | undefined {
  return SCREENING_ITEMS.find((i) => i.code === code);
}

/** Current medications that matter with (es)ketamine: the Spravato label's interacting drug classes. */
export const MEDICATION_CLASSES = ['benzodiazepine', 'other-sedative', 'opioid', 'psychostimulant', 'maoi', 'other'] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];
/** The classes the esketamine label warns about (sedation, dissociation, respiratory depression, blood pressure). */
export const INTERACTING_CLASSES: readonly MedicationClass[] = ['benzodiazepine', 'other-sedative', 'opioid', 'psychostimulant', 'maoi'];

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
