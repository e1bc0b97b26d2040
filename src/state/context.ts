import { getContext } from 'svelte';
import type { Workspace } from './workspace.svelte';

/** The context key components find the workspace under; `src/main.ts` mounts the app with it. */
const WORKSPACE = Symbol('lantern.workspace');

/** The context map to mount the app with: `mount(App, { target, context: workspaceContext(workspace) })`. */
export function workspaceContext(workspace: Workspace): Map<symbol, Workspace> {
  return new Map([[WORKSPACE, workspace]]);
}

/**
 * The workspace of the app this component is part of (call during component initialisation, at the top
 * of its script). Components get state this way or as props, never by importing a state module.
 */
export function useWorkspace(): Workspace {
  const workspace = getContext<Workspace | undefined>(WORKSPACE);
  if (!workspace) throw new Error('No workspace in context: mount the app with workspaceContext(workspace).');
  return workspace;
}
