# profiles: cpu
# --8<-- [start:imports]
import networkx as nx
import torch
from torch import nn
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:data]
graph = nx.karate_club_graph()  # Zachary's karate club; ships with networkx
n = graph.number_of_nodes()
edges = torch.tensor(list(graph.edges)).T  # each friendship once: (2, number of friendships)
print(n, edges.shape)
print(edges[:, :5])
labels = torch.tensor([graph.nodes[i]["club"] == "Officer" for i in range(n)]).long()
print(labels)  # 0: went with Mr. Hi, 1: with the administrator ("Officer" in networkx)
# --8<-- [end:data]

# --8<-- [start:both-directions]
edge_index = torch.cat([edges, edges.flip(0)], dim=1)  # a friendship goes both ways
src, dst = edge_index
print(edge_index.shape)
degree = torch.bincount(dst, minlength=n)  # how many friends each member has
print(degree)
# --8<-- [end:both-directions]

# --8<-- [start:message-passing]
torch.manual_seed(0)
x = torch.randn(n, 3)  # 3 numbers for every member
total = torch.zeros(n, 3).index_add_(0, dst, x[src])  # add every member's x to each friend's row
print(total[0], x[list(graph[0])].sum(dim=0))  # member 0: the sum over his 16 friends
# --8<-- [end:message-passing]

# --8<-- [start:sparse]
indices = torch.stack([dst, src])  # row: who receives; column: who sends
adjacency = torch.sparse_coo_tensor(indices, torch.ones(len(src)), (n, n),  # (1)!
                                    check_invariants=True).coalesce()
print(adjacency.shape, adjacency.layout)
print(adjacency.indices()[:, :6])  # sorted by row
print(adjacency.values()[:6])
print(torch.allclose(adjacency @ x, total))  # the same sums, as a matrix product
print(f"dense: {n * n} numbers; sparse: {adjacency.values().numel()} numbers and their indices")
# --8<-- [end:sparse]

# --8<-- [start:big-graph]
nodes, per_node = 100_000, 10  # a random graph: 100,000 nodes, 10 edges into each
rows = torch.arange(nodes).repeat_interleave(per_node)
cols = torch.randint(0, nodes, (nodes * per_node,))
big = torch.sparse_coo_tensor(torch.stack([rows, cols]), torch.ones(len(rows)),
                              (nodes, nodes), check_invariants=True).coalesce()
stored = big.indices().nbytes + big.values().nbytes
print(f"sparse: {stored / 1e6:.0f} MB; dense float32: {nodes * nodes * 4 / 1e9:.0f} GB")
print((big @ torch.ones(nodes, 1)).squeeze()[:5])  # every row adds up its 10 edges
# --8<-- [end:big-graph]

# --8<-- [start:normalize]
loops = torch.arange(n).repeat(2, 1)  # (i, i): every member also hears itself
src_l, dst_l = torch.cat([edge_index, loops], dim=1)
degree_l = degree.float() + 1  # each member's friends, and himself
weights = (degree_l[src_l] * degree_l[dst_l]).rsqrt()  # 1 / sqrt(d_i * d_j)
a_hat = torch.sparse_coo_tensor(torch.stack([dst_l, src_l]), weights, (n, n),
                                check_invariants=True).coalesce()
print(a_hat.to_dense()[0, :6])
# --8<-- [end:normalize]


# --8<-- [start:gcn]
class GCN(nn.Module):
    """Two graph convolutions, each mixing every member's numbers with his friends'."""

    def __init__(self, a_hat, in_features, hidden, classes):
        super().__init__()
        self.register_buffer("a_hat", a_hat)  # saved and moved with the model, never trained
        self.linear1 = nn.Linear(in_features, hidden, bias=False)
        self.bias1 = nn.Parameter(torch.zeros(hidden))
        self.linear2 = nn.Linear(hidden, classes, bias=False)
        self.bias2 = nn.Parameter(torch.zeros(classes))

    def forward(self, x):
        h = torch.relu(self.a_hat @ self.linear1(x) + self.bias1)  # (1)!
        return self.a_hat @ self.linear2(h) + self.bias2
# --8<-- [end:gcn]


# --8<-- [start:train]
one_hot = torch.eye(n)  # (1)!
known = torch.tensor([0, 33])  # the only two members whose side is known: Mr. Hi, the administrator
others = torch.ones(n, dtype=torch.bool)
others[known] = False


def predict_sides(propagation, seed, steps=200):
    """Train a fresh GCN on the two known members; return its side for every member."""
    torch.manual_seed(seed)
    model = GCN(propagation, in_features=n, hidden=16, classes=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    for _ in range(steps):
        loss = F.cross_entropy(model(one_hot)[known], labels[known])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return model(one_hot).argmax(dim=1)


def report(propagation):
    for seed in range(5):
        predicted = predict_sides(propagation, seed)
        right = (predicted[others] == labels[others]).sum().item()
        wrong = torch.nonzero(predicted != labels).flatten()  # among all 34
        print(f"seed {seed}: right on {right} of the other {others.sum().item()} members, "
              f"wrong: {wrong.tolist()}")


report(a_hat)
friends = sorted(graph[8])
print(friends, labels[friends].tolist())  # member 8's friends, and their sides
# --8<-- [end:train]

# --8<-- [start:without-graph]
alone = torch.eye(n).to_sparse()  # only self-loops: every member hears only himself
report(alone)
reach = (a_hat @ a_hat.to_dense())[known] > 0  # within two steps of member 0, of member 33
print(reach.any(dim=0).all())  # with the graph, every member is within two steps of one of them
# --8<-- [end:without-graph]
