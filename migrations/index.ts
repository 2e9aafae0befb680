import { Init1795294705754 } from './1795294705754-Init.js';

/** Every migration, in order. `npm run migration:generate -- Name` writes a new file; read it, then add it here. */
export const MIGRATIONS = [Init1795294705754];
