#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type DevCluster, startDevCluster } from './cluster/dev-cluster.js';

const USAGE =
  'usage: kelos-devcluster [--port N] [--kubeconfig PATH] [--data-dir DIR] [--image-map FILE] [--no-node]';

interface Flags {
  port: number;
  kubeconfig?: string;
  dataDir?: string;
  imageMap?: string;
  noNode: boolean;
  help: boolean;
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      'data-dir': { type: 'string' },
      'image-map': { type: 'string' },
      'no-node': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) throw new Error(`invalid --port "${values.port}"`);
  const flags: Flags = { port, noNode: values['no-node'] === true, help: values.help === true };
  if (values.kubeconfig) flags.kubeconfig = values.kubeconfig;
  if (values['data-dir']) flags.dataDir = values['data-dir'];
  if (values['image-map']) {
    if (!existsSync(values['image-map'])) throw new Error(`--image-map ${values['image-map']}: no such file`);
    flags.imageMap = values['image-map'];
  }
  return flags;
}

/** One line on stderr: scripts and `kelos dev` show it as is. */
function fail(message: string, code: number, usage = false): never {
  process.stderr.write(`kelos-devcluster: ${message.split('\n')[0]}\n${usage ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    fail((err as Error).message, 2, true);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let cluster: DevCluster;
  try {
    cluster = await startDevCluster({
      port: flags.port,
      node: !flags.noNode,
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.imageMap ? { imageMap: flags.imageMap } : {}),
    });
  } catch (err) {
    fail((err as Error).message, 1);
  }
  if (flags.kubeconfig) cluster.writeKubeconfig(flags.kubeconfig);
  process.stdout.write(`ready ${cluster.url}\n`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    cluster.stop().then(
      () => process.exit(0),
      (err: unknown) => fail(`error while stopping: ${(err as Error).message}`, 1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => fail(String((err as Error).stack ?? err), 1));
