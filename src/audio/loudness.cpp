#include "audio/loudness.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace troupe {
namespace {

constexpr double kAbsoluteGate = -70.0;  // LUFS
constexpr double kRelativeGate = -10.0;  // LU below the ungated loudness
// The limiter aims its sample peaks this far under its threshold, for inter-sample peaks.
constexpr double kSampleMarginDb = 0.3;
// Gain changes at most this fast: fast down before a peak, slowly back up after it.
constexpr double kAttackDbPerMs = 3.0;
constexpr double kReleaseDbPerMs = 0.25;

double block_loudness(double mean_square) {
  return mean_square > 0 ? -0.691 + 10.0 * std::log10(mean_square)
                         : -std::numeric_limits<double>::infinity();
}

// BS.1770's K-weighting (a high shelf, then a high pass) as two biquads, with the coefficients
// derived for any sample rate the way libebur128 derives them.
struct KWeighting {
  double b[2][3];
  double a[2][3];
  explicit KWeighting(int rate) {
    double f0 = 1681.974450955533, gain = 3.999843853973347, q = 0.7071752369554196;
    double k = std::tan(M_PI * f0 / rate);
    const double vh = std::pow(10.0, gain / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    double a0 = 1.0 + k / q + k * k;
    b[0][0] = (vh + vb * k / q + k * k) / a0;
    b[0][1] = 2.0 * (k * k - vh) / a0;
    b[0][2] = (vh - vb * k / q + k * k) / a0;
    a[0][0] = 1.0;
    a[0][1] = 2.0 * (k * k - 1.0) / a0;
    a[0][2] = (1.0 - k / q + k * k) / a0;
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = std::tan(M_PI * f0 / rate);
    a0 = 1.0 + k / q + k * k;
    b[1][0] = 1.0;
    b[1][1] = -2.0;
    b[1][2] = 1.0;
    a[1][0] = 1.0;
    a[1][1] = 2.0 * (k * k - 1.0) / a0;
    a[1][2] = (1.0 - k / q + k * k) / a0;
  }
};

std::size_t subblock_length(int rate) {
  return static_cast<std::size_t>(std::max(1, (rate + 5) / 10));
}

}  // namespace

int16_t to_int16(float x) { return round_to_int16(x); }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TROUPE_AVX2_SCALE 1
namespace {

// Eight samples, widened to 32 bits, scaled and rounded: round_to_int16's steps.
[[gnu::target("avx2"), gnu::always_inline]] inline __m256i scale_8(__m128i in, __m256 gain) {
  __m256 x = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(in)), gain);
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-32768.0f)), _mm256_set1_ps(32767.0f));
  return _mm256_sub_epi32(_mm256_castps_si256(_mm256_add_ps(x, _mm256_set1_ps(12582912.0f))),
                          _mm256_set1_epi32(0x4B400000));
}

// scale_samples' steps on sixteen samples at a time where the CPU has AVX2: the same figures,
// in about half the time (the loudness gain is applied to every sample of a chapter).
// Returns how many samples it did (a multiple of 16).
[[gnu::target("avx2")]] std::size_t scale_samples_16(int16_t* samples, std::size_t count,
                                                     float gain) {
  const __m256 g = _mm256_set1_ps(gain);
  std::size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const __m256i in = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(samples + i));
    const __m256i packed = _mm256_packs_epi32(scale_8(_mm256_castsi256_si128(in), g),
                                              scale_8(_mm256_extracti128_si256(in, 1), g));
    // packs works within each 128-bit half: the quarters back in order.
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(samples + i),
                        _mm256_permute4x64_epi64(packed, 0xD8));
  }
  return i;
}

}  // namespace
#endif

void scale_samples(int16_t* samples, std::size_t count, float gain) {
  std::size_t i = 0;
#if defined(TROUPE_AVX2_SCALE)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) i = scale_samples_16(samples, count, gain);
#endif
#if defined(__SSE2__)
  // round_to_int16's steps on eight samples at a time (SSE2, which every x86-64 has): the same
  // figures. GCC 12 turned the portable vector-extension form of this loop into scalar loads
  // and shuffles, some four times slower (about 40 ms of CPU over story 002's chapter).
  const __m128 g = _mm_set1_ps(gain), low = _mm_set1_ps(-32768.0f), high = _mm_set1_ps(32767.0f),
               shift = _mm_set1_ps(12582912.0f);
  const __m128i bias = _mm_set1_epi32(0x4B400000);
  auto scale4 = [&](__m128i in) {
    __m128 x = _mm_mul_ps(_mm_cvtepi32_ps(in), g);
    x = _mm_min_ps(_mm_max_ps(x, low), high);  // x is never NaN: max/min as round_to_int16's
    return _mm_sub_epi32(_mm_castps_si128(_mm_add_ps(x, shift)), bias);
  };
  for (; i + 8 <= count; i += 8) {
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(samples + i));
    // Each sample into the high half of a 32-bit lane, shifted down with its sign.
    const __m128i first = _mm_srai_epi32(_mm_unpacklo_epi16(in, in), 16);
    const __m128i second = _mm_srai_epi32(_mm_unpackhi_epi16(in, in), 16);
    // The results are within 16 bits: packing them with saturation changes none.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(samples + i),
                     _mm_packs_epi32(scale4(first), scale4(second)));
  }
