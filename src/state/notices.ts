/** A message for the user in the notice area (errors stay until dismissed, like information). */
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** How a state tells the user something: the workspace's `notify`, passed in where a state needs it. */
export type Notify = (kind: Notice['kind'], message: string) => void;
