# profiles: cpu
# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:linear]
linear = nn.Linear(in_features=4, out_features=3)
print(linear.weight.shape, linear.bias.shape)

x = torch.randn(2, 5, 4)  # only the last dimension must be 4
print(linear(x).shape)
print(torch.allclose(linear(x), x @ linear.weight.T + linear.bias))
# --8<-- [end:linear]

# --8<-- [start:conv2d]
conv = nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3)
print(conv.weight.shape, conv.bias.shape)

images = torch.randn(16, 3, 32, 32)  # (N, C, H, W): 16 RGB images, 32×32
print(conv(images).shape)
# --8<-- [end:conv2d]


# --8<-- [start:output-size]
def output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


for kernel, stride, padding in [(3, 1, 0), (3, 1, 1), (5, 1, 2), (3, 2, 1), (4, 2, 1)]:
    conv = nn.Conv2d(3, 8, kernel, stride=stride, padding=padding)
    print(f"kernel={kernel} stride={stride} padding={padding}: "
          f"{tuple(conv(images).shape[-2:])}, formula: "
          f"{output_size(32, kernel, stride, padding)}")

print(nn.Conv2d(3, 8, kernel_size=5, padding="same")(images).shape)
# --8<-- [end:output-size]

# --8<-- [start:pad-order]
x = torch.arange(1.0, 7.0).reshape(1, 1, 2, 3)  # (N, C, H, W): one 2×3 image
print(F.pad(x, (1, 0)))  # (1)!
print(F.pad(x, (0, 0, 1, 1)).shape)  # the height: a row on top, a row below
for mode in ["reflect", "replicate", "circular"]:
    print(mode, F.pad(x, (1, 1, 0, 0), mode=mode))
print(F.pad(x, (-1, 0)))  # a negative width crops
# --8<-- [end:pad-order]

# --8<-- [start:pad-mode-errors]
for pad in [(1, 1), (3, 3, 0, 0)]:
    try:
        F.pad(x, pad, mode="reflect")
    except (NotImplementedError, RuntimeError) as error:
        print(type(error).__name__, error)
# --8<-- [end:pad-mode-errors]

# --8<-- [start:conv-padding]
image = torch.randn(1, 1, 6, 6)
conv4 = nn.Conv2d(1, 1, kernel_size=4, bias=False)  # 4×4 needs 4 - 1 = 3: 1 before, 2 after
print(conv4(F.pad(image, (1, 2, 1, 2))).shape)

reflecting = nn.Conv2d(1, 1, kernel_size=3, padding=1, padding_mode="reflect", bias=False)
by_hand = F.conv2d(F.pad(image, (1, 1, 1, 1), mode="reflect"), reflecting.weight)
print(torch.equal(reflecting(image), by_hand))
# --8<-- [end:conv-padding]

# --8<-- [start:max-pool]
pool = nn.MaxPool2d(kernel_size=2)
x = torch.tensor([[[[1., 2, 5, 6],
                    [3, 4, 7, 8],
                    [0, 0, 1, 1],
                    [0, 9, 1, 1]]]])
print(pool(x))
print(pool(torch.randn(16, 8, 32, 32)).shape)
print(pool(torch.randn(16, 8, 7, 7)).shape)  # an odd size: rounded down
print(list(pool.parameters()))
# --8<-- [end:max-pool]

# --8<-- [start:adaptive-pool]
gap = nn.AdaptiveAvgPool2d(1)  # average each channel down to 1×1
print(gap(torch.randn(16, 64, 7, 7)).shape)
print(gap(torch.randn(16, 64, 13, 9)).shape)
# --8<-- [end:adaptive-pool]

# --8<-- [start:upsampling]
x = torch.tensor([[[[1., 2],
                    [3, 4]]]])  # (1, 1, 2, 2)
up = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=2, bias=False)
with torch.no_grad():
    up.weight.fill_(1.0)  # all ones, to see where each value goes
    print(up(x))

maps = torch.randn(16, 8, 16, 16)
settings = [(2, 2, 0, 0), (3, 2, 1, 0), (3, 2, 1, 1), (4, 2, 1, 0)]
for kernel, stride, padding, output_padding in settings:
    up = nn.ConvTranspose2d(8, 8, kernel, stride=stride, padding=padding,
                            output_padding=output_padding)
    print(f"kernel={kernel} stride={stride} padding={padding} "
          f"output_padding={output_padding}: {tuple(up(maps).shape[-2:])}")

print(nn.Upsample(scale_factor=2, mode="nearest")(x))
print(nn.Upsample(scale_factor=2, mode="bilinear")(x))
# --8<-- [end:upsampling]

# --8<-- [start:small-cnn]
model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 7 * 7, 10),
)
x = torch.randn(64, 1, 28, 28)  # a batch of 64 grayscale 28×28 images
for layer in model:
    x = layer(x)
    print(f"{type(layer).__name__:9} {tuple(x.shape)}")
# --8<-- [end:small-cnn]

# --8<-- [start:flatten-size]
features = model[:6]  # everything before nn.Flatten(), shared with model
with torch.no_grad():
    print(features(torch.zeros(1, 1, 28, 28)).shape)

lazy = nn.Sequential(features, nn.Flatten(), nn.LazyLinear(10))
print(lazy[-1])
lazy(torch.zeros(1, 1, 28, 28))  # the first call fixes in_features
print(lazy[-1])
optimizer = torch.optim.SGD(lazy.parameters(), lr=0.1)  # only now
# --8<-- [end:flatten-size]

