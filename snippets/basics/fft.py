# profiles: cpu
# --8<-- [start:imports]
import math

import torch
from torch.nn import functional as F
# --8<-- [end:imports]

# --8<-- [start:signal]
rate = 1000  # samples per second
t = torch.arange(rate) / rate  # one second
torch.manual_seed(0)
clean = torch.sin(2 * math.pi * 50 * t) + 0.5 * torch.sin(2 * math.pi * 120 * t)  # 50 Hz and 120 Hz
signal = clean + 0.8 * torch.randn(rate)  # plus noise
print(signal.shape, signal[:5])
# --8<-- [end:signal]

# --8<-- [start:rfft]
spectrum = torch.fft.rfft(signal, norm="forward")  # (1)!
freqs = torch.fft.rfftfreq(rate, d=1 / rate)  # the frequency of each entry, in Hz
print(spectrum.shape, spectrum.dtype, freqs[:3], freqs[-1])
amplitude = 2 * spectrum.abs()  # (2)!
top = amplitude.topk(4)
print(freqs[top.indices], top.values)
# --8<-- [end:rfft]

# --8<-- [start:fft]
full = torch.fft.fft(signal, norm="forward")
print(full.shape, torch.allclose(full[:len(spectrum)], spectrum))
print(full[50], full[950])  # entries k and N - k are complex conjugates
# --8<-- [end:fft]

# --8<-- [start:filter]
kept = spectrum * (amplitude > 0.3)  # keep the two strong frequencies, zero the rest
filtered = torch.fft.irfft(kept, n=rate, norm="forward")
print(f"error before {F.mse_loss(signal, clean):.4f}, after {F.mse_loss(filtered, clean):.4f}")
# --8<-- [end:filter]

# --8<-- [start:leakage]
tone = torch.sin(2 * math.pi * 50.5 * t)  # 50.5 Hz: between two entries of the spectrum
plain = 2 * torch.fft.rfft(tone, norm="forward").abs()
window = torch.hann_window(rate)  # (1)!


def windowed_amplitude(signal):
    return 2 * torch.fft.rfft(signal * window).abs() / window.sum()  # window.sum() in place of N


windowed = windowed_amplitude(tone)
print(freqs[47:55])
print(plain[47:55])
print(windowed[47:55])
print(f"entries above 0.01: {(plain > 0.01).sum()} without a window, {(windowed > 0.01).sum()} with")
on_grid = torch.sin(2 * math.pi * 50 * t)  # 50 Hz, on the grid, with the window
print(windowed_amplitude(on_grid)[47:55].round(decimals=4))
# --8<-- [end:leakage]

# --8<-- [start:convolution]
x = torch.randn(1000)
kernel = torch.randn(101)
direct = F.conv1d(x.view(1, 1, -1), kernel.flip(0).view(1, 1, -1),  # (1)!
                  padding=len(kernel) - 1).flatten()
n = len(x) + len(kernel) - 1  # 1100: the length of the full convolution
via_fft = torch.fft.irfft(torch.fft.rfft(x, n=n) * torch.fft.rfft(kernel, n=n), n=n)
print(direct.shape, (direct - via_fft).abs().max())
# no padding: both transforms as long as x
circular = torch.fft.irfft(torch.fft.rfft(x) * torch.fft.rfft(kernel, n=len(x)), n=len(x))
error = (direct[:len(x)] - circular).abs()
print(error[:100].max(), error[100:].max())  # (2)!
# --8<-- [end:convolution]

# --8<-- [start:stft]
frequency = 50 + 200 * t  # a chirp: its frequency rises from 50 Hz to 250 Hz over the second
chirp = torch.sin(2 * math.pi * torch.cumsum(frequency, dim=0) / rate)
n_fft, hop = 128, 100  # frames of 128 samples, starting every 100
stft = torch.stft(chirp, n_fft=n_fft, hop_length=hop, window=torch.hann_window(n_fft),
                  return_complex=True)  # (1)!
print(stft.shape)
stft_freqs = torch.fft.rfftfreq(n_fft, d=1 / rate)
print(stft_freqs[stft.abs().argmax(dim=0)])  # the strongest frequency in each frame
centres = torch.arange(stft.shape[1]) * hop / rate  # frame k is centred at sample k * hop
print(50 + 200 * centres)  # the true frequency there
# --8<-- [end:stft]
