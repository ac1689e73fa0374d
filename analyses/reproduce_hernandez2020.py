"""Reproduce Hernandez & Brown (2020)'s 44× / ~16-month headline, then apply the method to ours.

Hernandez, D. & Brown, T. B. (2020), "Measuring the algorithmic efficiency of neural networks",
arXiv:2005.04305: training compute to reach AlexNet-level ImageNet accuracy (79.1% top-5,
ImageNet-only training) fell 44× from AlexNet (June 2012) to EfficientNet-b0 (May 2019), a
halving time of ~16 months. Points typed from the authors' table efficiency_sota.csv
(github.com/openai/ai-and-efficiency, commit 4899cb1, "AlexNet" rows); compute in teraflop/s-days
(1 teraflop/s-day = 8.64e16 FLOP).

Then the same method on the project's curated ImageNet table (AlexNet-level threshold) and a
threshold sweep (Erdil & Besiroglu 2022 report about an order of magnitude of movement).

Usage: python analyses/reproduce_hernandez2020.py [--no-project-data]
"""

from __future__ import annotations

import argparse

import pandas as pd

from algoattr.threshold import (
    ALEXNET_TOP5_ERROR,
    alexnet_level,
    threshold_frontier,
    threshold_sweep,
)

TERAFLOP_S_DAY_FLOP = 1e12 * 86_400

# (model, publication date, compute in teraflop/s-days), Hernandez & Brown 2020.
POINTS = [
    ("AlexNet", "2012-06-01", 3.1),
    ("GoogLeNet", "2014-09-17", 0.71),
    ("MobileNet", "2017-04-17", 0.28),
    ("ShuffleNet (1x)", "2017-07-03", 0.15),
    ("ShuffleNet v2 (1x)", "2018-06-30", 0.12),
    ("EfficientNet (b0)", "2019-05-28", 0.069),
]
PUBLISHED = {"reduction_factor": 44.0, "halving_months": 16.0}


def published_points() -> pd.DataFrame:
    """The published points as an evaluation table (all at AlexNet level by construction)."""
    df = pd.DataFrame(POINTS, columns=["model", "publication_date", "tfs_days"])
    df["publication_date"] = pd.to_datetime(df["publication_date"])
    df["training_compute_flop"] = df["tfs_days"] * TERAFLOP_S_DAY_FLOP
    df["metric"] = "top5_error"
    df["value"] = ALEXNET_TOP5_ERROR
    return df


def main(argv: list[str] | None = None) -> None:
    """Print published vs reproduced, then the method on the project's data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-project-data", action="store_true")
    args = parser.parse_args(argv)

    r = threshold_frontier(published_points(), ALEXNET_TOP5_ERROR)
    table = pd.DataFrame(
        [
            ("reduction factor (x)", PUBLISHED["reduction_factor"], r.reduction_factor),
            (
                "halving time, endpoint (months)",
                PUBLISHED["halving_months"],
                r.halving_months_endpoint,
            ),
            ("halving time, regression (months)", float("nan"), r.halving_months_regression),
        ],
        columns=["figure", "published", "reproduced"],
    )
    print("Hernandez & Brown 2020: published vs reproduced")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3g}", na_rep="-"))
    print()
    print(r.summary())

    if args.no_project_data:
        return
    from algoattr.data import load_evaluations

    df = load_evaluations(["imagenet"])
    print()
    print("Project data (datasets/imagenet/imagenet.csv)")
    print(threshold_frontier(df, **alexnet_level(df)).summary())
    print()
    print(threshold_sweep(df).summary())


if __name__ == "__main__":
    main()
