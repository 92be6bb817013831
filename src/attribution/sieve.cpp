// The sieve's reading: the story read once (children, the words it writes small, a first-person
// narrator's name), then each chapter read twice through the passes of passes/order.cpp, with the
// history of mentions and the exchange each quotation paragraph is read in; and the speakers the
// passes add (groups, passers-by, minor characters).
#include "attribution/sieve.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_set>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/passes/pass.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"
#include "text/sections.h"
#include "text/utf8.h"

namespace troupe::sieve {

Sieve::Sieve(const Story& story, const AttributionOptions& options)
    : story_(story),
      options_(options),
      table_(build_characters(story, options.hints, &place_names_)) {
  tokenize_segments();
  resolve_shared_names();
  first_person_ = table_.find("I");
  for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id)
    if (table_.characters[id].is_reader) {
      reader_ = id;
      table_.add_alias(id, "you");
    }
  note_table_change();
  if (first_person_ >= 0 && table_.characters[first_person_].name == "I") name_the_narrator();
  collect_lower_words();
  find_call_signs();
  find_children();
}

void Sieve::tokenize_segments() {
  for (const auto& chapter : story_.chapters)
    for (const auto& p : chapter.paragraphs)
      if (p.kind == ParagraphKind::Text)
        for (const auto& s : segments_of(p))
          segment_tokens_.emplace(
              std::make_pair(static_cast<const void*>(p.text.data() + s.begin), s.end - s.begin),
              tokenize(std::string_view(p.text).substr(s.begin, s.end - s.begin), true));
}

// "little Oliver", "Master Bates": a character the text often calls little is a child, and
// never "the old gentleman" or "the woman".
void Sieve::find_children() {
  std::map<int, int> little;
  for (const auto& chapter : story_.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      for (const auto& s : segments_of(p)) {
        const auto& tokens = tokens_of(p, s);
        for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
          if (tokens[i].lower != "little" && tokens[i].lower != "master") continue;
          auto [id, length] = table_.match(tokens, i + 1);
          if (id < 0 && tokens[i].lower == "master") std::tie(id, length) = table_.match(tokens, i);
          if (id >= 0) ++little[id];
        }
      }
    }
  for (const auto& [id, count] : little)
    if (count >= kChildMarksMin) children_.insert(id);
}

void Sieve::collect_lower_words() {
  for (const auto& chapter : story_.chapters)
    for (const auto& p : chapter.paragraphs)
      if (p.kind == ParagraphKind::Text)
        for (const auto& s : segments_of(p))
          for (const auto& t : tokens_of(p, s))
            if (!t.capitalized) lower_words_.insert(t.lower);
}

// "Hands" where the story writes "hand": a plural noun opening a sentence, never a name.
bool Sieve::is_plural_of_small_word(const std::string& lower) const {
  return lower.size() > 3 && lower.ends_with('s') &&
         lower_words_.count(lower.substr(0, lower.size() - 1)) > 0;
}

