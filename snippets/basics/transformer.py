# profiles: cpu
# compare: same-cpu (600 training steps: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
VOCAB = "0123456789+="  # every character the model will ever see
stoi = {ch: i for i, ch in enumerate(VOCAB)}


def encode(text):
    return [stoi[ch] for ch in text]


def decode(ids):
    return "".join(VOCAB[i] for i in ids)


problems = [f"{a:02d}+{b:02d}={a + b:03d}"
            for a in range(100) for b in range(100)]
print(len(problems), problems[:3], problems[-1])
data = torch.tensor([encode(p) for p in problems])
print(data.shape, data[2345].tolist(), decode(data[2345].tolist()))

perm = torch.randperm(len(data), generator=torch.Generator().manual_seed(0))
train_data = data[perm[:8000]]
val_data = data[perm[8000:9000]]  # watched during training
test_data = data[perm[9000:]]  # used once, at the end
print(len(train_data), len(val_data), len(test_data))
# --8<-- [end:data]


# --8<-- [start:attention]
def causal_attention(q, k, v):
    """Each position mixes the values of itself and the positions before it."""
    t = q.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    future = torch.ones(t, t, dtype=torch.bool).triu(diagonal=1)
    weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
    return weights @ v, weights


q, k, v = torch.randn(3, 4, 8).unbind()  # 4 positions, 8 numbers each
out, weights = causal_attention(q, k, v)
print(weights)
print(torch.allclose(out, F.scaled_dot_product_attention(q, k, v, is_causal=True),
                     atol=1e-6))
# --8<-- [end:attention]


# --8<-- [start:model]
class Block(nn.Module):
    """One Transformer block: attention, then a small MLP at each position."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.RMSNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)  # q, k and v in one product
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.RMSNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(),
                                 nn.Linear(4 * dim, dim))

    def forward(self, x):
        b, t, dim = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(dim, dim=-1)
        # (b, t, dim) -> (b, heads, t, dim // heads): each head attends on its own
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2)
                   for z in (q, k, v))
        mixed = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(mixed.transpose(1, 2).reshape(b, t, dim))
        return x + self.mlp(self.norm2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab, length=8, dim=64, heads=4, layers=2):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim)
        self.positions = nn.Embedding(length, dim)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(layers)])
        self.norm = nn.RMSNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):  # ids: (batch, t) -> logits: (batch, t, vocab)
        x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        return self.head(self.norm(self.blocks(x)))


model = TinyGPT(len(VOCAB))
print(sum(p.numel() for p in model.parameters()), "parameters")
print(model(data[:2, :6]).shape)
# --8<-- [end:model]

# --8<-- [start:targets]
PROMPT = 6  # "23+45=": the model only has to write what comes after


def loss_on(batch):
    inputs, targets = batch[:, :-1], batch[:, 1:].clone()
    targets[:, :PROMPT - 1] = -100  # predicting the prompt itself does not count
    logits = model(inputs)
    return F.cross_entropy(logits.reshape(-1, len(VOCAB)), targets.reshape(-1),
                           ignore_index=-100)


print(data[2345, :-1].tolist())
print(data[2345, 1:].tolist())
print(f"{loss_on(train_data).item():.4f}  ln 12 = {math.log(len(VOCAB)):.4f}")
# --8<-- [end:targets]


# --8<-- [start:generate]
@torch.no_grad()
def answer(prompts):
    """Greedy decoding: add the likeliest next character, three times."""
    ids = prompts
    for _ in range(3):
        logits = model(ids)[:, -1]  # the prediction made at the last position
        ids = torch.cat([ids, logits.argmax(dim=-1, keepdim=True)], dim=1)
    return ids[:, PROMPT:]


def accuracy(batch):
    model.eval()
    right = (answer(batch[:, :PROMPT]) == batch[:, PROMPT:]).all(dim=1)
    model.train()
    return right.float().mean().item()


questions = ["23+45=", "99+99=", "21+79=", "33+67="]
seen = {decode(row) for row in train_data[:, :PROMPT].tolist()}
print([q in seen for q in questions])  # which ones it will be trained on
prompts = torch.tensor([encode(q) for q in questions])
print([decode(row) for row in answer(prompts).tolist()])
print(f"validation accuracy {accuracy(val_data):.3f}")
# --8<-- [end:generate]

# --8<-- [start:train]
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
batches = torch.Generator().manual_seed(0)
for step in range(1, 601):
    batch = train_data[torch.randint(len(train_data), (128,), generator=batches)]
    loss = loss_on(batch)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step}  loss {loss.item():.4f}  "
              f"validation accuracy {accuracy(val_data):.3f}")
# --8<-- [end:train]

# --8<-- [start:evaluate]
print(f"train {accuracy(train_data):.4f}  test {accuracy(test_data):.4f}")
print([decode(row) for row in answer(prompts).tolist()])

model.eval()
right = (answer(test_data[:, :PROMPT]) == test_data[:, PROMPT:]).all(dim=1)
units = test_data[:, 1] + test_data[:, 4]  # a digit's token id is the digit
sums = (test_data[:, 6:] * torch.tensor([100, 10, 1])).sum(dim=1)
groups = {
    "units add up to 0-9": units <= 9,
    "units add up to 11-18": units >= 11,
    "units add up to 10,": units == 10,
    "  and the sum is 100": (units == 10) & (sums == 100),
    "  and any other sum": (units == 10) & (sums != 100),
}
for name, group in groups.items():
    print(f"{name:<22} {right[group].float().mean():.3f} of {group.sum()}")
# --8<-- [end:evaluate]