#else
  // The same steps on eight lanes (GCC/Clang vector extensions).
  using S8 = std::int16_t __attribute__((vector_size(16)));
  using F4 = float __attribute__((vector_size(16)));
  using I4 = std::int32_t __attribute__((vector_size(16)));
  const F4 g = {gain, gain, gain, gain}, low = {-32768.0f, -32768.0f, -32768.0f, -32768.0f},
           high = {32767.0f, 32767.0f, 32767.0f, 32767.0f},
           shift = {12582912.0f, 12582912.0f, 12582912.0f, 12582912.0f};
  auto scale4 = [&](I4 in) {
    F4 x = __builtin_convertvector(in, F4) * g;
    x = low > x ? low : x;
    x = high < x ? high : x;
    x += shift;
    I4 bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    return bits - 0x4B400000;
  };
  const S8 zero = {};
  for (; i + 8 <= count; i += 8) {
    S8 in;
    __builtin_memcpy(&in, samples + i, sizeof in);
    const I4 first =
        reinterpret_cast<I4>(__builtin_shufflevector(zero, in, 0, 8, 1, 9, 2, 10, 3, 11)) >> 16;
    const I4 second =
        reinterpret_cast<I4>(__builtin_shufflevector(zero, in, 4, 12, 5, 13, 6, 14, 7, 15)) >> 16;
    const S8 out =
        __builtin_shufflevector(reinterpret_cast<S8>(scale4(first)),
                                reinterpret_cast<S8>(scale4(second)), 0, 2, 4, 6, 8, 10, 12, 14);
    __builtin_memcpy(samples + i, &out, sizeof out);
  }
#endif
  for (; i < count; ++i) samples[i] = round_to_int16(samples[i] * gain);
}

namespace {

// Sums of squares of the K-weighted signal (full scale 1.0) per 100 ms sub-block.
//
// A recursive filter is slow sample after sample (each output waits for the one before), so
// the audio is cut into kLanes stretches filtered side by side, each starting 100 ms early
// from silence: by then the filters have forgotten their start (the slowest pole, of the
// 38 Hz high pass, decays by e^-24 in 100 ms), so the sums are those of one long run.
constexpr int kLanes = 8;

#if defined(__SSE2__)
// Samples [j, j + 8) of the eight lanes, as floats, a vector of lanes for each sample:
// rows[r][v] holds from[l][j + r] for the lanes l of vector v. An 8x8 transposition of 16-bit
// samples (SSE2), then each row widened and converted: the same floats as one by one.
template <typename V>
[[gnu::always_inline]] inline void transpose_lanes(const int16_t* const from[kLanes], std::size_t j,
                                                   V rows[8][kLanes / (sizeof(V) / 4)]) {
  static_assert(kLanes == 8);
  using F4 = float __attribute__((vector_size(16)));
  __m128i in[8];
  for (int l = 0; l < 8; ++l)
    in[l] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from[l] + j));
  __m128i pairs[8], quads[8];  // lanes interleaved two by two, then four by four
  for (int l = 0; l < 8; l += 2) {
    pairs[l] = _mm_unpacklo_epi16(in[l], in[l + 1]);
    pairs[l + 1] = _mm_unpackhi_epi16(in[l], in[l + 1]);
  }
  for (int h = 0; h < 2; ++h)
    for (int i = 0; i < 2; ++i) {
      quads[4 * h + 2 * i] = _mm_unpacklo_epi32(pairs[4 * h + i], pairs[4 * h + i + 2]);
      quads[4 * h + 2 * i + 1] = _mm_unpackhi_epi32(pairs[4 * h + i], pairs[4 * h + i + 2]);
    }
  for (int r = 0; r < 8; ++r) {
    // Quad q (q < 4) holds lanes 0-3 of samples j + 2q and j + 2q + 1; quad q + 4 lanes 4-7.
    const int q = r / 2;
    const __m128i row = r % 2 == 0 ? _mm_unpacklo_epi64(quads[q], quads[q + 4])
                                   : _mm_unpackhi_epi64(quads[q], quads[q + 4]);
    // Each sample into the high half of a 32-bit lane, shifted down with its sign.
    const F4 low = _mm_cvtepi32_ps(_mm_srai_epi32(_mm_unpacklo_epi16(row, row), 16));
    const F4 high = _mm_cvtepi32_ps(_mm_srai_epi32(_mm_unpackhi_epi16(row, row), 16));
    if constexpr (sizeof(V) == 32) {
      rows[r][0] = __builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7);
    } else {
      rows[r][0] = low;
      rows[r][1] = high;
    }
  }
}
#endif  // __SSE2__; elsewhere (arm64) the lanes are gathered sample by sample

