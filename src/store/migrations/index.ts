import { INITIAL_SCHEMA } from './001-initial.ts';

// Append only: a released migration never changes.
export const MIGRATIONS: readonly string[] = [INITIAL_SCHEMA];
