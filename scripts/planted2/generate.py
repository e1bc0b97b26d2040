#!/usr/bin/python3
"""Second planted-bug generator (blind test of `lantern investigate`): real public data, production bugs
planted in a segment and/or a time window, and the truth about each with independently computed numbers.

Run with Debian's Python (numpy, pandas, scipy, scikit-learn, xgboost, statsmodels; no pyarrow) and Node
(for the one Parquet file, written by the project's native DuckDB):

    /usr/bin/python3 scripts/planted2/generate.py            # or: npm run fixtures:planted2

Writes tests/fixtures/planted2/<scenario>/. Seeded; the same inputs and library versions give the same bytes.
See scripts/planted2/README.md.
"""
import os
import shutil
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
import xgboost

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts

import biopsy  # noqa: E402
import football  # noqa: E402
import movies  # noqa: E402
import rand_visits  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'planted2')
VEGA = os.environ.get('VEGA_DATASETS_DIR', os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data'))


def versions():
    import statsmodels
    return {
        'generator': 'scripts/planted2/generate.py',
        'numpy': np.__version__,
        'pandas': pd.__version__,
        'scipy': scipy.__version__,
        'sklearn': sklearn.__version__,
        'xgboost': xgboost.__version__,
        'statsmodels': statsmodels.__version__,
    }


def say(bug, msg):
    print(('  [%s] ' % bug['kind'] if bug else '') + msg, flush=True)


def main():
    only = set(sys.argv[1:])
    meta = versions()
    builders = [
        ('football-result', football.build, lambda rng: (VEGA, rng, say)),
        ('movies-rating', movies.build, lambda rng: (VEGA, rng, say, ROOT)),
        ('rand-visits', rand_visits.build, lambda rng: (rng, say)),
        ('biopsy-triage', biopsy.build, lambda rng: (rng, say)),
    ]
    for i, (name, build, args) in enumerate(builders):
        if only and name not in only:
            continue
        print(name, flush=True)
        rng = np.random.default_rng(20240 + i)
        S, files, extra = build(*args(rng))
        assert S.name == name
        out = os.path.join(OUT, name)
        if os.path.isdir(out):
            shutil.rmtree(out)
        scn, truth = S.write(out, files, extra, {}, dict(meta))
        total = sum(f['bytes'] for f in scn['files'])
        print(f'  -> {out}: {total / 1e6:.2f} MB, {len(truth["bugs"])} bugs', flush=True)


if __name__ == '__main__':
    main()
