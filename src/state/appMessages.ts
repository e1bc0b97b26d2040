import type { MissingInput } from '../lib/errors';
import { errorNeed } from '../rpc/errors';

/** A button that takes the user where the problem is fixed. */
export interface AppAction {
  label: string;
  view: 'data' | 'drift' | 'performance' | 'explain' | 'checks' | 'overview';
}

/** A problem as the app shows it: what is wrong and what to do here, never a command-line flag. */
export interface AppMessage {
  text: string;
  action?: AppAction;
}

const TO_DATA: AppAction = { label: 'Open the Data view', view: 'data' };

/** What to do in the app for each input the core says is missing (the CLI names its flags instead). */
const IN_THE_APP: Record<MissingInput, AppMessage> = {
  label: { text: 'Drop the file of labels that arrived later, or mark the label column in the Data view.', action: TO_DATA },
  id: { text: 'Mark the prediction id column of the log and of the labels in the Data view.', action: TO_DATA },
  'score-or-prediction': { text: "Mark the model's score or prediction column in the Data view.", action: TO_DATA },
  prediction: { text: "Mark the model's prediction column in the Data view.", action: TO_DATA },
  model: { text: 'Drop the model file (XGBoost or LightGBM) next to the data.' },
};

/** An error from the engine as the app shows it: its message, and for a missing input, what to do here. */
export function appMessage(error: unknown): AppMessage {
  const text = (error as Error)?.message ?? String(error);
  const need = errorNeed(error);
  if (!need) return { text };
  const fix = IN_THE_APP[need];
  return { text: `${text} ${fix.text}`, ...(fix.action ? { action: fix.action } : {}) };
}

/** What to do about a missing input, before any engine call (the setup already says it is missing). */
export function missingInput(need: MissingInput, problem: string): AppMessage {
  const fix = IN_THE_APP[need];
  return { text: `${problem} ${fix.text}`, ...(fix.action ? { action: fix.action } : {}) };
}
