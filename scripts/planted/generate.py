#!/usr/bin/python3
"""Planted production bugs in real public data, with a machine-readable truth.

Run with Debian's Python (python3-numpy, -pandas, -scipy, -sklearn, -xgboost; nothing from PyPI):
    /usr/bin/python3 scripts/planted/generate.py          (or: npm run fixtures:planted)

Reads real data from the npm package vega-datasets 3.2.1 (node_modules/vega-datasets/data/, or the folder
named by $VEGA_DATASETS_DIR) and writes tests/fixtures/planted/<scenario>/: the model's training data
(reference), the production prediction log (current, no labels), the labels that arrived later (their own
file), the model (XGBoost JSON), scenario.json (the true role of every file and column) and truth.json
(what was planted where, with evidence numbers computed here by scipy / scikit-learn / numpy).

flights-3m.parquet is ZSTD-compressed and Debian's Python has no pyarrow, so it is read through the
project's native DuckDB (@duckdb/node-api) by scripts/planted/parquet_to_csv.mjs; everything else is read
by pandas. Every input is checked against the git blob hash vega-datasets lists in its datapackage.json.
All randomness is seeded; XGBoost trains single-threaded; gzip headers carry no name or time. Same
inputs and library versions give byte-identical files.

See scripts/planted/README.md for the scenarios and what is planted.
"""
import gzip
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import scipy
import sklearn
import xgboost as xgb
from scipy import stats
from scipy.spatial import distance
from sklearn import metrics as skm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'planted')
DATA = os.environ.get('VEGA_DATASETS_DIR') or os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data')
VEGA_VERSION = '3.2.1'
TS_FMT = '%Y-%m-%d %H:%M:%S'
META = {
    'generator': 'scripts/planted/generate.py',
    'source_package': f'vega-datasets@{VEGA_VERSION}',
    'numpy': np.__version__, 'pandas': pd.__version__, 'scipy': scipy.__version__,
    'sklearn': sklearn.__version__, 'xgboost': xgb.__version__,
}


# ----------------------------------------------------------------------------------------------------------
# Inputs


def git_blob_sha1(path):
    with open(path, 'rb') as f:
        data = f.read()
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


def check_inputs(names):
    """Fails loudly when vega-datasets is missing or a file differs from the one its datapackage.json lists."""
    package = os.path.join(os.path.dirname(DATA), 'package.json')
    if not os.path.exists(package):
        sys.exit(f'vega-datasets not found at {DATA}: run `npm install` (or set VEGA_DATASETS_DIR)')
    with open(package) as f:
        version = json.load(f)['version']
    if version != VEGA_VERSION:
        sys.exit(f'vega-datasets {version} found, the generator is written for {VEGA_VERSION}')
    with open(os.path.join(os.path.dirname(DATA), 'datapackage.json')) as f:
        resources = {r['path']: r for r in json.load(f)['resources']}
    for name in names:
        want = resources[name]['hash'].split(':')[1]
        got = git_blob_sha1(os.path.join(DATA, name))
        if got != want:
            sys.exit(f'{name}: git blob sha1 {got}, datapackage.json says {want}')


def read_flights():
    """All 3,000,000 flights of vega-datasets' flights-3m.parquet (BTS on-time data, Jan-Jun 2001), in file order."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, 'flights-3m.csv')
        subprocess.run(['node', os.path.join(ROOT, 'scripts', 'planted', 'parquet_to_csv.mjs'),
                        os.path.join(DATA, 'flights-3m.parquet'), csv], check=True, cwd=ROOT)
        f = pd.read_csv(csv, dtype={'origin': str, 'destination': str, 'delay': np.int64, 'distance': np.int64})
    f['date'] = pd.to_datetime(f['date'], format=TS_FMT)
    f['source_row'] = np.arange(len(f))
    return f


def flight_features(f):
    """Real features from the whole 3M-flight table: what an operations feed knows when a flight departs.

    vega-datasets' `date` is the actual departure time (scheduled + departure delay) and `delay` the arrival
    delay in minutes (BTS ArrDelay; cancelled and diverted flights are not in the file; see vega-datasets'
    scripts/flights.py). Each flight is scored when it departs:
    - origin_recent_delay_min: mean arrival delay of the flights that left the same origin in the 2 hours
      before (in production this would be the feed's estimate for flights still in the air);
    - origin_departures_last_hour: how many flights left the origin in the hour before;
    - dest_recent_delay_min: the same mean for flights that left the destination airport in the 2 hours before.
    Windows are [t - w, t) on the departure minute; no departures -> NaN (count 0).
    """
    airports = np.array(sorted(set(f['origin']) | set(f['destination'])))
    oc = np.searchsorted(airports, f['origin'].to_numpy())
    dc = np.searchsorted(airports, f['destination'].to_numpy())
    minute = ((f['date'] - pd.Timestamp('2001-01-01')).dt.total_seconds() // 60).astype(np.int64).to_numpy()
    big = 10**7
    key = oc * big + minute
    order = np.argsort(key, kind='stable')
    keys = key[order]
    csum = np.concatenate([[0.0], np.cumsum(f['delay'].to_numpy()[order].astype(float))])

    def window(code, lo, hi):
        a = np.searchsorted(keys, code * big + minute + lo, 'left')
        b = np.searchsorted(keys, code * big + minute + hi, 'left')
        n = b - a
        with np.errstate(invalid='ignore', divide='ignore'):
            return np.where(n > 0, (csum[b] - csum[a]) / np.maximum(n, 1), np.nan), n

    f['origin_recent_delay_min'] = np.round(window(oc, -120, 0)[0], 1)
    f['origin_departures_last_hour'] = window(oc, -60, 0)[1]
    f['dest_recent_delay_min'] = np.round(window(dc, -120, 0)[0], 1)
    f['dep_hour'] = f['date'].dt.hour
    f['day_of_week'] = f['date'].dt.dayofweek + 1  # ISO: Monday = 1
    f['dep_period'] = pd.cut(f['dep_hour'], [-1, 5, 11, 16, 23], labels=['night', 'morning', 'afternoon', 'evening']).astype(str)
    return f


# ----------------------------------------------------------------------------------------------------------
# Evidence (independent of Lantern: scipy / scikit-learn / numpy only)


def num(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    return v if math.isfinite(v) else None


def fill_zeroes(p):
    p = p.copy()
    m = min(p[p != 0])
    np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return p


def psi_value(rc, cc):
    """Evidently's PSI with its empty-bin rule (as scripts/fixtures/drift.py)."""
    r = fill_zeroes(rc / rc.sum())
    c = fill_zeroes(cc / cc.sum())
    return float(np.sum((r - c) * np.log(r / c)))


def clean(values):
    a = pd.to_numeric(pd.Series(values), errors='coerce').to_numpy(float)
    return a[np.isfinite(a)]


def numeric_stats(ref_raw, cur_raw):
    """Reference vs current for one numeric column; NULL / NaN dropped first (as drift.py and Evidently)."""
    ref, cur = clean(ref_raw), clean(cur_raw)
    out = {
        'n_ref': len(ref), 'n_cur': len(cur),
        'missing_share_ref': 1 - len(ref) / len(ref_raw) if len(ref_raw) else None,
        'missing_share_cur': 1 - len(cur) / len(cur_raw) if len(cur_raw) else None,
    }
    if len(ref) == 0 or len(cur) == 0:
        return {k: num(v) for k, v in out.items()}
    ks = stats.ks_2samp(ref, cur)
    mean_ref, mean_cur = np.mean(ref), np.mean(cur)
    both = np.concatenate([ref, cur])
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(both, bins='sturges')
        rc, cc = np.histogram(ref, edges)[0].astype(float), np.histogram(cur, edges)[0].astype(float)
    else:
        keys = np.unique(both)
        rc = np.array([(ref == k).sum() for k in keys], float)
        cc = np.array([(cur == k).sum() for k in keys], float)
    out.update({
        'mean_ref': mean_ref, 'mean_cur': mean_cur,
        'relative_mean_change': (mean_cur - mean_ref) / abs(mean_ref) if mean_ref != 0 else None,
        'median_ref': np.median(ref), 'median_cur': np.median(cur),
        'std_ref': np.std(ref), 'std_cur': np.std(cur),
        'ks_statistic': ks.statistic, 'ks_p_value': ks.pvalue,
        'wasserstein_normed': stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001),
        'psi': psi_value(rc, cc),
        'distinct_cur': len(np.unique(cur)),
    })
    return {k: num(v) for k, v in out.items()}


