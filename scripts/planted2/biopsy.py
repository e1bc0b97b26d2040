"""biopsy-triage: binary (malignant / benign), a SMALL-data case, on scikit-learn's bundled Breast Cancer
Wisconsin (Diagnostic) data (569 fine-needle aspirates, 30 image features).

A triage model scores each aspirate's image features; pathology confirms the diagnosis days later. The
data has no dates: the rows are put in a seeded random order, the first 341 get exam dates on weekdays of
2019 (the reference, the model's training data, with in-sample scores) and the other 228 weekdays of 2020
(the log). The dates are assigned, not real."""
import os

import numpy as np
import pandas as pd
import sklearn.datasets

from common import check_sha256
from scenario import Scenario, make_labels, predict, train_xgb

CSV = os.path.join(os.path.dirname(sklearn.datasets.__file__), 'data', 'breast_cancer.csv')
SHA256 = 'fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed'
FEATURES = ['mean_radius', 'mean_texture', 'mean_perimeter', 'mean_area', 'mean_smoothness', 'mean_compactness',
            'mean_concavity', 'mean_concave_points', 'mean_symmetry', 'worst_radius', 'worst_texture',
            'worst_area', 'worst_smoothness', 'worst_concave_points']
N_REF = 341
THRESHOLD = 0.5


