import type { InProcessClient } from '../apiserver/client.js';
import { isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import type { WorkloadAction } from '../node/workload.js';
import type { EventRecorder, EventSource } from './event-recorder.js';

export interface ActionContext {
  client: InProcessClient;
  recorder: EventRecorder;
  source: EventSource;
  /** The reconciled object, as read for this pass: its resourceVersion guards the status write. */
  owner: KObject;
  ownerResource: string;
}

const FINALIZER_RETRIES = 5;

/**
 * Applies a reconciliation's actions in order, as the controller that computed them would through the API.
 * Deleting what is already gone and creating a Job that already exists are no-ops (the controller acted on a
 * view that was already catching up); any other failure is thrown and the caller retries the whole pass.
 */
export function applyWorkloadActions(ctx: ActionContext, actions: readonly WorkloadAction<unknown>[]): void {
  const { client } = ctx;
  for (const action of actions) {
    switch (action.type) {
      case 'createPod': {
        const pod = client.create('pods', action.pod as unknown as KObject);
        event(ctx, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        break;
      }
      case 'deletePod':
        if (ignoreNotFound(() => client.delete('pods', action.name, { namespace: action.namespace }))) {
          event(ctx, 'SuccessfulDelete', `Deleted pod: ${action.name}`);
        }
        break;
      case 'removePodFinalizer':
        removeFinalizer(client, action.namespace, action.name, action.finalizer);
        break;
      case 'createJob':
        try {
          client.create('jobs.batch', action.job as unknown as KObject);
          event(ctx, 'SuccessfulCreate', `Created job ${action.job.metadata.name}`);
        } catch (err) {
          if (!isApiErrorCode(err, 409)) throw err;
        }
        break;
      case 'deleteJob': {
        const { name, namespace, propagationPolicy } = action;
        if (ignoreNotFound(() => client.delete('jobs.batch', name, { namespace, propagationPolicy }))) {
          event(ctx, 'SuccessfulDelete', `Deleted job ${name}`);
        }
        break;
      }
      case 'updateStatus': {
        const next = structuredClone(ctx.owner);
        next.status = action.status;
        ctx.owner = client.updateStatus(ctx.ownerResource, next);
        break;
      }
    }
  }
}

function event(ctx: ActionContext, reason: string, message: string): void {
  ctx.recorder.record(ctx.source, ctx.owner, { type: 'Normal', reason, message });
}

/** Runs a delete; false when the object was already gone. */
function ignoreNotFound(del: () => unknown): boolean {
  try {
    del();
    return true;
  } catch (err) {
    if (isApiErrorCode(err, 404)) return false;
    throw err;
  }
}

function removeFinalizer(client: InProcessClient, namespace: string, name: string, finalizer: string): void {
  for (let attempt = 0; attempt < FINALIZER_RETRIES; attempt++) {
    let pod: KObject;
    try {
      pod = client.get('pods', name, namespace);
    } catch (err) {
      if (isApiErrorCode(err, 404)) return;
      throw err;
    }
    if (!pod.metadata.finalizers?.includes(finalizer)) return;
    const next = structuredClone(pod);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      client.update('pods', next);
      return;
    } catch (err) {
      if (isApiErrorCode(err, 404)) return;
      if (!isApiErrorCode(err, 409)) throw err;
    }
  }
}
