"""rand-visits: binary (four or more outpatient doctor visits in the year) on statsmodels' bundled RAND
Health Insurance Experiment data (randhie, 20,190 person-years).

An outreach model scores each enrollee-year at its annual review: will this person see a doctor four or
more times this year? The data has no time axis: the rows are put in a seeded random order and given
review times from 2023-01-02 to 2023-12-29 (assigned, not real). Reference: the rows reviewed before
2023-05-01, as training data: features and the outcome only, NO scores. Log: the rest, with the score and
the outreach decision. Outcomes arrive from the claims system when the year's claims close."""
import os

import numpy as np
import pandas as pd
import statsmodels.datasets.randhie as randhie_mod

from common import check_sha256
from scenario import Scenario, make_labels, predict, train_xgb

CSV = os.path.join(os.path.dirname(randhie_mod.__file__), 'randhie.csv')
SHA256 = '9f6c87d05aef087a82cc4465310c8cd3f38327be6eafa43bd81fb98c4f3d088c'
FEATURES = ['coins_log', 'indiv_deductible', 'incentive_log', 'mde_log', 'phys_limit', 'chronic_index',
            'health_good', 'health_fair', 'health_poor', 'review_hour']
START, SPLIT, END = '2023-01-02', '2023-05-01', '2024-01-01'
THRESHOLD = 0.4


def plan_of(lncoins, idp):
    if idp == 1:
        return 'individual deductible'
    return {0.0: 'free care', 3.258: 'coinsurance 25%', 3.932: 'coinsurance 50%', 4.564: 'coinsurance 95%'}[round(lncoins, 3)]


