import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` arrives as a string (exact); Vigil's quantities fit a JavaScript number. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
