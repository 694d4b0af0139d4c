# profiles: cpu
# compare: same-cpu (thousands of optimizer steps: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn import functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn

torch.manual_seed(0)
torch.set_num_threads(1)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:toy]
lr, steps, last = 0.1, 1000, 500
w = torch.full((1000,), 5.0)  # (1)!
ema, mean = w.clone(), torch.zeros_like(w)
for step in range(1, steps + 1):
    w = w - lr * (w + torch.randn_like(w))  # (2)!
    ema = 0.99 * ema + 0.01 * w  # (3)!
    if step > steps - last:
        mean += w / last  # (4)!


def rms(v):
    return v.pow(2).mean().sqrt().item()


print(f"last step {rms(w):.3f}, moving average {rms(ema):.3f}, mean of the last {last} steps {rms(mean):.3f}")
# --8<-- [end:toy]

# --8<-- [start:setup]
n = 1000
x = torch.rand(n, 1) * 8 - 4
y = torch.sin(x) + 0.3 * torch.randn(n, 1)  # (1)!
grid = torch.linspace(-4, 4, 500).unsqueeze(1)


def error(model):
    """Mean squared distance from the true curve sin(x), on a grid over the data's range."""
    training = model.training
    model.eval()
    with torch.no_grad():
        result = F.mse_loss(model(grid), torch.sin(grid)).item()
    model.train(training)
    return result


def net(batchnorm=False):
    torch.manual_seed(1)  # (2)!
    norm = nn.BatchNorm1d if batchnorm else nn.Identity
    return nn.Sequential(nn.Linear(1, 64), norm(64), nn.Tanh(), nn.Linear(64, 64), norm(64), nn.Tanh(), nn.Linear(64, 1))


epochs = 100


def train(model, cosine=False, emas=(), swas=(), report=()):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs) if cosine else None  # (3)!
    for epoch in range(1, epochs + 1):
        for batch in torch.randperm(n).split(64):
            loss = F.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            for average in emas:
                average.update_parameters(model)  # (4)!
        if scheduler is not None:
            scheduler.step()
        if epoch > epochs // 2:
            for average in swas:
                average.update_parameters(model)  # (5)!
        if epoch in report:
            averages = [f"{error(m):9.4f}" if m.n_averaged > 0 else f"{'-':>9}" for m in [*emas, *swas]]  # (6)!
            print(f"{epoch:5}{error(model):9.4f}" + "".join(averages))
    return model
# --8<-- [end:setup]

# --8<-- [start:averages]
model = net()
emas = [AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay)) for decay in (0.9, 0.99, 0.999)]  # (1)!
swa = AveragedModel(model)  # (2)!
print("epoch    model  ema.9  ema.99 ema.999      swa")
train(model, emas=emas, swas=[swa], report=(1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100))
# --8<-- [end:averages]

# --8<-- [start:warmup]
def ema_with_warmup(decay):
    def update(averaged, current, n_averaged):  # (1)!
        d = ((1 + n_averaged) / (10 + n_averaged)).clamp(max=decay)  # (2)!
        for a, c in zip(averaged, current, strict=True):
            a.lerp_(c, 1 - d)  # a + (1 - d) * (c - a), that is d * a + (1 - d) * c

    return update


model = net()
ema = AveragedModel(model, multi_avg_fn=ema_with_warmup(0.999))
print("epoch    model  warm.999")
train(model, emas=[ema], report=(1, 5, 10, 20, 50, 100))
# --8<-- [end:warmup]

# --8<-- [start:cosine]
print(f"cosine schedule, last step: {error(train(net(), cosine=True)):.4f}")
# --8<-- [end:cosine]

# --8<-- [start:batchnorm]
model = net(batchnorm=True)
swa = AveragedModel(model)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.99), use_buffers=True)  # (1)!
train(model, emas=[ema], swas=[swa])
print(f"model {error(model):.4f}, swa {error(swa):.4f}, ema with use_buffers {error(ema):.4f}")
update_bn(x.split(100), swa)  # (2)!
print(f"swa after update_bn {error(swa):.4f}")
# --8<-- [end:batchnorm]
