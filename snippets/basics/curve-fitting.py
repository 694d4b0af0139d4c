# profiles: cpu
# --8<-- [start:imports]
import torch

torch.manual_seed(0)
# --8<-- [end:imports]

# --8<-- [start:data]
t = torch.linspace(0, 20, 401, dtype=torch.float64)  # a reading every 0.05 s from 0 to 20 s, both ends included
truth = torch.tensor([2.0, 0.1, 2.5, 0.5], dtype=torch.float64)  # amplitude, decay, angular frequency, phase


def oscillation(params, t):
    amplitude, decay, omega, phase = params
    return amplitude * torch.exp(-decay * t) * torch.cos(omega * t + phase)


y = oscillation(truth, t) + 0.1 * torch.randn_like(t)  # what was measured: the motion plus noise
print(y[:5])
# --8<-- [end:data]


# --8<-- [start:loss]
def mse(params):
    return (oscillation(params, t) - y).pow(2).mean()


guess = [1.0, 0.1, 2.0, 0.0]  # a rough first guess
params = torch.tensor(guess, dtype=torch.float64, requires_grad=True)
print(f"{mse(params).item():.4f}")
# --8<-- [end:loss]

# --8<-- [start:adam]
optimizer = torch.optim.Adam([params], lr=0.01)  # (1)!
for step in range(1, 1001):
    loss = mse(params)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step in (10, 100, 300, 1000):
        print(f"step {step:4d}: loss {loss.item():.6f}")
print(params.detach())
# --8<-- [end:adam]


# --8<-- [start:lbfgs]
def fit_lbfgs(params, loss_fn):
    """Fit params in place with L-BFGS, minimizing loss_fn(params); return the number of loss evaluations."""
    optimizer = torch.optim.LBFGS([params], max_iter=100, line_search_fn="strong_wolfe")
    calls = 0

    def closure():  # (1)!
        nonlocal calls
        calls += 1
        optimizer.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        return loss

    optimizer.step(closure)  # (2)!
    return calls


params = torch.tensor(guess, dtype=torch.float64, requires_grad=True)
calls = fit_lbfgs(params, mse)
print(f"loss {mse(params).item():.6f} after {calls} evaluations")
print(params.detach())
# --8<-- [end:lbfgs]


# --8<-- [start:bad-start]
params = torch.tensor([1.0, 0.1, 6.0, 0.0], dtype=torch.float64, requires_grad=True)  # omega far off
seen = []


def logged_mse(p):
    loss = mse(p)
    seen.append((p.detach().clone(), loss.detach()))  # every point L-BFGS tries, with its loss
    return loss


fit_lbfgs(params, logged_mse)
print(params.detach())
first_bad = next(p for p, loss in seen if not torch.isfinite(loss))
print(first_bad)
print(torch.exp(-first_bad[1] * 20))  # exp(-decay * t) at t = 20
# --8<-- [end:bad-start]


# --8<-- [start:positive]
def physical(raw):
    """The parameters of the formula from the ones optimized: the decay is exp(log_decay), always positive."""
    amplitude, log_decay, omega, phase = raw
    return torch.stack([amplitude, log_decay.exp(), omega, phase])  # (1)!


raw = torch.tensor([1.0, -2.3, 6.0, 0.0], dtype=torch.float64, requires_grad=True)  # decay about 0.1, omega 6 again
calls = fit_lbfgs(raw, lambda r: mse(physical(r)))
params = physical(raw).detach()
print(f"loss {mse(params).item():.6f} after {calls} evaluations")
print(params)
# --8<-- [end:positive]

# --8<-- [start:uncertainty]
jacobian = torch.func.jacrev(oscillation)(params, t)  # (401, 4): how each prediction moves with each parameter
residuals = y - oscillation(params, t)
variance = residuals.pow(2).sum() / (len(t) - len(params))  # s², the noise variance: n readings less p parameters
covariance = variance * torch.linalg.inv(jacobian.T @ jacobian)  # (1)!
std_errors = covariance.diagonal().sqrt()
print(f"noise: {variance.sqrt():.4f}")
names = ["amplitude", "decay", "omega", "phase"]
for name, true, fitted, error in zip(names, truth, params, std_errors, strict=True):
    print(f"{name:9s} {true:.3f}  {fitted:.4f} ± {error:.4f}  ({(fitted - true) / error:+.1f} σ off)")
# --8<-- [end:uncertainty]

# --8<-- [start:scipy]
import numpy as np  # noqa: E402
from scipy.optimize import curve_fit  # noqa: E402


def oscillation_np(t, amplitude, decay, omega, phase):
    return amplitude * np.exp(-decay * t) * np.cos(omega * t + phase)


popt, pcov = curve_fit(oscillation_np, t.numpy(), y.numpy(), p0=guess)
print(popt)
print(f"largest differences: {np.abs(popt - params.numpy()).max():.1e} in the parameters, "
      f"{np.abs(np.sqrt(pcov.diagonal()) - std_errors.numpy()).max():.1e} in their standard errors")
# --8<-- [end:scipy]