# --8<-- [start:batch-norm]
bn = nn.BatchNorm2d(8)  # one mean and variance for each of the 8 channels
x = torch.randn(16, 8, 5, 5) * 3 + 2  # mean 2, standard deviation 3
with torch.no_grad():
    y = bn(x)  # training mode: this batch's statistics, channel by channel
print(y.shape)
print(x.mean(dim=(0, 2, 3)).round(decimals=1))
print(y.mean(dim=(0, 2, 3)).abs().max() < 1e-5)
print(y.std(dim=(0, 2, 3), correction=0).round(decimals=3))
print([name for name, _ in bn.named_parameters()],
      [name for name, _ in bn.named_buffers()])
# --8<-- [end:batch-norm]

# --8<-- [start:layer-norm]
ln = nn.LayerNorm(6)  # normalizes the last dimension, at each position
x = torch.randn(2, 4, 6) * 3 + 2  # (batch, positions, features)
with torch.no_grad():
    y = ln(x)
print(y.mean(dim=-1).abs().max() < 1e-5)
print(ln.weight.shape, [name for name, _ in ln.named_buffers()])
# --8<-- [end:layer-norm]

# --8<-- [start:embedding]
embedding = nn.Embedding(num_embeddings=10, embedding_dim=3)
print(embedding.weight.shape)

ids = torch.tensor([[1, 2, 4], [4, 3, 9]])  # 2 sequences of 3 token ids
vectors = embedding(ids)
print(vectors.shape)
print(torch.equal(vectors[0, 2], embedding.weight[4]))
print(torch.equal(vectors[0, 2], vectors[1, 0]))

try:
    embedding(ids.float())
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:embedding]

# --8<-- [start:padding-idx]
embedding = nn.Embedding(10, 3, padding_idx=0)
ids = torch.tensor([[5, 7, 0, 0]])  # 0 pads the sequence
print(embedding(ids)[0, 2:])
embedding(ids).sum().backward()
print(embedding.weight.grad[[0, 5]])
# --8<-- [end:padding-idx]

# --8<-- [start:lstm]
lstm = nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
x = torch.randn(2, 7, 3)  # (batch, time steps, features)
output, (h, c) = lstm(x)
print(output.shape)  # every time step
print(h.shape, c.shape)  # the last one; batch is dimension 1
print(torch.allclose(output[:, -1], h[-1]))
# --8<-- [end:lstm]

# --8<-- [start:packed]
lstm = nn.LSTM(input_size=3, hidden_size=4, batch_first=True)
seqs = [torch.randn(5, 3), torch.randn(2, 3)]  # 5 and 2 time steps
lengths = torch.tensor([len(s) for s in seqs])
padded = nn.utils.rnn.pad_sequence(seqs, batch_first=True)  # (2, 5, 3)
_, (h_alone, _) = lstm(seqs[1].unsqueeze(0))  # the short one on its own

_, (h, _) = lstm(padded)
print(torch.allclose(h[-1, 1], h_alone[-1, 0]))  # it read 3 padded steps too

packed = nn.utils.rnn.pack_padded_sequence(
    padded, lengths, batch_first=True, enforce_sorted=False)
packed_output, (h, _) = lstm(packed)
print(torch.allclose(h[-1, 1], h_alone[-1, 0]))
output, output_lengths = nn.utils.rnn.pad_packed_sequence(packed_output, batch_first=True)
print(output.shape, output_lengths)
print(output[1, 2:].abs().sum().item())  # the padded steps: zeros
# --8<-- [end:packed]

# --8<-- [start:lstm-layers]
lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True)
output, (h, c) = lstm(x)
print(output.shape)
print(h.shape)
# the last layer: forward h[-2], backward h[-1]
print(torch.allclose(output[:, -1, :5], h[-2]),
      torch.allclose(output[:, 0, 5:], h[-1]))
print(torch.cat([h[-2], h[-1]], dim=1).shape)  # one vector per sequence
# --8<-- [end:lstm-layers]

# --8<-- [start:attention]
attention = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
x = torch.randn(2, 5, 8)  # (batch, positions, features)
output, weights = attention(x, x, x)  # self-attention: query, key and value are x
print(output.shape)
print(weights.shape)  # (batch, query position, key position), mean over heads
print(weights.sum(dim=-1))  # every row of weights sums to 1
# --8<-- [end:attention]

# --8<-- [start:key-padding-mask]
padding = torch.tensor([[False, False, False, True, True],  # 2 padded at the end
                        [False, False, False, False, False]])
output, weights = attention(x, x, x, key_padding_mask=padding)  # True: ignore
print(weights[0].round(decimals=2))
# --8<-- [end:key-padding-mask]

# --8<-- [start:sdpa-mask]
sdpa = nn.functional.scaled_dot_product_attention
q, k, v = torch.randn(3, 1, 2, 5, 4)  # each (batch, heads, positions, features)
real = torch.tensor([[True, True, True, False, False]])  # True: take part
first_three = sdpa(q, k[..., :3, :], v[..., :3, :])
print(torch.allclose(sdpa(q, k, v, attn_mask=real), first_three))

last_two = sdpa(q, k[..., 3:, :], v[..., 3:, :])
# ~real: True marks the padding, as nn.MultiheadAttention wants
print(torch.allclose(sdpa(q, k, v, attn_mask=~real), last_two))
# --8<-- [end:sdpa-mask]