def categorical_stats(ref_raw, cur_raw, value=None):
    """Shares, Jensen-Shannon distance (scipy, natural log, as drift.py) and PSI over the union of categories."""
    ref = pd.Series(ref_raw).dropna().astype(str)
    cur = pd.Series(cur_raw).dropna().astype(str)
    keys = sorted(set(ref) | set(cur))
    rvc, cvc = ref.value_counts(), cur.value_counts()
    rc = np.array([rvc.get(k, 0) for k in keys], float)
    cc = np.array([cvc.get(k, 0) for k in keys], float)
    out = {
        'n_ref': int(len(ref)), 'n_cur': int(len(cur)),
        'jensen_shannon_distance': float(distance.jensenshannon(rc / rc.sum(), cc / cc.sum())),
        'psi': psi_value(rc, cc),
        'new_categories': [k for k in keys if rvc.get(k, 0) == 0],
        'missing_categories': [k for k in keys if cvc.get(k, 0) == 0],
    }
    if value is not None:
        out.update({'value': value, 'share_ref': float(rvc.get(value, 0) / max(len(ref), 1)),
                    'share_cur': float(cvc.get(value, 0) / max(len(cur), 1))})
    return out


def binary_perf(y, s, pred):
    y = np.asarray(y, int)
    s = np.asarray(s, float)
    pred = np.asarray(pred, int)
    if len(y) == 0:
        return {'n': 0}
    return {
        'n': int(len(y)), 'positives': int(y.sum()), 'positive_rate': float(y.mean()),
        'mean_score': float(s.mean()), 'predicted_positive_rate': float(pred.mean()),
        'log_loss': float(skm.log_loss(y, s, labels=[0, 1])),
        'brier': float(skm.brier_score_loss(y, s)),
        'roc_auc': float(skm.roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None,
        'accuracy': float(skm.accuracy_score(y, pred)),
        'precision': float(skm.precision_score(y, pred, zero_division=0)) if pred.sum() else None,
        'recall': float(skm.recall_score(y, pred)) if y.sum() else None,
    }


def regression_perf(y, p):
    y = np.asarray(y, float)
    p = np.asarray(p, float)
    if len(y) == 0:
        return {'n': 0}
    return {
        'n': int(len(y)), 'mean_label': float(y.mean()), 'mean_prediction': float(p.mean()),
        'mae': float(skm.mean_absolute_error(y, p)), 'rmse': float(math.sqrt(skm.mean_squared_error(y, p))),
        'mean_error': float(np.mean(p - y)), 'r2': float(skm.r2_score(y, p)) if len(y) > 1 else None,
        'median_absolute_error': float(skm.median_absolute_error(y, p)),
    }


def multiclass_perf(y, proba, pred, classes):
    y = np.asarray(y)
    if len(y) == 0:
        return {'n': 0}
    # sklearn's log_loss reads the probability columns in sorted label order.
    order = np.argsort(classes)
    return {
        'n': int(len(y)), 'label_shares': {c: float(np.mean(y == c)) for c in classes},
        'accuracy': float(skm.accuracy_score(y, pred)),
        'log_loss': float(skm.log_loss(y, np.asarray(proba)[:, order], labels=list(np.asarray(classes)[order]))),
        'macro_f1': float(skm.f1_score(y, pred, labels=classes, average='macro', zero_division=0)),
        'weighted_f1': float(skm.f1_score(y, pred, labels=classes, average='weighted', zero_division=0)),
    }


def seg_mask(df, segment):
    m = np.ones(len(df), bool)
    for s in segment:
        m &= (df[s['column']].astype(str) == str(s['value'])).to_numpy()
    return m


def win_mask(df, ts, window):
    if window is None:
        return np.ones(len(df), bool)
    t = df[ts]
    return ((t >= pd.Timestamp(window['start'])) & (t < pd.Timestamp(window['end']))).to_numpy()


# ----------------------------------------------------------------------------------------------------------
# Writing


def write_csv(df, path, gz=False, sep=','):
    text = df.to_csv(index=False, sep=sep, date_format=TS_FMT, lineterminator='\n')
    data = text.encode('utf-8')
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0, compresslevel=9) as g:
            g.write(data)
        data = buf.getvalue()
    with open(path, 'wb') as f:
        f.write(data)


def json_records(df):
    out = []
    for rec in df.to_dict('records'):
        row = {}
        for k, v in rec.items():
            if isinstance(v, pd.Timestamp):
                row[k] = v.strftime(TS_FMT)
            elif isinstance(v, float) and not math.isfinite(v):
                row[k] = None
            elif isinstance(v, (np.integer,)):
                row[k] = int(v)
            elif isinstance(v, (np.floating,)):
                row[k] = None if not math.isfinite(float(v)) else float(v)
            else:
                row[k] = v
        out.append(row)
    return out


def write_json_array(df, path):
    with open(path, 'w') as f:
        f.write('[\n')
        rows = json_records(df)
        for i, r in enumerate(rows):
            f.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + (',\n' if i < len(rows) - 1 else '\n'))
        f.write(']\n')


def write_ndjson(df, path):
    with open(path, 'w') as f:
        for r in json_records(df):
            f.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + '\n')


def write_json(obj, path):
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, allow_nan=False, ensure_ascii=False)
        f.write('\n')


