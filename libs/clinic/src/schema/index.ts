import { PLATFORM_ENTITIES } from '#platform';

/**
 * Every entity Vigil maps: the platform's, then each clinical domain's (patients, sessions, …
 * add theirs here). The API, the worker, the CLI and the tests all load this one list.
 */
export const ENTITIES = [...PLATFORM_ENTITIES];
