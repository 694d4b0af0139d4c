# profiles: cpu
# compare: same-cpu (100 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
from functools import partial

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.distributions import Normal, kl_divergence
# --8<-- [end:imports]

# --8<-- [start:data]
digits = load_digits()  # 1797 images of 8x8 pixels, values 0 to 16; ships with scikit-learn
images = torch.tensor(digits.images, dtype=torch.float32).reshape(-1, 64) / 16
order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
train_x, test_x = images[order[:1500]], images[order[1500:]]
print(train_x.shape, test_x.shape)
print(digits.target[order[1500:1505].numpy()])  # the labels of the first test images (not used below)


def show(*images):
    """Print 8x8 images (values 0 to 1) side by side as characters."""
    for row in range(8):
        print("  ".join("".join(" .:+#"[min(int(v * 5), 4)] * 2 for v in image.reshape(8, 8)[row])
                        for image in images))


show(*test_x[:5])
# --8<-- [end:data]


# --8<-- [start:autoencoder]
class Autoencoder(nn.Module):
    def __init__(self, latent=8, hidden=128, encoder_out=None):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, encoder_out or latent))
        self.decoder = nn.Sequential(
            nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 64), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def squared_error(x_hat, x):  # summed over the 64 pixels, averaged over the batch
    return ((x_hat - x) ** 2).sum(dim=1).mean()


def fit(model, loss_fn, epochs=100, report=(1, 10, 100)):
    torch.manual_seed(0)  # the same batches, and the same noise, for every model
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, epochs + 1):
        model.train()
        for batch in torch.randperm(len(train_x)).split(50):
            loss = loss_fn(model, train_x[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch in report:
            model.eval()
            with torch.no_grad():
                print(f"epoch {epoch:3d}  test loss {loss_fn(model, test_x):.2f}")


torch.manual_seed(0)
autoencoder = Autoencoder()
fit(autoencoder, lambda model, x: squared_error(model(x), x))
with torch.no_grad():
    show(*autoencoder(test_x[:5]))
# --8<-- [end:autoencoder]

# --8<-- [start:autoencoder-samples]
with torch.no_grad():
    codes = autoencoder.encoder(train_x)
    print(codes.mean(dim=0))
    print(codes.std(dim=0))
    z = torch.randn(5, 8, generator=torch.Generator().manual_seed(1))
    show(*autoencoder.decoder(z))
# --8<-- [end:autoencoder-samples]


# --8<-- [start:vae]
class VAE(Autoencoder):  # the same layers, but the encoder outputs twice as many numbers
    def __init__(self, latent=8, hidden=128):
        super().__init__(latent, hidden, encoder_out=2 * latent)  # (1)!

    def encode(self, x):
        mean, log_var = self.encoder(x).chunk(2, dim=1)
        return Normal(mean, torch.exp(0.5 * log_var))  # (2)!

    def forward(self, x):
        q = self.encode(x)
        z = q.rsample() if self.training else q.mean  # (3)!
        return self.decoder(z), q


def vae_loss(model, x, sigma=0.1):
    x_hat, q = model(x)
    reconstruction = squared_error(x_hat, x) / (2 * sigma ** 2)  # (4)!
    return reconstruction + kl_to_prior(q)


def kl_to_prior(q):  # KL(q, N(0, I)), summed over the 8 dimensions, averaged over the batch
    return kl_divergence(q, Normal(0.0, 1.0)).sum(dim=1).mean()  # (5)!
# --8<-- [end:vae]

# --8<-- [start:train]
torch.manual_seed(0)
vae = VAE()
fit(vae, vae_loss)
vae.eval()
with torch.no_grad():
    x_hat, q = vae(test_x)
    print(f"squared error {squared_error(x_hat, test_x):.2f}")
    print(f"KL {kl_to_prior(q):.2f}")
    show(*x_hat[:5])
# --8<-- [end:train]

# --8<-- [start:samples]
with torch.no_grad():
    z = torch.randn(5, 8, generator=torch.Generator().manual_seed(1))  # the same z as above
    show(*vae.decoder(z))
# --8<-- [end:samples]

# --8<-- [start:interpolate]
with torch.no_grad():
    start, end = vae.encode(test_x[:2]).mean  # the codes of the first two test images
    steps = torch.linspace(0, 1, 5).unsqueeze(1)
    show(*vae.decoder(start + steps * (end - start)))
# --8<-- [end:interpolate]

# --8<-- [start:sigma]
vaes = {0.1: vae}
for sigma in (0.03, 0.3):
    torch.manual_seed(0)
    vaes[sigma] = VAE()
    fit(vaes[sigma], partial(vae_loss, sigma=sigma), report=())  # (1)!

for sigma, model in sorted(vaes.items()):
    model.eval()
    with torch.no_grad():
        x_hat, q = model(test_x)
        codes = model.encode(train_x)
        spread = codes.mean.std(dim=0)  # (2)!
        print(f"sigma={sigma}  squared error {squared_error(x_hat, test_x):.2f}  KL {kl_to_prior(q):.2f}  "
              f"means' std {spread.min():.2f} to {spread.max():.2f}  own std {codes.stddev.mean():.2f}")
        show(*model.decoder(z))  # the same five random codes
# --8<-- [end:sigma]
