# profiles: cpu
# compare: same-cpu (100 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()  # 1797 images of 8x8 pixels, values 0 to 16; ships with scikit-learn
images = torch.tensor(digits.images, dtype=torch.float32).reshape(-1, 64) / 16
labels = torch.tensor(digits.target)
print(images.shape)


def show(*images):
    """Print 8x8 images (values 0 to 1) side by side as characters."""
    for row in range(8):
        print("  ".join("".join(" .:+#"[min(int(v * 5), 4)] * 2 for v in image.reshape(8, 8)[row])
                        for image in images))


show(*images[:5])
# --8<-- [end:data]

# --8<-- [start:models]
latent = 16  # the length of the random code the generator starts from
torch.manual_seed(0)
generator = nn.Sequential(
    nn.Linear(latent, 128), nn.LeakyReLU(0.2),
    nn.Linear(128, 64), nn.Sigmoid())  # 64 pixels between 0 and 1
discriminator = nn.Sequential(
    nn.Linear(64, 128), nn.LeakyReLU(0.2),
    nn.Linear(128, 1))  # one logit: high for real, low for fake
with torch.no_grad():
    show(*generator(torch.randn(5, latent)))
# --8<-- [end:models]

# --8<-- [start:detach]
bce = nn.BCEWithLogitsLoss()
fake = generator(torch.randn(64, latent))
for shown in (fake.detach(), fake):
    generator.zero_grad()
    bce(discriminator(shown), torch.zeros(64, 1)).backward()  # the discriminator's loss on fakes
    print(generator[0].weight.grad is None)
try:
    bce(discriminator(fake), torch.ones(64, 1)).backward()  # the generator's step, on the same fake
except RuntimeError as error:
    print(error)
# --8<-- [end:detach]

# --8<-- [start:saturating]
logit = torch.tensor([-6.0, -3.0, 0.0], requires_grad=True)  # the discriminator's logits for 3 fakes
torch.log1p(-torch.sigmoid(logit)).sum().backward()  # the generator minimizing log(1 - D)
print(logit.grad)
logit.grad = None
bce_sum = F.binary_cross_entropy_with_logits(logit, torch.ones(3), reduction="sum")
bce_sum.backward()  # the generator minimizing -log D, as in the training below
print(logit.grad)
# --8<-- [end:saturating]

# --8<-- [start:train]
g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
loader = DataLoader(images, batch_size=64, shuffle=True, drop_last=True)  # (1)!
real_label, fake_label = torch.ones(64, 1), torch.zeros(64, 1)
for epoch in range(1, 101):
    for real in loader:
        fake = generator(torch.randn(64, latent))
        # the discriminator: real images are 1, fakes 0
        d_loss = bce(discriminator(real), real_label) + bce(discriminator(fake.detach()), fake_label)
        d_optimizer.zero_grad()  # (2)!
        d_loss.backward()
        d_optimizer.step()
        # the generator: its fakes should be taken for real
        g_loss = bce(discriminator(fake), real_label)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
    if epoch in (1, 10, 30, 100):
        with torch.no_grad():  # how often the discriminator is right, on all real images and 1000 fakes
            real_right = (discriminator(images) > 0).float().mean()
            fake_right = (discriminator(generator(torch.randn(1000, latent))) < 0).float().mean()
        print(f"epoch {epoch:3d}  D loss {d_loss:.3f}  G loss {g_loss:.3f}  "  # (3)!
              f"D right on real {real_right:.2f}, on fake {fake_right:.2f}")
# --8<-- [end:train]

# --8<-- [start:order]
fake = generator(torch.randn(64, latent))
d_loss = bce(discriminator(real), real_label) + bce(discriminator(fake.detach()), fake_label)
g_loss = bce(discriminator(fake), real_label)  # before the discriminator's step
d_optimizer.zero_grad()
d_loss.backward()
d_optimizer.step()  # changes the discriminator's weights in place
try:
    g_loss.backward()
except RuntimeError as error:
    print(str(error).split(". Hint")[0])
# --8<-- [end:order]

# --8<-- [start:samples]
with torch.no_grad():
    samples = generator(torch.randn(10, latent))
show(*samples[:5])
show(*samples[5:])
# --8<-- [end:samples]

# --8<-- [start:judge]
judge = nn.Linear(64, 10)  # a softmax classifier, trained on the real digits
optimizer = torch.optim.Adam(judge.parameters(), lr=0.05)
for _ in range(300):
    loss = F.cross_entropy(judge(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
with torch.no_grad():
    print(f"accuracy on the digits it was trained on {(judge(images).argmax(dim=1) == labels).float().mean():.3f}")
    guessed = judge(generator(torch.randn(1000, latent))).argmax(dim=1)
print(torch.bincount(guessed, minlength=10))
print(torch.bincount(labels, minlength=10))
# --8<-- [end:judge]
