/** The node's side of `GET /api/v1/namespaces/N/pods/P/log`. */

export interface PodLogOptions {
  /** Resolved by the API server: the requested container, or the pod's only/default container. */
  container?: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  previous: boolean;
}

/**
 * Streams a container's log. Writing the first byte commits a 200 response; an error thrown before that
 * becomes the response's Status (throw an ApiError, e.g. `badRequest('container "x" in pod "p" is waiting to
 * start: ContainerCreating')`, to choose it). `signal` aborts when the client goes away; resolve then.
 */
export interface PodLogProvider {
  streamLog(
    namespace: string,
    pod: string,
    opts: PodLogOptions,
    out: NodeJS.WritableStream,
    signal: AbortSignal,
  ): Promise<void>;
}
