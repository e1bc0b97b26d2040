"""movies-rating: regression (the audience rating, IMDB's 1-10) on vega-datasets' movies.json.

A release-planning model predicts a film's audience rating at release from what is known then: budget,
running time, the critics' score, month, MPAA rating, genre, source, creative type and the director's
earlier ratings. Reference: films released before 2003 (its training data, with in-sample predictions);
log: releases 2003-01-01 .. 2010-06-30 as a Parquet file, exported on 2010-07-01. The rating is IN the log: a back-fill job writes
it once the rating has settled (about five months after release), so the last months of the log, and
the films IMDB has no rating for, are NULL."""
import json
import os
import subprocess
import tempfile

import numpy as np
import pandas as pd

from common import check_vega, write_table
from scenario import Scenario, predict, train_xgb

FEATURES = ['budget_musd', 'runtime_min', 'critics_pct', 'release_month', 'director_prior_mean',
            'director_prior_films', 'mpaa_code', 'genre_code', 'source_code', 'creative_code']
CATS = [('mpaa_rating', 'MPAA Rating', 'mpaa_code'), ('major_genre', 'Major Genre', 'genre_code'),
        ('source_material', 'Source', 'source_code'), ('creative_type', 'Creative Type', 'creative_code')]
LOG_START, LOG_END, EXPORT = '2003-01-01', '2010-07-01', '2010-07-01'
TYPES = {
    'release_ref': 'VARCHAR', 'release_date': 'DATE', 'title': 'VARCHAR', 'distributor': 'VARCHAR',
    'mpaa_rating': 'VARCHAR', 'major_genre': 'VARCHAR', 'source_material': 'VARCHAR', 'creative_type': 'VARCHAR',
    'budget_musd': 'DOUBLE', 'runtime_min': 'DOUBLE', 'critics_pct': 'DOUBLE', 'release_month': 'INTEGER',
    'director_prior_mean': 'DOUBLE', 'director_prior_films': 'INTEGER', 'mpaa_code': 'INTEGER',
    'genre_code': 'INTEGER', 'source_code': 'INTEGER', 'creative_code': 'INTEGER', 'expected_rating': 'DOUBLE',
    'audience_rating': 'DOUBLE',
}


def parquet_writer(root):
    def write(df, path):
        with tempfile.TemporaryDirectory() as tmp:
            nd = os.path.join(tmp, 'log.ndjson')
            write_table(df, nd, 'ndjson')
            subprocess.run(['node', os.path.join(root, 'scripts', 'planted2', 'write_parquet.mjs'), nd, path,
                            json.dumps({c: TYPES[c] for c in df.columns})], check=True, cwd=root)
    return write


