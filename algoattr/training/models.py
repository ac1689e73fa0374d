"""Language models in plain PyTorch: an LSTM and a configurable Transformer.

The Transformer covers the 2017 design (post-LayerNorm, sinusoidal positions, GELU/ReLU, biases)
and the modern one (pre-RMSNorm, RoPE, SwiGLU, no biases) through the switches of
:class:`~algoattr.training.config.RunConfig`, so every single-switch ablation is the same code.
Both models tie the input embedding and the output projection and return
``(logits, state)``; the Transformer's state is ``None``, the LSTM's is its carried ``(h, c)``
for truncated back-propagation through time.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .config import RunConfig


def make_norm(kind: str, width: int, bias: bool) -> nn.Module:
    """``nn.LayerNorm`` (with or without bias) or ``nn.RMSNorm``."""
    if kind == "layernorm":
        return nn.LayerNorm(width, bias=bias)
    if kind == "rmsnorm":
        return nn.RMSNorm(width, eps=1e-6)
    raise ValueError(f"unknown norm {kind!r}")


def sinusoidal_positions(context: int, width: int) -> torch.Tensor:
    """Vaswani et al.'s table ``PE[p, 2i] = sin(p/10000^(2i/d))``, ``PE[p, 2i+1] = cos(...)``."""
    pos = torch.arange(context, dtype=torch.float32)[:, None]
    inv = torch.exp(-math.log(10000.0) * torch.arange(0, width, 2, dtype=torch.float32) / width)
    pe = torch.zeros(context, width)
    pe[:, 0::2] = torch.sin(pos * inv)
    pe[:, 1::2] = torch.cos(pos * inv)[:, : width // 2]
    return pe


def rope_tables(context: int, head_dim: int, base: float = 10000.0) -> torch.Tensor:
    """Cosines and sines of rotary embeddings, shape ``(2, context, head_dim)``."""
    inv = 1.0 / base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    ang = torch.arange(context, dtype=torch.float32)[:, None] * inv[None, :]
    ang = torch.cat([ang, ang], dim=-1)
    return torch.stack([ang.cos(), ang.sin()])


def apply_rope(x: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Rotate query or key ``x`` of shape ``(B, H, T, hd)`` ("rotate-half" convention)."""
    t = x.shape[-2]
    cos, sin = table[0, :t], table[1, :t]
    x1, x2 = x.chunk(2, dim=-1)
    rotated = torch.cat([-x2, x1], dim=-1)
    return x * cos + rotated * sin


class Attention(nn.Module):
    """Causal multi-head self-attention, explicit or through ``scaled_dot_product_attention``."""

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__()
        self.n_heads = cfg.n_heads
        self.head_dim = cfg.width // cfg.n_heads
        self.qkv = nn.Linear(cfg.width, 3 * cfg.width, bias=cfg.bias)
        self.proj = nn.Linear(cfg.width, cfg.width, bias=cfg.bias)
        self.rope = cfg.position == "rope"
        self.fused = cfg.fused_attention
        if self.rope:
            self.register_buffer("rope_table", rope_tables(cfg.context, self.head_dim), False)
        mask = torch.ones(cfg.context, cfg.context, dtype=torch.bool).tril()
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if self.rope:
            q, k = apply_rope(q, self.rope_table), apply_rope(k, self.rope_table)
        if self.fused:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_dim)
            att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(dim=-1)
            y = att @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class FeedForward(nn.Module):
    """``W2·act(W1·x)`` for ReLU/GELU, or SwiGLU ``W2·(silu(W1·x) ⊙ W3·x)`` with a hidden size
    of ``2/3`` so that the parameter count matches."""

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__()
        self.kind = cfg.activation
        hidden = int(cfg.ffn_mult * cfg.width)
        if self.kind == "swiglu":
            hidden = round(2 * hidden / 3)
            self.w3 = nn.Linear(cfg.width, hidden, bias=cfg.bias)
        self.w1 = nn.Linear(cfg.width, hidden, bias=cfg.bias)
        self.w2 = nn.Linear(hidden, cfg.width, bias=cfg.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "swiglu":
            return self.w2(F.silu(self.w1(x)) * self.w3(x))
        h = self.w1(x)
        h = F.relu(h) if self.kind == "relu" else F.gelu(h)
        return self.w2(h)


class Block(nn.Module):
    """Transformer block, post-norm ``x = N(x + f(x))`` or pre-norm ``x = x + f(N(x))``."""

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__()
        self.pre = cfg.norm_position == "pre"
        self.n1 = make_norm(cfg.norm, cfg.width, cfg.bias)
        self.n2 = make_norm(cfg.norm, cfg.width, cfg.bias)
        self.attn = Attention(cfg)
        self.ffn = FeedForward(cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pre:
            x = x + self.attn(self.n1(x))
            return x + self.ffn(self.n2(x))
        x = self.n1(x + self.attn(x))
        return self.n2(x + self.ffn(x))


class TransformerLM(nn.Module):
    """Decoder-only Transformer language model with tied embeddings.

    Token embeddings are scaled by ``√d`` (Vaswani et al.) before positions are added;
    pre-norm models end with a final norm. Linear weights start as N(0, 0.02), the residual
    output projections as N(0, 0.02/√(2·layers)) (GPT-2), embeddings as N(0, 1/√d).

    Parameters
    ----------
    cfg : RunConfig
        Width, depth, heads, context, vocabulary and the switches.
    """

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__()
        self.cfg = cfg
        d = cfg.width
        self.emb = nn.Embedding(cfg.vocab_size, d)
        self.position = cfg.position
        if cfg.position == "learned":
            self.pos_emb = nn.Embedding(cfg.context, d)
        elif cfg.position == "sinusoidal":
            self.register_buffer("pos_table", sinusoidal_positions(cfg.context, d), False)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.final_norm = (
            make_norm(cfg.norm, d, cfg.bias) if cfg.norm_position == "pre" else nn.Identity()
        )
        self.head = None if cfg.tie_embeddings else nn.Linear(d, cfg.vocab_size, bias=False)
        self._init_weights()

    def _init_weights(self) -> None:
        d = self.cfg.width
        for name, p in self.named_parameters():
            if p.dim() < 2:
                continue
            if name.startswith("emb"):
                nn.init.normal_(p, std=d**-0.5)
            elif name.startswith("pos_emb"):
                nn.init.normal_(p, std=0.1)
            elif name.endswith(("proj.weight", "w2.weight")):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * self.cfg.n_layers))
            else:
                nn.init.normal_(p, std=0.02)
        for name, p in self.named_parameters():
            if name.endswith(".bias") and "n1" not in name and "n2" not in name:
                nn.init.zeros_(p)

    def set_fused_attention(self, fused: bool) -> None:
        """Switch every block between fused and explicit attention (same result)."""
        for blk in self.blocks:
            blk.attn.fused = fused

    def forward(self, idx: torch.Tensor, state: object = None) -> tuple[torch.Tensor, None]:
        """Logits ``(B, T, V)`` for token ids ``(B, T)``; ``state`` is ignored."""
        t = idx.shape[1]
        x = self.emb(idx) * math.sqrt(self.cfg.width)
        if self.position == "learned":
            x = x + self.pos_emb.weight[:t]
        elif self.position == "sinusoidal":
            x = x + self.pos_table[:t]
        for blk in self.blocks:
            x = blk(x)
        x = self.final_norm(x)
        w = self.emb.weight if self.head is None else self.head.weight
        return x @ w.t(), None


class LSTMLM(nn.Module):
    """LSTM language model with tied embeddings (hidden size = width) and a carried state.

    ``forward`` uses ``nn.LSTM`` (fused kernels); with ``reference=True`` it runs the same
    weights through an explicit cell loop, which is what the FLOP counter sees.

    Parameters
    ----------
    cfg : RunConfig
        Width, layers and vocabulary.
    """

    def __init__(self, cfg: RunConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab_size, cfg.width)
        self.lstm = nn.LSTM(cfg.width, cfg.width, cfg.n_layers, batch_first=True, bias=cfg.bias)
        self.head = None if cfg.tie_embeddings else nn.Linear(cfg.width, cfg.vocab_size, False)
        self.reference = False
        nn.init.uniform_(self.emb.weight, -0.1, 0.1)

    def _reference_lstm(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        h0, c0 = state
        hs, cs = [], []
        for layer in range(self.cfg.n_layers):
            w_ih = getattr(self.lstm, f"weight_ih_l{layer}")
            w_hh = getattr(self.lstm, f"weight_hh_l{layer}")
            pre = x @ w_ih.t()  # input projection for all steps at once
            if self.cfg.bias:
                pre = pre + getattr(self.lstm, f"bias_ih_l{layer}")
                pre = pre + getattr(self.lstm, f"bias_hh_l{layer}")
            h, c = h0[layer], c0[layer]
            outs = []
            for t in range(x.shape[1]):
                gates = pre[:, t] + h @ w_hh.t()
                i, f, g, o = gates.chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                outs.append(h)
            x = torch.stack(outs, dim=1)
            hs.append(h)
            cs.append(c)
        return x, (torch.stack(hs), torch.stack(cs))

    def initial_state(self, batch: int, device: torch.device | str = "cpu") -> tuple:
        """Zero ``(h, c)`` of shape ``(layers, batch, width)``."""
        z = torch.zeros(self.cfg.n_layers, batch, self.cfg.width, device=device)
        return (z, z.clone())

    def forward(
        self, idx: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Logits ``(B, T, V)`` and the final state; pass the state back (detached) next time."""
        if state is None:
            state = self.initial_state(idx.shape[0], idx.device)
        x = self.emb(idx)
        if self.reference:
            x, state = self._reference_lstm(x, state)
        else:
            x, state = self.lstm(x, state)
        w = self.emb.weight if self.head is None else self.head.weight
        return x @ w.t(), state


def build_model(cfg: RunConfig) -> nn.Module:
    """The model a configuration describes (``cfg.vocab_size`` must be set)."""
    if cfg.vocab_size <= 0:
        raise ValueError("set cfg.vocab_size from the corpus first")
    cfg.validate()
    return LSTMLM(cfg) if cfg.arch == "lstm" else TransformerLM(cfg)


def count_parameters(model: nn.Module) -> dict[str, int]:
    """Trainable parameters.

    Returns
    -------
    dict
        ``total`` (the tied embedding counted once), ``embedding`` (token and learned-position
        tables), ``non_embedding``, and ``flop`` — the parameters that take part in a matrix
        multiply per token: ``total`` less a learned position table, which is only looked up.
    """
    total = sum(p.numel() for p in model.parameters() if p.requires_grad)
    emb = model.emb.weight.numel()
    pos = model.pos_emb.weight.numel() if getattr(model, "pos_emb", None) is not None else 0
    return {
        "total": total,
        "embedding": emb + pos,
        "non_embedding": total - emb - pos,
        "flop": total - pos,
    }