def clean_json(o):
    if isinstance(o, dict):
        return {k: clean_json(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean_json(v) for v in o]
    if isinstance(o, (np.integer, np.floating, float)) or isinstance(o, np.bool_):
        return num(o)
    return o


def train_booster(X, y, params, rounds):
    d = xgb.DMatrix(X, label=y, feature_names=list(X.columns), nthread=1)
    return xgb.train({**params, 'nthread': 1, 'seed': 0}, d, num_boost_round=rounds)


def predict(booster, X):
    return booster.predict(xgb.DMatrix(X, feature_names=list(X.columns), nthread=1))


def arrive_labels(rng, ids, values, event_time, hours_median, cutoff, lost_share, dup_share, n_conflict, flip, id_col, label_col, at_col):
    """Labels that arrive later: a delay after the event, nothing after the export cutoff, some never arrive,
    some are sent twice (a few of those with a different value). Returned in arrival order (file order)."""
    n = len(ids)
    delay_h = hours_median * np.exp(rng.normal(0, 0.9, n))
    at = event_time + pd.to_timedelta(np.round(delay_h * 3600), unit='s')
    keep = (at <= cutoff).to_numpy() & (rng.random(n) >= lost_share)
    lab = pd.DataFrame({id_col: np.asarray(ids)[keep], label_col: np.asarray(values, dtype=object)[keep], at_col: at[keep].to_numpy()})
    dup_idx = rng.choice(len(lab), int(round(dup_share * len(lab))), replace=False)
    dups = lab.iloc[np.sort(dup_idx)].copy()
    dups[at_col] = dups[at_col] + pd.to_timedelta(rng.integers(3600, 5 * 86400, len(dups)), unit='s')
    dups = dups[dups[at_col] <= cutoff]
    conflict = dups.index[:0]
    if n_conflict:
        conflict = pd.Index(rng.choice(dups.index.to_numpy(), min(n_conflict, len(dups)), replace=False))
        dups.loc[conflict, label_col] = [flip(v) for v in dups.loc[conflict, label_col]]
    return lab, dups, len(conflict)


def finish_labels(lab, dups, orphans, at_col):
    out = pd.concat([lab, dups, orphans], ignore_index=True)
    return out.sort_values(at_col, kind='mergesort').reset_index(drop=True)


def first_labels(labels, id_col, label_col):
    """Lantern's join rule (src/lib/labels/join.ts): the first label row per id in file order wins."""
    return labels.drop_duplicates(id_col, keep='first').set_index(id_col)[label_col]


def label_summary(labels, log, id_col, label_col, n_conflict):
    ids = set(log[id_col])
    counts = labels[id_col].value_counts()
    return {
        'label_rows': int(len(labels)),
        'distinct_label_ids': int(labels[id_col].nunique()),
        'predictions': int(len(log)),
        'predictions_labelled': int(log[id_col].isin(set(labels[id_col])).sum()),
        'predictions_unlabelled': int((~log[id_col].isin(set(labels[id_col]))).sum()),
        'duplicate_label_ids': int((counts > 1).sum()),
        'conflicting_label_ids': int((labels.groupby(id_col)[label_col].nunique() > 1).sum()),
        'conflicting_planted': int(n_conflict),
        'labels_without_prediction': int((~labels[id_col].drop_duplicates().isin(ids)).sum()),
        'join_rule': 'first label row per id in file order (labels are in arrival order; later rows are re-sends)',
    }


def add_before_window(ev, cur, ts, rseg, window, m, perf, labelled, label_col=None):
    """The same segment earlier in the log (before the window): 'since when' evidence, free of the seasonal
    difference between the reference period and the log."""
    if window is None:
        return
    bmask = seg_mask(cur, rseg) & (cur[ts] < pd.Timestamp(window['start'])).to_numpy()
    ev['rows_segment_before_window'] = int(bmask.sum())
    ev['labelled_segment_before_window'] = int((bmask & labelled).sum())
    if bmask.sum() == 0:
        return
    for col, d in ev['drift'].items():
        base = d.get('cell_vs_reference_segment') or d.get('window_vs_reference')
        if col not in cur or base is None:
            continue
        if 'ks_statistic' in base:
            d['cell_vs_segment_before_window'] = numeric_stats(cur.loc[bmask, col], cur.loc[m, col])
        elif 'jensen_shannon_distance' in base:
            d['cell_vs_segment_before_window'] = categorical_stats(cur.loc[bmask, col], cur.loc[m, col], base.get('value'))
    if label_col is not None:
        lab = ev['drift'][label_col]
        before, cell = cur.loc[bmask & labelled, 'y'], cur.loc[m & labelled, 'y']
        if 'labels_cell_vs_reference_segment' in lab and 'ks_statistic' in lab['labels_cell_vs_reference_segment']:
            lab['labels_cell_vs_segment_before_window'] = numeric_stats(before, cell)
        else:
            lab['labels_cell_vs_segment_before_window'] = categorical_stats(before, cell, lab['labels_cell_vs_reference_segment'].get('value'))
    ev['performance']['segment_before_window'] = perf(bmask)


def file_entry(name, role, fmt, rows, columns, **extra):
    return {'file': name, 'role': role, 'format': fmt, 'rows': int(rows), 'columns': columns, **extra}


# ----------------------------------------------------------------------------------------------------------
# Scenario 1: flights-late (binary)

LATE_FEATURES = ['distance_mi', 'dep_hour', 'day_of_week', 'origin_recent_delay_min', 'origin_departures_last_hour',
                 'dest_recent_delay_min', 'origin_hist_late_rate', 'dest_hist_late_rate']


def scenario_dir(name):
    out = os.path.join(OUT, name)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    return out


def scenario_flights_late(flights):
    name = 'flights-late'
    out = scenario_dir(name)
    rng = np.random.default_rng(20010401)
    f = flights[flights['source_row'] % 2 == 0]  # even source rows; flights-delay-minutes uses the odd ones
    f = f[f['date'] < '2001-07-01'].copy()
    f['was_late'] = (f['delay'] > 15).astype(int)
    train_period = f[f['date'] < '2001-04-01']
    # Feature-store lookups frozen at training time: each airport's late share in Jan-Mar 2001.
    prior = float(train_period['was_late'].mean())
    o_rate = train_period.groupby('origin')['was_late'].mean()
    d_rate = train_period.groupby('destination')['was_late'].mean()

    def frame(rows):
        df = pd.DataFrame({
            'flight_id': [f'FL{r:07d}' for r in rows['source_row']],
            'departed_at': rows['date'].to_numpy(),
            'origin': rows['origin'].to_numpy(), 'dest': rows['destination'].to_numpy(),
            'dep_period': rows['dep_period'].to_numpy(),
            'distance_mi': rows['distance'].to_numpy(),
            'dep_hour': rows['dep_hour'].to_numpy(), 'day_of_week': rows['day_of_week'].to_numpy(),
            'origin_recent_delay_min': rows['origin_recent_delay_min'].to_numpy(),
            'origin_departures_last_hour': rows['origin_departures_last_hour'].to_numpy(),
            'dest_recent_delay_min': rows['dest_recent_delay_min'].to_numpy(),
            'origin_hist_late_rate': np.round(rows['origin'].map(o_rate).fillna(prior).to_numpy(float), 4),
            'dest_hist_late_rate': np.round(rows['destination'].map(d_rate).fillna(prior).to_numpy(float), 4),
            'was_late': rows['was_late'].to_numpy(),
        })
        return df.sort_values(['departed_at', 'flight_id'], kind='mergesort').reset_index(drop=True)

    ref = frame(train_period.iloc[np.sort(rng.choice(len(train_period), 40000, replace=False))])
    prod_period = f[f['date'] >= '2001-04-01']
    cur = frame(prod_period.iloc[np.sort(rng.choice(len(prod_period), 72000, replace=False))])

    params = {'objective': 'binary:logistic', 'eta': 0.08, 'max_depth': 4, 'min_child_weight': 30,
              'subsample': 0.8, 'colsample_bytree': 0.8, 'lambda': 5.0, 'tree_method': 'hist', 'eval_metric': 'logloss'}
    booster = train_booster(ref[LATE_FEATURES], ref['was_late'], params, 160)
    booster.save_model(os.path.join(out, 'late_model.json'))
    # The stale version served for one week: an earlier experiment trained with scale_pos_weight = 3.
    stale = train_booster(ref[LATE_FEATURES], ref['was_late'], {**params, 'scale_pos_weight': 3.0}, 120)
    ref['p_late'] = np.round(predict(booster, ref[LATE_FEATURES]), 5)
    ref['flagged'] = (ref['p_late'] >= 0.5).astype(int)

    truth_y = cur['was_late'].to_numpy().copy()
    clean_cur = cur.copy()
    bugs = []

    # 1. unit-change: distance in km for flights out of DEN from 2001-05-14.
    b1 = {'id': 'den-distance-km', 'kind': 'unit-change', 'columns': ['distance_mi'],
          'segment': [{'column': 'origin', 'value': 'DEN'}], 'window': {'start': '2001-05-14', 'end': '2001-07-01'},
          'description': 'From 2001-05-14 the route feed for Denver departures sends distance in kilometres (x1.609) into distance_mi.',
          'factor': 1.609344}
    m1 = seg_mask(cur, b1['segment']) & win_mask(cur, 'departed_at', b1['window'])
    cur.loc[m1, 'distance_mi'] = np.round(cur.loc[m1, 'distance_mi'] * 1.609344).astype(int)
    bugs.append((b1, m1))

    # 2. missing-surge: origin_recent_delay_min NULL for ATL departures from 2001-06-04 (broken join to the ops feed).
    b2 = {'id': 'atl-recent-delay-missing', 'kind': 'missing-surge', 'columns': ['origin_recent_delay_min'],
          'segment': [{'column': 'origin', 'value': 'ATL'}], 'window': {'start': '2001-06-04', 'end': '2001-07-01'},
          'description': 'From 2001-06-04 the join to the operations feed fails for Atlanta departures: origin_recent_delay_min is empty for 97% of them, and the model loses its strongest input there.'}
    m2 = seg_mask(cur, b2['segment']) & win_mask(cur, 'departed_at', b2['window'])
    hit = m2 & (rng.random(len(cur)) < 0.97)
    cur.loc[hit, 'origin_recent_delay_min'] = np.nan
    bugs.append((b2, m2))

    # 3. failure-slice: Chicago O'Hare evening departures: a ground delay programme the model cannot see;
    #    present across the whole log, ~1.4% of rows.
    b3 = {'id': 'ord-evening-ground-delays', 'kind': 'failure-slice', 'columns': ['was_late', 'p_late'],
          'segment': [{'column': 'origin', 'value': 'ORD'}, {'column': 'dep_period', 'value': 'evening'}], 'window': None,
          'description': "Evening departures from Chicago O'Hare run into ground delay programmes nothing in the features shows: through the whole log about half of the on-time flights there end up late, and the model's error in that slice is far above the rest."}
    m3 = seg_mask(cur, b3['segment'])
    flip3 = m3 & (truth_y == 0) & (rng.random(len(cur)) < 0.5)
    truth_y[flip3] = 1
    bugs.append((b3, m3))

    cur['p_late'] = np.round(predict(booster, cur[LATE_FEATURES]), 5)
    served = predict(booster, cur[LATE_FEATURES]).astype(float)  # what late_model.json gives for the logged inputs

    # 4. score-drift: the stale model version served every prediction from 2001-04-23 to 2001-04-30.
    b4 = {'id': 'stale-model-week', 'kind': 'score-drift', 'columns': ['p_late', 'flagged'], 'segment': [],
          'window': {'start': '2001-04-23', 'end': '2001-04-30'},
          'description': 'For one week a stale model version (an experiment trained with scale_pos_weight=3) served every prediction: the inputs are unchanged, p_late is inflated and more flights are flagged.'}
    m4 = win_mask(cur, 'departed_at', b4['window'])
    cur.loc[m4, 'p_late'] = np.round(predict(stale, cur.loc[m4, LATE_FEATURES]), 5)
    cur['flagged'] = (cur['p_late'] >= 0.5).astype(int)
    bugs.append((b4, m4))

    # Labels.
    cutoff = pd.Timestamp('2001-06-29 06:00:00')
    lab, dups, n_conf = arrive_labels(rng, cur['flight_id'], truth_y, cur['departed_at'] + pd.Timedelta(hours=3),
                                      20, cutoff, 0.03, 0.012, 40, lambda v: 1 - v, 'flight_id', 'was_late', 'reported_at')
    others = prod_period[~prod_period['source_row'].isin(cur['flight_id'].str[2:].astype(int))]
    orph = others.iloc[np.sort(rng.choice(len(others), 350, replace=False))]
    orphans = pd.DataFrame({'flight_id': [f'FL{r:07d}' for r in orph['source_row']], 'was_late': orph['was_late'].to_numpy(),
                            'reported_at': (orph['date'] + pd.Timedelta(hours=30)).clip(upper=cutoff).to_numpy()})
    labels = finish_labels(lab, dups, orphans, 'reported_at')
    labels['was_late'] = labels['was_late'].astype(int)

    files = {'reference': 'flights_2001Q1_training.csv.gz', 'current': 'late_predictions_2001Q2.csv.gz',
             'labels': 'late_labels.csv.gz', 'model': 'late_model.json'}
    ref_out = ref[['flight_id', 'departed_at', 'origin', 'dest', 'dep_period'] + LATE_FEATURES + ['was_late', 'p_late', 'flagged']]
    cur_out = cur[['flight_id', 'departed_at', 'origin', 'dest', 'dep_period'] + LATE_FEATURES + ['p_late', 'flagged']]
    write_csv(ref_out, os.path.join(out, files['reference']), gz=True)
    write_csv(cur_out, os.path.join(out, files['current']), gz=True)
    write_csv(labels, os.path.join(out, files['labels']), gz=True)

    # Evidence.
    first = first_labels(labels, 'flight_id', 'was_late')
    cur['y'] = cur['flight_id'].map(first)
    labelled = cur['y'].notna().to_numpy()

    def perf(mask, df=cur):
        if df is ref:
            d = ref[mask]
            return binary_perf(d['was_late'], d['p_late'], d['flagged'])
        d = cur[mask & labelled]
        return binary_perf(d['y'].astype(int), d['p_late'], d['flagged'])

    truths = []
    for b, m in bugs:
        rmask = seg_mask(ref, b['segment'])
        ev = {'rows_current_cell': int(m.sum()), 'rows_reference_segment': int(rmask.sum()),
              'share_of_log': float(m.mean()), 'labelled_in_cell': int((m & labelled).sum())}
        drift = {}
        for col in b['columns']:
            if col in ('was_late',):
                continue
            if col == 'flagged':
                drift[col] = {'cell_vs_reference_segment': categorical_stats(ref.loc[rmask, col], cur.loc[m, col], '1'),
                              'whole_log_vs_reference': categorical_stats(ref[col], cur[col], '1')}
                continue
            drift[col] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], cur.loc[m, col]),
                          'whole_log_vs_reference': numeric_stats(ref[col], cur[col]),
                          'rest_of_log_vs_reference': numeric_stats(ref[col], cur.loc[~m, col])}
            if b['kind'] != 'score-drift':
                drift[col]['cell_before_bug_vs_reference_segment'] = numeric_stats(ref.loc[rmask, col], clean_cur.loc[m, col]) if col in clean_cur else None
        ev['drift'] = drift
        ev['performance'] = {'cell': perf(m), 'reference_segment': perf(rmask, ref), 'rest_of_log': perf(~m), 'reference': perf(np.ones(len(ref), bool), ref)}
        if b['kind'] == 'missing-surge':
            col = b['columns'][0]
            ev['missing'] = {'share_in_cell': float(cur.loc[m, col].isna().mean()), 'share_rest_of_log': float(cur.loc[~m, col].isna().mean()),
                             'share_reference_segment': float(ref.loc[rmask, col].isna().mean()), 'share_reference': float(ref[col].isna().mean()),
                             'share_whole_log': float(cur[col].isna().mean())}
        if b['kind'] == 'failure-slice':
            ev['labels_changed_in_cell'] = int(flip3.sum())
            ev['performance']['cell_with_original_labels'] = binary_perf(
                clean_cur.loc[m & labelled, 'was_late'], cur.loc[m & labelled, 'p_late'], cur.loc[m & labelled, 'flagged'])
        if b['kind'] == 'score-drift':
            # What a replay of late_model.json over the logged features finds (Lantern's tolerance: 1e-4 + 1e-4 |logged|).
            diff = np.abs(served - cur['p_late'].to_numpy())
            off = diff > 1e-4 + 1e-4 * np.abs(cur['p_late'].to_numpy())
            ev['replay'] = {'model': files['model'], 'rows_disagreeing_in_cell': int((off & m).sum()), 'rows_disagreeing_rest_of_log': int((off & ~m).sum()),
                            'max_abs_difference_rest_of_log': float(diff[~m].max()), 'mean_logged_minus_model_in_cell': float(np.mean(cur['p_late'].to_numpy()[m] - served[m]))}
            lm = m & labelled
            ev['performance']['cell_had_late_model_json_served'] = binary_perf(cur.loc[lm, 'y'].astype(int), served[lm], (served[lm] >= 0.5).astype(int))
        add_before_window(ev, cur, 'departed_at', b['segment'], b['window'], m, perf, labelled)
        truths.append({**b, 'evidence': ev})

    scenario = {
        'scenario': name, 'task': 'binary', 'positive_class': '1', 'threshold': 0.5,
        'source': {'dataset': 'flights-3m.parquet', 'package': f'vega-datasets@{VEGA_VERSION}',
                   'origin': 'U.S. Bureau of Transportation Statistics on-time data, Jan-Jun 2001 (as vega-datasets states it)',
                   'rows_used': 'even source rows (file order); reference: 40,000 sampled from 2001-01-01..2001-03-31, current: 72,000 sampled from 2001-04-01..2001-06-30'},
        'files': [
            file_entry(files['reference'], 'reference', 'csv.gz', len(ref_out), list(ref_out.columns), note='the training data of late_model.json, with its in-sample scores'),
            file_entry(files['current'], 'current', 'csv.gz', len(cur_out), list(cur_out.columns), note='the production prediction log, no labels'),
            file_entry(files['labels'], 'labels', 'csv.gz', len(labels), list(labels.columns), note='labels that arrived later, in arrival order'),
            file_entry(files['model'], 'model', 'xgboost-json', 0, [], objective='binary:logistic', trees=160),
        ],
        'join_id': 'flight_id', 'timestamp': 'departed_at', 'label': 'was_late', 'score': 'p_late', 'prediction': 'flagged',
        'labels_file': {'id': 'flight_id', 'label': 'was_late', 'timestamp': 'reported_at', **label_summary(labels, cur, 'flight_id', 'was_late', n_conf)},
        'features': LATE_FEATURES, 'segments': ['origin', 'dest', 'dep_period'],
        'roles': {'flight_id': 'id', 'departed_at': 'timestamp', 'origin': 'segment', 'dest': 'segment', 'dep_period': 'segment',
                  **{c: 'feature' for c in LATE_FEATURES}, 'was_late': 'label', 'p_late': 'score', 'flagged': 'prediction', 'reported_at': 'ignore'},
        'period': {'reference': ['2001-01-01', '2001-04-01'], 'current': ['2001-04-01', '2001-07-01']},
    }
    baseline = {'reference': perf(np.ones(len(ref), bool), ref), 'whole_log': perf(np.ones(len(cur), bool)),
                'log_without_planted_cells': perf(~np.logical_or.reduce([m for _, m in bugs]))}
    return name, scenario, truths, baseline


