import type { Command } from 'commander';
import type { KelosConfig, LoadedConfig } from './config/config.js';
import { type GlobalOptions, globalOptions } from './globals.js';
import type { Kube } from './kube/client.js';
import type { KelosClient } from './kube/kelos.js';
import type { KubeconfigContext } from './kube/kubeconfig.js';
import type { Rest } from './kube/rest.js';
import type { Style } from './style.js';
import { configPath } from './util/paths.js';

/** Where the namespace a command uses came from, for `-v` output. */
type NamespaceSource = 'flag' | 'config' | 'kubeconfig context' | 'default';

/**
 * What an action needs from the world, each piece loaded on first use: commands that never touch the
 * cluster never load @kubernetes/client-node, and `--help` loads none of this.
 */
export class CommandContext {
  readonly globals: GlobalOptions;
  private loadedConfig?: Promise<LoadedConfig>;
  private kubeClient?: Promise<Kube>;
  private kubeconfigContext?: Promise<KubeconfigContext | undefined>;
  private restClient?: Promise<Rest>;
  private resolvedNamespace?: Promise<string>;

  constructor(command: Command, globals: GlobalOptions = globalOptions(command)) {
    this.globals = globals;
  }

  /** Writes a line to stderr when `-v` is given. */
  debug(message: string): void {
    if (this.globals.verbose) process.stderr.write(`[debug] ${message}\n`);
  }

  get configPath(): string {
    return configPath(this.globals.config);
  }

  /** The config file (cli spec §2); unknown keys are reported once, as probable typos. */
  async config(): Promise<KelosConfig> {
    this.loadedConfig ??= import('./config/config.js').then(({ loadConfig }) => {
      const loaded = loadConfig(this.configPath);
      this.debug(`config: ${loaded.path}`);
      for (const key of loaded.unknownKeys) {
        process.stderr.write(`Warning: unknown key "${key}" in ${loaded.path}\n`);
      }
      return loaded;
    });
    return (await this.loadedConfig).config;
  }

  /** All of @kubernetes/client-node's API clients: install, secrets and logs use them. */
  async kube(): Promise<Kube> {
    this.kubeClient ??= import('./kube/client.js').then(({ Kube, loadKubeConfig }) => {
      const kube = new Kube(loadKubeConfig(this.globals));
      this.debug(`kubeconfig context: ${kube.config.getCurrentContext()}, server: ${kube.server}`);
      return kube;
    });
    return this.kubeClient;
  }

  /** The context of a single kubeconfig file, read without client-node; undefined for merged or in-cluster configs. */
  private async kubeconfig(): Promise<KubeconfigContext | undefined> {
    this.kubeconfigContext ??= import('./kube/kubeconfig.js').then(({ locateKubeconfig, readKubeconfig }) => {
      const source = locateKubeconfig(this.globals);
      return source.kind === 'file' ? readKubeconfig(source.path, this.globals.context) : undefined;
    });
    return this.kubeconfigContext;
  }

  /**
   * JSON requests to the API server. A context with static credentials never loads client-node, whose
   * import alone costs most of a second: that keeps `kelos get` about as fast to start as Node itself.
   */
  async rest(): Promise<Rest> {
    this.restClient ??= (async () => {
      const [{ Rest, clientNodeConnection, staticConnection }, kubeconfig] = await Promise.all([
        import('./kube/rest.js'),
        this.kubeconfig(),
      ]);
      if (kubeconfig?.access) {
        this.debug(`kubeconfig context: ${kubeconfig.contextName}, server: ${kubeconfig.server}`);
        return new Rest(await staticConnection(kubeconfig.access));
      }
      return new Rest(clientNodeConnection((await this.kube()).config));
    })();
    return this.restClient;
  }

  /**
   * The Kelos API. The config file is loaded first, as the reference's root hook does for every
   * command but init, install and uninstall (cli spec §1.2): a broken config fails before any request.
   */
  async kelos(): Promise<KelosClient> {
    await this.config();
    const [{ KelosClient }, rest] = await Promise.all([import('./kube/kelos.js'), this.rest()]);
    return new KelosClient(rest);
  }

  /**
   * `-n` > config `namespace` > the kubeconfig context's namespace > `default` (cli spec §1.2). Offline
   * (dry runs), an unreadable kubeconfig means `default` rather than an error, so that a dry run works
   * on a machine without any cluster.
   */
  async namespace(options: { offline?: boolean } = {}): Promise<string> {
    this.resolvedNamespace ??= this.resolveNamespace(options.offline === true);
    return this.resolvedNamespace;
  }

  private async resolveNamespace(offline: boolean): Promise<string> {
    let source: NamespaceSource = 'flag';
    let namespace = this.globals.namespace;
    if (!namespace) {
      namespace = (await this.config()).namespace;
      source = 'config';
    }
    if (!namespace) {
      source = 'kubeconfig context';
      try {
        namespace = await this.contextNamespace();
      } catch (err) {
        if (!offline) throw err;
        this.debug(`kubeconfig unusable for the namespace (${(err as Error).message})`);
      }
    }
    if (!namespace) {
      namespace = 'default';
      source = 'default';
    }
    this.debug(`namespace: ${namespace} (from ${source})`);
    return namespace;
  }

  private async contextNamespace(): Promise<string | undefined> {
    const kubeconfig = await this.kubeconfig();
    if (kubeconfig) return kubeconfig.namespace;
    const { contextNamespace } = await import('./kube/client.js');
    return contextNamespace((await this.kube()).config);
  }

  async style(stream: 'stdout' | 'stderr'): Promise<Style> {
    const { createStyle } = await import('./style.js');
    return createStyle(stream, this.globals.color);
  }
}

/** Writes a line to stdout: results and created/deleted confirmations (cli spec §1.1). */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a line to stderr: progress, hints and warnings. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}
