import { Command } from 'commander';
import { out } from '../context.js';
import { VERSION } from '../version.js';

export function versionCommand(): Command {
  return new Command('version').description('Print the version').action(() => out(VERSION));
}