// The lanes' filters a sub-block at a time, on vectors V of float (GCC/Clang vector
// extensions): kLanes / (lanes in a V) of them side by side. Each lane's figures come from
// the same operations in the same order whatever V is (no fused multiply-add: the callers'
// targets have none), so 4-lane SSE and 8-lane AVX give the same bits. Inlined into each
// caller, which chooses the instructions; nothing takes or returns a V by value.
template <typename V>
[[gnu::always_inline]] inline void subblock_energies_on(const int16_t* samples, std::size_t count,
                                                        int rate, std::vector<double>& sums) {
  constexpr int kWidth = sizeof(V) / sizeof(float), kVectors = kLanes / kWidth;
  static_assert(kVectors * kWidth == kLanes);
  const KWeighting k(rate);
  const std::size_t sub = subblock_length(rate);
  const std::size_t nsub = sums.size();
  const std::size_t per_lane = (nsub + kLanes - 1) / kLanes;  // sub-blocks per lane
  // Each lane reads its sub-block where it lies in samples; one that reaches outside them (the
  // first and last few) reads a copy padded with silence instead.
  thread_local std::vector<int16_t> padded;  // its memory kept from call to call
  padded.resize(sub * kLanes);
  constexpr float kScale = 1.0f / 32768.0f;
  V b00, b01, b02, a01, a02, a11, a12, two, tiny;
  for (int i = 0; i < kWidth; ++i) {
    b00[i] = static_cast<float>(k.b[0][0]);
    b01[i] = static_cast<float>(k.b[0][1]);
    b02[i] = static_cast<float>(k.b[0][2]);
    a01[i] = static_cast<float>(k.a[0][1]);
    a02[i] = static_cast<float>(k.a[0][2]);
    a11[i] = static_cast<float>(k.a[1][1]);
    a12[i] = static_cast<float>(k.a[1][2]);
    two[i] = 2.0f;
    // A constant far below hearing (-240 dBFS) added to the input keeps the filters' state off
    // denormal numbers in silence, which are a hundred times slower; the high pass removes it.
    tiny[i] = static_cast<float>(1e-12);
  }
  V s1[kVectors] = {}, s2[kVectors] = {}, t1[kVectors] = {}, t2[kVectors] = {};
  for (std::size_t block = 0; block <= per_lane; ++block) {
    V acc[kVectors] = {};
    const int16_t* from[kLanes];
    for (int l = 0; l < kLanes; ++l) {
      // Lane l starts one sub-block (the warm-up) before its first sub-block.
      const long first = static_cast<long>((l * per_lane + block) * sub) - static_cast<long>(sub);
      if (first >= 0 && first + static_cast<long>(sub) <= static_cast<long>(count)) {
        from[l] = samples + first;  // all inside: no test per sample
        continue;
      }
      int16_t* pad = padded.data() + l * sub;
      for (std::size_t j = 0; j < sub; ++j) {
        const long i = first + static_cast<long>(j);
        pad[j] = i >= 0 && i < static_cast<long>(count) ? samples[i] : 0;
      }
      from[l] = pad;
    }
    // One step of vector v's lanes, on their samples `raw` (as floats).
    auto filter = [&](int v, const V& raw) {
      const V in = raw * kScale + tiny;
      // Transposed direct form II: the shelf, then the high pass (b = 1, -2, 1).
      const V y = b00 * in + s1[v];
      s1[v] = b01 * in - a01 * y + s2[v];
      s2[v] = b02 * in - a02 * y;
      const V z = y + t1[v];
      t1[v] = -two * y - a11 * z + t2[v];
      t2[v] = y - a12 * z;
      acc[v] += z * z;
    };
    // The samples are gathered into the lanes eight at a time, in registers, inside the
    // filter's loop: its steps wait on one another, and the loads, the transposition and the
    // conversions fill the time they leave. (Gathered one by one, eight loads and eight
    // conversions a step took some 8% more of this function; a pass copying them into place
    // first cost about a third of it.)
    std::size_t j = 0;
#if defined(__SSE2__)
    for (; j + 8 <= sub; j += 8) {
      V rows[8][kVectors];
      transpose_lanes<V>(from, j, rows);
      for (int r = 0; r < 8; ++r)
        for (int v = 0; v < kVectors; ++v) filter(v, rows[r][v]);
    }
#endif
    for (; j < sub; ++j) {
      for (int v = 0; v < kVectors; ++v) {
        V raw;
        for (int i = 0; i < kWidth; ++i) raw[i] = from[kWidth * v + i][j];
        filter(v, raw);
      }
    }
    if (block == 0) continue;  // warm-up
    for (int l = 0; l < kLanes; ++l) {
      const std::size_t index = l * per_lane + block - 1;
      if (index < nsub) sums[index] = acc[l / kWidth][l % kWidth];
    }
  }
}

using V4 = float __attribute__((vector_size(16)));  // SSE on x86-64, NEON on arm64

