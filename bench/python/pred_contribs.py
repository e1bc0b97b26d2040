"""Native TreeSHAP for the side-by-side figure: xgboost's own pred_contribs on one thread.

/usr/bin/python3 pred_contribs.py <model.json> <rows.csv> [<check.json> <check_rows>]
Reading the CSV and building the DMatrix are not timed (Lantern's figure excludes reading its feature
matrix too); the timed part is Booster.predict(pred_contribs=True). Prints one JSON line: seconds, rows,
peak RSS of this process, and optionally writes the first rows' contributions for a cross-check.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb


def peak_rss_bytes() -> int:
    """VmHWM: the peak of this process's own address space (ru_maxrss can carry the spawning process's peak)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    model_path, rows_csv = sys.argv[1], sys.argv[2]
    booster = xgb.Booster(params={"nthread": 1})
    booster.load_model(model_path)
    booster.set_param({"nthread": 1})
    frame = pd.read_csv(rows_csv)
    dmatrix = xgb.DMatrix(frame, missing=float("nan"), nthread=1)
    started = time.perf_counter()
    contribs = booster.predict(dmatrix, pred_contribs=True)
    seconds = time.perf_counter() - started
    if len(sys.argv) > 4:
        n = int(sys.argv[4])
        with open(sys.argv[3], "w") as f:
            json.dump({"features": list(frame.columns), "values": np.asarray(contribs[:n], dtype=float).tolist()}, f)
    print(json.dumps({
        "seconds": seconds,
        "rows": int(frame.shape[0]),
        "peak_rss_bytes": peak_rss_bytes(),
        "xgboost": xgb.__version__,
        "threads": 1,
    }))


if __name__ == "__main__":
    main()