// A first-person narrator is named by how the others address them: the character called
// most often in quotations ("Watson, ...") and hardly ever named in the narration.
void Sieve::name_the_narrator() {
  std::map<int, int> addressed, narrated;
  for (const auto& chapter : story_.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      for (const auto& s : segments_of(p)) {
        if (s.is_quote)
          for (int id : vocatives_said(p, s)) ++addressed[id];
        else
          for (int id : mentions_in(tokens_of(p, s))) ++narrated[id];
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

Script Sieve::run() {
  Script script;
  script.title = story_.title;
  ReadingState reading;
  for (const auto& chapter : story_.chapters)
    script.chapters.push_back(chapter_script(chapter, reading));
  script.characters = table_.characters;
  characters_internal::join_by_turns(
      script, table_.cast_count, characters_internal::sister_surnames(story_, script.characters));
  return script;
}

bool Sieve::is_talked_about(const QuoteParagraph& qp, int id) {
  return std::find(qp.talked_about.begin(), qp.talked_about.end(), id) != qp.talked_about.end();
}

// `"...," said Emma.` right after paragraph k in the same exchange, and Emma is `id`: nobody
// speaks two paragraphs running, so paragraph k is someone else's turn. Only a tag that names
// its speaker or says "he", right after the quotation that opens its paragraph, is that firm: a
// beat in narration before the quotation may let the same speaker go on, and "said her sister"
// is resolved from the turns around it.
bool Sieve::before_own_tag(const std::vector<QuoteParagraph>& qps, std::size_t k, int id) {
  if (k + 1 >= qps.size() || qps[k + 1].after_narration) return false;
  const auto& next = qps[k + 1];
  return !next.speakers.empty() && next.speakers.front() == id && is_tag(next.rules.front()) &&
         next.firm_tags.front() && next.segments.front().is_quote;
}

bool Sieve::is_vocative(const QuoteParagraph& qp, int id) const {
  return std::find(qp.vocatives.begin(), qp.vocatives.end(), id) != qp.vocatives.end();
}

// Several people speaking at once: a speaker of their own, never a candidate for "he said"
// or a turn of the conversation, so never matched in the narration.
int Sieve::add_group(const std::string& label) {
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
  note_table_change();
  return id;
}

// "another gentleman", "one of the women": a speaker of one moment, whose description is no
// name to find again in the text.
int Sieve::add_passerby(const std::string& label) {
  if (auto it = passersby_.find(label); it != passersby_.end()) return it->second;
  Character c;
  c.name = label;
  const int id = table_.add_unmatched(c);
  passersby_.emplace(label, id);
  note_table_change();
  return id;
}

bool Sieve::is_passerby(int id) const {
  return std::any_of(passersby_.begin(), passersby_.end(),
                     [&](const auto& entry) { return entry.second == id; });
}

int Sieve::add_minor_character(const std::string& name) {
  const int known = table_.find_person(name);
  note_table_change();  // "Bill" of "Bill Sikes" is one of his names now
  if (known >= 0) return known;
  if (known == CharacterTable::kSeveral) return kUnknown;  // a family's name decides nothing
  if (place_names_.count(name)) return kUnknown;           // "Larkhall stood white on its hill"
  Character c;
  c.name = name;
  auto tokens = tokenize(name);
  Gender g = Gender::Unknown;
  if (!is_person_title(tokens[0].text, &g)) g = gender_of_first_name(tokens[0].text);
  c.gender = g;
  const int id = table_.add(c);
  note_table_change();
  return id;
}

void Sieve::note_table_change() {
  const std::size_t count = table_.characters.size();
  name_ages_.reserve(count);
  for (std::size_t id = name_ages_.size(); id < count; ++id)
    name_ages_.push_back(age_in_names(static_cast<int>(id)));
  name_words_.resize(count);
  for (std::size_t id = 0; id < count; ++id)
    if (name_words_[id].names != table_.characters[id].aliases.size() + 1)
      name_words_[id] = words_of_names(static_cast<int>(id));
}

namespace {

// A paragraph without quote marks inside a quotation (text/quotes.cpp bridges up to a few):
// inset verse, a letter or a song the speaker reads out.
bool is_inset_paragraph(const Segment& s) { return s.quote != nullptr && s.quote->bridged; }

// A nested span an apostrophe closed rather than a quotation mark: a single mark straight
// after a letter, as in a dialect elision or a plural possessive ("'Twas the lads' coats").
bool closed_by_apostrophe(std::string_view text, const std::pair<std::size_t, std::size_t>& span) {
  std::size_t i = span.second;
  const char32_t mark = previous_code_point(text, i);
  if (mark != '\'' && mark != U'\u2019') return false;
  return i > span.first && is_letter(previous_code_point(text, i));
}

}  // namespace

const std::vector<Token>& Sieve::words_said(const Paragraph& p, const Segment& s,
                                            std::vector<Token>& kept) const {
  kept.clear();
  if (is_inset_paragraph(s)) return kept;
  const auto& tokens = tokens_of(p, s);
  if (s.quote == nullptr) return tokens;
  std::vector<std::pair<std::size_t, std::size_t>> nested;
  for (const auto& span : s.quote->nested)
    if (!closed_by_apostrophe(p.text, span)) nested.push_back(span);
  if (nested.empty()) return tokens;
  for (const auto& t : tokens)
    if (!in_spans(nested, s.begin + t.begin)) kept.push_back(t);
  return kept;
}

std::vector<int> Sieve::vocatives_said(const Paragraph& p, const Segment& s,
                                       std::vector<int>* talked_about) const {
  std::vector<Token> kept;
  return vocatives_in(words_said(p, s, kept), talked_about);
}

namespace {

// Whether a character's names make her an unmarried daughter of the family `surname`: she goes
// by "Miss Given Surname", or by "Miss Given" and "Given Surname", and by no married woman's
// title ("Mrs", "Lady", "Madame"). A woman named "Given Surname" alone may be the mother.
bool is_daughter_of(const Character& c, const std::string& surname) {
  bool miss_full = false, married = false;
  std::vector<std::string> miss_given, given_of_family;
  for (const auto& name : characters_internal::names_of(c)) {
    const auto parts = parse_name(name);
    const bool miss = normal_title(parts.title) == "miss";
    if (parts.title_gender == Gender::Female && !miss && equals_icase(parts.surname, surname))
      married = true;
    if (miss && parts.words.size() == 1) miss_given.push_back(lower_ascii(parts.words[0]));
    if (!equals_icase(parts.surname, surname) || parts.words.size() < 2) continue;
    if (miss) miss_full = true;
    if (parts.title.empty()) given_of_family.push_back(lower_ascii(parts.words[0]));
  }
  const bool miss_and_given = std::any_of(miss_given.begin(), miss_given.end(), [&](const auto& g) {
    return std::find(given_of_family.begin(), given_of_family.end(), g) != given_of_family.end();
  });
  return (miss_full || miss_and_given) && !married;
}

}  // namespace

// The unmarried daughters of a family other than `called`, when the narration speaks of the
// family's daughters as sisters ("the two Miss Penroses", "the elder Miss Penrose"; see
// sister_surnames): without that, "Miss Penrose" may be the only daughter.
std::vector<int> Sieve::daughters_of_family(const std::string& surname, int called) const {
  if (!sister_families_)
    sister_families_ = characters_internal::sister_surnames(story_, table_.characters);
  std::vector<int> daughters;
  if (!sister_families_->count(lower_ascii(surname))) return daughters;
  for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id)
    if (id != called && is_daughter_of(table_.characters[id], surname)) daughters.push_back(id);
  return daughters;
}

// Whether a character is in the scene: a subject of the paragraph's narration, or of the
// recent narration or turns, and not gone since. Someone only thought of or looked at is not.
bool Sieve::present(const QuoteParagraph& qp, const ReadingState& reading, int id) {
  if (std::find(qp.narration_subjects.begin(), qp.narration_subjects.end(), id) !=
      qp.narration_subjects.end())
    return true;
  if (reading.departed.count(id)) return false;
  const Salience& history = reading.history;
  const std::size_t from = history.size() > kRecentKept ? history.size() - kRecentKept : 0;
  return std::any_of(history.begin() + from, history.end(),
                     [&](const Salient& s) { return s.id == id && s.subject; });
}

// "Are you cold, Miss Penrose?": a bare "Miss Surname" called out addresses whichever unmarried
// daughter of the family is in the scene. It is the eldest's name when she is there; without
// her, the one younger sister there; with several or none, it stays hers.
void Sieve::place_family_vocatives(QuoteParagraph& qp, const ReadingState& reading) const {
  for (const auto& s : qp.segments) {
    if (!s.is_quote) continue;
    const auto& tokens = tokens_of(*qp.p, s);
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i].lower != "miss") continue;
      const auto [id, length] = table_.match(tokens, i);
      if (id < 0 || length != 2 || !called_at(tokens, i, length) || present(qp, reading, id))
        continue;
      // the first entry of `id` not yet placed is the one called here: vocatives are in order
      auto called = std::find(qp.vocatives.begin(), qp.vocatives.end(), id);
      if (called == qp.vocatives.end()) continue;
      std::vector<int> there;
      for (int daughter : daughters_of_family(tokens[i + 1].text, id))
        if (present(qp, reading, daughter)) there.push_back(daughter);
      if (there.size() == 1 && !is_vocative(qp, there.front())) *called = there.front();
    }
  }
}

