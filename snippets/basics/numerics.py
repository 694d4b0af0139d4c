# profiles: cpu
# --8<-- [start:imports]
import numpy as np
import torch
# --8<-- [end:imports]

# --8<-- [start:approximate]
x = torch.tensor(0.1)
print(f"{x.item():.20f}")  # the float32 nearest to 0.1
a, b, c = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
print((a + b).item(), (a + b == c).item())
print(((a + b) + c).item(), (a + (b + c)).item())  # the order changes the result
# --8<-- [end:approximate]

# --8<-- [start:isclose]
print(torch.isclose(a + b, c).item())
print(torch.allclose(torch.tensor([1e-9]), torch.tensor([2e-9])))  # (1)!
torch.testing.assert_close(a + b, c)  # passes: no output
# --8<-- [end:isclose]

# --8<-- [start:assert-close-error]
try:
    torch.testing.assert_close(torch.tensor([1.0, 2.0, 3.0]),
                               torch.tensor([1.0, 2.001, 3.0]))
except AssertionError as error:
    print(error)
# --8<-- [end:assert-close-error]

# --8<-- [start:finfo]
print(f"{'dtype':<15}{'bits':>5}{'eps':>12}{'max':>12}{'tiny':>12}")
for dtype in [torch.float16, torch.bfloat16, torch.float32, torch.float64]:
    info = torch.finfo(dtype)
    print(f"{str(dtype):<15}{info.bits:>5}{info.eps:>12.3g}"
          f"{info.max:>12.3g}{info.tiny:>12.3g}")
# --8<-- [end:finfo]

# --8<-- [start:integers-in-floats]
print(torch.tensor([2048, 2049, 2050], dtype=torch.float16))
print(torch.tensor([256, 257, 258], dtype=torch.bfloat16))
print(torch.tensor([16_777_216, 16_777_217], dtype=torch.float32))
print(torch.tensor([65504, 65519, 65520, 1e5], dtype=torch.float16))
# --8<-- [end:integers-in-floats]

# --8<-- [start:absorption]
big = torch.tensor(1e8)
print(big + 1 == big)

total = torch.tensor(0.0)
for _ in range(100_000):
    total += 0.1  # one float32 rounding per addition
print(total.item())
print(torch.full((100_000,), 0.1).sum().item())

total = 0.0  # a Python float is a float64
for _ in range(100_000):
    total += torch.tensor(0.1).item()
print(total)
# --8<-- [end:absorption]

# --8<-- [start:integer-overflow]
print(torch.tensor([127], dtype=torch.int8) + 1)
pixels = torch.tensor([200, 250], dtype=torch.uint8)
print(pixels + 50)
print(pixels.to(torch.int16) + 50)
print(pixels.float() / 255)
# --8<-- [end:integer-overflow]

# --8<-- [start:integer-division]
n = torch.tensor([7, -7])
print(n / 2)
print(n // 2)
print(torch.div(n, 2, rounding_mode="trunc"))
# --8<-- [end:integer-division]

# --8<-- [start:promotion]
i = torch.tensor([1, 2])  # int64
f16 = torch.tensor([1.0, 2.0], dtype=torch.float16)
f32 = torch.tensor([1.0, 2.0])
f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
print((i * 2.5).dtype)  # an integer tensor and a Python float
print((f32 + f64).dtype)  # two tensors with dimensions: the wider wins
print((f32 * 2.5).dtype)  # a Python float does not widen a float tensor
print((f16 + torch.tensor(1.0)).dtype)  # nor does a 0-dim tensor
print((f16 + torch.tensor([1.0])).dtype)  # a 1-element tensor does
print(torch.result_type(i, 2.5), torch.promote_types(torch.int32, torch.float16))
# --8<-- [end:promotion]

# --8<-- [start:default-dtype]
print(torch.get_default_dtype())
print(torch.tensor(1.0).dtype, torch.tensor(1).dtype, torch.tensor(True).dtype)
print(torch.from_numpy(np.array([0.1])).dtype)
print((f32 + torch.from_numpy(np.array([0.1, 0.2]))).dtype)
# --8<-- [end:default-dtype]

# --8<-- [start:exp-overflow]
print(torch.exp(torch.tensor([88.0, 89.0])))
z = torch.tensor([1000.0, 1001.0, 1002.0])
print(torch.exp(z) / torch.exp(z).sum())  # softmax written out: inf / inf
print(torch.softmax(z, dim=0))
print(torch.exp(z - z.max()) / torch.exp(z - z.max()).sum())
print(torch.logsumexp(z, dim=0))
# --8<-- [end:exp-overflow]

# --8<-- [start:underflow]
print(torch.exp(torch.tensor([-87.0, -100.0, -104.0])))
logits = torch.tensor([0.0, 200.0])
p = torch.softmax(logits, dim=0)
print(p, torch.log(p))
print(torch.log_softmax(logits, dim=0))
# --8<-- [end:underflow]

# --8<-- [start:log1p]
tiny = torch.tensor(1e-10)
print(torch.log(1 + tiny), torch.log1p(tiny))
# --8<-- [end:log1p]
