// The sieve's shared state and machinery: what a quotation paragraph holds while its speakers
// are decided, and the class every pass reads (mentions, resolving, tags, the chapter's reading).
// Internal to src/attribution/; the public entry point is attribute.h.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "attribution/attribute.h"
#include "attribution/characters.h"
#include "attribution/rule.h"
#include "attribution/tokens.h"
#include "text/story.h"

namespace troupe::sieve {

struct PassOrder;
struct Stage;

constexpr int kUnknown = -1;
// A quotation of more words than this is speech, not words mentioned in narration.
constexpr long kMentionMaxWords = 4;
// A title or written words in quotation marks ("the caption \"...\"") may be this long.
constexpr long kTitleMaxWords = 12;
// How many recent mentions a pronoun looks through for a subject before settling for an object.
constexpr int kSubjectWindow = 6;
// How many recent mentions a quotation paragraph remembers for turn-taking.
constexpr std::size_t kRecentKept = 12;
// Tags calling one character "the girl" before a narration's "the girl" means them.
constexpr int kUsualDescriptionMin = 10;
// How many words a speech verb may stand after its subject: "Mr. Osgood, whose mind
// was on the Wendles' barn, said".
constexpr std::size_t kSubjectReach = 12;

inline bool contains(const std::vector<int>& ids, int id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}
// How often others must address a first-person narrator by name before it is voiced as that name.
constexpr int kNarratorAddressedMin = 3;
// How often a character must be "little Oliver" or "Master Bates" before troupe takes them for
// a child.
constexpr int kChildMarksMin = 3;
// How many quotations must call by voice procedure ("Beacon, Dispatch.") with one caller before
// the caller's word is a call sign.
constexpr int kCallSignUsesMin = 2;
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

bool is_quote_mark(char32_t c);
// Byte offset just after the closing mark (and spaces) that follows a quotation's words.
std::size_t after_closing_mark(std::string_view text, std::size_t end);
// Byte offset of the opening mark that precedes a quotation's words.
std::size_t before_opening_mark(std::string_view text, std::size_t begin);
// The paragraph as narration and quotation segments, in order.
std::vector<Segment> segments_of(const Paragraph& p);
// A narration paragraph that ends "...as he had put it that morning," or "...she began:".
bool introduces_speech(std::string_view text);

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

// The state of an exchange while a quotation paragraph's speakers are resolved, passed to the
// resolver as an argument: each caller gives what it knows, nobody saves or restores it.
struct Exchange {
  int avoid = kUnknown;      // the other party: who spoke the turn before, passed over by "he said"
  int alternate = kUnknown;  // who spoke the turn before theirs: A, B, A
  std::vector<int> addressed{};  // named as addressed in the paragraph's quotations: not speaking
  std::vector<int> called{};     // called in the turn this paragraph answers: the one who answers
  std::vector<int> bound{};      // named in a pronoun tag's own sentence: not its speaker
  // Named in passing in the paragraph's quotations ("Is the baker's boy honest?"): nobody speaks
  // of himself so, so not the speaker of its tags, nor of a lead-in's own sentence ("Then he
  // said,"). The narration's earlier sentences and the addressee may still mean them.
  std::vector<int> talked_about{};

