# profiles: cpu
import torch

# --8<-- [start:flip-and-roll]
x = torch.arange(6).reshape(2, 3)
print(x)
print(x.flip(1))  # each row reversed
print(x.flip(0, 1))  # rows and columns reversed
print(x.roll(1, dims=1))  # each row shifted one place right; the last element wraps to the front
print(x.roll(-1, dims=1))
print(x.roll(1))  # (1)!
# --8<-- [end:flip-and-roll]

# --8<-- [start:repeat]
v = torch.tensor([1, 2, 3])
print(v.repeat(2))  # the whole tensor, twice
print(v.repeat_interleave(2))  # each element, twice
m = torch.tensor([[1, 2], [3, 4]])
print(m.repeat(2, 3))  # (1)!
print(m.repeat_interleave(2, dim=0))  # each row, twice
print(m.repeat_interleave(2))  # no dim: flattened first
# --8<-- [end:repeat]

# --8<-- [start:repeat-counts]
lengths = torch.tensor([3, 1, 2])  # three sequences, 6 tokens in all
sequence_of_token = torch.arange(3).repeat_interleave(lengths)
print(sequence_of_token)
labels = torch.tensor([7, 8, 9])  # one label per sequence
print(labels.repeat_interleave(lengths))  # one per token
print(labels[sequence_of_token])  # the same, by indexing
# --8<-- [end:repeat-counts]

# --8<-- [start:tril-triu]
s = torch.arange(1, 10).reshape(3, 3)
print(s.tril())  # on and below the diagonal; the rest becomes 0
print(s.triu(diagonal=1))  # strictly above the diagonal
causal = torch.ones(4, 4, dtype=torch.bool).tril()  # row i: True for columns 0..i
print(causal)
# --8<-- [end:tril-triu]
