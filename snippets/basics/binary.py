# profiles: cpu
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_breast_cancer
from torch import nn

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
cancer = load_breast_cancer()  # ships with scikit-learn: nothing to download
X = torch.tensor(cancer.data, dtype=torch.float32)
y = torch.tensor(cancer.target == 0, dtype=torch.float32)  # 1 = malignant: the class to find
print(X.shape, cancer.target_names)
print(int(y.sum()), int(len(y) - y.sum()))
# --8<-- [end:data]


# --8<-- [start:split]
def stratified_split(y, fractions, generator):
    """Split each class (labels 0 and 1) by the same fractions, so every part keeps the classes'
    proportions, up to rounding. Each part comes back ordered by class: shuffle it before batching."""
    parts = [[] for _ in fractions]
    for label in (0, 1):
        idx = (y == label).nonzero().squeeze(1)
        idx = idx[torch.randperm(len(idx), generator=generator)]
        sizes = [round(f * len(idx)) for f in fractions[:-1]]
        sizes.append(len(idx) - sum(sizes))
        for part, chunk in zip(parts, idx.split(sizes), strict=True):
            part.append(chunk)
    return [torch.cat(part) for part in parts]


train_idx, val_idx, test_idx = stratified_split(y, [0.6, 0.2, 0.2], torch.Generator().manual_seed(0))
for idx in (train_idx, val_idx, test_idx):
    print(len(idx), f"{y[idx].mean():.3f}")
# --8<-- [end:split]

# --8<-- [start:train]
mean, std = X[train_idx].mean(dim=0), X[train_idx].std(dim=0)
Z = (X - mean) / std
model = nn.Linear(30, 1)  # logistic regression: one logit per sample
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.BCEWithLogitsLoss()
for _ in range(500):
    optimizer.zero_grad()
    loss = loss_fn(model(Z[train_idx]).squeeze(1), y[train_idx])
    loss.backward()
    optimizer.step()
with torch.no_grad():
    scores = torch.sigmoid(model(Z).squeeze(1))  # the model's score for malignant (often read as a probability)
print(f"loss {loss.item():.4f}")
# --8<-- [end:train]


# --8<-- [start:confusion]
def confusion(pred, target):
    """The four counts of a binary confusion matrix; pred and target are bool tensors."""
    tp = (pred & target).sum().item()
    fp = (pred & ~target).sum().item()
    fn = (~pred & target).sum().item()
    tn = (~pred & ~target).sum().item()
    return tp, fp, fn, tn


val_scores, val_true = scores[val_idx], y[val_idx].bool()
tp, fp, fn, tn = confusion(val_scores >= 0.5, val_true)
print("                predicted malignant   benign")
print(f"true malignant  {tp:19}   {fn:6}")
print(f"true benign     {fp:19}   {tn:6}")
print(f"accuracy {(tp + tn) / (tp + fp + fn + tn):.3f}")
print(f"always benign: accuracy {(1 - y[val_idx].mean()).item():.3f}")
# --8<-- [end:confusion]

# --8<-- [start:precision-recall]
precision = tp / (tp + fp)  # of those flagged malignant, how many are
recall = tp / (tp + fn)  # of the malignant, how many are flagged
f1 = 2 * precision * recall / (precision + recall)
print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
# --8<-- [end:precision-recall]

# --8<-- [start:thresholds]
recall_at = {}
for threshold in (0.9, 0.5, 0.2, 0.1, 0.05):
    tp, fp, fn, tn = confusion(val_scores >= threshold, val_true)
    recall_at[threshold] = tp / (tp + fn)
    # precision: tp + fp is 0 for a threshold above every score
    print(f"threshold {threshold:4}  precision {tp / (tp + fp):.3f}  recall {recall_at[threshold]:.3f}  FN {fn:2}  FP {fp}")
chosen = max(t for t, r in recall_at.items() if r >= 0.95)  # the highest tried that finds 95 %
print("chosen", chosen)
# --8<-- [end:thresholds]

# --8<-- [start:roc]
order = val_scores.argsort(descending=True)
hits = val_true[order].float()
tpr = torch.cat([torch.zeros(1), hits.cumsum(0) / hits.sum()])  # recall, as the threshold goes down
fpr = torch.cat([torch.zeros(1), (1 - hits).cumsum(0) / (1 - hits).sum()])
print(f"AUC {torch.trapezoid(tpr, x=fpr):.4f}")
pos, neg = val_scores[val_true], val_scores[~val_true]
higher = (pos[:, None] > neg[None, :]).float() + 0.5 * (pos[:, None] == neg[None, :]).float()  # a tie: half
print(f"P(malignant scores higher) {higher.mean():.4f}")
# --8<-- [end:roc]

# --8<-- [start:test]
tp, fp, fn, tn = confusion(scores[test_idx] >= chosen, y[test_idx].bool())
print(f"TP {tp}  FP {fp}  FN {fn}  TN {tn}")
print(f"precision {tp / (tp + fp):.3f}  recall {tp / (tp + fn):.3f}")
# --8<-- [end:test]
