// Throughput of the two @kelos/shared hot paths the controller and spawner run per Task:
// rendering a prompt template and looking for the output block in a large agent log.
// Run after `pnpm build`: node bench/run.mjs template
import { parseOutputs, parseTemplate } from '@kelos/shared';

function time(label, iterations, fn) {
  fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const ns = Number(process.hrtime.bigint() - start);
  console.log(
    `${label}: ${((iterations * 1e9) / ns).toFixed(0)} ops/s (${(ns / iterations / 1e3).toFixed(1)} µs/op)`,
  );
}

const template = parseTemplate(
  'Fix issue #{{.Number}}: {{.Title}}\n{{.Body}}\n{{range .Labels}}- {{.}}\n{{end}}{{if .Comments}}Comments:\n{{.Comments}}{{end}}',
  'prompt',
);
const item = {
  Number: 42,
  Title: 'Flaky test in the scheduler',
  Body: 'The test fails one run in ten.\n'.repeat(20),
  Labels: ['bug', 'agent-ready'],
  Comments: 'Seen again on main.\n---\nStill failing.',
};
time('render issue prompt (parsed once)', 20_000, () => template.execute(item, { missingKey: 'error' }));

// Worst case for parseOutputs: a log without an output block is scanned end to end.
const log = '{"type":"assistant","text":"x"}\n'.repeat(3_000_000);
const mb = Buffer.byteLength(log) / 1024 / 1024;
const start = process.hrtime.bigint();
const outputs = parseOutputs(log);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `parseOutputs, ${mb.toFixed(0)} MB log without a block: ${(mb / seconds).toFixed(0)} MB/s (${outputs ?? 'none'})`,
);