void subblock_energies_4(const int16_t* samples, std::size_t count, int rate,
                         std::vector<double>& sums) {
  subblock_energies_on<V4>(samples, count, rate, sums);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TROUPE_AVX_FILTER 1
// The eight lanes in one AVX vector, where the CPU has AVX: the same figures as SSE's two
// vectors, in some 12% less CPU (the filtering of espeak-ng's story 002 audio cut into 550
// utterances: 42-44 ms against 49-50 ms, session 12; the copy into the lanes, the same in
// both, is a good part of what is left).
using V8 = float __attribute__((vector_size(32)));
[[gnu::target("avx")]] void subblock_energies_8(const int16_t* samples, std::size_t count, int rate,
                                                std::vector<double>& sums) {
  subblock_energies_on<V8>(samples, count, rate, sums);
}
#endif

std::atomic<bool> avx_filter_allowed{true};  // see allow_avx_filter

std::vector<double> subblock_energies(const int16_t* samples, std::size_t count, int rate) {
  const std::size_t sub = subblock_length(rate);
  std::vector<double> sums((count + sub - 1) / sub, 0.0);
  if (sums.empty()) return sums;
#if defined(TROUPE_AVX_FILTER)
  static const bool avx = __builtin_cpu_supports("avx");
  if (avx && avx_filter_allowed.load(std::memory_order_relaxed)) {
    subblock_energies_8(samples, count, rate, sums);
    return sums;
  }
#endif
  subblock_energies_4(samples, count, rate, sums);
  return sums;
}

// 400 ms blocks, 100 ms apart, from sub-block sums: every block that overlaps the audio.
std::vector<float> blocks_from(const std::vector<double>& sums, int rate) {
  const double block_length = 4.0 * static_cast<double>(subblock_length(rate));
  std::vector<float> blocks;
  if (sums.empty()) return blocks;
  blocks.reserve(sums.size() + 3);
  const long n = static_cast<long>(sums.size());
  for (long j = 0; j < n + 3; ++j) {
    double total = 0;
    for (long s = std::max(0L, j - 3); s <= std::min(n - 1, j); ++s) total += sums[s];
    blocks.push_back(static_cast<float>(total / block_length));
  }
  return blocks;
}

// The four phases side by side, a tap at a time: kTaps[k][p] = kTruePeakPhases[p][k].
struct Taps {
  float tap[12][4];
  constexpr Taps() : tap{} {
    for (int k = 0; k < 12; ++k)
      for (int p = 0; p < 4; ++p) tap[k][p] = kTruePeakPhases[p][k];
  }
};
constexpr Taps kTaps;

// The largest |value| of the four interpolated points between samples n and n+1 (silence
// outside the samples). The four phases are summed side by side, each in the same order as
// one after another would be, so the figures are the same.
float interval_peak(const int16_t* x, std::size_t count, std::size_t n) {
  float window[12];
  if (n >= 5 && n + 7 <= count) {
    for (int k = 0; k < 12; ++k) window[k] = x[n - 5 + k];
  } else {
    for (int k = 0; k < 12; ++k) {
      const long index = static_cast<long>(n) - 5 + k;
      window[k] = index >= 0 && index < static_cast<long>(count) ? x[index] : 0.0f;
    }
  }
  V4 y = {};
  for (int k = 0; k < 12; ++k) {
    V4 tap;
    __builtin_memcpy(&tap, kTaps.tap[k], sizeof tap);
    y += tap * window[k];
  }
  float peak = 0;
  for (int p = 0; p < 4; ++p) peak = std::max(peak, std::abs(y[p]));
  return peak;
}

// The largest |x| of n samples, in a loop the compiler vectorises (no branch, 16-bit lanes).
// Inlined where n is a constant, the loop is unrolled whole.
[[gnu::always_inline]] inline int abs_peak(const int16_t* x, std::size_t n) {
  int16_t high = 0, low = 0;
  for (std::size_t i = 0; i < n; ++i) {
    high = std::max(high, x[i]);
    low = std::min(low, x[i]);
  }
  return std::max(int{high}, -int{low});
}

// Loops that look for the rare loud samples test a block of this many at once first.
constexpr std::size_t kScanBlock = 64;
static_assert(kScanBlock <= 64, "loud_peaks returns a bit for each sample of a block");

// Bit j set for each of the samples x[at + j] (j < n, n at most kScanBlock) that is a local
// maximum of |x| at or above floor: none of its neighbours in x[0, count) larger. Where SSE2 is
// there and no sample is -32,768 (whose |x| takes 17 bits), sixteen are tested at a time,
// without a branch: tested one by one, the unpredictable branches took most of true_peak's
// time.
std::uint64_t loud_peaks(const int16_t* x, std::size_t count, std::size_t at, std::size_t n,
                         int floor, [[maybe_unused]] bool full_scale) {
  std::uint64_t mask = 0;
  std::size_t j = 0;
#if defined(__SSE2__)
  // at > 0: x[at + j - 1] is read as well (the first block goes the plain way).
  if (!full_scale && at > 0) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i below_floor = _mm_set1_epi16(static_cast<int16_t>(floor - 1));
    auto magnitude = [&](std::size_t i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
      return _mm_max_epi16(v, _mm_sub_epi16(zero, v));
    };
    auto peaks8 = [&](std::size_t i) {
      const __m128i a = magnitude(i);
      const __m128i not_peak =
          _mm_or_si128(_mm_cmpgt_epi16(magnitude(i - 1), a), _mm_cmpgt_epi16(magnitude(i + 1), a));
      return _mm_andnot_si128(not_peak, _mm_cmpgt_epi16(a, below_floor));
    };
    // x[at + j + 16] is read: it must be inside.
    for (; j + 16 <= n && at + j + 17 <= count; j += 16) {
      const int bits = _mm_movemask_epi8(_mm_packs_epi16(peaks8(at + j), peaks8(at + j + 8)));
      mask |= static_cast<std::uint64_t>(static_cast<unsigned>(bits)) << j;
    }
  }
#endif
  for (; j < n; ++j) {
    const std::size_t i = at + j;
    const int a = std::abs(int{x[i]});
    if (a < floor) continue;
    if (i > 0 && std::abs(int{x[i - 1]}) > a) continue;
    if (i + 1 < count && std::abs(int{x[i + 1]}) > a) continue;
    mask |= std::uint64_t{1} << j;
  }
  return mask;
}

}  // namespace

double to_db(double linear) {
  return linear > 0 ? 20.0 * std::log10(linear) : -std::numeric_limits<double>::infinity();
}
double from_db(double db) { return std::pow(10.0, db / 20.0); }

