# profiles: cpu
# --8<-- [start:imports]
import numpy as np
import torch
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:topk]
logits = torch.tensor([[2.0, 0.5, 1.0, -1.0],
                       [0.1, 0.2, 3.0, 0.3],
                       [1.5, 2.5, 0.0, 0.4]])  # 3 samples, 4 classes
values, indices = logits.topk(2, dim=1)  # the two largest in each row
print(values)
print(indices)
print(logits.argmax(dim=1))
print(logits[0].sort(descending=True))
# --8<-- [end:topk]

# --8<-- [start:gather]
target = torch.tensor([0, 2, 0])  # the right class of each sample
log_probs = F.log_softmax(logits, dim=1)
picked = log_probs.gather(1, target.unsqueeze(1))  # (1)!
print(picked.shape, picked.squeeze(1))
print(log_probs[torch.arange(3), target])  # the same, by indexing
print(-picked.mean(), F.nll_loss(log_probs, target))
# --8<-- [end:gather]

# --8<-- [start:gather-errors]
for index in [target, torch.tensor([[4], [0], [1]])]:
    try:
        log_probs.gather(1, index)
    except RuntimeError as error:
        print(error)
# --8<-- [end:gather-errors]

# --8<-- [start:scatter]
one_hot = torch.zeros(3, 4).scatter_(1, target.unsqueeze(1), 1.0)  # (1)!
print(one_hot)
print(F.one_hot(target, num_classes=4))
# --8<-- [end:scatter]

# --8<-- [start:index-add]
loss = torch.tensor([0.3, 1.2, 0.5, 0.9, 0.1])  # one loss per sample
label = torch.tensor([0, 2, 0, 1, 2])  # each sample's class
sums = torch.zeros(3).index_add_(0, label, loss)
counts = torch.bincount(label, minlength=3)
print(sums, counts, sums / counts)
worst = torch.zeros(3).scatter_reduce(0, label, loss, reduce="amax",
                                      include_self=False)
print(worst)
# --8<-- [end:index-add]

# --8<-- [start:duplicates]
index = torch.tensor([0, 0, 1])  # 0 twice
x = torch.zeros(3)
x[index] += 1
print(x)
x = torch.zeros(3)
x.index_put_((index,), torch.tensor(1.0), accumulate=True)
print(x)
# --8<-- [end:duplicates]

# --8<-- [start:masked-fill]
scores = torch.tensor([[1.0, 2.0, 3.0, 0.0],
                       [0.5, 0.5, 0.0, 0.0]])
padding = torch.tensor([[False, False, False, True],
                        [False, False, True, True]])  # True: padding
masked = scores.masked_fill(padding, float("-inf"))
print(torch.softmax(masked, dim=1))
# --8<-- [end:masked-fill]

# --8<-- [start:top-p]
p = 0.8
probs = F.softmax(logits, dim=1)
sorted_probs, order = probs.sort(dim=1, descending=True)
before = sorted_probs.cumsum(dim=1) - sorted_probs  # (1)!
print(before)
sorted_probs = sorted_probs.masked_fill(before >= p, 0.0)
kept = torch.zeros_like(probs).scatter(1, order, sorted_probs)  # (2)!
kept = kept / kept.sum(dim=1, keepdim=True)
print(kept)
generator = torch.Generator().manual_seed(0)
print(torch.multinomial(kept, 8, replacement=True, generator=generator))
# --8<-- [end:top-p]

# --8<-- [start:bucketize]
ages = torch.tensor([5, 18, 30, 35, 70])
edges = torch.tensor([18, 35, 60])  # under 18, 18-34, 35-59, 60 and over
print(torch.bucketize(ages, edges))
print(torch.bucketize(ages, edges, right=True))
print(torch.searchsorted(edges, ages, right=True))
print(np.digitize(ages.numpy(), edges.numpy()))
# --8<-- [end:bucketize]

# --8<-- [start:inverse-cdf]
cdf = probs.cumsum(dim=1)  # probs: from top-p above; each row rises to 1, or nearly
print(cdf[:, -1] == 1, cdf[1, -1].item())
largest = torch.tensor([[1 - 2**-24]])  # the largest float32 below 1: CPU torch.rand can return it
print(torch.searchsorted(cdf[1:2], largest, right=True))
cdf = cdf / cdf[:, -1:]  # x / x is exactly 1
u = torch.rand(3, 100_000, generator=generator)
draws = torch.searchsorted(cdf, u, right=True)  # (1)!
print(F.one_hot(draws, 4).float().mean(dim=1))
print(probs)
# --8<-- [end:inverse-cdf]
