# profiles: cuda
import gc

import torch

torch.manual_seed(0)
gc.collect()  # whatever ran before in this process: free its tensors too

# --8<-- [start:measure]
MiB = 2**20
torch.cuda.empty_cache()  # start from an empty cache
base_allocated = torch.cuda.memory_allocated()
base_reserved = torch.cuda.memory_reserved()


def show(when):
    allocated = (torch.cuda.memory_allocated() - base_allocated) // MiB
    reserved = (torch.cuda.memory_reserved() - base_reserved) // MiB
    print(f"{when:<24} allocated {allocated:>5} MiB   reserved {reserved:>5} MiB")
# --8<-- [end:measure]


# --8<-- [start:allocate]
x = torch.empty(256, 1024, 1024, device="cuda")  # 256 Mi float32 = 1 GiB
show("after torch.empty")
# --8<-- [end:allocate]

# --8<-- [start:empty-cache-keeps-live-tensors]
torch.cuda.empty_cache()
show("empty_cache, x alive")
# --8<-- [end:empty-cache-keeps-live-tensors]

# --8<-- [start:del-then-empty-cache]
del x
show("after del x")
torch.cuda.empty_cache()
show("then empty_cache")
# --8<-- [end:del-then-empty-cache]
