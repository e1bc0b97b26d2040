"""The Scenario object of scripts/planted2/generate.py: a reference, a clean production log, the log with
its planted bugs, the labels as Lantern would join them, and the evidence numbers of each planted bug."""
import os

import numpy as np
import pandas as pd
import xgboost as xgb

from common import (CONVENTIONS, cat_block, dump_json, num_block, perf_binary, perf_multiclass,
                    perf_regression, write_table)


def train_xgb(X, y, objective, rounds, num_class=None, **params):
    p = {
        'objective': objective,
        'nthread': 1,
        'seed': 0,
        'tree_method': 'hist',
        'max_depth': 3,
        'eta': 0.05,
        'min_child_weight': 5,
    }
    if num_class:
        p['num_class'] = num_class
    p.update(params)
    d = xgb.DMatrix(X, label=y, feature_names=list(X.columns), missing=np.nan)
    return xgb.train(p, d, num_boost_round=rounds)


def predict(booster, X):
    return booster.predict(xgb.DMatrix(X, feature_names=list(X.columns), missing=np.nan))


def as_key(v):
    """A label or decision as text: 1, 1.0 and '1' are all '1'."""
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    if isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def iso_day(ts):
    return pd.Timestamp(ts).strftime('%Y-%m-%d')


class Scenario:
    def __init__(self, name, task, id_col, ts_col, label_col, features, segments, *, score_col=None,
                 pred_col=None, classes=None, class_cols=None, positive_class=None, threshold=None):
        self.name = name
        self.task = task
        self.id_col = id_col
        self.ts_col = ts_col
        self.label_col = label_col
        self.features = features
        self.segments = segments
        self.score_col = score_col
        self.pred_col = pred_col
        self.classes = classes
        self.class_cols = class_cols
        self.positive_class = positive_class
        self.threshold = threshold
        self.labels_in_log = False
        self.bugs = []
        self.ref = None  # the reference as written
        self.ref_scored = None  # the reference with scores for the metrics (in the file, or replayed)
        self.clean = None  # the log before any bug, with the key column _k
        self.cur = None  # the log with the bugs, with _k
        self.lab = None  # id -> label, Lantern's join (first label row per id in file order)
        self.lab_true = None  # id -> label before label bugs

    # ---------------------------------------------------------------------------------- selections

    def ts(self, df):
        return pd.to_datetime(df[self.ts_col])

    def seg_mask(self, df, segment):
        m = pd.Series(True, index=df.index)
        for s in segment:
            m &= df[s['column']].astype(str) == str(s['value'])
        return m

    def win_mask(self, df, window):
        if window is None:
            return pd.Series(True, index=df.index)
        t = self.ts(df)
        return (t >= pd.Timestamp(window['start'])) & (t < pd.Timestamp(window['end']))

    def before_mask(self, df, window):
        if window is None:
            return pd.Series(False, index=df.index)
        return self.ts(df) < pd.Timestamp(window['start'])

    def labels_of(self, df, true=False):
        if self.labels_in_log:
            if true:
                return df['_true_label'] if '_true_label' in df else df[self.label_col]
            return df[self.label_col]
        return df[self.id_col].map(self.lab_true if true else self.lab)

    # ------------------------------------------------------------------------------------ metrics

    def perf(self, df, y=None, scores=None):
        """Metrics over the labelled rows of df (labels joined as Lantern would, unless y is given)."""
        if y is None:
            y = self.labels_of(df)
        src = df if scores is None else scores
        has = y.notna().to_numpy()
        yv = y[has]
        if self.task == 'binary':
            yy = (yv.map(as_key) == str(self.positive_class)).astype(int)
            pred = (src[self.pred_col].map(as_key) == str(self.positive_class)).astype(int)[has]
            return perf_binary(yy, src[self.score_col][has], pred)
        if self.task == 'regression':
            return perf_regression(yv, src[self.pred_col][has])
        return perf_multiclass(yv.astype(str), src[self.class_cols][has].to_numpy(), src[self.pred_col][has].astype(str),
                               self.classes)

    def ref_perf(self, mask=None):
        df = self.ref_scored if mask is None else self.ref_scored[mask]
        return self.perf(df, y=df[self.label_col])

    # ----------------------------------------------------------------------------------- evidence

    def evidence(self, bug, drift_cols=(), cat_cols=(), ref_segment=None, extra=None, perf_extra=None):
        cur, ref, clean = self.cur, self.ref, self.clean
        seg, win = bug['segment'], bug['window']
        segm = self.seg_mask(cur, seg)
        cell = segm & self.win_mask(cur, win)
        before = segm & self.before_mask(cur, win)
        rseg = ref_segment if ref_segment is not None else seg
        rmask = self.seg_mask(ref, rseg)
        keys = cur.loc[cell, '_k'].to_numpy()
        cell_clean = clean.set_index('_k').loc[keys].reset_index()
        y_cell = self.labels_of(cur[cell])
        ev = {
            'rows_current_cell': int(cell.sum()),
            'rows_reference_segment': int(rmask.sum()),
            'share_of_log': float(cell.mean()),
            'labelled_in_cell': int(y_cell.notna().sum()),
        }
        if ref_segment is not None:
            ev['reference_segment_is'] = ref_segment
        if win is not None:
            ev['rows_segment_before_window'] = int(before.sum())
            ev['labelled_segment_before_window'] = int(self.labels_of(cur[before]).notna().sum())
        drift = {}
        for c in drift_cols:
            rs = ref if c in ref.columns else self.ref_scored
            d = {
                'cell_vs_reference_segment': num_block(rs.loc[rmask, c], cur.loc[cell, c]),
                'whole_log_vs_reference': num_block(rs[c], cur[c]),
                'rest_of_log_vs_reference': num_block(rs[c], cur.loc[~cell, c]),
                'cell_before_bug_vs_reference_segment': num_block(rs.loc[rmask, c], cell_clean[c]),
            }
            if c not in ref.columns:
                d['reference_values_are'] = 'the model file replayed on the reference rows (the reference file has no scores)'
            if win is not None and before.sum() > 0:
                d['cell_vs_segment_before_window'] = num_block(cur.loc[before, c], cur.loc[cell, c])
            drift[c] = d
        for c, value in cat_cols:
            wm = self.win_mask(cur, win)
            d = {
                'cell_vs_reference_segment': cat_block(ref.loc[rmask, c], cur.loc[cell, c], value),
                'window_vs_reference': cat_block(ref[c], cur.loc[wm, c], value),
                'whole_log_vs_reference': cat_block(ref[c], cur[c], value),
            }
            if win is not None:
                bw = self.before_mask(cur, win)
                d['before_window_vs_reference'] = cat_block(ref[c], cur.loc[bw, c], value)
            drift[c] = d
        if drift:
            ev['drift'] = drift
        if extra:
            ev.update(extra)
        perf = {
            'cell': self.perf(cur[cell]),
            'rest_of_log': self.perf(cur[~cell]),
            'reference_segment': self.ref_perf(rmask),
            'reference': self.ref_perf(),
        }
        if win is not None:
            perf['segment_before_window'] = self.perf(cur[before])
        if perf_extra:
            perf.update(perf_extra)
        ev['performance'] = perf
        bug['evidence'] = ev
        bug['_cell_keys'] = set(keys.tolist())
        self.bugs.append(bug)
        return ev

    # -------------------------------------------------------------------------------------- output

    def baseline(self):
        planted = set()
        for b in self.bugs:
            planted |= b['_cell_keys']
        rest = self.cur[~self.cur['_k'].isin(planted)]
        return {
            'reference': self.ref_perf(),
            'whole_log': self.perf(self.cur),
            'log_without_planted_cells': self.perf(rest),
        }

    def write(self, out_dir, files, scenario_extra, truth_extra, meta):
        """files: list of dicts {file, role, format, df | writer, note, ...}."""
        os.makedirs(out_dir, exist_ok=True)
        entries = []
        for f in files:
            path = os.path.join(out_dir, f['file'])
            if f['role'] == 'model':
                f['booster'].save_model(path)
                entry = {'file': f['file'], 'role': 'model', 'format': 'xgboost-json', 'rows': 0, 'columns': [],
                         'objective': f['objective'], 'trees': f['trees']}
            else:
                df = f['df']
                if f['format'] == 'parquet':
                    f['writer'](df, path)
                else:
                    write_table(df, path, f['format'])
                entry = {'file': f['file'], 'role': f['role'], 'format': f['format'], 'rows': int(len(df)),
                         'columns': list(df.columns)}
                if 'column_types' in f:
                    entry['column_types'] = f['column_types']
            if 'note' in f:
                entry['note'] = f['note']
            entry['bytes'] = os.path.getsize(path)
            entries.append(entry)
        scn = {'meta': meta, 'scenario': self.name, 'task': self.task, 'positive_class': self.positive_class,
               'threshold': self.threshold}
        if self.classes:
            scn['classes'] = self.classes
        scn.update(scenario_extra.pop('head', {}))
        scn['files'] = entries
        scn.update({'join_id': self.id_col, 'timestamp': self.ts_col, 'label': self.label_col,
                    'score': self.score_col, 'prediction': self.pred_col})
        if self.class_cols:
            scn['class_scores'] = [{'class': c, 'column': col} for c, col in zip(self.classes, self.class_cols)]
        scn.update(scenario_extra)
        scn['features'] = self.features
        scn['segments'] = self.segments
        dump_json(scn, os.path.join(out_dir, 'scenario.json'))
        bugs = []
        for b in self.bugs:
            bugs.append({k: v for k, v in b.items() if not k.startswith('_')})
        truth = {'meta': meta, 'scenario': self.name, 'conventions': CONVENTIONS}
        truth.update(truth_extra)
        truth['baseline'] = self.baseline()
        truth['bugs'] = bugs
        dump_json(truth, os.path.join(out_dir, 'truth.json'))
        return scn, truth


