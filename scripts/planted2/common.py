"""Shared helpers of scripts/planted2/generate.py: input checks, deterministic writers, drift statistics,
model metrics and the evidence block of a planted bug. Independent of scripts/planted/ (same conventions,
written again from the stated rules)."""
import gzip
import hashlib
import io
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance
from sklearn import metrics

# --------------------------------------------------------------------------------------------- JSON


def enc(v):
    """A JSON-safe Python value (numpy scalars unwrapped, NaN -> None)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return None if not math.isfinite(v) else v
    if isinstance(v, dict):
        return {str(k): enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [enc(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def dump_json(obj, path):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(enc(obj), f, indent=1, ensure_ascii=False)
        f.write('\n')


# ------------------------------------------------------------------------------------------- inputs


def git_blob_sha1(path):
    data = open(path, 'rb').read()
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


def sha256(path):
    return hashlib.sha256(open(path, 'rb').read()).hexdigest()


def check_vega(data_dir, name):
    """Checks a vega-datasets file against the git blob SHA-1 its datapackage.json lists."""
    dp = json.load(open(os.path.join(os.path.dirname(data_dir.rstrip('/')), 'datapackage.json')))
    res = next(r for r in dp['resources'] if r['path'] == name)
    want = res['hash'].split(':', 1)[1]
    got = git_blob_sha1(os.path.join(data_dir, name))
    if got != want:
        raise SystemExit(f'{name}: git blob sha1 {got} is not the {want} that datapackage.json lists')
    return res


def check_sha256(path, want):
    got = sha256(path)
    if got != want:
        raise SystemExit(f'{path}: sha256 {got}, expected {want} (another version of the bundled data?)')


# ------------------------------------------------------------------------------------------ writers


def _cell(v):
    if v is None:
        return ''
    if isinstance(v, float):
        if not math.isfinite(v):
            return ''
        return repr(v)
    return str(v)


def _quote(s, sep):
    if any(ch in s for ch in (sep, '"', '\n', '\r')):
        return '"' + s.replace('"', '""') + '"'
    return s


def delimited_text(df, sep):
    cols = list(df.columns)
    out = [sep.join(_quote(c, sep) for c in cols)]
    for row in df.itertuples(index=False, name=None):
        out.append(sep.join(_quote(_cell(enc(v)), sep) for v in row))
    return '\n'.join(out) + '\n'


def records(df):
    cols = list(df.columns)
    return [{c: enc(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


def write_table(df, path, fmt):
    """Writes csv, tsv, csv.gz, tsv.gz, ndjson or json-array. Bytes depend only on the data."""
    if fmt in ('csv', 'tsv', 'csv.gz', 'tsv.gz'):
        text = delimited_text(df, '\t' if fmt.startswith('tsv') else ',').encode('utf-8')
        if fmt.endswith('.gz'):
            buf = io.BytesIO()
            with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0, compresslevel=9) as g:
                g.write(text)
            text = buf.getvalue()
        open(path, 'wb').write(text)
    elif fmt == 'ndjson':
        with open(path, 'w', encoding='utf-8') as f:
            for r in records(df):
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
    elif fmt == 'json-array':
        with open(path, 'w', encoding='utf-8') as f:
            f.write('[\n')
            recs = records(df)
            for i, r in enumerate(recs):
                f.write(json.dumps(r, ensure_ascii=False) + (',\n' if i < len(recs) - 1 else '\n'))
            f.write(']\n')
    else:
        raise ValueError(fmt)


# ---------------------------------------------------------------------------------------- drift stats


def _floats(s):
    a = pd.to_numeric(pd.Series(s), errors='coerce').to_numpy(dtype=float)
    return a


def _fill_zeroes(p):
    p = p.copy()
    m = p[p != 0].min()
    p[p == 0] = m / 10**6 if m <= 0.0001 else 0.0001
    return p


def _psi(rc, cc):
    r = _fill_zeroes(rc / rc.sum())
    c = _fill_zeroes(cc / cc.sum())
    return float(np.sum((r - c) * np.log(r / c)))


def psi_numeric(ref, cur):
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')
        rc = np.histogram(ref, edges)[0].astype(float)
        cc = np.histogram(cur, edges)[0].astype(float)
    else:
        keys = np.unique(np.concatenate([ref, cur]))
        rc = np.array([(ref == k).sum() for k in keys], float)
        cc = np.array([(cur == k).sum() for k in keys], float)
    return _psi(rc, cc)


def num_block(ref_raw, cur_raw):
    """Numeric drift of cur against ref: NULL / NaN dropped first (their shares reported)."""
    r_all, c_all = _floats(ref_raw), _floats(cur_raw)
    r, c = r_all[np.isfinite(r_all)], c_all[np.isfinite(c_all)]
    out = {
        'n_ref': len(r),
        'n_cur': len(c),
        'missing_share_ref': float(1 - len(r) / len(r_all)) if len(r_all) else None,
        'missing_share_cur': float(1 - len(c) / len(c_all)) if len(c_all) else None,
    }
    if len(r) == 0 or len(c) == 0:
        return out
    mr, mc = float(np.mean(r)), float(np.mean(c))
    ks = stats.ks_2samp(r, c)
    out.update(
        mean_ref=mr,
        mean_cur=mc,
        relative_mean_change=(mc - mr) / abs(mr) if mr != 0 else None,
        median_ref=float(np.median(r)),
        median_cur=float(np.median(c)),
        std_ref=float(np.std(r)),
        std_cur=float(np.std(c)),
        min_cur=float(np.min(c)),
        max_ref=float(np.max(r)),
        max_cur=float(np.max(c)),
        ks_statistic=float(ks.statistic),
        ks_p_value=float(ks.pvalue),
        wasserstein_normed=float(stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)),
        psi=psi_numeric(r, c),
        distinct_ref=int(len(np.unique(r))),
        distinct_cur=int(len(np.unique(c))),
    )
    return out


def cat_block(ref_raw, cur_raw, value=None):
    """Categorical drift over the union of categories (NULLs dropped)."""
    r = pd.Series(ref_raw).dropna().astype(str)
    c = pd.Series(cur_raw).dropna().astype(str)
    keys = sorted(set(r) | set(c))
    rv, cv = r.value_counts(), c.value_counts()
    rc = np.array([rv.get(k, 0) for k in keys], float)
    cc = np.array([cv.get(k, 0) for k in keys], float)
    out = {'n_ref': len(r), 'n_cur': len(c)}
    if len(r) and len(c):
        out['jensen_shannon_distance'] = float(distance.jensenshannon(rc / rc.sum(), cc / cc.sum()))
        out['psi'] = _psi(rc, cc)
    out['new_categories'] = sorted(set(c) - set(r))
    out['missing_categories'] = sorted(set(r) - set(c))
    if value is not None:
        out['value'] = value
        out['share_ref'] = float((r == str(value)).mean()) if len(r) else None
        out['share_cur'] = float((c == str(value)).mean()) if len(c) else None
    return out


# -------------------------------------------------------------------------------------------- metrics


def perf_binary(y, p, pred):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    pred = np.asarray(pred, dtype=int)
    if len(y) == 0:
        return {'n': 0}
    out = {
        'n': len(y),
        'positives': int(y.sum()),
        'positive_rate': float(y.mean()),
        'mean_score': float(p.mean()),
        'predicted_positive_rate': float(pred.mean()),
        'log_loss': float(metrics.log_loss(y, p, labels=[0, 1])),
        'brier': float(metrics.brier_score_loss(y, p)),
        'roc_auc': float(metrics.roc_auc_score(y, p)) if 0 < y.sum() < len(y) else None,
        'accuracy': float(metrics.accuracy_score(y, pred)),
        'precision': float(metrics.precision_score(y, pred, zero_division=0)),
        'recall': float(metrics.recall_score(y, pred, zero_division=0)),
    }
    return out


def perf_regression(y, pred):
    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    if len(y) == 0:
        return {'n': 0}
    return {
        'n': len(y),
        'mean_label': float(y.mean()),
        'mean_prediction': float(pred.mean()),
        'mae': float(metrics.mean_absolute_error(y, pred)),
        'rmse': float(math.sqrt(metrics.mean_squared_error(y, pred))),
        'mean_error': float(np.mean(pred - y)),
        'r2': float(metrics.r2_score(y, pred)) if len(y) > 1 else None,
        'median_absolute_error': float(metrics.median_absolute_error(y, pred)),
    }


def perf_multiclass(y, probs, pred, classes):
    y = np.asarray(y, dtype=object)
    if len(y) == 0:
        return {'n': 0}
    probs = np.asarray(probs, dtype=float)
    # sklearn's log_loss reads the probability columns in sorted label order
    order = sorted(range(len(classes)), key=lambda i: classes[i])
    probs = probs[:, order]
    return {
        'n': len(y),
        'label_shares': {c: float((y == c).mean()) for c in classes},
        'accuracy': float(metrics.accuracy_score(y, np.asarray(pred, dtype=object))),
        'log_loss': float(metrics.log_loss(y, probs, labels=sorted(classes))),
        'macro_f1': float(metrics.f1_score(y, pred, labels=classes, average='macro', zero_division=0)),
        'weighted_f1': float(metrics.f1_score(y, pred, labels=classes, average='weighted', zero_division=0)),
    }


CONVENTIONS = {
    'window': 'start inclusive, end exclusive, on the scenario timestamp column; null = the whole log',
    'cell': 'current rows in the segment (every {column, value} equal) and the window, as the log holds them (with the bug)',
    'reference_segment': 'reference rows in the same segment over the whole reference period (for respelled values: the rows with the replaced spelling, see reference_segment_is)',
    'rest_of_log': 'current rows outside the cell',
    'segment_before_window': 'current rows in the same segment before the window starts',
    'cell_before_bug': 'the same log rows as generated before the bug was applied (isolates the planted part from real change)',
    'nulls': 'NULL / NaN dropped before numeric statistics; missing_share_* counts them; n_ref / n_cur count the non-missing values',
    'ks': 'scipy.stats.ks_2samp(reference, current), method auto',
    'wasserstein_normed': 'scipy.stats.wasserstein_distance(reference, current) / max(np.std(reference) (ddof 0), 0.001)',
    'psi': "Evidently's PSI with its empty-bin rule (empty bins get 0.0001, or min/1e6 if the smallest share is <= 0.0001); numeric: Sturges bins on reference+current when the reference has > 20 distinct values, else one bin per value",
    'jensen_shannon_distance': 'scipy.spatial.distance.jensenshannon on normalised counts over the union of categories, natural log',
    'relative_mean_change': '(mean_cur - mean_ref) / |mean_ref|',
    'binary_metrics': 'sklearn log_loss(labels=[0, 1]; sklearn 1.2 clips probabilities to [1e-15, 1 - 1e-15]), brier_score_loss, roc_auc_score (when both classes), accuracy / precision / recall of the logged decision column',
    'regression_metrics': 'sklearn mean_absolute_error, sqrt(mean_squared_error), r2_score, median_absolute_error; mean_error = mean(prediction - label)',
    'multiclass_metrics': 'sklearn accuracy of the logged prediction, log_loss over the class probability columns (put in sorted class order, as sklearn expects), macro / weighted F1',
    'performance_rows': 'only labelled log rows; every logged row counts (a duplicated row counts as often as it is logged)',
}