std::vector<int> Sieve::subjects_in(const std::vector<Token>& tokens) const {
  std::vector<int> ids;
  for (std::size_t i = 0; i < tokens.size();) {
    auto [id, length] = table_.match(tokens, i);
    if (id >= 0 && !is_object_at(tokens, i)) ids.push_back(id);
    i += id >= 0 ? length : 1;
  }
  return ids;
}

QuoteParagraph Sieve::prepare(const Paragraph& p, int index) const {
  QuoteParagraph qp;
  qp.paragraph = index;
  qp.p = &p;
  qp.segments = segments_of(p);
  qp.speakers.assign(p.quotes.size(), kUnknown);
  qp.rules.assign(p.quotes.size(), Rule::None);
  qp.deliveries.assign(p.quotes.size(), Delivery::Normal);
  qp.pronoun_tags.assign(p.quotes.size(), Gender::Unknown);
  qp.adult_tags.assign(p.quotes.size(), false);
  qp.firm_tags.assign(p.quotes.size(), false);
  qp.next_likeliest.assign(p.quotes.size(), kUnknown);
  qp.carry_on_tags.assign(p.quotes.size(), false);
  qp.descriptions.assign(p.quotes.size(), "");
  qp.continues = !p.quotes.empty() && p.quotes.front().continues;
  for (const auto& s : qp.segments) {
    const auto& tokens = tokens_of(p, s);
    if (s.is_quote) {
      // A first-person narrator called by name ("Louisa, tell her.") is spoken to. Inset verse
      // or a letter read out ("Polly, the lamp is lit") and words the speaker recites ("he
      // only says 'Jane, sit down,' you know") call nobody in the room.
      for (int id : vocatives_said(p, s, &qp.talked_about)) qp.vocatives.push_back(id);
    } else {
      if (&s == &qp.segments.front()) qp.opening_words = tokens.size();
      auto ids = mentions_in(tokens);
      qp.narration_mentions.insert(qp.narration_mentions.end(), ids.begin(), ids.end());
      auto subjects = subjects_in(tokens);
      qp.narration_subjects.insert(qp.narration_subjects.end(), subjects.begin(), subjects.end());
    }
  }
  return qp;
}