def make_labels(rng, ids, values, event_ts, delay_h, cutoff, *, never_share, dup_share, n_conflicts, orphan_ids,
                orphan_values, orphan_ts, all_values):
    """Label rows in arrival order: (id, value, arrived_at, kind). A few never arrive, none arrive after the
    export cutoff, some ids are sent twice (a few re-sends carry another value), and some ids were never
    predicted. Returns the rows and counts."""
    n = len(ids)
    arrive = pd.to_datetime(event_ts).to_numpy() + (np.asarray(delay_h) * 3600e9).astype('timedelta64[ns]')
    lost = rng.random(n) < never_share
    has_value = pd.Series(values).notna().to_numpy()
    keep = (arrive < np.datetime64(cutoff)) & ~lost & has_value
    rows = pd.DataFrame({'id': np.asarray(ids)[keep], 'value': np.asarray(values, dtype=object)[keep],
                         'at': arrive[keep], 'kind': 'first'})
    k = len(rows)
    dup_idx = np.sort(rng.choice(k, size=int(round(dup_share * k)), replace=False))
    resend = rows.iloc[dup_idx].copy()
    resend['at'] = resend['at'].to_numpy() + (rng.uniform(1, 72, len(resend)) * 3600e9).astype('timedelta64[ns]')
    resend['kind'] = 'resend'
    resend = resend[resend['at'] < np.datetime64(cutoff)]
    conf = rng.choice(len(resend), size=min(n_conflicts, len(resend)), replace=False)
    vals = resend['value'].to_numpy(dtype=object).copy()
    for i in conf:
        others = [v for v in all_values if v != vals[i]]
        if isinstance(vals[i], float):
            vals[i] = float(round(vals[i] + rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0), 1))
        else:
            vals[i] = others[rng.integers(len(others))]
    resend['value'] = vals
    resend.iloc[conf, resend.columns.get_loc('kind')] = 'conflict'
    orphans = pd.DataFrame({'id': orphan_ids, 'value': orphan_values, 'at': pd.to_datetime(orphan_ts).to_numpy(),
                            'kind': 'orphan'})
    allr = pd.concat([rows, resend, orphans], ignore_index=True)
    allr = allr.sort_values('at', kind='mergesort').reset_index(drop=True)
    return allr, {'conflicting_planted': int(len(conf))}
