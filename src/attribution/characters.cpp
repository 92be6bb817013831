#include "attribution/characters.h"

#include <algorithm>

#include "attribution/characters_internal.h"
#include "attribution/word_lists.h"

namespace troupe {

using characters_internal::discover_names;
using characters_internal::fill_unknown_genders;
using characters_internal::fold_into_cast;
using characters_internal::gather_stats;
using characters_internal::join_renamed;
using characters_internal::merge_name_forms;
using characters_internal::NameStats;
using characters_internal::redirect_bare_surnames;

namespace {

// How many "I said" tags make the narrator of a third-person story one of the speakers.
constexpr int kNarratorTagsMin = 3;

}  // namespace

namespace characters_internal {

std::vector<std::string> names_of(const Character& c) {
  std::vector<std::string> names = c.aliases;
  names.insert(names.begin(), c.name);
  return names;
}

std::string narration_of(const Paragraph& p) {
  std::string out;
  std::size_t at = 0;
  for (const auto& q : p.quotes) {
    std::size_t mark_start = q.begin > 0 ? q.begin - 1 : 0;
    while (mark_start > at && static_cast<unsigned char>(p.text[mark_start]) >= 0x80 &&
           (static_cast<unsigned char>(p.text[mark_start]) & 0xC0) == 0x80)
      --mark_start;
    if (mark_start > at) out += p.text.substr(at, mark_start - at) + " . ";
    at = q.end;
  }
  if (at < p.text.size()) out += p.text.substr(at);
  return out;
}

}  // namespace characters_internal

namespace {

using characters_internal::narration_of;

// What the narration (outside quotations) says of who tells the story, in one pass.
struct NarrationCounts {
  int words = 0, you = 0, i_count = 0;
  int i_tags = 0;  // "I said", "said I"
};

NarrationCounts count_narration(const Story& story) {
  NarrationCounts n;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      const auto tokens = tokenize(narration_of(p));
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        ++n.words;
        if (t.lower == "you" || t.lower == "your" || t.lower == "you're" || t.lower == "you’re")
          ++n.you;
        if (t.text == "I" || t.lower == "my" || t.lower == "me" || t.text == "I'm" ||
            t.text == "I’m")
          ++n.i_count;
        if (t.text == "I" && ((i + 1 < tokens.size() && is_speech_verb(tokens[i + 1].lower)) ||
                              (i > 0 && is_speech_verb(tokens[i - 1].lower))))
          ++n.i_tags;
      }
    }
  return n;
}

Perspective perspective_of(const NarrationCounts& n) {
  if (n.words == 0) return Perspective::Third;
  if (n.you * 100 > n.words * 2 && n.you > n.i_count) return Perspective::Second;
  if (n.i_count * 100 > n.words * 2) return Perspective::First;
  return Perspective::Third;
}

// "I said", "said I" in the narration of a story not told in the first person: a narrator who
// steps in now and then to speak with the characters, as in a story told to a child.
bool narrator_speaks(const NarrationCounts& n) { return n.i_tags >= kNarratorTagsMin; }

}  // namespace

Perspective detect_perspective(const Story& story) {
  return perspective_of(count_narration(story));
}

// "the girls", "The Twins": a name that is a group of people.
bool is_group_name(const std::string& name) {
  auto words = tokenize(name);
  return words.size() >= 2 && words.size() <= 4 && words[0].lower == "the" &&
         is_group_noun(words.back().lower);
}

// "Christopher Robin - Story", "Anne (grown up)": the name the text calls a cast character by,
// without the qualifier the cast file's author added to tell two of them apart; "" if none.
std::string unqualified_name(const std::string& name) {
  std::string base = name;
  if (auto dash = base.find(" - "); dash != std::string::npos) base = base.substr(0, dash);
  if (auto paren = base.find(" ("); paren != std::string::npos && base.back() == ')')
    base = base.substr(0, paren);
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base == name || tokenize(base).empty() ? "" : base;
}

CharacterTable build_characters(const Story& story, const CastHints& hints,
                                std::unordered_set<std::string>* place_names) {
  CharacterTable table;
  for (auto c : hints.characters) {
    c.is_group = c.is_group || is_group_name(c.name);
    table.add(c);
  }
  table.cast_count = static_cast<int>(hints.characters.size());
  // After every name the cast wrote out, so none is taken; two characters qualified from one
  // name ("X - Story", "X - External") leave it to the first listed, as with any shared name.
  for (int id = 0; id < static_cast<int>(hints.characters.size()); ++id)
    if (auto base = unqualified_name(table.characters[id].name); !base.empty())
      table.add_alias(id, base);
  // The wide search for genders helps where troupe finds the people itself (fan fiction: "Bea
  // asked me," he says; Professor Crane ... She); beside given characters it only moved
  // genders the cast left open and those of extras, and cost more novels than it helped.
  NameStats stats = gather_stats(story, /*wide_votes=*/hints.characters.empty());
  if (place_names) *place_names = characters_internal::place_names_of(stats);
  characters_internal::count_told_apart(story, stats);
  characters_internal::share_cast_given_names(table);
  characters_internal::yield_bare_forms(story, table);
  const NarrationCounts narration = count_narration(story);
  const Perspective perspective = perspective_of(narration);
  bool has_reader = std::any_of(hints.characters.begin(), hints.characters.end(),
                                [](const Character& c) { return c.is_reader; });
  if (perspective == Perspective::Second && !has_reader) {
    Character reader;
    reader.name = "Y/N";
    reader.aliases = {"you", "{{user}}", "Y/L/N", "Y/F/N"};
    reader.is_reader = true;
    table.add(reader);
  }
  if (perspective == Perspective::First && table.find("I") < 0) {
    Character narrator;
    narrator.name = "I";
    narrator.aliases = {"me"};
    narrator.is_first_person = true;
    table.add(narrator);
  } else if (table.find("I") < 0 && narrator_speaks(narration)) {
    // Their words are the narrator's own: quotations labelled as the narrator's.
    Character narrator;
    narrator.name = kNarratorLabel;
    narrator.aliases = {"I", "me"};
    narrator.is_first_person = true;
    table.add(narrator);
  }
  redirect_bare_surnames(table);
  if (!hints.characters.empty()) characters_internal::give_unowned_given_names(table, stats);
  const int given_count = static_cast<int>(table.characters.size());
  // A given character's open gender comes from the names the cast gave, not from names found
  // in the text and taken for theirs.
  fill_unknown_genders(stats, table, 0);
  if (hints.discover_more) discover_names(stats, table, !hints.characters.empty());
  fill_unknown_genders(stats, table, given_count);
  if (!hints.characters.empty()) fold_into_cast(table, static_cast<int>(hints.characters.size()));
  if (hints.discover_more) merge_name_forms(table, given_count, stats);
  if (hints.discover_more) characters_internal::mark_family_plurals(stats, table, given_count);
  characters_internal::link_code_names(story, table);
  if (hints.discover_more) join_renamed(story, table, given_count);
  if (hints.discover_more) characters_internal::join_answered_names(story, table, given_count);
  return table;
}

}  // namespace troupe
