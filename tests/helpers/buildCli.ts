import { buildCli } from '../../scripts/cli/build.mjs';

/**
 * Builds cli-dist/ from the current source before the engine and CLI tests, so the processes they start
 * through bin/lantern.mjs run what a user installs, never a stale build. In place: both engine projects
 * build at once and their tests may already run the CLI.
 */
export default async function setup(): Promise<void> {
  await buildCli({ clean: false });
}