  // The parties of the exchange alone, for narration and introductions around the tags.
  Exchange parties() const { return {.avoid = avoid, .alternate = alternate}; }
  // Everything but the parties: the narration's earlier sentences are about whoever the story is
  // about, the last speaker included.
  Exchange without_parties() const {
    return {.addressed = addressed, .called = called, .bound = bound};
  }
};

// The story as read so far, up to the paragraph being read: what a later pronoun, "they" or
// description refers back to. The chapter's reading (sieve.cpp) owns it and passes it to
// whatever reads the narration; the sieve keeps no state of a reading.
struct ReadingState {
  Salience history;         // characters mentioned or speaking, in story order
  Salience trailing;        // narration closing the last quotation paragraph
  std::string last_group;   // "the girls": whom a later "they" means
  std::set<int> described;  // characters the narration has called by their description
  // "girl" -> how often each character spoke a "said the girl" tag in the chapters before.
  std::map<std::string, std::map<int, int>> described_as;
  std::set<int> departed;  // left the scene ("and fled"): no turn of theirs until seen again
};

struct QuoteParagraph {
  int paragraph = 0;  // index in the chapter
  const Paragraph* p = nullptr;
  std::vector<Segment> segments;
  std::vector<int> speakers;  // per quotation
  std::vector<Rule> rules;
  std::vector<Delivery> deliveries;
  std::vector<Gender> pronoun_tags;     // per quotation: the gender of a "he said" tag
  std::vector<bool> adult_tags;         // per quotation: "said the old gentleman"
  std::vector<bool> firm_tags;          // per quotation: "said Emma", "said he": not a noun
  std::vector<int> next_likeliest;      // per quotation: whom a "he said" tag would mean next
  std::vector<bool> carry_on_tags;      // per quotation: "added Emma", "she went on"
  std::vector<int> vocatives;           // characters named inside its quotations
  std::vector<int> talked_about;        // characters its quotations name in passing
  std::vector<int> narration_mentions;  // characters named outside them, in order
  std::size_t opening_words = 0;        // words of narration before its first quotation
  bool continues = false;               // opens by continuing the previous paragraph's quotation
  bool after_narration = false;         // a narration-only paragraph stands between it and the last
  bool after_pause = false;             // all such paragraphs name nobody: "No reply. Two minutes."
  const Paragraph* intro = nullptr;     // the narration paragraph before it, if it ends in : or ,
  std::vector<int> recent_before;       // characters mentioned or speaking just before it
  int speaker_before = kUnknown;        // the last turn's speaker, unless gone or a scene back
  int subject_before = kUnknown;        // the last subject of the narration before it
  int newcomer_before = kUnknown;       // that subject, named there for the first time
  bool named_beat = false;              // its beat names its speaker: "Renjun shook his head."
  int addressee = kUnknown;             // "said he to his wife": who is spoken to
  Exchange exchange;                    // the exchange it was read in (see set_exchange)
  std::vector<int> narration_subjects;  // named outside the quotations, not as an object
  std::vector<int> closing_subjects;    // subjects of the narration after its last quotation
  bool closing_tag = false;             // that narration opens with the last quotation's tag
  std::string extra;                    // "said his manager": an unnamed speaker, if no one else
  std::vector<std::string> descriptions;  // per quotation: "old gentleman" of its tag, if any
  Gender said_after = Gender::Unknown;    // "...when he said that" in the narration right after
  bool unanswered = false;  // the narration right after says nobody answered: "Nobody spoke."
};

// How old a noun says its person is: "the girl", "the lad" a child; "the young lady" young;
// "the old gentleman", "the elderly lady" old.
enum class Age { Any, Child, Young, Old };

// What a character's names say of their age: "Miss Rose", "Master Bates", "Young Thomas" are
// young; "Old Sally" is old; "Mr. Sikes", "Mrs. Corney" are grown up.
struct NameAge {
  bool young = false, old = false, titled = false;
};

// Words of a character's names, worked out once: the passes ask for them at every tag.
struct NameWords {
  std::size_t names = 0;                 // how many names (name and aliases) they came from
  std::vector<std::string> first_words;  // lower case, of names of two words or more
  std::vector<std::string> surnames;     // the last word, of names of two words or more
};

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
  Rule rule = Rule::TagName;         // what kind of tag: a name, a pronoun, a description, a group
  int next_likeliest = kUnknown;     // whom a tag read by gender would mean after its speaker
  bool carries_on = false;           // "added", "went on": the speaker carries on, not answers
};

