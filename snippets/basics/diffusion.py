# profiles: cpu
# compare: same-cpu (100 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import math

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()  # 1797 images of 8x8 pixels, values 0 to 16; ships with scikit-learn
# pixels from -1 (background) to 1 (ink)
images = torch.tensor(digits.images, dtype=torch.float32).reshape(-1, 64) / 8 - 1
labels = torch.tensor(digits.target)
order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = order[:1500], order[1500:]
train_x = images[train_idx]
print(train_x.shape, train_x.min().item(), train_x.max().item())
print(labels[train_idx[:5]])  # the digits shown below


def show(*images):
    """Print 8x8 images (values -1 to 1) side by side as characters."""
    for row in range(8):
        print("  ".join("".join(" .:+#"[min(int((v + 1) / 2 * 5), 4)] * 2
                                for v in image.clamp(-1, 1).reshape(8, 8)[row])
                        for image in images))


show(*train_x[:5])
# --8<-- [end:data]

# --8<-- [start:schedule]
T = 1000  # the number of noising steps
betas = torch.linspace(1e-4, 0.02, T)  # the variance of the noise added at step t
alpha_bar = torch.cumprod(1 - betas, dim=0)  # the share of x0's variance left after step t


def add_noise(x0, t, noise):
    """Jump straight to step t: sqrt(alpha_bar) * x0 + sqrt(1 - alpha_bar) * noise."""
    a = alpha_bar[t].unsqueeze(-1)
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


steps = torch.tensor([0, 100, 250, 500, 999])
torch.manual_seed(0)
show(*add_noise(train_x[0], steps, torch.randn(64)))  # one image, one noise, 5 steps
print(alpha_bar[steps].sqrt())
# --8<-- [end:schedule]

# --8<-- [start:one-formula]
pixel = torch.ones(100_000)  # 100000 copies of one ink pixel, noised step by step
for t in range(250):
    pixel = (1 - betas[t]).sqrt() * pixel + betas[t].sqrt() * torch.randn_like(pixel)
print(f"step by step: mean {pixel.mean():.3f}, std {pixel.std():.3f}")
print(f"one formula:  mean {alpha_bar[249].sqrt():.3f}, std {(1 - alpha_bar[249]).sqrt():.3f}")
# --8<-- [end:one-formula]


# --8<-- [start:denoiser]
class Denoiser(nn.Module):
    """Guesses the clean image from a noisy image x_t and its step t."""

    def __init__(self, hidden=256, blocks=2):
        super().__init__()
        # 16 frequencies, from 1 down to about 1/650, turn the step into 32 numbers (1)!
        self.register_buffer("freqs", torch.exp(-math.log(1000) * torch.arange(16) / 16))
        self.time = nn.Sequential(nn.Linear(32, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
        self.inp = nn.Linear(64, hidden)
        self.blocks = nn.ModuleList(  # (2)!
            nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.SiLU(),
                          nn.Linear(hidden, hidden))
            for _ in range(blocks))
        self.out = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, 64))

    def forward(self, x, t):
        angles = t.unsqueeze(-1) * self.freqs
        t_emb = self.time(torch.cat([angles.sin(), angles.cos()], dim=-1))
        h = self.inp(x)
        for block in self.blocks:
            h = h + block(h + t_emb)  # every block is told the step
        return self.out(h)


torch.manual_seed(0)
model = Denoiser()
print(sum(p.numel() for p in model.parameters()))
# --8<-- [end:denoiser]

# --8<-- [start:train]
epochs = 100
loader = DataLoader(train_x, batch_size=128, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
batches = epochs * len(loader)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=batches)  # (1)!
for epoch in range(1, epochs + 1):
    total = 0.0
    for x0 in loader:
        t = torch.randint(0, T, (len(x0),))  # a random step for every image
        x_t = add_noise(x0, t, torch.randn_like(x0))
        loss = F.mse_loss(model(x_t, t), x0)  # how far the guess is from the clean image
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        total += loss.item() * len(x0)
    if epoch in (1, 10, epochs):
        print(f"epoch {epoch:3d}  loss {total / len(train_x):.4f}")  # the mean over the epoch
# --8<-- [end:train]

# --8<-- [start:guess-by-step]
model.eval()
with torch.no_grad():
    x0 = train_x[:500]
    noise = torch.randn_like(x0)
    for step in steps.tolist():
        t = torch.full((len(x0),), step)
        x_t = add_noise(x0, t, noise)
        guess = model(x_t, t)
        print(f"step {step:3d}: error of the guess {F.mse_loss(guess, x0):.3f}")
    average = train_x.mean(dim=0)
    print(f"the average image as the guess: {F.mse_loss(average.expand_as(x0), x0):.3f}")
    show(*guess[:4], average)  # 4 guesses at step 999, the average image
# --8<-- [end:guess-by-step]


# --8<-- [start:sample]
@torch.no_grad()
def sample(n, keep=()):
    """Take T small steps back from pure noise.

    Also returns the guesses for the first image at the steps listed in keep."""
    x = torch.randn(n, 64)
    kept = []
    for t in range(T - 1, -1, -1):
        guess = model(x, torch.full((n,), t)).clamp(-1, 1)  # (1)!
        if t in keep:
            kept.append(guess[0])
        if t == 0:
            return guess, kept
        a, a_prev, beta = alpha_bar[t], alpha_bar[t - 1], betas[t]
        mean = (a_prev.sqrt() * beta * guess
                + (1 - beta).sqrt() * (1 - a_prev) * x) / (1 - a)  # (2)!
        std = (beta * (1 - a_prev) / (1 - a)).sqrt()
        x = mean + std * torch.randn_like(x)


torch.manual_seed(3)
samples, kept = sample(10, keep=(999, 600, 300, 100, 0))
show(*kept)  # how the guess for the first sample changes
print()
show(*samples[:5])
show(*samples[5:])
# --8<-- [end:sample]

# --8<-- [start:judge]
judge = nn.Linear(64, 10)  # a softmax classifier, trained on the real digits
optimizer = torch.optim.Adam(judge.parameters(), lr=0.05)
for _ in range(300):
    loss = F.cross_entropy(judge(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
generated, _ = sample(500)
with torch.no_grad():
    accuracy = (judge(images).argmax(dim=1) == labels).float().mean()
    print(f"accuracy on the digits it was trained on {accuracy:.3f}")
    print(judge(samples).argmax(dim=1))  # what it takes the ten samples above for
    print(torch.bincount(judge(generated).argmax(dim=1), minlength=10))
# --8<-- [end:judge]

# --8<-- [start:copying]
test_x = images[test_idx]  # 297 real images the model never saw
for name, x in (("held-out real images", test_x), ("generated images", generated[:len(test_x)])):
    distance = torch.cdist(x, train_x).min(dim=1).values  # to the nearest training image
    print(f"{name:20s} distance to the nearest training image: "
          f"smallest {distance.min():.2f}, median {distance.median():.2f}")
# --8<-- [end:copying]
