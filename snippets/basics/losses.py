# profiles: cpu
# --8<-- [start:imports]
import torch
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:cross-entropy-by-hand]
logits = torch.tensor([[2.0, 0.5, -1.0],   # 3 samples, 3 classes
                       [0.1, 0.2, 0.3],
                       [-1.0, 3.0, 0.0]])
target = torch.tensor([0, 2, 0])           # each sample's class

probs = logits.softmax(dim=1)
by_hand = -probs[torch.arange(3), target].log()
print(by_hand)
print(F.cross_entropy(logits, target, reduction="none"))
print(F.cross_entropy(logits, target), by_hand.mean())
print(F.nll_loss(logits.log_softmax(dim=1), target))
# --8<-- [end:cross-entropy-by-hand]

# --8<-- [start:soft-targets]
soft = torch.tensor([[0.9, 0.05, 0.05],    # probabilities, one row a sample
                     [0.0, 0.0, 1.0],
                     [0.5, 0.5, 0.0]])
print(F.cross_entropy(logits, soft))

smoothed = F.one_hot(target, 3) * 0.9 + 0.1 / 3
print(F.cross_entropy(logits, target, label_smoothing=0.1),
      F.cross_entropy(logits, smoothed))
# --8<-- [end:soft-targets]

# --8<-- [start:sequence-shape]
batch, length, classes = 2, 5, 10
out = torch.randn(batch, length, classes)   # e.g. one prediction per token
tags = torch.randint(0, classes, (batch, length))
try:
    F.cross_entropy(out, tags)
except RuntimeError as e:
    print(e)
print(F.cross_entropy(out.transpose(1, 2), tags))  # (batch, classes, length)
print(F.cross_entropy(out.reshape(-1, classes), tags.reshape(-1)))
# --8<-- [end:sequence-shape]

# --8<-- [start:sequence-shape-silent]
out = torch.randn(batch, 10, classes)   # now the length is also 10
tags = torch.randint(0, classes, (batch, 10))
print(F.cross_entropy(out, tags))       # no error, and the wrong loss
print(F.cross_entropy(out.transpose(1, 2), tags))
# --8<-- [end:sequence-shape-silent]

# --8<-- [start:ignore-index]
tags = torch.tensor([[3, 1, 4, -100, -100],   # -100: padding, no label
                     [1, 5, 9, 2, 6]])
out = torch.randn(2, 5, classes)
loss = F.cross_entropy(out.transpose(1, 2), tags)

keep = tags != -100
per_token = F.cross_entropy(out[keep], tags[keep], reduction="none")
print(loss, per_token.mean(), keep.sum())
# --8<-- [end:ignore-index]

# --8<-- [start:class-weights]
weight = torch.tensor([1.0, 1.0, 4.0])    # class 2 counts four times as much
per_sample = F.cross_entropy(logits, target, weight=weight, reduction="none")
print(per_sample)
print(F.cross_entropy(logits, target, weight=weight))
print(per_sample.sum() / weight[target].sum(), per_sample.mean())
# --8<-- [end:class-weights]

# --8<-- [start:bce-with-logits]
scores = torch.tensor([[1.5, -0.5, 3.0, -2.0]])   # 4 labels, each yes or no
labels = torch.tensor([[1.0, 0.0, 1.0, 1.0]])     # floats, the same shape
print(F.binary_cross_entropy_with_logits(scores, labels))
print((scores.sigmoid() > 0.5).int())  # predictions: a threshold, not argmax

pos_weight = torch.tensor([1.0, 1.0, 1.0, 3.0])   # a rare label, weighted up
print(F.binary_cross_entropy_with_logits(scores, labels,
                                         pos_weight=pos_weight))
# --8<-- [end:bce-with-logits]

# --8<-- [start:bce-sigmoid-separately]
y = torch.tensor([1.0])
print("logit    sigmoid, then BCELoss     BCEWithLogitsLoss")
for logit in [-10.0, -30.0, -40.0, -120.0]:  # ever more confident mistakes
    z1 = torch.tensor([logit], requires_grad=True)
    loss1 = F.binary_cross_entropy(z1.sigmoid(), y)   # two steps
    loss1.backward()
    z2 = torch.tensor([logit], requires_grad=True)
    loss2 = F.binary_cross_entropy_with_logits(z2, y)  # both in one
    loss2.backward()
    print(f"{logit:5.0f}    loss {loss1.item():5.1f} grad {z1.grad.item():8.1e}"
          f"    loss {loss2.item():5.1f} grad {z2.grad.item():4.1f}")
# --8<-- [end:bce-sigmoid-separately]

# --8<-- [start:regression]
pred = torch.tensor([2.0, 3.0, 5.0, 4.0], requires_grad=True)
true = torch.tensor([2.5, 3.0, 4.5, 40.0])       # the last one: an outlier

for loss_fn in [F.mse_loss, F.l1_loss, F.huber_loss]:  # Huber: delta=1.0
    pred.grad = None
    loss = loss_fn(pred, true)
    loss.backward()
    print(f"{loss_fn.__name__:10} loss {loss.item():7.2f}   "
          f"gradient {pred.grad}")
# --8<-- [end:regression]