class Sieve {
 public:
  // ---- the story read once, the chapter read in order, and the speakers it adds (sieve.cpp)
  Sieve(const Story& story, const AttributionOptions& options);
  // The characters: those found or given, and the speakers the passes have added.
  const CharacterTable& table() const { return table_; }
  void tokenize_segments();
  void find_children();
  void collect_lower_words();
  bool is_plural_of_small_word(const std::string& lower) const;
  void name_the_narrator();
  Script run();
  static bool is_talked_about(const QuoteParagraph& qp, int id);
  static bool before_own_tag(const std::vector<QuoteParagraph>& qps, std::size_t k, int id);
  bool is_vocative(const QuoteParagraph& qp, int id) const;
  int add_group(const std::string& label);
  int add_passerby(const std::string& label);
  bool is_passerby(int id) const;
  int add_minor_character(const std::string& name);
  // Brings what is worked out once per character (name_words_, name_ages_) up to date with the
  // table, after a character was added or given a name.
  void note_table_change();
  QuoteParagraph prepare(const Paragraph& p, int index) const;
  int paragraph_speaker(const QuoteParagraph& qp) const;
  void fill_paragraph(QuoteParagraph& qp, int speaker, Rule rule);
  int other_party(const std::vector<QuoteParagraph>& qps, std::size_t k, int speaker) const;
  ChapterScript chapter_script(const Chapter& chapter, ReadingState& reading);
  // One reading of a chapter through the passes of `order`, going on from `reading`; `prior`
  // holds the paragraphs' speakers from a first reading, if any.
  std::vector<QuoteParagraph> attribute_chapter(const Chapter& chapter,
                                                const std::vector<int>* prior,
                                                const PassOrder& order, ReadingState& reading);
  // Runs the stages in order, each pass of a stage in every round.
  void run_stages(const std::vector<Stage>& stages, ReadingState& reading,
                  std::vector<QuoteParagraph>& qps);
  // After its paragraph passes: the paragraph's narration joins the history, and the narration
  // closing it becomes the next paragraph's `reading.trailing`.
  void remember_narration(QuoteParagraph& qp, ReadingState& reading) const;
  // Where the narration closing the paragraph goes on past the sentence of the last quotation's
  // name tag (`"No," said Mr. Giles. He sat down.`: at "He"); 0 where no such tag opens it.
  std::size_t past_closing_tag(const QuoteParagraph& qp) const;
  void set_exchange(QuoteParagraph& qp, const std::vector<QuoteParagraph>& before,
                    const std::vector<int>* prior) const;
  // Who spoke turn j of `before`: as read so far, else as a first reading of the chapter had it.
  int speaker_of_turn(const std::vector<QuoteParagraph>& before, const std::vector<int>* prior,
                      std::size_t j) const;
  std::vector<int> talked_about_outside_conversation(const QuoteParagraph& qp,
                                                     const std::vector<QuoteParagraph>& before,
                                                     const std::vector<int>* prior) const;
  // Characters named in the tokens, not as an object: the narration's subjects.
  std::vector<int> subjects_in(const std::vector<Token>& tokens) const;

