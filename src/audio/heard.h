// The cast as a listener hears it: every speaker's utterances cut out of a rendered book's
// chapter audio (by the manifest's timings) and measured with the same YIN tracker as the
// voice profiles' calibration.
#pragma once

#include <string>
#include <vector>

namespace troupe {

struct HeardSpeaker {
  std::string speaker;   // "narrator" for narration
  std::string voice;     // the profile that spoke (the first, if several did)
  int lines = 0;         // utterances heard
  double median_f0 = 0;  // Hz over all their voiced frames, 0 if none
  double f0_range = 0;   // semitones, 10th to 90th percentile
};

// Reads book_dir/manifest.json and its chapter files. Speakers most heard first, then by name.
// Throws InputError naming the file when the manifest or an audio file cannot be read.
std::vector<HeardSpeaker> heard_speakers(const std::string& book_dir);

}  // namespace troupe
