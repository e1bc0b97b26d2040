import type { LanternError, MissingInput } from '../lib/errors';

/** The flags that give each missing input: the CLI's own advice after the core's neutral message. */
const FLAG_HINT: Record<MissingInput, string> = {
  label: 'Name the label column with --label, or give the labels in a separate file with --labels.',
  id: 'Name the prediction id column with --id.',
  'score-or-prediction': 'Name one with --score or --prediction.',
  prediction: 'Name it with --prediction.',
  model: 'Give the model file with --model.',
};

/** An error's message as the CLI prints it: with the flag that fixes it, when one does. */
export function cliMessage(error: LanternError): string {
  return error.need ? `${error.message} ${FLAG_HINT[error.need]}` : error.message;
}