int Sieve::paragraph_speaker(const QuoteParagraph& qp) const {
  for (int s : qp.speakers)
    if (s != kUnknown) return s;
  return kUnknown;
}

void Sieve::fill_paragraph(QuoteParagraph& qp, int speaker, Rule rule) {
  for (std::size_t i = 0; i < qp.speakers.size(); ++i)
    if (qp.speakers[i] == kUnknown) {
      qp.speakers[i] = speaker;
      qp.rules[i] = rule;
    }
}

// The most recent other character mentioned or speaking before paragraph k.
int Sieve::other_party(const std::vector<QuoteParagraph>& qps, std::size_t k, int speaker) const {
  // A first-person narrator talks with the others too: "I" counts as a party.
  const auto& recent = qps[k].recent_before;
  for (auto it = recent.rbegin(); it != recent.rend(); ++it)
    if (*it != speaker && !is_talked_about(qps[k], *it)) return *it;
  return kUnknown;
}

// Attributes a chapter twice: the second reading resolves "he said" knowing who spoke the
// turns around it in the first (A, B, A: "he said" in the third turn is A).
ChapterScript Sieve::chapter_script(const Chapter& chapter, ReadingState& reading) {
  const std::size_t history_at_start = reading.history.size();
  auto first = attribute_chapter(chapter, nullptr, sieve_order(), reading);
  std::vector<int> prior;
  for (const auto& qp : first) prior.push_back(paragraph_speaker(qp));
  reading.history.resize(history_at_start);
  auto second = attribute_chapter(chapter, &prior, sieve_order(), reading);
  for (const auto& qp : second)
    for (std::size_t i = 0; i < qp.speakers.size(); ++i)
      if (!qp.descriptions[i].empty() && qp.speakers[i] != kUnknown && is_tag(qp.rules[i]))
        ++reading.described_as[qp.descriptions[i]][qp.speakers[i]];
  return write_chapter(chapter, second);
}

// "No reply. Two minutes. Three.", "There was a long pause.": narration that names no
// character and has no pronoun or noun for a person ("the waiter") is a pause within the
// exchange, not a change of scene.
namespace {
bool names_nobody(const std::vector<Token>& tokens, const CharacterTable& table) {
  static const std::unordered_set<std::string_view> kPersonal = {
      "he", "she", "him",  "her", "his", "hers", "they",    "them",    "their",  "i",       "me",
      "my", "you", "your", "we",  "us",  "our",  "himself", "herself", "myself", "yourself"};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (kPersonal.count(tokens[i].lower)) return false;
    if (table.match(tokens, i).first >= 0) return false;
    bool person = false;
    gender_of_person_noun(tokens[i].lower, &person);
    if (person) return false;
  }
  return true;
}
}  // namespace

