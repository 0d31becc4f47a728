import type { Command } from 'commander';
import { resourceGroup } from './common.js';
import { setSuspended } from './suspend.js';

export function resumeCommand(): Command {
  return setSuspended(resourceGroup('resume', 'Resume a suspended resource'), false);
}