double peak_margin_for(const char* format) {
  const std::string name = format;
  if (name == "mp3") return 0.6;
  if (name == "ogg") return 1.0;
  if (name == "opus") return 1.5;
  return 0.2;
}

double limiter_headroom(const LoudnessTarget& target) {
  return target.true_peak - target.peak_margin - target.integrated - 1.0;
}

void allow_avx_filter(bool allowed) { avx_filter_allowed.store(allowed); }

std::vector<float> loudness_blocks(const int16_t* samples, std::size_t count, int sample_rate) {
  return blocks_from(subblock_energies(samples, count, sample_rate), sample_rate);
}

namespace {

// Whether a block's loudness is above `gate`, told from its mean square where that is clearly
// on one side of the gate's (no logarithm), and from block_loudness itself near it, so the
// answer is always block_loudness(z) > gate. level_chapter gates a long chapter's blocks up to
// a dozen times in its join's serial tail: 0.4 ms instead of 2.8 ms over the blocks of
// espeak-ng's story 002 audio (session 12), the same gain.
class Gate {
 public:
  explicit Gate(double gate) : gate_(gate) {
    const double mean_square = std::pow(10.0, (gate + 0.691) / 10.0);
    // Far wider than the rounding of either side (1e-9 of z is some 4e-9 LU).
    below_ = mean_square * (1 - 1e-9);
    above_ = mean_square * (1 + 1e-9);
  }
  bool passes(double z) const {
    if (z > above_) return true;
    if (z < below_) return false;
    return block_loudness(z) > gate_;
  }

 private:
  double gate_, below_, above_;
};

}  // namespace

double gated_loudness(const std::vector<float>& blocks) {
  static const Gate absolute(kAbsoluteGate);
  double sum = 0;
  std::size_t n = 0;
  for (float z : blocks)
    if (absolute.passes(z)) {
      sum += z;
      ++n;
    }
  if (n == 0) return kAbsoluteGate;
  const Gate relative(block_loudness(sum / static_cast<double>(n)) + kRelativeGate);
  sum = 0;
  n = 0;
  for (float z : blocks)
    if (absolute.passes(z) && relative.passes(z)) {
      sum += z;
      ++n;
    }
  return n == 0 ? kAbsoluteGate : block_loudness(sum / static_cast<double>(n));
}

namespace {

// The sample peak of each kScanBlock block of samples whose blocks are [from, to), into
// block_peaks (sized for all of them already).
void find_block_peaks(const int16_t* samples, std::size_t count, std::size_t from, std::size_t to,
                      std::vector<int>& block_peaks) {
  for (std::size_t b = from; b < to; ++b) {
    const std::size_t at = b * kScanBlock;
    // A whole block with a constant length: a quarter fewer instructions (callgrind).
    block_peaks[b] = at + kScanBlock <= count ? abs_peak(samples + at, kScanBlock)
                                              : abs_peak(samples + at, count - at);
  }
}

std::size_t block_count(std::size_t count) { return (count + kScanBlock - 1) / kScanBlock; }

// true_peak, given each block's sample peak (the utterance's peak is the largest of them).
float true_peak_of(const int16_t* samples, std::size_t count, const std::vector<int>& block_peaks) {
  int sample_peak = 0;
  for (int p : block_peaks) sample_peak = std::max(sample_peak, p);
  if (sample_peak == 0) return 0.0f;
  float peak = static_cast<float>(sample_peak);
  const int floor = sample_peak / 2;
  std::size_t last_interval = static_cast<std::size_t>(-1);
  const bool full_scale = sample_peak > 32767;
  for (std::size_t block = 0; block < count; block += kScanBlock) {
    const std::size_t n = std::min(count - block, kScanBlock);
    if (block_peaks[block / kScanBlock] < floor) continue;  // no sample to look at
    for (std::uint64_t peaks = loud_peaks(samples, count, block, n, floor, full_scale); peaks != 0;
         peaks &= peaks - 1) {
      const std::size_t i = block + static_cast<std::size_t>(__builtin_ctzll(peaks));
      // A local maximum of |x|: the peaks of the signal between the samples lie beside it.
      if (i > 0 && last_interval != i - 1)
        peak = std::max(peak, interval_peak(samples, count, i - 1));
      peak = std::max(peak, interval_peak(samples, count, i));
      last_interval = i;
    }
  }
  return peak / 32768.0f;
}

}  // namespace

float true_peak(const int16_t* samples, std::size_t count) {
  // Each block's sample peak, in one pass over the samples, kept for the blocks' test: one pass
  // over the samples fewer.
  thread_local std::vector<int> block_peaks;  // its memory kept from call to call
  block_peaks.resize(block_count(count));
  find_block_peaks(samples, count, 0, block_peaks.size(), block_peaks);
  return true_peak_of(samples, count, block_peaks);
}

