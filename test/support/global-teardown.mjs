// Drops this run's database and stops the embedded server, if the set-up started one.
export default async function globalTeardown() {
  for (const stop of globalThis.__vigilRun?.stop ?? []) {
    await stop().catch((err) => process.stderr.write(`teardown: ${err.message}\n`));
  }
}
