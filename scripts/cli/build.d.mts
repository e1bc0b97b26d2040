/** Builds the CLI to cli-dist/ (see build.mjs); `clean` empties the folder first (default true). */
export function buildCli(options?: { clean?: boolean }): Promise<void>;
