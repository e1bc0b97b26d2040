#!/usr/bin/env python3
"""Generates Lantern's bundled demo: a payments-fraud model with planted problems.

Run with Debian's Python (python3-numpy, python3-pandas, python3-xgboost):
    /usr/bin/python3 scripts/demo/generate_demo.py

Writes public/demo/{training.csv, production.csv, labels.csv, model.json}. Seeded: the same files every run
(for a given xgboost version).

What is planted, so that every analysis has something true to find:
- From 2026-09-28 (week 4 of the log) on, in region == "north" only, `amount` is about 2.2x larger
  (data drift hidden in one segment), and fraud there no longer follows the pattern the model learned:
  it is driven by `distance_from_home_km` at any amount (concept drift), so the model's performance drops
  in that segment from that date.
- `merchant_category` gains a category never seen in training ("crypto") in production.
- `distance_from_home_km` has missing values in production (a broken upstream join), 3% of rows.
- Labels arrive 1-21 days after the prediction; the last days of the log are mostly unlabelled; a few
  labels have no prediction and a few prediction ids are labelled twice.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

OUT = Path(__file__).resolve().parents[2] / "public" / "demo"
FEATURES = ["amount", "account_age_days", "num_prev_txn", "hour_of_day", "distance_from_home_km"]
REGIONS = ["north", "south", "east", "west"]
CATEGORIES = ["grocery", "electronics", "travel", "gaming", "fashion", "services"]
CHANNELS = ["app", "web", "pos"]
SHIFT_START = pd.Timestamp("2026-09-28")


def draw_rows(rng, n, timestamps, regions=None, crypto_share=0.0):
    region = regions if regions is not None else rng.choice(REGIONS, n, p=[0.3, 0.3, 0.2, 0.2])
    categories = rng.choice(CATEGORIES, n, p=[0.3, 0.15, 0.1, 0.1, 0.2, 0.15]).astype(object)
    if crypto_share > 0:
        categories[rng.random(n) < crypto_share] = "crypto"
    hour = np.asarray([t.hour for t in timestamps]) if timestamps is not None else rng.integers(0, 24, n)
    return pd.DataFrame(
        {
            "amount": np.round(rng.lognormal(3.6, 0.9, n), 2),
            "account_age_days": rng.integers(1, 3000, n),
            "num_prev_txn": rng.poisson(25, n),
            "hour_of_day": hour,
            "distance_from_home_km": np.round(rng.gamma(1.5, 12.0, n), 1),
            "merchant_category": categories,
            "channel": rng.choice(CHANNELS, n, p=[0.5, 0.35, 0.15]),
            "region": region,
        }
    )


def fraud_logit(df):
    risky = df["merchant_category"].isin(["electronics", "gaming", "crypto"]).astype(float)
    night = (df["hour_of_day"] < 6).astype(float)
    return (
        -4.2
        + 1.1 * np.log(df["amount"] / 40.0)
        - 0.0009 * df["account_age_days"]
        - 0.02 * df["num_prev_txn"]
        + 0.9 * night
        + 0.7 * risky
        + 0.012 * df["distance_from_home_km"].fillna(0)
    )


def shifted_logit(df):
    # The new fraud ring in the north: distance drives fraud whatever the amount.
    return -3.6 + 0.06 * df["distance_from_home_km"].fillna(0) - 0.0004 * df["account_age_days"]


def random_timestamps(rng, start, days, n):
    seconds = np.sort(rng.integers(0, days * 86400, n))
    return [pd.Timestamp(start) + pd.Timedelta(seconds=int(s)) for s in seconds]


def main():
    rng = np.random.default_rng(20261122)
    OUT.mkdir(parents=True, exist_ok=True)

    # Training data: August 2026, labelled.
    n_train = 20000
    train_ts = random_timestamps(rng, "2026-08-01", 31, n_train)
    train = draw_rows(rng, n_train, train_ts)
    train.insert(0, "timestamp", train_ts)
    train["is_fraud"] = (rng.random(n_train) < 1 / (1 + np.exp(-fraud_logit(train)))).astype(int)

    model = xgb.XGBClassifier(
        n_estimators=60, max_depth=4, learning_rate=0.15, subsample=0.9, random_state=7, tree_method="hist", n_jobs=1
    )
    model.fit(train[FEATURES], train["is_fraud"])
    model.get_booster().feature_names = FEATURES
    model.save_model(OUT / "model.json")
    train["score"] = np.round(model.predict_proba(train[FEATURES])[:, 1], 6)

    # Production log: six weeks from 2026-09-07.
    n_prod = 30000
    prod_ts = random_timestamps(rng, "2026-09-07", 42, n_prod)
    prod = draw_rows(rng, n_prod, prod_ts, crypto_share=0.02)
    prod.insert(0, "timestamp", prod_ts)
    prod.insert(0, "prediction_id", [f"pred-{i:06d}" for i in range(n_prod)])
    shifted = (prod["region"] == "north") & (prod["timestamp"] >= SHIFT_START)
    prod.loc[shifted, "amount"] = np.round(prod.loc[shifted, "amount"] * 2.2, 2)
    broken = rng.random(n_prod) < 0.03
    prod.loc[broken, "distance_from_home_km"] = np.nan

    logit = fraud_logit(prod)
    logit[shifted] = shifted_logit(prod[shifted])
    truth = (rng.random(n_prod) < 1 / (1 + np.exp(-logit))).astype(int)

    prod["score"] = np.round(model.predict_proba(prod[FEATURES])[:, 1], 6)
    prod["prediction"] = (prod["score"] >= 0.5).astype(int)

    # Delayed labels.
    delay_days = rng.integers(1, 22, n_prod)
    label_time = prod["timestamp"] + pd.to_timedelta(delay_days, unit="D") + pd.to_timedelta(rng.integers(0, 86400, n_prod), unit="s")
    cutoff = pd.Timestamp("2026-10-19")
    arrived = label_time <= cutoff
    labels = pd.DataFrame({"prediction_id": prod["prediction_id"], "is_fraud": truth, "label_time": label_time})[arrived]
    duplicates = labels.sample(5, random_state=3)
    orphans = pd.DataFrame(
        {"prediction_id": [f"pred-9{i:05d}" for i in range(7)], "is_fraud": [0, 1, 0, 0, 0, 1, 0], "label_time": [cutoff] * 7}
    )
    labels = pd.concat([labels, duplicates, orphans]).sort_values("label_time", kind="stable")

    fmt = "%Y-%m-%d %H:%M:%S"
    train.to_csv(OUT / "training.csv", index=False, date_format=fmt)
    prod.to_csv(OUT / "production.csv", index=False, date_format=fmt)
    labels.to_csv(OUT / "labels.csv", index=False, date_format=fmt)
    print(f"training {len(train)} rows, production {len(prod)} rows, labels {len(labels)} rows -> {OUT}")


if __name__ == "__main__":
    main()