namespace {

// The limiter steers the gain in steps of kStep samples: a control point at every step's
// start, no higher than what either step beside it needs, and linear in between. So every
// sample gets at most the gain its own step needs, and the serial work (each point depends on
// the one beside it) is an eighth of the samples.
constexpr std::size_t kStep = 8;

struct GainCurve {
  std::vector<float> point;  // gain at the start of each step, and at the end
  // Points before begin_point and from end_point on are 1: the gain leaves those samples be.
  std::size_t begin_point = 0, end_point = 0;
};

// The most gain each step can take for its sample peaks to stay under limit, into need[k] for
// each step k, and 1 after the last step (need is made one longer, for gain_curve to turn into
// its points in place); first and last are the first and the last step that needs less than 1
// (first == steps when none does). block_peaks: each kScanBlock block's sample peak.
void step_needs(const std::vector<int16_t>& samples, const std::vector<int>& block_peaks,
                float limit, std::size_t& first, std::size_t& last, std::vector<float>& need) {
  const std::size_t count = samples.size(), steps = (count + kStep - 1) / kStep;
  need.assign(steps + 1, 1.0f);
  first = steps;
  last = 0;
  static_assert(kScanBlock % kStep == 0);
  for (std::size_t block = 0; block < count; block += kScanBlock) {
    if (static_cast<float>(block_peaks[block / kScanBlock]) <= limit)
      continue;  // no step of the block needs less gain
    for (std::size_t k = block / kStep; k < steps && k < (block + kScanBlock) / kStep; ++k) {
      const std::size_t begin = k * kStep, end = std::min(count, begin + kStep);
      const int peak = abs_peak(samples.data() + begin, end - begin);
      if (static_cast<float>(peak) > limit) {
        need[k] = limit / static_cast<float>(peak);
        first = std::min(first, k);
        last = k;
      }
    }
  }
}

// The gain curve's points are at most 1, and mostly 1: its walks skip the 1s with these scans,
// four points at a time where SSE2 is there.
// The first j in [from, to) with p[j] < 1, else to.
std::size_t first_below_one(const float* p, std::size_t from, std::size_t to) {
  std::size_t j = from;
#if defined(__SSE2__)
  const __m128 one = _mm_set1_ps(1.0f);
  for (; j + 4 <= to; j += 4) {
    const int below = _mm_movemask_ps(_mm_cmplt_ps(_mm_loadu_ps(p + j), one));
    if (below != 0)
      return j + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(below)));
  }
#endif
  for (; j < to; ++j)
    if (p[j] < 1.0f) return j;
  return to;
}

// j + 1 for the last j in [from, to) with p[j] < 1, else from.
std::size_t after_last_below_one(const float* p, std::size_t from, std::size_t to) {
  std::size_t j = to;
#if defined(__SSE2__)
  const __m128 one = _mm_set1_ps(1.0f);
  for (; j >= from + 4; j -= 4) {
    const int below = _mm_movemask_ps(_mm_cmplt_ps(_mm_loadu_ps(p + j - 4), one));
    if (below != 0)
      return j - 3 + static_cast<std::size_t>(31 - __builtin_clz(static_cast<unsigned>(below)));
  }
#endif
  for (; j > from; --j)
    if (p[j - 1] < 1.0f) return j;
  return from;
}

// The gain changes at most by `attack` a step going down before a peak and by `release`
// coming back up after it (both above 1). Where the gain carried along has come back to 1 and
// the points ahead are 1, it leaves them so up to the next point below 1: the walks skip
// there with a plain scan instead of a multiplication waiting on the one before, which gives
// the same points.
// The walks carry the point beside in a register: read back from memory, each waited for the
// store before it (a third of this function's time).
// curve.point holds step_needs' figures, made into the points in place (one vector, not two:
// some 200 page faults fewer in story 002's worker).
void gain_curve(std::size_t first, std::size_t last, float attack, float release,
                GainCurve& curve) {
  std::vector<float>& point = curve.point;
  const std::size_t steps = point.size() - 1;
  // min(need[k - 1], need[k]), with 1 outside need (need[steps] is 1, and every need before
  // `first` and after `last` too).
  float before = 1.0f;  // need[k - 1]
  for (std::size_t k = first; k <= last + 1; ++k) {
    const float here = point[k];
    point[k] = std::min(before, here);
    before = here;
  }
  // Back from the last peak. Below `first` every point is 1.
  float next = point[last + 1];  // point[k + 1]
  for (std::size_t k = last + 1; k-- > 0;) {
    const float carried = next * attack, here = point[k];
    if (carried >= 1.0f && here >= 1.0f) {
      k = after_last_below_one(point.data(), first, k);
      if (k <= first) break;
      next = point[k];
      continue;  // on to point k - 1, below 1, carried from a 1
    }
    next = point[k] = std::min(here, carried);
  }
  // On from the start, to where the gain is back at 1 after the last peak.
  curve.end_point = steps;
  float previous = point[0];  // point[k - 1]
  for (std::size_t k = 1; k <= steps; ++k) {
    const float carried = previous * release, here = point[k];
    if (k <= last + 1 && carried >= 1.0f && here >= 1.0f) {
      k = first_below_one(point.data(), k + 1, last + 2) - 1;
      previous = point[k];
      continue;  // on to point k + 1, below 1 or past the last peak, carried from a 1
    }
    previous = point[k] = std::min(here, carried);
    if (k > last + 1 && previous >= 1.0f) {
      point[k] = 1.0f;
      curve.end_point = k;
      break;
    }
  }
  curve.begin_point = first_below_one(point.data(), 0, first);
}