# ----------------------------------------------------------------------------------------------------------
# Scenario 2: flights-delay-minutes (regression)

DELAY_FEATURES = ['distance_mi', 'dep_hour', 'day_of_week', 'origin_recent_delay_min', 'origin_departures_last_hour',
                  'dest_recent_delay_min', 'origin_hist_mean_delay', 'dest_hist_mean_delay']


def scenario_flights_delay(flights):
    name = 'flights-delay-minutes'
    out = scenario_dir(name)
    rng = np.random.default_rng(20010402)
    f = flights[flights['source_row'] % 2 == 1]
    f = f[(f['date'] >= '2001-02-01') & (f['date'] < '2001-07-01')].copy()
    train_period = f[f['date'] < '2001-04-01']
    # Lookups frozen at training time: each airport's mean delay in Feb-Mar 2001, clipped like the model's inputs.
    clipped = train_period['delay'].clip(-60, 300)
    prior = float(clipped.mean())
    o_mean = clipped.groupby(train_period['origin']).mean()
    d_mean = clipped.groupby(train_period['destination']).mean()

    def frame(rows):
        df = pd.DataFrame({
            'flight_id': [f'FL{r:07d}' for r in rows['source_row']],
            'departed_at': rows['date'].to_numpy(),
            'origin': rows['origin'].to_numpy(), 'dest': rows['destination'].to_numpy(), 'dep_period': rows['dep_period'].to_numpy(),
            'distance_mi': rows['distance'].to_numpy(), 'dep_hour': rows['dep_hour'].to_numpy(), 'day_of_week': rows['day_of_week'].to_numpy(),
            'origin_recent_delay_min': rows['origin_recent_delay_min'].to_numpy(),
            'origin_departures_last_hour': rows['origin_departures_last_hour'].to_numpy(),
            'dest_recent_delay_min': rows['dest_recent_delay_min'].to_numpy(),
            'origin_hist_mean_delay': np.round(rows['origin'].map(o_mean).fillna(prior).to_numpy(float), 2),
            'dest_hist_mean_delay': np.round(rows['destination'].map(d_mean).fillna(prior).to_numpy(float), 2),
            'arr_delay_min': rows['delay'].to_numpy(),
        })
        return df.sort_values(['departed_at', 'flight_id'], kind='mergesort').reset_index(drop=True)

    ref = frame(train_period.iloc[np.sort(rng.choice(len(train_period), 30000, replace=False))])
    prod_period = f[f['date'] >= '2001-04-01']
    cur = frame(prod_period.iloc[np.sort(rng.choice(len(prod_period), 45000, replace=False))])

    params = {'objective': 'reg:squarederror', 'eta': 0.08, 'max_depth': 4, 'min_child_weight': 40,
              'subsample': 0.8, 'colsample_bytree': 0.8, 'lambda': 5.0, 'tree_method': 'hist'}
    booster = train_booster(ref[DELAY_FEATURES], ref['arr_delay_min'].clip(-60, 300), params, 150)
    booster.save_model(os.path.join(out, 'delay_regressor.json'))
    ref['pred_delay_min'] = np.round(predict(booster, ref[DELAY_FEATURES]).astype(float), 4)
    truth_y = cur['arr_delay_min'].to_numpy().astype(float).copy()
    clean_cur = cur.copy()
    bugs = []

    # 1. stuck-value: origin_departures_last_hour frozen for DFW departures 2001-04-16 .. 2001-04-30.
    b1 = {'id': 'dfw-departures-frozen', 'kind': 'stuck-value', 'columns': ['origin_departures_last_hour'],
          'segment': [{'column': 'origin', 'value': 'DFW'}], 'window': {'start': '2001-04-16', 'end': '2001-04-30'},
          'description': 'The departures counter for Dallas/Fort Worth froze for two weeks: origin_departures_last_hour repeats the last value it had before 2001-04-16.'}
    m1 = seg_mask(cur, b1['segment']) & win_mask(cur, 'departed_at', b1['window'])
    before = cur[seg_mask(cur, b1['segment']) & (cur['departed_at'] < pd.Timestamp(b1['window']['start']))]
    stuck = int(before['origin_departures_last_hour'].iloc[-1])
    b1['stuck_value'] = stuck
    cur.loc[m1, 'origin_departures_last_hour'] = stuck
    bugs.append((b1, m1))

    # 2. segment-shift: origin_recent_delay_min +35 min for LAX departures in one week.
    b2 = {'id': 'lax-recent-delay-shift', 'kind': 'segment-shift', 'columns': ['origin_recent_delay_min'],
          'segment': [{'column': 'origin', 'value': 'LAX'}], 'window': {'start': '2001-06-04', 'end': '2001-06-11'},
          'description': 'For one week an aggregation bug in the operations feed adds about 35 minutes to origin_recent_delay_min for Los Angeles departures; the model predicts delays that do not happen.',
          'offset_minutes': 35}
    m2 = seg_mask(cur, b2['segment']) & win_mask(cur, 'departed_at', b2['window'])
    cur.loc[m2, 'origin_recent_delay_min'] = np.round(cur.loc[m2, 'origin_recent_delay_min'] + 35 + rng.normal(0, 4, m2.sum()), 1)
    bugs.append((b2, m2))

    # 3. concept-drift: BOS departures from 2001-05-14 are ~30 min later than anything the inputs explain.
    b3 = {'id': 'bos-runway-works', 'kind': 'concept-drift', 'columns': ['arr_delay_min'],
          'segment': [{'column': 'origin', 'value': 'BOS'}], 'window': {'start': '2001-05-14', 'end': '2001-07-01'},
          'description': 'From 2001-05-14 Boston departures arrive about 30 minutes later than before for reasons none of the inputs carry (think runway works): only the outcome changes, so the error grows while the inputs keep their usual variation.'}
    m3 = seg_mask(cur, b3['segment']) & win_mask(cur, 'departed_at', b3['window'])
    truth_y[m3] += np.round(rng.gamma(3.0, 10.0, m3.sum()))
    bugs.append((b3, m3))

    # 4. new-category: LAS arrives as its ICAO code KLAS from 2001-05-21; lookups keyed on dest miss.
    b4 = {'id': 'las-icao-code', 'kind': 'new-category', 'columns': ['dest', 'dest_hist_mean_delay', 'dest_recent_delay_min'],
          'segment': [{'column': 'dest', 'value': 'KLAS'}], 'window': {'start': '2001-05-21', 'end': '2001-07-01'},
          'description': "From 2001-05-21 the route feed writes Las Vegas as its ICAO code KLAS instead of LAS: a category never seen in training; the lookups keyed on the destination miss, so dest_hist_mean_delay falls back to the global mean and dest_recent_delay_min is empty.",
          'new_value': 'KLAS', 'replaces': 'LAS'}
    m4 = (cur['dest'] == 'LAS').to_numpy() & win_mask(cur, 'departed_at', b4['window'])
    cur.loc[m4, 'dest'] = 'KLAS'
    cur.loc[m4, 'dest_hist_mean_delay'] = round(prior, 2)
    cur.loc[m4, 'dest_recent_delay_min'] = np.nan
    bugs.append((b4, m4))

    cur['pred_delay_min'] = np.round(predict(booster, cur[DELAY_FEATURES]).astype(float), 4)

    cutoff = pd.Timestamp('2001-06-28 00:00:00')
    lab, dups, n_conf = arrive_labels(rng, cur['flight_id'], truth_y.astype(int), cur['departed_at'] + pd.Timedelta(hours=4),
                                      30, cutoff, 0.04, 0.015, 25, lambda v: int(v) + 60, 'flight_id', 'arr_delay_min', 'reported_at')
    others = prod_period[~prod_period['source_row'].isin(cur['flight_id'].str[2:].astype(int))]
    orph = others.iloc[np.sort(rng.choice(len(others), 220, replace=False))]
    orphans = pd.DataFrame({'flight_id': [f'FL{r:07d}' for r in orph['source_row']], 'arr_delay_min': orph['delay'].to_numpy(),
                            'reported_at': (orph['date'] + pd.Timedelta(hours=36)).clip(upper=cutoff).to_numpy()})
    labels = finish_labels(lab, dups, orphans, 'reported_at')
    labels['arr_delay_min'] = labels['arr_delay_min'].astype(int)

    files = {'reference': 'delay_training_set.tsv.gz', 'current': 'delay_scoring_log.csv.gz', 'labels': 'actual_delays.ndjson', 'model': 'delay_regressor.json'}
    ref_out = ref[['flight_id', 'departed_at', 'origin', 'dest', 'dep_period'] + DELAY_FEATURES + ['arr_delay_min', 'pred_delay_min']]
    cur_out = cur[['flight_id', 'departed_at', 'origin', 'dest', 'dep_period'] + DELAY_FEATURES + ['pred_delay_min']]
    write_csv(ref_out, os.path.join(out, files['reference']), gz=True, sep='\t')
    write_csv(cur_out, os.path.join(out, files['current']), gz=True)
    lab_out = labels.copy()
    lab_out['reported_at'] = lab_out['reported_at'].dt.strftime('%Y-%m-%dT%H:%M:%S')
    write_ndjson(lab_out, os.path.join(out, files['labels']))

    first = first_labels(labels, 'flight_id', 'arr_delay_min')
    cur['y'] = cur['flight_id'].map(first)
    labelled = cur['y'].notna().to_numpy()

    def perf(mask, df=cur):
        if df is ref:
            d = ref[mask]
            return regression_perf(d['arr_delay_min'], d['pred_delay_min'])
        d = cur[mask & labelled]
        return regression_perf(d['y'], d['pred_delay_min'])

    truths = []
    for b, m in bugs:
        rseg = b['segment'] if b['kind'] != 'new-category' else [{'column': 'dest', 'value': 'LAS'}]
        rmask = seg_mask(ref, rseg)
        ev = {'rows_current_cell': int(m.sum()), 'rows_reference_segment': int(rmask.sum()), 'share_of_log': float(m.mean()),
              'labelled_in_cell': int((m & labelled).sum())}
        if b['kind'] == 'new-category':
            ev['reference_segment_is'] = [{'column': 'dest', 'value': 'LAS'}]
        drift = {}
        for col in b['columns']:
            if col == 'arr_delay_min':
                d_after = cur[m & labelled]
                drift[col] = {'labels_cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], d_after['y'])}
                continue
            if col == 'dest':
                w = win_mask(cur, 'departed_at', b['window'])
                drift[col] = {'window_vs_reference': categorical_stats(ref[col], cur.loc[w, col], 'KLAS'),
                              'whole_log_vs_reference': categorical_stats(ref[col], cur[col], 'KLAS'),
                              'before_window_vs_reference': categorical_stats(ref[col], cur.loc[~w, col], 'KLAS')}
                continue
            drift[col] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], cur.loc[m, col]),
                          'cell_before_bug_vs_reference_segment': numeric_stats(ref.loc[rmask, col], clean_cur.loc[m, col]),
                          'whole_log_vs_reference': numeric_stats(ref[col], cur[col]),
                          'rest_of_log_vs_reference': numeric_stats(ref[col], cur.loc[~m, col])}
        if b['kind'] == 'concept-drift':
            for col in ['origin_recent_delay_min', 'distance_mi', 'dep_hour', 'origin_departures_last_hour']:
                drift[col] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], cur.loc[m, col])}
            drift['pred_delay_min'] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, 'pred_delay_min'], cur.loc[m, 'pred_delay_min'])}
        if b['kind'] == 'stuck-value':
            col = b['columns'][0]
            ev['stuck'] = {'value': stuck, 'distinct_in_cell': int(cur.loc[m, col].nunique()), 'share_equal_in_cell': float((cur.loc[m, col] == stuck).mean()),
                           'distinct_in_reference_segment': int(ref.loc[rmask, col].nunique()),
                           'share_equal_in_reference_segment': float((ref.loc[rmask, col] == stuck).mean())}
        if b['kind'] == 'new-category':
            ev['missing'] = {'dest_recent_delay_min': {'share_in_cell': float(cur.loc[m, 'dest_recent_delay_min'].isna().mean()),
                                                       'share_rest_of_log': float(cur.loc[~m, 'dest_recent_delay_min'].isna().mean()),
                                                       'share_reference': float(ref['dest_recent_delay_min'].isna().mean())}}
        ev['drift'] = drift
        ev['performance'] = {'cell': perf(m), 'reference_segment': perf(rmask, ref), 'rest_of_log': perf(~m), 'reference': perf(np.ones(len(ref), bool), ref)}
        add_before_window(ev, cur, 'departed_at', rseg, b['window'], m, perf, labelled,
                          'arr_delay_min' if b['kind'] == 'concept-drift' else None)
        truths.append({**b, 'evidence': ev})

    scenario = {
        'scenario': name, 'task': 'regression', 'positive_class': None, 'threshold': None,
        'source': {'dataset': 'flights-3m.parquet', 'package': f'vega-datasets@{VEGA_VERSION}',
                   'origin': 'U.S. Bureau of Transportation Statistics on-time data, Jan-Jun 2001 (as vega-datasets states it)',
                   'rows_used': 'odd source rows (file order, disjoint from flights-late); reference: 30,000 sampled from 2001-02-01..2001-03-31, current: 45,000 sampled from 2001-04-01..2001-06-30'},
        'files': [
            file_entry(files['reference'], 'reference', 'tsv.gz', len(ref_out), list(ref_out.columns), note='the training data of delay_regressor.json (trained on arr_delay_min clipped to [-60, 300]), with in-sample predictions'),
            file_entry(files['current'], 'current', 'csv.gz', len(cur_out), list(cur_out.columns), note='the production prediction log, no labels'),
            file_entry(files['labels'], 'labels', 'ndjson', len(labels), list(labels.columns), note='actual arrival delays that arrived later, in arrival order'),
            file_entry(files['model'], 'model', 'xgboost-json', 0, [], objective='reg:squarederror', trees=150),
        ],
        'join_id': 'flight_id', 'timestamp': 'departed_at', 'label': 'arr_delay_min', 'score': None, 'prediction': 'pred_delay_min',
        'labels_file': {'id': 'flight_id', 'label': 'arr_delay_min', 'timestamp': 'reported_at', **label_summary(labels, cur, 'flight_id', 'arr_delay_min', n_conf)},
        'features': DELAY_FEATURES, 'segments': ['origin', 'dest', 'dep_period'],
        'roles': {'flight_id': 'id', 'departed_at': 'timestamp', 'origin': 'segment', 'dest': 'segment', 'dep_period': 'segment',
                  **{c: 'feature' for c in DELAY_FEATURES}, 'arr_delay_min': 'label', 'pred_delay_min': 'prediction', 'reported_at': 'ignore'},
        'period': {'reference': ['2001-02-01', '2001-04-01'], 'current': ['2001-04-01', '2001-07-01']},
    }
    baseline = {'reference': perf(np.ones(len(ref), bool), ref), 'whole_log': perf(np.ones(len(cur), bool)),
                'log_without_planted_cells': perf(~np.logical_or.reduce([m for _, m in bugs]))}
    return name, scenario, truths, baseline


