// A/B of two libraries over many alternating fresh processes, with each round's ratio: for a
// closer look at one comparison than the full run gives (e.g. end-to-end on an idle machine).
// Usage: pnpm --filter bench ab [library=macaron] [baseline=raw] [mode=e2e|cpu] [rounds=4]
import { median } from './measure.mjs';
import { runChild } from './run-child.mjs';

const [subject = 'macaron', baseline = 'raw', mode = 'e2e', roundText = '4'] =
  process.argv.slice(2);
const rounds = Number(roundText);
const runs = { [subject]: [], [baseline]: [] };
for (let round = 0; round < rounds; round++) {
  for (const library of round % 2 ? [subject, baseline] : [baseline, subject]) {
    process.stderr.write(`round ${round + 1}/${rounds}: ${library}\n`);
    runs[library].push(await runChild('worker.mjs', JSON.stringify({ library, mode })));
  }
}
const cell = (library, operation, concurrency, field) =>
  Math.round(median(runs[library].map((run) => run[field]?.[operation]?.[concurrency] ?? 0)));
for (const concurrency of ['sequential', 'concurrency 16']) {
  console.log(
    `\n${concurrency} (${mode === 'e2e' ? 'ops/s' : 'µs of CPU'}): operation | ${baseline} | ${subject} | ${subject}/${baseline} per round | client CPU µs | engine CPU µs`,
  );
  for (const operation of Object.keys(runs[baseline][0].results)) {
    const figures = (library) =>
      runs[library].map((run) => {
        const us = run.results[operation][concurrency];
        return us === undefined ? undefined : mode === 'e2e' ? 1e6 / us : us;
      });
    const base = figures(baseline);
    const ours = figures(subject);
    if (base[0] === undefined) continue;
    const ratios = ours.map((value, round) => (value / base[round]).toFixed(2));
    console.log(
      [
        operation,
        Math.round(median(base)),
        Math.round(median(ours)),
        ratios.join(' '),
        `${cell(baseline, operation, concurrency, 'clientCpu')} / ${cell(subject, operation, concurrency, 'clientCpu')}`,
        `${cell(baseline, operation, concurrency, 'engineCpu')} / ${cell(subject, operation, concurrency, 'engineCpu')}`,
      ].join(' | '),
    );
  }
}
