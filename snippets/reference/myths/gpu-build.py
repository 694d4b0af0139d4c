# profiles: cpu, cuda
import torch

torch.manual_seed(0)

# --8<-- [start:what-the-build-supports]
print("CUDA GPU usable:", torch.cuda.is_available())
if torch.cuda.is_available():
    major, minor = torch.cuda.get_device_capability()
    arch = f"sm_{major}{minor}"
    print("built for CUDA:", torch.version.cuda)
    print("this GPU:", torch.cuda.get_device_name(), arch)
    print("compiled for:", " ".join(torch.cuda.get_arch_list()))
    print(f"{arch} compiled in:", arch in torch.cuda.get_arch_list())
# --8<-- [end:what-the-build-supports]