# ----------------------------------------------------------------------------------------------------------
# Scenario 3: birdstrikes-damage (multiclass)

DAMAGE = {'None': 'no_damage', 'Minor': 'minor', 'Medium': 'medium', 'Substantial': 'substantial'}
CLASSES = ['no_damage', 'minor', 'medium', 'substantial']
PHASES = ['Parked', 'Taxi', 'Take-off run', 'Climb', 'Descent', 'Approach', 'Landing Roll']
SIZES = ['Small', 'Medium', 'Large']
TIMES = ['Dawn', 'Day', 'Dusk', 'Night']
STRIKE_FEATURES = ['speed_kts', 'size_code', 'phase_code', 'time_of_day_code', 'military', 'species_identified']


def scenario_birdstrikes():
    name = 'birdstrikes-damage'
    out = scenario_dir(name)
    rng = np.random.default_rng(19900108)
    raw = pd.read_csv(os.path.join(DATA, 'birdstrikes.csv'))
    raw['source_row'] = np.arange(len(raw))
    # 15 rows carry damage codes "B" / "C" that the FAA data dictionary of this extract does not explain: left out.
    raw = raw[raw['Effect Amount of damage'].isin(list(DAMAGE))].copy()
    raw['date'] = pd.to_datetime(raw['Flight Date'], format='%Y-%m-%d')
    raw = raw.sort_values(['date', 'source_row'], kind='mergesort').reset_index(drop=True)
    df = pd.DataFrame({
        'strike_id': [f'WS{d.year}-{r:05d}' for d, r in zip(raw['date'], raw['source_row'])],
        'strike_date': raw['date'],
        'airport': raw['Airport Name'], 'state': raw['Origin State'], 'operator': raw['Aircraft Airline Operator'],
        'aircraft_model': raw['Aircraft Make Model'], 'phase_of_flight': raw['Phase of flight'], 'wildlife_size': raw['Wildlife Size'],
        'species': raw['Wildlife Species'], 'time_of_day': raw['Time of day'],
        'speed_kts': raw['Speed IAS in knots'],
        'size_code': raw['Wildlife Size'].map({s: i for i, s in enumerate(SIZES)}),
        'phase_code': raw['Phase of flight'].map({s: i for i, s in enumerate(PHASES)}).astype(float),
        'time_of_day_code': raw['Time of day'].map({s: i for i, s in enumerate(TIMES)}),
        'military': (raw['Aircraft Airline Operator'] == 'MILITARY').astype(int),
        'species_identified': (~raw['Wildlife Species'].str.startswith('Unknown')).astype(int),
        'damage_level': raw['Effect Amount of damage'].map(DAMAGE),
    })
    ref = df[df['strike_date'] < '1997-01-01'].reset_index(drop=True)
    cur = df[df['strike_date'] >= '1997-01-01'].reset_index(drop=True)
    log_end = (cur['strike_date'].max() + pd.Timedelta(days=1)).strftime('%Y-%m-%d')  # 2002-07-26

    params = {'objective': 'multi:softprob', 'num_class': 4, 'eta': 0.1, 'max_depth': 3, 'min_child_weight': 3,
              'subsample': 0.9, 'colsample_bytree': 0.9, 'lambda': 2.0, 'tree_method': 'hist', 'eval_metric': 'mlogloss'}
    y_ref = ref['damage_level'].map({c: i for i, c in enumerate(CLASSES)})
    booster = train_booster(ref[STRIKE_FEATURES], y_ref, params, 80)
    booster.save_model(os.path.join(out, 'damage_model.json'))
    pcols = [f'p_{c}' for c in CLASSES]

    def score(frame):
        p = np.round(predict(booster, frame[STRIKE_FEATURES]).astype(float), 5)
        for j, c in enumerate(pcols):
            frame[c] = p[:, j]
        frame['predicted_damage'] = np.array(CLASSES)[np.argmax(frame[pcols].to_numpy(), axis=1)]

    score(ref)
    truth_y = cur['damage_level'].to_numpy().copy()
    clean_cur = cur.copy()
    bugs = []

    # 1. new-category: "Take-off run" renamed "Takeoff" from 2000-01-01; the phase lookup misses -> phase_code empty.
    b1 = {'id': 'phase-takeoff-renamed', 'kind': 'new-category', 'columns': ['phase_of_flight', 'phase_code'],
          'segment': [{'column': 'phase_of_flight', 'value': 'Takeoff'}], 'window': {'start': '2002-01-01', 'end': log_end},
          'description': "From 2002-01-01 the reporting form spells the phase 'Take-off run' as 'Takeoff': a category never seen in training, and phase_code, looked up from the old spelling, is empty for those strikes.",
          'new_value': 'Takeoff', 'replaces': 'Take-off run'}
    w1 = win_mask(cur, 'strike_date', b1['window'])
    m1 = w1 & (cur['phase_of_flight'] == 'Take-off run').to_numpy()
    cur.loc[m1, 'phase_of_flight'] = 'Takeoff'
    cur.loc[m1, 'phase_code'] = np.nan
    bugs.append((b1, m1))

    # 2. unit-change: Southwest reports speed in km/h from 1999-01-01.
    b2 = {'id': 'united-speed-kmh', 'kind': 'unit-change', 'columns': ['speed_kts'],
          'segment': [{'column': 'operator', 'value': 'UNITED AIRLINES'}], 'window': {'start': '2000-07-01', 'end': log_end},
          'description': 'From 2000-07-01 the reports of one operator (United) carry indicated airspeed in km/h (x1.852) in speed_kts.', 'factor': 1.852}
    m2 = seg_mask(cur, b2['segment']) & win_mask(cur, 'strike_date', b2['window'])
    cur.loc[m2, 'speed_kts'] = np.round(cur.loc[m2, 'speed_kts'] * 1.852)
    bugs.append((b2, m2))

    # 3. concept-drift: a stricter inspection rule at DFW from 2000-01-01: medium / large bird strikes that used
    #    to be "no damage" are now often recorded as minor damage. Inputs unchanged.
    b3 = {'id': 'dfw-inspection-rule', 'kind': 'concept-drift', 'columns': ['damage_level'],
          'segment': [{'column': 'airport', 'value': 'DALLAS/FORT WORTH INTL ARPT'}], 'window': {'start': '2000-01-01', 'end': log_end},
          'description': 'From 2000 Dallas/Fort Worth applies a stricter inspection rule: strikes by medium and large birds that used to be recorded as no damage are now often minor damage; the inputs do not change, the label does.'}
    m3 = seg_mask(cur, b3['segment']) & win_mask(cur, 'strike_date', b3['window'])
    flip3 = m3 & (truth_y == 'no_damage') & cur['wildlife_size'].isin(['Medium', 'Large']).to_numpy() & (rng.random(len(cur)) < 0.6)
    truth_y[flip3] = 'minor'
    bugs.append((b3, m3))

    score(cur)

    end = cur['strike_date'].max()
    cutoff = end - pd.Timedelta(days=20)
    lab, dups, n_conf = arrive_labels(rng, cur['strike_id'], truth_y, cur['strike_date'] + pd.Timedelta(days=2), 24 * 9, cutoff, 0.05, 0.02, 6,
                                      lambda v: 'no_damage' if v != 'no_damage' else 'minor', 'strike_id', 'damage_level', 'assessed_on')
    orphans = pd.DataFrame({'strike_id': [f'WS{2002 if i % 2 else 2001}-9{i:04d}' for i in range(40)],
                            'damage_level': rng.choice(CLASSES, 40, p=[0.85, 0.08, 0.03, 0.04]),
                            'assessed_on': (pd.Timestamp('2001-06-01') + pd.to_timedelta(rng.integers(0, 400, 40), unit='D'))})
    labels = finish_labels(lab, dups, orphans, 'assessed_on')
    labels['assessed_on'] = labels['assessed_on'].dt.floor('D')

    files = {'reference': 'strikes_1990_1996.csv', 'current': 'damage_predictions.json', 'labels': 'damage_assessments.tsv', 'model': 'damage_model.json'}
    base_cols = ['strike_id', 'strike_date', 'airport', 'state', 'operator', 'aircraft_model', 'phase_of_flight', 'wildlife_size', 'species', 'time_of_day']
    ref_out = ref[base_cols + STRIKE_FEATURES + ['damage_level'] + pcols + ['predicted_damage']].copy()
    cur_out = cur[base_cols + STRIKE_FEATURES + pcols + ['predicted_damage']].copy()
    for d in (ref_out, cur_out):
        d['strike_date'] = d['strike_date'].dt.strftime('%Y-%m-%d')
    write_csv(ref_out, os.path.join(out, files['reference']))
    write_json_array(cur_out, os.path.join(out, files['current']))
    lab_out = labels.copy()
    lab_out['assessed_on'] = lab_out['assessed_on'].dt.strftime('%Y-%m-%d')
    write_csv(lab_out, os.path.join(out, files['labels']), sep='\t')

    first = first_labels(labels, 'strike_id', 'damage_level')
    cur['y'] = cur['strike_id'].map(first)
    labelled = cur['y'].notna().to_numpy()

    def perf(mask, df=cur):
        if df is ref:
            d = ref[mask]
            return multiclass_perf(d['damage_level'], d[pcols].to_numpy(), d['predicted_damage'], CLASSES)
        d = cur[mask & labelled]
        return multiclass_perf(d['y'], d[pcols].to_numpy(), d['predicted_damage'], CLASSES)

    truths = []
    for b, m in bugs:
        rseg = b['segment'] if b['kind'] != 'new-category' else [{'column': 'phase_of_flight', 'value': 'Take-off run'}]
        rmask = seg_mask(ref, rseg)
        ev = {'rows_current_cell': int(m.sum()), 'rows_reference_segment': int(rmask.sum()), 'share_of_log': float(m.mean()),
              'labelled_in_cell': int((m & labelled).sum())}
        drift = {}
        if b['kind'] == 'new-category':
            ev['reference_segment_is'] = rseg
            drift['phase_of_flight'] = {'window_vs_reference': categorical_stats(ref['phase_of_flight'], cur.loc[w1, 'phase_of_flight'], 'Takeoff'),
                                        'whole_log_vs_reference': categorical_stats(ref['phase_of_flight'], cur['phase_of_flight'], 'Takeoff'),
                                        'before_window_vs_reference': categorical_stats(ref['phase_of_flight'], cur.loc[~w1, 'phase_of_flight'], 'Takeoff')}
            drift['phase_code'] = {'window_vs_reference': numeric_stats(ref['phase_code'], cur.loc[w1, 'phase_code']),
                                   'whole_log_vs_reference': numeric_stats(ref['phase_code'], cur['phase_code'])}
            ev['missing'] = {'phase_code': {'share_in_window': float(cur.loc[w1, 'phase_code'].isna().mean()),
                                            'share_before_window': float(cur.loc[~w1, 'phase_code'].isna().mean()),
                                            'share_reference': float(ref['phase_code'].isna().mean())}}
        elif b['kind'] == 'unit-change':
            col = 'speed_kts'
            drift[col] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], cur.loc[m, col]),
                          'cell_before_bug_vs_reference_segment': numeric_stats(ref.loc[rmask, col], clean_cur.loc[m, col]),
                          'whole_log_vs_reference': numeric_stats(ref[col], cur[col]),
                          'rest_of_log_vs_reference': numeric_stats(ref[col], cur.loc[~m, col])}
        else:
            ev['labels_changed_in_cell'] = int(flip3.sum())
            drift['damage_level'] = {'labels_cell_vs_reference_segment': categorical_stats(ref.loc[rmask, 'damage_level'], cur.loc[m & labelled, 'y'], 'minor'),
                                     'labels_cell_before_change_vs_reference_segment': categorical_stats(ref.loc[rmask, 'damage_level'], clean_cur.loc[m & labelled, 'damage_level'], 'minor')}
            for col in ['speed_kts', 'size_code', 'phase_code']:
                drift[col] = {'cell_vs_reference_segment': numeric_stats(ref.loc[rmask, col], cur.loc[m, col])}
            ev['performance_with_original_labels'] = multiclass_perf(clean_cur.loc[m & labelled, 'damage_level'], cur.loc[m & labelled, pcols].to_numpy(),
                                                                     cur.loc[m & labelled, 'predicted_damage'], CLASSES)
        ev['drift'] = drift
        ev['performance'] = {'cell': perf(m), 'reference_segment': perf(rmask, ref), 'rest_of_log': perf(~m), 'reference': perf(np.ones(len(ref), bool), ref)}
        add_before_window(ev, cur, 'strike_date', rseg, b['window'], m, perf, labelled,
                          'damage_level' if b['kind'] == 'concept-drift' else None)
        truths.append({**b, 'evidence': ev})

    scenario = {
        'scenario': name, 'task': 'multiclass', 'positive_class': None, 'threshold': None, 'classes': CLASSES,
        'source': {'dataset': 'birdstrikes.csv', 'package': f'vega-datasets@{VEGA_VERSION}',
                   'origin': 'FAA Wildlife Strike Database (U.S. Government dataset, as vega-datasets states it)',
                   'rows_used': f'all 10,000 rows but the 15 with damage codes B / C; reference: strikes 1990-1996 ({len(ref)}), current: 1997-2002 ({len(cur)}). '
                                'The file has only 10,000 rows, so this scenario is smaller than the others.'},
        'files': [
            file_entry(files['reference'], 'reference', 'csv', len(ref_out), list(ref_out.columns), note='the training data of damage_model.json, with its in-sample probabilities'),
            file_entry(files['current'], 'current', 'json-array', len(cur_out), list(cur_out.columns), note='the production prediction log, no labels'),
            file_entry(files['labels'], 'labels', 'tsv', len(labels), list(labels.columns), note='damage assessments that arrived later, in arrival order'),
            file_entry(files['model'], 'model', 'xgboost-json', 0, [], objective='multi:softprob', trees=80 * 4),
        ],
        'join_id': 'strike_id', 'timestamp': 'strike_date', 'label': 'damage_level', 'score': None, 'prediction': 'predicted_damage',
        'class_scores': [{'class': c, 'column': p} for c, p in zip(CLASSES, pcols)],
        'labels_file': {'id': 'strike_id', 'label': 'damage_level', 'timestamp': 'assessed_on', **label_summary(labels, cur, 'strike_id', 'damage_level', n_conf)},
        'features': STRIKE_FEATURES, 'segments': ['airport', 'state', 'operator', 'aircraft_model', 'phase_of_flight', 'wildlife_size', 'species', 'time_of_day'],
        'roles': {'strike_id': 'id', 'strike_date': 'timestamp', **{c: 'segment' for c in base_cols[2:]}, **{c: 'feature' for c in STRIKE_FEATURES},
                  'damage_level': 'label', **{p: 'score' for p in pcols}, 'predicted_damage': 'prediction', 'assessed_on': 'ignore'},
        'period': {'reference': ['1990-01-01', '1997-01-01'], 'current': ['1997-01-01', log_end]},
    }
    baseline = {'reference': perf(np.ones(len(ref), bool), ref), 'whole_log': perf(np.ones(len(cur), bool)),
                'log_without_planted_cells': perf(~np.logical_or.reduce([m for _, m in bugs]))}
    return name, scenario, truths, baseline


