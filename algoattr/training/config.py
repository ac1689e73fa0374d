"""One configuration dataclass per training run, family presets and single-switch ablations.

A *family* is a named point in the space of architectural and optimisation choices:

========================  ==========  =========  ===========  ==========  ============  =========
family                    norm place  norm type  positions    activation  schedule      optimiser
========================  ==========  =========  ===========  ==========  ============  =========
``lstm``                  (none)      (none)     (recurrent)  (gates)     cosine        Adam
``transformer2017``       post        LayerNorm  sinusoidal   GELU        inverse-sqrt  Adam
``modern``                pre         RMSNorm    RoPE         SwiGLU      cosine        AdamW
========================  ==========  =========  ===========  ==========  ============  =========

The 2017 Transformer uses GELU (as in Gundlach et al. 2025, whose SwiGLU ablation is measured
against GELU); ``transformer2017+relu`` gives Vaswani et al.'s original ReLU. An ablation is a
family name followed by ``+switch`` tokens, each changing exactly one field towards the modern
Transformer (see :data:`SWITCHES`), e.g. ``transformer2017+rope`` or
``transformer2017+pre_norm+rmsnorm``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

FAMILIES: tuple[str, ...] = ("lstm", "transformer2017", "modern")

#: Single switches: name -> fields they set. Each moves one choice of the 2017 Transformer to
#: its modern counterpart (or, for ``relu`` and ``learned_pos``, to a third option).
SWITCHES: dict[str, dict[str, Any]] = {
    "pre_norm": {"norm_position": "pre"},
    "post_norm": {"norm_position": "post"},
    "rmsnorm": {"norm": "rmsnorm"},
    "layernorm": {"norm": "layernorm"},
    "rope": {"position": "rope"},
    "sinusoidal": {"position": "sinusoidal"},
    "learned_pos": {"position": "learned"},
    "swiglu": {"activation": "swiglu"},
    "gelu": {"activation": "gelu"},
    "relu": {"activation": "relu"},
    "cosine": {"schedule": "cosine"},
    "inverse_sqrt": {"schedule": "inverse_sqrt"},
    "adamw": {"optimizer": "adamw", "weight_decay": 0.1, "betas": (0.9, 0.95)},
    "adam": {"optimizer": "adam", "weight_decay": 0.0, "betas": (0.9, 0.98)},
}

#: The single switches that together turn ``transformer2017`` into ``modern`` (bias and
#: Adam's epsilon aside), used by the interaction analysis.
MODERNISING_SWITCHES: tuple[str, ...] = ("pre_norm", "rmsnorm", "rope", "swiglu", "cosine", "adamw")

_FAMILY_FIELDS: dict[str, dict[str, Any]] = {
    "lstm": {
        "arch": "lstm",
        "norm_position": "none",
        "norm": "none",
        "position": "none",
        "activation": "none",
        "schedule": "cosine",
        "optimizer": "adam",
        "betas": (0.9, 0.999),
        "weight_decay": 0.0,
        "bias": True,
    },
    "transformer2017": {
        "arch": "transformer",
        "norm_position": "post",
        "norm": "layernorm",
        "position": "sinusoidal",
        "activation": "gelu",
        "schedule": "inverse_sqrt",
        "optimizer": "adam",
        "betas": (0.9, 0.98),
        "weight_decay": 0.0,
        "bias": True,
    },
    "modern": {
        "arch": "transformer",
        "norm_position": "pre",
        "norm": "rmsnorm",
        "position": "rope",
        "activation": "swiglu",
        "schedule": "cosine",
        "optimizer": "adamw",
        "betas": (0.9, 0.95),
        "weight_decay": 0.1,
        "bias": False,
    },
}


@dataclass
class RunConfig:
    """Everything that defines one training run (model, data, optimiser, budget, logging).

    Parameters
    ----------
    family : str
        Family or ablation name, e.g. ``"modern"`` or ``"transformer2017+rope"``.
    width : int
        Model width ``d`` (embedding and hidden size).
    n_layers : int
        Transformer blocks or stacked LSTM layers.
    n_heads : int
        Attention heads (Transformers only).
    context : int
        Sequence length; for the LSTM the truncated-BPTT length.
    batch_size : int
        Sequences per optimiser step.
    tokens : int
        Training budget in tokens (steps = ceil(tokens / (batch_size·context))).
    lr : float
        Peak learning rate.
    warmup_frac : float
        Warm-up length as a fraction of the run (at least one step).
    min_lr_frac : float
        Final learning rate of the cosine schedule as a fraction of ``lr``.
    grad_clip : float
        Global gradient-norm clip (0 disables).
    arch, norm_position, norm, position, activation, schedule, optimizer, betas, weight_decay, bias
        Architectural and optimiser switches, filled from the family (see :data:`SWITCHES`).
    ffn_mult : float
        Feed-forward hidden size over ``width`` for ReLU/GELU; SwiGLU uses ``2/3`` of it (and
        three matrices) so the parameter count matches.
    tie_embeddings : bool
        Share the input embedding and the output projection (all families).
    vocab_size : int
        Filled from the corpus.
    corpus : str
        ``"synthetic"`` or a path to a local text file.
    corpus_options : dict
        Extra corpus arguments (synthetic generator settings, ``tokenizer``, ``valid_path``).
    seed : int
        Seeds parameter initialisation (data are seeded by ``data_seed``).
    data_seed : int
        Seeds the synthetic corpus (its structure and both splits).
    n_evals : int
        Log-spaced validation points over the run (plus the final step).
    eval_tokens : int
        Validation tokens per evaluation (a fixed, contiguous slice of the validation split).
    device : str
        ``"cpu"`` or ``"cuda"``.
    dtype : str
        ``"float32"`` or ``"bfloat16"`` (autocast on CUDA only).
    fused_attention : bool
        Use ``scaled_dot_product_attention`` (the FLOP counter always uses the explicit path).
    compile : bool
        Train through ``torch.compile(model)`` (worth it on a GPU; evaluation, the FLOP counter
        and checkpoints use the plain module, which shares the weights).
    """

    family: str = "modern"
    width: int = 64
    n_layers: int = 2
    n_heads: int = 2
    context: int = 64
    batch_size: int = 16
    tokens: int = 200_000
    lr: float = 3e-3
    warmup_frac: float = 0.05
    min_lr_frac: float = 0.1
    grad_clip: float = 1.0
    arch: str = "transformer"
    norm_position: str = "pre"
    norm: str = "rmsnorm"
    position: str = "rope"
    activation: str = "swiglu"
    schedule: str = "cosine"
    optimizer: str = "adamw"
    betas: tuple[float, float] = (0.9, 0.95)
    weight_decay: float = 0.1
    bias: bool = False
    ffn_mult: float = 4.0
    tie_embeddings: bool = True
    vocab_size: int = 0
    corpus: str = "synthetic"
    corpus_options: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    data_seed: int = 0
    n_evals: int = 40
    eval_tokens: int = 16_384
    device: str = "cpu"
    dtype: str = "float32"
    fused_attention: bool = False
    compile: bool = False

    @property
    def steps(self) -> int:
        """Optimiser steps in the run."""
        per_step = self.batch_size * self.context
        return max(1, -(-self.tokens // per_step))

    @property
    def tokens_per_step(self) -> int:
        """Training tokens per optimiser step."""
        return self.batch_size * self.context

    @property
    def run_id(self) -> str:
        """Directory name of the run: family, width, learning rate, seed and budget."""
        return (
            f"{self.family}_w{self.width}_L{self.n_layers}_lr{self.lr:.3g}"
            f"_t{self.tokens}_s{self.seed}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dictionary of every field."""
        out = dataclasses.asdict(self)
        out["betas"] = list(self.betas)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunConfig:
        """Inverse of :meth:`to_dict` (unknown keys are rejected)."""
        d = dict(d)
        if "betas" in d:
            d["betas"] = tuple(d["betas"])
        return cls(**d)

    def to_json(self) -> str:
        """Stable JSON text of the configuration (sorted keys)."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=1)

    def validate(self) -> None:
        """Raise ``ValueError`` on inconsistent settings."""
        if self.arch not in ("lstm", "transformer"):
            raise ValueError(f"unknown arch {self.arch!r}")
        if self.arch == "transformer" and self.width % self.n_heads:
            raise ValueError(f"width {self.width} not divisible by n_heads {self.n_heads}")
        if self.position == "rope" and (self.width // max(self.n_heads, 1)) % 2:
            raise ValueError("RoPE needs an even head dimension")
        choices = {
            "norm_position": ("pre", "post", "none"),
            "norm": ("layernorm", "rmsnorm", "none"),
            "position": ("sinusoidal", "rope", "learned", "none"),
            "activation": ("relu", "gelu", "swiglu", "none"),
            "schedule": ("inverse_sqrt", "cosine", "constant"),
            "optimizer": ("adam", "adamw"),
            "dtype": ("float32", "bfloat16"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name}={getattr(self, name)!r}; expected one of {allowed}")
        if self.tokens <= 0 or self.batch_size <= 0 or self.context <= 0:
            raise ValueError("tokens, batch_size and context must be positive")


def parse_family(name: str) -> tuple[str, list[str]]:
    """Split ``"base+switch+switch"`` into the base family and its switches.

    Examples
    --------
    >>> parse_family("transformer2017+rope+swiglu")
    ('transformer2017', ['rope', 'swiglu'])
    """
    base, *switches = name.split("+")
    if base not in _FAMILY_FIELDS:
        raise ValueError(f"unknown family {base!r}; expected one of {FAMILIES}")
    for s in switches:
        if s not in SWITCHES:
            raise ValueError(f"unknown switch {s!r}; expected one of {sorted(SWITCHES)}")
        if base == "lstm":
            raise ValueError("switches apply to Transformer families only")
    return base, switches


def family_fields(name: str) -> dict[str, Any]:
    """Field values of a family or ablation name (base preset, then each switch in order)."""
    base, switches = parse_family(name)
    fields = dict(_FAMILY_FIELDS[base])
    for s in switches:
        fields.update(SWITCHES[s])
    return fields


def default_layers(family: str, width: int) -> int:
    """Depth rule of the ladder: one LSTM layer (as Gundlach et al.); Transformers deepen with
    width, ``max(2, width // 32)`` blocks."""
    base, _ = parse_family(family)
    if base == "lstm":
        return 1
    return max(2, width // 32)


def default_heads(width: int) -> int:
    """Attention heads of the ladder: head dimension 16 up to width 64, then 32, at most 64."""
    head_dim = 16 if width <= 64 else (32 if width <= 256 else 64)
    return max(1, width // head_dim)


def make_config(family: str, width: int, **overrides: Any) -> RunConfig:
    """Configuration of ``family`` at ``width`` with the ladder's depth rule and overrides.

    Parameters
    ----------
    family : str
        Family or ablation name (``"lstm"``, ``"transformer2017+rope"``, ...).
    width : int
        Model width.
    **overrides
        Any :class:`RunConfig` field.

    Returns
    -------
    RunConfig
        Validated configuration.
    """
    kw: dict[str, Any] = {
        "family": family,
        "width": width,
        "n_layers": default_layers(family, width),
        "n_heads": default_heads(width),
    }
    kw.update(family_fields(family))
    kw.update(overrides)
    cfg = RunConfig(**kw)
    cfg.validate()
    return cfg
