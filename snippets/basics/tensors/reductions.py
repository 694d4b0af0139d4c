# profiles: cpu
import torch

# --8<-- [start:reduce-along-a-dim]
scores = torch.tensor([[1.0, 5.0, 2.0], [4.0, 0.0, 6.0]])
print(scores.sum())
print(scores.sum(dim=0))
print(scores.sum(dim=1))
print(scores.sum(dim=1, keepdim=True))
print(scores / scores.sum(dim=1, keepdim=True))
# --8<-- [end:reduce-along-a-dim]

# --8<-- [start:argmax-and-max]
print(scores.argmax(dim=1))
values, indices = scores.max(dim=1)
print(values)
print(indices)
# --8<-- [end:argmax-and-max]
