import { Command } from 'commander';
import { CommandContext, out } from '../context.js';
import { CliError } from '../errors.js';

interface UninstallOptions {
  waitTimeout: string;
}

/** `3 tasks, 1 workspace` */
function describeLeft(left: Map<string, unknown[]>): string {
  return [...left]
    .map(([plural, items]) => `${items.length} ${items.length === 1 ? plural.slice(0, -1) : plural}`)
    .join(', ');
}

async function uninstall(options: UninstallOptions, command: Command): Promise<void> {
  const [{ buildInstallManifests, INSTALL_NAMES }, { durationSeconds }] = await Promise.all([
    import('../install/index.js'),
    import('../util/duration.js'),
  ]);
  const waitSeconds = durationSeconds('--wait-timeout', options.waitTimeout, 1);
  const ctx = new CommandContext(command);
  const [kube, install, { pollUntil }, { createProgress }] = await Promise.all([
    ctx.kube(),
    import('../kube/install.js'),
    import('../kube/wait.js'),
    import('../kube/spinner.js'),
  ]);
  const progress = await createProgress(await ctx.style('stderr'));
  const manifests = buildInstallManifests();

  // Custom resources go first, while the controller still runs to clear their finalizers (§4.3).
  out('Removing kelos custom resources');
  await install.deleteCustomResources(kube);
  let left = new Map<string, unknown[]>();
  const gone = await progress.run('Waiting for custom resources to be deleted', () =>
    pollUntil(
      async () => {
        left = await install.remainingCustomResources(kube);
        return left.size === 0;
      },
      Date.now() + waitSeconds * 1000,
      2000,
    ),
  );
  if (!gone) {
    const { namespace, controllerDeployment } = INSTALL_NAMES;
    throw new CliError(
      `timed out after ${options.waitTimeout} waiting for custom resources to be deleted (${describeLeft(left)} left)`,
      `Their finalizers are cleared by the controller: is ${namespace}/${controllerDeployment} running? Check with 'kubectl -n ${namespace} get pods'.`,
    );
  }

  out('Removing kelos controller');
  await install.deleteAll(
    kube,
    manifests.filter((m) => !install.isCrd(m)),
  );
  out('Removing kelos CRDs');
  await install.deleteAll(kube, manifests.filter(install.isCrd));
  out('Kelos uninstalled successfully');
}

export function uninstallCommand(): Command {
  return new Command('uninstall')
    .description('Remove every Kelos resource, the controller and the CRDs from the cluster')
    .option('--wait-timeout <duration>', 'how long to wait for custom resources to be deleted', '5m')
    .action((options: UninstallOptions, command: Command) => uninstall(options, command));
}
