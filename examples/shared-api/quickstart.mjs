// Using @kelos/shared from a script: validate objects, parse an agent's output block and render
// a dependency prompt the way the controller does. Run after `pnpm build`:
//   node examples/shared-api/quickstart.mjs
import {
  formatFieldError,
  parseOutputs,
  renderTemplate,
  resultsFromOutputs,
  validateKelosObject,
} from '@kelos/shared';

const task = {
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'Task',
  metadata: { name: 'plan' },
  spec: {
    type: 'claude-code',
    prompt: 'Draft a plan.',
    credentials: { type: 'oauth', secretRef: { name: 'claude-credentials' } },
  },
};
console.log('valid task errors:', validateKelosObject(task).errors.length);

const invalid = {
  ...task,
  spec: { ...task.spec, ttlSecondsAfterFinished: -1, credentials: { type: 'api-key' } },
};
for (const error of validateKelosObject(invalid).errors)
  console.log('invalid task:', formatFieldError(error));

const log = [
  '{"type":"result","total_cost_usd":0.01}',
  '---KELOS_OUTPUTS_START---',
  'branch: kelos/plan',
  'commit: 4f2c9e1',
  '---KELOS_OUTPUTS_END---',
].join('\n');
const outputs = parseOutputs(log);
const results = resultsFromOutputs(outputs);
console.log('outputs:', JSON.stringify(outputs));

const prompt = renderTemplate(
  'Implement the plan from branch {{ index .Deps "plan" "Results" "branch" }}.',
  { Deps: { plan: { Name: 'plan', Outputs: outputs, Results: results } } },
  { missingKey: 'error' },
);
console.log('prompt:', prompt);
