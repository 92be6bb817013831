#include "text/romanisation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/ascii.h"
#include "text/lexicon.h"

namespace troupe {
namespace {

struct Spelling {
  std::string_view written, said;
};

// Longest spellings first within each table: the parser tries them in order.
constexpr std::array<Spelling, 27> kKoreanVowels{{
    {"woo", "u:"}, {"yeo", "jV"}, {"yae", "jE"}, {"wae", "wE"}, {"yoo", "ju:"}, {"you", "ju:"},
    {"eo", "V"},   {"eu", "U"},   {"ae", "E"},   {"oe", "wE"},  {"ui", "i:"},   {"wi", "wi:"},
    {"wa", "wA:"}, {"we", "wE"},  {"wo", "wV"},  {"ya", "jA:"}, {"ye", "jE"},   {"yo", "joU"},
    {"yu", "ju:"}, {"oo", "u:"},  {"ee", "i:"},  {"a", "A:"},   {"e", "E"},     {"i", "i:"},
    {"o", "oU"},   {"u", "u:"},   {"oh", "oU"},
}};
constexpr std::array<Spelling, 21> kKoreanOnsets{{
    {"kk", "k"}, {"tt", "t"}, {"pp", "p"}, {"ss", "s"}, {"jj", "dZ"}, {"ch", "tS"}, {"sh", "S"},
    {"g", "g"},  {"k", "k"},  {"n", "n"},  {"d", "d"},  {"t", "t"},   {"r", "r"},   {"l", "l"},
    {"m", "m"},  {"b", "b"},  {"p", "p"},  {"s", "s"},  {"j", "dZ"},  {"h", "h"},   {"", ""},
}};
constexpr std::array<Spelling, 10> kKoreanCodas{{
    {"ng", "N"},
    {"ck", "k"},
    {"n", "n"},
    {"m", "m"},
    {"l", "l"},
    {"k", "k"},
    {"p", "p"},
    {"b", "p"},
    {"t", "t"},
    {"", ""},
}};

bool starts(std::string_view s, std::size_t at, std::string_view part) {
  return s.substr(at, part.size()) == part;
}

// One Korean syllable's phonemes, with the fan-spelling adjustments that need its neighbours.
std::string korean_syllable(const Spelling& onset, const Spelling& vowel, const Spelling& coda) {
  std::string said(vowel.said);
  if (vowel.written == "yu" &&
      (coda.written == "ng" || (onset.written == "h" && !coda.written.empty())))
    said = "jV";
  if (vowel.written == "u" && coda.written == "ng") said = "V";
  if (vowel.written == "you" && coda.written == "ng") said = "jV";
  std::string on(onset.said);
  if (on == "s" && (said == "i:" || said == "wi:" || said[0] == 'j')) on = "S";
  return on + said + std::string(coda.said);
}

// English words with a silent final e ("Jake", "Mike", "Rose"): never read as Korean.
bool has_magic_e(std::string_view w) {
  auto vowel = [](char c) { return std::string_view("aeiou").find(c) != std::string_view::npos; };
  const std::size_t n = w.size();
  return n >= 4 && w[n - 1] == 'e' && !vowel(w[n - 2]) && w[n - 2] != 'y' && vowel(w[n - 3]) &&
         !vowel(w[n - 4]);
}

// Best parse of word[at..]: fewest syllables, then fewest vowel-initial ones (onsets taken).
struct Parse {
  int syllables = std::numeric_limits<int>::max() / 2, bare = 0;
  std::string said;
};

Parse parse_korean(std::string_view w, std::size_t at, std::map<std::size_t, Parse>& memo) {
  if (at == w.size()) return Parse{0, 0, ""};
  if (auto it = memo.find(at); it != memo.end()) return it->second;
  Parse best;
  for (const auto& onset : kKoreanOnsets) {
    if (!starts(w, at, onset.written)) continue;
    const std::size_t v_at = at + onset.written.size();
    for (const auto& vowel : kKoreanVowels) {
      if (!starts(w, v_at, vowel.written)) continue;
      const std::size_t c_at = v_at + vowel.written.size();
      for (const auto& coda : kKoreanCodas) {
        if (!starts(w, c_at, coda.written)) continue;
        // "ng" before a vowel is the final ng (Jeongin), never n + g.
        if (coda.written == "n" && starts(w, c_at + 1, "g")) continue;
        Parse rest = parse_korean(w, c_at + coda.written.size(), memo);
        const int syllables = rest.syllables + 1;
        const int bare = rest.bare + (onset.written.empty() ? 1 : 0);
        if (syllables < best.syllables || (syllables == best.syllables && bare < best.bare))
          best = Parse{syllables, bare, korean_syllable(onset, vowel, coda) + rest.said};
      }
    }
  }
  memo[at] = best;
  return best;
}

// Hepburn morae. Vowels, long ones first; ō and ū are UTF-8.
constexpr std::array<Spelling, 16> kJapaneseVowels{{
    {"\u014D", "oU"},
    {"\u016B", "u:"},
    {"\u0101", "A:"},
    {"ou", "oU"},
    {"oo", "oU"},
    {"uu", "u:"},
    {"ii", "i:"},
    {"ei", "eI"},
    {"aa", "A:"},
    {"ee", "E"},
    {"a", "A:"},
    {"i", "i:"},
    {"u", "u"},
    {"e", "E"},
    {"o", "oU"},
    {"\u00E2", "A:"},
}};
constexpr std::array<Spelling, 30> kJapaneseOnsets{{
    {"ky", "kj"}, {"gy", "gj"}, {"sh", "S"},  {"ch", "tS"}, {"ts", "ts"}, {"ny", "nj"},
    {"hy", "hj"}, {"by", "bj"}, {"py", "pj"}, {"my", "mj"}, {"ry", "rj"}, {"k", "k"},
    {"g", "g"},   {"s", "s"},   {"z", "z"},   {"t", "t"},   {"d", "d"},   {"n", "n"},
    {"h", "h"},   {"b", "b"},   {"p", "p"},   {"m", "m"},   {"y", "j"},   {"r", "r"},
    {"w", "w"},   {"f", "f"},   {"j", "dZ"},  {"v", "v"},   {"", ""},     {"", ""},
}};

// Morae Hepburn does not write: si ti tu hu zi di du yi ye wi wu we; f only in fu.
bool hepburn_mora(std::string_view onset, char vowel) {
  static const std::set<std::string> kNot{"si", "ti", "tu", "hu", "zi",  "di",  "du",  "yi",
                                          "ye", "wi", "wu", "we", "tsa", "tsi", "tse", "tso"};
  if (onset == "f" && vowel != 'u') return false;
  if (onset == "v") return false;
  return kNot.count(std::string(onset) + vowel) == 0;
}

// Japanese morae of word[at..], or nullopt; a doubled consonant (kk, tt, ss, pp, tch) is said
// once, n before a consonant or at the end is the moraic n.
std::optional<std::string> parse_japanese(std::string_view w, std::size_t at) {
  if (at == w.size()) return std::string();
  for (const auto& onset : kJapaneseOnsets) {
    std::size_t from = at;
    // Geminate: the onset's first letter doubled ("kk", "ss", "tch").
    if (!onset.written.empty() &&
        std::string_view("kstpgdbmz").find(onset.written[0]) != std::string_view::npos &&
        from + 1 < w.size() && w[from] == onset.written[0] && w[from + 1] == onset.written[0])
      ++from;
    else if (onset.written == "ch" && starts(w, from, "tch"))
      ++from;
    if (!starts(w, from, onset.written)) continue;
    const std::size_t v_at = from + onset.written.size();
    for (const auto& vowel : kJapaneseVowels) {
      if (!starts(w, v_at, vowel.written)) continue;
      if (!hepburn_mora(onset.written, vowel.written[0])) continue;
      std::string said = std::string(onset.said) + std::string(vowel.said);
      if (auto rest = parse_japanese(w, v_at + vowel.written.size())) return said + *rest;
    }
  }
  // The moraic n (also m before b, p, m in older Hepburn: Shimbashi).
  if ((w[at] == 'n' || w[at] == 'm') &&
      (at + 1 == w.size() || std::string_view("aeiouy").find(w[at + 1]) == std::string_view::npos))
    if (w[at] == 'n' ||
        (at + 1 < w.size() && std::string_view("bpm").find(w[at + 1]) != std::string_view::npos))
      if (auto rest = parse_japanese(w, at + 1)) return (w[at] == 'n' ? "n" : "m") + *rest;
  return std::nullopt;
}

std::string lowered_letters(std::string_view word, bool& ok) {
  std::string w;
  ok = !word.empty();
  for (char c : word) {
    if (c == '-' || c == '\'') continue;  // Nam-jun, Kyung-soo
    if (!std::isalpha(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
      ok = false;
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return w;
}

// Evidence of a story's names' language.
const std::unordered_set<std::string> kKoreanSurnames{
    "kim",  "lee",  "yi",   "park", "pak", "choi", "jung", "jeong", "kang",  "cho",  "jo",
    "yoon", "jang", "lim",  "han",  "oh",  "seo",  "shin", "kwon",  "hwang", "ahn",  "song",
    "yoo",  "hong", "jeon", "moon", "son", "bae",  "baek", "heo",   "nam",   "shim", "noh",
    "kwak", "sung", "cha",  "joo",  "woo", "min",  "ryu",  "byun",  "seong", "yang", "jin"};
const std::unordered_set<std::string> kKoreanWords{
    "oppa",     "hyung", "unnie", "eonni",   "noona",    "nuna",      "sunbae", "maknae",  "aegyo",
    "hwaiting", "kpop",  "k-pop", "seoul",   "busan",    "idol",      "idols",  "trainee", "daebak",
    "hyungnim", "eomma", "umma",  "ahjussi", "annyeong", "saranghae", "chingu", "jagiya"};
const std::unordered_set<std::string> kJapaneseSurnames{
    "tanaka",  "suzuki",   "sato",      "satou",     "takahashi", "watanabe",
    "ito",     "yamamoto", "nakamura",  "kobayashi", "kato",      "yoshida",
    "yamada",  "sasaki",   "yamaguchi", "matsumoto", "kimura",    "hayashi",
    "shimizu", "saito",    "uchiha",    "uzumaki",   "mori",      "ikeda"};
const std::unordered_set<std::string> kJapaneseWords{
    "senpai", "sempai", "sensei", "kawaii", "baka",  "anime",     "manga",   "tokyo",   "osaka",
    "kyoto",  "-chan",  "-kun",   "-san",   "-sama", "onii-chan", "nee-san", "arigatou"};

// English words a romanisation would also read, capitalised as names often are.
const std::set<std::string> kEnglishWords{
    "mom",    "mama", "papa", "nana", "ma",  "pa",  "no",  "oh",  "ok",   "so",    "yes",   "hi",
    "hey",    "am",   "an",   "in",   "on",  "to",  "do",  "go",  "be",   "korea", "japan", "china",
    "london", "tom",  "sam",  "dan",  "ben", "tim", "jon", "don", "anna", "hannah"};

struct Word {
  std::string text;
  bool mid_sentence = false;  // not the first word of a sentence or line
};

// The story's words (letters, inner hyphens and apostrophes), in order.
std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> words;
  bool sentence_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c)) {
      if (c == '.' || c == '!' || c == '?' || c == '\n' || c == '"' || c == ':')
        sentence_start = true;
      if (c >= 0x80 && i + 2 < text.size() && text.substr(i, 3) == "\u201C") sentence_start = true;
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() &&
           (std::isalpha(static_cast<unsigned char>(text[end])) ||
            ((text[end] == '-' || text[end] == '\'') && end + 1 < text.size() &&
             std::isalpha(static_cast<unsigned char>(text[end + 1])))))
      ++end;
    words.push_back(Word{std::string(text.substr(i, end - i)), !sentence_start});
    sentence_start = false;
    i = end;
  }
  return words;
}

// "Taeyong", not "taeyong" nor "DIA" (all capitals are an acronym or a shout).
bool capitalised(std::string_view w) {
  return w.size() >= 2 && std::isupper(static_cast<unsigned char>(w[0])) &&
         std::any_of(w.begin() + 1, w.end(),
                     [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

bool lower_case(std::string_view w) {
  return !w.empty() && std::islower(static_cast<unsigned char>(w[0]));
}

// A spelling only Korean romanisation has (Jooeun, Seolhyun): enough to take a capitalised
// word at a sentence's start for a name.
bool korean_spelling(std::string_view lowered) {
  for (std::string_view part : {"eo", "eu", "ae", "yeo", "oe"})
    if (lowered.find(part) != std::string_view::npos) return true;
  return false;
}

// A stutter ("I-I", "T-Taeyong") or a part of one letter is no name.
bool stutter(std::string_view w) {
  std::size_t from = 0;
  while (true) {
    const std::size_t dash = w.find('-', from);
    const std::size_t end = dash == std::string_view::npos ? w.size() : dash;
    if (end - from < 2) return true;
    if (dash == std::string_view::npos) return false;
    from = dash + 1;
  }
}

// A word's possessive ending removed: Taeyong's -> Taeyong.
std::string without_possessive(std::string w) {
  if (w.size() > 2 && (w.substr(w.size() - 2) == "'s" || w.substr(w.size() - 2) == "'S"))
    w.resize(w.size() - 2);
  return w;
}

std::optional<std::string> phonemes_in(NameLanguage language, std::string_view word) {
  if (language == NameLanguage::Korean) return korean_phonemes(word);
  if (language == NameLanguage::Japanese) return japanese_phonemes(word);
  return std::nullopt;
}

void add_name(Lexicon& lexicon, std::string_view name, NameLanguage language) {
  if (auto said = phonemes_in(language, name))
    lexicon.add(lower_ascii(name), "[[" + *said + "]]", /*user=*/false);
}

// A name as written: a hyphenated Korean name is one name (Nam-jun), unless a part is an
// honorific or word the lexicon knows (Taeyong-oppa, Sakura-chan); Japanese names are split at
// hyphens, so the lexicon's honorifics are said after them.
void add_word(Lexicon& lexicon, const std::string& w, NameLanguage language) {
  std::vector<std::string> parts;
  for (std::size_t from = 0; from <= w.size();) {
    std::size_t dash = std::min(w.find('-', from), w.size());
    parts.push_back(w.substr(from, dash - from));
    from = dash + 1;
  }
  bool known_part = false;
  for (std::size_t k = 1; k < parts.size(); ++k)
    known_part = known_part || lexicon.lookup_suffix(parts[k]) || lexicon.lookup(parts[k]);
  if (parts.size() == 1 || (language == NameLanguage::Korean && !known_part)) {
    add_name(lexicon, w, language);
    return;
  }
  for (std::size_t k = 0; k < parts.size(); ++k)
    if (k == 0 || !(lexicon.lookup_suffix(parts[k]) || lexicon.lookup(parts[k])))
      add_name(lexicon, parts[k], language);
}

// "Nam-jun", "Kyung-soo": capitalised, one hyphen, each side one Korean syllable, the second in
// lower case.
bool korean_hyphenated(std::string_view w) {
  const std::size_t dash = w.find('-');
  if (dash == std::string_view::npos || w.find('-', dash + 1) != std::string_view::npos ||
      !std::isupper(static_cast<unsigned char>(w[0])) || dash + 1 >= w.size() ||
      !std::islower(static_cast<unsigned char>(w[dash + 1])))
    return false;
  for (std::string_view part : {w.substr(0, dash), w.substr(dash + 1)}) {
    const std::string lowered = lower_ascii(part);
    std::map<std::size_t, Parse> memo;
    if (lowered.size() < 2 || parse_korean(lowered, 0, memo).syllables != 1) return false;
  }
  return true;
}

// Evidence for one language, each piece counted once however often it is written: a novel
// that says "So-so" ten times or "Oh Anne" fifty is no more Korean for it.
struct Evidence {
  std::set<std::string> pieces;
  int weight = 0;
  void add(const std::string& piece, int piece_weight) {
    if (pieces.insert(piece).second) weight += piece_weight;
  }
};

// A story's name mentions per piece of evidence a language needs, beyond the floor of two: a
// long English novel meets a few Korean-looking words by chance (Song, Park, Tut-tut) but not
// one per hundred of its names, while a fan fiction's Korean names and words are many more.
constexpr int kNameMentionsPerEvidence = 100;

NameLanguage name_language_of_words(const std::vector<Word>& words) {
  Evidence korean, japanese;
  int name_mentions = 0;  // words capitalised in mid-sentence
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (words[k].mid_sentence && capitalised(words[k].text)) ++name_mentions;
    const std::string w = lower_ascii(without_possessive(words[k].text));
    if (kKoreanWords.count(w)) korean.add(w, 1);
    if (kJapaneseWords.count(w)) japanese.add(w, 1);
    auto dash = w.rfind('-');
    if (dash != std::string::npos && kJapaneseWords.count(w.substr(dash))) japanese.add(w, 1);
    // A given name written as Korean names are, two syllables joined by a hyphen: Nam-jun.
    if (korean_hyphenated(words[k].text)) korean.add(w, 2);
    // A surname written before a capitalised name: Kim Taeyong, Tanaka Yuki.
    if (k + 1 < words.size() && capitalised(words[k].text) && capitalised(words[k + 1].text)) {
      const std::string pair = w + " " + lower_ascii(words[k + 1].text);
      if (kKoreanSurnames.count(w) && korean_phonemes(words[k + 1].text)) korean.add(pair, 1);
      if (kJapaneseSurnames.count(w) && japanese_phonemes(words[k + 1].text)) japanese.add(pair, 1);
    }
  }
  const int needed = std::max(2, name_mentions / kNameMentionsPerEvidence);
  if (korean.weight >= needed && korean.weight > japanese.weight) return NameLanguage::Korean;
  if (japanese.weight >= needed && japanese.weight > korean.weight) return NameLanguage::Japanese;
  return NameLanguage::None;
}

// A lower-cased word that is a name even first in a sentence: one of `language`'s common
// surnames, or a Korean spelling in a Korean story.
bool starts_a_name(const std::string& lowered, NameLanguage language) {
  const auto& surnames = language == NameLanguage::Korean ? kKoreanSurnames : kJapaneseSurnames;
  return surnames.count(lowered) > 0 ||
         (language == NameLanguage::Korean && korean_spelling(lowered));
}

// Capitalised in mid-sentence at least as often as written in lower case: a name, not a word.
void add_names_of_words(Lexicon& lexicon, const std::vector<Word>& words, NameLanguage language) {
  struct Tally {
    int named = 0, plain = 0;  // capitalised in mid-sentence (or as a name starts), lower case
    bool name_start = false;   // a surname, or a Korean spelling: a name even first in a sentence
  };
  // Hashed, and what depends on the word alone found once per word, not per mention (story
  // 002: 6,700 mentions of 1,400 words); the names are added in sorted order, as before.
  std::unordered_map<std::string, Tally> counts;  // lower-cased
  for (const auto& word : words) {
    const std::string w = without_possessive(word.text);
    auto [at, fresh] = counts.try_emplace(lower_ascii(w));
    const std::string& lowered = at->first;
    Tally& tally = at->second;
    if (fresh) tally.name_start = starts_a_name(lowered, language);
    if (capitalised(w) && (word.mid_sentence || tally.name_start)) ++tally.named;
    if (lower_case(w)) ++tally.plain;
  }
  std::vector<const std::string*> names;
  for (const auto& [w, tally] : counts)
    if (tally.named > 0 && tally.named >= tally.plain && w.size() >= 2 && !kEnglishWords.count(w))
      names.push_back(&w);
  std::sort(names.begin(), names.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* w : names)
    if (!stutter(*w)) add_word(lexicon, *w, language);
}

}  // namespace

NameLanguage story_name_language(std::string_view text) {
  return name_language_of_words(words_of(text));
}

NameLanguage add_story_names_in_their_language(Lexicon& lexicon, std::string_view text) {
  const std::vector<Word> words = words_of(text);
  const NameLanguage language = name_language_of_words(words);
  if (language != NameLanguage::None) add_names_of_words(lexicon, words, language);
  return language;
}

void add_story_names(Lexicon& lexicon, std::string_view text, NameLanguage language,
                     const std::vector<std::string>& extra_names) {
  for (const auto& name : extra_names) {
    std::size_t from = 0;
    while (from <= name.size()) {  // each word of "Lee Taeyong"
      auto space = name.find(' ', from);
      if (space == std::string::npos) space = name.size();
      if (space > from) add_name(lexicon, name.substr(from, space - from), language);
      from = space + 1;
    }
  }
  if (language != NameLanguage::None) add_names_of_words(lexicon, words_of(text), language);
}

NameLanguage name_language_of(std::string_view code) {
  const std::string c = lower_ascii(code);
  if (c == "ko" || c == "korean") return NameLanguage::Korean;
  if (c == "ja" || c == "japanese") return NameLanguage::Japanese;
  return NameLanguage::None;
}

std::optional<std::string> korean_phonemes(std::string_view word) {
  bool ok = false;
  const std::string w = lowered_letters(word, ok);
  if (!ok || w.size() < 2 || has_magic_e(w)) return std::nullopt;
  // Surnames whose usual spelling is no romanisation: Park (박), Choi (최).
  static const std::map<std::string, std::string, std::less<>> kSpelledSurnames{
      {"park", "pA:k"}, {"choi", "tSwE"}, {"ahn", "A:n"}, {"rhee", "li:"}, {"roh", "noU"}};
  if (auto it = kSpelledSurnames.find(w); it != kSpelledSurnames.end()) return "'" + it->second;
  std::map<std::size_t, Parse> memo;
  Parse parse = parse_korean(w, 0, memo);
  if (parse.said.empty()) return std::nullopt;
  return "'" + parse.said;
}

std::optional<std::string> japanese_phonemes(std::string_view word) {
  bool ok = false;
  const std::string w = lowered_letters(word, ok);
  if (!ok || w.size() < 2) return std::nullopt;
  auto said = parse_japanese(w, 0);
  if (!said || said->empty()) return std::nullopt;
  return "'" + *said;
}

}  // namespace troupe
