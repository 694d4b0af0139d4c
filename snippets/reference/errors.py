# profiles: cpu
import pickle
import warnings

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

# --8<-- [start:mat1-mat2-shapes]
images = torch.randn(64, 1, 28, 28)  # 64 grey images, 28×28 pixels each
model = nn.Sequential(nn.Flatten(), nn.Linear(28, 10))
try:
    model(images)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
print(model(images).shape)
# --8<-- [end:mat1-mat2-shapes]

# --8<-- [start:invalid-shape]
# 60000 images in batches of 64: the last one holds 32
last_batch = torch.randn(32, 1, 28, 28)
try:
    last_batch.view(64, 784)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(last_batch.view(last_batch.shape[0], -1).shape)
print(last_batch.flatten(1).shape)
# --8<-- [end:invalid-shape]

# --8<-- [start:batch-size-mismatch]
images = torch.randn(4, 3, 28, 28)  # 4 color images: 3 channels
labels = torch.tensor([0, 2, 1, 2])
model = nn.Linear(28 * 28, 10)  # written for grayscale images
logits = model(images.view(-1, 28 * 28))
print(logits.shape)
try:
    nn.functional.cross_entropy(logits, labels)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

try:
    # keeps the batch dimension: the mistake shows where it is
    model(images.flatten(1))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

model = nn.Linear(3 * 28 * 28, 10)
print(model(images.flatten(1)).shape)
# --8<-- [end:batch-size-mismatch]

# --8<-- [start:stack-equal-size]
sequences = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]),
             torch.tensor([6]), torch.tensor([7, 8])]
loader = DataLoader(sequences, batch_size=2)
try:
    next(iter(loader))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")


def pad_batch(batch):
    # pad with 0 to the longest
    return nn.utils.rnn.pad_sequence(batch, batch_first=True)


loader = DataLoader(sequences, batch_size=2, collate_fn=pad_batch)
for batch in loader:
    print(batch)
# --8<-- [end:stack-equal-size]

# --8<-- [start:cat-sizes]
features = torch.zeros(4, 3)
extra = torch.ones(5, 2)  # one row more than features
try:
    torch.cat([features, extra], dim=1)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

extra = torch.ones(4, 2)
print(torch.cat([features, extra], dim=1).shape)
# --8<-- [end:cat-sizes]

# --8<-- [start:conv-channels]
conv = nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3)
# height, width, channels: how image libraries store a picture
image = torch.rand(32, 32, 3)
try:
    conv(image)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

batch = image.permute(2, 0, 1).unsqueeze(0)  # channels first, then a batch of one
print(batch.shape, conv(batch).shape)
# --8<-- [end:conv-channels]

# --8<-- [start:conv-input-dims]
conv = nn.Conv2d(in_channels=1, out_channels=8, kernel_size=3)
digit = torch.zeros(28, 28)  # one grayscale image: height, width, no channels
try:
    conv(digit)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(conv(digit.unsqueeze(0)).shape)  # (1, 28, 28): one channel

digits = torch.zeros(64, 28, 28)  # 64 grayscale images, no channel dimension
try:
    conv(digits)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(conv(digits.unsqueeze(1)).shape)  # (64, 1, 28, 28)
# --8<-- [end:conv-input-dims]

# --8<-- [start:dim-out-of-range]
scores = torch.tensor([0.2, 1.5, -0.3])  # one sample's 3 class scores, no batch
try:
    scores.argmax(dim=1)
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

print(scores.argmax(dim=-1))  # the last dimension, with or without a batch
print(scores.unsqueeze(0).argmax(dim=1))  # or make it a batch of one
# --8<-- [end:dim-out-of-range]

# --8<-- [start:ragged-lists]
sentences = [[4, 8, 15], [16, 23]]  # token ids: the sentences differ in length
try:
    torch.tensor(sentences)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

padded = nn.utils.rnn.pad_sequence(
    [torch.tensor(s) for s in sentences], batch_first=True, padding_value=0
)
print(padded)
# --8<-- [end:ragged-lists]

# --8<-- [start:mat1-mat2-dtype]
features = np.random.default_rng(0).random((8, 4))  # NumPy makes float64
x = torch.from_numpy(features)
print(x.dtype)
layer = nn.Linear(4, 2)
try:
    layer(x)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(layer(x.float()).dtype)

conv = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3)
pixels = torch.from_numpy(np.random.default_rng(0).random((1, 1, 8, 8)))
try:
    conv(pixels)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:mat1-mat2-dtype]

# --8<-- [start:integer-requires-grad]
try:
    w = torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(w.dtype)
# --8<-- [end:integer-requires-grad]

# --8<-- [start:result-type-cast]
counts = torch.tensor([1, 2, 3])
try:
    counts += 0.5
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(counts + 0.5)
# --8<-- [end:result-type-cast]

# --8<-- [start:target-dtype]
loss_fn = nn.CrossEntropyLoss()
logits = torch.randn(4, 3)  # 4 samples, 3 classes
labels = torch.tensor([0.0, 2.0, 1.0, 2.0])  # class numbers read as floats
try:
    loss_fn(logits, labels)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(loss_fn(logits, labels.long()))
# --8<-- [end:target-dtype]

# --8<-- [start:target-probabilities]
one_hot = nn.functional.one_hot(torch.tensor([0, 2, 1, 2]), num_classes=3)
print(one_hot)
try:
    loss_fn(logits, one_hot)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(loss_fn(logits, one_hot.argmax(1)))  # back to class numbers
print(loss_fn(logits, one_hot.float()))  # or as probabilities: the same loss
# --8<-- [end:target-probabilities]

