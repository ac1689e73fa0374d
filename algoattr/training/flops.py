"""FLOP accounting: the analytic count, the plain ``6·N`` figure, and a counter cross-check.

Convention
----------
``N`` counts every trainable parameter *including* the token embedding (tied, so counted
once, standing for the output projection's matrix multiply), as Gundlach et al. 2025 count it.
A learned position table is reported in ``N`` but left out of the FLOP count (it is looked up,
never multiplied): the FLOP count uses ``count_parameters(model)["flop"]``.

Training FLOPs per token (forward + backward = 3 × forward, Kaplan et al. 2020 / Hoffmann et
al. 2022):

- ``6·N`` — the plain figure (``flops_6n`` in the logs);
- ``6·N + 12·layers·context·width`` for Transformers — the attention term: per layer and token
  the forward pass multiplies ``QKᵀ`` and ``att·V`` at ``2·context·width`` FLOPs each over the
  full (unmasked) ``context × context`` matrix, as computed; this is ``flops`` in the logs. For
  the LSTM the analytic count is ``6·N``.

Element-wise work (norms, softmax, activations, gates) is not counted, nor is the embedding
look-up; :func:`counted_flops_per_token` runs one training step under
``torch.utils.flop_counter.FlopCounterMode`` (explicit attention and the LSTM's explicit cell
loop, so every matrix multiply is visible) to check the analytic count.
"""

from __future__ import annotations

from typing import Any

from .config import RunConfig

#: Dense peak throughput (FLOP/s) used for MFU, by a substring of the CUDA device name.
PEAK_FLOPS: dict[str, dict[str, float]] = {
    "H200": {"bfloat16": 989e12, "float32": 67e12},
    "H100": {"bfloat16": 989e12, "float32": 67e12},
    "A100": {"bfloat16": 312e12, "float32": 19.5e12},
    "L4": {"bfloat16": 121e12, "float32": 30e12},
}


def analytic_flops_per_token(cfg: RunConfig, n_params: int) -> dict[str, float]:
    """Training FLOPs per token.

    Parameters
    ----------
    cfg : RunConfig
        Architecture (``arch``, ``n_layers``, ``context``, ``width``).
    n_params : int
        Parameters in matrix multiplies, the tied embedding included (``"flop"`` of
        :func:`~algoattr.training.models.count_parameters`; see the module docstring).

    Returns
    -------
    dict
        ``six_n`` (``6·N``), ``attention`` (``12·layers·context·width``, 0 for the LSTM) and
        ``total`` (their sum).

    Examples
    --------
    >>> from algoattr.training.config import make_config
    >>> cfg = make_config("modern", 64, context=128)
    >>> analytic_flops_per_token(cfg, 100_000)["attention"]
    196608.0
    """
    six_n = 6.0 * n_params
    attn = 12.0 * cfg.n_layers * cfg.context * cfg.width if cfg.arch == "transformer" else 0.0
    return {"six_n": six_n, "attention": attn, "total": six_n + attn}


def counted_flops_per_token(model: Any, cfg: RunConfig, batch_size: int = 2) -> float:
    """FLOPs per token of one forward + backward step, counted by ``FlopCounterMode``.

    Parameters
    ----------
    model : torch.nn.Module
        A model from :func:`~algoattr.training.models.build_model` (left unchanged: gradients
        are zeroed and the attention / LSTM path restored afterwards).
    cfg : RunConfig
        Its configuration (context and vocabulary size).
    batch_size : int
        Sequences in the counted step.

    Returns
    -------
    float
        Counted FLOPs divided by the step's tokens.
    """
    import torch
    import torch.nn.functional as F
    from torch.utils.flop_counter import FlopCounterMode

    device = next(model.parameters()).device
    g = torch.Generator().manual_seed(0)
    idx = torch.randint(0, cfg.vocab_size, (batch_size, cfg.context + 1), generator=g).to(device)
    is_lstm = cfg.arch == "lstm"
    saved = model.reference if is_lstm else [b.attn.fused for b in model.blocks]
    if is_lstm:
        model.reference = True
    else:
        model.set_fused_attention(False)
    try:
        with FlopCounterMode(display=False) as counter:
            logits, _ = model(idx[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))
            loss.backward()
    finally:
        model.zero_grad(set_to_none=True)
        if is_lstm:
            model.reference = saved
        else:
            for blk, fused in zip(model.blocks, saved, strict=True):
                blk.attn.fused = fused
    return counter.get_total_flops() / (batch_size * cfg.context)


def peak_flops(device_name: str, dtype: str) -> float | None:
    """Dense peak FLOP/s of a known accelerator (for MFU), else ``None``."""
    for key, table in PEAK_FLOPS.items():
        if key in device_name:
            return table.get(dtype)
    return None