  // ---- mentions: names, pronouns and descriptions in narration (mentions.cpp)
  Mention mention_at(const std::vector<Token>& tokens, std::size_t i) const;
  Mention epithet_name_at(const std::vector<Token>& tokens, std::size_t i) const;
  static bool looks_like_epithet(const std::string& w);
  static bool skippable_between(const Token& t);
  std::vector<int> mentions_in(const std::vector<Token>& tokens) const;
  // Also notes in `reading` the groups and described characters the narration names.
  void add_salient(const std::vector<Token>& tokens, Salience& into, const Exchange& exchange,
                   ReadingState& reading) const;
  std::vector<int> vocatives_in(const std::vector<Token>& tokens,
                                std::vector<int>* talked_about = nullptr) const;
  static bool has_second_sentence(const std::vector<Token>& tokens);
  // Whether the name of `length` tokens at `i` is called out, set off as a clause of its own:
  // "Well, Jane, come" (not "Jane's", "Jane, who", "ask Jane").
  static bool called_at(const std::vector<Token>& tokens, std::size_t i, std::size_t length);
  const std::vector<Token>& tokens_of(const Paragraph& p, const Segment& s) const;
  // The words quotation segment s says to those present: none in an inset paragraph read out,
  // none of the quotations nested in it. `kept` holds them when some words are left out.
  const std::vector<Token>& words_said(const Paragraph& p, const Segment& s,
                                       std::vector<Token>& kept) const;
  // The unmarried daughters of the family `surname` but `called`, if it has several.
  std::vector<int> daughters_of_family(const std::string& surname, int called) const;
  // A bare "Miss Surname" called out goes to the family's one daughter in the scene.
  void place_family_vocatives(QuoteParagraph& qp, const ReadingState& reading) const;
  // Whether `id` is in the scene of `qp`: a recent subject, not gone since.
  static bool present(const QuoteParagraph& qp, const ReadingState& reading, int id);
  // vocatives_in over the words said (words_said).
  std::vector<int> vocatives_said(const Paragraph& p, const Segment& s,
                                  std::vector<int>* talked_about = nullptr) const;
  // The words of a whole text paragraph, quotations and narration (cached like tokens_of).
  const std::vector<Token>& paragraph_tokens(const Paragraph& p) const;
  // Marks on the cached words whom each name several characters share stands for there.
  void resolve_shared_names();
  void mark_person(const Paragraph& p, std::size_t offset, int person);
  Mention beat_subject(const std::vector<Token>& tokens, std::size_t i) const;
  static bool is_object_at(const std::vector<Token>& tokens, std::size_t i);
  static bool is_conjunction_for(const std::vector<Token>& tokens, std::size_t i);
  // Who leaves the scene in this narration ("Dee pointed at the kitchen, and fled"), and who
  // is seen again (named, not in a sentence that says they did not come): kept in `departed`.
  void note_departures(const std::vector<Token>& tokens, ReadingState& reading) const;
  // "Her face fell when he said that": the gender of whoever spoke the quotation just before.
  static Gender said_back(const std::vector<Token>& tokens);
  // "Nobody said good evening back.", "No one answered.": the narration opens saying that the
  // quotation before it had no answer.
  static bool nobody_answered(const std::vector<Token>& tokens);
  int last_of_gender(Gender gender, const std::vector<Token>& tokens, std::size_t i,
                     const ReadingState& reading, bool present_only) const;
  int protagonist(const ReadingState& reading) const;

  // ---- resolving a mention to a character (resolver.cpp)
  int resolve(Gender gender, const Salience& local, const Exchange& exchange,
              const ReadingState& reading, bool adult = false, int never = kUnknown,
              const Mention* noun = nullptr) const;
  int resolve_in_narration(Gender gender, const Salience& into, const ReadingState& reading) const;
  bool is_fronted_subject(const std::vector<Token>& tokens, std::size_t i,
                          std::size_t length) const;
  static bool is_adult_noun(const Mention& m);
  int usually_described_as(const std::string& phrase, const ReadingState& reading) const;
  static Age age_of_noun(const Mention& m);
  NameAge name_age(int id) const;
  NameAge age_in_names(int id) const;
  bool ages_fit(int id, const Mention& m) const;
  int resolve_mention(const Mention& m, const Salience& local, const Exchange& exchange,
                      const ReadingState& reading, bool* by_gender = nullptr) const;
  int titled_as(const std::string& noun) const;
  const std::vector<std::string>& surnames_of(int id) const;
  const NameWords& name_words(int id) const;
  NameWords words_of_names(int id) const;
  static bool is_kin_noun(const Mention& m);
  static bool is_relative_noun(const Mention& m);
  std::vector<int> owners_of(const Mention& m, const Salience& local, const Exchange& exchange,
                             const ReadingState& reading) const;
  int kin_of(const Mention& m, const Salience& local, const Exchange& exchange,
             const ReadingState& reading) const;
  int owner_of(const Mention& m, const Salience& local, const Exchange& exchange,
               const ReadingState& reading) const;
  int relative_by_surname(const std::string& surname, Gender gender, int other_than,
                          const ReadingState& reading) const;

