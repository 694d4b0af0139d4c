# profiles: cpu
# compare: same-cpu (training amplifies the last digits of the processor's arithmetic)
"""Forecasting a time series with an LSTM: a made-up hourly series whose best possible forecast error
is known, a split by time, windows, two naive baselines, training, the test error, and forecasting a
whole day ahead."""
# --8<-- [start:data]
import math

import torch
from torch import nn

torch.manual_seed(0)
hours = 2000
t = torch.arange(hours, dtype=torch.float32)
shocks = 0.4 * torch.randn(hours)  # what nobody can predict
noise = torch.zeros(hours)
for i in range(1, hours):
    noise[i] = 0.7 * noise[i - 1] + shocks[i]  # (1)!
series = 10 + 3 * torch.sin(2 * math.pi * t / 24) + 1.5 * torch.sin(2 * math.pi * t / 168) + noise
print(series[:6])
print(f"best possible error one hour ahead: {0.4 * math.sqrt(2 / math.pi):.3f}")  # (2)!
# --8<-- [end:data]


# --8<-- [start:split]
train_end, val_end = 1400, 1700  # the first 1400 hours train, the next 300 validate, the last 300 test
mean, std = series[:train_end].mean(), series[:train_end].std()  # (1)!
z = (series - mean) / std
print(f"mean {mean:.3f}, std {std:.3f}")
# --8<-- [end:split]


# --8<-- [start:windows]
LOOKBACK = 48  # the model sees the last two days


def windows(start, end, ahead=1):
    """Inputs of LOOKBACK hours, each with the `ahead` hours after it; targets up to hour end-1."""
    w = z[max(start - LOOKBACK, 0):end].unfold(0, LOOKBACK + ahead, 1)  # (1)!
    return w[:, :LOOKBACK, None], w[:, LOOKBACK:].squeeze(-1)


x_train, y_train = windows(0, train_end)
x_val, y_val = windows(train_end, val_end)
x_test, y_test = windows(val_end, hours)
print(x_train.shape, y_train.shape)
print(x_val.shape, x_test.shape)
# --8<-- [end:windows]


# --8<-- [start:baselines]
def mae(prediction, target):
    """The mean absolute error, in the series' own units."""
    return ((prediction - target).abs().mean() * std).item()


print(f"last value:          {mae(x_test[:, -1, 0], y_test):.3f}")
print(f"same hour a day ago: {mae(x_test[:, -24, 0], y_test):.3f}")
# --8<-- [end:baselines]


# --8<-- [start:model]
class Forecaster(nn.Module):
    def __init__(self, hidden=32, ahead=1):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.head = nn.Linear(hidden, ahead)

    def forward(self, x):  # x: (batch, LOOKBACK, 1)
        out, _ = self.lstm(x)  # out: (batch, LOOKBACK, hidden)
        return self.head(out[:, -1]).squeeze(-1)  # (1)!


model = Forecaster()
print(sum(p.numel() for p in model.parameters()), "parameters")
# --8<-- [end:model]


# --8<-- [start:train]
def fit(model, x_train, y_train, x_val, y_val, epochs=15):
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(x_train))  # (1)!
        for i in range(0, len(order), 64):
            batch = order[i:i + 64]
            loss = nn.functional.mse_loss(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch % 3 == 0:
            model.eval()
            with torch.no_grad():
                print(f"epoch {epoch:2d}: validation error {mae(model(x_val), y_val):.3f}")
    model.eval()


fit(model, x_train, y_train, x_val, y_val)
# --8<-- [end:train]


# --8<-- [start:test]
with torch.no_grad():
    print(f"LSTM, test error: {mae(model(x_test), y_test):.3f}")
# --8<-- [end:test]


# --8<-- [start:multi-step]
HORIZON = 24
starts = torch.arange(val_end, hours - HORIZON + 1, 4)  # forecasts made every 4 hours of the test part
history = torch.stack([z[s - LOOKBACK:s] for s in starts])[:, :, None]
truth = torch.stack([z[s:s + HORIZON] for s in starts])
with torch.no_grad():
    x, forecast = history, []
    for _ in range(HORIZON):
        step = model(x)
        forecast.append(step)
        x = torch.cat([x[:, 1:], step[:, None, None]], dim=1)  # (1)!
    forecast = torch.stack(forecast, dim=1)
columns = {"LSTM, rolled": forecast, "last value": history[:, -1].expand(-1, HORIZON),
           "a day ago": history[:, -24:, 0]}


def report(columns):
    print("hours ahead  best possible" + "".join(f"{name:>17}" for name in columns))
    for h in (1, 4, 12, 24):
        best = 0.4 * math.sqrt((1 - 0.7 ** (2 * h)) / (1 - 0.7**2)) * math.sqrt(2 / math.pi)  # (2)!
        errors = "".join(f"{mae(f[:, h - 1], truth[:, h - 1]):17.3f}" for f in columns.values())
        print(f"{h:11d}  {best:13.3f}{errors}")


report(columns)
# --8<-- [end:multi-step]


# --8<-- [start:direct]
x_train24, y_train24 = windows(0, train_end, ahead=HORIZON)
x_val24, y_val24 = windows(train_end, val_end, ahead=HORIZON)
print(x_train24.shape, y_train24.shape)
direct = Forecaster(ahead=HORIZON)  # one output per hour ahead
fit(direct, x_train24, y_train24, x_val24, y_val24)
with torch.no_grad():
    columns["LSTM, 24 at once"] = direct(history)
report(columns)
# --8<-- [end:direct]
