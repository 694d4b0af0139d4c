# profiles: cpu
# compare: same-cpu (60 rounds of sampled play: another CPU model rounds the small matrix products differently, and the sampled actions drift apart)
# --8<-- [start:imports]
import torch
from torch import nn
from torch.distributions import Categorical

torch.manual_seed(0)
# --8<-- [end:imports]


# --8<-- [start:env]
class CartPole:
    """n carts at once. Each row of `state`: cart position, cart velocity, pole angle, angular velocity."""

    gravity, cart_mass, pole_mass, half_length = 9.8, 1.0, 0.1, 0.5  # m/s², kg, kg, m
    push, dt = 10.0, 0.02  # newtons per push, seconds per step

    def __init__(self, n):
        self.n = n

    def reset(self):
        self.state = torch.empty(self.n, 4).uniform_(-0.05, 0.05)  # nearly upright, nearly still
        return self.state

    def step(self, action):  # action: 0 pushes left, 1 pushes right
        x, velocity, angle, spin = self.state.unbind(dim=1)
        force = torch.where(action == 1, self.push, -self.push)
        cos, sin = angle.cos(), angle.sin()
        total = self.cart_mass + self.pole_mass
        # the push plus the swinging pole's pull, per kilogram of cart and pole
        shove = (force + self.pole_mass * self.half_length * spin**2 * sin) / total
        spin_acc = (self.gravity * sin - cos * shove) / (
            self.half_length * (4 / 3 - self.pole_mass * cos**2 / total)
        )
        acc = shove - self.pole_mass * self.half_length * spin_acc * cos / total
        self.state = torch.stack(
            [x + self.dt * velocity, velocity + self.dt * acc, angle + self.dt * spin, spin + self.dt * spin_acc],
            dim=1,
        )
        fallen = (self.state[:, 0].abs() > 2.4) | (self.state[:, 2].abs() > torch.pi / 15)  # 2.4 m, 12°
        return self.state, fallen
# --8<-- [end:env]


# --8<-- [start:play]
MAX_STEPS = 500


def play(policy, env, greedy=False):
    """Run all carts until every one has fallen or MAX_STEPS pass; return the log-probabilities and who was up."""
    state = env.reset()
    alive = torch.ones(env.n, dtype=torch.bool)
    log_probs, alives = [], []
    for _ in range(MAX_STEPS):
        logits = policy(state)
        if greedy:
            action = logits.argmax(dim=1)  # the likelier action, no sampling
        else:
            dist = Categorical(logits=logits)
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
        alives.append(alive)  # (1)!
        state, fallen = env.step(action)
        alive = alive & ~fallen
        if not alive.any():
            break
    alives = torch.stack(alives).float()  # (steps, n): 1 where that cart was still up
    return (torch.stack(log_probs) if log_probs else None), alives


def lengths(alives):
    return alives.sum(dim=0)  # steps each cart stayed up: its total reward
# --8<-- [end:play]

# --8<-- [start:random-policy]
env = CartPole(32)


def coin(state):
    return torch.zeros(len(state), 2)  # equal logits: left or right with probability 1/2


_, alives = play(coin, env)
steps = lengths(alives)
print(steps)
print(f"random pushes: {steps.mean():.1f} steps on average")
# --8<-- [end:random-policy]

# --8<-- [start:policy]
policy = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 2))  # state -> logits of left, right
print(Categorical(logits=policy(env.reset()[:3])).probs)
# --8<-- [end:policy]


# --8<-- [start:returns]
def returns_to_go(alives, gamma=0.99):
    """G_t = r_t + gamma * r_(t+1) + ...: the discounted reward from step t to the end, 1 per step."""
    returns = torch.zeros_like(alives)
    later = torch.zeros(alives.shape[1])
    for t in reversed(range(len(alives))):
        later = alives[t] * (1 + gamma * later)
        returns[t] = later
    return returns


print(returns_to_go(torch.tensor([[1.0], [1.0], [1.0], [0.0]])).flatten())  # up 3 steps, then fallen
# --8<-- [end:returns]


# --8<-- [start:loss]
def reinforce_loss(log_probs, alives):
    returns = returns_to_go(alives)
    up = alives.sum(dim=1, keepdim=True)  # how many carts are still up at each step
    baseline = (returns.sum(dim=1, keepdim=True) - returns) / (up - 1).clamp(min=1)  # (1)!
    advantage = returns - baseline  # better or worse than the other carts at the same step
    return -(log_probs * advantage * alives).sum() / alives.sum()  # (2)!
# --8<-- [end:loss]


# --8<-- [start:train]
optimizer = torch.optim.Adam(policy.parameters(), lr=0.01)
for update in range(1, 61):
    log_probs, alives = play(policy, env)
    loss = reinforce_loss(log_probs, alives)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if update % 10 == 0:
        steps = lengths(alives)
        print(f"update {update}: {steps.mean():5.1f} steps on average, {(steps == MAX_STEPS).sum()} of {env.n} to the end")
# --8<-- [end:train]

# --8<-- [start:evaluate]
with torch.no_grad():
    _, alives = play(policy, CartPole(100), greedy=True)
steps = lengths(alives)
print(f"100 new carts: {steps.mean():.1f} steps on average, shortest {steps.min():.0f}")
# --8<-- [end:evaluate]

# --8<-- [start:inspect]
angles = torch.tensor([-0.1, -0.05, 0.0, 0.05, 0.1])  # radians; positive: the pole leans right
spins = torch.tensor([-0.5, 0.0, 0.5])  # radians per second; positive: the pole is turning to the right
states = torch.zeros(len(spins), len(angles), 4)
states[..., 2] = angles
states[..., 3] = spins[:, None]
with torch.no_grad():
    right = policy(states).softmax(dim=-1)[..., 1]  # (3, 5): the probability of pushing right
print("spin \\ angle", " ".join(f"{a:+6.1f}°" for a in angles.rad2deg()))
for spin, row in zip(spins, right, strict=True):
    print(f"{spin:+5.1f} rad/s  ", " ".join(f"{p:7.2f}" for p in row))
# --8<-- [end:inspect]
