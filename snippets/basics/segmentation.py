# profiles: cpu
# compare: same-cpu (10 epochs of training: another CPU model rounds the convolutions differently)
# --8<-- [start:imports]
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
torch.set_num_threads(1)  # (1)!
# --8<-- [end:imports]

# --8<-- [start:data]
SIZE = 32  # images are 32×32 pixels
CLASSES = ["background", "circle", "square"]
rows, cols = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")


def make_images(n):
    """n noisy grey images of 1 to 3 circles and squares; the masks say which pixel belongs to what."""
    masks = torch.zeros(n, SIZE, SIZE, dtype=torch.int64)
    clean = torch.zeros(n, SIZE, SIZE)
    for mask, image in zip(masks, clean, strict=True):  # rows of masks and clean: writing to them fills both
        for _ in range(3):
            kind = torch.randint(1, 3, ()).item()  # 1: circle, 2: square
            r = torch.randint(5, 9, ()).item()  # the shape reaches r pixels from its centre: 2r+1 across
            y, x = torch.randint(r, SIZE - r, (2,)).tolist()
            if kind == 1:
                inside = (rows - y) ** 2 + (cols - x) ** 2 <= r**2
            else:
                inside = ((rows - y).abs() <= r) & ((cols - x).abs() <= r)
            around = ((rows - y).abs() <= r + 1) & ((cols - x).abs() <= r + 1)
            if (mask[around] == 0).all():  # leave it out if another shape is within a pixel of its bounding square
                mask[inside] = kind
                image[inside] = 0.5 + torch.rand(())  # each shape its own brightness, 0.5 to 1.5
    images = clean + 0.5 * torch.randn(n, SIZE, SIZE)  # noise on every pixel
    return images.unsqueeze(1), masks  # (n, 1, 32, 32) float, (n, 32, 32) int64


train_x, train_y = make_images(1000)
val_x, val_y = make_images(200)
print(train_x.shape, train_y.shape, train_y.dtype)
print(train_y.flatten().bincount() / train_y.numel())  # share of background, circle and square pixels
# --8<-- [end:data]


# --8<-- [start:show]
def lines(picture):
    """A 32×32 mask or image as 16 lines of 32 characters (every other row: characters are tall)."""
    if picture.dtype == torch.int64:  # a mask: background, circle, square
        chars, codes = ".o#", picture
    else:  # an image: brightness in 5 steps
        chars, codes = " .:+#", (picture.clamp(0, 1.99) * 2.5).long()
    return ["".join(chars[c] for c in row) for row in codes[::2].tolist()]


def show(*pictures):
    for row in zip(*map(lines, pictures), strict=True):
        print("   ".join(row))


def first_with_both(masks):
    """The index of the first mask with both a circle and a square."""
    return next(i for i, mask in enumerate(masks) if (mask == 1).any() and (mask == 2).any())


i = first_with_both(train_y)
show(train_x[i, 0], train_y[i])
# --8<-- [end:show]

# --8<-- [start:metrics]
def pixel_accuracy(predicted, masks):
    return (predicted == masks).float().mean().item()


def iou(predicted, masks):
    """Intersection over union for each class: the pixels both call k, over the pixels either calls k."""
    both = torch.stack([((predicted == k) & (masks == k)).sum() for k in range(len(CLASSES))])
    either = torch.stack([((predicted == k) | (masks == k)).sum() for k in range(len(CLASSES))])
    return both / either


def report(predicted, masks):
    per_class = iou(predicted, masks)
    names = ", ".join(f"{name} {v:.3f}" for name, v in zip(CLASSES, per_class, strict=True))
    print(f"pixel accuracy {pixel_accuracy(predicted, masks):.3f}; IoU {names}; mean IoU {per_class.mean():.3f}")


report(torch.zeros_like(val_y), val_y)  # every pixel background
# --8<-- [end:metrics]

# --8<-- [start:threshold]
bright = val_x[:, 0] > 0.5  # True where a pixel is brighter than 0.5: "some shape"
shape = val_y > 0
print(f"shape or not, by brightness: IoU {(bright & shape).sum() / (bright | shape).sum():.3f}")
# --8<-- [end:threshold]


# --8<-- [start:unet]
def conv_block(c_in, c_out):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
        nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
    )


class UNet(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.down1 = conv_block(1, c)  # 32×32
        self.down2 = conv_block(c, 2 * c)  # 16×16
        self.bottom = conv_block(2 * c, 4 * c)  # 8×8
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)  # (1)!
        self.dec2 = conv_block(4 * c, 2 * c)
        self.up1 = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.dec1 = conv_block(2 * c, c)
        self.out = nn.Conv2d(c, len(CLASSES), 1)  # a score for each class at each pixel

    def forward(self, x):
        a = self.down1(x)
        b = self.down2(F.max_pool2d(a, 2))
        bottom = self.bottom(F.max_pool2d(b, 2))
        up = self.dec2(torch.cat([self.up2(bottom), b], dim=1))  # (2)!
        up = self.dec1(torch.cat([self.up1(up), a], dim=1))
        return self.out(up)


model = UNet()
print(sum(p.numel() for p in model.parameters()), "parameters")
print(model(train_x[:4]).shape)
# --8<-- [end:unet]

# --8<-- [start:train]
epochs, batch = 10, 32
optimizer = torch.optim.Adam(model.parameters())  # the schedule below sets the learning rate
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=3e-3, epochs=epochs, steps_per_epoch=math.ceil(len(train_x) / batch)
)
for epoch in range(1, epochs + 1):
    model.train()
    total = 0.0
    for idx in torch.randperm(len(train_x)).split(batch):
        loss = F.cross_entropy(model(train_x[idx]), train_y[idx])  # (1)!
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()  # once a batch
        total += loss.item() * len(idx)
    if epoch % 2 == 0:
        model.eval()
        with torch.no_grad():
            predicted = model(val_x).argmax(dim=1)  # the likeliest class at each pixel
        print(f"epoch {epoch:2d}: loss {total / len(train_x):.3f}", end="; ")
        report(predicted, val_y)
# --8<-- [end:train]

# --8<-- [start:test]
test_x, test_y = make_images(500)  # images never seen before
model.eval()
with torch.no_grad():
    predicted = model(test_x).argmax(dim=1)
report(predicted, test_y)
# --8<-- [end:test]

# --8<-- [start:look]
i = first_with_both(test_y)
show(test_y[i], predicted[i])  # the truth, the prediction
# --8<-- [end:look]

# --8<-- [start:edges]
padded = F.pad(test_y, (1, 1, 1, 1), mode="replicate")
neighbours = padded.unfold(1, 3, 1).unfold(2, 3, 1)  # (500, 32, 32, 3, 3): each pixel's 3×3 patch
edge = (neighbours != test_y[..., None, None]).any(dim=(-2, -1))  # a different label in the patch
wrong = predicted != test_y
print(f"{edge.float().mean():.1%} of the pixels are on an edge; {wrong[edge].sum() / wrong.sum():.1%} of the mistakes")
# --8<-- [end:edges]
