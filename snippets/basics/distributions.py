# profiles: cpu
"""Probability distributions in PyTorch: a distribution object, its shapes, sampling from a model's
scores (temperature, top-k), fitting a distribution by maximum likelihood, rsample and the
reparameterization trick, KL divergence, and the checks on parameters and values."""
# --8<-- [start:normal]
import math

import torch
import torch.nn.functional as F
from torch.distributions import Categorical, Independent, Normal, kl_divergence

torch.manual_seed(0)
height = Normal(loc=170.0, scale=8.0)  # (1)!
print(height)
print(height.mean, height.stddev, height.variance)
x = height.sample((5,))
print(x)
print(height.log_prob(x))
print(height.log_prob(torch.tensor(170.0)).exp())  # the density at the mean
print(height.cdf(torch.tensor(180.0)))  # P(height <= 180)
# --8<-- [end:normal]


# --8<-- [start:shapes]
three = Normal(loc=torch.zeros(3), scale=torch.tensor([1.0, 2.0, 3.0]))
print("batch:", three.batch_shape, "event:", three.event_shape)
print(three.sample().shape, three.sample((4,)).shape)
point = torch.tensor([0.5, 0.5, 0.5])
print(three.log_prob(point))  # one log-density per distribution

joint = Independent(three, 1)  # (1)!
print("batch:", joint.batch_shape, "event:", joint.event_shape)
print(joint.log_prob(point), three.log_prob(point).sum())
# --8<-- [end:shapes]


# --8<-- [start:categorical]
logits = torch.tensor([2.0, 1.0, 0.0, -1.0])  # a model's scores for four classes
choice = Categorical(logits=logits)
print(choice.probs)  # the softmax of the scores
draws = choice.sample((10_000,))
print(draws[:12])
print(torch.bincount(draws, minlength=4) / len(draws))
print(choice.log_prob(torch.tensor(0)))
print(F.cross_entropy(logits, torch.tensor(0)))
# --8<-- [end:categorical]


# --8<-- [start:temperature]
for temperature in (0.5, 1.0, 2.0):
    probs = torch.softmax(logits / temperature, dim=-1)
    entropy = Categorical(probs=probs).entropy()
    rounded = [round(p, 3) for p in probs.tolist()]
    print(f"T={temperature}: {rounded}, entropy {entropy:.3f}")
uniform = Categorical(logits=torch.zeros(4))  # the highest entropy four classes can have
print(f"uniform: entropy {uniform.entropy():.3f}")

kth = logits.topk(2, dim=-1).values[..., -1:]  # each row's second-highest score
top2 = logits.masked_fill(logits < kth, float("-inf"))  # (1)!
print(top2, torch.softmax(top2, dim=-1))
draws = Categorical(logits=top2).sample((10_000,))
print(torch.bincount(draws, minlength=4) / len(draws))
# --8<-- [end:temperature]


# --8<-- [start:fit]
data = Normal(5.0, 2.0).sample((1000,))  # pretend not to know where they came from
loc = torch.zeros((), requires_grad=True)
log_scale = torch.zeros((), requires_grad=True)  # (1)!
optimizer = torch.optim.Adam([loc, log_scale], lr=0.05)
for step in range(801):
    scale = log_scale.exp()
    loss = -Normal(loc, scale).log_prob(data).mean()  # (2)!
    if step % 200 == 0:
        print(f"step {step:3d}: loss {loss:.4f}, loc {loc:.4f}, scale {scale:.4f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"data: mean {data.mean():.4f}, std {data.std(correction=0):.4f}")
# --8<-- [end:fit]


# --8<-- [start:gaussian-nll]
mean = torch.tensor([169.0, 171.0])
var = torch.tensor([60.0, 70.0])
target = torch.tensor([175.0, 160.0])
nll = -Normal(mean, var.sqrt()).log_prob(target).mean()
full = F.gaussian_nll_loss(mean, target, var, full=True)
default = F.gaussian_nll_loss(mean, target, var)  # (1)!
print(nll, full, default)
print(full - default, f"{0.5 * math.log(2 * math.pi):.4f}")
# --8<-- [end:gaussian-nll]


# --8<-- [start:rsample]
mu = torch.tensor(1.0, requires_grad=True)
normal = Normal(mu, 1.0)
print(normal.sample().requires_grad, normal.rsample().requires_grad)
print(Normal.has_rsample, Categorical.has_rsample)

# d/d(mu) of the mean of x² for x ~ Normal(mu, 1) is 2 * mu = 2
torch.manual_seed(0)
x = normal.rsample((100_000,))  # mu + noise: the samples depend on mu
(grad,) = torch.autograd.grad((x**2).mean(), mu)
print(f"rsample:  {grad:.3f}, spread per sample {(2 * x.detach()).std():.3f}")

x = normal.sample((100_000,))  # no graph: the samples are plain numbers
surrogate = (x**2 * normal.log_prob(x)).mean()  # (1)!
(grad,) = torch.autograd.grad(surrogate, mu)
print(f"log_prob: {grad:.3f}, spread per sample {(x**2 * (x - mu.detach())).std():.3f}")
# --8<-- [end:rsample]


# --8<-- [start:kl]
p = Normal(0.0, 1.0)
q = Normal(1.0, 2.0)
print(kl_divergence(p, q), kl_divergence(q, p))
samples = p.sample((100_000,))  # KL(p, q): the mean of log p(x) - log q(x)
print((p.log_prob(samples) - q.log_prob(samples)).mean())
# --8<-- [end:kl]


# --8<-- [start:validation]
try:
    Normal(0.0, -1.0)
except ValueError as error:
    print(error)
try:
    Categorical(logits=logits).log_prob(torch.tensor(4))
except ValueError as error:
    print(error)
print(Categorical(probs=torch.tensor([1.0, 3.0])).probs)  # (1)!
# --8<-- [end:validation]
