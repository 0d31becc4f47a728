import type { Command } from 'commander';

/** The flags every command accepts, defined once on the root command (cli spec §1.2). */
export interface GlobalOptions {
  config?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** False with `--no-color`. */
  color: boolean;
  verbose: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  const o = command.optsWithGlobals<Partial<GlobalOptions>>();
  const options: GlobalOptions = { color: o.color !== false, verbose: o.verbose === true };
  if (o.config) options.config = o.config;
  if (o.kubeconfig) options.kubeconfig = o.kubeconfig;
  if (o.context) options.context = o.context;
  if (o.namespace) options.namespace = o.namespace;
  return options;
}
