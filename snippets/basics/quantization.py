# profiles: cpu
# compare: same-cpu (training and fine-tuning: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import copy

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
torch.set_num_threads(1)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:model]
digits = load_digits()  # 8x8 images of handwritten digits; ships with scikit-learn
X = torch.tensor(digits.images, dtype=torch.float32).flatten(1)  # (1797, 64)
y = torch.tensor(digits.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train = X[perm[:1400]], y[perm[:1400]]
X_test, y_test = X[perm[1400:]], y[perm[1400:]]
mean, std = X_train.mean(), X_train.std()
X_train, X_test = (X_train - mean) / std, (X_test - mean) / std


def train(model, epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for batch in torch.randperm(len(X_train), generator=order).split(64):
            loss = F.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def predict(model):
    with torch.no_grad():
        return model(X_test).argmax(dim=1)


def report(name, predictions):
    accuracy = (predictions == y_test).float().mean().item()
    changed = (predictions != reference).sum().item()  # (1)!
    print(f"{name:<24} accuracy {accuracy:.3f}, {changed:3} of {len(y_test)} predictions changed")


model = train(nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)), epochs=30)
reference = predict(model)
report("float32", reference)
# --8<-- [end:model]

# --8<-- [start:one-tensor]
def quantize(w, bits=8, per_channel=False):
    qmax = 2 ** (bits - 1) - 1  # (1)!
    amax = w.abs().amax(dim=1, keepdim=True) if per_channel else w.abs().amax()  # (2)!
    scale = amax / qmax
    q = (w / scale).round().clamp(-qmax, qmax).to(torch.int8)
    return q, scale


w = model[0].weight.detach()
q, scale = quantize(w)
print(q.dtype, q[0, :6].tolist(), f"scale {scale:.6f}")
print(w[0, :6])
print(f"largest error {(q * scale - w).abs().max():.6f}, half the scale {scale / 2:.6f}")  # (3)!
print(f"bytes: float32 {w.numel() * w.element_size()}, int8 {q.numel() * q.element_size()}")
# --8<-- [end:one-tensor]

# --8<-- [start:bits]
def fake_quantized(model, bits, per_channel=False):
    model = copy.deepcopy(model)
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                q, scale = quantize(layer.weight, bits, per_channel)
                layer.weight.copy_(q * scale)  # (1)!
    return model


for bits in (8, 4, 3, 2):
    report(f"{bits}-bit, per tensor", predict(fake_quantized(model, bits)))
# --8<-- [end:bits]

# --8<-- [start:per-channel]
w2 = model[2].weight.detach()  # (1)!
row_max = w2.abs().amax(dim=1)
print(f"largest |weight| in each row of layer 2: median {row_max.median():.3f}, largest {row_max.max():.3f}")
for per_channel in (False, True):
    q, _ = quantize(w2, bits=2, per_channel=per_channel)
    print(f"2 bits, per_channel={per_channel}: {(q == 0).float().mean():.1%} of the weights are 0")
for bits in (4, 3, 2):
    report(f"{bits}-bit, per channel", predict(fake_quantized(model, bits, per_channel=True)))
# --8<-- [end:per-channel]

# --8<-- [start:int8-matmul]
with torch.no_grad():  # (1)!
    h, prepared = X_train, {}
    for layer in model:
        if isinstance(layer, nn.Linear):
            prepared[layer] = (h.abs().amax() / 127, *quantize(layer.weight, per_channel=True))
        h = layer(h)


def int8_predict(x):
    largest = 0
    for layer in model:
        if isinstance(layer, nn.Linear):
            x_scale, qw, w_scale = prepared[layer]
            qx = (x / x_scale).round().clamp(-127, 127).to(torch.int8)  # (2)!
            sums = qx.to(torch.int32) @ qw.to(torch.int32).T  # (3)!
            largest = max(largest, sums.abs().max().item())
            x = sums * (x_scale * w_scale.T) + layer.bias.detach()  # (4)!
        else:
            x = layer(x)
    return x.argmax(dim=1), largest


predictions, largest = int8_predict(X_test)
report("int8 weights and inputs", predictions)
print(f"largest integer sum {largest}, int32 holds up to {torch.iinfo(torch.int32).max}")
# --8<-- [end:int8-matmul]

# --8<-- [start:qat]
class FakeQuantLinear(nn.Linear):
    bits = 2

    def forward(self, x):
        q, scale = quantize(self.weight, self.bits, per_channel=True)
        w = self.weight + (q * scale - self.weight).detach()  # (1)!
        return F.linear(x, w, self.bias)


qat = nn.Sequential(FakeQuantLinear(64, 256), nn.ReLU(), FakeQuantLinear(256, 256), nn.ReLU(), FakeQuantLinear(256, 10))
qat.load_state_dict(model.state_dict())  # (2)!
train(qat, epochs=10)
report("2-bit after QAT", predict(fake_quantized(qat, bits=2, per_channel=True)))  # (3)!
longer = train(copy.deepcopy(model), epochs=10)  # (4)!
report("2-bit, 10 more epochs", predict(fake_quantized(longer, bits=2, per_channel=True)))
# --8<-- [end:qat]
