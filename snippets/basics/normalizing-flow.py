# profiles: cpu
# compare: same-cpu (2000 training steps: another CPU model rounds the matrix products differently)
# --8<-- [start:imports]
import math

import torch
from sklearn.datasets import make_moons
from torch import nn
from torch.func import jacrev, vmap

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:change-of-variables]
normal = torch.distributions.Normal(0.0, 1.0)
x = torch.tensor([0.5, 1.0, 2.0, 4.0])
by_hand = normal.log_prob(torch.log(x)) - torch.log(x)  # (1)!
print("by hand  ", by_hand)
print("LogNormal", torch.distributions.LogNormal(0.0, 1.0).log_prob(x))
# --8<-- [end:change-of-variables]

# --8<-- [start:data]
train = torch.tensor(make_moons(2000, noise=0.05, random_state=0)[0], dtype=torch.float32)
test = torch.tensor(make_moons(2000, noise=0.05, random_state=1)[0], dtype=torch.float32)
center, scale = train.mean(dim=0), train.std(dim=0)
train, test = (train - center) / scale, (test - center) / scale  # (1)!
print(train.shape, test.shape)
# --8<-- [end:data]


# --8<-- [start:coupling]
class Coupling(nn.Module):
    """Leaves the coordinate where mask is 1 alone; scales and shifts the other one by amounts computed from it."""

    def __init__(self, mask, hidden=64):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, 4))

    def scale_and_shift(self, kept):
        log_scale, shift = self.net(kept).chunk(2, dim=1)
        log_scale = torch.tanh(log_scale) * (1 - self.mask)  # (1)!
        return log_scale, shift * (1 - self.mask)

    def forward(self, x):  # data side -> noise side, and log |det| of the Jacobian
        log_scale, shift = self.scale_and_shift(x * self.mask)
        return x * torch.exp(log_scale) + shift, log_scale.sum(dim=1)  # (2)!

    def inverse(self, z):  # noise side -> data side
        log_scale, shift = self.scale_and_shift(z * self.mask)  # (3)!
        return (z - shift) * torch.exp(-log_scale)


class Flow(nn.Module):
    def __init__(self, layers=6):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])]
        self.layers = nn.ModuleList(Coupling(masks[i % 2]) for i in range(layers))  # (4)!

    def forward(self, x):
        log_det = x.new_zeros(len(x))
        for layer in self.layers:
            x, layer_log_det = layer(x)
            log_det = log_det + layer_log_det
        return x, log_det

    def log_prob(self, x):  # (5)!
        z, log_det = self(x)
        return -0.5 * (z**2).sum(dim=1) - math.log(2 * math.pi) + log_det

    def inverse(self, z):
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z

    def sample(self, n, generator):
        return self.inverse(torch.randn(n, 2, generator=generator))


flow = Flow()
points = test[:3]
jacobians = vmap(jacrev(lambda x: flow(x[None])[0][0]))(points)  # (6)!
print("slogdet of the Jacobian:", torch.linalg.slogdet(jacobians).logabsdet.detach())
print("sum of log scales:      ", flow(points)[1].detach())
# --8<-- [end:coupling]

# --8<-- [start:train]
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-3)
batches = torch.Generator().manual_seed(0)
for step in range(1, 2001):
    batch = train[torch.randint(len(train), (256,), generator=batches)]
    loss = -flow.log_prob(batch).mean()  # (1)!
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step in (1, 100, 500, 1000, 2000):
        with torch.no_grad():
            print(f"step {step:4d}: training batch {loss.item():.3f}, test {-flow.log_prob(test).mean():.3f}")

gaussian = torch.distributions.MultivariateNormal(train.mean(dim=0), torch.cov(train.T))  # (2)!
print(f"one Gaussian fitted to the training data: test {-gaussian.log_prob(test).mean():.3f}")
# --8<-- [end:train]

# --8<-- [start:density]
places = {"on the upper moon": [0.0, 1.0], "between the moons": [0.5, 0.25], "far away": [3.0, 3.0]}
where = (torch.tensor(list(places.values())) - center) / scale
with torch.no_grad():
    flow_log_density = flow.log_prob(where) - scale.log().sum()  # (1)!
    gaussian_log_density = gaussian.log_prob(where) - scale.log().sum()
for name, f, g in zip(places, flow_log_density, gaussian_log_density, strict=True):
    print(f"{name:18}: log p(x) flow {f:6.2f}, Gaussian {g:6.2f}")
# --8<-- [end:density]

# --8<-- [start:sample]
with torch.no_grad():
    samples = flow.sample(2000, torch.Generator().manual_seed(1))
    from_gaussian = gaussian.sample((2000,))


def nearest(a, b):  # mean distance from each point of a to its nearest point of b
    return torch.cdist(a, b).min(dim=1).values.mean()


print(f"flow samples:      {nearest(samples, test):.3f} from the nearest test point on average")
print(f"Gaussian samples:  {nearest(from_gaussian, test):.3f}")
print(f"training points:   {nearest(train, test):.3f}")  # (1)!
# --8<-- [end:sample]

# --8<-- [start:round-trip]
with torch.no_grad():
    z, _ = flow(test)
    back = flow.inverse(z)
print(f"largest |inverse(forward(x)) - x|: {(back - test).abs().max():.1e}")
print("z: mean", [f"{m:.3f}" for m in z.mean(dim=0)], "std", [f"{v:.3f}" for v in z.std(dim=0)])  # (1)!
# --8<-- [end:round-trip]