  // ---- speech tags (tags.cpp)
  static std::string unmet_epithet(const std::vector<Token>& tokens, std::size_t i);
  static std::string unmet_name(const std::vector<Token>& tokens, std::size_t i);
  Tag unmet_speaker(const std::vector<Token>& tokens, std::size_t i, std::size_t verb) const;
  Tag unnamed_speaker(const std::vector<Token>& tokens, std::size_t i, std::size_t verb) const;
  static bool heard_from_elsewhere(const std::vector<Token>& tokens, std::size_t k);
  Tag extra_tag(const std::string& label, Rule rule, const std::vector<Token>& tokens,
                std::size_t i, std::size_t verb) const;
  static std::size_t verb_after_place(const std::vector<Token>& tokens, std::size_t at);
  int described_as(const std::string& label, const std::vector<Token>& tokens, std::size_t i) const;
  Tag tag_from_subject(const std::vector<Token>& tokens, std::size_t i, std::size_t verb,
                       const Salience& local, const Exchange& exchange,
                       const ReadingState& reading) const;
  static bool is_indefinite(const Mention& m);
  std::pair<std::string, std::size_t> group_at(const std::vector<Token>& tokens, std::size_t i,
                                               const ReadingState& reading) const;
  void note_groups(const std::vector<Token>& tokens, ReadingState& reading) const;
  static bool group_speech_verb(const std::string& w);
  Tag group_tag(const std::string& label, const std::vector<Token>& tokens, std::size_t verb,
                std::size_t subject) const;
  Tag owner_of_words(const std::vector<Token>& tokens) const;
  Tag tag_after(const std::vector<Token>& tokens, const Salience& local, const Exchange& exchange,
                const ReadingState& reading) const;
  Tag tag_before(const std::vector<Token>& tokens, const Salience& local, const Exchange& exchange,
                 const ReadingState& reading) const;
  Tag collective_lead_in(const std::vector<Token>& tokens, const ReadingState& reading) const;
  Tag lead_in_subject(const std::vector<Token>& tokens, std::size_t start, const Salience& local,
                      const Exchange& exchange, const ReadingState& reading) const;
  bool leads_into_quote(const Paragraph& p, const Segment& s) const;

  // ---- words mentioned, not spoken (segments.cpp)
  bool is_mentioned_words(const Paragraph& p, const Quote& q) const;
  bool only_mentions(const Paragraph& p) const;

  // ---- pass: passes/tag.cpp
  void find_tags(QuoteParagraph& qp, ReadingState& reading);
  void add_lead_in(const QuoteParagraph& qp, const Segment& lead_in, Salience& local,
                   ReadingState& reading) const;
  Tag tag_of_quote(const QuoteParagraph& qp, std::size_t k, int quote_index, const Salience& local,
                   const ReadingState& reading, std::size_t previous_tag_segment,
                   std::size_t previous_tag_end, bool* is_after);
  void record_tag(QuoteParagraph& qp, int quote_index, Tag& tag);
  void find_addressee(QuoteParagraph& qp, const Salience& local, const Exchange& exchange,
                      const ReadingState& reading) const;

  // ---- pass: passes/same_paragraph.cpp
  static void spread_within_paragraph(QuoteParagraph& qp);

  // ---- pass: passes/pin.cpp
  bool apply_pin(QuoteParagraph& qp, std::size_t qi);

  // ---- pass: passes/intro.cpp
  // The narration closing the quotation paragraph before, when it leads into this one.
  const std::vector<Token>* closing_lead_in(const std::vector<QuoteParagraph>& qps) const;
  int intro_speaker(const std::vector<Token>& tokens, const Exchange& exchange,
                    const ReadingState& reading) const;

  // ---- pass: passes/self_named.cpp
  int self_named(std::string_view text, const std::vector<Token>& tokens) const;
  bool give_to_self_named(QuoteParagraph& qp, std::size_t qi, int named);

