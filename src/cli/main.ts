import { Command, CommanderError } from 'commander';
import { describeConfig } from '../core/config.ts';
import { isTrustwatchError } from '../core/errors.ts';
import { QueryParseError, formatQueryError } from '../core/query/index.ts';
import { registerAlert } from './commands/alert.ts';
import { registerDelivery } from './commands/delivery.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExport } from './commands/export.ts';
import { registerImport } from './commands/import.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPoll } from './commands/poll.ts';
import { registerRetention } from './commands/retention.ts';
import { registerReview } from './commands/review.ts';
import { registerRollups } from './commands/rollups.ts';
import { registerRoute } from './commands/route.ts';
import { registerServe } from './commands/serve.ts';
import { registerSource } from './commands/source.ts';
import { registerToken } from './commands/token.ts';
import { registerWatch } from './commands/watch.ts';
import { registerWorker } from './commands/worker.ts';
import { registerWorkspace } from './commands/workspace.ts';

export function buildProgram(): Command {
  const program = new Command('trustwatch')
    .description('Watch the public web for a brand: mentions, sentiment, trust red flags, trends and alerts.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `\nEnvironment:\n${describeConfig()
        .map((v) => `  ${v.name.padEnd(32)} ${v.description}`)
        .join('\n')}\n\nDocs: README.md`,
    );
  registerServe(program);
  registerWorker(program);
  registerDemo(program);
  registerMigrate(program);
  registerPoll(program);
  registerImport(program);
  registerExport(program);
  registerWatch(program);
  registerSource(program);
  registerWorkspace(program);
  registerToken(program);
  registerRollups(program);
  registerAlert(program);
  registerRoute(program);
  registerDelivery(program);
  registerReview(program);
  registerRetention(program);
  return program;
}

/** Runs the CLI; prints typed errors as one clear line (with a caret for query errors) and exits 1. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof QueryParseError) {
      const where = err.details.field ? ` in ${String(err.details.field)}` : '';
      process.stderr.write(
        `error [${err.code}]${where}:\n${formatQueryError(String(err.details.query ?? ''), err)}\n`,
      );
    } else if (isTrustwatchError(err)) {
      process.stderr.write(`error [${err.code}]: ${err.message}\n`);
    } else {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exitCode = 1;
  }
}