std::vector<QuoteParagraph> Sieve::attribute_chapter(const Chapter& chapter,
                                                     const std::vector<int>* prior,
                                                     const PassOrder& order,
                                                     ReadingState& reading) {
  std::vector<QuoteParagraph> qps;
  reading.departed.clear();
  bool narration_since = false, pause_only = true;
  bool scene_since = false;          // a scene break since the last quotation paragraph
  const Paragraph* intro = nullptr;  // narration leading into the next paragraph's quotation
  for (int i = 0; i < static_cast<int>(chapter.paragraphs.size()); ++i) {
    const auto& p = chapter.paragraphs[i];
    // "* * *" or "[II]": a new scene; the exchange before it is over, as after narration, and
    // neither the narration closing its last quotation nor its group ("they") carries over. The
    // history of mentions does: emptied or made objects only, it lost 145 and 17 quotations of
    // A Handful of Dust, whose sections often go on with the people before them.
    if (opens_scene(p)) {
      narration_since = true;
      scene_since = true;
      pause_only = false;
      intro = nullptr;
      reading.departed.clear();
      reading.trailing.clear();
      reading.last_group.clear();
      continue;
    }
    if (p.kind != ParagraphKind::Text) continue;
    if (p.quotes.empty() || only_mentions(p)) {
      reading.trailing.clear();
      // A narration paragraph ends the exchange: its "his wife" is no longer sought first
      // among the parties of the last turns.
      const auto& tokens = paragraph_tokens(p);
      note_departures(tokens, reading);
      if (!qps.empty() && !narration_since) {
        qps.back().said_after = said_back(tokens);
        qps.back().unanswered = nobody_answered(tokens);
      }
      add_salient(tokens, reading.history, Exchange{}, reading);
      pause_only = pause_only && names_nobody(tokens, table_);
      narration_since = true;
      intro = introduces_speech(p.text) ? &p : nullptr;
      continue;
    }
    QuoteParagraph qp = prepare(p, i);
    const Salience& history = reading.history;
    for (std::size_t h = history.size() > kRecentKept ? history.size() - kRecentKept : 0;
         h < history.size(); ++h)
      if (!reading.departed.count(history[h].id)) qp.recent_before.push_back(history[h].id);
    place_family_vocatives(qp, reading);
    qp.after_narration = narration_since;
    qp.after_pause = narration_since && pause_only;
    pause_only = true;
    if (narration_since)
      for (auto h = history.rbegin(); h != history.rend(); ++h)
        if (h->subject) {
          qp.subject_before = h->id;
          break;
        }
    // Named there for the first time: a newcomer, who may well name himself on coming in.
    if (qp.subject_before != kUnknown &&
        std::count_if(history.begin(), history.end(),
                      [&](const Salient& s) { return s.id == qp.subject_before; }) == 1)
      qp.newcomer_before = qp.subject_before;
    qp.intro = intro;
    intro = nullptr;
    narration_since = false;
    set_exchange(qp, qps, prior);
    // Whoever spoke before a scene break, or went out since ("Walter went out."), is not
    // the one who speaks again.
    if (scene_since || reading.departed.count(qp.speaker_before)) qp.speaker_before = kUnknown;
    scene_since = false;
    qps.push_back(std::move(qp));
    for (const Pass* pass : order.paragraph) pass->run(*this, reading, qps);
    remember_narration(qps.back(), reading);
  }
  run_stages(order.chapter, reading, qps);
  return qps;
}

void Sieve::run_stages(const std::vector<Stage>& stages, ReadingState& reading,
                       std::vector<QuoteParagraph>& qps) {
  for (const auto& stage : stages)
    for (int round = 0; round < stage.rounds; ++round) {
      bool changed = false;
      for (const Pass* pass : stage.passes) changed = pass->run(*this, reading, qps) || changed;
      if (!changed) break;
    }
}

