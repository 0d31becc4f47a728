import type { InProcessClient } from '../apiserver/client.js';
import type { PodLogOptions, PodLogProvider } from '../apiserver/logs.js';
import { ApiError, badRequest } from '../apiserver/status.js';
import { LogError, type PodRuntime } from '../node/pod-runtime.js';

/**
 * Serves `pods/log` from the pod runtime: the API server resolves the pod and container, the runtime reads
 * the container's log file (following it with `follow`), and each chunk goes to the HTTP response with
 * backpressure. The runtime's LogErrors, thrown before the first byte, become the response's Status.
 */
export function podLogProvider(client: InProcessClient, runtime: PodRuntime): PodLogProvider {
  return {
    async streamLog(namespace, name, opts, out, signal) {
      const pod = client.get('pods', name, namespace);
      const uid = pod.metadata.uid ?? '';
      if (!runtime.podUids().includes(uid)) {
        // Not started on the node yet (or already cleaned up): what the kubelet says for a pending pod.
        throw badRequest(
          `container "${opts.container ?? ''}" in pod "${name}" is waiting to start: ContainerCreating`,
        );
      }
      let chunks: AsyncIterable<Buffer>;
      try {
        chunks = runtime.readLog(uid, opts.container, runtimeOptions(opts), signal);
      } catch (err) {
        throw toStatusError(err);
      }
      for await (const chunk of chunks) {
        if (signal.aborted) return;
        if (!out.write(chunk)) await drained(out, signal);
      }
    },
  };
}

function runtimeOptions(opts: PodLogOptions) {
  const out: Parameters<PodRuntime['readLog']>[2] = {
    follow: opts.follow,
    timestamps: opts.timestamps,
    previous: opts.previous,
  };
  if (opts.tailLines !== undefined) out.tailLines = opts.tailLines;
  if (opts.sinceSeconds !== undefined) out.sinceSeconds = opts.sinceSeconds;
  return out;
}

function toStatusError(err: unknown): unknown {
  if (!(err instanceof LogError)) return err;
  return err.code === 'NotFound' ? new ApiError(404, 'NotFound', err.message) : badRequest(err.message);
}

function drained(out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    out.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
