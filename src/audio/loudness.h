// Loudness after EBU R128 / ITU-R BS.1770: K-weighted gated loudness, true peak, a peak
// limiter, and the gains that bring a chapter to one target.
//
// The work is done once per utterance, when it is synthesised (and cached with its audio):
// its 400 ms loudness blocks, its peaks limited to a fixed distance above its own loudness,
// and its true peak. A chapter's loudness is then gated over the blocks of its utterances,
// and its gain is found from those figures alone, without reading the chapter's audio again.
// libebur128 is the reference: the tests check these figures against it. It is not used here
// because measuring a whole chapter with it costs a third of eSpeak NG's synthesis time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace troupe {

struct LoudnessTarget {
  double integrated = -18.0;  // LUFS
  double true_peak = -3.0;    // dBTP, at most
  // troupe aims this far under true_peak: for the rounding to 16 bits and for meters whose
  // interpolation differs from BS.1770's; more for lossy formats, whose decoded peaks
  // overshoot (see peak_margin_for).
  double peak_margin = 0.2;
};

// The margin that keeps a format's decoded true peak under the target: 0.2 dB for PCM (WAV,
// FLAC), 0.6 for MP3, 1.0 for Vorbis, 1.5 for Opus (measured on eSpeak NG speech).
double peak_margin_for(const char* format_extension);

// How far above its own loudness an utterance's true peak may reach (dB), so that every
// utterance can be brought to the target's loudness without passing the target's true peak:
// the target's peak-to-loudness range less 1 dB of room for voices louder than the chapter.
double limiter_headroom(const LoudnessTarget& target);

// What the chapter stage needs of one utterance.
struct UtteranceLevels {
  // Mean square of the K-weighted signal (full scale 1.0) of each 400 ms block, 100 ms apart,
  // that overlaps the utterance (the utterance padded with silence on both sides).
  std::vector<float> blocks;
  float true_peak = 0;  // linear, full scale 1.0, 4x oversampled, silence on both sides
};

// Limits the peaks of samples (in place) to headroom_db above the utterance's own loudness
// and measures the result. A silent utterance is left as it is.
UtteranceLevels level_utterance(std::vector<int16_t>& samples, int sample_rate, double headroom_db);

// The K-weighted mean square of each 400 ms block (100 ms hop) overlapping samples.
std::vector<float> loudness_blocks(const int16_t* samples, std::size_t count, int sample_rate);

// For tests: false makes loudness_blocks and level_utterance run the K-weighting filter on
// 4-lane vectors (SSE, NEON) even where the CPU has AVX; true (the default) lets them choose.
void allow_avx_filter(bool allowed);

// Gated loudness (LUFS) of blocks of mean squares; -70 or less for silence.
double gated_loudness(const std::vector<float>& blocks);

// Linear peak (full scale 1.0) of the samples and of BS.1770 Annex 2's 4x-oversampled points,
// these computed only in the two intervals beside each local maximum of |x| at or above half
// the sample peak. That approximates BS.1770's true peak (the largest of all the points); it is
// not exact: an oversampled peak can lie elsewhere (and half the sample peak would bound the
// points of the quieter samples only if no phase's |taps| summed to more than 2: two sum to
// 2.0228). On story 002's speech cut at its silences into 1,037 pieces it missed one peak, by
// 0.070 dB, inside the 0.2 dB PCM margin; on made-up worst cases it misses up to about 1 dB
// (tones near Nyquist), and 4.6 dB on one constructed for it.
float true_peak(const int16_t* samples, std::size_t count);

// BS.1770-4 Annex 2: the 48-tap interpolation filter for 4x oversampling, as four phases of
// 12 taps; the phases give four points between the samples under taps 5 and 6.
inline constexpr float kTruePeakPhases[4][12] = {
    {0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f, -0.0594482421875f,
     0.1373291015625f, 0.9721679687500f, -0.1022949218750f, 0.0476074218750f, -0.0266113281250f,
     0.0148925781250f, -0.0083007812500f},
    {-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f, -0.1665039062500f,
     0.4650878906250f, 0.7797851562500f, -0.2003173828125f, 0.1015625000000f, -0.0582275390625f,
     0.0330810546875f, -0.0189208984375f},
    {-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f, -0.2003173828125f,
     0.7797851562500f, 0.4650878906250f, -0.1665039062500f, 0.0891113281250f, -0.0517578125000f,
     0.0292968750000f, -0.0291748046875f},
    {-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f, -0.1022949218750f,
     0.9721679687500f, 0.1373291015625f, -0.0594482421875f, 0.0332031250000f, -0.0196533203125f,
     0.0109863281250f, 0.0017089843750f},
};

// x clamped to 16 bits and rounded to the nearest integer (ties to even), without a branch,
// so that loops of it vectorise: adding 1.5 * 2^23 leaves the rounded integer in the low bits.
inline int16_t round_to_int16(float x) {
  x = -32768.0f > x ? -32768.0f : x;  // written so that it compiles to maxss / minss
  x = 32767.0f < x ? 32767.0f : x;
  const float shifted = x + 12582912.0f;
  std::int32_t bits;
  __builtin_memcpy(&bits, &shifted, sizeof bits);
  return static_cast<int16_t>(bits - 0x4B400000);
}
int16_t to_int16(float x);  // the same, out of line

// samples[i] = round_to_int16(samples[i] * gain) for every sample, sixteen at a time with AVX2,
// eight with SSE2.
void scale_samples(int16_t* samples, std::size_t count, float gain);

double to_db(double linear);
double from_db(double db);

// How a chapter is brought to the target: every utterance u is multiplied by gain * factors[u].
// factors[u] < 1 turns down an utterance that would otherwise pass the true peak limit.
struct ChapterLevelling {
  double gain = 1.0;
  std::vector<float> factors;
  double integrated = -70;  // LUFS after levelling
  double true_peak = -100;  // dBTP after levelling
};

ChapterLevelling level_chapter(const std::vector<UtteranceLevels>& utterances,
                               const LoudnessTarget& target);

}  // namespace troupe
