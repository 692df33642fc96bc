import { median } from './measure.mjs';
import { runChild } from './run-child.mjs';

const rounds = Number(process.argv[2] ?? 4);
const out = { raw: [], macaron: [] };
for (let r = 0; r < rounds; r++) {
  for (const lib of r % 2 ? ['macaron', 'raw'] : ['raw', 'macaron']) {
    out[lib].push(await runChild('worker.mjs', JSON.stringify({ library: lib, mode: 'e2e' })));
  }
}
const ops = Object.keys(out.raw[0].results);
for (const c of ['sequential', 'concurrency 16']) {
  console.log(
    `\n${c}: op | raw ops/s | macaron ops/s | per-round ratios | client cpu raw/mac | engine cpu raw/mac`,
  );
  for (const op of ops) {
    if (!out.raw[0].results[op][c]) continue;
    const rr = out.raw.map((x) => 1e6 / x.results[op][c]);
    const mm = out.macaron.map((x) => 1e6 / x.results[op][c]);
    const ratios = mm.map((m, i) => (m / rr[i]).toFixed(2));
    const cc = (l) => Math.round(median(out[l].map((x) => x.clientCpu[op][c])));
    const ee = (l) => Math.round(median(out[l].map((x) => x.engineCpu?.[op]?.[c] ?? 0)));
    console.log(
      `${op} | ${Math.round(median(rr))} | ${Math.round(median(mm))} | ${ratios.join(' ')} | ${cc('raw')}/${cc('macaron')} | ${ee('raw')}/${ee('macaron')}`,
    );
  }
}
