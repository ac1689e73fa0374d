"""Corpora: a seeded synthetic source with known entropy and long-range copies, and a reader
for a local text file (byte- or word-level). Nothing is downloaded.

Synthetic source
----------------
A stream of *segments*. Each segment is a marker token followed by ``segment_len`` content
tokens. The marker is ``FRESH`` with probability ``1 − p_copy`` or ``COPY_j`` (``j`` uniform in
``1..n_lags``) otherwise:

- after ``FRESH`` the content is drawn from an order-``order`` Markov chain over
  ``content_vocab`` symbols whose rows are Dirichlet(``concentration``) draws, started afresh
  (first token uniform, then the chain's lower-order conditionals);
- after ``COPY_j`` the content repeats, token for token, the content of the segment ``j``
  segments back (an induction/copy structure at distance up to ``n_lags·(segment_len+1)``).

Because the marker tells the optimal predictor which case holds, the entropy rate is exact:
``[H(marker) + (1 − p_copy)·H(fresh content)] / (segment_len + 1)`` nats per token, with
``H(fresh content)`` computed by propagating the chain's state distribution through the
segment. Recurrent models must hold ``n_lags`` segments in their state to copy; attention can
look them up, so the families separate. The data need only numpy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SyntheticSpec:
    """Settings of the synthetic source.

    Parameters
    ----------
    content_vocab : int
        Content symbols (the vocabulary adds ``1 + n_lags`` markers).
    order : int
        Markov order of the fresh content (1 or 2).
    concentration : float
        Dirichlet concentration of the transition rows (small = peaked, low entropy).
    segment_len : int
        Content tokens per segment.
    p_copy : float
        Probability that a segment is a copy.
    n_lags : int
        Copies come from 1..n_lags segments back.
    """

    content_vocab: int = 16
    order: int = 2
    concentration: float = 0.1
    segment_len: int = 8
    p_copy: float = 0.5
    n_lags: int = 4

    @property
    def vocab_size(self) -> int:
        """Content symbols plus the ``FRESH`` and ``COPY_j`` markers."""
        return self.content_vocab + 1 + self.n_lags

    @property
    def fresh_token(self) -> int:
        """Id of the ``FRESH`` marker."""
        return self.content_vocab

    def copy_token(self, lag: int) -> int:
        """Id of the ``COPY_lag`` marker."""
        return self.content_vocab + lag


def _entropy(p: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, -p * np.log(p), 0.0)
    return t.sum(axis=axis)


class SyntheticSource:
    """The synthetic source: its Markov tables (seeded) and an exact entropy rate.

    Parameters
    ----------
    spec : SyntheticSpec
        Source settings.
    seed : int
        Seeds the transition tables (the *structure*); splits are drawn with their own seeds.
    """

    def __init__(self, spec: SyntheticSpec | None = None, seed: int = 0) -> None:
        self.spec = spec or SyntheticSpec()
        s = self.spec
        if s.order not in (1, 2):
            raise ValueError("order must be 1 or 2")
        rng = np.random.default_rng([seed, 7919])
        v = s.content_vocab
        # Conditional tables: P1[a] = p(next | a); P2[a*v + b] = p(next | a, b).
        self.p1 = rng.dirichlet(np.full(v, s.concentration), size=v)
        self.p2 = rng.dirichlet(np.full(v, s.concentration), size=v * v) if s.order == 2 else None

    # -- exact entropy ---------------------------------------------------------------------
    def fresh_content_entropy(self) -> float:
        """Entropy (nats) of one fresh segment's content, computed exactly."""
        s, v = self.spec, self.spec.content_vocab
        h = np.log(v)  # first token uniform
        if s.segment_len == 1:
            return float(h)
        p_first = np.full(v, 1.0 / v)
        h += float(p_first @ _entropy(self.p1))  # second token from the order-1 table
        if s.order == 1:
            dist = p_first @ self.p1  # distribution of the second token
            for _ in range(s.segment_len - 2):
                h += float(dist @ _entropy(self.p1))
                dist = dist @ self.p1
            return float(h)
        pair = (p_first[:, None] * self.p1).reshape(-1)  # p(x1, x2) over a*v + b
        h_rows = _entropy(self.p2)
        for _ in range(s.segment_len - 2):
            h += float(pair @ h_rows)
            # p(b, c) = Σ_a p(a, b) p2(c | a, b)
            joint = (pair[:, None] * self.p2).reshape(v, v, v)  # (a, b, c)
            pair = joint.sum(axis=0).reshape(-1)
        return float(h)

    def entropy_per_token(self) -> float:
        """Entropy rate of the stream in nats per token (the irreducible loss)."""
        s = self.spec
        pc = s.p_copy
        probs = np.array([1 - pc] + [pc / s.n_lags] * s.n_lags)
        h_marker = float(_entropy(probs))
        return (h_marker + (1 - pc) * self.fresh_content_entropy()) / (s.segment_len + 1)

    def nll_per_token(self, stream: np.ndarray) -> float:
        """Mean negative log-likelihood (nats/token) of a stream under the true source.

        The Bayes-optimal loss on a sample; its expectation is :meth:`entropy_per_token`
        (up to the first ``n_lags`` segments, which cannot be copies). Whole segments only.
        """
        s, v = self.spec, self.spec.content_vocab
        k = s.segment_len
        seg = np.asarray(stream)[: len(stream) // (k + 1) * (k + 1)].reshape(-1, k + 1)
        marker, content = seg[:, 0], seg[:, 1:]
        fresh = marker == v
        nll = np.where(fresh, -np.log(1 - s.p_copy), -np.log(s.p_copy / s.n_lags))
        lp = np.full(len(seg), -np.log(v))
        if k > 1:
            lp += np.log(self.p1[content[:, 0], content[:, 1]])
        for t in range(2, k):
            if s.order == 1:
                lp += np.log(self.p1[content[:, t - 1], content[:, t]])
            else:
                lp += np.log(self.p2[content[:, t - 2] * v + content[:, t - 1], content[:, t]])
        nll = nll - np.where(fresh, lp, 0.0)
        return float(nll.sum() / seg.size)

    # -- sampling ---------------------------------------------------------------------------
    @staticmethod
    def _sample_rows(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
        cdf = np.cumsum(table[rows], axis=1)
        u = rng.random(len(rows))[:, None] * cdf[:, -1:]
        return np.minimum((u > cdf).sum(axis=1), table.shape[1] - 1)

    def sample(self, n_tokens: int, seed: int) -> np.ndarray:
        """Draw ``n_tokens`` tokens of the stream (int64), seeded.

        Parameters
        ----------
        n_tokens : int
            Length of the stream.
        seed : int
            Seeds this draw (use different seeds for the training and validation splits).

        Returns
        -------
        numpy.ndarray
            Token ids in ``[0, vocab_size)``.
        """
        s, v = self.spec, self.spec.content_vocab
        k = s.segment_len
        n_seg = -(-n_tokens // (k + 1))
        rng = np.random.default_rng([seed, 104729])
        is_copy = rng.random(n_seg) < s.p_copy
        lag = rng.integers(1, s.n_lags + 1, size=n_seg)
        idx = np.arange(n_seg)
        is_copy &= idx - lag >= 0
        # Fresh content for every segment (copies overwrite theirs), vectorised over segments.
        content = np.empty((n_seg, k), dtype=np.int64)
        content[:, 0] = rng.integers(0, v, size=n_seg)
        if k > 1:
            content[:, 1] = self._sample_rows(rng, self.p1, content[:, 0])
        for t in range(2, k):
            if s.order == 1:
                content[:, t] = self._sample_rows(rng, self.p1, content[:, t - 1])
            else:
                rows = content[:, t - 2] * v + content[:, t - 1]
                content[:, t] = self._sample_rows(rng, self.p2, rows)
        # Resolve copy chains by pointer jumping: root[i] is the fresh segment i repeats.
        root = np.where(is_copy, idx - lag, idx)
        while True:
            nxt = root[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        content = content[root]
        marker = np.where(is_copy, v + lag, v)
        stream = np.concatenate([marker[:, None], content], axis=1).reshape(-1)
        return stream[:n_tokens].astype(np.int64)


@dataclass
class Corpus:
    """Tokenised training and validation streams.

    Parameters
    ----------
    name : str
        ``"synthetic"`` or the training file's name.
    train, valid : numpy.ndarray
        Token ids (int64).
    vocab_size : int
        Vocabulary size.
    entropy_per_token : float or None
        Known irreducible loss in nats/token (synthetic source only).
    info : dict
        Provenance (generator settings, file sizes and hashes, tokenizer).
    """

    name: str
    train: np.ndarray
    valid: np.ndarray
    vocab_size: int
    entropy_per_token: float | None = None
    info: dict[str, Any] | None = None


def synthetic_corpus(
    train_tokens: int,
    valid_tokens: int,
    seed: int = 0,
    spec: SyntheticSpec | None = None,
) -> Corpus:
    """A synthetic corpus: one seeded source, two independently seeded splits.

    Parameters
    ----------
    train_tokens, valid_tokens : int
        Split lengths.
    seed : int
        Seeds the source's tables and both splits.
    spec : SyntheticSpec, optional
        Source settings (defaults: :class:`SyntheticSpec`).

    Returns
    -------
    Corpus
        With ``entropy_per_token`` set.

    Examples
    --------
    >>> c = synthetic_corpus(1000, 500, seed=0)
    >>> c.train.shape, c.vocab_size, round(c.entropy_per_token, 3) > 0
    ((1000,), 21, True)
    """
    src = SyntheticSource(spec, seed=seed)
    train = src.sample(train_tokens, seed=2 * seed + 1)
    valid = src.sample(valid_tokens, seed=2 * seed + 2)
    info = {"generator": "SyntheticSource", "seed": seed, **src.spec.__dict__}
    return Corpus(
        name="synthetic",
        train=train,
        valid=valid,
        vocab_size=src.spec.vocab_size,
        entropy_per_token=src.entropy_per_token(),
        info=info,
    )


def _tokenize_words(text: str) -> list[str]:
    # As pytorch/examples' word_language_model: whitespace split plus <eos> per line.
    out: list[str] = []
    for line in text.splitlines():
        out.extend(line.split())
        out.append("<eos>")
    return out


def text_corpus(
    path: str | Path,
    tokenizer: str = "byte",
    valid_path: str | Path | None = None,
    valid_frac: float = 0.1,
    max_vocab: int | None = None,
) -> Corpus:
    """Read a local text file as a corpus (nothing is downloaded).

    Parameters
    ----------
    path : str or Path
        Training text (UTF-8).
    tokenizer : {"byte", "word"}
        Byte level (vocabulary 256) or word level (whitespace split, ``<eos>`` per line,
        vocabulary from the training text, ``<unk>`` for the rest).
    valid_path : str or Path, optional
        Validation text; without it the last ``valid_frac`` of the file is held out.
    valid_frac : float
        Held-out fraction when ``valid_path`` is not given.
    max_vocab : int, optional
        Word level: keep the most frequent words only (ties broken alphabetically).

    Returns
    -------
    Corpus
        ``entropy_per_token`` is None.
    """
    path = Path(path)
    raw = path.read_bytes()
    raw_valid = Path(valid_path).read_bytes() if valid_path else None
    if raw_valid is None:
        cut = int(len(raw) * (1 - valid_frac))
        # Cut at a line boundary so words are not split.
        nl = raw.rfind(b"\n", 0, cut)
        cut = nl + 1 if nl > 0 else cut
        raw, raw_valid = raw[:cut], raw[cut:]
    info: dict[str, Any] = {
        "path_name": path.name,
        "bytes": len(raw),
        "tokenizer": tokenizer,
        "valid_name": Path(valid_path).name if valid_path else f"last {valid_frac:g} of file",
    }
    if tokenizer == "byte":
        train = np.frombuffer(raw, dtype=np.uint8).astype(np.int64)
        valid = np.frombuffer(raw_valid, dtype=np.uint8).astype(np.int64)
        return Corpus(path.name, train, valid, 256, None, info)
    if tokenizer != "word":
        raise ValueError(f"tokenizer must be 'byte' or 'word', not {tokenizer!r}")
    words = _tokenize_words(raw.decode("utf-8"))
    vwords = _tokenize_words(raw_valid.decode("utf-8"))
    counts = Counter(words)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    if max_vocab is not None:
        ranked = ranked[: max_vocab - 1]
    vocab = ["<unk>", *[w for w in ranked if w != "<unk>"]]
    index = {w: i for i, w in enumerate(vocab)}
    train = np.array([index.get(w, 0) for w in words], dtype=np.int64)
    valid = np.array([index.get(w, 0) for w in vwords], dtype=np.int64)
    info["vocab_size"] = len(vocab)
    return Corpus(path.name, train, valid, len(vocab), None, info)


def load_corpus(
    corpus: str, train_tokens: int, valid_tokens: int, seed: int = 0, **options: Any
) -> Corpus:
    """``"synthetic"`` (options: :class:`SyntheticSpec` fields) or a text file path (options:
    ``tokenizer``, ``valid_path``, ``valid_frac``, ``max_vocab``)."""
    if corpus == "synthetic":
        spec = SyntheticSpec(**options) if options else None
        return synthetic_corpus(train_tokens, valid_tokens, seed=seed, spec=spec)
    return text_corpus(corpus, **options)