// The sum of squares of every fourth sample of sub-block s (sub samples long), from its first.
// Summed in integers: a sub-block's sum stays far under 2^53, so it is the same exact figure
// in any order, and in a double.
double plain_energy(const std::vector<int16_t>& samples, std::size_t sub, std::size_t s) {
  const std::size_t count = samples.size();
  std::int64_t e[4] = {};
  const std::size_t end = std::min(count, (s + 1) * sub);
  std::size_t i = s * sub;
#if defined(__SSE2__)
  // Sixteen samples at a time: the squares of every fourth (each at most 2^30) in the low
  // half of a 64-bit lane whose high half is 0, added up as 64-bit integers.
  const __m128i every_fourth = _mm_set_epi16(0, 0, 0, -1, 0, 0, 0, -1);
  __m128i sum = _mm_setzero_si128();
  for (; i + 16 <= end; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(samples.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(samples.data() + i + 8));
    sum = _mm_add_epi64(sum, _mm_madd_epi16(a, _mm_and_si128(a, every_fourth)));
    sum = _mm_add_epi64(sum, _mm_madd_epi16(b, _mm_and_si128(b, every_fourth)));
  }
  std::memcpy(e, &sum, sizeof sum);
#endif
  for (; i + 16 <= end; i += 16)
    for (int j = 0; j < 4; ++j) e[j] += std::int32_t{samples[i + 4 * j]} * samples[i + 4 * j];
  for (; i < end; i += 4) e[0] += std::int32_t{samples[i]} * samples[i];
  return static_cast<double>(e[0] + e[1] + e[2] + e[3]);
}

// x[j] = round_to_int16(x[j] * (from + slope * j)) for j < kStep: the limiter's gain on one
// step, eight samples at a time with SSE2 (the same figures: round_to_int16's steps, each lane's
// gain computed as the scalar form computes it).
inline void ramp_step(int16_t* x, float from, float slope) {
  static_assert(kStep == 8);
#if defined(__SSE2__)
  const __m128 low = _mm_set1_ps(-32768.0f), high = _mm_set1_ps(32767.0f),
               shift = _mm_set1_ps(12582912.0f), f = _mm_set1_ps(from), d = _mm_set1_ps(slope);
  const __m128i bias = _mm_set1_epi32(0x4B400000);
  auto scale4 = [&](__m128i in, __m128 offsets) {
    __m128 y = _mm_mul_ps(_mm_cvtepi32_ps(in), _mm_add_ps(f, _mm_mul_ps(d, offsets)));
    y = _mm_min_ps(_mm_max_ps(y, low), high);
    return _mm_sub_epi32(_mm_castps_si128(_mm_add_ps(y, shift)), bias);
  };
  const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
  const __m128i first = _mm_srai_epi32(_mm_unpacklo_epi16(in, in), 16);
  const __m128i second = _mm_srai_epi32(_mm_unpackhi_epi16(in, in), 16);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(x),
                   _mm_packs_epi32(scale4(first, _mm_setr_ps(0, 1, 2, 3)),
                                   scale4(second, _mm_setr_ps(4, 5, 6, 7))));
#else
  float y[kStep];
  for (std::size_t j = 0; j < kStep; ++j)
    y[j] = static_cast<float>(x[j]) * (from + slope * static_cast<float>(j));
  for (std::size_t j = 0; j < kStep; ++j) x[j] = round_to_int16(y[j]);
#endif
}

// Multiplies the samples by the curve, and each sub-block's sum in `sums` by how much its
// plain energy fell (the K-weighted energy falls as the plain energy does, close enough: the
// limiter takes a little off the peaks), that estimated from every 4th sample. Sub-blocks the
// curve leaves be keep their sums (their energy divided by itself is exactly 1).
// Returns the first sample it may have changed; none from `stop` on (see below).
std::size_t apply_gain_curve(const GainCurve& curve, std::vector<int16_t>& samples, int sample_rate,
                             std::vector<double>& sums) {
  const std::size_t count = samples.size();
  const std::vector<float>& point = curve.point;
  const std::size_t sub = subblock_length(sample_rate);
  const std::size_t begin = curve.begin_point * kStep / sub * sub;
  const std::size_t stop = std::min(count, curve.end_point * kStep);
  const std::size_t first_sub = begin / sub, end_sub = (stop + sub - 1) / sub;
  std::vector<double> before(end_sub - first_sub, 0.0);
  std::vector<char> touched(end_sub - first_sub, 0);
  std::size_t sub_end = first_sub * sub + sub;  // the end of the sub-block the step starts in
  // A step at a time (eight samples: see ramp_step); before `begin` and after `stop`
  // the gain is 1, which leaves a sample as it is.
  for (std::size_t k = begin / kStep; k < curve.end_point; ++k) {
    if (point[k] == 1.0f && point[k + 1] == 1.0f) {  // a gain of 1 changes nothing
      // On to the step before the next point below 1 (the loop's ++k makes it j - 1).
      k = first_below_one(point.data(), k + 2, curve.end_point + 1) - 2;
      continue;
    }
    const std::size_t base = k * kStep;
    // The sub-blocks the step's samples lie in, each's energy before its first change: one or
    // two, as a sub-block holds at least kStep - 1 samples (7: rates of 65 Hz and above; audio
    // is never near so low a rate). (The step at begin / kStep may reach back before `begin`: that
    // sub-block's sum stays.)
    while (base >= sub_end) sub_end += sub;
    // (The step's last sample, step_end - 1, lies in sub-block sub_end / sub - 1 or the next.)
    const std::size_t step_end = std::min(count, base + kStep), current = sub_end / sub - 1;
    const std::size_t after_last = step_end > sub_end         ? current + 2
                                   : step_end > sub_end - sub ? current + 1
                                                              : current;
    for (std::size_t s = std::max(first_sub, current); s < after_last; ++s)
      if (!touched[s - first_sub]) {
        touched[s - first_sub] = 1;
        before[s - first_sub] = plain_energy(samples, sub, s);
      }
    const float from = point[k], slope = (point[k + 1] - point[k]) * (1.0f / kStep);
    if (base + kStep <= count) {
      ramp_step(samples.data() + base, from, slope);
    } else {
      for (std::size_t i = base; i < count; ++i)
        samples[i] = round_to_int16(static_cast<float>(samples[i]) *
                                    (from + slope * static_cast<float>(i - base)));
    }
  }
  for (std::size_t s = first_sub; s < end_sub; ++s) {
    const double was = before[s - first_sub];
    if (touched[s - first_sub] && was > 0) sums[s] *= plain_energy(samples, sub, s) / was;
  }
  return begin / kStep * kStep;
}

}  // namespace

