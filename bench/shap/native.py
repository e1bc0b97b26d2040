"""TreeSHAP benchmark, native side: xgboost's own pred_contribs on one thread.

/usr/bin/python3 bench/shap/native.py [rows]
Trains a seeded 200-tree, depth-6 binary model on 20 features, writes bench/tmp/shap-model.json and
the rows to explain as raw float64 (bench/tmp/shap-rows.f64, NaN = missing), and times
pred_contribs with nthread=1 (one run, CPU time). Prints one JSON line; bench/shap/node.ts times Lantern on the
same model and rows.
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OUT = os.path.join(os.path.dirname(__file__), '..', 'tmp')
os.makedirs(OUT, exist_ok=True)

rng = np.random.default_rng(11)
F = 20
X = rng.normal(size=(ROWS + 20_000, F))
X[rng.random(size=X.shape) < 0.05] = np.nan
z = np.nan_to_num(X)
logit = z[:, 0] - 0.7 * z[:, 1] * z[:, 2] + np.sin(z[:, 3]) + 0.3 * z[:, 4:10].sum(axis=1)
y = (rng.random(len(X)) < 1 / (1 + np.exp(-logit))).astype(int)
train = xgb.DMatrix(X[ROWS:], label=y[ROWS:], missing=np.nan)
booster = xgb.train({'objective': 'binary:logistic', 'max_depth': 6, 'eta': 0.1, 'seed': 11, 'nthread': 1, 'tree_method': 'hist'}, train, 200)
booster.save_model(os.path.join(OUT, 'shap-model.json'))
rows = X[:ROWS]
rows.astype('<f8').tofile(os.path.join(OUT, 'shap-rows.f64'))

booster.set_param({'nthread': 1})
d = xgb.DMatrix(rows, missing=np.nan, nthread=1)
# CPU time of this process, not wall time: the benchmark machine is shared and often oversubscribed.
start_cpu = time.process_time()
start_wall = time.perf_counter()
contribs = booster.predict(d, pred_contribs=True)
cpu = time.process_time() - start_cpu
wall = time.perf_counter() - start_wall
np.save(os.path.join(OUT, 'shap-contribs-head.npy'), contribs[:1000])
print(json.dumps({'engine': 'xgboost ' + xgb.__version__ + ' pred_contribs, 1 thread', 'rows': ROWS, 'trees': 200, 'depth': 6, 'cpuSeconds': cpu, 'wallSeconds': wall}))
