# profiles: cpu
# compare: same-cpu (30 epochs of training: another CPU model rounds matrix products differently)
# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:data]
torch.manual_seed(0)
n_users, n_items = 600, 400
taste = torch.randn(n_users, 3)  # each user's hidden taste: 3 numbers
traits = torch.randn(n_items, 3)  # each item's hidden traits
user_bias = 0.5 * torch.randn(n_users)  # some users rate everything higher
item_bias = 0.7 * torch.randn(n_items)  # some items are better liked by everyone
truth = 3.3 + user_bias[:, None] + item_bias + 0.6 * taste @ traits.T  # (600, 400), never seen

per_user = 40  # every user rates 40 random items
users = torch.arange(n_users).repeat_interleave(per_user)
items = torch.stack([torch.randperm(n_items)[:per_user] for _ in range(n_users)]).flatten()
stars = (truth[users, items] + 0.5 * torch.randn(len(users))).round().clamp(1, 5)  # whole stars
print(len(stars), stars.long().bincount(minlength=6)[1:])  # how many 1, 2, 3, 4, 5 stars

order = torch.randperm(len(stars))
cut = len(stars) * 9 // 10
train, val = order[:cut], order[cut:]  # 90% to learn from, 10% to check


def rmse(predicted, idx):
    """Root mean squared error against the ratings idx, in stars; predictions kept within 1 to 5."""
    return (predicted.clamp(1, 5) - stars[idx]).pow(2).mean().sqrt().item()


print(f"RMSE of the truth itself: {rmse(truth[users[val], items[val]], val):.3f}")
# --8<-- [end:data]

# --8<-- [start:baseline]
mean = stars[train].mean()
print(f"mean {mean:.3f}, RMSE of always predicting it: {rmse(mean.expand(len(val)), val):.3f}")
# --8<-- [end:baseline]


# --8<-- [start:model]
class MatrixFactorization(nn.Module):
    """A rating = the mean + a user bias + an item bias + the dot product of two embeddings."""

    def __init__(self, n_users, n_items, dim, mean):
        super().__init__()
        self.register_buffer("mean", mean)  # the training mean, saved with the model
        self.user = nn.Embedding(n_users, dim, sparse=True)  # (1)!
        self.item = nn.Embedding(n_items, dim, sparse=True)
        self.user_bias = nn.Embedding(n_users, 1, sparse=True)
        self.item_bias = nn.Embedding(n_items, 1, sparse=True)
        for table in (self.user, self.item):
            nn.init.normal_(table.weight, std=0.1)
        for table in (self.user_bias, self.item_bias):
            nn.init.zeros_(table.weight)

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(dim=-1)
        return self.mean + self.user_bias(u).squeeze(-1) + self.item_bias(i).squeeze(-1) + dot


torch.manual_seed(0)
model = MatrixFactorization(n_users, n_items, dim=8, mean=mean)
print(model.user(torch.tensor([0, 1])).shape)  # rows 0 and 1 of the table
print(sum(p.numel() for p in model.parameters()))
# --8<-- [end:model]

# --8<-- [start:sparse-gradients]
batch = train[:256]
loss = F.mse_loss(model(users[batch], items[batch]), stars[batch])
loss.backward()
grad = model.user.weight.grad
print(grad.layout, grad.shape)
print(f"rows with a gradient: {grad.coalesce().indices().numel()} of {n_users}")
try:
    torch.optim.Adam(model.parameters()).step()
except RuntimeError as error:
    print(error)
# --8<-- [end:sparse-gradients]


# --8<-- [start:train]
def fit(dim, penalty=0.0, epochs=30):
    torch.manual_seed(0)
    model = MatrixFactorization(n_users, n_items, dim, mean)
    optimizer = torch.optim.SparseAdam(model.parameters(), lr=0.01)  # (1)!
    for epoch in range(1, epochs + 1):
        for batch in train[torch.randperm(len(train))].split(256):
            u, i = users[batch], items[batch]
            loss = F.mse_loss(model(u, i), stars[batch])
            if penalty:  # (2)!
                loss = loss + penalty * (model.user(u).pow(2) + model.item(i).pow(2)).sum(dim=-1).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch in (1, 5, 10, 20, 30):
            with torch.no_grad():
                print(f"epoch {epoch:2d}  train RMSE {rmse(model(users[train], items[train]), train):.3f}"
                      f"  val RMSE {rmse(model(users[val], items[val]), val):.3f}")
    return model


print("biases only (dim=0):")
fit(dim=0, epochs=10)
print("dim=8:")
fit(dim=8)
# --8<-- [end:train]

# --8<-- [start:penalty]
model = fit(dim=8, penalty=0.05)
# --8<-- [end:penalty]

# --8<-- [start:recommend]
with torch.no_grad():
    scores = model(torch.arange(n_users)[:, None], torch.arange(n_items))  # (600, 400): every pair
rated = torch.zeros(n_users, n_items, dtype=torch.bool)
rated[users, items] = True
scores = scores.masked_fill(rated, float("-inf"))  # never recommend what a user has already rated
top = scores.topk(5, dim=1).indices  # 5 items for every user
print(top[0], scores[0, top[0]])  # user 0's recommendations and their predicted ratings

unrated_truth = truth.masked_fill(rated, float("-inf"))
best = unrated_truth.topk(5, dim=1).indices  # what each user would really like best
print(f"true rating of the 5 recommended: {truth.gather(1, top).mean():.2f}")
print(f"of an unrated item, on average:   {truth[~rated].mean():.2f}")
print(f"of the truly best 5:              {truth.gather(1, best).mean():.2f}")
hits = (top[:, :, None] == best[:, None, :]).any(dim=2).float().sum(dim=1)
print(f"recommended items among the truly best 5: {hits.mean():.2f} of 5 on average")
# --8<-- [end:recommend]

# --8<-- [start:cold-start]
learned = model.item_bias.weight.detach().squeeze(-1)  # one number per item
print(torch.corrcoef(torch.stack([learned, item_bias]))[0, 1])  # against the true item biases
print(learned.topk(5).indices, item_bias.topk(5).indices)
# --8<-- [end:cold-start]
