"""``python -m socialkit.metrics.sentiment train [DATA_DIR] [--out PATH]``: rebuild the model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialkit.metrics.sentiment._model import MODEL_PATH
from socialkit.metrics.sentiment.train import DEFAULT_DATA, VADER_TWEETS, train


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.metrics.sentiment",
        description="Rebuild the shipped sentiment model from TweetEval's sentiment texts and "
        "VADER's rated tweets (fit on TweetEval's test split and the rated tweets, choose by "
        "cross-validation, score on TweetEval's held-out validation split).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fit and write the model (same data, same bytes)")
    t.add_argument(
        "data",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA,
        help=f"TweetEval sentiment folder (default: {DEFAULT_DATA})",
    )
    t.add_argument("--out", type=Path, default=MODEL_PATH, help="the .npz to write")
    args = parser.parse_args(argv)
    if not (args.data / "test_text.txt").is_file():
        print(
            f"error: {args.data} has no test_text.txt; expected TweetEval's sentiment folder "
            "(test_text.txt, test_labels.txt, val_text.txt, val_labels.txt).",
            file=sys.stderr,
        )
        return 2
    if not VADER_TWEETS.is_file():
        print(
            f"error: {VADER_TWEETS} not found; expected VADER's rated tweets "
            "(benchmarks/labels/vader_tweets_GroundTruth.txt in the repository).",
            file=sys.stderr,
        )
        return 2
    train(args.data, args.out)
    print(f"wrote {args.out} and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
