import { commentReportingEnabled, isSpawnedBy, spawnerPollIntervalMs } from '@kelos/shared/taskspawner';
import { type CycleDeps, runCycle } from './cycle.js';
import { StatusCommentReporter } from './reporting.js';

/**
 * One TaskSpawner's work, once: a discovery cycle, then status comments for its Tasks (spec §10.2,
 * §10.3). The same in the loop and in --one-shot; the reporter lives as long as the process.
 */
export class Spawner {
  private reporter: StatusCommentReporter | undefined;

  constructor(private readonly deps: CycleDeps) {}

  /**
   * Runs a cycle and the reporting after it; returns the poll interval the TaskSpawner asks for.
   * @throws when the cycle failed (reporting waits for a cycle that succeeds), NotFound when the
   * TaskSpawner is gone.
   */
  async runOnce(): Promise<number> {
    const { spawner } = await runCycle(this.deps);
    if (commentReportingEnabled(spawner)) {
      const tasks = (await this.deps.api.listTasks()).filter((t) => isSpawnedBy(t, spawner));
      await this.reporterFor(spawner).reportAll(tasks);
    }
    return spawnerPollIntervalMs(spawner);
  }

  private reporterFor(
    spawner: Parameters<CycleDeps['integrations']['issueComments']>[0],
  ): StatusCommentReporter {
    if (this.reporter) return this.reporter;
    const comments = this.deps.integrations.issueComments(spawner);
    if (!comments) throw new Error('GitHub reporting is enabled but the spawner has no GitHub credentials');
    this.reporter = new StatusCommentReporter({ api: this.deps.api, comments, log: this.deps.log });
    return this.reporter;
  }
}
