import { AGENT_CONTAINER_NAME, OUTPUT_TAIL_LINES } from '@kelos/shared/constants';
import { parseOutputs, resultsFromOutputs } from '@kelos/shared/outputs';
import type { CoreV1Api } from '@kubernetes/client-node';

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  tailLines: number;
}

/** Reads the end of a container log (an injected seam: tests give a fake, the controller the API). */
export type PodLogReader = (req: PodLogRequest) => Promise<string>;

export function apiPodLogReader(core: CoreV1Api): PodLogReader {
  return ({ namespace, pod, container, tailLines }) =>
    core.readNamespacedPodLog({ name: pod, namespace, container, tailLines });
}

export interface CapturedOutputs {
  outputs: string[];
  results: Record<string, string>;
}

/**
 * The agent's output block (spec §6): the last 50 lines of the `kelos-agent` log, parsed for markers.
 * Undefined when nothing was captured: no pod yet, the log unreadable (pod gone, node down) or no block,
 * all of which the caller retries for a while.
 */
export async function captureOutputs(
  read: PodLogReader,
  namespace: string,
  pod: string | undefined,
): Promise<CapturedOutputs | undefined> {
  if (!pod) return undefined;
  let log: string;
  try {
    log = await read({ namespace, pod, container: AGENT_CONTAINER_NAME, tailLines: OUTPUT_TAIL_LINES });
  } catch {
    return undefined;
  }
  const outputs = parseOutputs(log);
  if (!outputs) return undefined;
  return { outputs, results: resultsFromOutputs(outputs) ?? {} };
}
