"""Trains the benchmark's model: xgboost binary:logistic, 200 trees of depth 6, on the generated training CSV.

Run with Debian's python (python3-xgboost 1.7.4): /usr/bin/python3 train_model.py <train.csv> <model.json>
Seeded and single-threaded, so the same CSV gives the same model file.
"""
import json
import sys
import time

import pandas as pd
import xgboost as xgb


def main(train_csv: str, model_path: str) -> None:
    started = time.perf_counter()
    frame = pd.read_csv(train_csv)
    y = frame.pop("label")
    dtrain = xgb.DMatrix(frame, label=y, missing=float("nan"))
    params = {
        "objective": "binary:logistic",
        "max_depth": 6,
        "eta": 0.1,
        "subsample": 0.8,
        "colsample_bytree": 0.9,
        "tree_method": "hist",
        "seed": 7,
        "nthread": 1,
    }
    booster = xgb.train(params, dtrain, num_boost_round=200)
    booster.save_model(model_path)
    print(json.dumps({"trees": booster.num_boosted_rounds(), "features": frame.shape[1], "rows": frame.shape[0],
                      "seconds": time.perf_counter() - started, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
