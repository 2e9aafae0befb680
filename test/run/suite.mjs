// `npm test`: the whole suite in two phases. First every file but the browser ones, two at a time;
// then the wall board page's files in Chromium, one at a time, on a machine nothing else loads, so
// their "shows within 2 s" waits measure the page and not the files running beside it.
// Given test paths or patterns, it is one plain Jest run over them (`npm test -- test/foo`).
// `--json --outputFile=F` writes one report with both phases' counts and results.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--ci'];
const takesValue = new Set(['-t', '--testNamePattern', '--outputFile', '-w', '--maxWorkers', '--shard', '--seed']);
const args = process.argv.slice(2);

function namesFiles(list) {
  for (let i = 0; i < list.length; i++) {
    if (takesValue.has(list[i])) i++;
    else if (!list[i].startsWith('-')) return true;
  }
  return false;
}

function run(phase, extra) {
  const env = { ...process.env, VIGIL_TEST_PHASE: phase };
  return spawnSync(process.execPath, [...jest, ...extra], { stdio: 'inherit', env }).status ?? 1;
}

if (namesFiles(args)) process.exit(run('all', args));

const outIndex = args.findIndex((a) => a.startsWith('--outputFile='));
const output = outIndex >= 0 ? args[outIndex].slice('--outputFile='.length) : null;
const withOutput = (suffix) => (output ? args.map((a, i) => (i === outIndex ? `--outputFile=${output}.${suffix}` : a)) : args);

const first = run('suite', withOutput('suite'));
const second = run('browser', [...withOutput('browser'), '--maxWorkers=1']);

if (output) {
  const parts = ['suite', 'browser'].map((s) => {
    try {
      return JSON.parse(readFileSync(`${output}.${s}`, 'utf8'));
    } catch {
      return null;
    }
  });
  const sum = (key) => parts.reduce((n, p) => n + (p?.[key] ?? 0), 0);
  const merged = {
    numTotalTests: sum('numTotalTests'),
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTotalTestSuites: sum('numTotalTestSuites'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    success: parts.every((p) => p?.success === true),
    testResults: parts.flatMap((p) => p?.testResults ?? []),
  };
  writeFileSync(output, JSON.stringify(merged));
  for (const s of ['suite', 'browser']) rmSync(`${output}.${s}`, { force: true });
}
process.exit(first || second);
