#include "attribution/attribute.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>

#include "attribution/lexicon.h"
#include "attribution/tokens.h"
#include "text/utf8.h"

namespace troupe {
namespace {

constexpr int kUnknown = -1;
// A quotation of more words than this is speech, not words mentioned in narration.
constexpr long kMentionMaxWords = 4;
// How many recent mentions a pronoun looks through for a subject before settling for an object.
constexpr int kSubjectWindow = 6;
// How many recent mentions a quotation paragraph remembers for turn-taking.
constexpr std::size_t kRecentKept = 12;
// Tags calling one character "the girl" before a narration's "the girl" means them.
constexpr int kUsualDescriptionMin = 10;
// How many words a speech verb may stand after its subject: "Mr. Woodhouse, whose thoughts
// were on the Bates's, said".
constexpr std::size_t kSubjectReach = 12;
// How often others must address a first-person narrator by name before it is voiced as that name.
constexpr int kNarratorAddressedMin = 3;
// How often a character must be "little Oliver" or "Master Bates" before troupe takes them for
// a child.
constexpr int kChildMarksMin = 3;
// Weighing the recent mentions a pronoun may refer to (tuned on the evaluation novels).
// Prominence (how often the whole story names a character) was tried and made it worse.
constexpr int kRecentWindow = 12;
constexpr double kRecencyDecay = 0.8;
constexpr double kObjectWeight = 0.6;

// A stretch of a paragraph: narration, or the words of one quotation.
struct Segment {
  bool is_quote = false;
  std::size_t begin = 0, end = 0;
  const Quote* quote = nullptr;
};

bool is_quote_mark(char32_t c) {
  return c == '"' || c == '\'' || c == U'\u201C' || c == U'\u201D' || c == U'\u2018' ||
         c == U'\u2019';
}

// Byte offset just after the closing mark (and spaces) that follows a quotation's words.
std::size_t after_closing_mark(std::string_view text, std::size_t end) {
  std::size_t i = end;
  if (i < text.size()) {
    std::size_t j = i;
    if (is_quote_mark(next_code_point(text, j))) i = j;
  }
  return i;
}

// Byte offset of the opening mark that precedes a quotation's words.
std::size_t before_opening_mark(std::string_view text, std::size_t begin) {
  std::size_t i = begin;
  while (i > 0 && text[i - 1] == ' ') --i;
  std::size_t j = i;
  if (j > 0 && is_quote_mark(previous_code_point(text, j))) return j;
  return i;
}

std::vector<Segment> segments_of(const Paragraph& p) {
  std::vector<Segment> segments;
  std::size_t at = 0;
  for (const auto& q : p.quotes) {
    std::size_t open = before_opening_mark(p.text, q.begin);
    if (open > at) segments.push_back({false, at, open, nullptr});
    segments.push_back({true, q.begin, q.end, &q});
    at = std::max(at, after_closing_mark(p.text, q.end));
  }
  if (at < p.text.size()) segments.push_back({false, at, p.text.size(), nullptr});
  return segments;
}

// What a noun phrase in narration refers to.
struct Mention {
  enum Kind { None, Name, Pronoun, Noun } kind = None;
  int id = kUnknown;  // for names
  Gender gender = Gender::Unknown;
  int length = 0;                // tokens used
  std::string determiner, noun;  // for nouns: "his" "wife"
  std::string phrase;            // for nouns: the words after the determiner, "old gentleman"
};

// A character in the narration so far; subjects ("Emma smiled", "She went") weigh more than
// objects when a later pronoun is resolved.
struct Salient {
  int id = kUnknown;
  bool subject = false;
};
using Salience = std::vector<Salient>;

struct QuoteParagraph {
  int paragraph = 0;  // index in the chapter
  const Paragraph* p = nullptr;
  std::vector<Segment> segments;
  std::vector<int> speakers;  // per quotation
  std::vector<std::string> rules;
  std::vector<Delivery> deliveries;
  std::vector<Gender> pronoun_tags;     // per quotation: the gender of a "he said" tag
  std::vector<bool> adult_tags;         // per quotation: "said the old gentleman"
  std::vector<bool> firm_tags;          // per quotation: "said Emma", "said he": not a noun
  std::vector<int> vocatives;           // characters named inside its quotations
  std::vector<int> talked_about;        // characters its quotations name in passing
  std::vector<int> narration_mentions;  // characters named outside them, in order
  bool continues = false;               // opens by continuing the previous paragraph's quotation
  bool after_narration = false;         // a narration-only paragraph stands between it and the last
  const Paragraph* intro = nullptr;     // the narration paragraph before it, if it ends in : or ,
  std::vector<int> recent_before;       // characters mentioned or speaking just before it
  int subject_before = kUnknown;        // the last subject of the narration before it
  bool named_beat = false;              // its beat names its speaker: "Renjun shook his head."
  int addressee = kUnknown;             // "said he to his wife": who is spoken to
  std::vector<int> narration_subjects;  // named outside the quotations, not as an object
  std::vector<int> closing_subjects;    // subjects of the narration after its last quotation
  std::string extra;                    // "said his manager": an unnamed speaker, if no one else
  std::vector<std::string> descriptions;  // per quotation: "old gentleman" of its tag, if any
};

// A narration paragraph that ends "...as he had said at dinner," or "...she began:".
bool introduces_speech(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.ends_with("--") || text.ends_with("\u2014")) return true;
  return !text.empty() && (text.back() == ':' || text.back() == ',');
}

class Attributor {
 public:
  Attributor(const Story& story, const AttributionOptions& options)
      : story_(story), options_(options), table_(build_characters(story, options.hints)) {
    first_person_ = table_.find("I");
    for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id)
      if (table_.characters[id].is_reader) {
        reader_ = id;
        table_.add_alias(id, "you");
      }
    if (first_person_ >= 0 && table_.characters[first_person_].name == "I") name_the_narrator();
    collect_lower_words();
    find_children();
  }