def build(vega_dir, rng, say, root):
    res = check_vega(vega_dir, 'movies.json')
    m = pd.read_json(os.path.join(vega_dir, 'movies.json'), convert_dates=False)
    m['src_row'] = np.arange(len(m))
    d = pd.to_datetime(m['Release Date'], format='%b %d %Y')
    # The file's known two-digit-year errors (e.g. 'Dec 31 2046' for a 1946 film): a year after 2011 is a
    # century too late.
    fixed = d.where(d.dt.year <= 2011, d - pd.DateOffset(years=100))
    m['date'] = fixed
    m = m[m.date < LOG_END].sort_values(['date', 'src_row'], kind='mergesort').reset_index(drop=True)
    rating = m['IMDB Rating']
    # the director's earlier films (released a year or more before) with a rating
    prior_mean, prior_n = [], []
    for i, r in m.iterrows():
        if pd.isna(r['Director']):
            prior_mean.append(np.nan)
            prior_n.append(0)
            continue
        e = m[(m['Director'] == r['Director']) & (m.date <= r.date - pd.Timedelta(days=365)) & rating.notna()]
        prior_mean.append(round(float(e['IMDB Rating'].mean()), 3) if len(e) else np.nan)
        prior_n.append(len(e))
    df = pd.DataFrame({
        'release_ref': ['REL-%04d' % i for i in m.src_row],
        'release_date': m.date.dt.strftime('%Y-%m-%d'),
        'title': m.Title.astype(object).where(m.Title.notna(), None).map(lambda t: None if t is None else str(t)),
        'distributor': m['Distributor'],
        'mpaa_rating': m['MPAA Rating'],
        'major_genre': m['Major Genre'],
        'source_material': m['Source'],
        'creative_type': m['Creative Type'],
        'budget_musd': (m['Production Budget'] / 1e6).round(3),
        'runtime_min': m['Running Time min'].astype(float),
        'critics_pct': m['Rotten Tomatoes Rating'].astype(float),
        'release_month': m.date.dt.month.astype(int),
        'director_prior_mean': prior_mean,
        'director_prior_films': prior_n,
    })
    is_ref = m.date < LOG_START
    for col, src, code in CATS:
        vc = df.loc[is_ref, col].value_counts()
        order = {v: i for i, v in enumerate(sorted(vc.index, key=lambda v: (-vc[v], v)))}
        df[code] = df[col].map(order).astype('Int64')
    df['audience_rating'] = rating.astype(float)
    ref = df[is_ref & df.audience_rating.notna()].reset_index(drop=True)
    log = df[~is_ref].reset_index(drop=True)

    S = Scenario('movies-rating', 'regression', 'release_ref', 'release_date', 'audience_rating', FEATURES,
                 ['distributor', 'mpaa_rating', 'major_genre', 'source_material', 'creative_type'],
                 pred_col='expected_rating')
    S.labels_in_log = True

    def X(frame):
        return frame[FEATURES].astype(float)

    booster = train_xgb(X(ref), ref.audience_rating, 'reg:squarederror', 300, max_depth=4, eta=0.03)

    def score(frame):
        out = frame.copy()
        out['expected_rating'] = np.round(predict(booster, X(frame)).astype(float), 4)
        return out

    cols = list(TYPES)
    ref = score(ref)
    S.ref = ref[[c for c in cols if c != 'expected_rating'] + ['expected_rating']]
    S.ref = S.ref[[c for c in S.ref.columns if c != 'audience_rating'] + ['audience_rating']]
    S.ref_scored = S.ref
    # the label in the log: written by the back-fill once the rating has settled
    true_rating = log.audience_rating.copy()
    settle = pd.to_datetime(log.release_date) + pd.to_timedelta(rng.lognormal(np.log(150), 0.5, len(log)), unit='D')
    log['audience_rating'] = true_rating.where(settle < pd.Timestamp(EXPORT))
    log['_k'] = np.arange(len(log))
    clean = score(log)
    cur = clean.copy()

    # --- bug: null-filled-default. From 2008 the metadata ETL writes 0 for an unknown running time.
    zf = {'start': '2008-01-01', 'end': LOG_END}
    zm = S.win_mask(cur, zf) & cur.runtime_min.isna()
    cur.loc[zm, 'runtime_min'] = 0.0
    # --- bug: precision-loss. Warner Bros.' press-kit feed sends the critics' score on a 0-10 scale, and
    # the pipeline multiplies it by 10: steps of 10 for the whole log.
    wb = cur.distributor == 'Warner Bros.'
    cur.loc[wb, 'critics_pct'] = np.floor(cur.loc[wb, 'critics_pct'] / 10 + 0.5) * 10
    # --- bug: unit-change. From 2007 Sony Pictures' finance export gives budgets in thousands of dollars.
    uc = {'start': '2007-01-01', 'end': LOG_END}
    um = (cur.distributor == 'Sony Pictures') & S.win_mask(cur, uc)
    cur.loc[um, 'budget_musd'] = (cur.loc[um, 'budget_musd'] * 1000).round(3)
    cur = score(cur)
    S.clean, S.cur = clean, cur
    cc = cur

    # null-filled-default
    b = {'id': 'runtime-zero-filled', 'kind': 'null-filled-default', 'columns': ['runtime_min'], 'segment': [],
         'window': zf, 'default_value': 0,
         'description': 'From 2008-01-01 the metadata ETL writes 0 instead of NULL when a running time is '
                        'unknown (about half the films): runtime_min = 0 minutes appears, and the missing '
                        'values vanish.'}
    cell = S.win_mask(cc, zf)
    before = S.before_mask(cc, zf)

    def zero(frame):
        return float((frame.runtime_min == 0).mean())

    def miss(frame):
        return float(frame.runtime_min.isna().mean())

    S.evidence(b, drift_cols=['runtime_min'], extra={
        'default_fill': {
            'zero_share_in_cell': zero(cc[cell]), 'zero_share_before_window': zero(cc[before]),
            'zero_share_reference': zero(S.ref),
            'rows_filled': int(zm.sum()),
        },
        'missing': {'runtime_min': {
            'share_in_cell': miss(cc[cell]), 'share_before_window': miss(cc[before]),
            'share_reference': miss(S.ref), 'share_in_cell_before_bug': miss(clean[S.win_mask(clean, zf)]),
        }}})
    say(b, f"runtime 0-filled: {int(zm.sum())} of {int(cell.sum())} rows since 2008 hold 0 (missing before "
           f"the window {miss(cc[before]):.2f}, in the window {miss(cc[cell]):.2f}); MAE "
           f"{b['evidence']['performance']['cell']['mae']:.3f} vs rest {b['evidence']['performance']['rest_of_log']['mae']:.3f}")

    # precision-loss
    b = {'id': 'warner-critics-pct-rounded', 'kind': 'precision-loss', 'columns': ['critics_pct'],
         'segment': [{'column': 'distributor', 'value': 'Warner Bros.'}], 'window': None, 'step': 10,
         'description': "Warner Bros.' press-kit feed sends the critics' rating (Rotten Tomatoes' percentage of positive reviews) on a 0-10 scale and the "
                        'pipeline multiplies it by 10, so for the whole log its films carry critics_pct in '
                        'steps of 10 (0, 10, ..., 100) instead of 0-100 in steps of 1.'}
    segm = S.seg_mask(cc, b['segment'])
    rseg = S.seg_mask(S.ref, b['segment'])

    def on_grid(s):
        s = s.dropna()
        return float((np.mod(s, 10) == 0).mean()) if len(s) else None

    S.evidence(b, drift_cols=['critics_pct'], extra={'precision': {
        'distinct_in_cell': int(cc.loc[segm, 'critics_pct'].nunique()),
        'distinct_in_cell_before_bug': int(clean.loc[clean.distributor == 'Warner Bros.', 'critics_pct'].nunique()),
        'distinct_reference_segment': int(S.ref.loc[rseg, 'critics_pct'].nunique()),
        'distinct_rest_of_log': int(cc.loc[~segm, 'critics_pct'].nunique()),
        'share_multiple_of_10_in_cell': on_grid(cc.loc[segm, 'critics_pct']),
        'share_multiple_of_10_reference_segment': on_grid(S.ref.loc[rseg, 'critics_pct']),
        'share_multiple_of_10_rest_of_log': on_grid(cc.loc[~segm, 'critics_pct']),
        'mean_absolute_change': float((cc.loc[segm, 'critics_pct'] - clean.loc[segm, 'critics_pct']).abs().mean()),
    }})
    pr = b['evidence']['precision']
    say(b, f"Warner critic score rounded: {int(segm.sum())} rows, {pr['distinct_in_cell']} distinct values (was "
           f"{pr['distinct_in_cell_before_bug']}); W/std {b['evidence']['drift']['critics_pct']['cell_vs_reference_segment']['wasserstein_normed']:.3f}")

    # unit-change
    b = {'id': 'sony-budget-thousands', 'kind': 'unit-change', 'columns': ['budget_musd'],
         'segment': [{'column': 'distributor', 'value': 'Sony Pictures'}], 'window': uc, 'factor': 1000,
         'description': "From 2007-01-01 Sony Pictures' finance export gives the production budget in "
                        'thousands of dollars, and budget_musd (millions) is 1000 times too large for its films.'}
    S.evidence(b, drift_cols=['budget_musd'])
    e = b['evidence']
    say(b, f"Sony budget x1000: {e['rows_current_cell']} rows, mean {e['drift']['budget_musd']['cell_vs_reference_segment']['mean_ref']:.1f} -> "
           f"{e['drift']['budget_musd']['cell_vs_reference_segment']['mean_cur']:.1f}; MAE {e['performance']['cell'].get('mae', float('nan')):.3f} vs "
           f"rest {e['performance']['rest_of_log']['mae']:.3f} (labelled {e['labelled_in_cell']})")

    lab = cc.audience_rating.notna()
    t = pd.to_datetime(cc.release_date)
    by_q = {str(p): float(lab[t.dt.to_period('Q') == p].mean()) for p in sorted(t.dt.to_period('Q').unique())}
    labels_in_log = {
        'column': 'audience_rating', 'rows': int(len(cc)), 'labelled_rows': int(lab.sum()),
        'unlabelled_rows': int((~lab).sum()),
        'unlabelled_because_never_rated_in_source': int(true_rating.isna().sum()),
        'unlabelled_because_not_settled_at_export': int((true_rating.notna() & ~lab).sum()),
        'export_date': EXPORT,
        'labelled_share_by_quarter': by_q,
        'rule': 'a back-fill job writes the rating once it has settled: release date + a log-normal delay (median 150 days); NULL when that is after the export date or IMDB has no rating',
    }
    acc = S.perf(cc)
    say(None, f"movies: reference {len(S.ref)}, log {len(cc)} ({int(lab.sum())} rated); log MAE {acc['mae']:.3f}, "
              f"R2 {acc['r2']:.3f}; reference in-sample MAE {S.ref_perf()['mae']:.3f}")
    out_cur = cc.drop(columns=['_k'])[cols]
    files = [
        {'file': 'films_to_2002.tsv', 'role': 'reference', 'format': 'tsv', 'df': S.ref,
         'note': 'the training data of rating_model.json (films with a rating, released before 2003), with in-sample predictions'},
        {'file': 'release_scores.parquet', 'role': 'current', 'format': 'parquet', 'df': out_cur,
         'writer': parquet_writer(root), 'column_types': {c: TYPES[c] for c in cols},
         'note': 'the production log, releases 2003-01 .. 2010-06, with audience_rating back-filled where settled (NULL otherwise)'},
        {'file': 'rating_model.json', 'role': 'model', 'booster': booster, 'objective': 'reg:squarederror',
         'trees': len(booster.get_dump())},
    ]
    roles = {c: 'feature' for c in FEATURES}
    roles.update({'release_ref': 'id', 'release_date': 'timestamp', 'title': 'ignore', 'distributor': 'segment',
                  'mpaa_rating': 'segment', 'major_genre': 'segment', 'source_material': 'segment',
                  'creative_type': 'segment', 'expected_rating': 'prediction', 'audience_rating': 'label'})
    extra = {
        'head': {'source': {
            'dataset': 'movies.json', 'package': 'vega-datasets@3.2.1',
            'origin': 'as vega-datasets states it: ' + ' '.join(res['description'].split()),
            'licence': 'none listed in datapackage.json for movies.json (the package itself is BSD-3-Clause)',
            'time_axis': 'real: the release dates in the file; release years after 2011 (two-digit-year errors in the source, e.g. 2046) are moved back 100 years',
            'rows_used': f'{len(m)} films released before {LOG_END} (the file has few films after mid-2010); reference: the {len(S.ref)} released before 2003 '
                         f'with an IMDB rating; log: the {len(cc)} released {LOG_START}..{LOG_END}'}},
        'labels_file': None,
        'labels_in_log': labels_in_log,
        'roles': roles,
        'period': {'reference': [S.ref.release_date.min(), LOG_START], 'current': [LOG_START, LOG_END]},
    }
    return S, files, extra