UtteranceLevels level_utterance(std::vector<int16_t>& samples, int sample_rate,
                                double headroom_db) {
  UtteranceLevels levels;
  const std::size_t count = samples.size();
  std::vector<double> sums = subblock_energies(samples.data(), count, sample_rate);
  levels.blocks = blocks_from(sums, sample_rate);
  thread_local std::vector<int> block_peaks;  // its memory kept from call to call
  GainCurve curve;
  // Each block's sample peak, for the limiter's scan and for true_peak: found once, and again
  // after the limiter only where it changed samples.
  block_peaks.resize(block_count(count));
  find_block_peaks(samples.data(), count, 0, block_peaks.size(), block_peaks);
  const double loudness = gated_loudness(levels.blocks);
  if (loudness <= kAbsoluteGate) {
    levels.true_peak = true_peak_of(samples.data(), count, block_peaks);
    return levels;
  }
  const double threshold = from_db(loudness + headroom_db);  // full scale 1.0
  const float limit = static_cast<float>(threshold * from_db(-kSampleMarginDb) * 32768.0);
  std::size_t first = 0, last = 0;
  step_needs(samples, block_peaks, limit, first, last, curve.point);
  if (first + 1 < curve.point.size()) {
    const double per_step = kStep * 1000.0 / sample_rate;  // milliseconds
    gain_curve(first, last, static_cast<float>(from_db(kAttackDbPerMs * per_step)),
               static_cast<float>(from_db(kReleaseDbPerMs * per_step)), curve);
    const std::size_t changed = apply_gain_curve(curve, samples, sample_rate, sums);
    const std::size_t stop = std::min(count, curve.end_point * kStep);
    if (stop > changed)
      find_block_peaks(samples.data(), count, changed / kScanBlock, block_count(stop), block_peaks);
    levels.blocks = blocks_from(sums, sample_rate);
  }

  float peak = true_peak_of(samples.data(), count, block_peaks);
  if (peak > threshold) {
    // An inter-sample peak the limiter's margin did not cover: turn the utterance down.
    const float scale = static_cast<float>(threshold / peak * from_db(-0.05));
    scale_samples(samples.data(), count, scale);
    for (auto& z : levels.blocks) z *= scale * scale;
    peak = true_peak(samples.data(), count);
  }
  levels.true_peak = peak;
  return levels;
}

ChapterLevelling level_chapter(const std::vector<UtteranceLevels>& utterances,
                               const LoudnessTarget& target) {
  ChapterLevelling result;
  result.factors.assign(utterances.size(), 1.0f);
  const double ceiling = from_db(target.true_peak - target.peak_margin);
  std::vector<float> weighted;
  auto loudness = [&]() {
    weighted.clear();
    for (std::size_t u = 0; u < utterances.size(); ++u) {
      const float w = result.factors[u] * result.factors[u];
      for (float z : utterances[u].blocks) weighted.push_back(z * w);
    }
    return gated_loudness(weighted);
  };
  double measured = loudness();
  if (measured <= kAbsoluteGate) {
    result.integrated = measured;
    return result;
  }
  double gain_db = target.integrated - measured;
  // Turning loud utterances down lowers the chapter's loudness, which raises the gain: a few
  // rounds settle it.
  for (int round = 0; round < 12; ++round) {
    const double gain = from_db(gain_db);
    for (std::size_t u = 0; u < utterances.size(); ++u) {
      const double peak = utterances[u].true_peak * gain;
      result.factors[u] = peak > ceiling ? static_cast<float>(ceiling / peak) : 1.0f;
    }
    measured = loudness();
    const double next = target.integrated - measured;
    const bool settled = std::abs(next - gain_db) < 0.005;
    gain_db = next;
    if (settled) break;
  }
  // The last round's factors were set for the previous gain: set them again for this one.
  result.gain = from_db(gain_db);
  double peak = 0;
  for (std::size_t u = 0; u < utterances.size(); ++u) {
    const double p = utterances[u].true_peak * result.gain;
    result.factors[u] = p > ceiling ? static_cast<float>(ceiling / p) : 1.0f;
    peak = std::max(peak, p * result.factors[u]);
  }
  result.integrated = loudness() + to_db(result.gain);
  result.true_peak = to_db(peak);
  return result;
}

}  // namespace troupe
