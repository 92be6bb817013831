#include "audio/pitch.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace troupe {
namespace {

// YIN steps 2-3: the difference function, cumulative-mean normalised, for lags 0..max_lag.
std::vector<double> normalised_difference(const float* x, int window, int max_lag) {
  std::vector<double> d(max_lag + 1, 0.0);
  for (int lag = 1; lag <= max_lag; ++lag) {
    double sum = 0;
    for (int j = 0; j < window; ++j) {
      const double delta = static_cast<double>(x[j]) - x[j + lag];
      sum += delta * delta;
    }
    d[lag] = sum;
  }
  d[0] = 1;
  double running = 0;
  for (int lag = 1; lag <= max_lag; ++lag) {
    running += d[lag];
    d[lag] = running > 0 ? d[lag] * lag / running : 1;
  }
  return d;
}

// YIN step 5: the lag's minimum refined by the parabola through its neighbours.
double parabolic_lag(const std::vector<double>& d, int lag) {
  if (lag <= 0 || lag + 1 >= static_cast<int>(d.size())) return lag;
  const double left = d[lag - 1], mid = d[lag], right = d[lag + 1];
  const double denominator = left - 2 * mid + right;
  if (denominator <= 0) return lag;
  return lag + 0.5 * (left - right) / denominator;
}

double rms(const float* x, int count) {
  double sum = 0;
  for (int i = 0; i < count; ++i) sum += static_cast<double>(x[i]) * x[i];
  return count > 0 ? std::sqrt(sum / count) : 0;
}

// One RBJ-cookbook biquad high-pass section, direct form I.
struct HighPass {
  double b0, b1, b2, a1, a2;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;

  HighPass(double cutoff_hz, int sample_rate, double q) {
    const double w = 2 * std::numbers::pi * cutoff_hz / sample_rate;
    const double alpha = std::sin(w) / (2 * q), c = std::cos(w), a0 = 1 + alpha;
    b0 = (1 + c) / 2 / a0;
    b1 = -(1 + c) / a0;
    b2 = b0;
    a1 = -2 * c / a0;
    a2 = (1 - alpha) / a0;
  }

  double step(double x) {
    const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    return y;
  }
};

}  // namespace

std::optional<double> yin_frame(const float* samples, int window, int min_lag, int max_lag,
                                int sample_rate, double threshold) {
  const std::vector<double> d = normalised_difference(samples, window, max_lag);
  // YIN step 4: the first dip under the threshold, followed down to its minimum.
  for (int lag = min_lag; lag <= max_lag; ++lag) {
    if (d[lag] >= threshold) continue;
    while (lag + 1 <= max_lag && d[lag + 1] < d[lag]) ++lag;
    if (lag == max_lag) return std::nullopt;  // still falling at the edge: below the range
    return sample_rate / parabolic_lag(d, lag);
  }
  return std::nullopt;
}

std::vector<double> track_pitch(const std::vector<float>& samples, int sample_rate,
                                const PitchOptions& options) {
  const int window = static_cast<int>(std::lround(options.window_s * sample_rate));
  const int hop = std::max(1, static_cast<int>(std::lround(options.hop_s * sample_rate)));
  const int min_lag = std::max(2, static_cast<int>(std::floor(sample_rate / options.max_hz)));
  const int max_lag = static_cast<int>(std::ceil(sample_rate / options.min_hz));
  const double silence = std::pow(10.0, options.silence_dbfs / 20);
  std::vector<double> f0s;
  const int total = static_cast<int>(samples.size());
  for (int start = 0; start + window + max_lag + 1 <= total; start += hop) {
    const float* frame = samples.data() + start;
    if (rms(frame, window) < silence) continue;
    if (auto f0 = yin_frame(frame, window, min_lag, max_lag, sample_rate, options.threshold)) {
      if (*f0 >= options.min_hz && *f0 <= options.max_hz) f0s.push_back(*f0);
    }
  }
  return f0s;
}

std::vector<float> to_float(const int16_t* samples, std::size_t count) {
  std::vector<float> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<float>(samples[i] / 32768.0);
  return out;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double weight = position - static_cast<double>(below);
  return values[below] * (1 - weight) + values[above] * weight;
}

double semitone_spread(const std::vector<double>& f0s) {
  if (f0s.empty()) return 0;
  return 12 * std::log2(quantile(f0s, 0.9) / quantile(f0s, 0.1));
}

double energy_share_above(const std::vector<float>& samples, int sample_rate, double cutoff_hz) {
  // Two sections with the Q's of a 4th-order Butterworth.
  HighPass first(cutoff_hz, sample_rate, 0.54119610), second(cutoff_hz, sample_rate, 1.3065630);
  double total = 0, high = 0;
  for (const float x : samples) {
    const double y = second.step(first.step(x));
    total += static_cast<double>(x) * x;
    high += y * y;
  }
  return total > 0 ? std::min(1.0, high / total) : 0;
}

}  // namespace troupe