# ----------------------------------------------------------------------------------------------------------

CONVENTIONS = {
    'window': 'start inclusive, end exclusive, on the scenario timestamp column; null = the whole log',
    'cell': 'current rows in the segment (every {column, value} equal) and the window',
    'reference_segment': "reference rows in the same segment, whole reference period (for new-category bugs: the rows with the replaced value, see reference_segment_is)",
    'rest_of_log': 'current rows outside the cell',
    'nulls': 'NULL / NaN dropped before numeric statistics; missing_share_* counts them',
    'ks': 'scipy.stats.ks_2samp(reference, current), method auto',
    'wasserstein_normed': 'scipy.stats.wasserstein_distance(reference, current) / max(np.std(reference) (ddof 0), 0.001), as Evidently and scripts/fixtures/drift.py',
    'psi': "Evidently's PSI with its empty-bin rule; numeric: Sturges bins on reference+current when the reference has > 20 distinct values, else one bin per value (as drift.py)",
    'jensen_shannon_distance': 'scipy.spatial.distance.jensenshannon on normalised counts over the union of categories, natural log (scipy default, as drift.py)',
    'relative_mean_change': '(mean_cur - mean_ref) / |mean_ref|',
    'labels': 'first label row per id in file order (Lantern\'s join rule); performance only over labelled current rows',
    'binary_metrics': 'sklearn log_loss(labels=[0, 1]), brier_score_loss, roc_auc_score (when both classes), accuracy of the logged prediction column',
    'regression_metrics': 'sklearn mean_absolute_error, sqrt(mean_squared_error), r2_score; mean_error = mean(prediction - label)',
    'multiclass_metrics': 'sklearn accuracy of the logged prediction, log_loss over the class probability columns, macro / weighted F1',
}