  // ---- pass: passes/call_sign.cpp
  bool may_be_call_sign(const Token& t) const;
  std::string caller_in(const std::vector<Token>& tokens) const;
  void find_call_signs();
  int call_sign_speaker(const QuoteParagraph& qp);

  // ---- pass: passes/beat.cpp
  void meet_beat_subjects(const QuoteParagraph& qp);
  int beat_speaker(QuoteParagraph& qp, Rule* rule, const Exchange& exchange,
                   ReadingState& reading) const;

  // ---- pass: passes/tag_revision.cpp
  void resolve_pronouns_by_participants(std::vector<QuoteParagraph>& qps,
                                        const ReadingState& reading);
  std::vector<int> participants(const std::vector<QuoteParagraph>& qps, std::size_t start,
                                std::size_t end, const ReadingState& reading) const;
  void resolve_in_conversation(std::vector<QuoteParagraph>& qps, std::size_t start, std::size_t end,
                               const ReadingState& reading);
  static void retag(QuoteParagraph& qp, std::size_t i, int speaker);
  void revise_tag_before_named_turn(QuoteParagraph& qp, const QuoteParagraph& next) const;
  bool resumes_speech_before(const QuoteParagraph& qp, std::size_t i, int named) const;

  // ---- pass: passes/address_term.cpp
  static std::vector<std::string> address_terms_in(const std::vector<Token>& tokens);
  bool fill_by_address_terms(std::vector<QuoteParagraph>& qps);

  // ---- pass: passes/answered.cpp
  bool fill_by_next_vocative(std::vector<QuoteParagraph>& qps);
  int answered_name(const QuoteParagraph& qp) const;

  // ---- pass: passes/turns.cpp
  bool fill_by_turns(std::vector<QuoteParagraph>& qps);

  // ---- pass: passes/turns_back.cpp
  bool fill_backwards(std::vector<QuoteParagraph>& qps);

  // ---- pass: passes/other_party.cpp
  bool fill_by_other_party(std::vector<QuoteParagraph>& qps, bool firm_only);
  static bool is_firm(Rule rule);

  // ---- pass: passes/guess.cpp
  bool guess_the_rest(std::vector<QuoteParagraph>& qps);

  // ---- writing the chapter's script (script_writer.cpp)
  std::string speaker_label(int id) const;
  ChapterScript write_chapter(const Chapter& chapter, const std::vector<QuoteParagraph>& qps) const;
  void write_paragraph(const Paragraph& p, const QuoteParagraph* qp,
                       std::vector<ScriptLine>& lines) const;
  static void write_nested_pieces(const Paragraph& p, const Segment& s, const ScriptLine& whole,
                                  std::vector<ScriptLine>& lines);
  static void trim_narration(std::string& text);
  static bool has_words(std::string_view text);

 private:
  const Story& story_;
  const AttributionOptions& options_;
  // "Larkhall": words the story writes as places. Before table_, which fills it as it is made.
  std::unordered_set<std::string> place_names_;
  CharacterTable table_;
  int first_person_ = kUnknown;
  int reader_ = kUnknown;
  // Every segment's words, tokenised once as the story is read: the passes read each segment
  // many times. Key: where the segment's words start in the text, and their length.
  // Whole paragraphs with quotations are added when first read (paragraph_tokens).
  mutable std::map<std::pair<const void*, std::size_t>, std::vector<Token>> segment_tokens_;
  // Lower-case surnames of families with several daughters (sister_surnames), worked out once.
  mutable std::optional<std::set<std::string>> sister_families_;
  std::vector<NameWords> name_words_;            // by character id
  std::vector<NameAge> name_ages_;               // by character id, as the character came in
  std::map<std::string, int> groups_;            // group speakers by label
  std::set<int> children_;                       // "little Oliver"
  std::map<std::string, int> passersby_;         // "another gentleman": speakers by label
  std::unordered_set<std::string> lower_words_;  // every word the story writes in lower case
  std::set<std::string> call_signs_;             // "dispatch": callers of radio calls, lower case
};

}  // namespace troupe::sieve