def build(rng, say):
    check_sha256(CSV, SHA256)
    data = sklearn.datasets.load_breast_cancer(as_frame=True)
    X = data.frame.rename(columns=lambda c: c.replace(' ', '_'))
    X = X[FEATURES].copy()
    # sklearn: target 0 = malignant, 1 = benign
    diag = np.where(data.frame.target == 0, 'malignant', 'benign')
    n = len(X)
    order = rng.permutation(n)
    X, diag = X.iloc[order].reset_index(drop=True), diag[order]
    d19 = pd.bdate_range('2019-01-02', '2019-12-31')
    d20 = pd.bdate_range('2020-01-02', '2020-12-31')
    dates = np.concatenate([np.sort(rng.choice(d19, N_REF)), np.sort(rng.choice(d20, n - N_REF))])
    df = pd.DataFrame({'case_ref': ['BX-%04d' % (1000 + i) for i in range(n)],
                       'exam_date': pd.DatetimeIndex(dates).strftime('%Y-%m-%d')})
    for c in FEATURES:
        df[c] = X[c].astype(float)
    ref = df.iloc[:N_REF].reset_index(drop=True)
    ref['pathology'] = diag[:N_REF]
    log = df.iloc[N_REF:].reset_index(drop=True)
    y_log = pd.Series(diag[N_REF:])

    S = Scenario('biopsy-triage', 'binary', 'case_ref', 'exam_date', 'pathology', FEATURES, [],
                 score_col='malignancy_prob', pred_col='triage_call', positive_class='malignant',
                 threshold=THRESHOLD)
    booster = train_xgb(ref[FEATURES], (ref.pathology == 'malignant').astype(int), 'binary:logistic', 120,
                        max_depth=2, eta=0.1, min_child_weight=2)

    def score(frame):
        out = frame.copy()
        out['malignancy_prob'] = np.round(predict(booster, frame[FEATURES]).astype(float), 6)
        out['triage_call'] = np.where(out.malignancy_prob >= THRESHOLD, 'malignant', 'benign')
        return out

    S.ref = score(ref)
    S.ref_scored = S.ref
    log['_k'] = np.arange(len(log))
    clean = score(log)
    cur = clean.copy()

    # --- bug: clipped-feature. From 2020-04-01 the new LIMS stores worst_area in a NUMERIC(4,1) column:
    # anything of 1000 or more is saved as 999.9.
    clip = {'start': '2020-04-01', 'end': '2021-01-01'}
    cm = S.win_mask(cur, clip) & (cur.worst_area > 999.9)
    cur.loc[cm, 'worst_area'] = 999.9
    # --- bug: missing-surge. From 2020-09-01 a LIMS upgrade loses the mapping of worst_concave_points:
    # about 90% of the cases arrive without it.
    miss = {'start': '2020-09-01', 'end': '2021-01-01'}
    mm = S.win_mask(cur, miss) & (rng.random(len(cur)) < 0.9)
    cur.loc[mm, 'worst_concave_points'] = np.nan
    cur = score(cur)
    S.clean, S.cur = clean, cur

    event = pd.to_datetime(cur.exam_date) + pd.Timedelta(hours=10)
    delay = 24 * (2 + rng.lognormal(np.log(5), 0.5, len(cur)))
    cutoff = pd.Timestamp('2021-01-08')
    rows, lstats = make_labels(
        rng, cur.case_ref.to_numpy(), y_log.to_numpy(), event, delay, cutoff, never_share=0.02, dup_share=0.03,
        n_conflicts=2, orphan_ids=['BX-%04d' % (5000 + i) for i in range(6)],
        orphan_values=['benign', 'malignant', 'benign', 'benign', 'malignant', 'benign'],
        orphan_ts=pd.to_datetime(['2020-02-11', '2020-04-20', '2020-06-03', '2020-08-19', '2020-10-06', '2020-11-30']),
        all_values=['malignant', 'benign'])
    labels = pd.DataFrame({'case_ref': rows.id, 'pathology': rows.value,
                           'reported_on': pd.to_datetime(rows['at']).dt.strftime('%Y-%m-%d')})
    S.lab = labels.drop_duplicates('case_ref', keep='first').set_index('case_ref')['pathology']
    S.lab_true = S.lab
    cc = S.cur

    b = {'id': 'lims-worst-area-capped', 'kind': 'clipped-feature', 'columns': ['worst_area'], 'segment': [],
         'window': clip, 'cap': 999.9,
         'description': 'From 2020-04-01 the new laboratory system stores worst_area in a NUMERIC(4,1) '
                        'column: every value of 1000 or more is saved as 999.9. The largest (mostly malignant) '
                        'masses all look the same size.'}
    cell = S.win_mask(cc, clip)
    cl = clean[S.win_mask(clean, clip)]
    S.evidence(b, drift_cols=['worst_area'], extra={'clip': {
        'cap': 999.9, 'rows_capped': int(cm.sum()),
        'share_at_cap_in_cell': float((cc.loc[cell, 'worst_area'] == 999.9).mean()),
        'share_above_cap_in_cell_before_bug': float((cl.worst_area > 999.9).mean()),
        'share_above_cap_reference': float((S.ref.worst_area > 999.9).mean()),
        'max_in_cell': float(cc.loc[cell, 'worst_area'].max()),
        'max_in_cell_before_bug': float(cl.worst_area.max()),
        'max_reference': float(S.ref.worst_area.max()),
        'share_at_cap_before_window': float((cc.loc[S.before_mask(cc, clip), 'worst_area'] == 999.9).mean()),
    }})
    e = b['evidence']
    say(b, f"worst_area capped: {int(cm.sum())} of {e['rows_current_cell']} rows at 999.9 (max before "
           f"{e['clip']['max_in_cell_before_bug']:.0f}); W/std {e['drift']['worst_area']['cell_vs_reference_segment']['wasserstein_normed']:.3f}; "
           f"log loss {e['performance']['cell']['log_loss']:.3f} vs rest {e['performance']['rest_of_log']['log_loss']:.3f}")

    b = {'id': 'lims-concave-points-missing', 'kind': 'missing-surge', 'columns': ['worst_concave_points'],
         'segment': [], 'window': miss,
         'description': 'From 2020-09-01 a laboratory-system upgrade loses the mapping of '
                        'worst_concave_points: about 90% of the cases arrive with it empty (it was never '
                        'missing before).'}
    cell = S.win_mask(cc, miss)

    def ms(frame):
        return float(frame.worst_concave_points.isna().mean())

    S.evidence(b, drift_cols=['worst_concave_points'], extra={'missing': {
        'share_in_cell': ms(cc[cell]), 'share_rest_of_log': ms(cc[~cell]), 'share_reference': ms(S.ref)}})
    e = b['evidence']
    say(b, f"worst_concave_points missing: {e['missing']['share_in_cell']:.2f} of {e['rows_current_cell']} rows; "
           f"log loss {e['performance']['cell']['log_loss']:.3f} vs rest {e['performance']['rest_of_log']['log_loss']:.3f}")

    firsts = labels.drop_duplicates('case_ref')
    labels_file = {
        'id': 'case_ref', 'label': 'pathology', 'timestamp': 'reported_on',
        'label_rows': int(len(labels)), 'distinct_label_ids': int(labels.case_ref.nunique()),
        'predictions': int(len(cc)),
        'predictions_labelled': int(cc.case_ref.isin(labels.case_ref).sum()),
        'predictions_unlabelled': int((~cc.case_ref.isin(labels.case_ref)).sum()),
        'duplicate_label_ids': int(labels.case_ref.duplicated().sum()),
        'conflicting_label_ids': int((labels.groupby('case_ref').pathology.nunique() > 1).sum()),
        'conflicting_planted': lstats['conflicting_planted'],
        'labels_without_prediction': int((~firsts.case_ref.isin(set(cc.case_ref))).sum()),
        'join_rule': 'first label row per id in file order (labels are in arrival order; later rows are re-sends)',
    }
    acc = S.perf(cc)
    say(None, f"biopsy: reference {len(S.ref)}, log {len(cc)}, labels {len(labels)}; log AUC {acc['roc_auc']:.3f}, "
              f"accuracy {acc['accuracy']:.3f}, log loss {acc['log_loss']:.3f}")
    files = [
        {'file': 'biopsies_2019.json', 'role': 'reference', 'format': 'json-array', 'df': S.ref,
         'note': 'the training data of triage_model.json, with its in-sample scores (a JSON array)'},
        {'file': 'triage_log_2020.csv', 'role': 'current', 'format': 'csv', 'df': cc.drop(columns=['_k']),
         'note': 'the production log, no diagnosis'},
        {'file': 'pathology_reports.ndjson', 'role': 'labels', 'format': 'ndjson', 'df': labels,
         'note': 'pathology results, in arrival order'},
        {'file': 'triage_model.json', 'role': 'model', 'booster': booster, 'objective': 'binary:logistic',
         'trees': len(booster.get_dump())},
    ]
    roles = {c: 'feature' for c in FEATURES}
    roles.update({'case_ref': 'id', 'exam_date': 'timestamp', 'pathology': 'label', 'malignancy_prob': 'score',
                  'triage_call': 'prediction', 'reported_on': 'ignore'})
    descr = data.DESCR
    extra = {
        'head': {'source': {
            'dataset': 'breast_cancer (sklearn.datasets.load_breast_cancer, breast_cancer.csv)',
            'package': 'scikit-learn@' + sklearn.__version__ + ' (Debian python3-sklearn)',
            'origin': 'as scikit-learn states it: "Breast cancer wisconsin (diagnostic) dataset"; "Creators: Dr. William H. Wolberg, W. Nick Street, Olvi L. Mangasarian"; "Donor: Nick Street"; "Date: November, 1995"; "This is a copy of UCI ML Breast Cancer Wisconsin (Diagnostic) datasets. https://goo.gl/U2Uwz2"',
            'licence': 'none stated by scikit-learn for this file (UCI ML Repository data)',
            'descr_sha256': __import__('hashlib').sha256(descr.encode()).hexdigest(),
            'time_axis': 'ASSIGNED: the data has no dates; seeded random order; the first 341 rows get weekday exam dates in 2019, the other 228 in 2020',
            'rows_used': f'all 569 aspirates, 14 of the 30 features (renamed to snake_case); reference {N_REF}, log {n - N_REF}'}},
        'small_data': True,
        'labels_file': labels_file,
        'labels_in_log': None,
        'roles': roles,
        'period': {'reference': ['2019-01-01', '2020-01-01'], 'current': ['2020-01-01', '2021-01-01']},
    }
    return S, files, extra
