import { Command, Option } from 'commander';
import { CommandContext, out } from '../context.js';
import { IMAGE_PULL_POLICIES } from '../enums.js';
import { CliError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';

interface InstallOptions {
  version: string;
  imagePullPolicy?: (typeof IMAGE_PULL_POLICIES)[number];
  dryRun?: boolean;
  wait: boolean;
  waitTimeout: string;
  spawnerResourceRequests?: string;
  spawnerResourceLimits?: string;
}

async function install(options: InstallOptions, command: Command): Promise<void> {
  const [{ buildInstallManifests, renderManifestsYaml, INSTALL_NAMES }, { durationSeconds }] =
    await Promise.all([import('../install/index.js'), import('../util/duration.js')]);
  const waitSeconds = durationSeconds('--wait-timeout', options.waitTimeout, 1);
  let manifests: ReturnType<typeof buildInstallManifests>;
  try {
    manifests = buildInstallManifests({
      version: options.version,
      ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
      ...(options.spawnerResourceRequests !== undefined && {
        spawnerResourceRequests: options.spawnerResourceRequests,
      }),
      ...(options.spawnerResourceLimits !== undefined && {
        spawnerResourceLimits: options.spawnerResourceLimits,
      }),
    });
  } catch (err) {
    // The builder rejects only option values (an image tag, a resource list), so this is the command line's fault.
    throw new UsageError((err as Error).message, command);
  }
  if (options.dryRun) {
    process.stdout.write(renderManifestsYaml(manifests));
    return;
  }
  const ctx = new CommandContext(command);
  const [kube, install, { createProgress }] = await Promise.all([
    ctx.kube(),
    import('../kube/install.js'),
    import('../kube/spinner.js'),
  ]);
  const progress = await createProgress(await ctx.style('stderr'));
  // One budget for all waiting, so --wait-timeout bounds the whole command.
  const deadline = Date.now() + waitSeconds * 1000;
  const crds = manifests.filter(install.isCrd);

  out('Installing kelos CRDs');
  await install.applyAll(kube, crds);
  const pending = await progress.run('Waiting for the CRDs to be established', () =>
    install.waitForCrds(
      kube,
      crds.map((c) => c.metadata.name),
      deadline,
    ),
  );
  if (pending.length > 0) {
    throw new CliError(
      `timed out after ${options.waitTimeout} waiting for CRDs to be established: ${pending.join(', ')}`,
      'Check the API server, or raise --wait-timeout.',
    );
  }

  out(`Installing kelos controller (version: ${options.version})`);
  await install.applyAll(
    kube,
    manifests.filter((m) => !install.isCrd(m)),
  );
  if (options.wait) {
    const notReady = await progress.run('Waiting for the controller to become available', () =>
      install.waitForController(kube, deadline),
    );
    if (notReady !== undefined) {
      const { namespace, controllerDeployment } = INSTALL_NAMES;
      throw new CliError(
        `timed out after ${options.waitTimeout} waiting for deployment ${namespace}/${controllerDeployment} to become available (${notReady})`,
        `Everything is applied; check the controller with 'kubectl -n ${namespace} get pods', or pass --no-wait to skip this wait.`,
      );
    }
  }
  out('Kelos installed successfully');
}

export function installCommand(): Command {
  return new Command('install')
    .description('Install the Kelos CRDs and controller into the cluster')
    .option('--version <version>', 'image tag of every Kelos image', VERSION)
    .addOption(
      new Option(
        '--image-pull-policy <policy>',
        'pull policy of the controller and the images it runs',
      ).choices(IMAGE_PULL_POLICIES),
    )
    .option(
      '--spawner-resource-requests <list>',
      'resource requests of every spawner container, e.g. cpu=250m,memory=512Mi',
    )
    .option('--spawner-resource-limits <list>', 'resource limits of every spawner container, same syntax')
    .option('--dry-run', 'print the manifests and change nothing')
    .option('--no-wait', 'do not wait for the controller to become available')
    .option('--wait-timeout <duration>', 'how long to wait for the CRDs and the controller', '5m')
    .action((options: InstallOptions, command: Command) => install(options, command));
}
