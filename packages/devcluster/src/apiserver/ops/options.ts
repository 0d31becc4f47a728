import type { PropagationPolicy } from '../types.js';

export interface WriteOptions {
  /** `dryRun=All`: run admission and return the result without storing it. */
  dryRun?: boolean;
  /** `Strict` rejects unknown fields of custom resources instead of pruning them. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  fieldManager?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this resourceVersion; absent or "0" starts with ADDED events for the current state. */
  resourceVersion?: string;
}
