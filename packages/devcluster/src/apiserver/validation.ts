import { Cron } from 'croner';
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from './field-errors.js';
import { isDnsLabel, validateAnnotationKeys, validateLabels, validateName } from './names.js';
import type { ResourceType } from './registry.js';
import type { KObject } from './types.js';
import { isObject } from './types.js';

/** Minimal validation of built-in kinds: names, labels and the fields clients cannot do without. */

type Obj = Record<string, unknown>;

export function validateMetadata(rt: ResourceType, obj: KObject, old: KObject | undefined): FieldError[] {
  const m = obj.metadata;
  const errs = validateName(rt.nameRule, 'metadata.name', m.name);
  errs.push(...validateLabels('metadata.labels', m.labels));
  errs.push(...validateAnnotationKeys('metadata.annotations', m.annotations));
  if (m.finalizers !== undefined && !Array.isArray(m.finalizers)) {
    errs.push(invalidValue('metadata.finalizers', m.finalizers, 'must be a list of strings'));
  }
  for (const [i, ref] of (m.ownerReferences ?? []).entries()) {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!ref[f]) errs.push(required(`metadata.ownerReferences[${i}].${f}`));
    }
  }
  if (old?.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    if ((m.finalizers ?? []).some((f) => !before.has(f))) {
      errs.push(
        forbiddenField(
          'metadata.finalizers',
          'no new finalizers can be added if the object is being deleted',
        ),
      );
    }
  }
  return errs;
}

function validateContainers(path: string, spec: Obj, errs: FieldError[]): void {
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errs.push(required(`${path}.containers`));
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    if (!isObject(c)) {
      errs.push(invalidValue(p, c, 'must be an object'));
      return;
    }
    if (typeof c.name !== 'string' || !c.name) errs.push(required(`${p}.name`));
    else if (!isDnsLabel(c.name)) errs.push(invalidValue(`${p}.name`, c.name, 'must be a DNS label'));
    else if (seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else seen.add(c.name);
    if (typeof c.image !== 'string' || !c.image) errs.push(required(`${p}.image`));
  });
}

function validatePodSpec(path: string, spec: unknown, allowedRestart: string[], errs: FieldError[]): void {
  if (!isObject(spec)) {
    errs.push(required(path));
    return;
  }
  validateContainers(path, spec, errs);
  const rp = spec.restartPolicy;
  if (rp === undefined)
    errs.push(
      required(`${path}.restartPolicy`, `valid values: ${allowedRestart.map((v) => `"${v}"`).join(', ')}`),
    );
  else if (typeof rp !== 'string' || !allowedRestart.includes(rp)) {
    errs.push(notSupported(`${path}.restartPolicy`, rp, allowedRestart));
  }
}

function validateJobSpec(path: string, spec: unknown, errs: FieldError[]): void {
  if (!isObject(spec)) {
    errs.push(required(path));
    return;
  }
  const template = spec.template;
  if (!isObject(template)) errs.push(required(`${path}.template`));
  else validatePodSpec(`${path}.template.spec`, template.spec, ['OnFailure', 'Never'], errs);
  for (const f of [
    'backoffLimit',
    'completions',
    'parallelism',
    'activeDeadlineSeconds',
    'ttlSecondsAfterFinished',
  ]) {
    const v = spec[f];
    if (v !== undefined && v !== null && (typeof v !== 'number' || v < 0)) {
      errs.push(invalidValue(`${path}.${f}`, v, 'must be greater than or equal to 0'));
    }
  }
}

function matchLabelsOf(selector: unknown): Record<string, unknown> | undefined {
  return isObject(selector) && isObject(selector.matchLabels) ? selector.matchLabels : undefined;
}

function validateDeployment(spec: unknown, errs: FieldError[]): void {
  if (!isObject(spec)) {
    errs.push(required('spec'));
    return;
  }
  const template = spec.template;
  if (!isObject(spec.selector)) errs.push(required('spec.selector'));
  if (!isObject(template)) {
    errs.push(required('spec.template'));
    return;
  }
  validatePodSpec('spec.template.spec', template.spec, ['Always'], errs);
  const want = matchLabelsOf(spec.selector);
  const labels =
    isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (want && Object.entries(want).some(([k, v]) => labels[k] !== v)) {
    errs.push(
      invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
}

function validateCronJob(spec: unknown, errs: FieldError[]): void {
  if (!isObject(spec)) {
    errs.push(required('spec'));
    return;
  }
  if (typeof spec.schedule !== 'string' || !spec.schedule) errs.push(required('spec.schedule'));
  else {
    try {
      new Cron(spec.schedule, { paused: true });
    } catch (err) {
      errs.push(invalidValue('spec.schedule', spec.schedule, (err as Error).message));
    }
  }
  const jt = spec.jobTemplate;
  if (!isObject(jt)) errs.push(required('spec.jobTemplate'));
  else validateJobSpec('spec.jobTemplate.spec', jt.spec, errs);
  const cp = spec.concurrencyPolicy;
  if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(String(cp))) {
    errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  }
}

/** Field errors of a built-in object (after defaulting). */
export function validateBuiltin(rt: ResourceType, obj: KObject, old: KObject | undefined): FieldError[] {
  const errs = validateMetadata(rt, obj, old);
  const spec = obj.spec;
  switch (`${rt.group}/${rt.kind}`) {
    case '/Pod':
      validatePodSpec('spec', spec, ['Always', 'OnFailure', 'Never'], errs);
      break;
    case 'batch/Job':
      validateJobSpec('spec', spec, errs);
      break;
    case 'batch/CronJob':
      validateCronJob(spec, errs);
      break;
    case 'apps/Deployment':
      validateDeployment(spec, errs);
      break;
    case '/ConfigMap':
    case '/Secret':
      for (const f of ['data', 'binaryData', 'stringData']) {
        if (obj[f] !== undefined && !isObject(obj[f]))
          errs.push(invalidValue(f, obj[f], 'must be a map of strings'));
      }
      break;
  }
  return errs;
}
