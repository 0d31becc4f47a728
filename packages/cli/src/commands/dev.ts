import { Command } from 'commander';
import { UsageError } from '../errors.js';

interface UpOptions {
  dataDir?: string;
  port: string;
  reset?: boolean;
  waitTimeout: string;
  hostAgents?: boolean;
}

interface DownOptions {
  dataDir?: string;
  timeout: string;
  purge?: boolean;
}

const DATA_DIR_HELP = 'directory of the dev cluster: objects, kubeconfig, log (default: ~/.kelos/dev)';

function port(value: string, command: Command): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new UsageError(`invalid port "${value}": must be 0 (any free port) to 65535`, command);
  }
  return n;
}

function upCommand(): Command {
  return new Command('up')
    .description('Start the embedded dev cluster in the background and write its kubeconfig')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--port <port>', 'API server port; 0 picks a free one', '0')
    .option('--reset', "start from an empty cluster: delete the previous run's objects")
    .option('--wait-timeout <duration>', 'how long to wait for the API server to serve', '60s')
    .option(
      '--host-agents',
      'run agent images with the agent CLIs installed here (claude, codex, …) instead of the fake agent',
    )
    .action(async (options: UpOptions, command: Command) => {
      const listenPort = port(options.port, command);
      const [{ devPaths }, { devUp }, { durationSeconds }] = await Promise.all([
        import('../dev/state.js'),
        import('../dev/up.js'),
        import('../util/duration.js'),
      ]);
      const waitMs = durationSeconds('--wait-timeout', options.waitTimeout, 1) * 1000;
      await devUp(devPaths(options.dataDir), {
        ...(options.dataDir ? { dataDirFlag: options.dataDir } : {}),
        port: listenPort,
        reset: options.reset === true,
        waitMs,
        hostAgents: options.hostAgents === true,
      });
    });
}

function downCommand(): Command {
  return new Command('down')
    .description('Stop the dev cluster and every pod it runs')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--timeout <duration>', 'how long to wait for it to stop before killing it', '30s')
    .option('--purge', 'also delete the data directory (objects, kubeconfig, log)')
    .action(async (options: DownOptions) => {
      const [{ devPaths }, { devDown }, { durationSeconds }] = await Promise.all([
        import('../dev/state.js'),
        import('../dev/down.js'),
        import('../util/duration.js'),
      ]);
      await devDown(devPaths(options.dataDir), {
        graceMs: durationSeconds('--timeout', options.timeout, 1) * 1000,
        purge: options.purge === true,
      });
    });
}

/**
 * `kelos dev up|down`: the embedded single-node cluster of @kelos/devcluster, running the controller,
 * the spawner and the fake agent from this checkout. Not part of the reference CLI.
 */
export function devCommand(): Command {
  const group = new Command('dev')
    .description('Run a local dev cluster (embedded API server, pods as sandboxed processes)')
    .allowExcessArguments()
    .addCommand(upCommand())
    .addCommand(downCommand());
  group.action((_options, command: Command) => {
    const [unknown] = command.args;
    command.outputHelp({ error: true });
    throw new UsageError(
      unknown === undefined ? 'must specify up or down' : `unknown command "${unknown}": must be up or down`,
    );
  });
  return group;
}
