import { LanternError } from '../errors';
import type { ModelFormat, TreeEnsemble } from './ensemble';
import { parseLenientJson, type Json } from './jsonAccess';
import { isLightgbmJson, parseLightgbmJson, parseLightgbmText } from './lightgbm';
import { decodeUbjson } from './ubjson';
import { parseXgboost } from './xgboost';

/** UBJSON length/type markers that can follow an object's opening brace (i U I l L for a key length, $ # headers). */
const UBJSON_AFTER_BRACE = new Set([0x69, 0x55, 0x49, 0x6c, 0x4c, 0x24, 0x23, 0x4e]);

/**
 * Recognises a model file by its first bytes (not its name), so a model dropped with the data files is
 * told apart from a JSON data file. Returns null when the bytes are not a model Lantern reads.
 */
export function detectModelFormat(head: Uint8Array): ModelFormat | null {
  if (head.length < 2) return null;
  if (head[0] === 0x7b && UBJSON_AFTER_BRACE.has(head[1]!)) {
    const ascii = new TextDecoder('latin1').decode(head.subarray(0, 4096));
    return ascii.includes('learner') ? 'xgboost-ubjson' : null;
  }
  const start = new TextDecoder().decode(head.subarray(0, 65536)).trimStart();
  if (/^tree\r?\n/.test(start)) return 'lightgbm-text';
  if (!start.startsWith('{')) return null;
  if (/^\{\s*"learner"\s*:/.test(start) || (start.includes('"gradient_booster"') && start.includes('"learner_model_param"')))
    return 'xgboost-json';
  if (/^\{\s*"name"\s*:\s*"tree"/.test(start) || start.includes('"tree_info"')) return 'lightgbm-json';
  return null;
}

/** Parses a model file's bytes into a validated ensemble; every failure is a LanternError for the user. */
export function parseModel(bytes: Uint8Array, name = 'model'): TreeEnsemble {
  const format = detectModelFormat(bytes);
  if (!format)
    throw new LanternError(
      'unknown-format',
      `"${name}" is not a model file Lantern reads. Use an XGBoost model saved with save_model("model.json") or ("model.ubj"), ` +
        'a LightGBM model.txt (save_model) or LightGBM dump_model() JSON.',
    );
  if (format === 'lightgbm-text') return parseLightgbmText(new TextDecoder().decode(bytes));
  let doc: Json;
  try {
    doc = format === 'xgboost-ubjson' ? decodeUbjson(bytes) : parseLenientJson(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new LanternError('bad-model', `"${name}" looks like an ${format} model but cannot be read: ${(error as Error).message}.`);
  }
  if (format === 'lightgbm-json') {
    if (!isLightgbmJson(doc)) throw new LanternError('bad-model', `"${name}" looks like a LightGBM dump but has no tree_info.`);
    return parseLightgbmJson(doc);
  }
  return parseXgboost(doc, format);
}
