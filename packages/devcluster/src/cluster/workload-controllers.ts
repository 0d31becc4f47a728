import type { KObject } from '../apiserver/types.js';
import { reconcileCronJob } from '../node/cronjob-controller.js';
import { reconcileDeployment } from '../node/deployment-controller.js';
import { type JobControllerOptions, reconcileJob } from '../node/job-controller.js';
import type { CronJob, Deployment, Job, JobCondition, Pod } from '../node/types.js';
import type { ControllerDefinition } from './controller-loop.js';
import type { RecordedEvent } from './event-recorder.js';

/** The stored objects are the wire format the node's types describe. */
const as = <T>(o: KObject) => o as unknown as T;

export function jobController(options: JobControllerOptions): ControllerDefinition {
  return {
    component: 'job-controller',
    kind: 'Job',
    resource: 'jobs.batch',
    owned: 'pods',
    reconcile: (job, pods, nowMs) => reconcileJob(as<Job>(job), pods.map(as<Pod>), nowMs, options),
    statusEvents: (before, after) => {
      const newlyTrue = (type: string) =>
        trueCondition(after, type) && !trueCondition(before, type) ? trueCondition(after, type) : undefined;
      const events: RecordedEvent[] = [];
      if (newlyTrue('Complete'))
        events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      const failed = newlyTrue('Failed');
      if (failed) {
        events.push({ type: 'Warning', reason: failed.reason ?? 'Failed', message: failed.message ?? '' });
      }
      return events;
    },
  };
}

export function deploymentController(): ControllerDefinition {
  return {
    component: 'deployment-controller',
    kind: 'Deployment',
    resource: 'deployments.apps',
    owned: 'pods',
    reconcile: (d, pods, nowMs) => reconcileDeployment(as<Deployment>(d), pods.map(as<Pod>), nowMs),
  };
}

export function cronJobController(): ControllerDefinition {
  return {
    component: 'cronjob-controller',
    kind: 'CronJob',
    resource: 'cronjobs.batch',
    owned: 'jobs.batch',
    warningReason: 'UnparseableSchedule',
    reconcile: (cj, jobs, nowMs) => reconcileCronJob(as<CronJob>(cj), jobs.map(as<Job>), nowMs),
  };
}

function trueCondition(job: KObject, type: string): JobCondition | undefined {
  return as<Job>(job).status?.conditions?.find((c) => c.type === type && c.status === 'True');
}