# --8<-- [start:target-shape]
labels = torch.tensor([[0], [2], [1], [2]])  # one column: shape (4, 1)
try:
    loss_fn(logits, labels)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(labels.squeeze(1).shape, loss_fn(logits, labels.squeeze(1)))
# --8<-- [end:target-shape]

# --8<-- [start:expected-target-size]
scores = torch.zeros(4, 7, 3)  # a sequence model's: (batch, length 7, classes 3)
tags = torch.zeros(4, 7, dtype=torch.long)  # a class for each position
try:
    loss_fn(scores, tags)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(loss_fn(scores.transpose(1, 2), tags))  # classes second: (4, 3, 7)
# --8<-- [end:expected-target-size]

# --8<-- [start:target-out-of-bounds]
labels = torch.tensor([1, 3, 2, 3])  # classes numbered 1, 2, 3
try:
    loss_fn(logits, labels)
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

print(loss_fn(logits, labels - 1))  # numbered 0, 1, 2
# --8<-- [end:target-out-of-bounds]

# --8<-- [start:target-size-warning]
predictions = torch.randn(4, 1)  # a regression model: one number per sample
targets = torch.randn(4)
# broadcasting: every prediction against every target
print((predictions - targets).shape)
with warnings.catch_warnings():
    warnings.simplefilter("error")  # warnings become errors: stop at the first
    try:
        nn.functional.mse_loss(predictions, targets)
    except UserWarning as warning:
        print(f"{type(warning).__name__}: {warning}")

print(nn.functional.mse_loss(predictions.squeeze(1), targets))

# a binary classifier's loss raises instead, worded differently
logits = torch.zeros(4, 1)  # one logit per sample
labels = torch.tensor([1.0, 0.0, 1.0, 1.0])
try:
    nn.functional.binary_cross_entropy_with_logits(logits, labels)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:target-size-warning]

# --8<-- [start:index-out-of-range]
# a vocabulary of 10 words: ids 0 to 9
embedding = nn.Embedding(num_embeddings=10, embedding_dim=4)
# 10: the padding id, added after the vocabulary was built
ids = torch.tensor([[1, 5, 10]])
try:
    embedding(ids)
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

# the 10 words and the padding id
embedding = nn.Embedding(num_embeddings=10 + 1, embedding_dim=4)
print(embedding(ids).shape)
# --8<-- [end:index-out-of-range]

# --8<-- [start:numpy-requires-grad]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = w * 2
try:
    y.numpy()
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(y.detach().numpy())
# --8<-- [end:numpy-requires-grad]

# --8<-- [start:item-many-elements]
predicted = torch.tensor([0, 2, 1, 1])
labels = torch.tensor([0, 2, 1, 2])
correct = predicted == labels
try:
    correct.item()
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print(correct.sum().item(), correct.float().mean().item())
# --8<-- [end:item-many-elements]

# --8<-- [start:ambiguous-bool]
x = torch.tensor([0.5, -1.0, 2.0])
try:
    if x > 0:
        print("positive")
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

print((x > 0).all().item(), (x > 0).any().item())
print(torch.where(x > 0, x, 0.0))
# --8<-- [end:ambiguous-bool]

# --8<-- [start:zero-dim-index]
loss = nn.functional.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 2.5]))
try:
    print(loss[0])  # old code wrote loss.data[0]
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

print(loss.item())
# --8<-- [end:zero-dim-index]

# --8<-- [start:loader-not-iterator]
dataset = TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
loader = DataLoader(dataset, batch_size=4)
try:
    next(loader)
except TypeError as error:
    print(f"{type(error).__name__}: {error}")
try:
    loader[0]
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

features, labels = next(iter(loader))  # the first batch
print(features.shape, labels)
print(next(iter(loader))[1])  # a new iter() starts over: the first batch again
print(dataset[5])  # one sample: index the dataset
# --8<-- [end:loader-not-iterator]

# --8<-- [start:empty-dataset]
# the list of files came out empty: a wrong folder, or a pattern matching nothing
dataset = TensorDataset(torch.zeros(0, 3))
try:
    DataLoader(dataset, batch_size=4, shuffle=True)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")

loader = DataLoader(dataset, batch_size=4)  # no shuffle: no error, and no batch
print(len(dataset), len(loader), list(loader))
# --8<-- [end:empty-dataset]

# --8<-- [start:missing-forward]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(4, 2)

    def foward(self, x):  # misspelt
        return self.layer(x)


try:
    Net()(torch.randn(1, 4))
except NotImplementedError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:missing-forward]

# --8<-- [start:missing-super-init]
class Net(nn.Module):
    def __init__(self):
        self.layer = nn.Linear(4, 2)  # before super().__init__()

    def forward(self, x):
        return self.layer(x)


try:
    Net()
except AttributeError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:missing-super-init]

# --8<-- [start:weights-only]
def make_model(classes=3):
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, classes))


model = make_model()
torch.save(model, "model.pt")  # the whole model object, pickled
try:
    torch.load("model.pt")
except pickle.UnpicklingError as error:
    print(f"{type(error).__name__}: {str(error).split('.')[0]}")

torch.save(model.state_dict(), "weights.pt")  # only the tensors
restored = make_model()  # build the model first, then read the tensors into it
print(restored.load_state_dict(torch.load("weights.pt")))
# --8<-- [end:weights-only]

# --8<-- [start:load-state-dict]
bigger = make_model(classes=5)
try:
    bigger.load_state_dict(torch.load("weights.pt"))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:load-state-dict]
