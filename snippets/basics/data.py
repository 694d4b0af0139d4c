# profiles: cpu
# --8<-- [start:imports]
import tempfile
from pathlib import Path

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import (
    DataLoader, Dataset, TensorDataset, WeightedRandomSampler,
)

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:tensor-dataset]
features = torch.randn(10, 3)
labels = torch.arange(10) % 2
dataset = TensorDataset(features, labels)

print(len(dataset))
x, y = dataset[0]
print(x, y)
# --8<-- [end:tensor-dataset]


# --8<-- [start:batch-size]
loader = DataLoader(dataset, batch_size=4)
print(len(loader), [len(yb) for xb, yb in loader])

loader = DataLoader(dataset, batch_size=4, drop_last=True)
print(len(loader), [len(yb) for xb, yb in loader])
# --8<-- [end:batch-size]


# --8<-- [start:shuffle]
loader = DataLoader(range(10), batch_size=5, shuffle=True)  # (1)!
for epoch in range(2):
    print(epoch, [batch.tolist() for batch in loader])
# --8<-- [end:shuffle]


# --8<-- [start:default-collate]
class Records(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        x = torch.full((2,), float(i))
        return {"x": x, "label": i % 2, "weight": i / 2, "name": f"item{i}"}


batch = next(iter(DataLoader(Records(), batch_size=3)))
for key, value in batch.items():
    print(key, value)
# --8<-- [end:default-collate]


# --8<-- [start:unequal-lengths]
class Sentences(Dataset):
    """Token ids of sentences with different lengths, and a label per sentence."""

    def __init__(self, lengths):
        self.sentences = [torch.randint(1, 100, (n,)) for n in lengths]

    def __len__(self):
        return len(self.sentences)

    def __getitem__(self, i):
        return self.sentences[i], i % 2


sentences = Sentences([3, 5, 2, 4])
try:
    next(iter(DataLoader(sentences, batch_size=2)))
except RuntimeError as error:
    print(error)
# --8<-- [end:unequal-lengths]


# --8<-- [start:collate-fn]
def pad_batch(samples):
    sequences, labels = zip(*samples, strict=True)  # (1)!
    lengths = torch.tensor([len(s) for s in sequences])
    padded = pad_sequence(sequences, batch_first=True, padding_value=0)  # (2)!
    return padded, lengths, torch.tensor(labels)


loader = DataLoader(sentences, batch_size=2, collate_fn=pad_batch)
for padded, lengths, labels in loader:
    print(padded)
    print(lengths, labels)

mask = torch.arange(padded.shape[1]) < lengths[:, None]  # (3)!
print(mask)
# --8<-- [end:collate-fn]


# --8<-- [start:transform]
class Transformed(Dataset):
    def __init__(self, base, transform):
        self.base = base
        self.transform = transform

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        x, y = self.base[i]
        return self.transform(x), y


def jitter(x):
    return x + torch.normal(0.0, 0.1, size=x.shape)  # noise: mean 0, std 0.1


augmented = Transformed(dataset, jitter)
print(augmented[0][0])
print(augmented[0][0])  # the same sample, a different random jitter
print(dataset[0][0])  # the data itself is unchanged
# --8<-- [end:transform]


# --8<-- [start:files]
class Files(Dataset):
    def __init__(self, folder):
        self.paths = sorted(Path(folder).glob("*.pt"))  # (1)!

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        sample = torch.load(self.paths[i])  # (2)!
        return sample["x"], sample["y"]


with tempfile.TemporaryDirectory() as folder:
    for i in range(6):  # write six small files, one sample each
        sample = {"x": torch.randn(3), "y": i % 2}
        torch.save(sample, Path(folder) / f"{i:03d}.pt")

    files = Files(folder)
    print(len(files), [path.name for path in files.paths])
    xb, yb = next(iter(DataLoader(files, batch_size=4)))
    print(xb.shape, yb)
# --8<-- [end:files]


# --8<-- [start:imbalanced]
labels = torch.tensor([0] * 90 + [1] * 10)
imbalanced = TensorDataset(torch.randn(100, 3), labels)

loader = DataLoader(imbalanced, batch_size=10, shuffle=True)
print([(yb == 1).sum().item() for xb, yb in loader])
# --8<-- [end:imbalanced]


# --8<-- [start:weighted-sampler]
counts = torch.bincount(labels)
weights = 1.0 / counts[labels]  # (1)!
print(counts, 1.0 / counts)

sampler = WeightedRandomSampler(
    weights, num_samples=len(imbalanced), replacement=True,
    generator=torch.Generator().manual_seed(0),
)
loader = DataLoader(imbalanced, batch_size=10, sampler=sampler)
batches = [yb for xb, yb in loader]  # one epoch
print([(yb == 1).sum().item() for yb in batches])
print(torch.bincount(torch.cat(batches)))
# --8<-- [end:weighted-sampler]
