# profiles: cpu
# --8<-- [start:imports]
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info
# --8<-- [end:imports]


# --8<-- [start:dataset]
class Noisy(Dataset):
    """Each sample says which process loaded it and carries two random numbers:
    one from torch's global generator, one from a generator the dataset owns."""

    def __init__(self):
        self.rng = torch.Generator().manual_seed(1)  # (1)!

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = get_worker_info()  # (2)!
        worker = info.id if info is not None else -1
        shared = torch.rand(()).item()
        own = torch.rand((), generator=self.rng).item()
        return i, worker, round(shared, 4), round(own, 4)
# --8<-- [end:dataset]


# --8<-- [start:show]
def show(loader):
    for index, worker, shared, own in loader:
        print(index.tolist(), worker.tolist(), shared.tolist(), own.tolist())
# --8<-- [end:show]


# --8<-- [start:seed-worker]
def seed_worker(worker_id):
    info = get_worker_info()
    info.dataset.rng.manual_seed(info.seed)  # (1)!
# --8<-- [end:seed-worker]


# --8<-- [start:main]
def main():
    torch.manual_seed(0)
    print("num_workers=0")
    show(DataLoader(Noisy(), batch_size=2))

    print("num_workers=2")
    loader = DataLoader(
        Noisy(), batch_size=2, num_workers=2,
        generator=torch.Generator().manual_seed(0),  # (1)!
    )
    show(loader)

    print("num_workers=2, worker_init_fn=seed_worker")
    loader = DataLoader(
        Noisy(), batch_size=2, num_workers=2, worker_init_fn=seed_worker,
        generator=torch.Generator().manual_seed(0),
    )
    show(loader)


if __name__ == "__main__":  # (2)!
    main()
# --8<-- [end:main]