def build(rng, say):
    check_sha256(CSV, SHA256)
    raw = pd.read_csv(CSV)
    n = len(raw)
    order = rng.permutation(n)
    raw = raw.iloc[order].reset_index(drop=True)
    # review times: business hours on weekdays, spread evenly over the year in the permuted order
    days = pd.bdate_range(START, '2023-12-29')
    day_idx = np.sort(rng.integers(0, len(days), n))
    secs = rng.integers(8 * 3600, 18 * 3600, n)
    ts = pd.DatetimeIndex(days[day_idx]) + pd.to_timedelta(secs, unit='s')
    # keep within-day order by time
    o = np.lexsort((secs, day_idx))
    raw, ts = raw.iloc[o].reset_index(drop=True), ts[o]
    health = np.where(raw.hlthp == 1, 'poor', np.where(raw.hlthf == 1, 'fair', np.where(raw.hlthg == 1, 'good', 'excellent')))
    member = rng.choice(np.arange(100000, 1000000), n, replace=False)
    df = pd.DataFrame({
        'member_ref': ['M%06d' % m for m in member],
        'reviewed_at': ts.strftime('%Y-%m-%d %H:%M:%S'),
        'plan_type': [plan_of(a, b) for a, b in zip(raw.lncoins, raw.idp)],
        'self_rated_health': health,
        'coins_log': raw.lncoins.round(6),
        'indiv_deductible': raw.idp.astype(int),
        'incentive_log': raw.lpi.round(6),
        'mde_log': raw.fmde.round(6),
        'phys_limit': raw.physlm.astype(int),
        'chronic_index': raw.disea.round(6),
        'health_good': raw.hlthg.astype(int),
        'health_fair': raw.hlthf.astype(int),
        'health_poor': raw.hlthp.astype(int),
        'review_hour': ts.hour.astype(int),
    })
    y_all = (raw.mdvis >= 4).astype(int)
    is_ref = (df.reviewed_at < SPLIT).to_numpy()
    n_ref = int(is_ref.sum())
    ref = df[is_ref].reset_index(drop=True)
    ref['high_use_flag'] = y_all[is_ref].to_numpy()
    log = df[~is_ref].reset_index(drop=True)
    y_log = y_all[~is_ref].reset_index(drop=True)
    # log starts with the first review of 2023-05-01
    assert ref.reviewed_at.max() < SPLIT <= log.reviewed_at.min(), (ref.reviewed_at.max(), log.reviewed_at.min())

    S = Scenario('rand-visits', 'binary', 'member_ref', 'reviewed_at', 'high_use_flag', FEATURES,
                 ['plan_type', 'self_rated_health'], score_col='visit_risk', pred_col='outreach',
                 positive_class='1', threshold=THRESHOLD)
    booster = train_xgb(ref[FEATURES].astype(float), ref.high_use_flag, 'binary:logistic', 200, max_depth=3,
                        eta=0.05)

    def score(frame):
        out = frame.copy()
        out['visit_risk'] = np.round(predict(booster, frame[FEATURES].astype(float)).astype(float), 6)
        out['outreach'] = (out.visit_risk >= THRESHOLD).astype(int)
        return out

    S.ref = ref
    S.ref_scored = score(ref)  # the file has no scores: the metrics use the model file's replay
    log['_k'] = np.arange(len(log))
    clean = score(log)
    cur = clean.copy()

    # --- bug: timezone-shift. 2023-08-07 .. 10-01 the 50%-coinsurance plan's review system, moved to a new
    # host, stamps reviews in UTC instead of local time (UTC-5): reviewed_at and the review_hour derived
    # from it are 5 hours late for that source.
    tz = {'start': '2023-08-07', 'end': '2023-10-02'}
    tm = (cur.plan_type == 'coinsurance 50%') & S.win_mask(cur, tz)
    shifted = pd.to_datetime(cur.loc[tm, 'reviewed_at']) + pd.Timedelta(hours=5)
    cur.loc[tm, 'reviewed_at'] = shifted.dt.strftime('%Y-%m-%d %H:%M:%S')
    cur.loc[tm, 'review_hour'] = shifted.dt.hour.astype(int)
    cur = score(cur)

    # --- bug: score-saturation. From 2023-10-16 a new scoring build for the free-care plan applies the
    # logistic to the margin times 1000 (a lost scale factor): scores come out as exactly 0.0 or 1.0.
    sat = {'start': '2023-10-16', 'end': END}
    sm = (cur.plan_type == 'free care') & S.win_mask(cur, sat)
    margin = np.log(cur.loc[sm, 'visit_risk'] / (1 - cur.loc[sm, 'visit_risk']))
    with np.errstate(over='ignore'):
        sat_score = 1.0 / (1.0 + np.exp(-np.clip(margin * 1000, -745, 745)))
    cur.loc[sm, 'visit_risk'] = np.round(sat_score, 6)
    cur.loc[sm, 'outreach'] = (cur.loc[sm, 'visit_risk'] >= THRESHOLD).astype(int)
    # --- bug: traffic-drop. From 2023-11-20 the individual-deductible plan's enrolment system is migrated
    # and only about one review in twelve reaches the scoring service.
    drop = {'start': '2023-11-20', 'end': END}
    dm = (cur.plan_type == 'individual deductible') & S.win_mask(cur, drop)
    lost = dm & (rng.random(len(cur)) > 1 / 12)
    cur = cur[~lost]
    # --- bug: duplicate-rows. 2023-09-12 .. 09-14 the API gateway retried every request (a retry storm):
    # each review is logged 2-5 times, same id and score, a few seconds apart.
    dup = {'start': '2023-09-12', 'end': '2023-09-15'}
    wm = S.win_mask(cur, dup)
    reps = np.where(wm, rng.integers(2, 6, len(cur)), 1)
    cur = cur.loc[cur.index.repeat(reps)].copy()
    k = cur.groupby(level=0).cumcount().to_numpy()
    t = pd.to_datetime(cur.reviewed_at) + pd.to_timedelta(k * rng.integers(2, 9, len(cur)), unit='s')
    cur['reviewed_at'] = t.dt.strftime('%Y-%m-%d %H:%M:%S')
    cur = cur.reset_index(drop=True)
    S.clean, S.cur = clean, cur

    # --- labels: the claims year closes 2-8 weeks after the review (log-normal, median 24 days).
    # bug: label-noise. 2023-07-01 .. 09-30 the claims coder at one processor mislabels the outcome for
    # enrollees in fair health: 35% of their flags are flipped.
    noise = {'start': '2023-07-01', 'end': '2023-10-01'}
    ids = clean.member_ref.to_numpy()
    y_noisy = y_log.copy()
    nm = ((clean.self_rated_health == 'fair') & S.win_mask(clean, noise)).to_numpy()
    flip = nm & (rng.random(len(clean)) < 0.35)
    y_noisy[flip] = 1 - y_noisy[flip]
    # every scored review gets an outcome, also those the retry storm duplicated or the drop lost
    # (the claims system does not know about the scoring service)
    delay = rng.lognormal(np.log(24 * 24.0), 0.45, len(clean))
    cutoff = pd.Timestamp('2024-01-15 00:00')
    n_orph = 300
    orph_ts = pd.Timestamp(SPLIT) + pd.to_timedelta(np.sort(rng.uniform(30, 259, n_orph)), unit='D')
    orph_ids = ['M%06d' % m for m in rng.choice(np.setdiff1d(np.arange(100000, 1000000), member), n_orph, replace=False)]
    rows, lstats = make_labels(
        rng, ids, y_noisy.to_numpy(), pd.to_datetime(clean.reviewed_at), delay, cutoff, never_share=0.03,
        dup_share=0.012, n_conflicts=30, orphan_ids=orph_ids,
        orphan_values=list(rng.integers(0, 2, n_orph)), orphan_ts=orph_ts, all_values=[0, 1])
    labels = pd.DataFrame({'member_ref': rows.id, 'high_use_flag': rows.value.astype(int),
                           'claims_closed_on': pd.to_datetime(rows['at']).dt.strftime('%Y-%m-%d')})
    S.lab = labels.drop_duplicates('member_ref', keep='first').set_index('member_ref')['high_use_flag']
    truth_by_id = pd.Series(y_log.to_numpy(), index=ids)
    S.lab_true = truth_by_id[truth_by_id.index.isin(S.lab.index)]
    cc = S.cur

    # timezone-shift
    b = {'id': 'coins50-review-time-utc', 'kind': 'timezone-shift', 'columns': ['review_hour', 'reviewed_at'],
         'segment': [{'column': 'plan_type', 'value': 'coinsurance 50%'}], 'window': tz, 'shift_hours': 5,
         'description': "From 2023-08-07 to 2023-10-01 the 50%-coinsurance plan's review system, moved to a "
                        'new host, stamps its reviews in UTC instead of local time: reviewed_at and the model '
                        'feature review_hour are 5 hours late for that source (reviews at 13:00-22:59 instead of '
                        '08:00-17:59). Only the timestamps move; nobody reviews at night.'}
    cell = S.seg_mask(cc, b['segment']) & S.win_mask(cc, tz)
    hour = pd.to_datetime(cc.reviewed_at).dt.hour

    def late_share(m):
        return float((hour[m] >= 18).mean())

    S.evidence(b, drift_cols=['review_hour'], extra={'hours': {
        'share_reviewed_18h_or_later_in_cell': late_share(cell),
        'share_reviewed_18h_or_later_rest_of_log': late_share(~cell),
        'share_reviewed_18h_or_later_reference': float((S.ref.review_hour >= 18).mean()),
        'min_hour_in_cell': int(hour[cell].min()), 'max_hour_in_cell': int(hour[cell].max()),
        'min_hour_rest_of_log': int(hour[~cell].min()), 'max_hour_rest_of_log': int(hour[~cell].max()),
        'review_hour_equals_hour_of_reviewed_at_in_cell': float((cc.loc[cell, 'review_hour'] == hour[cell]).mean()),
    }})
    e = b['evidence']
    say(b, f"coinsurance-50% times in UTC: {e['rows_current_cell']} rows, {e['hours']['share_reviewed_18h_or_later_in_cell']:.2f} "
           f"at 18:00 or later (rest {e['hours']['share_reviewed_18h_or_later_rest_of_log']:.3f}); W/std "
           f"{e['drift']['review_hour']['cell_vs_reference_segment']['wasserstein_normed']:.2f}; log loss "
           f"{e['performance']['cell']['log_loss']:.3f} vs {e['performance']['segment_before_window']['log_loss']:.3f} before")

    # score-saturation
    b = {'id': 'free-care-score-overflow', 'kind': 'score-saturation', 'columns': ['visit_risk', 'outreach'],
         'segment': [{'column': 'plan_type', 'value': 'free care'}], 'window': sat,
         'description': 'From 2023-10-16 a new scoring build for the free-care plan applies the logistic to '
                        'the margin times 1000 (a lost scale factor): its scores are exactly 0.0 or 1.0, and '
                        'the outreach decision is all-or-nothing. Inputs are unchanged.'}
    cell = S.seg_mask(cc, b['segment']) & S.win_mask(cc, sat)

    def sat_share(s):
        return float(((s == 0) | (s == 1)).mean())

    cl = clean.set_index('_k').loc[cc.loc[cell, '_k']].reset_index()
    replay = np.round(predict(booster, cc[FEATURES].astype(float)).astype(float), 6)
    mism = np.abs(replay - cc.visit_risk.to_numpy()) > 1e-5
    S.evidence(b, drift_cols=['visit_risk'], extra={'replay': {
        'rows_where_model_file_disagrees_in_cell': int(mism[cell.to_numpy()].sum()),
        'rows_where_model_file_disagrees_elsewhere': int(mism[~cell.to_numpy()].sum()),
        'tolerance': 1e-5}, 'saturation': {
        'share_exactly_0_or_1_in_cell': sat_share(cc.loc[cell, 'visit_risk']),
        'share_exactly_0_or_1_rest_of_log': sat_share(cc.loc[~cell, 'visit_risk']),
        'share_exactly_0_or_1_reference_replayed': sat_share(S.ref_scored.visit_risk),
        'share_exactly_1_in_cell': float((cc.loc[cell, 'visit_risk'] == 1).mean()),
        'outreach_rate_in_cell': float(cc.loc[cell, 'outreach'].mean()),
        'outreach_rate_in_cell_before_bug': float(cl.outreach.mean()),
    }}, perf_extra={'cell_before_bug': S.perf(cl)})
    e = b['evidence']
    say(b, f"free-care saturation: {e['rows_current_cell']} rows all 0/1 "
           f"({e['saturation']['share_exactly_1_in_cell']:.3f} at 1); log loss {e['performance']['cell']['log_loss']:.2f} vs "
           f"{e['performance']['cell_before_bug']['log_loss']:.3f} before the bug; W/std "
           f"{e['drift']['visit_risk']['cell_vs_reference_segment']['wasserstein_normed']:.2f}")

    # traffic-drop
    b = {'id': 'deductible-plan-feed-drop', 'kind': 'traffic-drop', 'columns': ['plan_type'],
         'segment': [{'column': 'plan_type', 'value': 'individual deductible'}], 'window': drop,
         'description': "From 2023-11-20 the individual-deductible plan's enrolment system is being migrated "
                        'and only about one review in twelve reaches the scoring service: the segment almost '
                        'stops sending rows. The rows that do arrive are normal.',
         'kept_share_planted': round(1 / 12, 4)}
    segm = S.seg_mask(cc, b['segment'])
    wk = pd.to_datetime(cc.reviewed_at).dt.to_period('W-SUN')
    cwk = pd.to_datetime(clean.reviewed_at).dt.to_period('W-SUN')
    in_w = S.win_mask(cc, drop)
    bef = S.before_mask(cc, drop)
    seg_clean = S.seg_mask(clean, b['segment'])
    weekly_before = cc[segm & bef].groupby(wk[segm & bef]).size()
    weekly_in = cc[segm & in_w].groupby(wk[segm & in_w]).size()
    log_start = pd.Timestamp(SPLIT).to_period('W-SUN')
    wb = weekly_before[weekly_before.index > log_start]  # full weeks only
    traffic = {
        'rows_in_window': int((segm & in_w).sum()),
        'rows_in_window_before_bug': int((seg_clean & S.win_mask(clean, drop)).sum()),
        'rows_lost': int(lost.sum()),
        'segment_share_of_log_before_window': float(segm[bef & ~S.win_mask(cc, dup)].mean()),
        'segment_share_of_log_in_window': float(segm[in_w].mean()),
        'segment_share_reference': float((S.ref.plan_type == 'individual deductible').mean()),
        'median_rows_per_week_before_window': float(wb.median()),
        'rows_per_week_in_window': {str(p): int(v) for p, v in weekly_in.items()},
        'log_rows_per_week_in_window_all_segments': {
            str(p): int(v) for p, v in cc[in_w].groupby(wk[in_w]).size().items()},
    }
    S.evidence(b, cat_cols=[('plan_type', 'individual deductible')], extra={'traffic': traffic})
    say(b, f"deductible drop: {traffic['rows_in_window']} rows in the window instead of "
           f"{traffic['rows_in_window_before_bug']}; share {traffic['segment_share_of_log_before_window']:.3f} -> "
           f"{traffic['segment_share_of_log_in_window']:.3f}; {traffic['median_rows_per_week_before_window']:.0f}/week before")

    # duplicate-rows
    b = {'id': 'gateway-retry-storm', 'kind': 'duplicate-rows', 'columns': ['member_ref'], 'segment': [],
         'window': dup,
         'description': 'From 2023-09-12 to 2023-09-14 the API gateway retried every scoring request: each '
                        'review is logged 2 to 5 times with the same member_ref, inputs and score, seconds '
                        'apart. The log has duplicate ids only in these three days.'}
    cell = S.win_mask(cc, dup)
    per_day = pd.to_datetime(cc.reviewed_at).dt.normalize()
    rpd = cc.groupby(per_day).size()
    dpd = cc.groupby(per_day).member_ref.nunique()
    wdays = [d for d in rpd.index if pd.Timestamp(dup['start']) <= d < pd.Timestamp(dup['end'])]
    dups = {
        'rows_in_window': int(cell.sum()),
        'distinct_ids_in_window': int(cc.loc[cell, 'member_ref'].nunique()),
        'extra_rows': int(cell.sum() - cc.loc[cell, 'member_ref'].nunique()),
        'duplicate_id_rows_rest_of_log': int(cc.loc[~cell, 'member_ref'].duplicated().sum()),
        'ids_logged_more_than_once_in_window': int((cc.loc[cell].groupby('member_ref').size() > 1).sum()),
        'max_copies_of_one_id': int(cc.loc[cell].groupby('member_ref').size().max()),
        'rows_per_day_in_window': {d.strftime('%Y-%m-%d'): int(rpd[d]) for d in wdays},
        'distinct_ids_per_day_in_window': {d.strftime('%Y-%m-%d'): int(dpd[d]) for d in wdays},
        'median_rows_per_weekday_outside_window': float(rpd[[d not in wdays for d in rpd.index]].median()),
    }
    dedup = cc[cell].drop_duplicates('member_ref')
    S.evidence(b, extra={'duplicates': dups}, perf_extra={'cell_one_row_per_id': S.perf(dedup)})
    say(b, f"retry storm: {dups['rows_in_window']} rows for {dups['distinct_ids_in_window']} ids "
           f"({dups['rows_per_day_in_window']} vs median {dups['median_rows_per_weekday_outside_window']:.0f}/day)")

    # label-noise
    b = {'id': 'fair-health-outcomes-flipped', 'kind': 'label-noise', 'columns': ['high_use_flag'],
         'segment': [{'column': 'self_rated_health', 'value': 'fair'}], 'window': noise, 'flip_share_planted': 0.35,
         'description': 'From 2023-07-01 to 2023-09-30 a claims processor miscodes the outcome for enrollees '
                        'in fair health: about 35% of their high_use_flag values in the outcome file are '
                        'flipped. Inputs and scores are fine; the model only looks wrong there.'}
    cell = S.seg_mask(cc, b['segment']) & S.win_mask(cc, noise)
    yj = S.labels_of(cc[cell])
    yt = S.labels_of(cc[cell], true=True)
    both = yj.notna() & yt.notna()
    S.evidence(b, extra={
        'labels_changed_in_cell': int((yj[both] != yt[both]).sum()),
        'label_positive_rate_in_cell': float(yj[both].mean()),
        'label_positive_rate_in_cell_original': float(yt[both].mean()),
    }, perf_extra={'cell_with_original_labels': S.perf(cc[cell], y=yt)})
    e = b['evidence']
    say(b, f"label flips: {e['labels_changed_in_cell']} of {e['labelled_in_cell']} labels changed; AUC "
           f"{e['performance']['cell']['roc_auc']:.3f} vs {e['performance']['cell_with_original_labels']['roc_auc']:.3f} "
           f"with the true labels, rest {e['performance']['rest_of_log']['roc_auc']:.3f}")

    firsts = labels.drop_duplicates('member_ref')
    idset = set(cc.member_ref)
    labels_file = {
        'id': 'member_ref', 'label': 'high_use_flag', 'timestamp': 'claims_closed_on',
        'label_rows': int(len(labels)), 'distinct_label_ids': int(labels.member_ref.nunique()),
        'predictions': int(len(cc)), 'distinct_prediction_ids': int(cc.member_ref.nunique()),
        'predictions_labelled': int(cc.member_ref.isin(labels.member_ref).sum()),
        'predictions_unlabelled': int((~cc.member_ref.isin(labels.member_ref)).sum()),
        'duplicate_label_ids': int(labels.member_ref.duplicated().sum()),
        'conflicting_label_ids': int((labels.groupby('member_ref').high_use_flag.nunique() > 1).sum()),
        'conflicting_planted': lstats['conflicting_planted'],
        'labels_without_prediction': int((~firsts.member_ref.isin(idset)).sum()),
        'labels_without_prediction_of_which_lost_by_traffic_drop': int(firsts.member_ref.isin(clean.member_ref[~clean.member_ref.isin(idset)]).sum()),
        'join_rule': 'first label row per id in file order (labels are in arrival order; later rows are re-sends)',
    }
    acc = S.perf(cc)
    say(None, f"rand: reference {len(S.ref)}, log {len(cc)}, labels {len(labels)}; log AUC {acc['roc_auc']:.3f}, "
              f"log loss {acc['log_loss']:.3f}, outreach {acc['predicted_positive_rate']:.3f}; reference (replayed) AUC "
              f"{S.ref_perf()['roc_auc']:.3f}")
    files = [
        {'file': 'enrollees_training.csv.gz', 'role': 'reference', 'format': 'csv.gz', 'df': S.ref,
         'note': 'the training data of visit_model.json: features and outcome only, no scores'},
        {'file': 'outreach_log.csv.gz', 'role': 'current', 'format': 'csv.gz', 'df': cc.drop(columns=['_k']),
         'note': 'the production log: score visit_risk and decision outreach (visit_risk >= 0.4), no outcome'},
        {'file': 'claims_outcomes.tsv', 'role': 'labels', 'format': 'tsv', 'df': labels,
         'note': 'outcomes from the claims system, in arrival order'},
        {'file': 'visit_model.json', 'role': 'model', 'booster': booster, 'objective': 'binary:logistic',
         'trees': len(booster.get_dump())},
    ]
    roles = {c: 'feature' for c in FEATURES}
    roles.update({'member_ref': 'id', 'reviewed_at': 'timestamp', 'plan_type': 'segment',
                  'self_rated_health': 'segment', 'high_use_flag': 'label', 'visit_risk': 'score',
                  'outreach': 'prediction', 'claims_closed_on': 'ignore'})
    extra = {
        'head': {'source': {
            'dataset': 'randhie (statsmodels.datasets.randhie, randhie.csv)',
            'package': 'statsmodels@' + __import__('statsmodels').__version__ + ' (Debian python3-statsmodels)',
            'origin': 'RAND Health Insurance Experiment; as statsmodels states it: "' + ' '.join(randhie_mod.COPYRIGHT.split()) +
                      '" Source: "' + ' '.join(randhie_mod.SOURCE.split()) + '"',
            'licence': 'public domain (as statsmodels states it)',
            'time_axis': 'ASSIGNED: the data has no dates; rows are in a seeded random order and get review times on weekdays 2023-01-02..2023-12-29, 08:00-18:00',
            'rows_used': f'all 20,190 person-years; reference: the {n_ref} reviewed before {SPLIT} (assigned order); log: the other {n - n_ref} (before the bugs)',
            'outcome': 'high_use_flag = 1 when mdvis (outpatient visits to an MD in the year) >= 4',
            'columns': 'review_hour = the hour of reviewed_at (assigned like the times); coins_log = lncoins, indiv_deductible = idp, incentive_log = lpi, mde_log = fmde, phys_limit = physlm, chronic_index = disea, health_good / fair / poor = hlthg / hlthf / hlthp; plan_type and self_rated_health are decoded from them'}},
        'reference_has_scores': False,
        'labels_file': labels_file,
        'labels_in_log': None,
        'roles': roles,
        'period': {'reference': [START, SPLIT], 'current': [SPLIT, END]},
    }
    return S, files, extra