void Sieve::remember_narration(QuoteParagraph& qp, ReadingState& reading) const {
  const Paragraph& p = *qp.p;
  Salience& trailing = reading.trailing;
  trailing.clear();
  if (int s = paragraph_speaker(qp); s != kUnknown) reading.departed.erase(s);
  for (const auto& segment : qp.segments)
    if (!segment.is_quote) {
      note_departures(tokens_of(p, segment), reading);
      add_salient(tokens_of(p, segment), reading.history, qp.exchange.parties(), reading);
    }
  // The narration that closes the paragraph, after its last quotation.
  // `"Just keep it quiet," he said. He stopped and nudged Mr. Corwen's elbow.`: a
  // pronoun there means the one who spoke, when the gender fits.
  if (!qp.segments.empty() && !qp.segments.back().is_quote && qp.segments.size() > 1) {
    const int spoke = paragraph_speaker(qp);
    const bool seeded = spoke != kUnknown && !is_passerby(spoke);
    if (seeded) trailing.push_back({spoke, true});
    const auto& closing = tokens_of(p, qp.segments.back());
    if (const std::size_t from = past_closing_tag(qp); from == 0)
      add_salient(closing, trailing, qp.exchange.parties(), reading);
    else
      add_salient(std::vector<Token>(closing.begin() + from, closing.end()), trailing,
                  qp.exchange.parties(), reading);
    if (seeded) trailing.erase(trailing.begin());
  }
  for (const auto& s : trailing)
    if (s.subject) qp.closing_subjects.push_back(s.id);
  // "one of the women" is nobody a later "she" or turn may mean.
  if (int s = paragraph_speaker(qp); s != kUnknown && !is_passerby(s))
    reading.history.push_back({s, true});
  // Whoever is called by name is in the scene.
  for (int v : qp.vocatives) reading.history.push_back({v, false});
}

int Sieve::speaker_of_turn(const std::vector<QuoteParagraph>& before, const std::vector<int>* prior,
                           std::size_t j) const {
  int now = paragraph_speaker(before[j]);
  return now != kUnknown || !prior ? now : (*prior)[j];
}

// Whom a paragraph's quotations talk about ("Is the baker's boy honest?") and so, nobody speaking
// of himself so, who is not the speaker of its tags. Kept out: whoever spoke or was spoken to in
// one of the last two turns (an echo of one's own name, a joke on it), whoever the narration just
// before brings on for the first time, and the subjects of its own lead-in: a newcomer may name
// himself in jest.
std::vector<int> Sieve::talked_about_outside_conversation(const QuoteParagraph& qp,
                                                          const std::vector<QuoteParagraph>& before,
                                                          const std::vector<int>* prior) const {
  const std::size_t k = before.size();
  auto takes_part = [&](std::size_t j, int id) {
    return speaker_of_turn(before, prior, j) == id || is_vocative(before[j], id) ||
           before[j].addressee == id;
  };
  std::vector<int> lead_in_subjects;
  if (!qp.segments.empty() && !qp.segments.front().is_quote)
    lead_in_subjects = subjects_in(tokens_of(*qp.p, qp.segments.front()));
  std::vector<int> talked_about = qp.talked_about;
  std::erase_if(talked_about, [&](int id) {
    return (k >= 1 && takes_part(k - 1, id)) || (k >= 2 && takes_part(k - 2, id)) ||
           id == qp.newcomer_before || contains(lead_in_subjects, id);
  });
  return talked_about;
}

// The exchange a quotation paragraph is read in: who the other party is (the last speaker)
// and who spoke the turn before theirs, from the paragraphs read so far or from a first
// reading of the whole chapter; whom its quotations address; and, when it answers a turn, whom
// that turn called.
void Sieve::set_exchange(QuoteParagraph& qp, const std::vector<QuoteParagraph>& before,
                         const std::vector<int>* prior) const {
  const std::size_t k = before.size();
  auto speaker_at = [&](std::size_t j) { return speaker_of_turn(before, prior, j); };
  Exchange& exchange = qp.exchange;
  exchange = Exchange{};
  exchange.addressed = qp.vocatives;
  if (k > 0) qp.speaker_before = speaker_at(k - 1);
  exchange.talked_about = talked_about_outside_conversation(qp, before, prior);
  if (k == 0 || qp.after_narration) return;
  exchange.avoid = speaker_at(k - 1);
  if (k >= 2 && !before[k - 1].after_narration && exchange.avoid != kUnknown) {
    int earlier = speaker_at(k - 2);
    if (earlier != exchange.avoid) exchange.alternate = earlier;
  }
  if (exchange.avoid == kUnknown) return;
  exchange.called = before.back().vocatives;
  if (before.back().addressee != kUnknown) exchange.called.push_back(before.back().addressee);
}
}  // namespace troupe::sieve