def summarize(name, truths, baseline):
    print(f'\n== {name}')
    for t in truths:
        ev = t['evidence']
        print(f"  [{t['kind']}] {t['id']}: cell {ev['rows_current_cell']} rows ({ev['share_of_log']:.2%} of the log), "
              f"reference segment {ev['rows_reference_segment']}, labelled {ev['labelled_in_cell']}")
        for col, d in ev['drift'].items():
            for k, st in d.items():
                if st and 'wasserstein_normed' in st:
                    print(f"      {col:28s} {k:38s} mean {st['mean_ref']:.4g} -> {st['mean_cur']:.4g}  KS {st['ks_statistic']:.3f}  W/std {st['wasserstein_normed']:.3f}  PSI {st['psi']:.3f}")
                elif st and 'jensen_shannon_distance' in st:
                    print(f"      {col:28s} {k:38s} share {st.get('share_ref', 0):.3f} -> {st.get('share_cur', 0):.3f}  JS {st['jensen_shannon_distance']:.3f}  PSI {st['psi']:.3f}")
        if 'missing' in ev:
            print(f"      missing: {json.dumps(ev['missing'])}")
        p = ev['performance']
        keys = [k for k in ['log_loss', 'roc_auc', 'accuracy', 'brier', 'mae', 'rmse', 'mean_error', 'macro_f1'] if k in p['cell']]
        for part in ['cell', 'rest_of_log', 'reference_segment']:
            q = p[part]
            print(f"      perf {part:18s} n={q['n']:6d} " + '  '.join(f"{k} {q[k]:.4f}" if q.get(k) is not None else f'{k} -' for k in keys))
    b = baseline
    keys = [k for k in ['log_loss', 'roc_auc', 'accuracy', 'mae', 'rmse', 'macro_f1'] if k in b['reference']]
    for part, q in b.items():
        print(f"  baseline {part:26s} n={q['n']:6d} " + '  '.join(f"{k} {q[k]:.4f}" for k in keys if q.get(k) is not None))


def main():
    check_inputs(['flights-3m.parquet', 'birdstrikes.csv'])
    os.makedirs(OUT, exist_ok=True)
    flights = flight_features(read_flights())
    results = [scenario_flights_late(flights), scenario_flights_delay(flights)]
    del flights
    results.append(scenario_birdstrikes())
    for name, scenario, truths, baseline in results:
        d = os.path.join(OUT, name)
        for fe in scenario['files']:
            fe['bytes'] = os.path.getsize(os.path.join(d, fe['file']))
        write_json(clean_json({'meta': META, **scenario}), os.path.join(d, 'scenario.json'))
        write_json(clean_json({'meta': META, 'scenario': name, 'conventions': CONVENTIONS, 'baseline': baseline, 'bugs': truths}),
                   os.path.join(d, 'truth.json'))
        summarize(name, clean_json(truths), clean_json(baseline))
    total = 0
    print()
    for name, scenario, _, _ in results:
        for fe in scenario['files']:
            total += fe['bytes']
            print(f"  {name}/{fe['file']}: {fe['bytes'] / 1e6:.2f} MB")
    print(f'  total {total / 1e6:.2f} MB')


if __name__ == '__main__':
    main()
