// Pitch and brightness of speech: a YIN fundamental-frequency tracker (de Cheveigné and
// Kawahara, 2002) and the share of energy above 1 kHz. The same measure serves the voice
// profiles' calibration (casting) and the checks on rendered audio (tests).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace troupe {

struct PitchOptions {
  double min_hz = 55;         // lowest F0 searched
  double max_hz = 500;        // highest F0 searched
  double threshold = 0.15;    // YIN's absolute threshold on the normalised difference
  double window_s = 0.025;    // integration window
  double hop_s = 0.010;       // frame step
  double silence_dbfs = -45;  // frames quieter than this (RMS) are unvoiced
};

// The F0 of one frame: samples[0 .. window + max lag). nullopt when unvoiced.
std::optional<double> yin_frame(const float* samples, int window, int min_lag, int max_lag,
                                int sample_rate, double threshold);

// F0 in Hz of every voiced frame of a mono signal, in order.
std::vector<double> track_pitch(const std::vector<float>& samples, int sample_rate,
                                const PitchOptions& options = {});
std::vector<float> to_float(const int16_t* samples, std::size_t count);

// The q-quantile (0..1) of values, linear between order statistics; 0 for none.
double quantile(std::vector<double> values, double q);

// How far F0 moves: semitones from the 10th to the 90th percentile; 0 for none.
double semitone_spread(const std::vector<double>& f0s);

// Share (0..1) of the signal's energy above cutoff_hz, by a 4th-order Butterworth high-pass.
double energy_share_above(const std::vector<float>& samples, int sample_rate,
                          double cutoff_hz = 1000);

}  // namespace troupe