  // "little Oliver", "Master Bates": a character the text often calls little is a child, and
  // never "the old gentleman" or "the woman".
  void find_children() {
    std::map<int, int> little;
    for (const auto& chapter : story_.chapters)
      for (const auto& p : chapter.paragraphs) {
        if (p.kind != ParagraphKind::Text) continue;
        for (const auto& s : segments_of(p)) {
          const auto& tokens = tokens_of(p, s);
          for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
            if (tokens[i].lower != "little" && tokens[i].lower != "master") continue;
            auto [id, length] = table_.match(tokens, i + 1);
            if (id < 0 && tokens[i].lower == "master")
              std::tie(id, length) = table_.match(tokens, i);
            if (id >= 0) ++little[id];
          }
        }
      }
    for (const auto& [id, count] : little)
      if (count >= kChildMarksMin) children_.insert(id);
  }

  void collect_lower_words() {
    for (const auto& chapter : story_.chapters)
      for (const auto& p : chapter.paragraphs)
        if (p.kind == ParagraphKind::Text)
          for (const auto& s : segments_of(p))
            for (const auto& t : tokens_of(p, s))
              if (!t.capitalized) lower_words_.insert(t.lower);
  }

  // A first-person narrator is named by how the others address them: the character called
  // most often in quotations ("Watson, ...") and hardly ever named in the narration.
  void name_the_narrator() {
    std::map<int, int> addressed, narrated;
    for (const auto& chapter : story_.chapters)
      for (const auto& p : chapter.paragraphs) {
        if (p.kind != ParagraphKind::Text) continue;
        for (const auto& s : segments_of(p)) {
          const auto& tokens = tokens_of(p, s);
          if (s.is_quote)
            for (int id : vocatives_in(tokens)) ++addressed[id];
          else
            for (int id : mentions_in(tokens)) ++narrated[id];
        }
      }
    int best = kUnknown, best_count = 0;
    for (const auto& [id, count] : addressed) {
      if (id == first_person_ || id == reader_ || narrated[id] * 2 > count) continue;
      if (count > best_count) {
        best = id;
        best_count = count;
      }
    }
    if (best == kUnknown || best_count < kNarratorAddressedMin) return;
    table_.reassign("I", best);
    table_.reassign("me", best);
    table_.characters[best].is_first_person = true;
    first_person_ = best;
  }

  Script run() {
    Script script;
    script.title = story_.title;
    for (const auto& chapter : story_.chapters) script.chapters.push_back(chapter_script(chapter));
    script.characters = table_.characters;
    return script;
  }

 private:
  // ---- mentions ----------------------------------------------------------------

  Mention mention_at(const std::vector<Token>& tokens, std::size_t i) const {
    Mention m;
    if (i >= tokens.size()) return m;
    auto [id, length] = table_.match(tokens, i);
    if (id >= 0) return {Mention::Name, id, table_.characters[id].gender, length, "", "", ""};
    const auto& w = tokens[i].lower;
    // "the Jew", "the Dodo", "a Canary": a name after all
    if ((w == "the" || w == "a" || w == "an") && i + 1 < tokens.size()) {
      auto [named, used] = table_.match(tokens, i + 1);
      if (named >= 0)
        return {Mention::Name, named, table_.characters[named].gender, used + 1, "", "", ""};
    }
    if (w == "he" || w == "she")
      return {Mention::Pronoun, kUnknown, gender_of_pronoun(w), 1, "", "", ""};
    if (w == "i" && first_person_ >= 0)
      return {Mention::Name, first_person_, Gender::Unknown, 1, "", "", ""};
    // "one of the women": someone of a group, unnamed.
    if (w == "one" && i + 2 < tokens.size() && tokens[i + 1].lower == "of") {
      Mention noun = mention_at(tokens, i + 2);
      if (noun.kind != Mention::Noun) return m;
      noun.determiner = "one of " + noun.determiner;
      noun.length += 2;
      return noun;
    }
    if ((w == "the" || w == "his" || w == "her" || w == "their" || w == "a" || w == "an" ||
         w == "my" || w == "your" || w == "our" || w == "another") &&
        i + 1 < tokens.size()) {
      for (std::size_t k = i + 1; k < tokens.size() && k <= i + 3; ++k) {
        bool is_person = false;
        Gender g = gender_of_person_noun(tokens[k].lower, &is_person);
        // "the old gentleman": the head is the last of the nouns, "old" only on its own.
        bool head_follows = false;
        if (is_person && k + 1 < tokens.size() && !tokens[k + 1].clause_break_before)
          gender_of_person_noun(tokens[k + 1].lower, &head_follows);
        if (is_person && !head_follows) {
          Mention noun{Mention::Noun,   kUnknown, g, static_cast<int>(k - i + 1), w,
                       tokens[k].lower, ""};
          for (std::size_t j = i + 1; j <= k; ++j)
            noun.phrase += (j > i + 1 ? " " : "") + tokens[j].lower;
          return noun;
        }
        if (tokens[k].capitalized) break;
      }
    }
    return m;
  }

  // "the unsympathetic Marilla", "skeptical Anne", "the good-hearted Mrs. John Knightley": a
  // name after an epithet or two, as a speech tag writes its speaker.
  Mention epithet_name_at(const std::vector<Token>& tokens, std::size_t i) const {
    if (i >= tokens.size()) return {};
    std::size_t k = tokens[i].lower == "the" ? i + 1 : i;
    std::size_t epithets = 0;
    while (k < tokens.size() && epithets < 2 && !tokens[k].capitalized &&
           (k == i || !tokens[k].clause_break_before) && looks_like_epithet(tokens[k].lower)) {
      ++k;
      ++epithets;
    }
    if (epithets == 0 || k >= tokens.size() || tokens[k].clause_break_before) return {};
    auto [named, used] = table_.match(tokens, k);
    if (named < 0) return {};
    return {Mention::Name,
            named,
            table_.characters[named].gender,
            static_cast<int>(k - i) + used,
            "",
            "",
            ""};
  }

  // Most recent character of the gender: first in `local` (this paragraph, before the tag), then
  // in the history, passing over the other party of the exchange (avoid_) while another among
  // the recent mentions fits.
  int resolve(Gender gender, const Salience& local, bool adult = false, int never = kUnknown,
              const Mention* noun = nullptr) const {
    auto fits_gender = [&](int id, int avoid, Gender wanted) {
      if (id == avoid || id == never || id == reader_ || id == first_person_ || id == kUnknown)
        return false;
      if (adult && children_.count(id)) return false;
      if (noun && !ages_fit(id, *noun)) return false;
      // "Mr. Darcy, ...," said he: the one addressed is not the one speaking.
      if (std::find(addressed_.begin(), addressed_.end(), id) != addressed_.end()) return false;
      if (std::find(bound_.begin(), bound_.end(), id) != bound_.end()) return false;
      Gender g = table_.characters[id].gender;
      return wanted == Gender::Unknown || g == wanted;
    };
    auto fits = [&](int id, int avoid) { return fits_gender(id, avoid, gender); };
    // The most recent subject of the gender among the last few mentions, else the most recent.
    auto pick = [&](const Salience& list, int avoid) -> int {
      int window = 0;
      for (auto it = list.rbegin(); it != list.rend() && window < kSubjectWindow; ++it, ++window)
        if (it->subject && fits(it->id, avoid)) return it->id;
      for (auto it = list.rbegin(); it != list.rend(); ++it)
        if (fits(it->id, avoid)) return it->id;
      return kUnknown;
    };
    // Among the recent mentions: recency, and being a subject rather than an object.
    auto best_recent = [&](int avoid) -> int {
      int best = kUnknown, rank = 0;
      double best_score = 0;
      for (auto it = history_.rbegin(); it != history_.rend() && rank < kRecentWindow;
           ++it, ++rank) {
        if (!fits(it->id, avoid)) continue;
        double score = (it->subject ? 1.0 : kObjectWeight) * std::pow(kRecencyDecay, rank);
        if (score > best_score) {
          best = it->id;
          best_score = score;
        }
      }
      return best;
    };
    int id = pick(local, kUnknown);
    // `...until Mr. Bounderby took the case in hand.` closing the turn before: he speaks next,
    // before anyone that turn called by name ("Open up, Bill!" cried Tom. Jack came round.).
    for (auto it = trailing_.rbegin(); it != trailing_.rend() && id == kUnknown; ++it)
      if (it->subject && fits(it->id, kUnknown)) id = it->id;
    // "O Tom, Tom!" ... "he returned": the one just addressed answers.
    // Their gender may be unknown yet: being spoken to is the stronger sign.
    for (auto it = called_.rbegin(); it != called_.rend() && id == kUnknown; ++it) {
      const bool untold = *it != kUnknown && table_.characters[*it].gender == Gender::Unknown;
      if (fits(*it, avoid_) || (untold && fits_gender(*it, avoid_, Gender::Unknown))) id = *it;
    }
    // In an exchange A, B, A: "he said" in the third turn is A again.
    if (id == kUnknown && fits(alternate_, avoid_)) id = alternate_;
    if (id == kUnknown) id = best_recent(avoid_);
    if (id == kUnknown) id = pick(history_, kUnknown);
    if (id == kUnknown && gender != Gender::Unknown) {
      // Nobody of that gender is known: someone whose gender troupe could not tell.
      for (auto it = history_.rbegin(); it != history_.rend() && id == kUnknown; ++it)
        if (fits(it->id, avoid_) ||
            (it->id != avoid_ && it->id != reader_ && it->id != first_person_ &&
             it->id != kUnknown && table_.characters[it->id].gender == Gender::Unknown))
          id = it->id;
    }
    return id;
  }

  // A pronoun in narration: the most recent subject of its gender among the last few
  // mentions (this stretch's, then the story's), else the most recent of its gender. The other
  // party of an exchange, whom a "he said" tag passes over, is as likely as anyone.
  int resolve_in_narration(Gender gender, const Salience& into) const {
    // The k-th most recent mention, this stretch's first, without copying the history.
    auto recent = [&](std::size_t k) -> const Salient* {
      if (k < into.size()) return &into[into.size() - 1 - k];
      k -= into.size();
      if (&into == &history_ || k >= history_.size()) return nullptr;
      return &history_[history_.size() - 1 - k];
    };
    auto fits = [&](int id) {
      return id != kUnknown && id != reader_ && id != first_person_ &&
             table_.characters[id].gender == gender;
    };
    for (std::size_t k = 0; k < static_cast<std::size_t>(kSubjectWindow); ++k)
      if (const Salient* s = recent(k); s && s->subject && fits(s->id)) return s->id;
    for (std::size_t k = 0; const Salient* s = recent(k); ++k)
      if (fits(s->id)) return s->id;
    return kUnknown;
  }

  // "the old gentleman", "the woman": a grown-up.
  static bool is_adult_noun(const Mention& m) {
    return m.kind == Mention::Noun &&
           (m.noun == "gentleman" || m.noun == "man" || m.noun == "lady" || m.noun == "woman" ||
            m.noun == "fellow" || m.phrase.starts_with("old "));
  }

  // The character whom the story's tags so far mostly call "the girl", or kUnknown.
  int usually_described_as(const std::string& phrase) const {
    auto it = described_as_.find(phrase);
    if (it == described_as_.end()) return kUnknown;
    int best = kUnknown, best_count = 0, total = 0;
    for (const auto& [id, count] : it->second) {
      total += count;
      if (count > best_count) {
        best = id;
        best_count = count;
      }
    }
    if (best_count < kUsualDescriptionMin || best_count * 5 < total * 4) return kUnknown;
    return best;
  }

  // How old a noun says its person is: "the girl", "the lad" a child; "the young lady" young;
  // "the old gentleman", "the elderly lady" old.
  enum class Age { Any, Child, Young, Old };
  static Age age_of_noun(const Mention& m) {
    const std::string& n = m.noun;
    if (n == "boy" || n == "girl" || n == "lad" || n == "child" || n == "youth") return Age::Child;
    if (m.phrase.starts_with("young ")) return Age::Young;
    if (m.phrase.starts_with("old ") || m.phrase.starts_with("elderly ") ||
        m.phrase.starts_with("elder "))
      return Age::Old;
    return Age::Any;
  }

  // What a character's names say of their age: "Miss Rose", "Master Bates", "Young Thomas" are
  // young; "Old Sally" is old; "Mr. Sikes", "Mrs. Corney" are grown up.
  struct NameAge {
    bool young = false, old = false, titled = false;
  };
  // Read once per character: a pronoun or description is weighed against many of them.
  NameAge name_age(int id) const {
    if (name_ages_.size() <= static_cast<std::size_t>(id)) name_ages_.resize(id + 1);
    if (!name_ages_[id]) name_ages_[id] = age_in_names(id);
    NameAge age = *name_ages_[id];
    if (children_.count(id)) age.young = true;
    return age;
  }

  NameAge age_in_names(int id) const {
    NameAge age;
    const auto& c = table_.characters[id];
    auto note = [&](const std::string& name) {
      auto words = tokenize(name);
      if (words.size() < 2) return;
      const std::string& w = words[0].lower;
      if (w == "miss" || w == "master" || w == "young" || w == "little") age.young = true;
      if (w == "old") age.old = true;
      if (is_person_title(words[0].text)) age.titled = true;
    };
    note(c.name);
    for (const auto& a : c.aliases) note(a);
    return age;
  }

  // "said the girl" is never "Old Sally" nor "Mrs. Corney"; "said the old lady" never "Miss
  // Rose".
  bool ages_fit(int id, const Mention& m) const {
    const Age age = age_of_noun(m);
    if (age == Age::Any) return true;
    const NameAge named = name_age(id);
    switch (age) {
      case Age::Child:
        return !named.old && (named.young || !named.titled);
      case Age::Young:
        return !named.old;
      case Age::Old:
        return !named.young;
      default:
        return true;
    }
  }

  // by_gender: set when the mention was resolved by its gender alone ("he", "the old man"),
  // which the conversation may later know better.
  int resolve_mention(const Mention& m, const Salience& local, bool* by_gender = nullptr) const {
    if (by_gender) *by_gender = m.kind == Mention::Pronoun || m.kind == Mention::Noun;
    if (m.kind == Mention::Name) return m.id;
    if (m.kind == Mention::Pronoun) return resolve(m.gender, local);
    if (m.kind == Mention::Noun) {
      int found = kin_of(m, local);
      // "her aunt" is hers, not the one the story calls "Aunt Philips": a family title is given
      // by the family's own children.
      if (found == kUnknown && !is_relative_noun(m)) found = titled_as(m.noun);
      if (found != kUnknown) {
        if (by_gender) *by_gender = false;
        return found;
      }
      // "cried his father" with no family name to go by: anyone but the one whose father.
      if (m.gender != Gender::Unknown)
        return resolve(m.gender, local, is_adult_noun(m), owner_of(m, local), &m);
    }
    return kUnknown;
  }

  // "your manager" when the story has one "Manager Dahyun"; "the doctor" for one "Doctor Kemp".
  int titled_as(const std::string& noun) const {
    int found = kUnknown;
    for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id) {
      const auto& firsts = name_words(id).first_words;
      if (std::find(firsts.begin(), firsts.end(), noun) == firsts.end()) continue;
      if (found != kUnknown) return kUnknown;
      found = id;
    }
    return found;
  }

  // The family names a character goes by: "Bennet" for "Elizabeth Bennet" or "Mrs. Bennet".
  const std::vector<std::string>& surnames_of(int id) const { return name_words(id).surnames; }

  // Words of a character's names, worked out once: the passes ask for them at every tag.
  struct NameWords {
    std::size_t names = 0;                 // how many names (name and aliases) they came from
    std::vector<std::string> first_words;  // lower case, of names of two words or more
    std::vector<std::string> surnames;     // the last word, of names of two words or more
  };
  const NameWords& name_words(int id) const {
    if (name_words_.size() <= static_cast<std::size_t>(id)) name_words_.resize(id + 1);
    NameWords& cached = name_words_[id];
    const auto& c = table_.characters[id];
    if (cached.names == c.aliases.size() + 1) return cached;
    cached = NameWords{c.aliases.size() + 1, {}, {}};
    auto note = [](std::vector<std::string>& list, const std::string& word) {
      if (std::find(list.begin(), list.end(), word) == list.end()) list.push_back(word);
    };
    std::vector<std::string> names = c.aliases;
    names.push_back(c.name);
    for (const auto& n : names) {
      auto words = tokenize(n);
      if (words.size() < 2) continue;
      note(cached.first_words, words[0].lower);
      if (words.back().capitalized) note(cached.surnames, words.back().text);
    }
    return cached;
  }

  // "her mother" beside Elizabeth Bennet is Mrs. Bennet, "his wife" beside Mr. Bennet too;
  // "her husband" beside Mrs. Hall is Mr. Hall; "his sister" beside Tom Gradgrind is the other
  // Gradgrind who is a woman. The one whose relative it is: the most recent character of the
  // possessive's gender, the other party of the exchange included.
  // "his wife", "her brother": a relative, whose gender the noun tells.
  static bool is_kin_noun(const Mention& m) {
    if (m.kind != Mention::Noun || (m.determiner != "his" && m.determiner != "her")) return false;
    const std::string& n = m.noun;
    return n == "wife" || n == "husband" || (n == "lady" && m.determiner == "his") ||
           n == "mother" || n == "father" || n == "sister" || n == "brother" || n == "son" ||
           n == "daughter";
  }

  // "her aunt", "his cousin": a relative troupe cannot find by family name, but never its owner.
  static bool is_relative_noun(const Mention& m) {
    if (m.kind != Mention::Noun || (m.determiner != "his" && m.determiner != "her")) return false;
    const std::string& n = m.noun;
    return n == "aunt" || n == "uncle" || n == "cousin" || n == "niece" || n == "nephew" ||
           n == "grandmother" || n == "grandfather";
  }

  // Whose relative it may be, likeliest first: those addressed, the other party of the
  // exchange, then recent characters of the possessive's gender.
  std::vector<int> owners_of(const Mention& m, const Salience& local) const {
    const Gender owner_gender = m.determiner == "his" ? Gender::Male : Gender::Female;
    std::vector<int> owners;
    // "My dear Mr. Bennet, ..." said his lady: the one spoken to comes first.
    for (int id : addressed_)
      if (table_.characters[id].gender == owner_gender) owners.push_back(id);
    // "cried her brother" answering her: the other party of the exchange comes next.
    if (avoid_ != kUnknown && table_.characters[avoid_].gender == owner_gender &&
        std::find(owners.begin(), owners.end(), avoid_) == owners.end())
      owners.push_back(avoid_);
    auto consider = [&](const Salience& list, std::size_t limit) {
      std::size_t seen = 0;
      for (auto it = list.rbegin(); it != list.rend() && seen < limit; ++it, ++seen)
        if (it->id >= 0 && table_.characters[it->id].gender == owner_gender &&
            std::find(owners.begin(), owners.end(), it->id) == owners.end())
          owners.push_back(it->id);
    };
    consider(local, local.size());
    consider(history_, kRecentWindow);
    return owners;
  }

  int kin_of(const Mention& m, const Salience& local) const {
    if (!is_kin_noun(m)) return kUnknown;
    const std::string& n = m.noun;
    const bool spouse = n == "wife" || n == "husband" || n == "lady";
    const bool parent = n == "mother" || n == "father";
    const Gender kin_gender =
        (n == "wife" || n == "lady" || n == "mother" || n == "sister" || n == "daughter")
            ? Gender::Female
            : Gender::Male;
    const auto owners = owners_of(m, local);
    for (int owner : owners) {
      const auto& c = table_.characters[owner];
      // A character the cast calls "Alice's Sister".
      if (int named = table_.find(c.name + "'s " + n); named != kUnknown && named != owner)
        return named;
      for (const auto& surname : surnames_of(owner)) {
        // "Mrs. Bounderby" is Louisa's married name: her father and brother are no Bounderbys.
        // A "Miss Bingley" keeps her family's name, whatever "Mrs." form the table adds.
        auto called = [&](const std::string& name) {
          return c.name == name ||
                 std::find(c.aliases.begin(), c.aliases.end(), name) != c.aliases.end();
        };
        const bool married_name = called("Mrs. " + surname) && !called("Miss " + surname);
        if (!spouse && married_name) continue;
        int kin = kUnknown;
        if (spouse || parent) {
          kin = table_.find((kin_gender == Gender::Female ? "Mrs. " : "Mr. ") + surname);
        } else {
          kin = relative_by_surname(surname, kin_gender, owner);
        }
        if (kin != kUnknown && kin != owner) return kin;
        // "his father" beside Mr. Churchill, whose family name finds only himself: no one's
        // family name tells who it is.
        if (kin == owner) return kUnknown;
      }
    }
    return kUnknown;
  }

  // Whose relative "his father" is, when the noun is a relative's: the one addressed, else the
  // other party of the exchange, else the most recent character of the possessive's gender.
  int owner_of(const Mention& m, const Salience& local) const {
    if (!is_kin_noun(m) && !is_relative_noun(m)) return kUnknown;
    auto owners = owners_of(m, local);
    return owners.empty() ? kUnknown : owners.front();
  }

  // The most recently mentioned other character of the gender who shares the surname.
  int relative_by_surname(const std::string& surname, Gender gender, int other_than) const {
    auto shares = [&](int id) {
      if (id < 0 || id == other_than || table_.characters[id].gender != gender) return false;
      const auto& names = surnames_of(id);
      return std::find(names.begin(), names.end(), surname) != names.end();
    };
    for (auto it = history_.rbegin(); it != history_.rend(); ++it)
      if (shares(it->id)) return it->id;
    int found = kUnknown;
    for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id)
      if (shares(id)) {
        if (found != kUnknown) return kUnknown;
        found = id;
      }
    return found;
  }

  // A word that reads as an adjective put before a name: "poor", "skeptical", "horrified",
  // "obliging", "good-hearted"; never an adverb, preposition or other function word.
  static bool looks_like_epithet(const std::string& w) {
    static const std::set<std::string> kPlain = {
        "poor",   "little", "old",    "young",  "good",  "dear",   "kind",    "wise",   "great",
        "big",    "small",  "shy",    "sly",    "stern", "grim",   "calm",    "meek",   "proud",
        "brave",  "bold",   "sweet",  "sad",    "glad",  "tall",   "fat",     "bright", "quiet",
        "gentle", "silent", "honest", "simple", "stout", "worthy", "faithful"};
    static const std::set<std::string> kNot = {
        "any",     "many",     "every",     "only",     "very",       "they",      "during",
        "being",   "nothing",  "something", "anything", "everything", "according", "indeed",
        "morning", "evening",  "thing",     "king",     "ring",       "wedding",   "building",
        "tonight", "together", "again",     "instead",  "ahead",      "behind",    "beyond"};
    if (kPlain.count(w)) return true;
    if (w.size() <= 4 || kNot.count(w) || w.ends_with("ly")) return false;
    if (w.find('-') != std::string::npos) return true;
    for (const char* suffix : {"ful", "ous", "ic", "ive", "ed", "ing", "ent", "ant", "less", "able",
                               "ible", "al", "ish", "y"})
      if (w.ends_with(suffix)) return true;
    return w.starts_with("un");
  }

  static bool skippable_between(const Token& t) {
    const auto& w = t.lower;
    return (w.size() > 3 && w.ends_with("ly")) || w == "then" || w == "again" || w == "now" ||
           w == "at" || w == "last" || w == "once" || w == "still" || w == "also" || w == "had" ||
           w == "has" || w == "have" || w == "just" || w == "finally" || w == "suddenly" ||
           w == "was" || w == "is";
  }

  // ---- speech tags -------------------------------------------------------------

  struct Tag {
    int speaker = kUnknown;
    bool found = false;
    Delivery delivery = Delivery::Normal;
    Gender pronoun = Gender::Unknown;  // "he said": the gender the speaker must have
    bool adult = false;                // "said the old gentleman": not a child
    std::string new_name;              // "said Bob" where Bob is nobody yet: a minor character
    std::string extra;                 // "his manager": who speaks when nobody else is found
    bool passing = false;              // "said another man": someone of this moment only
    std::string group;                 // "the girls said", "they chorused": several at once
    std::size_t verb = 0;              // where the speech verb stands in its narration
    std::size_t subject = 0;           // and where its subject does
    bool firm = false;                 // "said Emma", "said he": not "said her sister"
    std::string description;           // "said the old gentleman": "old gentleman"
  };

  // "Bob", "Mr. Bob Smith" at tokens[i]: a name troupe has not met; "" if not name-like.
  static std::string unmet_name(const std::vector<Token>& tokens, std::size_t i) {
    std::string name;
    std::size_t k = i;
    if (k < tokens.size() && is_person_title(tokens[k].text) && k + 1 < tokens.size()) {
      name = tokens[k].text;
      ++k;
    }
    const std::size_t first_word = k;
    for (; k < tokens.size() && k < i + 4; ++k) {
      const Token& t = tokens[k];
      bool name_word = t.capitalized && t.text.size() > 1 && !is_never_a_name(t.text) &&
                       !is_person_title(t.text) && (k == i || !t.clause_break_before);
      if (!name_word) break;
      name += (name.empty() ? "" : " ") + t.text;
      if (t.possessive) return "";
    }
    if (k == first_word) return "";  // "Sir", "Mrs." alone name nobody
    return name.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos ? "" : name;
  }

  Tag unmet_speaker(const std::vector<Token>& tokens, std::size_t i, std::size_t verb) const {
    Tag tag;
    tag.new_name = unmet_name(tokens, i);
    tag.found = !tag.new_name.empty();
    tag.firm = true;
    tag.delivery = delivery_of_verb(tokens[verb].lower);
    tag.verb = verb;
    tag.subject = i;
    return tag;
  }

  Tag tag_from_subject(const std::vector<Token>& tokens, std::size_t i, std::size_t verb,
                       const Salience& local) const {
    Tag tag;
    Mention m = mention_at(tokens, i);
    if (m.kind == Mention::None) m = epithet_name_at(tokens, i);
    if (m.kind == Mention::None) return tag;
    // "Ask me a riddle and I reply:" in a song of a story told in the past: the narrator's own
    // tags are in the past tense too, so a present one is some character's "I".
    if (m.kind == Mention::Name && table_.characters[m.id].name == kNarratorLabel &&
        !is_past_tense(tokens[verb].lower))
      return tag;
    tag.found = true;
    if (is_indefinite(m)) {
      // "cried another gentleman", "said one of the women": someone the scene has not had yet.
      tag.extra = m.determiner + " " + m.phrase;
      tag.passing = true;
      tag.delivery = delivery_of_verb(tokens[verb].lower);
      tag.verb = verb;
      tag.subject = i;
      return tag;
    }
    bool by_gender = false;
    // "he said, seeing a certain hesitation in Mr. Henfrey's manner": a name later in the
    // pronoun's own sentence is someone else.
    bound_.clear();
    if (m.kind == Mention::Pronoun && verb != i && is_speech_verb(tokens[verb].lower))
      for (std::size_t k = std::max(i, verb) + 1; k < tokens.size() && !tokens[k].sentence_start;
           ++k)
        if (Mention later = mention_at(tokens, k); later.kind == Mention::Name) {
          bound_.push_back(later.id);
          k += later.length - 1;
        }
    tag.speaker = resolve_mention(m, local, &by_gender);
    bound_.clear();
    // "said the hump-backed man" where the cast has "The Hump-backed Man": the description the
    // cast gives, when no relative or title ("the doctor" for "Doctor Losberne") names them.
    if (m.kind == Mention::Noun && by_gender)
      if (auto [described, used] = table_.match_description(tokens, i); described >= 0) {
        tag.speaker = described;
        by_gender = false;
      }
    if (m.kind == Mention::Noun && m.determiner == "the" && by_gender) tag.description = m.phrase;
    tag.delivery = delivery_of_verb(tokens[verb].lower);
    tag.verb = verb;
    tag.subject = i;
    if (by_gender) tag.pronoun = m.gender;
    tag.firm = m.kind == Mention::Name || m.kind == Mention::Pronoun;
    tag.adult = is_adult_noun(m);
    // "his manager called": someone with no name, an extra unless the turns of the
    // conversation say who it is; "his friend" is someone in the scene, whom the turns tell.
    const bool companion =
        m.noun == "friend" || m.noun == "visitor" || m.noun == "companion" || m.noun == "guest";
    if (m.kind == Mention::Noun && tag.speaker == kUnknown && m.gender == Gender::Unknown &&
        m.determiner != "the" && m.determiner != "a" && m.determiner != "an" && !companion)
      tag.extra = m.determiner + " " + m.phrase;
    return tag;
  }

  // "said", "replied", "thought": a speech verb in the past tense.
  static bool is_past_tense(const std::string& w) {
    return w.ends_with("ed") || w == "said" || w == "thought" || w == "told" || w == "spoke" ||
           w == "sang" || w == "went" || w == "began" || w == "cried" || w == "replied";
  }

  // "another gentleman", "one of the women": nobody met before.
  static bool is_indefinite(const Mention& m) {
    return m.kind == Mention::Noun &&
           (m.determiner == "another" || m.determiner.starts_with("one of "));
  }

  // "the girls", "the other children", "they", "both": several people, and how many tokens.
  // "they" is the group the narration last named, or everyone present.
  std::pair<std::string, std::size_t> group_at(const std::vector<Token>& tokens,
                                               std::size_t i) const {
    if (i >= tokens.size()) return {"", 0};
    const auto& w = tokens[i].lower;
    if (w == "they" || w == "both" || w == "all")
      return {last_group_.empty() ? "everyone" : last_group_, 1};
    if (w != "the" && w != "his" && w != "her" && w != "your" && w != "their" && w != "my" &&
        w != "our" && w != "all")
      return {"", 0};
    for (std::size_t k = i + 1; k < tokens.size() && k <= i + 3; ++k) {
      if (is_group_noun(tokens[k].lower)) return {"the " + tokens[k].lower, k - i + 1};
      if (tokens[k].capitalized || tokens[k].clause_break_before) break;
    }
    return {"", 0};
  }

  // Remembers the last group the narration names, for a later "they said".
  void note_groups(const std::vector<Token>& tokens) const {
    for (std::size_t i = 0; i < tokens.size(); ++i)
      if (tokens[i].lower != "they" && tokens[i].lower != "all" && tokens[i].lower != "both")
        if (auto [label, used] = group_at(tokens, i); used > 0) last_group_ = label;
  }

  // Verbs that are speech only sometimes ("they went out", "as they proceeded"): a group's tag
  // needs a plain one.
  static bool group_speech_verb(const std::string& w) {
    return is_speech_verb(w) && w != "went" && w != "proceeded" && w != "continued" &&
           w != "began" && w != "returned" && w != "observed" && w != "followed" &&
           w != "resumed" && w != "pursued";
  }

  Tag group_tag(const std::string& label, const std::vector<Token>& tokens, std::size_t verb,
                std::size_t subject) const {
    Tag tag;
    tag.found = true;
    tag.group = label;
    tag.delivery = delivery_of_verb(tokens[verb].lower);
    tag.verb = verb;
    tag.subject = subject;
    return tag;
  }

  // A tag after a quotation: `said Emma`, `cried his wife`, `Mr. Bennet replied`, `she said`.
  Tag tag_after(const std::vector<Token>& tokens, const Salience& local) const {
    if (tokens.empty()) return {};
    // `"Four o'clock!" was Mr. Weston's quick amendment`: the owner of the words is the speaker.
    if (tokens[0].lower == "was" && tokens.size() > 2 && !tokens[1].clause_break_before) {
      Mention m = mention_at(tokens, 1);
      if (m.kind == Mention::Name && tokens[m.length].possessive &&
          static_cast<std::size_t>(m.length) + 1 < tokens.size() &&
          !tokens[m.length + 1].clause_break_before) {
        Tag tag;
        tag.found = true;
        tag.speaker = m.id;
        tag.subject = 1;
        return tag;
      }
    }
    if (is_speech_verb(tokens[0].lower)) {
      std::size_t subject = 1;
      while (subject < tokens.size() && skippable_between(tokens[subject])) ++subject;
      if (auto [label, used] = group_at(tokens, subject);
          used > 0 && group_speech_verb(tokens[0].lower))
        return group_tag(label, tokens, 0, subject);
      Tag tag = tag_from_subject(tokens, subject, 0, local);
      if (tag.found) return tag;
      if (subject == 1) return unmet_speaker(tokens, 1, 0);
    }
    if (auto [label, used] = group_at(tokens, 0); used > 0) {  // "the girls chorused"
      for (std::size_t k = used; k < tokens.size() && k <= used + 3; ++k) {
        if (tokens[k].sentence_start) break;
        if (group_speech_verb(tokens[k].lower)) return group_tag(label, tokens, k, 0);
        if (!skippable_between(tokens[k])) break;
      }
    }
    Mention m = mention_at(tokens, 0);
    if (m.kind == Mention::None) {  // "Bob said", Bob met for the first time
      std::string name = unmet_name(tokens, 0);
      std::size_t words = name.empty() ? 0 : tokenize(name).size();
      if (words > 0 && words < tokens.size() && is_speech_verb(tokens[words].lower) &&
          !tokens[words].clause_break_before)
        return unmet_speaker(tokens, 0, words);
      return {};
    }
    for (std::size_t k = m.length; k < tokens.size() && k <= static_cast<std::size_t>(m.length) + 3;
         ++k) {
      if (tokens[k].sentence_start) break;
      if (is_speech_verb(tokens[k].lower)) return tag_from_subject(tokens, 0, k, local);
      if (!skippable_between(tokens[k])) break;
    }
    return {};
  }

  // A tag before a quotation, in the sentence leading into it: `Junny nudged her, whispering,`.
  Tag tag_before(const std::vector<Token>& tokens, const Salience& local) const {
    if (tokens.empty()) return {};
    std::size_t start = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k)
      if (tokens[k].sentence_start) start = k;
    for (std::size_t v = tokens.size(); v-- > start;) {
      if (!is_speech_verb(tokens[v].lower)) continue;
      // "The girls all shouted,", "they chorused,": several speak at once.
      for (std::size_t g = v > start + 4 ? v - 4 : start;
           g < v && group_speech_verb(tokens[v].lower); ++g)
        if (auto [label, used] = group_at(tokens, g); used > 0 && g + used <= v) {
          bool plain = true;  // only adverbs between the group and its verb
          for (std::size_t k = g + used; k < v; ++k)
            plain = plain && (skippable_between(tokens[k]) || tokens[k].lower == "all" ||
                              tokens[k].lower == "together");
          if (plain) return group_tag(label, tokens, v, g);
        }
      // The last mention before the verb that can be its subject, read forwards so
      // "Mrs. Weston" is not "Weston": not a possessive, not the object of a preposition.
      std::optional<std::size_t> subject;
      const bool participle = tokens[v].lower.ends_with("ing") && tokens[v].clause_break_before;
      for (std::size_t s = start; s < v;) {
        Mention m = mention_at(tokens, s);
        std::size_t used = m.kind == Mention::None ? 1 : m.length;
        const std::size_t next = s + used;
        // "the White Rabbit, who said", "the Lory, who at last turned sulky, and would only
        // say": the relative pronoun's antecedent is the subject, however far the verb.
        const bool relative = next < v && (tokens[next].lower == "who" ||
                                           (next + 1 < v && tokens[next + 1].lower == "who"));
        // "Mr. Woodhouse's giving a gentle sigh, and saying": a possessive before a gerund.
        const bool gerund_owner =
            tokens[next - 1].possessive && next < v && tokens[next].lower.ends_with("ing");
        // A noun only when it names a relative: "her sister kissed her, and said".
        const bool noun_named = m.kind == Mention::Noun && kin_of(m, local) != kUnknown;
        bool can_speak = m.kind != Mention::None && (m.kind != Mention::Noun || noun_named) &&
                         (!tokens[next - 1].possessive || gerund_owner) &&
                         (relative || !(s > 0 && is_preposition(tokens[s - 1].lower) &&
                                        !is_conjunction_for(tokens, s - 1)));
        // "Mrs. Reynolds replied, that he was, adding,": a participle's subject is its main
        // clause's, never the subject of a clause that "that" opens.
        const bool reported = participle && s > start && tokens[s - 1].lower == "that";
        if (can_speak && !reported && (v - s <= kSubjectReach || relative)) subject = s;
        s += used;
      }
      // "the manner in which he still spoke", "a blush which Emma thought": a relative clause
      // about a thing, no tag; "To which Louisa answered," opening its clause is one.
      if (subject && *subject > start &&
          (tokens[*subject - 1].lower == "which" || tokens[*subject - 1].lower == "whom")) {
        std::size_t opens = *subject - 1;
        if (opens > start && is_preposition(tokens[opens - 1].lower)) --opens;
        if (opens > start && !tokens[opens].clause_break_before && !tokens[opens].sentence_start)
          continue;
      }
      if (subject) return tag_from_subject(tokens, *subject, v, local);
      if (v + 1 < tokens.size()) {  // "said Emma:"; never "teased you," where you is the object
        Mention after = mention_at(tokens, v + 1);
        if (after.kind == Mention::Name && after.id != reader_)
          return tag_from_subject(tokens, v + 1, v, local);
      }
      return {};
    }
    return lead_in_subject(tokens, start, local);
  }

  // "There was an immediate uproar from them,", "in chorus,": several speak the quotation.
  Tag collective_lead_in(const std::vector<Token>& tokens) const {
    std::size_t start = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k)
      if (tokens[k].sentence_start) start = k;
    bool collective = false, plural = false;
    for (std::size_t k = start; k < tokens.size(); ++k) {
      const auto& w = tokens[k].lower;
      collective = collective || w == "chorus" || w == "unison" || w == "uproar" ||
                   (w == "together" && k > start);
      plural = plural || w == "them" || w == "they" || group_at(tokens, k).second > 0;
    }
    if (!collective || !plural) return {};
    Tag tag;
    tag.found = true;
    tag.group = last_group_.empty() ? "everyone" : last_group_;
    for (std::size_t k = start; k < tokens.size(); ++k)
      if (auto [label, used] = group_at(tokens, k);
          used > 0 && tokens[k].lower != "they" && tokens[k].lower != "all")
        tag.group = label;
    return tag;
  }

  // `and you turned to Taeyong sheepishly, "..."`: a clause that runs into the quotation
  // without a speech verb still names its speaker as its subject.
  Tag lead_in_subject(const std::vector<Token>& tokens, std::size_t start,
                      const Salience& local) const {
    std::optional<std::size_t> subject;
    for (std::size_t k = start; k < tokens.size(); ++k) {
      bool clause_start = k == start || tokens[k].clause_break_before;
      if (!clause_start) continue;
      std::size_t at = k;
      const auto& w = tokens[at].lower;
      if ((w == "and" || w == "but" || w == "then" || w == "so" || w == "yet") &&
          at + 1 < tokens.size())
        ++at;
      Mention m = mention_at(tokens, at);
      if ((m.kind == Mention::Name || m.kind == Mention::Pronoun) &&
          !tokens[at + m.length - 1].possessive)
        subject = at;
    }
    if (!subject) return {};
    Tag tag = tag_from_subject(tokens, *subject, *subject, local);
    tag.delivery = Delivery::Normal;
    return tag;
  }

  // ---- words mentioned, not spoken ---------------------------------------------

  // A quotation inside a sentence of narration that nobody speaks: a scare quote or a word
  // mentioned (`a sensitive, "highstrung" child`, `what they called "the Avenue"`). It is short,
  // not an exclamation or question, follows a word that is no speech verb, and no tag follows.
  bool is_mentioned_words(const Paragraph& p, const Quote& q) const {
    if (!q.closed || q.continues) return false;
    std::string_view words = std::string_view(p.text).substr(q.begin, q.end - q.begin);
    while (!words.empty() && words.back() == ' ') words.remove_suffix(1);
    if (words.empty() || words.back() == '!' || words.back() == '?') return false;
    if (std::count(words.begin(), words.end(), ' ') >= kMentionMaxWords) return false;
    std::size_t open = before_opening_mark(p.text, q.begin);
    std::size_t at = open;
    while (at > 0 && p.text[at - 1] == ' ') --at;
    if (at == 0 || at == open) return false;  // opens the paragraph, or no space before the mark
    std::size_t back = at;
    if (!is_letter(previous_code_point(p.text, back))) return false;
    // No speech verb in the sentence that leads to it: `saying to herself "This is Bill,"`.
    auto before = tokenize(std::string_view(p.text).substr(0, at));
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
      if (is_speech_verb(it->lower) || it->lower == "shouting") return false;
      if (it->sentence_start) break;
    }
    auto after = tokenize(std::string_view(p.text).substr(after_closing_mark(p.text, q.end)));
    for (std::size_t i = 0; i < after.size() && i < 3; ++i)
      if (is_speech_verb(after[i].lower)) return false;
    return true;
  }

  // A paragraph whose every quotation is mentioned words reads as narration, unless pinned.
  bool only_mentions(const Paragraph& p) const {
    for (const auto& q : p.quotes) {
      if (!is_mentioned_words(p, q)) return false;
      std::string words = p.text.substr(q.begin, q.end - q.begin);
      for (const auto& pin : options_.pins)
        if (!pin.quote.empty() && words.rfind(pin.quote, 0) == 0) return false;
    }
    return !p.quotes.empty();
  }

  // ---- the first pass: tags, beats, continuations ------------------------------

  std::vector<int> mentions_in(const std::vector<Token>& tokens) const {
    std::vector<int> ids;
    for (std::size_t i = 0; i < tokens.size();) {
      auto [id, length] = table_.match(tokens, i);
      if (id >= 0) {
        ids.push_back(id);
        i += length;
      } else {
        ++i;
      }
    }
    return ids;
  }

  // Characters named in narration, and every "he" and "she" resolved as it comes, so that a
  // chain of pronouns ("She rose. When he spoke she turned") keeps its person salient.
  void add_salient(const std::vector<Token>& tokens, Salience& into) const {
    note_groups(tokens);
    for (std::size_t i = 0; i < tokens.size();) {
      bool subject = i == 0 || tokens[i].sentence_start || tokens[i].clause_break_before;
      Mention m = mention_at(tokens, i);
      // "...; but Mr. Knightley sat down again": a name after a conjunction is a subject too;
      // after "while" or "when" it is the subject of a subordinate clause only.
      if (m.kind == Mention::Name && !subject && i > 0 &&
          (tokens[i - 1].clause_break_before || tokens[i - 1].sentence_start)) {
        const auto& w = tokens[i - 1].lower;
        subject = w == "but" || w == "and" || w == "then" || w == "yet" || w == "so";
      }
      // "...evils which Mr. John Knightley did not like; he anticipated nothing": a name right
      // after "which" or "whom" is the subject of the relative clause, whom a "he" goes on with;
      // so is one after "until" or "till" ("nobody spoke until Mr. Bounderby took the case").
      if (m.kind == Mention::Name && !subject && i > 0 &&
          (tokens[i - 1].lower == "which" || tokens[i - 1].lower == "whom" ||
           tokens[i - 1].lower == "until" || tokens[i - 1].lower == "till"))
        subject = true;
      if (m.kind == Mention::Name) {
        into.push_back({m.id, subject && !tokens[i + m.length - 1].possessive});
        i += m.length;
        continue;
      }
      if (m.kind == Mention::Pronoun) {
        // The narration closing a turn goes by the story's last mentions, not by the exchange.
        int id =
            &into == &trailing_ ? resolve_in_narration(m.gender, into) : resolve(m.gender, into);
        if (id != kUnknown) into.push_back({id, true});
      }
      // "her mother", "the doctor": a relative or title the story names.
      if (m.kind == Mention::Noun) {
        bool by_gender = false;
        int id = resolve_mention(m, into, &by_gender);
        // "The girl was lying...": whom the story's tags usually call "the girl".
        if (by_gender && m.determiner == "the")
          if (int usual = usually_described_as(m.phrase); usual != kUnknown) {
            into.push_back({usual, subject});
            i += m.length;
            continue;
          }
        // "a labouring man" where the cast has "The Labouring Man": the description the cast
        // gives, written with either article.
        if (by_gender || id == kUnknown)
          if (auto [described, used] = table_.match_description(tokens, i); described >= 0) {
            into.push_back({described, subject});
            described_.insert(described);
            i += used;
            continue;
          }
        if (id != kUnknown && !by_gender) {
          into.push_back({id, subject});
          i += m.length;
          continue;
        }
      }
      ++i;
    }
  }

  // Names addressed in a quotation: "Hey, Mark.", "My dear Mr. Bennet, ...", "..., Lizzy!".
  // Not "Mr. Weston, who ...", a clause about him, nor a name the quotation also talks about
  // ("Harriet is sure of it, Harriet."), which it names in passing: those go to `talked_about`.
  std::vector<int> vocatives_in(const std::vector<Token>& tokens,
                                std::vector<int>* talked_about = nullptr) const {
    std::vector<int> ids, passing;
    for (std::size_t i = 0; i < tokens.size();) {
      auto [id, length] = table_.match(tokens, i);
      if (id < 0 || !tokens[i].capitalized) {
        ++i;
        continue;
      }
      std::size_t after = i + length;
      const std::string& before = i > 0 ? tokens[i - 1].lower : "";
      bool opens = i == 0 || tokens[i].clause_break_before || before == "dear" || before == "my" ||
                   before == "oh" || before == "o" || before == "hey" || before == "dearest";
      bool closes = after == tokens.size() || tokens[after].clause_break_before;
      bool relative = after < tokens.size() && !tokens[after].sentence_start &&
                      (tokens[after].lower == "who" || tokens[after].lower == "whose" ||
                       tokens[after].lower == "whom");
      if (opens && closes && !relative && !tokens[i + length - 1].possessive)
        ids.push_back(id);
      else if (tokens[i].lower != "i")
        passing.push_back(id);
      i = after;
    }
    std::erase_if(ids, [&](int id) {
      return std::find(passing.begin(), passing.end(), id) != passing.end();
    });
    if (talked_about)
      for (int id : passing)
        if (std::find(talked_about->begin(), talked_about->end(), id) == talked_about->end())
          talked_about->push_back(id);
    return ids;
  }

  static bool has_second_sentence(const std::vector<Token>& tokens) {
    return std::any_of(tokens.begin() + (tokens.empty() ? 0 : 1), tokens.end(),
                       [](const Token& t) { return t.sentence_start; });
  }

  // `He teased you, "..."`, `She said: "..."`, `the Gryphon only answered "Come on!"`:
  // narration that runs into the quotation.
  bool leads_into_quote(const Paragraph& p, const Segment& s) const {
    std::string_view text = std::string_view(p.text).substr(s.begin, s.end - s.begin);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) return false;
    if (text.back() == ',' || text.back() == ':' || text.back() == '-') return true;
    if (text.ends_with("\u2014") || text.ends_with("\u2013") || text.ends_with("\u2026"))
      return true;
    // No punctuation: the last word (or the one before a particle) is a speech verb.
    const auto& tokens = tokens_of(p, s);
    if (tokens.empty() || !std::isalpha(static_cast<unsigned char>(text.back()))) return false;
    std::size_t last = tokens.size() - 1;
    if (last > 0 && (tokens[last].lower == "out" || tokens[last].lower == "up")) --last;
    return is_speech_verb(tokens[last].lower) && !tokens[last].sentence_start;
  }

  // The words of a segment, tokenised once: the passes read each segment many times.
  const std::vector<Token>& tokens_of(const Paragraph& p, const Segment& s) const {
    auto key = std::make_pair(static_cast<const void*>(p.text.data() + s.begin), s.end - s.begin);
    auto it = token_cache_.find(key);
    if (it == token_cache_.end())
      it = token_cache_
               .emplace(key,
                        tokenize(std::string_view(p.text).substr(s.begin, s.end - s.begin), true))
               .first;
    return it->second;
  }

  // The subject of a beat sentence, counting "Her eyes snapped up" and "Your mouth fell open"
  // as their owner's.
  Mention beat_subject(const std::vector<Token>& tokens, std::size_t i) const {
    Mention m = mention_at(tokens, i);
    if (m.kind != Mention::None) return m;
    const auto& w = tokens[i].lower;
    if (w == "his" || w == "her")
      return {Mention::Pronoun, kUnknown, gender_of_pronoun(w), 1, "", "", ""};
    if (w == "your" && reader_ != kUnknown)
      return {Mention::Name, reader_, Gender::Unknown, 1, "", "", ""};
    if (w == "my" && first_person_ != kUnknown)
      return {Mention::Name, first_person_, Gender::Unknown, 1, "", "", ""};
    return m;
  }

  // "Goseung shoved her phone...", "Minmin joined in,": a name never met, opening a sentence
  // and followed by a verb, is a minor character.
  void meet_beat_subjects(const QuoteParagraph& qp) {
    for (const auto& s : qp.segments) {
      if (s.is_quote) continue;
      const auto& tokens = tokens_of(*qp.p, s);
      for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (!(tokens[i].sentence_start || i == 0) || mention_at(tokens, i).kind != Mention::None)
          continue;
        std::string name = unmet_name(tokens, i);
        if (name.empty() || name.find(' ') != std::string::npos) continue;
        if (lower_words_.count(tokens[i].lower)) continue;  // a word the story also writes small
        const std::string& next = tokens[i + 1].lower;
        bool verb = is_action_verb(next) || is_speech_verb(next) ||
                    (next.size() > 3 && next.ends_with("ed"));
        if (verb) add_minor_character(name);
      }
    }
  }

  // Subject of the narration sentence nearest to the first quotation: an action beat.
  int beat_speaker(QuoteParagraph& qp, std::string* rule) const {
    int best = kUnknown;
    Salience local;
    bool before_first_quote = true;
    for (const auto& s : qp.segments) {
      if (s.is_quote) {
        before_first_quote = false;
        continue;
      }
      const auto& tokens = tokens_of(*qp.p, s);
      bool sentence_has_subject = false;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].sentence_start || i == 0) sentence_has_subject = false;
        // A sentence's subject: its first word, or the first clause that has one ("At this,
        // her eyes snapped up").
        bool clause_start = tokens[i].sentence_start || i == 0 || tokens[i].clause_break_before;
        if (!clause_start || sentence_has_subject) continue;
        Mention m = beat_subject(tokens, i);
        if (m.kind == Mention::None) continue;
        sentence_has_subject = true;
        int id = resolve_mention(m, local);
        if (m.kind == Mention::Noun) id = kUnknown;
        if (id != kUnknown && !is_vocative(qp, id)) {
          best = id;
          qp.named_beat = m.kind == Mention::Name;
          if (!before_first_quote) {
            *rule = "beat";
            return best;
          }
        }
        if (m.kind == Mention::Name) local.push_back({m.id, true});
      }
      if (before_first_quote) add_salient(tokens, local);
      if (!before_first_quote && best != kUnknown) break;
    }
    if (best != kUnknown) {
      *rule = "beat";
      return best;
    }
    // The only character named in the narration.
    std::vector<int> named;
    for (int id : qp.narration_subjects)
      if (!is_vocative(qp, id) && std::find(named.begin(), named.end(), id) == named.end())
        named.push_back(id);
    if (named.size() == 1) {
      *rule = "only-name";
      return named[0];
    }
    return kUnknown;
  }

  // "thrust Eunjin to the front", "looked at Mark": a name right after a verb or preposition.
  static bool is_object_at(const std::vector<Token>& tokens, std::size_t i) {
    if (i == 0 || tokens[i].clause_break_before) return false;
    const auto& before = tokens[i - 1];
    if (before.capitalized) return false;
    const auto& w = before.lower;
    return !(w == "and" || w == "but" || w == "then" || w == "so" || w == "while" || w == "when" ||
             w == "as" || w == "until" || w == "before" || w == "after" || w == "because" ||
             w == "that" || w == "if" || w == "though" || w == "although" || w == "where");
  }

  static bool is_talked_about(const QuoteParagraph& qp, int id) {
    return std::find(qp.talked_about.begin(), qp.talked_about.end(), id) != qp.talked_about.end();
  }

  // `"...," said Emma.` right after paragraph k in the same exchange, and Emma is `id`: nobody
  // speaks two paragraphs running, so paragraph k is someone else's turn. Only a tag that names
  // its speaker or says "he", right after the quotation that opens its paragraph, is that firm: a
  // beat in narration before the quotation may let the same speaker go on, and "said her sister"
  // is resolved from the turns around it.
  static bool before_own_tag(const std::vector<QuoteParagraph>& qps, std::size_t k, int id) {
    if (k + 1 >= qps.size() || qps[k + 1].after_narration) return false;
    const auto& next = qps[k + 1];
    return !next.speakers.empty() && next.speakers.front() == id && next.rules.front() == "tag" &&
           next.firm_tags.front() && next.segments.front().is_quote;
  }

  bool is_vocative(const QuoteParagraph& qp, int id) const {
    return std::find(qp.vocatives.begin(), qp.vocatives.end(), id) != qp.vocatives.end();
  }

  void find_tags(QuoteParagraph& qp) {
    addressed_ = qp.vocatives;
    // The names called in the previous turn of the exchange, when this paragraph answers it.
    called_ = avoid_ != kUnknown ? previous_vocatives_ : std::vector<int>{};
    if (avoid_ != kUnknown && previous_addressee_ != kUnknown)
      called_.push_back(previous_addressee_);
    Salience local;
    const auto& segs = qp.segments;
    int quote_index = 0;
    // The narration segment that gave the previous quotation its tag after it, and where the
    // verb stood: `"A," said X, and Y answered, "B."` gives B a tag of its own only past it.
    std::size_t previous_tag_segment = segs.size(), previous_tag_end = 0;
    for (std::size_t k = 0; k < segs.size(); ++k) {
      if (!segs[k].is_quote) continue;
      if (k > 0 && !segs[k - 1].is_quote) {
        // `For a while he could think of nothing. Then he said,`: the narration's sentences
        // before the one leading into the quotation are about whoever the story is about, the
        // last speaker included; only the tag's own sentence passes over the other party.
        const auto& lead = tokens_of(*qp.p, segs[k - 1]);
        std::size_t last = 0;
        for (std::size_t t = 0; t < lead.size(); ++t)
          if (lead[t].sentence_start) last = t;
        const int avoid = avoid_, alternate = alternate_;
        avoid_ = alternate_ = kUnknown;
        add_salient(std::vector<Token>(lead.begin(), lead.begin() + last), local);
        avoid_ = avoid;
        alternate_ = alternate;
        add_salient(std::vector<Token>(lead.begin() + last, lead.end()), local);
      }
      Tag tag;
      bool tag_is_after = false;
      if (k + 1 < segs.size() && !segs[k + 1].is_quote) {
        tag = tag_after(tokens_of(*qp.p, segs[k + 1]), local);
        tag_is_after = tag.found;
      }
      // `when Mr. Bounderby said, "A," she answered, "B."`: the tag after A leads into B and is
      // B's; A has its own before it, naming its speaker.
      if (tag_is_after && k > 0 && !segs[k - 1].is_quote && k + 2 < segs.size() &&
          segs[k + 2].is_quote && previous_tag_segment != k - 1 &&
          leads_into_quote(*qp.p, segs[k - 1]) && leads_into_quote(*qp.p, segs[k + 1])) {
        const auto& tokens = tokens_of(*qp.p, segs[k - 1]);
        Tag before = tag_before(tokens, local);
        const bool named = before.found && before.pronoun == Gender::Unknown;
        if (named && before.verb < tokens.size() && is_speech_verb(tokens[before.verb].lower)) {
          tag = before;
          tag_is_after = false;
        }
      }
      if (!tag.found && k > 0 && !segs[k - 1].is_quote && leads_into_quote(*qp.p, segs[k - 1])) {
        // `"A," she said. "B."`: the narration between was the tag of A; B shares it, unless
        // a second sentence or a second speech verb there is B's own tag.
        const auto& tokens = tokens_of(*qp.p, segs[k - 1]);
        Tag before = tag_before(tokens, local);
        const bool tag_of_previous =
            previous_tag_segment == k - 1 && !has_second_sentence(tokens) &&
            !(before.found && before.verb > previous_tag_end && before.subject > previous_tag_end);
        // `"A," said the Queen; and, turning to Alice, she went on, "B."`: a pronoun in the
        // sentence of A's tag is A's speaker when the gender fits.
        if (!tag_of_previous && previous_tag_segment == k - 1 && !has_second_sentence(tokens) &&
            before.found && before.pronoun != Gender::Unknown && quote_index > 0) {
          const int previous = qp.speakers[quote_index - 1];
          if (previous != kUnknown && table_.characters[previous].gender == before.pronoun)
            before.speaker = previous;
        }
        if (!tag_of_previous) tag = before;
      }
      if (!tag.found && k > 0 && !segs[k - 1].is_quote && leads_into_quote(*qp.p, segs[k - 1]))
        tag = collective_lead_in(tokens_of(*qp.p, segs[k - 1]));
      if (!tag.group.empty()) tag.speaker = add_group(tag.group);
      if (!tag.new_name.empty()) tag.speaker = add_minor_character(tag.new_name);
      if (!tag.extra.empty() && tag.speaker == kUnknown)
        tag.speaker = tag.passing ? add_passerby(tag.extra) : add_minor_character(tag.extra);
      if (tag.found && tag.speaker != kUnknown) {
        qp.speakers[quote_index] = tag.speaker;
        qp.rules[quote_index] = "tag";
      }
      previous_tag_segment = tag_is_after && tag.speaker != kUnknown ? k + 1 : segs.size();
      previous_tag_end = std::max(tag.verb, tag.subject);
      qp.pronoun_tags[quote_index] = tag.pronoun;
      qp.firm_tags[quote_index] = tag.found && tag.firm;
      qp.adult_tags[quote_index] = tag.adult;
      if (!tag.extra.empty() && qp.extra.empty()) qp.extra = tag.extra;
      qp.descriptions[quote_index] = tag.description;
      if (tag.found) qp.deliveries[quote_index] = tag.delivery;
      ++quote_index;
    }
    addressed_.clear();
    called_.clear();
    find_addressee(qp, local);
  }

  // "said Mr. Bennet to his wife", "said he, turning to Elizabeth": who the speaker talks to.
  void find_addressee(QuoteParagraph& qp, const Salience& local) const {
    const int speaker = paragraph_speaker(qp);
    for (const auto& seg : qp.segments) {
      if (seg.is_quote) continue;
      const auto& tokens = tokens_of(*qp.p, seg);
      for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
        if (tokens[i].lower != "to") continue;
        bool after_speaking = false;
        for (std::size_t j = i; j-- > 0 && i - j <= 6;)
          if (is_speech_verb(tokens[j].lower) || tokens[j].lower == "turning" ||
              tokens[j].lower == "turned" || tokens[j].lower == "addressing")
            after_speaking = true;
        if (!after_speaking) continue;
        Mention m = mention_at(tokens, i + 1);
        int id = m.kind == Mention::Name   ? m.id
                 : m.kind == Mention::Noun ? kin_of(m, local)
                                           : kUnknown;
        if (id != kUnknown && id != speaker) {
          qp.addressee = id;
          return;
        }
      }
    }
  }

  // Quotations of one paragraph without a tag take the paragraph's tagged speaker.
  static void spread_within_paragraph(QuoteParagraph& qp) {
    int known = kUnknown;
    for (int s : qp.speakers)
      if (s != kUnknown) known = s;
    if (known == kUnknown) return;
    int last = kUnknown;
    for (std::size_t i = 0; i < qp.speakers.size(); ++i) {
      if (qp.speakers[i] != kUnknown) {
        last = qp.speakers[i];
        continue;
      }
      qp.speakers[i] = last != kUnknown ? last : known;
      qp.rules[i] = "same-paragraph";
    }
  }

  // Several people speaking at once: a speaker of their own, never a candidate for "he said"
  // or a turn of the conversation, so never matched in the narration.
  int add_group(const std::string& label) {
    if (auto it = groups_.find(label); it != groups_.end()) return it->second;
    // A cast file's "the girls" (as `troupe cast --write` saves one).
    if (int given = table_.find(label); given >= 0 && table_.characters[given].is_group) {
      groups_.emplace(label, given);
      return given;
    }
    Character c;
    c.name = label;
    c.is_group = true;
    const int id = table_.add_unmatched(c);
    groups_.emplace(label, id);
    return id;
  }

  // "another gentleman", "one of the women": a speaker of one moment, whose description is no
  // name to find again in the text.
  int add_passerby(const std::string& label) {
    if (auto it = passersby_.find(label); it != passersby_.end()) return it->second;
    Character c;
    c.name = label;
    const int id = table_.add_unmatched(c);
    passersby_.emplace(label, id);
    return id;
  }

  bool is_passerby(int id) const {
    return std::any_of(passersby_.begin(), passersby_.end(),
                       [&](const auto& entry) { return entry.second == id; });
  }

  int add_minor_character(const std::string& name) {
    const int known = table_.find_person(name);
    if (known >= 0) return known;
    if (known == CharacterTable::kSeveral) return kUnknown;  // a family's name decides nothing
    Character c;
    c.name = name;
    auto tokens = tokenize(name);
    Gender g = Gender::Unknown;
    if (!is_person_title(tokens[0].text, &g)) g = gender_of_first_name(tokens[0].text);
    c.gender = g;
    return table_.add(c);
  }

  bool apply_pin(QuoteParagraph& qp, std::size_t qi) {
    std::string words =
        qp.p->text.substr(qp.p->quotes[qi].begin, qp.p->quotes[qi].end - qp.p->quotes[qi].begin);
    for (const auto& pin : options_.pins) {
      if (pin.quote.empty() || words.rfind(pin.quote, 0) != 0) continue;
      int id = table_.find(pin.speaker);
      if (id < 0) {
        Character c;
        c.name = pin.speaker;
        id = table_.add(c);
      }
      qp.speakers[qi] = id;
      qp.rules[qi] = "pin";
      return true;
    }
    return false;
  }

  QuoteParagraph prepare(const Paragraph& p, int index) const {
    QuoteParagraph qp;
    qp.paragraph = index;
    qp.p = &p;
    qp.segments = segments_of(p);
    qp.speakers.assign(p.quotes.size(), kUnknown);
    qp.rules.assign(p.quotes.size(), "");
    qp.deliveries.assign(p.quotes.size(), Delivery::Normal);
    qp.pronoun_tags.assign(p.quotes.size(), Gender::Unknown);
    qp.adult_tags.assign(p.quotes.size(), false);
    qp.firm_tags.assign(p.quotes.size(), false);
    qp.descriptions.assign(p.quotes.size(), "");
    qp.continues = !p.quotes.empty() && p.quotes.front().continues;
    for (const auto& s : qp.segments) {
      const auto& tokens = tokens_of(p, s);
      if (s.is_quote) {
        for (int id : vocatives_in(tokens, &qp.talked_about))
          if (id != first_person_) qp.vocatives.push_back(id);
      } else {
        auto ids = mentions_in(tokens);
        qp.narration_mentions.insert(qp.narration_mentions.end(), ids.begin(), ids.end());
        for (std::size_t i = 0; i < tokens.size();) {
          auto [id, length] = table_.match(tokens, i);
          if (id >= 0 && !is_object_at(tokens, i)) qp.narration_subjects.push_back(id);
          i += id >= 0 ? length : 1;
        }
      }
    }
    return qp;
  }

  int paragraph_speaker(const QuoteParagraph& qp) const {
    for (int s : qp.speakers)
      if (s != kUnknown) return s;
    return kUnknown;
  }

  void fill_paragraph(QuoteParagraph& qp, int speaker, const std::string& rule) {
    for (std::size_t i = 0; i < qp.speakers.size(); ++i)
      if (qp.speakers[i] == kUnknown) {
        qp.speakers[i] = speaker;
        qp.rules[i] = rule;
      }
  }

  void first_pass(QuoteParagraph& qp, const QuoteParagraph* previous) {
    find_tags(qp);
    for (std::size_t i = 0; i < qp.speakers.size(); ++i) apply_pin(qp, i);
    spread_within_paragraph(qp);
    if (paragraph_speaker(qp) != kUnknown) return;
    if (qp.continues && previous && paragraph_speaker(*previous) != kUnknown) {
      fill_paragraph(qp, previous->speakers.back(), "continued");
      return;
    }
    if (qp.intro) {
      int speaker = intro_speaker(*qp.intro);
      if (speaker != kUnknown && !is_vocative(qp, speaker)) {
        fill_paragraph(qp, speaker, "intro");
        return;
      }
    }
    meet_beat_subjects(qp);
    // A beat's pronoun is whoever the narration is about, the last speaker included: the
    // exchange's other party is passed over only when resolving speech tags.
    const int avoid = avoid_, alternate = alternate_;
    avoid_ = alternate_ = kUnknown;
    std::string rule;
    int beat = beat_speaker(qp, &rule);
    avoid_ = avoid;
    alternate_ = alternate;
    if (beat != kUnknown) fill_paragraph(qp, beat, rule);
  }

  // ", for the White Rabbit cried out,": "for" opening a clause joins it, taking no object.
  static bool is_conjunction_for(const std::vector<Token>& tokens, std::size_t i) {
    return tokens[i].lower == "for" && tokens[i].clause_break_before;
  }

  static bool is_preposition(const std::string& w) {
    return w == "to" || w == "with" || w == "at" || w == "for" || w == "on" || w == "of" ||
           w == "by" || w == "from" || w == "upon" || w == "towards" || w == "about" ||
           w == "into" || w == "after" || w == "before" || w == "than" || w == "like";
  }

  // Who speaks next after "...it was impossible for him not to say," : the speech tag of its
  // last sentence, else that sentence's subject.
  int intro_speaker(const Paragraph& intro) const {
    auto tokens = tokenize(intro.text);
    Tag tag = tag_before(tokens, {});
    if (tag.found) return tag.speaker;
    std::size_t start = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k)
      if (tokens[k].sentence_start) start = k;
    for (std::size_t k = start; k < tokens.size(); ++k) {
      if (k != start && !tokens[k].clause_break_before) continue;
      Mention m = mention_at(tokens, k);
      if (m.kind == Mention::Name || m.kind == Mention::Pronoun) return resolve_mention(m, {});
    }
    return kUnknown;
  }

  // ---- the second pass: conversation turn-taking -------------------------------

  // The most recent other character mentioned or speaking before paragraph k.
  int other_party(const std::vector<QuoteParagraph>& qps, std::size_t k, int speaker) const {
    // A first-person narrator talks with the others too: "I" counts as a party.
    const auto& recent = qps[k].recent_before;
    for (auto it = recent.rbegin(); it != recent.rend(); ++it)
      if (*it != speaker && !is_talked_about(qps[k], *it)) return *it;
    return kUnknown;
  }

  bool fill_by_turns(std::vector<QuoteParagraph>& qps) {
    bool changed = false;
    for (std::size_t k = 1; k < qps.size(); ++k) {
      auto& qp = qps[k];
      if (paragraph_speaker(qp) != kUnknown) continue;
      const auto& prev = qps[k - 1];
      int x = paragraph_speaker(prev);
      if (x == kUnknown) continue;
      if (qp.continues) {
        fill_paragraph(qp, prev.speakers.back(), "continued");
        changed = true;
        continue;
      }
      if (qp.after_narration) continue;
      if (prev.addressee != kUnknown && prev.addressee != x && !is_vocative(qp, prev.addressee) &&
          !before_own_tag(qps, k, prev.addressee)) {
        fill_paragraph(qp, prev.addressee, "addressee");
        changed = true;
        continue;
      }
      for (int v : prev.vocatives)
        if (v != x && !is_vocative(qp, v) && !before_own_tag(qps, k, v) &&
            !is_talked_about(qp, v)) {
          fill_paragraph(qp, v, "vocative");
          changed = true;
          break;
        }
      if (paragraph_speaker(qp) != kUnknown) continue;
      if (k >= 2 && !prev.after_narration) {
        int y = paragraph_speaker(qps[k - 2]);
        if (y != kUnknown && y != x && !is_vocative(qp, y) && !is_talked_about(qp, y) &&
            !before_own_tag(qps, k, y)) {
          fill_paragraph(qp, y, "turn");
          changed = true;
          continue;
        }
      }
    }
    return changed;
  }

  // A conversation: quotation paragraphs with no narration paragraph between them (the first
  // may follow narration). Its named people are its likely speakers; when one of them alone has
  // the gender of a "he said" tag, the tag means them, though they spoke the turn before.
  void resolve_pronouns_by_participants(std::vector<QuoteParagraph>& qps) {
    std::size_t start = 0;
    while (start < qps.size()) {
      std::size_t end = start + 1;
      while (end < qps.size() && !qps[end].after_narration) ++end;
      resolve_in_conversation(qps, start, end);
      start = end;
    }
  }

  std::vector<int> participants(const std::vector<QuoteParagraph>& qps, std::size_t start,
                                std::size_t end) const {
    std::vector<int> people;
    auto add = [&](int id) {
      if (id != kUnknown && std::find(people.begin(), people.end(), id) == people.end())
        people.push_back(id);
    };
    // "Mr. Hurst looked at her with astonishment." then "...," said he: the one the narration
    // was about when the conversation began takes part in it.
    if (start < end) add(qps[start].subject_before);
    // "...with a labouring man, over a pint of ale.": someone the narration just brought in by
    // the description the cast gives them.
    if (start < end)
      for (int id : qps[start].recent_before)
        if (described_.count(id)) add(id);
    for (std::size_t k = start; k < end; ++k) {
      for (std::size_t i = 0; i < qps[k].speakers.size(); ++i)
        if ((qps[k].rules[i] == "tag" && qps[k].pronoun_tags[i] == Gender::Unknown) ||
            (qps[k].rules[i] == "beat" && qps[k].named_beat))
          add(qps[k].speakers[i]);
      for (int v : qps[k].vocatives) add(v);
    }
    return people;
  }

  void resolve_in_conversation(std::vector<QuoteParagraph>& qps, std::size_t start,
                               std::size_t end) {
    auto people = participants(qps, start, end);
    for (std::size_t k = start; k < end; ++k)
      for (std::size_t i = 0; i < qps[k].speakers.size(); ++i) {
        Gender g = qps[k].pronoun_tags[i];
        if (g == Gender::Unknown) continue;
        int only = kUnknown, count = 0;
        for (int id : people)
          if (table_.characters[id].gender == g && id != reader_ && id != first_person_ &&
              !(qps[k].adult_tags[i] && children_.count(id))) {
            only = id;
            ++count;
          }
        if (count != 1 || is_vocative(qps[k], only)) continue;
        // The tag passed over the one who spoke the turn before for someone else of the gender:
        // right, unless nobody else of it takes part. Any other reading of the tag stands.
        if (k == start || only != paragraph_speaker(qps[k - 1])) continue;
        const int was = qps[k].speakers[i];
        // The one the turn before spoke to answers: that reading stands.
        if (k > start && was != kUnknown &&
            (qps[k - 1].addressee == was || is_vocative(qps[k - 1], was)))
          continue;
        // "...Then Mr. Bounderby took the case in hand." closing the turn before: that too.
        if (k > start && i == 0 && was != kUnknown &&
            std::find(qps[k - 1].closing_subjects.begin(), qps[k - 1].closing_subjects.end(),
                      was) != qps[k - 1].closing_subjects.end())
          continue;
        retag(qps[k], i, only);
      }
  }

  // A tag's quotation takes another speaker, and so do the quotations of the paragraph that took
  // their speaker from it.
  static void retag(QuoteParagraph& qp, std::size_t i, int speaker) {
    const int was = qp.speakers[i];
    qp.speakers[i] = speaker;
    qp.rules[i] = "tag";
    for (std::size_t j = i + 1; j < qp.speakers.size(); ++j) {
      // Quotations after a tag nobody could resolve at first are still without a speaker.
      const bool untold = was == kUnknown && qp.rules[j].empty();
      if ((qp.rules[j] != "same-paragraph" && !untold) || qp.speakers[j] != was) break;
      qp.speakers[j] = speaker;
      qp.rules[j] = "same-paragraph";
    }
  }

  // What no rule decided: the character the narration was last about, if any.
  void guess_the_rest(std::vector<QuoteParagraph>& qps) {
    for (std::size_t k = 0; k < qps.size(); ++k) {
      auto& qp = qps[k];
      if (paragraph_speaker(qp) != kUnknown) continue;
      if (!qp.extra.empty()) {
        fill_paragraph(qp, add_minor_character(qp.extra), "extra");
        continue;
      }
      // Right after a guessed turn, the exchange goes on: the other party answers.
      int previous = k > 0 && !qp.after_narration ? paragraph_speaker(qps[k - 1]) : kUnknown;
      if (previous != kUnknown) {
        int other = other_party(qps, k, previous);
        if (other != kUnknown && !is_vocative(qp, other) && !before_own_tag(qps, k, other)) {
          fill_paragraph(qp, other, "guess");
          continue;
        }
      }
      // Never the one who spoke the turn just before: nobody answers themselves.
      for (auto it = qp.recent_before.rbegin(); it != qp.recent_before.rend(); ++it)
        if (*it != first_person_ && *it != previous && !is_vocative(qp, *it) &&
            !is_talked_about(qp, *it) && !before_own_tag(qps, k, *it)) {
          fill_paragraph(qp, *it, "guess");
          break;
        }
    }
  }

  // A B ? A B read backwards: the speaker two paragraphs on, when the next one differs.
  bool fill_backwards(std::vector<QuoteParagraph>& qps) {
    bool changed = false;
    for (std::size_t k = qps.size(); k-- > 0;) {
      auto& qp = qps[k];
      if (paragraph_speaker(qp) != kUnknown || k + 2 >= qps.size()) continue;
      if (qps[k + 1].after_narration || qps[k + 2].after_narration) continue;
      int x = paragraph_speaker(qps[k + 1]), y = paragraph_speaker(qps[k + 2]);
      if (x == kUnknown || y == kUnknown || x == y || is_vocative(qp, y)) continue;
      fill_paragraph(qp, y, "turn-back");
      changed = true;
    }
    // "I'm sorry, Eunjin." as a reply: Eunjin spoke the line before it.
    for (std::size_t k = 0; k + 1 < qps.size(); ++k) {
      auto& qp = qps[k];
      if (paragraph_speaker(qp) != kUnknown || qps[k + 1].after_narration) continue;
      int next = paragraph_speaker(qps[k + 1]);
      for (int v : qps[k + 1].vocatives)
        if (v != next && v != reader_ && !is_vocative(qp, v) && !is_talked_about(qp, v)) {
          fill_paragraph(qp, v, "vocative-back");
          changed = true;
          break;
        }
    }
    // "Hey, Mark." answered by Mark: the one who spoke to him is someone else nearby.
    for (std::size_t k = 0; k + 1 < qps.size(); ++k) {
      auto& qp = qps[k];
      int x = paragraph_speaker(qps[k + 1]);
      if (paragraph_speaker(qp) != kUnknown || x == kUnknown || qps[k + 1].after_narration ||
          !is_vocative(qp, x))
        continue;
      int other = other_party(qps, k, x);
      if (other == kUnknown || is_vocative(qp, other)) continue;
      fill_paragraph(qp, other, "vocative-reply");
      changed = true;
    }
    return changed;
  }

  // The turn after a speaker: the other character in the scene. With `firm_only`, only after
  // a speaker the text itself named (a tag, a beat), before weaker turn-taking runs.
  void fill_by_other_party(std::vector<QuoteParagraph>& qps, bool firm_only) {
    for (std::size_t k = 1; k < qps.size(); ++k) {
      auto& qp = qps[k];
      if (paragraph_speaker(qp) != kUnknown || qp.after_narration) continue;
      int x = paragraph_speaker(qps[k - 1]);
      if (x == kUnknown) continue;
      if (firm_only && !is_firm(qps[k - 1].rules.back())) continue;
      int other = other_party(qps, k, x);
      if (other != kUnknown && !is_vocative(qp, other) && !before_own_tag(qps, k, other))
        fill_paragraph(qp, other, "turn-other");
    }
  }

  static bool is_firm(const std::string& rule) {
    return rule == "tag" || rule == "beat" || rule == "intro" || rule == "pin" ||
           rule == "same-paragraph";
  }

  // ---- the chapter's script ----------------------------------------------------

  // Attributes a chapter twice: the second reading resolves "he said" knowing who spoke the
  // turns around it in the first (A, B, A: "he said" in the third turn is A).
  ChapterScript chapter_script(const Chapter& chapter) {
    const std::size_t history_at_start = history_.size();
    auto first = attribute_chapter(chapter, nullptr);
    std::vector<int> prior;
    for (const auto& qp : first) prior.push_back(paragraph_speaker(qp));
    history_.resize(history_at_start);
    auto second = attribute_chapter(chapter, &prior);
    for (const auto& qp : second)
      for (std::size_t i = 0; i < qp.speakers.size(); ++i)
        if (!qp.descriptions[i].empty() && qp.speakers[i] != kUnknown && qp.rules[i] == "tag")
          ++described_as_[qp.descriptions[i]][qp.speakers[i]];
    return write_chapter(chapter, second);
  }

  std::vector<QuoteParagraph> attribute_chapter(const Chapter& chapter,
                                                const std::vector<int>* prior) {
    std::vector<QuoteParagraph> qps;
    bool narration_since = false;
    const Paragraph* intro = nullptr;  // narration leading into the next paragraph's quotation
    for (int i = 0; i < static_cast<int>(chapter.paragraphs.size()); ++i) {
      const auto& p = chapter.paragraphs[i];
      if (p.kind != ParagraphKind::Text) continue;
      if (p.quotes.empty() || only_mentions(p)) {
        trailing_.clear();
        // A narration paragraph ends the exchange: its "his wife" is no longer sought first
        // among the parties of the last turns.
        avoid_ = alternate_ = kUnknown;
        add_salient(tokenize(p.text), history_);
        narration_since = true;
        intro = introduces_speech(p.text) ? &p : nullptr;
        continue;
      }
      QuoteParagraph qp = prepare(p, i);
      for (std::size_t h = history_.size() > kRecentKept ? history_.size() - kRecentKept : 0;
           h < history_.size(); ++h)
        qp.recent_before.push_back(history_[h].id);
      qp.after_narration = narration_since;
      if (narration_since)
        for (auto h = history_.rbegin(); h != history_.rend(); ++h)
          if (h->subject) {
            qp.subject_before = h->id;
            break;
          }
      qp.intro = intro;
      intro = nullptr;
      narration_since = false;
      set_exchange(qp, qps, prior);
      previous_vocatives_ = qps.empty() ? std::vector<int>{} : qps.back().vocatives;
      previous_addressee_ = qps.empty() ? kUnknown : qps.back().addressee;
      first_pass(qp, qps.empty() ? nullptr : &qps.back());
      trailing_.clear();
      for (const auto& segment : qp.segments)
        if (!segment.is_quote) add_salient(tokens_of(p, segment), history_);
      // The narration that closes the paragraph, after its last quotation.
      // `"But if you betray me," he said. He paused and tapped Mr. Marvel's shoulder.`: a
      // pronoun there means the one who spoke, when the gender fits.
      if (!qp.segments.empty() && !qp.segments.back().is_quote && qp.segments.size() > 1) {
        const int spoke = paragraph_speaker(qp);
        const bool seeded = spoke != kUnknown && !is_passerby(spoke);
        if (seeded) trailing_.push_back({spoke, true});
        add_salient(tokens_of(p, qp.segments.back()), trailing_);
        if (seeded) trailing_.erase(trailing_.begin());
      }
      for (const auto& s : trailing_)
        if (s.subject) qp.closing_subjects.push_back(s.id);
      // "one of the women" is nobody a later "she" or turn may mean.
      if (int s = paragraph_speaker(qp); s != kUnknown && !is_passerby(s))
        history_.push_back({s, true});
      // Whoever is called by name is in the scene.
      for (int v : qp.vocatives) history_.push_back({v, false});
      qps.push_back(std::move(qp));
    }
    resolve_pronouns_by_participants(qps);
    for (int round = 0; round < 4 && fill_by_turns(qps); ++round) {
    }
    fill_by_other_party(qps, true);
    for (int round = 0; round < 4 && (fill_by_turns(qps) | fill_backwards(qps)); ++round) {
    }
    fill_by_other_party(qps, false);
    for (int round = 0; round < 4 && (fill_by_turns(qps) | fill_backwards(qps)); ++round) {
    }
    guess_the_rest(qps);
    return qps;
  }

  // Who the other party is (avoid_) and who spoke the turn before theirs (alternate_), from the
  // paragraphs read so far, or from a first reading of the whole chapter.
  void set_exchange(const QuoteParagraph& qp, const std::vector<QuoteParagraph>& before,
                    const std::vector<int>* prior) {
    const std::size_t k = before.size();
    auto speaker_at = [&](std::size_t j) {
      int now = paragraph_speaker(before[j]);
      return now != kUnknown || !prior ? now : (*prior)[j];
    };
    avoid_ = alternate_ = kUnknown;
    if (k == 0 || qp.after_narration) return;
    avoid_ = speaker_at(k - 1);
    if (k >= 2 && !before[k - 1].after_narration && avoid_ != kUnknown) {
      int earlier = speaker_at(k - 2);
      if (earlier != avoid_) alternate_ = earlier;
    }
  }

  std::string speaker_label(int id) const {
    return id == kUnknown ? kUnknownLabel : table_.characters[id].name;
  }

  ChapterScript write_chapter(const Chapter& chapter,
                              const std::vector<QuoteParagraph>& qps) const {
    ChapterScript out;
    out.title = chapter.title;
    out.source = chapter.source;
    // The title, in line order: after notes that stand above a story's title line.
    bool title_written = chapter.title.empty();
    auto write_title = [&] {
      ScriptLine title;
      title.kind = LineKind::Title;
      title.line = chapter.line;
      title.speaker = kNarratorLabel;
      title.text = chapter.title;
      title.paragraph_start = true;
      out.lines.push_back(title);
      title_written = true;
    };
    std::size_t next_qp = 0;
    for (int i = 0; i < static_cast<int>(chapter.paragraphs.size()); ++i) {
      const auto& p = chapter.paragraphs[i];
      if (!title_written && p.line > chapter.line) write_title();
      if (p.kind == ParagraphKind::SceneBreak) {
        out.lines.push_back(ScriptLine{LineKind::Pause, p.line, kNarratorLabel, p.text, "", "",
                                       Delivery::Normal, PauseKind::SceneBreak, true});
        continue;
      }
      if (p.kind == ParagraphKind::Skipped) {
        out.lines.push_back(ScriptLine{LineKind::Skipped, p.line, kNarratorLabel, p.text, "", "",
                                       Delivery::Normal, PauseKind::None, true});
        continue;
      }
      const QuoteParagraph* qp =
          next_qp < qps.size() && qps[next_qp].paragraph == i ? &qps[next_qp++] : nullptr;
      write_paragraph(p, qp, out.lines);
    }
    if (!title_written) write_title();
    return out;
  }

  void write_paragraph(const Paragraph& p, const QuoteParagraph* qp,
                       std::vector<ScriptLine>& lines) const {
    bool first = true;
    // A paragraph without speech is one stretch of narration, mentioned words and all.
    auto segments =
        qp ? qp->segments : std::vector<Segment>{Segment{false, 0, p.text.size(), nullptr}};
    int quote_index = 0;
    for (const auto& s : segments) {
      ScriptLine line;
      line.text = p.text.substr(s.begin, s.end - s.begin);
      line.paragraph_start = first;
      if (s.is_quote) {
        line.kind = LineKind::Quote;
        line.line = s.quote->line;
        line.speaker = speaker_label(qp->speakers[quote_index]);
        line.rule = qp->rules[quote_index].empty() ? "none" : qp->rules[quote_index];
        line.delivery = qp->deliveries[quote_index];
        ++quote_index;
        if (!s.quote->nested.empty()) {
          write_nested_pieces(p, s, line, lines);
          first = false;
          continue;
        }
      } else {
        line.kind = LineKind::Narration;
        line.line = p.line_of(s.begin);
        line.speaker = kNarratorLabel;
        trim_narration(line.text);
        if (!has_words(line.text)) continue;
      }
      lines.push_back(std::move(line));
      first = false;
    }
  }

  // A quotation that quotes another ("I said 'no,' you know") is written as its pieces, the
  // nested quotation one of them, each on its own source line; the speaker says them all.
  static void write_nested_pieces(const Paragraph& p, const Segment& s, const ScriptLine& whole,
                                  std::vector<ScriptLine>& lines) {
    auto write_piece = [&](std::size_t begin, std::size_t end) {
      begin = std::max(begin, s.begin);
      end = std::min(end, s.end);
      if (begin >= end) return;
      while (begin < end && (p.text[begin] == ' ' || p.text[begin] == ',')) ++begin;
      ScriptLine piece = whole;
      piece.text = p.text.substr(begin, end - begin);
      trim_narration(piece.text);
      if (!has_words(piece.text)) return;
      piece.line = begin == s.begin ? whole.line : p.line_of(begin);
      lines.push_back(std::move(piece));
    };
    const std::size_t first_line = lines.size();
    std::size_t at = s.begin;
    for (const auto& [open, close] : s.quote->nested) {
      std::size_t words_begin = open, words_end = close;
      next_code_point(p.text, words_begin);
      previous_code_point(p.text, words_end);
      write_piece(at, open);
      write_piece(words_begin, words_end);
      at = close;
    }
    write_piece(at, s.end);
    for (std::size_t i = first_line; i < lines.size(); ++i)
      lines[i].paragraph_start = whole.paragraph_start && i == first_line;
  }

  static void trim_narration(std::string& text) {
    std::size_t b = 0, e = text.size();
    while (b < e && (text[b] == ' ' || text[b] == ',')) ++b;
    while (e > b && text[e - 1] == ' ') --e;
    text = text.substr(b, e - b);
  }

  static bool has_words(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      char32_t c = next_code_point(text, i);
      if (is_letter(c) || (c >= '0' && c <= '9')) return true;
    }
    return false;
  }

  const Story& story_;
  const AttributionOptions& options_;
  CharacterTable table_;
  int first_person_ = kUnknown;
  int reader_ = kUnknown;
  int avoid_ = kUnknown;      // the other party of the exchange, while resolving a pronoun
  int alternate_ = kUnknown;  // who spoke the turn before the other party's
  mutable std::map<std::pair<const void*, std::size_t>, std::vector<Token>> token_cache_;
  mutable std::vector<NameWords> name_words_;  // by character id
  mutable std::string last_group_;             // "the girls": whom a later "they" means
  std::map<std::string, int> groups_;          // group speakers by label
  std::set<int> children_;                     // "little Oliver"
  std::map<std::string, int> passersby_;       // "another gentleman": speakers by label
  std::vector<int> addressed_;      // vocatives of the paragraph whose tags are being read
  std::vector<int> called_;         // vocatives of the turn it answers
  mutable std::vector<int> bound_;  // named in a pronoun tag's own sentence: not its speaker
  std::vector<int> previous_vocatives_;
  int previous_addressee_ = kUnknown;
  std::unordered_set<std::string> lower_words_;  // every word the story writes in lower case
  Salience trailing_;                            // narration closing the last quotation paragraph
  Salience history_;                             // characters mentioned or speaking, in story order
  mutable std::vector<std::optional<NameAge>> name_ages_;  // by character id, as first read
  mutable std::set<int> described_;  // characters the narration has called by their description
  // "girl" -> how often each character spoke a "said the girl" tag in the chapters before.
  std::map<std::string, std::map<int, int>> described_as_;
};

}  // namespace

Script attribute(const Story& story, const AttributionOptions& options) {
  return Attributor(story, options).run();
}

}  // namespace troupe
