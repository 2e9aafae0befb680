// `node --conditions=vigil-src --import ./test/support/ts-register.mjs apps/worker/src/main.ts`
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
